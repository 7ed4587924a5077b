//! The task harness: one trial per task (`task::<dataset>/<split>/<id>`) of ARC-AGI-1 training and
//! evaluation and of the second design set (`arc-agi-2-new/training`: the ARC-AGI-2 training tasks
//! that are not ARC-AGI-1 tasks), compared with the golden record of the budget in use, and a gate
//! per split (`gate::<dataset>/<split>`).
//!
//! Environment: `ARC_BUDGET` (default `test`), `ARC_SOLVER` (default: the crate's default
//! solver), `ARC_NO_GUIDE=1` (search without the neural guide), `ARC_BLESS=1` to record new results in `golden/` (`ARC_BLESS=force` also drops
//! tasks that are no longer solved — a regression, to be reported).

use arc_solver::eval::{TaskReport, run_task};
use arc_solver::golden::{Check, Golden, Record, check, gate, golden_path};
use arc_solver::render::{Style, compare};
use arc_solver::score::{Summary, TaskScore};
use arc_solver::solver::Solver;
use arc_solver::task::{Dataset, load_dataset};
use libtest_mimic::{Arguments, Failed, Trial};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SPLITS: &[(&str, &str)] = &[("arc-agi-1", "training"), ("arc-agi-1", "evaluation"), ("arc-agi-2-new", "training")];

struct Split {
    dataset: &'static str,
    split: &'static str,
    ds: Dataset,
    golden: Golden,
    path: PathBuf,
    /// One slot per task: each task is solved once per test run, by whichever trial needs it first.
    cache: Vec<OnceLock<TaskReport>>,
}

struct Ctx {
    solver: Box<dyn Solver>,
    splits: Vec<Split>,
    bless: Option<String>,
}

impl Split {
    fn report(&self, solver: &dyn Solver, i: usize) -> &TaskReport {
        self.cache[i].get_or_init(|| run_task(solver, &self.ds.tasks[i]).expect("the test outputs of these splits are all known"))
    }
}

fn bless_cmd() -> String {
    let env: String = ["ARC_BUDGET", "ARC_SOLVER", "ARC_NO_GUIDE"]
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| format!("{k}={v} ")))
        .collect();
    format!("ARC_BLESS=1 {env}cargo test --release --test tasks")
}

fn task_trial(ctx: &'static Ctx, s: &'static Split, i: usize) -> Result<(), Failed> {
    let r = s.report(ctx.solver.as_ref(), i);
    let task = &s.ds.tasks[i];
    let verdict = check(r.solved, &r.attempts, s.golden.solved.get(&task.id));
    let blessing = ctx.bless.is_some();
    let problem = match verdict {
        Check::StillSolved | Check::StillUnsolved => return Ok(()),
        Check::NewlySolved | Check::Changed if blessing => return Ok(()),
        Check::Regressed if ctx.bless.as_deref() == Some("force") => return Ok(()),
        Check::NewlySolved => format!("newly solved: not in the golden record yet; bless it with `{}`", bless_cmd()),
        Check::Changed => format!("still solved but the attempts changed; review, then `{}`", bless_cmd()),
        Check::Regressed => "REGRESSION: recorded as solved, not solved now".to_string(),
    };
    let mut msg = format!(
        "{problem}\nverdicts {:?}, stop reason {}, work {}, answer {}\n",
        r.verdicts,
        r.stop_reason,
        r.work,
        r.program.as_deref().unwrap_or("(none)")
    );
    if let Some(fault) = &r.fault {
        msg += &format!("FAULT (a panic inside the solver): {fault}\n");
    }
    for (k, t) in task.test.iter().enumerate() {
        msg += &format!("test[{k}]\n{}", compare(&t.input, t.output.as_ref(), r.attempts.get(k).and_then(|a| a.first()), Style::Plain));
    }
    if let Some(rec) = s.golden.solved.get(&task.id) {
        msg += &format!("recorded answers: {}\n", rec.answers.join("\n  "));
    }
    Err(msg.into())
}

