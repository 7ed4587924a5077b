//! The solver flags every solving subcommand takes (`SolverArgs`) and the solver they build.

use crate::cli::{SolverName, parse_budget, parse_positive, parse_share, parse_ttt_steps};
use anyhow::Result;
use arc_solver::solvers;
use std::path::Path;

#[derive(clap::Args, Clone)]
pub(crate) struct SolverArgs {
    /// Which solver.
    #[arg(long, value_enum, default_value_t = SolverName::Search)]
    pub(crate) solver: SolverName,
    /// Work budget: a named profile (`tiny`, `fast`, `test`, `default`) or a number of work units.
    #[arg(long, default_value = "default", value_parser = parse_budget)]
    pub(crate) budget: String,
    /// Search without the neural guide (uniform prior), e.g. for ablation.
    #[arg(long)]
    pub(crate) no_guide: bool,
    /// Test-time training steps of the guide per task, 0..=50 (default 0: off, as measured best
    /// since composition in three modes; 5 is its usual setting); recorded per task in the report
    /// as `ttt_steps`, beside the search's `work`.
    #[arg(long, value_parser = parse_ttt_steps)]
    pub(crate) ttt_steps: Option<usize>,
    /// What test-time training learns from: `random` (random programs on the task's grids,
    /// before the search) or `candidates` (the task's own demos in rotated, reflected and
    /// recoloured views, labelled by the primitives of the best candidates of the uniform share,
    /// before the guided share; the default).
    #[arg(long, value_enum)]
    pub(crate) ttt_from: Option<arc_solver::guide::ttt::TttSource>,
    /// How strongly the guide moves primitive costs (default: the search's).
    #[arg(long)]
    pub(crate) guide_weight: Option<f32>,
    /// How much the guide is trusted against the uniform prior, 0..=1 (default: the search's).
    #[arg(long, value_parser = parse_share)]
    pub(crate) guide_mix: Option<f32>,
    /// With the guide, the share of the budget first searched without it, 0..=1 (default: the search's).
    #[arg(long, value_parser = parse_share)]
    pub(crate) uniform_share: Option<f32>,
    /// Tiers of moves: a grid primitive with more parameter settings than this is a last step
    /// only, judged but never expanded (0: none; default: the search's).
    #[arg(long)]
    pub(crate) leaf_params: Option<usize>,
    /// After a solid fit, at most this share of the budget more for a distinct second attempt
    /// (default: the search's).
    #[arg(long, value_parser = parse_share)]
    pub(crate) after_solid_share: Option<f32>,
    /// After the first solid fit, at most this share of the budget more, whatever the second
    /// attempt (default: the search's).
    #[arg(long, value_parser = parse_share)]
    pub(crate) after_first_solid_share: Option<f32>,
    /// Apply moves by cost: every program of cost c before any of cost c + 1, and no step that
    /// changes nothing on the demos (default: the search's).
    #[arg(long)]
    pub(crate) by_cost: Option<bool>,
    /// Extra cost per move, in cost units per natural log of its parameter settings (default:
    /// the search's).
    #[arg(long)]
    pub(crate) param_cost: Option<f32>,
    /// How composition stacks pieces: `clean` (only pieces never wrong, up to 4),
    /// `first-painter` (a piece need only be right where no piece above it paints, up to 10) or
    /// `modes` (first painter wins, a layer painting a piece's foreground, background or all
    /// cells) (default: the search's, `modes`).
    #[arg(long, value_enum)]
    pub(crate) stacking: Option<arc_solver::search::compose::Stacking>,
    /// Guided depth: with the guide, states --deep-from steps or more from the input are extended
    /// only by the guide's K most likely primitives for the task (0: by all; default: the search's).
    #[arg(long, value_name = "K")]
    pub(crate) deep_k: Option<usize>,
    /// Guided depth: the depth from which --deep-k applies, at least 1 (default: the search's).
    #[arg(long, value_name = "D", value_parser = clap::value_parser!(u8).range(1..))]
    pub(crate) deep_from: Option<u8>,
    /// Finishing steps: every grid state of the wrong shape is tried with the scalings and
    /// tilings its shapes allow (and, where the demos change shape, crops and resizes to the
    /// outputs' shape), kept when it fits (default: the search's).
    #[arg(long)]
    pub(crate) finish: Option<bool>,
    /// With the guide, one search per variant that the guide re-prices once the uniform share is
    /// spent, instead of a fresh guided search (default: the search's).
    #[arg(long)]
    pub(crate) resume: Option<bool>,
    /// Paint colours (the colour a primitive writes, e.g. `fill_enclosed`'s) tried only with the
    /// colours of the demo outputs (true) or with every colour of the task (default: the search's).
    #[arg(long)]
    pub(crate) paint_outputs: Option<bool>,
    /// How many of the cheapest expanded states of each type the multi-argument primitives
    /// (`paint`, `erase`, `crop_to`, ...) combine (default: the search's).
    #[arg(long, value_name = "N")]
    pub(crate) pool: Option<usize>,
    /// Refinement: the share of each enumeration's work, 0..=1, held back for a beam over the
    /// best partial candidates, each extended by every grid step whatever its cost, when the
    /// enumeration finds no solid fit (0: none; default: 0.1, none at `--budget fast`).
    #[arg(long, value_parser = parse_share)]
    pub(crate) refine_share: Option<f32>,
    /// Refinement: states the beam extends per round (default: the search's).
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    pub(crate) refine_width: Option<usize>,
    /// Refinement: the beam also extends its states by multi-argument grid steps (`paint`,
    /// `erase`, ...) with the cheapest states of the other arguments' types (default: the search's).
    #[arg(long)]
    pub(crate) refine_multi: Option<bool>,
    /// Composition pieces: keep only states whose painted and wrong demo cells differ from every
    /// piece kept (true), or the first shape-right states found, copies included (false)
    /// (default: the search's).
    #[arg(long)]
    pub(crate) distinct_pieces: Option<bool>,
    /// Refinement: the beam takes at most this many children of one state per round (0: any
    /// number; default: the search's).
    #[arg(long, value_name = "N")]
    pub(crate) refine_per_parent: Option<usize>,
    /// Local rules: how many shape-right states (cheapest first) the learner reads as bases
    /// besides the input (0: the input only; default: the search's).
    #[arg(long, value_name = "N")]
    pub(crate) local_bases: Option<usize>,
    /// Learners: also learn rules on the colour-normalised variant of the task (each grid's
    /// colours ranked by frequency), after the task's own (default: the search's).
    #[arg(long)]
    pub(crate) learn_variant: Option<bool>,
}

