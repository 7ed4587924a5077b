//! Program search: a deterministic, deduplicated, cost-ordered enumeration over the DSL that
//! turns primitives into answers. [`SearchSolver::solve`] is a short pipeline:
//!
//! 1. **Enumerate** ([`engine`]: the store of states and the scheduler by cost; `moves`: which
//!    primitives a task gets and their costs; `judge`: how a state fits the demos; [`finish`]:
//!    finishing steps on wrong-shaped states; `refine`: a beam over the best partial candidates
//!    when no solid fit turns up), first in the registry's cost order for a share of the budget.
//! 2. **Compose** pieces into stacks ([`compose`]), **learn** rules ([`learn`]: local, object and
//!    cell rules, each fitted here and run by its [`crate::answer::rules`] type).
//! 3. When no solid fit turns up and the demos differ by a colour permutation, the same on the
//!    [`colors`]-normalised task; with a guide, the rest of the budget in the guide's order
//!    ([`guide::Guide`]).
//! 4. **Rank** what fits into at most two attempts per test input ([`rank`], with the output-size
//!    rule of [`shape`]): solid fits, learnt rules, weak fits, partial guesses.
//!
//! Settings are grouped in [`config`]. Work is counted in primitive applications ([`Budget`]),
//! so results are identical on any machine and thread count; the wall-clock cap is a safety net
//! only, and past the storage cap new states become leaves, so memory stays bounded without
//! stopping the search.

pub mod colors;
mod combine;
pub mod compose;
pub mod config;
pub mod engine;
pub mod finish;
pub mod guide;
mod judge;
pub mod learn;
mod moves;
mod parts;
pub mod rank;
mod refine;
pub mod shape;
pub mod state;

pub use config::{Budget, SearchConfig, SettingError, SettingInfo};
pub use guide::{Guide, Uniform};

use crate::dsl::{Ctx, PrimId};
use crate::solver::{Solution, Solver, StopReason};
use crate::task::Task;
use std::time::Instant;

/// The DSL search as a [`Solver`].
pub struct SearchSolver {
    config: SearchConfig,
    guide: Box<dyn Guide>,
}

impl SearchSolver {
    /// A search with this configuration and the uniform guide.
    pub fn new(config: SearchConfig) -> SearchSolver {
        SearchSolver { config, guide: Box::new(Uniform) }
    }

