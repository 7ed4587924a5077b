//! The solver interface: what any solver gives for a task, and why it stopped; and how attempts
//! are taken from ranked predictions ([`attempts_from`]: the search, the baseline and answer
//! replay all take them so).

use crate::answer::Answer;
use crate::grid::Grid;
use crate::task::Task;
use serde::{Deserialize, Serialize};

/// At most this many attempts per test input count (the ARC rule).
pub const MAX_ATTEMPTS: usize = 2;

/// Up to [`MAX_ATTEMPTS`] distinct grids per test input, taken in order from per-test
/// predictions, with the indices of the predictions that gave at least one of them. Taking only
/// those predictions, in the same order, gives the same attempts (how answers replay).
pub fn attempts_from<'a>(n_tests: usize, preds: impl IntoIterator<Item = &'a [Grid]>) -> (Vec<Vec<Grid>>, Vec<usize>) {
    let mut out: Vec<Vec<Grid>> = vec![Vec::new(); n_tests];
    let mut used = Vec::new();
    for (i, tests) in preds.into_iter().enumerate() {
        let mut gave = false;
        for (slot, g) in out.iter_mut().zip(tests) {
            if slot.len() < MAX_ATTEMPTS && !slot.contains(g) {
                slot.push(g.clone());
                gave = true;
            }
        }
        if gave {
            used.push(i);
        }
    }
    (out, used)
}

/// Why a solver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// A program reproduces every demonstration.
    Solved,
    /// The work budget ran out first.
    Budget,
    /// A safety cap (memory, states, wall clock) stopped it.
    Cap,
    /// The search space was exhausted without a program that fits.
    Exhausted,
    /// Nothing in the solver applies to this task.
    NotApplicable,
    /// A bug: the solver panicked (the message is in [`Solution::fault`]).
    Fault,
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StopReason::Solved => "solved",
            StopReason::Budget => "budget",
            StopReason::Cap => "cap",
            StopReason::Exhausted => "exhausted",
            StopReason::NotApplicable => "not_applicable",
            StopReason::Fault => "fault",
        })
    }
}

/// A solver's answer for one task.
///
/// ```
/// use arc_solver::{Solver, StopReason, Task, baseline::Baseline};
///
/// let task = Task::from_json("mirror", r#"{
///     "train": [{"input": [[1, 2, 3]], "output": [[3, 2, 1]]}, {"input": [[4], [5]], "output": [[4], [5]]}],
///     "test": [{"input": [[7, 0]], "output": [[0, 7]]}, {"input": [[6, 6, 9]]}]
/// }"#)?;
/// let solution = Baseline.solve(&task); // every primitive alone, in cost order
/// assert_eq!(solution.stop_reason, StopReason::Solved);
/// // One list of attempts per test input, best first, at most MAX_ATTEMPTS counted.
/// assert_eq!(solution.attempts.len(), task.test.len());
/// for (i, attempts) in solution.attempts.iter().enumerate() {
///     for (k, grid) in attempts.iter().enumerate() {
///         let right = task.test[i].output.as_ref().map(|truth| truth == grid);
///         println!("test {i} attempt {}: {:?} right: {right:?}", k + 1, grid.to_rows());
///     }
/// }
/// assert_eq!(solution.attempts[0][0].to_rows(), [[0, 7]]);
/// assert_eq!(solution.attempts[1][0].to_rows(), [[9, 6, 6]]);
/// // The answers behind them replay from their text (`arc run "<answer>" <task>`).
/// assert_eq!(solution.program().as_deref(), Some("(mirror_lr input)"));
/// # Ok::<(), arc_solver::task::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    /// Per test input, up to [`MAX_ATTEMPTS`] distinct predictions, best first.
    pub attempts: Vec<Vec<Grid>>,
    /// The answers behind the attempts, in rank order: each gave at least one attempt, and
    /// replaying them in this order gives the same attempts ([`attempts_from`]).
    /// The first is the answer behind every first attempt.
    pub answers: Vec<Answer>,
    /// Why the solver stopped.
    pub stop_reason: StopReason,
    /// With [`StopReason::Fault`]: the panic message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// Work done, in the solver's own unit (e.g. primitive applications); deterministic.
    pub work: u64,
    /// Test-time training steps run for this task (outside `work`).
    #[serde(default)]
    pub ttt_steps: u64,
}

impl Solution {
    /// An empty answer: no attempts for any test input.
    pub fn nothing(task: &Task, stop_reason: StopReason, work: u64) -> Solution {
        Solution { attempts: vec![Vec::new(); task.test.len()], answers: Vec::new(), stop_reason, fault: None, work, ttt_steps: 0 }
    }

    /// The answer behind the first attempts, as text.
    pub fn program(&self) -> Option<String> {
        self.answers.first().map(Answer::to_string)
    }

    /// A solver that panicked: no attempts, the panic's message kept.
    pub fn fault(task: &Task, panic: &(dyn std::any::Any + Send)) -> Solution {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        Solution { fault: Some(msg), ..Solution::nothing(task, StopReason::Fault, 0) }
    }
}

/// Anything that solves ARC tasks. Must be deterministic: the same task and configuration
/// give the same [`Solution`] on any machine and with any number of threads.
pub trait Solver: Sync {
    /// A short name, recorded in reports.
    fn name(&self) -> String;
    /// The budget as text, recorded in reports (e.g. `default` or `50000`).
    fn budget(&self) -> String;
    /// Solves one task. Only the train pairs and the test inputs may be used, never test outputs.
    fn solve(&self, task: &Task) -> Solution;
}
