//! The guide's training data as NumPy arrays, for training the same network with PyTorch on a
//! GPU (`scripts/train_guide_gpu.py`), where libtorch for `tch` is not at hand.
//!
//! The tasks are those `train::train` would draw: the same validation split
//! (`train::validation_split`, held out by program hash) and synthetic training tasks drawn in chunks
//! (`fork(2).fork(k)` for chunk `k`, in parallel, so the result does not depend on the thread
//! count), plus hindsight examples. Grids are stored once each (deduplicated) and unpadded.
//!
//! Files written into the output folder:
//! - `cells.npy`: `u8 [total cells]`, every distinct grid's cells, row-major, one after another;
//! - `grid_hw.npy`: `u8 [grids, 2]`, each grid's height and width (offsets are their running sum);
//! - `task_grids.npy`: `i32 [tasks, MAX_PAIRS, 2]`, grid indices of each demo's input and
//!   output (-1: no such pair);
//! - `task_labels.npy`: `i16 [tasks, MAX_LABELS]`, the program's primitives (-1: none);
//! - `task_split.npy`: `u8 [tasks]`, 0 = synthetic training, 1 = validation, 2 = hindsight;
//! - `meta.json`: vocabulary, seed, counts and a description.

use super::data::MAX_PAIRS;
use super::synth::{InputPool, SynthTask};
use super::model::NetConfig;
use super::train::{Metrics, TrainConfig, draw, evaluate, validation_split};
use super::{GuideMeta, NeuralGuide};
use crate::dsl::registry;
use crate::task::Task;
use crate::grid::Grid;
use crate::rng::Rng;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// Labels kept per task (programs with more distinct primitives are truncated, and counted).
pub const MAX_LABELS: usize = 8;
/// Synthetic tasks per parallel chunk.
pub const CHUNK: usize = 4096;

/// What to export.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExportConfig {
    pub seed: u64,
    /// Synthetic training tasks.
    pub tasks: usize,
    pub val_tasks: usize,
    pub max_prims: usize,
}

/// The drawn tasks by split: `(training, validation)`, deterministic by `cfg.seed`.
pub fn draw_split(cfg: &ExportConfig, pool: &InputPool) -> (Vec<SynthTask>, Vec<SynthTask>) {
    let val = validation_split(cfg.seed, pool, cfg.max_prims, cfg.val_tasks);
    let stream = Rng::new(cfg.seed).fork(2);
    let chunks = cfg.tasks.div_ceil(CHUNK);
    let train: Vec<SynthTask> = (0..chunks)
        .into_par_iter()
        .flat_map_iter(|k| {
            let n = CHUNK.min(cfg.tasks - k * CHUNK);
            draw(&mut stream.fork(k as u64), pool, cfg.max_prims, n, false)
        })
        .collect();
    (train, val)
}

/// A `.npy` file (format 1.0): `descr` such as `|u1`, `<i4`; `data` little-endian.
fn write_npy(path: &Path, descr: &str, shape: &[usize], data: &[u8]) -> std::io::Result<()> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape = if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(b"\x93NUMPY\x01\x00")?;
    f.write_all(&(header.len() as u16).to_le_bytes())?;
    f.write_all(header.as_bytes())?;
    f.write_all(data)?;
    f.flush()
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct ExportCounts {
    pub train: usize,
    pub val: usize,
    pub hindsight: usize,
    pub grids: usize,
    pub cells: usize,
    /// Tasks whose labels were cut to `MAX_LABELS`.
    pub truncated: usize,
}

/// Writes the arrays (and `meta.json`, with `description` and `vocab`) into `dir`.
pub fn write(
    dir: &Path,
    vocab: &[&str],
    description: &str,
    cfg: &ExportConfig,
    sets: [&[SynthTask]; 3],
) -> std::io::Result<ExportCounts> {
    std::fs::create_dir_all(dir)?;
    let mut index: HashMap<&Grid, i32> = HashMap::new();
    let (mut cells, mut hw) = (Vec::<u8>::new(), Vec::<u8>::new());
    let (mut task_grids, mut task_labels, mut task_split) = (Vec::<u8>::new(), Vec::<u8>::new(), Vec::<u8>::new());
    let mut counts = ExportCounts::default();
    for (split, tasks) in sets.iter().enumerate() {
        for t in tasks.iter() {
            for p in 0..MAX_PAIRS {
                for g in t.pairs.get(p).map(|pair| [&pair.input, &pair.output]).into_iter().flatten() {
                    let next = index.len() as i32;
                    let id = *index.entry(g).or_insert_with(|| {
                        cells.extend_from_slice(g.cells());
                        hw.extend_from_slice(&[g.h() as u8, g.w() as u8]);
                        next
                    });
                    task_grids.extend_from_slice(&id.to_le_bytes());
                }
                if p >= t.pairs.len() {
                    task_grids.extend_from_slice(&[(-1i32).to_le_bytes(), (-1i32).to_le_bytes()].concat());
                }
            }
            counts.truncated += usize::from(t.labels.len() > MAX_LABELS);
            for k in 0..MAX_LABELS {
                let l = t.labels.get(k).map_or(-1, |&l| l as i16);
                task_labels.extend_from_slice(&l.to_le_bytes());
            }
            task_split.push(split as u8);
        }
    }
    let n = task_split.len();
    counts.train = sets[0].len();
    counts.val = sets[1].len();
    counts.hindsight = sets[2].len();
    counts.grids = index.len();
    counts.cells = cells.len();
    write_npy(&dir.join("cells.npy"), "|u1", &[cells.len()], &cells)?;
    write_npy(&dir.join("grid_hw.npy"), "|u1", &[index.len(), 2], &hw)?;
    write_npy(&dir.join("task_grids.npy"), "<i4", &[n, MAX_PAIRS, 2], &task_grids)?;
    write_npy(&dir.join("task_labels.npy"), "<i2", &[n, MAX_LABELS], &task_labels)?;
    write_npy(&dir.join("task_split.npy"), "|u1", &[n], &task_split)?;
    let meta = serde_json::json!({
        "vocab": vocab,
        "config": cfg,
        "counts": counts,
        "max_pairs": MAX_PAIRS,
        "max_labels": MAX_LABELS,
        "data": description,
        "command": std::env::args().collect::<Vec<_>>().join(" "),
    });
    std::fs::write(dir.join("meta.json"), serde_json::to_string_pretty(&meta).expect("json") + "\n")?;
    Ok(counts)
}

