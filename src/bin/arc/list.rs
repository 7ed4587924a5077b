//! `arc list`: a dataset split's task ids with their demonstration and test counts and grid
//! sizes, filtered by a report's verdicts when asked; and the near-miss suggestions for a task
//! id that is nowhere (`task_near_miss`).

use crate::files::read_json;
use anyhow::{Result, bail};
use arc_solver::eval::{EvalReport, TaskReport};
use arc_solver::select::{Entry, entries, near_id};
use arc_solver::task::{DATASETS, Task, load_dataset, lookup_datasets};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Which tasks a report picks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    All,
    Solved,
    Unsolved,
}

/// One line of `arc list --json`.
#[derive(Serialize)]
struct Row {
    id: String,
    demos: usize,
    tests: usize,
    /// Every demonstration's input and output size, `HxW` (rows × columns), in order.
    demo_sizes: Vec<[String; 2]>,
    /// Every test input's size.
    test_sizes: Vec<String>,
    /// Why the task could not be loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<String>,
    /// With `--report`: `solved`, `unsolved`, `skipped`, `unscored` or `not in the report`.
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<String>,
}

fn size(g: &arc_solver::Grid) -> String {
    let (h, w) = g.shape();
    format!("{h}x{w}")
}

/// `a` when every size is `a`, else `smallest..largest` (by cells).
fn span(sizes: &[String]) -> String {
    let cells = |s: &String| s.split('x').map(|n| n.parse::<usize>().unwrap_or(0)).product::<usize>();
    let lo = sizes.iter().min_by_key(|s| (cells(s), *s));
    let hi = sizes.iter().max_by_key(|s| (cells(s), *s));
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo == hi => lo.clone(),
        (Some(lo), Some(hi)) => format!("{lo}..{hi}"),
        _ => "-".to_string(),
    }
}

fn row(task: &Task) -> Row {
    Row {
        id: task.id.clone(),
        demos: task.train.len(),
        tests: task.test.len(),
        demo_sizes: task.train.iter().map(|p| [size(&p.input), size(&p.output)]).collect(),
        test_sizes: task.test.iter().map(|t| size(&t.input)).collect(),
        skipped: None,
        report: None,
    }
}

/// A report's word for a task.
fn status(t: &TaskReport) -> &'static str {
    if t.skipped.is_some() {
        "skipped"
    } else if !t.scored {
        "unscored"
    } else if t.solved {
        "solved"
    } else {
        "unsolved"
    }
}

/// `n thing` or `n things`.
pub(crate) fn count(n: usize, thing: &str) -> String {
    if n == 1 { format!("{n} {thing}") } else { format!("{n} {thing}s") }
}

/// `arc list`: `dataset`/`split` default to the report's, else `arc-agi-1`/`evaluation`.
pub(crate) fn list(dataset: Option<&str>, split: Option<&str>, report: Option<&Path>, filter: Filter, json: bool) -> Result<()> {
    let report: Option<EvalReport> = report.map(read_json).transpose()?;
    if filter != Filter::All && report.is_none() {
        bail!(crate::Usage("--solved and --unsolved need --report r.json (an `arc eval --out` report)".into()));
    }
    let dataset = dataset.or(report.as_ref().map(|r| r.dataset.as_str())).unwrap_or("arc-agi-1");
    let split = split.or(report.as_ref().map(|r| r.split.as_str())).unwrap_or("evaluation");
    let ds = load_dataset(dataset, split)?;
    let verdicts: Option<BTreeMap<&str, &'static str>> = report.as_ref().map(|r| r.tasks.iter().map(|t| (t.id.as_str(), status(t))).collect());
    if let Some(r) = &report
        && (r.dataset != dataset || r.split != split)
    {
        note!("arc: the report is of {} --split {}, the list of {dataset} --split {split}: tasks matched by id", r.dataset, r.split);
    }
    let mut rows = Vec::new();
    for e in entries(&ds) {
        let mut r = match &e {
            Entry::Task(t) => row(t),
            Entry::Skipped(id, why) => Row { id: id.clone(), demos: 0, tests: 0, demo_sizes: vec![], test_sizes: vec![], skipped: Some(why.clone()), report: None },
        };
        if let Some(v) = &verdicts {
            let word = v.get(r.id.as_str()).copied().unwrap_or("not in the report");
            let keep = match filter {
                Filter::All => true,
                Filter::Solved => word == "solved",
                Filter::Unsolved => word == "unsolved" || word == "skipped",
            };
            if !keep {
                continue;
            }
            r.report = Some(word.to_string());
        }
        rows.push(r);
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for r in &rows {
            say!("{}", line(r));
        }
    }
    let which = match filter {
        Filter::All => "",
        Filter::Solved => " solved in the report",
        Filter::Unsolved => " unsolved in the report",
    };
    note!("{}{which} ({} in {})", count(rows.len(), "task"), ds.tasks.len() + ds.errors.len(), ds.name);
    Ok(())
}

/// A task's line: id, counts, input and output sizes, and the report's word.
fn line(r: &Row) -> String {
    let word = r.report.as_deref().map(|w| format!("  {w}")).unwrap_or_default();
    if let Some(why) = &r.skipped {
        return format!("{}  could not be loaded: {why}{word}", r.id);
    }
    let inputs: Vec<String> = r.demo_sizes.iter().map(|[i, _]| i.clone()).collect();
    let outputs: Vec<String> = r.demo_sizes.iter().map(|[_, o]| o.clone()).collect();
    format!("{}  {:<8} {:<7}  {} -> {}{word}", r.id, count(r.demos, "demo"), count(r.tests, "test"), span(&inputs), span(&outputs))
}

/// A line to add to "no task ID in ..." errors: the ids nearest to `id` in `dataset` (both
/// splits of a named dataset; a path's tasks), or in the datasets an id is looked up in.
pub(crate) fn task_near_miss(id: &str, dataset: Option<&str>) -> String {
    let mut ids: Vec<String> = Vec::new();
    let named: Vec<&str> = match dataset {
        Some(d) if DATASETS.iter().any(|(n, _)| *n == d) => vec![d],
        Some(d) => {
            ids.extend(load_dataset(d, "evaluation").map(|ds| ds.tasks.into_iter().map(|t| t.id)).into_iter().flatten());
            vec![]
        }
        None => lookup_datasets().collect(),
    };
    for name in named {
        for split in ["training", "evaluation"] {
            ids.extend(load_dataset(name, split).map(|ds| ds.tasks.into_iter().map(|t| t.id)).into_iter().flatten());
        }
    }
    near_id(id, ids.iter().map(String::as_str)).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_counts() {
        assert_eq!(span(&["3x3".into(), "3x3".into()]), "3x3");
        assert_eq!(span(&["10x10".into(), "3x4".into(), "9x2".into()]), "3x4..10x10");
        assert_eq!(count(1, "test"), "1 test");
        assert_eq!(count(2, "test"), "2 tests");
        assert_eq!(count(0, "task"), "0 tasks");
    }
}
