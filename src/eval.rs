//! Running a solver over a dataset: in parallel, deterministic whatever the thread count,
//! with per-task CPU time and the process's peak memory.

use crate::grid::Grid;
use crate::score::{ScoreError, Summary, TaskScore, Verdict, score_task};
use crate::solver::{Solver, StopReason};
use crate::task::{Dataset, Task};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One task's outcome in a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskReport {
    pub id: String,
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
    /// CPU time of the thread that solved it (not deterministic; for reports only).
    pub cpu_ms: f64,
    /// The attempts, per test input (kept for golden records and displays, not written to reports).
    #[serde(skip)]
    pub attempts: Vec<Vec<Grid>>,
}

/// A whole run, as written by `arc eval --out`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvalReport {
    pub dataset: String,
    pub split: String,
    pub solver: String,
    pub budget: String,
    pub tasks_total: usize,
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
    pub tasks: Vec<TaskReport>,
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

/// Solves and scores one task.
pub fn run_task(solver: &dyn Solver, task: &Task) -> Result<TaskReport, ScoreError> {
    let t0 = thread_cpu_ms();
    let sol = solver.solve(task);
    let cpu_ms = thread_cpu_ms() - t0;
    let TaskScore { verdicts } = score_task(task, &sol)?;
    let right = verdicts.iter().filter(|v| **v == Verdict::Correct).count();
    Ok(TaskReport {
        id: task.id.clone(),
        solved: right == verdicts.len(),
        outputs_right: right,
        outputs_total: verdicts.len(),
        verdicts,
        program: sol.program(),
        answers: sol.answers.iter().map(|a| a.to_string()).collect(),
        fault: sol.fault,
        stop_reason: sol.stop_reason,
        work: sol.work,
        cpu_ms,
        attempts: sol.attempts,
    })
}

/// Runs `solver` on every task with `jobs` threads; reports come back in dataset order, so the
/// result does not depend on `jobs`. `on_done` is called as each task finishes (any order).
pub fn run_dataset(
    solver: &dyn Solver,
    ds: &Dataset,
    jobs: usize,
    on_done: &(dyn Fn(&TaskReport) + Sync),
) -> Result<Vec<TaskReport>, ScoreError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .start_handler(|_| crate::guide::one_thread())
        .build()
        .expect("rayon thread pool");
    pool.install(|| {
        ds.tasks
            .par_iter()
            .map(|t| {
                let r = run_task(solver, t)?;
                on_done(&r);
                Ok(r)
            })
            .collect()
    })
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
        let scores: Vec<TaskScore> = tasks.iter().map(|t| TaskScore { verdicts: t.verdicts.clone() }).collect();
        let s = Summary::of(&scores);
        let cpu: Vec<f64> = tasks.iter().map(|t| t.cpu_ms).collect();
        EvalReport {
            dataset: dataset.into(),
            split: split.into(),
            solver: solver.name(),
            budget: solver.budget(),
            tasks_total: s.tasks_total,
            tasks_solved: s.tasks_solved,
            score: s.score,
            outputs_total: s.outputs_total,
            outputs_right: s.outputs_right,
            cpu_seconds: cpu.iter().sum::<f64>() / 1e3,
            cpu_ms_median: median(&cpu),
            cpu_ms_max: cpu.iter().copied().fold(0.0, f64::max),
            peak_rss_mb: peak_rss_mb(),
            jobs,
            tasks,
        }
    }
}