impl SolverArgs {
    /// The solver, reading the guide at `guide` (`--guide`; `None`: the default one).
    pub(crate) fn build(&self, guide: Option<&Path>) -> Result<Box<dyn arc_solver::Solver>> {
        if !self.no_guide && self.solver == SolverName::Search {
            // Which guide, or a clear error when there is none.
            arc_solver::guide::find_prefix(guide)?;
        }
        solvers::build(&solvers::Spec {
            name: self.solver.as_str().to_string(),
            budget: self.budget.clone(),
            guide: !self.no_guide,
            guide_path: guide.map(Path::to_path_buf),
            ttt_steps: self.ttt_steps,
            ttt_from: self.ttt_from,
            guide_weight: self.guide_weight,
            guide_mix: self.guide_mix,
            uniform_share: self.uniform_share,
            leaf_params: self.leaf_params,
            after_solid_share: self.after_solid_share,
            after_first_solid_share: self.after_first_solid_share,
            by_cost: self.by_cost,
            finish: self.finish,
            param_cost: self.param_cost,
            stacking: self.stacking,
            deep_k: self.deep_k,
            deep_from: self.deep_from,
            resume: self.resume,
            paint_outputs: self.paint_outputs,
            pool: self.pool,
            refine_share: self.refine_share,
            refine_width: self.refine_width,
            refine_multi: self.refine_multi,
            distinct_pieces: self.distinct_pieces,
            refine_per_parent: self.refine_per_parent,
            local_bases: self.local_bases,
            learn_variant: self.learn_variant,
        })
    }
}
