//! Merging the reports (or submissions) of the shards of one run, with every shard checked to be
//! of the same run and data, and its verdicts re-scored from its attempts when the data is known.

use super::{EvalReport, Shard, Submission, TaskReport};
use crate::score::{Verdict, verdict};
use crate::task::Task;

/// Merges the reports of the shards of one run into the report of the whole run: the same
/// tasks in the same order (by id), scores and summaries recomputed; CPU figures are summed,
/// the peak memory is the largest. Every shard `0..N` must be there once, and all must be runs
/// of the same dataset, split, solver and budget, of the same data (`dataset_id`) and selection,
/// and none partial (an interrupted shard is finished with `arc eval ... --resume` first).
pub fn merge(reports: Vec<EvalReport>) -> anyhow::Result<EvalReport> {
    use anyhow::bail;
    let Some(first) = reports.first() else { bail!("nothing to merge") };
    for r in &reports {
        if let Some(p) = &r.partial {
            let shard = r.shard.map_or("a whole run".to_string(), |s| format!("shard {s}"));
            bail!(
                "the report of {shard} is partial (interrupted by {}, {} of {} tasks missing): finish it with the same `arc eval` command and --resume",
                p.stopped_by,
                p.missing.len(),
                p.tasks_planned
            );
        }
        if r.dataset_id != first.dataset_id {
            let id = |r: &EvalReport| r.dataset_id.clone().map_or("none recorded".into(), |s| s.chars().take(12).collect::<String>());
            bail!("reports of different data: dataset identity {} and {} (the shards read different task files)", id(first), id(r));
        }
        if r.selection != first.selection {
            bail!("reports of different task selections (--tasks, --limit): {:?} and {:?}", first.selection, r.selection);
        }
    }
    let key = |r: &EvalReport| (r.dataset.clone(), r.split.clone(), r.solver.clone(), r.budget.clone());
    for r in &reports {
        if key(r) != key(first) {
            bail!("reports of different runs: {:?} and {:?} (dataset, split, solver, budget)", key(first), key(r));
        }
    }
    let shards: Vec<Option<Shard>> = reports.iter().map(|r| r.shard).collect();
    if let Some(Some(s0)) = shards.first() {
        let mut ks: Vec<usize> = Vec::new();
        for s in &shards {
            match s {
                Some(s) if s.n == s0.n => ks.push(s.k),
                _ => bail!("reports of different shardings: {} and {}", s0, s.map_or("a whole run".into(), |s| s.to_string())),
            }
        }
        ks.sort();
        if ks != (0..s0.n).collect::<Vec<_>>() {
            let missing: Vec<String> = (0..s0.n).filter(|k| !ks.contains(k)).map(|k| format!("{k}/{}", s0.n)).collect();
            bail!("shards of {} each once: have {ks:?}, missing {}", s0.n, if missing.is_empty() { "none (some twice)".into() } else { missing.join(", ") });
        }
    } else if reports.len() > 1 {
        bail!("the first report is a whole run, not a shard: nothing to merge it with");
    }
    let (dataset, split, solver, budget, jobs) = (first.dataset.clone(), first.split.clone(), first.solver.clone(), first.budget.clone(), first.jobs);
    let guide = first.guide.clone();
    let (dataset_id, selection) = (first.dataset_id.clone(), first.selection.clone());
    let peak = reports.iter().map(|r| r.peak_rss_mb).fold(0.0, f64::max);
    let mut tasks: Vec<TaskReport> = reports.into_iter().flat_map(|r| r.tasks).collect();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = tasks.windows(2).find(|w| w[0].id == w[1].id) {
        bail!("task {} is in more than one report", w[0].id);
    }
    let mut merged = EvalReport::of_tasks(&dataset, &split, &solver, &budget, jobs, peak, tasks);
    merged.guide = guide;
    merged.dataset_id = dataset_id;
    merged.selection = selection;
    Ok(merged)
}

/// Merges submissions (of shards): every task once.
pub fn merge_submissions(parts: Vec<Submission>) -> anyhow::Result<Submission> {
    let mut all = Submission::new();
    for part in parts {
        for (id, entry) in part {
            if all.insert(id.clone(), entry).is_some() {
                anyhow::bail!("task {id} is in more than one submission");
            }
        }
    }
    Ok(all)
}


/// Checks a report's verdicts against its attempts and the data: every scored task's verdicts,
/// `outputs_right` and `solved` must be what its attempts give against `tasks`' test outputs
/// (a hand-edited or damaged report is caught). The first task that differs, named.
pub fn rescore(report: &EvalReport, tasks: &[Task]) -> Result<(), String> {
    for t in report.tasks.iter().filter(|t| t.skipped.is_none() && t.scored) {
        let Some(task) = tasks.iter().find(|x| x.id == t.id) else {
            return Err(format!("task {} is not in the dataset", t.id));
        };
        let truths: Option<Vec<_>> = task.test.iter().map(|p| p.output.as_ref()).collect();
        let Some(truths) = truths else { return Err(format!("task {}: scored, but the dataset has no test outputs for it", t.id)) };
        let none = Vec::new();
        let verdicts: Vec<Verdict> = truths.iter().enumerate().map(|(i, o)| verdict(t.attempts.get(i).unwrap_or(&none), o)).collect();
        let right = verdicts.iter().filter(|v| **v == Verdict::Correct).count();
        if verdicts != t.verdicts || right != t.outputs_right || t.solved != (right == verdicts.len()) || t.outputs_total != verdicts.len() {
            return Err(format!(
                "task {}: its verdicts {:?} (solved: {}) are not what its attempts give against the data ({verdicts:?})",
                t.id, t.verdicts, t.solved
            ));
        }
    }
    Ok(())
}
