//! Verdicts and scores: both ARC conventions.
//!
//! - *tasks solved*: a task counts when every test output is matched by one of its ≤ 2 attempts;
//! - *ARC Prize score*: the mean over tasks of the fraction of its test outputs matched.

use crate::grid::Grid;
use crate::solver::{MAX_ATTEMPTS, Solution};
use crate::task::Task;
use serde::{Deserialize, Serialize};

/// How one test output fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// One of the attempts is exactly the expected grid.
    Correct,
    /// An attempt of the right shape, but with wrong cells.
    WrongCells,
    /// Attempts exist, none of the right shape.
    WrongShape,
    /// No attempt at all.
    Nothing,
}

/// The verdict as the reports spell it (`correct`, `wrong_cells`, `wrong_shape`, `nothing`).
impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Correct => "correct",
            Verdict::WrongCells => "wrong_cells",
            Verdict::WrongShape => "wrong_shape",
            Verdict::Nothing => "nothing",
        })
    }
}

/// Scoring needs every test output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("task {task}: test[{index}] has no output, so it cannot be scored")]
pub struct ScoreError {
    pub task: String,
    pub index: usize,
}

/// One task's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskScore {
    pub verdicts: Vec<Verdict>,
}

impl TaskScore {
    /// Test outputs matched.
    pub fn right(&self) -> usize {
        self.verdicts.iter().filter(|v| **v == Verdict::Correct).count()
    }

    /// Every test output matched.
    pub fn solved(&self) -> bool {
        self.right() == self.verdicts.len()
    }

    /// Fraction of test outputs matched (the ARC Prize per-task score).
    pub fn fraction(&self) -> f64 {
        self.right() as f64 / self.verdicts.len().max(1) as f64
    }
}

/// The verdict of at most [`MAX_ATTEMPTS`] attempts against the truth; later attempts are ignored.
pub fn verdict(attempts: &[Grid], truth: &Grid) -> Verdict {
    let attempts = &attempts[..attempts.len().min(MAX_ATTEMPTS)];
    if attempts.iter().any(|a| a == truth) {
        Verdict::Correct
    } else if attempts.iter().any(|a| a.shape() == truth.shape()) {
        Verdict::WrongCells
    } else if attempts.is_empty() {
        Verdict::Nothing
    } else {
        Verdict::WrongShape
    }
}

/// Scores a solution against the task's test outputs.
pub fn score_task(task: &Task, sol: &Solution) -> Result<TaskScore, ScoreError> {
    let truths = crate::task::test_outputs(task).map_err(|index| ScoreError { task: task.id.clone(), index })?;
    let verdicts = truths
        .iter()
        .enumerate()
        .map(|(i, truth)| verdict(sol.attempts.get(i).map_or(&[][..], Vec::as_slice), truth))
        .collect();
    Ok(TaskScore { verdicts })
}

/// Both scores over a set of tasks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub tasks_total: usize,
    pub tasks_solved: usize,
    /// Mean over tasks of the fraction of test outputs right (ARC Prize convention).
    pub score: f64,
    pub outputs_total: usize,
    pub outputs_right: usize,
}

impl Summary {
    /// Sums task scores.
    pub fn of<'a>(scores: impl IntoIterator<Item = &'a TaskScore>) -> Summary {
        let mut s = Summary { tasks_total: 0, tasks_solved: 0, score: 0.0, outputs_total: 0, outputs_right: 0 };
        let mut frac = 0.0;
        for t in scores {
            s.tasks_total += 1;
            s.tasks_solved += t.solved() as usize;
            s.outputs_total += t.verdicts.len();
            s.outputs_right += t.right();
            frac += t.fraction();
        }
        s.score = if s.tasks_total == 0 { 0.0 } else { frac / s.tasks_total as f64 };
        s
    }

    /// Share of tasks solved, 0..=1.
    pub fn solved_share(&self) -> f64 {
        if self.tasks_total == 0 { 0.0 } else { self.tasks_solved as f64 / self.tasks_total as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(rows: &[&[i64]]) -> Grid {
        Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn verdicts_print_as_the_json_spells_them() {
        for v in [Verdict::Correct, Verdict::WrongCells, Verdict::WrongShape, Verdict::Nothing] {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::Value::String(v.to_string()));
        }
    }

    #[test]
    fn verdicts_and_both_conventions() {
        let a = g(&[&[1, 2]]);
        let b = g(&[&[1, 3]]);
        let c = g(&[&[1], &[2]]);
        assert_eq!(verdict(&[b.clone(), a.clone()], &a), Verdict::Correct);
        assert_eq!(verdict(&[b.clone(), b.clone(), a.clone()], &a), Verdict::WrongCells, "a third attempt never counts");
        assert_eq!(verdict(&[c.clone()], &a), Verdict::WrongShape);
        assert_eq!(verdict(&[], &a), Verdict::Nothing);
        let half = TaskScore { verdicts: vec![Verdict::Correct, Verdict::Nothing] };
        let full = TaskScore { verdicts: vec![Verdict::Correct] };
        let s = Summary::of([&half, &full]);
        assert_eq!((s.tasks_total, s.tasks_solved, s.outputs_total, s.outputs_right), (2, 1, 3, 2));
        assert!((s.score - 0.75).abs() < 1e-12);
    }
}
