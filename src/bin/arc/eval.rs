//! `arc eval` (a dataset solved, scored and summarised), `arc merge` (shards' reports or
//! submissions joined) and `arc report` (the HTML page of reports).

use crate::{Done, Usage, clip};
use crate::interrupt;
use crate::cli::{SolverName, Split};
use crate::files::{Outputs, check_distinct, check_writable, read_json, write_json, write_outputs};
use crate::solver_args::SolverArgs;
use anyhow::{Context, Result, bail};
use arc_solver::eval::journal::{self, Head, Journal, JournalError};
use arc_solver::eval::{EvalReport, Partial, Submission, TaskReport, merge, merge_submissions, peak_rss_mb, run_dataset};
use arc_solver::select::{Entry, Selection, dataset_id, entries, missing_tasks};
use arc_solver::task::load_dataset;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The guide a solver will read, when it uses one.
pub(crate) fn guide_used(args: &SolverArgs, guide: Option<&Path>) -> Result<Option<arc_solver::eval::GuideUsed>> {
    if args.no_guide || args.solver != SolverName::Search {
        return Ok(None);
    }
    let prefix = arc_solver::guide::find_prefix(guide)?;
    let meta = arc_solver::guide::read_meta(&prefix)?;
    Ok(Some(arc_solver::eval::GuideUsed { path: prefix.display().to_string(), sha256: meta.sha256 }))
}

/// The files a run reads: the dataset's (a named dataset's bundle, a folder's task files, a file
/// and the Kaggle solutions beside it) and the guide's, each with what it is.
fn input_files(dataset: &str, guide: Option<&Path>, args: &SolverArgs) -> Vec<(&'static str, PathBuf)> {
    let mut files = Vec::new();
    if let Some((_, bundle)) = arc_solver::task::DATASETS.iter().find(|(n, _)| *n == dataset) {
        files.push(("the dataset's file", arc_solver::task::data_dir().join(bundle)));
    } else {
        let path = Path::new(dataset);
        if path.is_dir() {
            let tasks = std::fs::read_dir(path).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path()));
            files.extend(tasks.map(|p| ("a task file of the dataset", p)));
        } else {
            files.push(("the dataset's file", path.to_path_buf()));
            files.extend(arc_solver::task::solutions_beside(path).map(|p| ("the dataset's solutions file", p)));
        }
    }
    if !args.no_guide && args.solver == SolverName::Search {
        let (w, j) = arc_solver::guide::paths(&arc_solver::guide::prefix_or_default(guide));
        files.extend([("the guide's weights", w), ("the guide's metadata", j)]);
    }
    files
}

