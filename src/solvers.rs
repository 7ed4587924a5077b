//! Solvers by name, as chosen on the command line and in the test harness.

use crate::baseline::Baseline;
use crate::guide::prior::NeuralPrior;
use crate::guide::ttt::TttConfig;
use crate::search::{Budget, SearchConfig, SearchSolver};
use crate::solver::Solver;
use anyhow::Context;
use std::path::PathBuf;

/// The solver names `build` accepts.
pub const NAMES: &[&str] = &["search", "baseline"];

/// The default solver.
pub const DEFAULT: &str = "search";

/// How a solver is put together.
#[derive(Debug, Clone)]
pub struct Spec {
    /// `search` or `baseline`.
    pub name: String,
    /// A named budget profile (`tiny`, `fast`, `test`, `default`) or a number of work units.
    pub budget: String,
    /// Use the neural guide (search only).
    pub guide: bool,
    /// The guide's prefix (`PATH.json` + `PATH.safetensors`); `None`: the default one
    /// ([`crate::guide::shipped_prefix`]).
    pub guide_path: Option<PathBuf>,
    /// Test-time training steps for the guide (0: none; `None`: [`DEFAULT_TTT_STEPS`]).
    pub ttt_steps: Option<usize>,
    /// Search settings, `group.key=value` each, applied in order over the budget's defaults
    /// ([`SearchConfig::apply`]; `arc settings` lists them).
    pub settings: Vec<String>,
}

impl Spec {
    /// The default solver at a budget: guided search with default test-time training.
    pub fn new(budget: &str) -> Spec {
        Spec {
            name: DEFAULT.into(),
            budget: budget.into(),
            guide: true,
            guide_path: None,
            ttt_steps: None,
            settings: Vec::new(),
        }
    }
}

/// The test-time training steps every budget runs with unless told otherwise: none. Measured
/// with composition in three modes (`--ttt-steps 5` against 0, test budget): evaluation 125/400
/// against 133/400, training 263/400 either way at 14% more CPU; at `fast` its fixed cost
/// (~0.23 CPU-s per task) would be half the profile's time. `--ttt-steps N` turns it on
/// ([`TttConfig`]'s usual setting is 5 steps).
pub const DEFAULT_TTT_STEPS: usize = 0;

/// Builds a solver.
///
/// ```
/// use arc_solver::solvers::{Spec, build};
///
/// // The search at the `tiny` budget, without the neural guide (`Spec::new` alone loads it).
/// let spec = Spec { guide: false, settings: vec!["refine.width=4".into()], ..Spec::new("tiny") };
/// let solver = build(&spec)?;
/// assert_eq!(solver.budget(), "tiny");
/// assert!(build(&Spec { budget: "tny".into(), ..spec.clone() }).is_err());
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn build(spec: &Spec) -> anyhow::Result<Box<dyn Solver>> {
    match spec.name.as_str() {
        "baseline" => Ok(Box::new(Baseline)),
        "search" => {
            let budget: Budget = spec.budget.parse()?;
            let mut config = SearchConfig::new(budget);
            config.apply(spec.settings.iter().map(String::as_str))?;
            let solver = SearchSolver::new(config);
            if !spec.guide {
                return Ok(Box::new(solver));
            }
            let prefix = crate::guide::prefix_or_default(spec.guide_path.as_deref());
            let steps = spec.ttt_steps.unwrap_or(DEFAULT_TTT_STEPS);
            let ttt = TttConfig { steps, ..TttConfig::default() };
            // The guide shipped in `models/` unless one was given (`--guide`, `$ARC_GUIDE`).
            let which = if spec.guide_path.is_some() || std::env::var_os("ARC_GUIDE").is_some() { "the guide" } else { "the shipped guide" };
            let prior = NeuralPrior::load(&prefix, ttt)
                .with_context(|| format!("loading {which} {} (use --no-guide to search without it)", prefix.display()))?;
            Ok(Box::new(solver.with_guide(Box::new(prior))))
        }
        other => anyhow::bail!("unknown solver `{other}` (known: {})", NAMES.join(", ")),
    }
}
