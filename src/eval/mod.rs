//! Running a solver over a dataset: in parallel, deterministic whatever the thread count,
//! with per-task CPU time and the process's peak memory.

use crate::grid::Grid;
use crate::score::{ScoreError, Summary, TaskScore, Verdict, score_task};
use crate::solver::{Solver, StopReason};
use crate::task::{Dataset, Task};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod journal;
mod merge;
mod shard;

pub use merge::{merge, merge_submissions, rescore};
pub use shard::Shard;

/// One task's outcome in a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskReport {
    pub id: String,
    /// Whether every test output was known, so the task could be scored (a Kaggle challenges
    /// file without its solutions gives unscored tasks: no verdicts, never solved).
    #[serde(default = "yes")]
    pub scored: bool,
    pub solved: bool,
    pub outputs_right: usize,
    pub outputs_total: usize,
    pub verdicts: Vec<Verdict>,
    /// The answer behind the first attempts, as text (it replays: `arc run "<answer>" <task>`).
    pub program: Option<String>,
    /// Every answer behind the attempts, in rank order (see [`crate::solver::Solution::answers`]).
    #[serde(default)]
    pub answers: Vec<String>,
    pub stop_reason: StopReason,
    /// With stop reason `fault`: the panic message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// Work counted by the solver (deterministic).
    pub work: u64,
    /// Test-time training steps of the guide run for this task (deterministic; not part of
    /// `work`, which counts the search's primitive applications only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ttt_steps: u64,
    /// Why the task was not solved at all: it could not be loaded (counted as unsolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// CPU time of the thread that solved it (not deterministic; for reports only).
    pub cpu_ms: f64,
    /// The attempts, per test input, best first (at most [`crate::solver::MAX_ATTEMPTS`] count).
    #[serde(default)]
    pub attempts: Vec<Vec<Grid>>,
}

fn yes() -> bool {
    true
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The guide a run used: where it was read from and its checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideUsed {
    pub path: String,
    pub sha256: String,
}

/// A whole run, as written by `arc eval --out`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvalReport {
    pub dataset: String,
    pub split: String,
    pub solver: String,
    pub budget: String,
    /// Every task in the run, scored or not, skipped or not.
    pub tasks_total: usize,
    /// Tasks that could not be loaded: counted in the scores as unsolved, listed in `tasks`
    /// with their reason.
    #[serde(default)]
    pub tasks_skipped: usize,
    /// Tasks without every test output known: solved but not scored (not in the scores, nor in
    /// `tasks_solved`); the scores are over `tasks_total - tasks_unscored` tasks.
    #[serde(default)]
    pub tasks_unscored: usize,
    pub tasks_solved: usize,
    /// ARC Prize score: mean over tasks of the fraction of test outputs right.
    pub score: f64,
    pub outputs_total: usize,
    pub outputs_right: usize,
    pub cpu_seconds: f64,
    pub cpu_ms_median: f64,
    pub cpu_ms_max: f64,
    pub peak_rss_mb: f64,
    pub jobs: usize,
    /// The neural guide used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<GuideUsed>,
    /// The slice of the dataset this run solved (`arc eval --shard K/N`); none for a whole run,
    /// or for the merge of all shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// The identity of the data the run read: a hash of every task of the dataset, its id and
    /// content, before any selection ([`crate::select::dataset_id`]); `arc merge` checks that
    /// every shard has the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// Which tasks of the dataset the run chose (`--tasks`, `--limit`; the shard is `shard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<SelectionRecord>,
    /// Set on the report of an interrupted run: what it did not finish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<Partial>,
    pub tasks: Vec<TaskReport>,
}

/// `--tasks` and `--limit` of a run, as its report records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionRecord {
    /// The ids asked for (none: every task).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// What an interrupted run did not finish (its report holds the tasks it did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Why it stopped, e.g. `SIGINT`.
    pub stopped_by: String,
    /// The tasks the run was to solve.
    pub tasks_planned: usize,
    /// The ids of those not finished, by id.
    pub missing: Vec<String>,
}

