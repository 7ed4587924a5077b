//! Solvers by name, as chosen on the command line and in the test harness.

use crate::baseline::Baseline;
use crate::search::{SearchConfig, SearchSolver};
use crate::solver::Solver;

/// The solver names `by_name` accepts.
pub const NAMES: &[&str] = &["baseline", "search"];

/// The default solver.
pub const DEFAULT: &str = "baseline";

/// Builds a solver by name with a budget (a named profile such as `test` or `default`, or a number).
pub fn by_name(name: &str, budget: &str) -> anyhow::Result<Box<dyn Solver>> {
    match name {
        "baseline" => Ok(Box::new(Baseline)),
        "search" => Ok(Box::new(SearchSolver::new(SearchConfig::new(budget.parse()?)))),
        other => anyhow::bail!("unknown solver `{other}` (known: {})", NAMES.join(", ")),
    }
}