/// Checks `arc eval`'s outputs before any solving: each writable, no two one file, none an input.
fn check_outputs(outputs: &Outputs, journal: Option<&Path>, inputs: &[(&'static str, PathBuf)]) -> Result<()> {
    let named: Vec<(&str, &Path)> =
        [("--out", outputs.report.as_deref()), ("--submission", outputs.submission.as_deref()), ("--html", outputs.html.as_deref()), ("the journal", journal)]
            .into_iter()
            .filter_map(|(flag, p)| p.map(|p| (flag, p)))
            .collect();
    for (flag, p) in &named {
        check_writable(p, flag)?;
    }
    let inputs: Vec<(&str, &Path)> = inputs.iter().map(|(what, p)| (*what, p.as_path())).collect();
    check_distinct(&named, &inputs)
}

/// A dataset as a report names it: a named one by its name, a path made absolute (so that `arc
/// report` finds its grids from any folder).
fn dataset_name(dataset: &str) -> String {
    if arc_solver::task::DATASETS.iter().any(|(n, _)| *n == dataset) {
        return dataset.to_string();
    }
    std::path::absolute(dataset).map_or_else(|_| dataset.to_string(), |p| p.display().to_string())
}

/// The journal beside `--out`: a new one, or with `--resume` the interrupted run's (a usage
/// error when one is there and `--resume` is not given: it would be lost).
fn open_journal(path: &Path, head: &Head, resume: bool) -> Result<Journal> {
    if path.exists() {
        if !resume {
            bail!(Usage(format!(
                "{} holds the finished tasks of an interrupted run: continue it with --resume (the same command), or remove it to start again",
                path.display()
            )));
        }
        return Journal::resume(path, head).map_err(|e| match e {
            JournalError::OtherRun(..) => anyhow::Error::new(Usage(e.to_string())),
            e => e.into(),
        });
    }
    if resume {
        note!("arc: no journal at {}: nothing to resume, starting from the first task", path.display());
    }
    Ok(Journal::create(path, head)?)
}

/// `arc eval`: solve, journal each task as it finishes (with `--out`), write the outputs, then
/// print the summary. With `--resume`, the tasks in the journal are not solved again.
#[allow(clippy::too_many_arguments)]
pub(crate) fn eval(dataset: &str, split: Split, jobs: usize, select: &Selection, outputs: Outputs, args: &SolverArgs, guide: Option<&Path>, resume: bool) -> Result<Done> {
    let journal_path = outputs.report.as_deref().map(journal::path_for);
    if resume && journal_path.is_none() {
        bail!(Usage("--resume continues the run journaled beside its --out report: give the same --out".into()));
    }
    check_outputs(&outputs, journal_path.as_deref(), &input_files(dataset, guide, args))?;
    let ds = load_dataset(dataset, split.as_str())?;
    let name = ds.name.clone();
    let all = entries(&ds);
    let id = dataset_id(&all);
    let picked = match select.pick(all) {
        Ok(picked) => picked,
        Err(missing) => bail!("{}", missing_tasks(&missing, dataset, split.as_str(), &ds)),
    };
    if let Some(shard) = select.shard {
        note!("arc: shard {shard}: {} of {} tasks", picked.entries.len(), picked.before_shard);
    }
    let (mut tasks, mut skipped) = (Vec::new(), Vec::new());
    for e in picked.entries {
        match e {
            Entry::Task(t) => tasks.push(t),
            Entry::Skipped(id, reason) => {
                note!("arc: skipped: {reason}");
                skipped.push(TaskReport::skipped(&id, reason));
            }
        }
    }
    let unscored: Vec<&str> = tasks.iter().filter(|t| arc_solver::task::test_outputs(t).is_err()).map(|t| t.id.as_str()).collect();
    if !unscored.is_empty() {
        note!(
            "arc: {} of {} tasks have a test output missing: they are solved but not scored ({})",
            unscored.len(),
            tasks.len(),
            clip(&unscored.join(", "), 200)
        );
    }
    let used = guide_used(args, guide)?;
    let solver = args.build(guide)?;
    let dataset = dataset_name(dataset);
    // What makes the report from the finished tasks: also the partial one an interrupt writes.
    let report_of = {
        let planned: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
        let (solver_name, budget) = (solver.name(), solver.budget());
        let (dataset, split, id, used, select, skipped) = (dataset.clone(), split.as_str(), id.clone(), used.clone(), select.clone(), skipped.clone());
        move |mut tasks: Vec<TaskReport>, stopped_by: Option<&str>| {
            tasks.retain(|t| planned.contains(&t.id));
            let missing: Vec<String> = planned.iter().filter(|id| !tasks.iter().any(|t| &t.id == *id)).cloned().collect();
            let tasks_planned = planned.len() + skipped.len();
            tasks.extend(skipped.iter().cloned());
            tasks.sort_by(|a, b| a.id.cmp(&b.id));
            let mut r = EvalReport::of_tasks(&dataset, split, &solver_name, &budget, jobs, peak_rss_mb(), tasks);
            r.shard = select.shard;
            r.guide = used.clone();
            r.dataset_id = Some(id.clone());
            r.selection = Some(select.record());
            r.partial = stopped_by.map(|by| Partial { stopped_by: by.into(), tasks_planned, missing });
            r
        }
    };
    let journal = match &journal_path {
        Some(path) => {
            let head = Head::new(&dataset, split.as_str(), &id, select.record(), select.shard, &solver.name(), &solver.budget(), args.options(), used);
            let j = std::sync::Arc::new(open_journal(path, &head, resume)?);
            let done = j.entries().len();
            if done > 0 {
                note!("arc: resuming: {done} of {} tasks done, from {}", tasks.len(), path.display());
            }
            let out = outputs.report.clone().expect("a journal is beside --out");
            interrupt::write_partial_on_signal(j.clone(), out, report_of.clone())?;
            Some(j)
        }
        None => None,
    };
    let done: Vec<TaskReport> = journal.as_ref().map(|j| j.entries()).unwrap_or_default();
    tasks.retain(|t| !done.iter().any(|d| d.id == t.id));
    let ds = arc_solver::task::Dataset { name: name.clone(), tasks, errors: Vec::new() };
    let n = ds.tasks.len() + done.len();
    let bar = ProgressBar::new(n as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} tasks, {msg} solved [{elapsed_precise}, ETA {eta}]")
            .expect("progress template"),
    );
    let solved = AtomicUsize::new(done.iter().filter(|t| t.solved).count());
    let finished = AtomicUsize::new(done.len());
    bar.set_message(solved.load(Ordering::Relaxed).to_string());
    bar.set_position(done.len() as u64);
    // Without a terminal (logs, CI, a pipe) the bar is hidden: a line per task instead.
    let log_lines = !std::io::stderr().is_terminal();
    let reports = run_dataset(solver.as_ref(), &ds, jobs, &|r: &TaskReport| {
        if let Some(j) = &journal {
            j.append(r);
        }
        let s = solved.fetch_add(r.solved as usize, Ordering::Relaxed) + r.solved as usize;
        let k = finished.fetch_add(1, Ordering::Relaxed) + 1;
        if log_lines {
            let verdict = if !r.scored { "done" } else if r.solved { "solved" } else { "not solved" };
            note!("arc: [{k}/{n}] {} {verdict} (stop {}, work {}, {:.0} ms CPU); {s} solved so far", r.id, r.stop_reason, r.work, r.cpu_ms);
        }
        bar.set_message(s.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    // From here on an interrupt waits (the journal's lock is held): the run is complete.
    let held = journal.as_ref().map(|j| j.lock());
    if let Some(failure) = held.as_ref().and_then(|s| s.failure.clone()) {
        note!("arc: warning: the journal could not be written ({failure}): an interrupt would have lost tasks");
    }
    let n_skipped = skipped.len();
    let report = report_of(done.into_iter().chain(reports).collect(), None);
    let name = match select.shard {
        Some(s) => format!("{name} (shard {s})"),
        None => name,
    };
    // The files first, then the summary: a failing stdout cannot cost them.
    let written = write_outputs(&report, &outputs);
    if let (Ok(()), Some(j)) = (&written.result, &journal) {
        // The report holds every task: the journal is done with.
        std::fs::remove_file(j.path()).with_context(|| format!("removing {}", j.path().display()))?;
    }
    drop(held);
    print_summary(&name, &report);
    written.report()?;
    Ok(if n_skipped > 0 { Done::Skipped(n_skipped) } else { Done::Ok })
}

/// The HTML report of runs, with the grids of the first run's tasks from its dataset.
pub(crate) fn html_page(reports: &[EvalReport]) -> Result<String> {
    let Some(main) = reports.first() else { bail!("no report") };
    let ds = match load_dataset(&main.dataset, &main.split) {
        Ok(ds) => Some(ds),
        Err(e) => {
            note!("arc: the report's tasks are drawn without their grids: {e}");
            None
        }
    };
    let find = |id: &str| ds.as_ref().and_then(|d| d.get(id).cloned());
    Ok(arc_solver::html::report_page(reports, &find))
}

/// JSON values read from `paths` as `T`, or which file is not `what`.
pub(crate) fn from_values<T: serde::de::DeserializeOwned>(values: Vec<serde_json::Value>, paths: &[PathBuf], what: &str) -> Result<Vec<T>> {
    values
        .into_iter()
        .zip(paths)
        .map(|(v, p)| serde_json::from_value(v).with_context(|| format!("{} is not {what}", p.display())))
        .collect()
}

/// `arc merge`: reports into a report (and its submission), or submissions into a submission.
pub(crate) fn merge_cmd(inputs: &[PathBuf], outputs: Outputs) -> Result<()> {
    if outputs.report.is_none() && outputs.submission.is_none() && outputs.html.is_none() {
        bail!("nothing to write: give --out (a merged report) and/or --submission");
    }
    let inputs: Vec<(&str, PathBuf)> = inputs.iter().map(|p| ("the input", p.clone())).collect();
    check_outputs(&outputs, None, &inputs)?;
    let inputs: Vec<PathBuf> = inputs.into_iter().map(|(_, p)| p).collect();
    let inputs = inputs.as_slice();
    let values: Vec<serde_json::Value> = inputs.iter().map(|p| read_json(p)).collect::<Result<_>>()?;
    let is_report = |v: &serde_json::Value| v.get("tasks").is_some_and(|t| t.is_array()) && v.get("dataset").is_some();
    if values.iter().all(is_report) {
        let reports: Vec<EvalReport> = from_values(values, inputs, "an arc eval report")?;
        let checked = check_against_data(&reports, inputs)?;
        let merged = merge(reports)?;
        if let Some(tasks) = checked {
            // Every task of the selection once: no shard lost a task or holds one of another.
            let ids: Vec<&str> = merged.tasks.iter().map(|t| t.id.as_str()).collect();
            if ids != tasks.iter().map(String::as_str).collect::<Vec<_>>() {
                let missing: Vec<&String> = tasks.iter().filter(|t| !ids.contains(&t.as_str())).collect();
                bail!("the shards do not hold the selection's {} tasks: {} merged, missing {missing:?}", tasks.len(), ids.len());
            }
        }
        let named = arc_solver::task::DATASETS.iter().any(|(n, _)| *n == merged.dataset);
        let name = if named { format!("{}/{}", merged.dataset, merged.split) } else { merged.dataset.clone() };
        let written = write_outputs(&merged, &outputs);
        print_summary(&format!("{name} (merged from {} reports)", inputs.len()), &merged);
        return written.report();
    }
    if values.iter().any(is_report) {
        bail!("give reports only, or submissions only, not both");
    }
    if outputs.report.is_some() {
        bail!("--out writes a merged report, which needs the shards' reports, not their submissions");
    }
    let parts: Vec<Submission> = from_values(values, inputs, "an arc eval report or a Kaggle submission")?;
    let merged = merge_submissions(parts)?;
    let path = outputs.submission.expect("checked above");
    write_json(&path, &merged, false)?;
    say!("submission written to {} ({})", path.display(), crate::list::count(merged.len(), "task"));
    Ok(())
}

/// Re-scores every report's verdicts from its attempts when its data is at hand (the dataset it
/// names loads here with the identity it records): the ids the selection picks then, for the
/// merge to check. `None` when the data is not at hand (said on stderr).
fn check_against_data(reports: &[EvalReport], paths: &[PathBuf]) -> Result<Option<Vec<String>>> {
    let Some(first) = reports.first() else { return Ok(None) };
    let Some(id) = &first.dataset_id else {
        note!("arc: the reports record no dataset identity (made before it was recorded): verdicts taken as they are");
        return Ok(None);
    };
    let ds = match load_dataset(&first.dataset, &first.split) {
        Ok(ds) => ds,
        Err(e) => {
            note!("arc: the data is not at hand ({e}): verdicts taken as they are, not re-scored");
            return Ok(None);
        }
    };
    let all = entries(&ds);
    if dataset_id(&all) != *id {
        note!("arc: {} has changed since these runs (its identity differs): verdicts not re-scored", first.dataset);
        return Ok(None);
    }
    for (r, p) in reports.iter().zip(paths) {
        arc_solver::eval::rescore(r, &ds.tasks).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    }
    let selection = first.selection.clone().unwrap_or_default();
    let select = Selection { only: selection.only, limit: selection.limit, shard: None };
    let picked = select.pick(all).map_err(|missing| anyhow::anyhow!("the selection names tasks not in the data: {missing:?}"))?;
    Ok(Some(picked.entries.iter().map(|e| e.id().to_string()).collect()))
}

pub(crate) fn print_summary(name: &str, r: &EvalReport) {
    let mut stops: std::collections::BTreeMap<String, usize> = Default::default();
    for t in r.tasks.iter().filter(|t| t.skipped.is_none()) {
        *stops.entry(t.stop_reason.to_string()).or_default() += 1;
    }
    say!("{name}  solver {} (budget {}), {} jobs", r.solver, r.budget, r.jobs);
    let scored = r.tasks_scored();
    if r.tasks_unscored > 0 {
        say!("  {} of {} tasks not scored: their test outputs are not known (no solutions)", r.tasks_unscored, r.tasks_total);
    }
    if scored > 0 {
        print_scores(r, scored);
    }
    say!(
        "  CPU {:.1} s total, per task median {:.0} ms, max {:.0} ms; peak memory {:.0} MiB",
        r.cpu_seconds, r.cpu_ms_median, r.cpu_ms_max, r.peak_rss_mb
    );
    if r.tasks_skipped > 0 {
        say!("  {} of {} tasks skipped (they could not be loaded), counted unsolved:", r.tasks_skipped, r.tasks_total);
        for t in r.tasks.iter().filter(|t| t.skipped.is_some()) {
            say!("    {}: {}", t.id, t.skipped.as_deref().unwrap_or_default());
        }
    }
    say!("  stop reasons: {}", stops.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "));
    for t in r.tasks.iter().filter(|t| t.fault.is_some()) {
        say!("  FAULT in task {} (a panic inside the solver, a bug): {}", t.id, t.fault.as_deref().unwrap_or_default());
    }
}

/// Both scores, over the scored tasks.
pub(crate) fn print_scores(r: &EvalReport, scored: usize) {
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    say!("  tasks solved (all test outputs, 2 attempts)  {:>4}/{:<4} {:6.2}%", r.tasks_solved, scored, pct(r.tasks_solved, scored));
    say!("  test outputs right                           {:>4}/{:<4} {:6.2}%", r.outputs_right, r.outputs_total, pct(r.outputs_right, r.outputs_total));
    say!("  ARC Prize score (mean per-task fraction)            {:6.2}%", 100.0 * r.score);
}