/// CPU time of the calling thread, in milliseconds.
pub fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own; CLOCK_THREAD_CPUTIME_ID is always valid on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

/// Peak resident memory of this process, in MiB.
pub fn peak_rss_mb() -> f64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    ru.ru_maxrss as f64 / 1024.0
}

/// Solves one task and scores it when every test output is known (else `scored` is false and
/// there are no verdicts). The attempts are padded to one list per test input.
pub fn solve_task(solver: &dyn Solver, task: &Task) -> TaskReport {
    let t0 = thread_cpu_ms();
    let mut sol = solver.solve(task);
    let cpu_ms = thread_cpu_ms() - t0;
    sol.attempts.resize(task.test.len(), Vec::new());
    let (scored, verdicts) = match score_task(task, &sol) {
        Ok(TaskScore { verdicts }) => (true, verdicts),
        Err(_) => (false, Vec::new()),
    };
    let right = verdicts.iter().filter(|v| **v == Verdict::Correct).count();
    TaskReport {
        id: task.id.clone(),
        scored,
        solved: scored && right == verdicts.len(),
        outputs_right: right,
        outputs_total: verdicts.len(),
        verdicts,
        program: sol.program(),
        answers: sol.answers.iter().map(|a| a.to_string()).collect(),
        fault: sol.fault,
        stop_reason: sol.stop_reason,
        work: sol.work,
        ttt_steps: sol.ttt_steps,
        skipped: None,
        cpu_ms,
        attempts: sol.attempts,
    }
}

impl TaskReport {
    /// The report of a task that could not be loaded: unsolved, with the reason.
    pub fn skipped(id: &str, reason: String) -> TaskReport {
        TaskReport {
            id: id.to_string(),
            scored: true,
            solved: false,
            outputs_right: 0,
            outputs_total: 0,
            verdicts: Vec::new(),
            program: None,
            answers: Vec::new(),
            stop_reason: StopReason::NotApplicable,
            fault: None,
            work: 0,
            ttt_steps: 0,
            skipped: Some(reason),
            cpu_ms: 0.0,
            attempts: Vec::new(),
        }
    }
}

/// Solves and scores one task; an error when a test output is unknown.
pub fn run_task(solver: &dyn Solver, task: &Task) -> Result<TaskReport, ScoreError> {
    if let Err(index) = crate::task::test_outputs(task) {
        return Err(ScoreError { task: task.id.clone(), index });
    }
    Ok(solve_task(solver, task))
}

/// Runs `solver` on every task with `jobs` threads; reports come back in dataset order, so the
/// result does not depend on `jobs`. `on_done` is called as each task finishes (any order).
/// Tasks without known test outputs are solved and left unscored.
pub fn run_dataset(solver: &dyn Solver, ds: &Dataset, jobs: usize, on_done: &(dyn Fn(&TaskReport) + Sync)) -> Vec<TaskReport> {
    // libtorch's own thread count is set where a thread builds its network (`guide::prior`).
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build().expect("rayon thread pool");
    pool.install(|| {
        ds.tasks
            .par_iter()
            .map(|t| {
                let r = solve_task(solver, t);
                on_done(&r);
                r
            })
            .collect()
    })
}

/// Both attempts for one test input, as Kaggle's submission format wants them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KaggleAttempts {
    pub attempt_1: Grid,
    pub attempt_2: Grid,
}

/// A Kaggle submission: per task id, per test input, two attempts.
pub type Submission = BTreeMap<String, Vec<KaggleAttempts>>;

/// What a submission holds where the solver gave no attempt: a 1×1 black grid.
pub fn blank_attempt() -> Grid {
    Grid::new(1, 1, 0).expect("a 1x1 grid is valid")
}

