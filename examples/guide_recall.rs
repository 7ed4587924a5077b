//! Held-out top-5 recall of one or more trained guides on the SAME validation tasks (the ones
//! `arc train-guide` draws with its default settings, seed 0: synthetic tasks whose programs hash
//! to the validation side, drawn with today's registry), so guides trained on different
//! vocabularies or data can be compared. Besides the recall over every task, it gives the recall over the tasks whose primitives all lie in the
//! smallest vocabulary among the guides (primitives are appended, so a prefix is shared).
//!
//! `cargo run --release --example guide_recall -- models/guide /tmp/other/guide`

use anyhow::Result;
use arc_solver::guide::synth::InputPool;
use arc_solver::guide::train::{TrainConfig, evaluate, validation_split};
use arc_solver::guide::{NeuralGuide, VocabPolicy};
use arc_solver::task;
use std::path::Path;

fn main() -> Result<()> {
    let prefixes: Vec<String> = std::env::args().skip(1).collect();
    anyhow::ensure!(!prefixes.is_empty(), "usage: guide_recall <guide prefix> [<guide prefix> ...]");
    let guides =
        prefixes.iter().map(|p| NeuralGuide::load_with(Path::new(p), VocabPolicy::AllowAdded)).collect::<Result<Vec<_>, _>>()?;
    let pool = InputPool::from_tasks(&task::load_dataset("arc-agi-1", "training")?.tasks);
    let cfg = TrainConfig::default();
    let val = validation_split(cfg.seed, &pool, cfg.max_prims, cfg.val_tasks);
    let shared = guides.iter().map(|g| g.meta.net.n_prims as usize).min().unwrap_or(0);
    let common: Vec<_> = val.iter().filter(|t| t.labels.iter().all(|&l| (l as usize) < shared)).cloned().collect();
    println!("{} validation tasks (seed {}), {} with primitives all among the first {shared}", val.len(), cfg.seed, common.len());
    for (p, g) in prefixes.iter().zip(&guides) {
        let n = g.meta.net.n_prims as usize;
        let (loss, recall) = evaluate(&g.net, &val, n, tch::Device::Cpu);
        let (_, recall_common) = evaluate(&g.net, &common, n, tch::Device::Cpu);
        println!("{p}: {n} primitives, val loss {loss:.4}, top-5 recall {recall:.3} (shared-vocabulary tasks: {recall_common:.3})");
    }
    Ok(())
}