    /// Replaces the guide.
    pub fn with_guide(mut self, guide: Box<dyn Guide>) -> SearchSolver {
        self.guide = guide;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &SearchConfig {
        &self.config
    }

    fn solve_inner(&self, task: &Task) -> Solution {
        if task.train.is_empty() || task.test.is_empty() {
            return Solution::nothing(task, StopReason::NotApplicable, 0);
        }
        let cfg = &self.config;
        // The wall-clock safety cap counts from the solve's start.
        let deadline = Instant::now() + cfg.limits.wall;
        let budget = cfg.budget.work();
        // With a guide, a share of the budget first searches in the registry's cost order; the
        // guide's order gets the rest when that finds no solid fit (and its prior is only
        // computed then).
        let share = if self.guide.is_uniform() { 1.0 } else { cfg.guide.uniform_share.clamp(0.0, 1.0) };
        let uniform_work = (budget as f64 * share as f64) as u64;
        let mut run = Run { solutions: Vec::new(), learnt: Vec::new(), partials: Vec::new(), stop: StopReason::Budget, work: 0 };
        let mut ttt_steps = 0;
        let uniform = Uniform.prim_probs(task);
        let variant = cfg.learn.variant;
        if uniform_work > 0 {
            run = attempt(task, uniform_work, variant, |t, ctx, work, learn| search_once(t, ctx, &uniform, cfg, deadline, work, learn));
        }
        if !run.strong() && run.stop != StopReason::Cap && run.work < budget {
            let (probs, steps) = self.guide.prim_probs_after(task, &candidates(&run));
            ttt_steps = steps;
            let guided =
                attempt(task, budget - run.work, variant, |t, ctx, work, learn| search_once(t, ctx, &probs, cfg, deadline, work, learn));
            run = run.then(guided);
        }
        let solved = !run.solutions.is_empty();
        let stop = if solved && run.stop != StopReason::Cap { StopReason::Solved } else { run.stop };
        // Weak fits (possibly memorised) come after the learnt rules: a stack of more pieces than
        // demos ranked first lost a local rule's right answer (training: one task gained, none lost).
        // On a shape-changing task the learnt rules (local rules over a state of the outputs'
        // shape) come after the weak fits: such a rule over a scaled or cropped state is a guess
        // at the cells, where a weak fit there is a whole program (training: one task kept).
        let (solid, weak): (Vec<_>, Vec<_>) = run.solutions.into_iter().partition(|p| !p.weak);
        let same_shape = task.keeps_shape();
        let (early, late) = if same_shape { (run.learnt, Vec::new()) } else { (Vec::new(), run.learnt) };
        let preds: Vec<rank::Prediction> =
            solid.into_iter().chain(early).chain(weak).chain(late).chain(run.partials).collect();
        let (attempts, used) = crate::solver::attempts_from(task.test.len(), preds.iter().map(|p| p.tests.as_slice()));
        Solution {
            attempts,
            answers: used.into_iter().map(|i| preds[i].answer.clone()).collect(),
            stop_reason: stop,
            fault: None,
            work: run.work,
            ttt_steps,
        }
    }
}

/// How many of the first share's best candidates the guide may learn from
/// ([`Guide::prim_probs_after`]).
const CANDIDATES: usize = 4;

/// The primitives of a run's best candidates (weak fits, then partial candidates; those with a
/// primitive only), best first, at most [`CANDIDATES`].
fn candidates(run: &Run) -> Vec<Vec<PrimId>> {
    run.solutions
        .iter()
        .chain(&run.partials)
        .map(|p| p.answer.prims())
        .filter(|p| !p.is_empty())
        .take(CANDIDATES)
        .collect()
}

/// Searches the task as given and, with a colour-normalised variant, that variant, within `work`
/// primitive applications (`search(task, work, learn)` searches one of them): the task as given
/// gets two thirds of the work and the variant what is left, only when the task as given found no
/// solid fit. The learners read the variant too when `learn_variant`
/// ([`config::Learn::variant`]); its rules come after the task's own.
fn attempt(task: &Task, work: u64, learn_variant: bool, mut search: impl FnMut(&Task, &Ctx, u64, bool) -> Run) -> Run {
    let norm = colors::normalize(task);
    let ctx = Ctx::for_task(task);
    let run = search(task, &ctx, if norm.is_some() { work * 2 / 3 } else { work }, true);
    let Some(n) = norm.filter(|_| !run.strong() && run.stop != StopReason::Cap) else { return run };
    // Searched in the context its answers replay in.
    let mut alt = search(&n.task, &n.ctx(&ctx), work.saturating_sub(run.work), learn_variant);
    for p in alt.solutions.iter_mut().chain(alt.learnt.iter_mut()) {
        p.tests = p.tests.iter().zip(&n.back).map(|(g, m)| m.apply(g)).collect();
        p.answer = n.wrap(p.answer.clone());
    }
    // The variant's partial candidates are in its own colours: only the task's own are kept.
    alt.partials.clear();
    let alt_learnt = std::mem::take(&mut alt.learnt);
    let mut out = alt.then(run);
    out.learnt.extend(alt_learnt);
    out
}

/// What one enumeration gives: ranked solutions, then learnt rules, then partial candidates.
struct Run {
    solutions: Vec<rank::Prediction>,
    learnt: Vec<rank::Prediction>,
    partials: Vec<rank::Prediction>,
    stop: StopReason,
    work: u64,
}

impl Run {
    /// Whether some solution is a solid (not possibly memorised) fit.
    fn strong(&self) -> bool {
        self.solutions.iter().any(|p| !p.weak)
    }

    /// Both runs' solutions (solid fits first, this run's before `next`'s among equals), learnt
    /// rules and partials, the work of both, and the stop reason of this run if it found a solid
    /// fit, else of `next`.
    fn then(mut self, mut next: Run) -> Run {
        let stop = if self.strong() { self.stop } else { next.stop };
        self.solutions.append(&mut next.solutions);
        self.solutions.sort_by_key(|p| p.weak);
        self.learnt.append(&mut next.learnt);
        self.partials.append(&mut next.partials);
        Run { solutions: self.solutions, learnt: self.learnt, partials: self.partials, stop, work: self.work + next.work }
    }
}

/// Enumerates (its programs run in `ctx`), composes, learns rules (when `learn`) and ranks on one
/// task.
fn search_once(task: &Task, ctx: &Ctx, probs: &[f32], cfg: &SearchConfig, deadline: Instant, work: u64, learn: bool) -> Run {
    conclude(task, engine::enumerate_until(task, *ctx, probs, cfg, work, deadline), learn)
}

/// Composes, learns rules (when `learn`) and ranks what an enumeration of `task` found.
fn conclude(task: &Task, en: engine::Enumeration, learn: bool) -> Run {
    let shapes = shape::predict(task);
    let solutions = rank::rank_solutions(&en, compose::overlays(&en), &shapes);
    let (learnt, learn_work) = if learn { learn::predictions(task, &en) } else { (Vec::new(), 0) };
    let partials = rank::partial_predictions(&en, &shapes);
    Run { partials, learnt, solutions, stop: en.stop, work: en.work + learn_work }
}

impl Solver for SearchSolver {
    fn name(&self) -> String {
        format!("search[{}]", self.guide.name())
    }

    fn budget(&self) -> String {
        self.config.budget.to_string()
    }

    /// Solves one task (its grids read in the task's [`crate::dsl::Ctx`]); a panic (a bug: every primitive is total) is reported as a [`StopReason::Fault`] with its
    /// message, never propagated.
    fn solve(&self, task: &Task) -> Solution {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.solve_inner(task)))
            .unwrap_or_else(|panic| Solution::fault(task, panic.as_ref()))
    }
}

#[cfg(test)]
mod tests;