fn gate_trial(ctx: &'static Ctx, s: &'static Split) -> Result<(), Failed> {
    (0..s.ds.tasks.len()).into_par_iter().for_each(|i| {
        s.report(ctx.solver.as_ref(), i);
    });
    let reports: Vec<&TaskReport> = (0..s.ds.tasks.len()).map(|i| s.report(ctx.solver.as_ref(), i)).collect();
    let scores: Vec<TaskScore> = reports.iter().map(|r| TaskScore { verdicts: r.verdicts.clone() }).collect();
    let summary = Summary::of(&scores);
    let solved = summary.tasks_solved;
    eprintln!(
        "{}/{}: {solved}/{} tasks solved, {}/{} test outputs right, ARC Prize score {:.2}% ({})",
        s.dataset,
        s.split,
        summary.tasks_total,
        summary.outputs_right,
        summary.outputs_total,
        100.0 * summary.score,
        ctx.solver.name()
    );
    let golden = if ctx.bless.is_some() { 0 } else { s.golden.solved.len() };
    match gate(solved, s.ds.tasks.len(), golden) {
        Ok(msg) => {
            eprintln!("gate {}/{}: {msg}", s.dataset, s.split);
            Ok(())
        }
        Err(msg) => Err(format!("gate {}/{} not reached: {msg}", s.dataset, s.split).into()),
    }
}

/// Records the results computed in this run into the golden files.
fn bless(ctx: &Ctx) {
    for s in &ctx.splits {
        let mut g = s.golden.clone();
        g.solver = ctx.solver.name();
        g.budget = ctx.solver.budget();
        g.tasks_total = s.ds.tasks.len();
        let (mut added, mut dropped) = (0, Vec::new());
        for (i, t) in s.ds.tasks.iter().enumerate() {
            let Some(r) = s.cache[i].get() else { continue };
            if r.solved {
                added += !g.solved.contains_key(&t.id) as usize;
                g.solved.insert(t.id.clone(), Record { answers: r.answers.clone(), attempts: r.attempts.clone() });
            } else if g.solved.contains_key(&t.id) {
                if ctx.bless.as_deref() == Some("force") {
                    g.solved.remove(&t.id);
                }
                dropped.push(t.id.clone());
            }
        }
        if g != s.golden {
            g.save(&s.path).expect("writing the golden record");
        }
        eprintln!(
            "blessed {}: {} solved ({added} new); no longer solved: {dropped:?}{}",
            s.path.display(),
            g.solved.len(),
            if dropped.is_empty() || ctx.bless.as_deref() == Some("force") { "" } else { " (kept: use ARC_BLESS=force to drop)" }
        );
    }
}

fn main() {
    let args = Arguments::from_args();
    arc_solver::guide::one_thread();
    let budget = std::env::var("ARC_BUDGET").unwrap_or_else(|_| "test".into());
    let mut spec = arc_solver::solvers::Spec::new(&budget);
    if let Ok(name) = std::env::var("ARC_SOLVER") {
        spec.name = name;
    }
    if std::env::var("ARC_NO_GUIDE").is_ok() {
        spec.guide = false;
    }
    let default_spec = spec.name == arc_solver::solvers::DEFAULT && spec.guide;
    let solver = arc_solver::solvers::build(&spec).expect("ARC_SOLVER / ARC_BUDGET / the shipped guide");
    // The default solver's records are per budget; any other solver keeps its own beside them.
    let variant = if default_spec { budget.clone() } else { format!("{budget}.{}", spec.name) + if spec.guide { "" } else { "-noguide" } };
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut splits = Vec::new();
    let mut trials = Vec::new();
    for &(dataset, split) in SPLITS {
        match load_dataset(dataset, split) {
            Ok(ds) => {
                let path = golden_path(&golden_dir, dataset, split, &variant);
                let golden = Golden::load(&path).expect("golden record");
                let cache = (0..ds.tasks.len()).map(|_| OnceLock::new()).collect();
                splits.push(Split { dataset, split, ds, golden, path, cache });
            }
            Err(e) => {
                let msg = e.to_string();
                trials.push(Trial::test(format!("setup::{dataset}/{split}"), move || Err(msg.into())));
            }
        }
    }
    let ctx: &'static Ctx = Box::leak(Box::new(Ctx { solver, splits, bless: std::env::var("ARC_BLESS").ok() }));
    for s in &ctx.splits {
        for (i, t) in s.ds.tasks.iter().enumerate() {
            trials.push(Trial::test(format!("task::{}/{}/{}", s.dataset, s.split, t.id), move || task_trial(ctx, s, i)));
        }
        if !s.ds.errors.is_empty() {
            let msg = s.ds.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
            trials.push(Trial::test(format!("load::{}/{}", s.dataset, s.split), move || Err(msg.into())));
        }
    }
    // Gates last, so that the task trials have filled most of the cache by the time they run.
    for s in &ctx.splits {
        trials.push(Trial::test(format!("gate::{}/{}", s.dataset, s.split), move || gate_trial(ctx, s)));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if ctx.bless.is_some() && !args.list {
        bless(ctx);
    }
    conclusion.exit();
}
