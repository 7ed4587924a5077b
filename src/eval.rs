//! Running a solver over a dataset: in parallel, deterministic whatever the thread count,
//! with per-task CPU time and the process's peak memory.

use crate::grid::Grid;
use crate::score::{ScoreError, Summary, TaskScore, Verdict, score_task};
use crate::solver::{Solver, StopReason};
use crate::task::{Dataset, Task};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    pub tasks: Vec<TaskReport>,
}

/// A deterministic slice of a dataset: shard `k` of `n` holds the tasks whose index in the
/// (sorted, filtered) task list is `k` modulo `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N` with `0 <= K < N`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: expected K/N with 0 <= K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k >= n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// The shard an array job gives this process, from its environment: SLURM's
    /// `SLURM_ARRAY_TASK_ID` (less `SLURM_ARRAY_TASK_MIN`) of `SLURM_ARRAY_TASK_COUNT`, or
    /// Kubernetes' `JOB_COMPLETION_INDEX` of `ARC_SHARDS` (an Indexed Job's completions). None
    /// when neither is set.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let num = |name: &str| -> Result<Option<usize>, String> {
            var(name).map(|v| v.trim().parse::<usize>().map_err(|_| format!("{name}={v} is not a whole number"))).transpose()
        };
        let (k, n, from) = if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let count = num("SLURM_ARRAY_TASK_COUNT")?.ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")?;
            (id.checked_sub(num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0)), count, "SLURM_ARRAY_TASK_ID")
        } else if let Some(index) = num("JOB_COMPLETION_INDEX")? {
            let count = num("ARC_SHARDS")?.ok_or("JOB_COMPLETION_INDEX is set: set ARC_SHARDS to the job's completions (or pass --shard K/N)")?;
            (Some(index), count, "JOB_COMPLETION_INDEX")
        } else {
            return Ok(None);
        };
        match k {
            Some(k) if k < n => Ok(Some(Shard { k, n })),
            _ => Err(format!("{from} gives shard {k:?} of {n}: out of range")),
        }
    }

    /// The tasks of this shard, in order.
    pub fn select<T>(&self, items: Vec<T>) -> Vec<T> {
        items.into_iter().enumerate().filter(|(i, _)| i % self.n == self.k).map(|(_, t)| t).collect()
    }
}

/// Merges the reports of the shards of one run into the report of the whole run: the same
/// tasks in the same order (by id), scores and summaries recomputed; CPU figures are summed,
/// the peak memory is the largest. Every shard `0..N` must be there once, and all must be runs
/// of the same dataset, split, solver and budget.
pub fn merge(reports: Vec<EvalReport>) -> anyhow::Result<EvalReport> {
    use anyhow::bail;
    let Some(first) = reports.first() else { bail!("nothing to merge") };
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
    let peak = reports.iter().map(|r| r.peak_rss_mb).fold(0.0, f64::max);
    let mut tasks: Vec<TaskReport> = reports.into_iter().flat_map(|r| r.tasks).collect();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = tasks.windows(2).find(|w| w[0].id == w[1].id) {
        bail!("task {} is in more than one report", w[0].id);
    }
    let mut merged = EvalReport::of_tasks(&dataset, &split, &solver, &budget, jobs, peak, tasks);
    merged.guide = guide;
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
    fn shards_parse_select_and_come_from_the_environment() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { k: 1, n: 4 }));
        assert!("4/4".parse::<Shard>().is_err() && "1".parse::<Shard>().is_err() && "a/2".parse::<Shard>().is_err());
        assert_eq!(Shard { k: 1, n: 3 }.select((0..8).collect()), vec![1, 4, 7]);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Shard::from_env(env(&[])), Ok(None));
        const SLURM: &[(&str, &str)] = &[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1")];
        assert_eq!(Shard::from_env(env(SLURM)), Ok(Some(Shard { k: 2, n: 4 })));
        assert_eq!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0"), ("ARC_SHARDS", "2")])), Ok(Some(Shard { k: 0, n: 2 })));
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap_err().contains("ARC_SHARDS"));
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "5"), ("ARC_SHARDS", "2")])).is_err());
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
