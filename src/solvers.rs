//! Solvers by name, as chosen on the command line and in the test harness.

use crate::baseline::Baseline;
use crate::guide::prior::NeuralPrior;
use crate::guide::ttt::{TttConfig, TttSource};
use crate::search::compose::Stacking;
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
    /// A named budget profile (`tiny`, `test`, `default`) or a number of work units.
    pub budget: String,
    /// Use the neural guide (search only).
    pub guide: bool,
    /// The guide's prefix (`PATH.json` + `PATH.safetensors`); `None`: the default one
    /// ([`crate::guide::shipped_prefix`]).
    pub guide_path: Option<PathBuf>,
    /// Test-time training steps for the guide (0: none; `None`: [`DEFAULT_TTT_STEPS`]).
    pub ttt_steps: Option<usize>,
    /// What test-time training learns from (`None`: [`TttSource::default`]).
    pub ttt_from: Option<TttSource>,
    /// How strongly the guide moves primitive costs (the search's default when `None`).
    pub guide_weight: Option<f32>,
    /// How much the guide is trusted against the uniform prior (the search's default when `None`).
    pub guide_mix: Option<f32>,
    /// With the guide, the share of the budget first searched without it (the search's default when `None`).
    pub uniform_share: Option<f32>,
    /// Last-step threshold on parameter settings ([`SearchConfig::leaf_params`]; the search's default when `None`).
    pub leaf_params: Option<usize>,
    /// Work after a solid fit ([`SearchConfig::after_solid_share`]; the search's default when `None`).
    pub after_solid_share: Option<f32>,
    /// Work after the first solid fit ([`SearchConfig::after_first_solid_share`]; the search's default when `None`).
    pub after_first_solid_share: Option<f32>,
    /// Moves applied by cost ([`SearchConfig::by_cost`]; the search's default when `None`).
    pub by_cost: Option<bool>,
    /// Finishing steps ([`SearchConfig::finish`]; the search's default when `None`).
    pub finish: Option<bool>,
    /// Cost per parameter setting ([`SearchConfig::param_cost`]; the search's default when `None`).
    pub param_cost: Option<f32>,
    /// How composition stacks pieces ([`SearchConfig::stacking`]; the search's default when `None`).
    pub stacking: Option<Stacking>,
    /// Guided depth: top primitives ([`SearchConfig::deep_k`]; the search's default when `None`).
    pub deep_k: Option<usize>,
    /// Guided depth: from which depth ([`SearchConfig::deep_from`]; the search's default when `None`).
    pub deep_from: Option<u8>,
    /// One resumable search re-priced by the guide ([`SearchConfig::resume`]; the search's default when `None`).
    pub resume: Option<bool>,
    /// Paint colours from the demo outputs only ([`SearchConfig::paint_outputs`]; the search's default when `None`).
    pub paint_outputs: Option<bool>,
    /// States per type that multi-argument primitives combine ([`SearchConfig::pool`]; the search's default when `None`).
    pub pool: Option<usize>,
    /// Refinement phase's share ([`SearchConfig::refine_share`]; the search's default when `None`).
    pub refine_share: Option<f32>,
    /// Refinement beam width ([`SearchConfig::refine_width`]; the search's default when `None`).
    pub refine_width: Option<usize>,
    /// Refinement with multi-argument grid steps ([`SearchConfig::refine_multi`]; the search's default when `None`).
    pub refine_multi: Option<bool>,
    /// Composition pieces kept by distinct cells ([`SearchConfig::distinct_pieces`]; the search's default when `None`).
    pub distinct_pieces: Option<bool>,
    /// Refinement beam's children per state ([`SearchConfig::refine_per_parent`]; the search's default when `None`).
    pub refine_per_parent: Option<usize>,
    /// Bases of the local-rule learner ([`SearchConfig::local_bases`]; the search's default when `None`).
    pub local_bases: Option<usize>,
    /// Learners on the colour-normalised variant too ([`SearchConfig::learn_variant`]; the search's default when `None`).
    pub learn_variant: Option<bool>,
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
            ttt_from: None,
            guide_weight: None,
            guide_mix: None,
            uniform_share: None,
            leaf_params: None,
            after_solid_share: None,
            after_first_solid_share: None,
            by_cost: None,
            finish: None,
            param_cost: None,
            stacking: None,
            deep_k: None,
            deep_from: None,
            resume: None,
            paint_outputs: None,
            pool: None,
            refine_share: None,
            refine_width: None,
            refine_multi: None,
            distinct_pieces: None,
            refine_per_parent: None,
            local_bases: None,
            learn_variant: None,
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
pub fn build(spec: &Spec) -> anyhow::Result<Box<dyn Solver>> {
    match spec.name.as_str() {
        "baseline" => Ok(Box::new(Baseline)),
        "search" => {
            let budget: Budget = spec.budget.parse()?;
            let mut config = SearchConfig::new(budget);
            if let Some(w) = spec.guide_weight {
                config.guide_weight = w;
            }
            if let Some(m) = spec.guide_mix {
                config.guide_mix = m.clamp(0.0, 1.0);
            }
            if let Some(u) = spec.uniform_share {
                config.uniform_share = u.clamp(0.0, 1.0);
            }
            if let Some(l) = spec.leaf_params {
                config.leaf_params = l;
            }
            if let Some(a) = spec.after_solid_share {
                config.after_solid_share = a.clamp(0.0, 1.0);
            }
            if let Some(a) = spec.after_first_solid_share {
                config.after_first_solid_share = a.clamp(0.0, 1.0);
            }
            if let Some(b) = spec.by_cost {
                config.by_cost = b;
            }
            if let Some(f) = spec.finish {
                config.finish = f;
            }
            if let Some(p) = spec.param_cost {
                config.param_cost = p.max(0.0);
            }
            if let Some(s) = spec.stacking {
                config.stacking = s;
            }
            if let Some(k) = spec.deep_k {
                config.deep_k = k;
            }
            if let Some(d) = spec.deep_from {
                config.deep_from = d;
            }
            if let Some(r) = spec.resume {
                config.resume = r;
            }
            if let Some(p) = spec.paint_outputs {
                config.paint_outputs = p;
            }
            if let Some(p) = spec.pool {
                config.pool = p;
            }
            if let Some(r) = spec.refine_share {
                config.refine_share = r.clamp(0.0, 1.0);
            }
            if let Some(w) = spec.refine_width {
                config.refine_width = w.max(1);
            }
            if let Some(m) = spec.refine_multi {
                config.refine_multi = m;
            }
            if let Some(d) = spec.distinct_pieces {
                config.distinct_pieces = d;
            }
            if let Some(n) = spec.refine_per_parent {
                config.refine_per_parent = n;
            }
            if let Some(n) = spec.local_bases {
                config.local_bases = n;
            }
            if let Some(l) = spec.learn_variant {
                config.learn_variant = l;
            }
            let solver = SearchSolver::new(config);
            if !spec.guide {
                return Ok(Box::new(solver));
            }
            let prefix = crate::guide::prefix_or_default(spec.guide_path.as_deref());
            let steps = spec.ttt_steps.unwrap_or(DEFAULT_TTT_STEPS);
            let ttt = TttConfig { steps, source: spec.ttt_from.unwrap_or_default(), ..TttConfig::default() };
            let prior = NeuralPrior::load(&prefix, ttt)
                .with_context(|| format!("loading the shipped guide {} (use --no-guide to search without it)", prefix.display()))?;
            Ok(Box::new(solver.with_guide(Box::new(prior))))
        }
        other => anyhow::bail!("unknown solver `{other}` (known: {})", NAMES.join(", ")),
    }
}
