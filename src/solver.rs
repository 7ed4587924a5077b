//! The solver interface: what any solver gives for a task, and why it stopped.

use crate::grid::Grid;
use crate::task::Task;
use serde::{Deserialize, Serialize};

/// At most this many attempts per test input count (the ARC rule).
pub const MAX_ATTEMPTS: usize = 2;

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
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StopReason::Solved => "solved",
            StopReason::Budget => "budget",
            StopReason::Cap => "cap",
            StopReason::Exhausted => "exhausted",
            StopReason::NotApplicable => "not_applicable",
        })
    }
}

/// A solver's answer for one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    /// Per test input, up to [`MAX_ATTEMPTS`] distinct predictions, best first.
    pub attempts: Vec<Vec<Grid>>,
    /// The program behind the first attempt, as text, when there is one.
    pub program: Option<String>,
    /// Why the solver stopped.
    pub stop_reason: StopReason,
    /// Work done, in the solver's own unit (e.g. primitive applications); deterministic.
    pub work: u64,
}

impl Solution {
    /// An empty answer: no attempts for any test input.
    pub fn nothing(task: &Task, stop_reason: StopReason, work: u64) -> Solution {
        Solution { attempts: vec![Vec::new(); task.test.len()], program: None, stop_reason, work }
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