/// One task's entry in a Kaggle submission: both attempts for every test input. Kaggle wants two
/// attempts each: a missing second attempt repeats the first, and a test input without any
/// attempt gets a 1×1 black grid for both.
pub fn kaggle_entry(attempts: &[Vec<Grid>]) -> Vec<KaggleAttempts> {
    attempts
        .iter()
        .map(|atts| {
            let attempt_1 = atts.first().cloned().unwrap_or_else(blank_attempt);
            let attempt_2 = atts.get(1).cloned().unwrap_or_else(|| attempt_1.clone());
            KaggleAttempts { attempt_1, attempt_2 }
        })
        .collect()
}

/// The Kaggle submission of a run: every task, solved or not.
pub fn submission(tasks: &[TaskReport]) -> Submission {
    tasks.iter().map(|t| (t.id.clone(), kaggle_entry(&t.attempts))).collect()
}

/// Median of a list (0 when empty).
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

impl EvalReport {
    /// Builds the report of a run.
    pub fn new(dataset: &str, split: &str, solver: &dyn Solver, jobs: usize, tasks: Vec<TaskReport>) -> EvalReport {
        EvalReport::of_tasks(dataset, split, &solver.name(), &solver.budget(), jobs, peak_rss_mb(), tasks)
    }

    /// Builds a report from its tasks: the scores count scored tasks only.
    pub fn of_tasks(
        dataset: &str,
        split: &str,
        solver: &str,
        budget: &str,
        jobs: usize,
        peak_rss_mb: f64,
        tasks: Vec<TaskReport>,
    ) -> EvalReport {
        let scores: Vec<TaskScore> =
            tasks.iter().filter(|t| t.scored && t.skipped.is_none()).map(|t| TaskScore { verdicts: t.verdicts.clone() }).collect();
        let s = Summary::of(&scores);
        // Skipped tasks count as unsolved: in the denominators, with a score of 0.
        let skipped = tasks.iter().filter(|t| t.skipped.is_some()).count();
        let scored = s.tasks_total + skipped;
        let score = if scored == 0 { 0.0 } else { s.score * s.tasks_total as f64 / scored as f64 };
        let cpu: Vec<f64> = tasks.iter().map(|t| t.cpu_ms).collect();
        EvalReport {
            dataset: dataset.into(),
            split: split.into(),
            solver: solver.into(),
            budget: budget.into(),
            tasks_total: tasks.len(),
            tasks_skipped: skipped,
            tasks_unscored: tasks.len() - scored,
            tasks_solved: s.tasks_solved,
            score,
            outputs_total: s.outputs_total,
            outputs_right: s.outputs_right,
            cpu_seconds: cpu.iter().sum::<f64>() / 1e3,
            cpu_ms_median: median(&cpu),
            cpu_ms_max: cpu.iter().copied().fold(0.0, f64::max),
            peak_rss_mb,
            jobs,
            guide: None,
            shard: None,
            dataset_id: None,
            selection: None,
            partial: None,
            tasks,
        }
    }

    /// Tasks whose every test output was known (the scores are over these).
    pub fn tasks_scored(&self) -> usize {
        self.tasks_total - self.tasks_unscored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(v: i64) -> Grid {
        Grid::from_rows(&[vec![v]]).unwrap()
    }

    #[test]
    fn kaggle_entry_always_has_two_attempts() {
        let e = kaggle_entry(&[vec![g(1), g(2)], vec![g(3)], vec![]]);
        assert_eq!(e[0], KaggleAttempts { attempt_1: g(1), attempt_2: g(2) });
        assert_eq!(e[1], KaggleAttempts { attempt_1: g(3), attempt_2: g(3) });
        assert_eq!(e[2], KaggleAttempts { attempt_1: g(0), attempt_2: g(0) });
        let j = serde_json::to_string(&e[0]).unwrap();
        assert_eq!(j, r#"{"attempt_1":[[1]],"attempt_2":[[2]]}"#);
    }
}
