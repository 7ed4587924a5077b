//! Golden records and the gate: what is solved stays solved, and the solved share only rises.
//!
//! A golden file (`golden/<dataset>_<split>.<budget>.json`) lists the tasks solved at that
//! budget with their answers (as text, in rank order) and attempts; the answers alone replay the
//! attempts (`tests/trials/replay.rs`). The harness (`tests/tasks.rs`) compares every run
//! with it; `ARC_BLESS=1` records new results.

use crate::grid::Grid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The share of tasks the gate demands at the least, whatever the golden record says.
pub const FLOOR: f64 = 0.05;

/// One solved task as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The answers behind the attempts, in rank order (see [`crate::solver::Solution::answers`]).
    #[serde(default)]
    pub answers: Vec<String>,
    pub attempts: Vec<Vec<Grid>>,
}

/// The golden record of one dataset split at one budget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Golden {
    pub solver: String,
    pub budget: String,
    pub tasks_total: usize,
    /// Solved tasks by id.
    pub solved: BTreeMap<String, Record>,
}

/// The file name of a golden record.
pub fn golden_path(dir: &Path, dataset: &str, split: &str, budget: &str) -> PathBuf {
    dir.join(format!("{dataset}_{split}.{budget}.json"))
}

impl Golden {
    /// Reads a golden file; a missing file is an empty record.
    pub fn load(path: &Path) -> anyhow::Result<Golden> {
        if !path.exists() {
            return Ok(Golden::default());
        }
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Writes the golden file (pretty, stable order).
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }
}

/// The gate: `solved` of `total` must reach both the floor and the golden record's share.
pub fn gate(solved: usize, total: usize, golden_solved: usize) -> Result<String, String> {
    let share = if total == 0 { 0.0 } else { solved as f64 / total as f64 };
    let need = (FLOOR * total as f64).ceil().max(golden_solved as f64) as usize;
    let msg = format!("{solved}/{total} solved ({:.2}%), gate {need} (floor {:.0}%, golden {golden_solved})", 100.0 * share, FLOOR * 100.0);
    if total > 0 && solved >= need { Ok(msg) } else { Err(msg) }
}

/// What a task's result means against its golden record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Solved, as recorded.
    StillSolved,
    /// Not solved, and not recorded as solved.
    StillUnsolved,
    /// Solved now but not recorded: bless it.
    NewlySolved,
    /// Recorded solved, but not solved now: a regression.
    Regressed,
    /// Solved in both, but the attempts differ from the record.
    Changed,
}

/// Compares a task's result with its golden record.
pub fn check(solved: bool, attempts: &[Vec<Grid>], record: Option<&Record>) -> Check {
    match (solved, record) {
        (true, Some(r)) if r.attempts == attempts => Check::StillSolved,
        (true, Some(_)) => Check::Changed,
        (true, None) => Check::NewlySolved,
        (false, Some(_)) => Check::Regressed,
        (false, None) => Check::StillUnsolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_fails_below_floor_and_below_golden() {
        assert!(gate(20, 400, 0).is_ok(), "5% of 400 is 20");
        assert!(gate(19, 400, 0).is_err(), "below the 5% floor");
        assert!(gate(30, 400, 31).is_err(), "below the golden record");
        assert!(gate(31, 400, 31).is_ok());
        assert!(gate(0, 0, 0).is_err(), "an empty split never passes");
        assert!(gate(1, 10, 0).is_ok(), "the floor rounds up: 5% of 10 needs 1");
        assert!(gate(0, 10, 0).is_err());
    }

    #[test]
    fn checks() {
        let g = Grid::new(1, 1, 3).unwrap();
        let rec = Record { answers: Vec::new(), attempts: vec![vec![g.clone()]] };
        assert_eq!(check(true, &rec.attempts, Some(&rec)), Check::StillSolved);
        assert_eq!(check(true, &[vec![]], Some(&rec)), Check::Changed);
        assert_eq!(check(true, &rec.attempts, None), Check::NewlySolved);
        assert_eq!(check(false, &rec.attempts, Some(&rec)), Check::Regressed);
        assert_eq!(check(false, &[], None), Check::StillUnsolved);
    }
}
