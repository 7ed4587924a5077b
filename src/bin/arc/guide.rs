//! The guide's subcommands: `arc export-guide-data`, `arc adopt-guide` and `arc train-guide`.

use anyhow::{Context, Result, bail};
use arc_solver::dsl::registry;
use arc_solver::eval::EvalReport;
use arc_solver::guide::export::{self, ExportConfig};
use arc_solver::guide::model::NetConfig;
use arc_solver::guide::synth::{InputPool, SynthTask};
use arc_solver::guide::train::{TrainConfig, hindsight, train};
use arc_solver::guide::{GuideMeta, NeuralGuide};
use arc_solver::task::{Task, load_dataset};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Hindsight examples from an ARC-AGI-1 training report (none without one).
pub(crate) fn hindsight_examples(tasks: &[Task], report: Option<&std::path::Path>) -> Result<Vec<SynthTask>> {
    let Some(path) = report else { return Ok(Vec::new()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let report: EvalReport = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    if report.dataset != "arc-agi-1" || report.split != "training" {
        bail!("hindsight examples come from ARC-AGI-1 training reports only, not {}/{}", report.dataset, report.split);
    }
    let programs = report.tasks.iter().filter(|t| t.solved).filter_map(|t| Some((t.id.clone(), t.program.clone()?))).collect();
    Ok(hindsight(tasks, &programs))
}

/// The data description saved with a guide.
pub(crate) fn data_description(max_prims: usize, seed: u64, n_tasks: usize, n_hind: usize, report: Option<&std::path::Path>) -> String {
    format!(
        "synthetic tasks: random programs of 1..={max_prims} primitives (seed {seed}) on input grids of the {n_tasks} \
         ARC-AGI-1 training tasks and generated grids; validation held out by program hash; {n_hind} hindsight examples \
         (training tasks labelled by programs the search found{})",
        report.map(|p| format!(", from {}", p.display())).unwrap_or_default()
    )
}

pub(crate) fn export_guide_data(cfg: ExportConfig, report: Option<&std::path::Path>, out: &std::path::Path) -> Result<()> {
    let ds = load_dataset("arc-agi-1", "training")?;
    let pool = InputPool::from_tasks(&ds.tasks);
    let hind = hindsight_examples(&ds.tasks, report)?;
    let (train, val) = export::draw_split(&cfg, &pool);
    let vocab: Vec<&str> = registry().prims.iter().map(|p| p.name).collect();
    let description = data_description(cfg.max_prims, cfg.seed, ds.tasks.len(), hind.len(), report);
    let counts = export::write(out, &vocab, &description, &cfg, [&train, &val, &hind])
        .with_context(|| format!("writing {}", out.display()))?;
    say!("exported to {}: {counts:?}", out.display());
    Ok(())
}

pub(crate) fn adopt_guide(weights: &std::path::Path, record: &std::path::Path, out: &std::path::Path, fresh_val: usize) -> Result<()> {
    let ds = load_dataset("arc-agi-1", "training")?;
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let adopted = export::adopt(weights, record, out, &ds.tasks, fresh_val, &command)?;
    if let Some((loss, recall)) = adopted.fresh {
        say!("fresh validation ({fresh_val} tasks, stream {}): loss {loss:.4}, top-5 recall {recall:.4}", export::FRESH_VAL_STREAM);
    }
    say!("guide written to {}.{{safetensors,json}} (sha256 {}); {:?}", out.display(), adopted.meta.sha256, adopted.meta.metrics);
    Ok(())
}

pub(crate) fn train_guide(cfg: TrainConfig, net: NetConfig, out: &std::path::Path, hindsight_report: Option<&std::path::Path>) -> Result<()> {
    let device = tch::Device::cuda_if_available();
    let ds = load_dataset("arc-agi-1", "training")?;
    let pool = InputPool::from_tasks(&ds.tasks);
    let hind = hindsight_examples(&ds.tasks, hindsight_report)?;
    note!("training on {device:?}: {} steps of {} tasks, {} hindsight examples", cfg.steps, cfg.batch, hind.len());
    let bar = ProgressBar::new(cfg.steps as u64);
    bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} steps {msg} [{elapsed_precise}, ETA {eta}]").expect("template"));
    // Without a terminal (logs, CI) the bar is hidden: print each validation instead.
    let log_lines = !std::io::stderr().is_terminal();
    let (vs, _net, metrics) = train(&cfg, net, &pool, &hind, device, &mut |step, m| {
        bar.set_position(step as u64);
        let msg = format!("loss {:.4} | val loss {:.4}, top-5 recall {:.3}", m.train_loss, m.val_loss, m.val_top5_recall);
        if log_lines && m.step == step {
            note!("step {step}/{}: {msg}", cfg.steps);
        }
        bar.set_message(msg);
    });
    bar.finish();
    let meta = GuideMeta {
        vocab: registry().prims.iter().map(|p| p.name.to_string()).collect(),
        net,
        train: cfg.clone(),
        data: data_description(cfg.max_prims, cfg.seed, ds.tasks.len(), hind.len(), hindsight_report),
        metrics,
        command: std::env::args().collect::<Vec<_>>().join(" "),
        sha256: String::new(),
    };
    let meta = NeuralGuide::save(&vs, meta, out)?;
    say!("guide written to {}.{{safetensors,json}} (sha256 {}); {:?}", out.display(), meta.sha256, meta.metrics);
    Ok(())
}