/// The random stream of `adopt-guide --fresh-val` tasks (training uses 1 and 2).
pub const FRESH_VAL_STREAM: u64 = 7;

/// What `scripts/train_guide_gpu.py` records beside its weights.
#[derive(serde::Deserialize)]
struct TrainerRecord {
    vocab: Vec<String>,
    net: NetConfig,
    train: TrainConfig,
    train_loss: f64,
    data: String,
    command: String,
}

/// A guide adopted from weights trained elsewhere.
pub struct Adopted {
    /// The provenance written beside the weights, with the metrics measured here.
    pub meta: GuideMeta,
    /// Loss and top-5 recall on freshly drawn validation tasks, when asked for.
    pub fresh: Option<(f64, f64)>,
}

/// Adopts weights trained by `scripts/train_guide_gpu.py` (`weights` and its `record`): checks
/// the vocabulary and output size against the registry, loads them into the network, measures
/// them here on the validation split `train-guide` uses for the record's seed (and on
/// `fresh_val` other validation tasks), and saves the guide at `out` with its provenance
/// (`command`: how this adoption was asked for). `tasks`: the ARC-AGI-1 training tasks.
pub fn adopt(weights: &Path, record: &Path, out: &Path, tasks: &[Task], fresh_val: usize, command: &str) -> anyhow::Result<Adopted> {
    use anyhow::Context;
    let text = std::fs::read_to_string(record).with_context(|| format!("reading {}", record.display()))?;
    let rec: TrainerRecord = serde_json::from_str(&text).with_context(|| format!("parsing {}", record.display()))?;
    let names: Vec<&str> = registry().prims.iter().map(|p| p.name).collect();
    if let Some(diff) = super::vocab_mismatch(&rec.vocab, &names) {
        anyhow::bail!("the trained vocabulary does not match the registry: {diff}");
    }
    if rec.net.n_prims != names.len() as i64 {
        anyhow::bail!("the network has {} outputs, the registry {} primitives", rec.net.n_prims, names.len());
    }
    let mut vs = tch::nn::VarStore::new(tch::Device::Cpu);
    let net = super::model::Net::new(&vs.root(), rec.net);
    vs.load(weights).with_context(|| format!("loading {} into the network", weights.display()))?;
    let pool = InputPool::from_tasks(tasks);
    let cfg = &rec.train;
    let val = validation_split(cfg.seed, &pool, cfg.max_prims, cfg.val_tasks);
    let (val_loss, val_top5_recall) = evaluate(&net, &val, names.len(), tch::Device::Cpu);
    let metrics = Metrics { step: cfg.steps, train_loss: rec.train_loss, val_loss, val_top5_recall };
    let fresh = (fresh_val > 0).then(|| {
        let fresh = draw(&mut Rng::new(cfg.seed).fork(FRESH_VAL_STREAM), &pool, cfg.max_prims, fresh_val, true);
        evaluate(&net, &fresh, names.len(), tch::Device::Cpu)
    });
    let meta = GuideMeta {
        vocab: rec.vocab,
        net: rec.net,
        train: rec.train.clone(),
        data: rec.data,
        metrics,
        command: format!("{} && {command}", rec.command),
        sha256: String::new(),
    };
    let meta = NeuralGuide::save(&vs, meta, out)?;
    Ok(Adopted { meta, fresh })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_deterministic_and_disjoint_by_program() {
        let cfg = ExportConfig { seed: 3, tasks: 50, val_tasks: 20, max_prims: 3 };
        let pool = InputPool::default();
        let (a, va) = draw_split(&cfg, &pool);
        let (b, _) = draw_split(&cfg, &pool);
        assert_eq!(a.len(), 50);
        assert_eq!(va.len(), 20);
        let text = |ts: &[SynthTask]| ts.iter().map(|t| t.program.to_string()).collect::<Vec<_>>();
        assert_eq!(text(&a), text(&b));
        assert!(a.iter().all(|t| !super::super::synth::is_validation(&t.program)));
        assert!(va.iter().all(|t| super::super::synth::is_validation(&t.program)));
    }

    #[test]
    fn npy_header_is_aligned() {
        let dir = std::env::temp_dir().join(format!("arc-npy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.npy");
        write_npy(&path, "<i2", &[2, 3], &[0u8; 12]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + len) % 64, 0);
        assert_eq!(bytes.len(), 10 + len + 12);
        assert!(std::str::from_utf8(&bytes[10..10 + len]).unwrap().contains("'shape': (2, 3)"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
