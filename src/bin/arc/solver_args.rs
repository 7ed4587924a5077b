//! The solver flags every solving subcommand takes (`SolverArgs`) and the solver they build.

use crate::cli::{SolverName, parse_budget, parse_setting, parse_ttt_steps};
use anyhow::Result;
use arc_solver::solvers;
use std::path::Path;

#[derive(clap::Args, Clone)]
#[command(next_help_heading = "Search")]
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
    /// Test-time training steps of the guide per task, 0..=50 (default 0: off).
    ///
    /// Off as measured best since composition in three modes; 5 is its usual setting); recorded per task in the report
    /// as `ttt_steps`, beside the search's `work`.
    #[arg(long, value_parser = parse_ttt_steps)]
    pub(crate) ttt_steps: Option<usize>,
    /// A search setting, `group.key=value` (repeatable; `arc settings` lists them).
    ///
    /// Every key with its default and range is in `arc settings`, e.g. `--set refine.width=16 --set learn.variant=false`.
    #[arg(long = "set", value_name = "GROUP.KEY=VALUE", value_parser = parse_setting)]
    pub(crate) settings: Vec<String>,
}

impl SolverArgs {
    /// The options as given, for a journal's head (a resumed run must be the same run).
    pub(crate) fn options(&self) -> Vec<String> {
        let mut o = vec![format!("--solver {}", self.solver.as_str()), format!("--budget {}", self.budget)];
        if self.no_guide {
            o.push("--no-guide".into());
        }
        if let Some(n) = self.ttt_steps {
            o.push(format!("--ttt-steps {n}"));
        }
        o.extend(self.settings.iter().map(|s| format!("--set {s}")));
        o
    }

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
            settings: self.settings.clone(),
        })
    }
}
