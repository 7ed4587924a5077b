//! Work budgets: how much a search may do, counted in primitive applications so that results
//! are the same on any machine and with any number of threads.

use std::fmt;
use std::str::FromStr;

/// A work budget: a named profile or a plain number of primitive applications (one primitive
/// applied to one grid counts 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    /// For unit tests: a few milliseconds per task.
    Tiny,
    /// Quick runs: the depth of a cheap depth-2 search (aimed at no more than 0.5 CPU-s per task
    /// on the evaluation split, test-time training included when asked for, see
    /// [`crate::solvers::DEFAULT_TTT_STEPS`]).
    Fast,
    /// For `cargo test` over whole splits: about 1.5 CPU-s per task on average over the
    /// training split.
    Test,
    /// For measurements: at most about 8.4 CPU-s per task on average over the evaluation split
    /// (its larger grids cost more per application than the training split's).
    Default,
    /// An explicit number of primitive applications.
    Work(u64),
}

impl Budget {
    /// The number of primitive applications this budget allows.
    pub fn work(self) -> u64 {
        match self {
            Budget::Tiny => 5_000,
            Budget::Fast => 350_000,
            Budget::Test => 2_400_000,
            Budget::Default => 8_000_000,
            Budget::Work(n) => n,
        }
    }

    /// The share of each enumeration's work the refinement phase gets under this budget
    /// ([`crate::search::SearchConfig::refine_share`]): none at `fast` (its CPU per unit of work
    /// is higher than the enumeration's, and `fast` is held to the 2020 winner's depth-2 time),
    /// 0.1 otherwise (evaluation at the test budget 111/400 against 109 without, training 246
    /// against 243; 0.25 with a beam of 16 solved fewer).
    pub fn refine_share(self) -> f32 {
        match self {
            Budget::Fast => 0.0,
            _ => 0.1,
        }
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::Tiny => f.write_str("tiny"),
            Budget::Fast => f.write_str("fast"),
            Budget::Test => f.write_str("test"),
            Budget::Default => f.write_str("default"),
            Budget::Work(n) => write!(f, "{n}"),
        }
    }
}

/// Why a budget text is not a budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown budget `{0}`: expected tiny, fast, test, default or a number of primitive applications")]
pub struct BudgetError(pub String);

impl FromStr for Budget {
    type Err = BudgetError;

    fn from_str(s: &str) -> Result<Budget, BudgetError> {
        match s {
            "tiny" => Ok(Budget::Tiny),
            "fast" => Ok(Budget::Fast),
            "test" => Ok(Budget::Test),
            "default" => Ok(Budget::Default),
            _ => s.parse::<u64>().map(Budget::Work).map_err(|_| BudgetError(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_profiles_and_numbers() {
        for b in [Budget::Tiny, Budget::Fast, Budget::Test, Budget::Default, Budget::Work(12345)] {
            assert_eq!(b.to_string().parse::<Budget>(), Ok(b));
        }
        assert_eq!("12345".parse::<Budget>().map(Budget::work), Ok(12345));
        assert!("quick".parse::<Budget>().is_err());
        let order = [Budget::Tiny, Budget::Fast, Budget::Test, Budget::Default].map(Budget::work);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }
}
