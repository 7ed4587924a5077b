//! Program search: a deterministic, deduplicated, cost-ordered enumeration over the DSL that
//! turns primitives into solved tasks.
//!
//! [`SearchSolver`] runs the [`engine`] on a task (all demo and test inputs at once; every grid
//! state of the wrong shape also tried with the [`finish`]ing steps its shapes allow), then
//! [`compose`]s partial pieces, [`learn`]s cellular rules (over the input or a shape-right state)
//! and object-recolouring rules (same-shape tasks), and [`rank`]s what fits into at most two
//! attempts per test input (solid fits, then learnt rules, then weak fits, then partial guesses;
//! on a shape-changing task the learnt rules after the weak fits), using the output-size rule of
//! [`shape`]. When no
//! solid fit turns up and the demos differ by a colour permutation, a [`colors`]-normalised copy
//! of the task gets the rest of the budget. With a guide, a share of the budget (3/4) first
//! searches in the registry's cost order and the guide's order gets the rest: a fresh search, or
//! with [`SearchConfig::resume`] the same search re-priced by the guide. Work is counted in
//! primitive applications ([`Budget`]), so results are identical on any machine and thread count;
//! the wall-clock cap is a safety net only, and past the storage cap new states become leaves, so
//! memory stays bounded without stopping the search.

pub mod budget;
pub mod colors;
pub mod compose;
pub mod engine;
pub mod finish;
pub mod guide;
pub mod learn;
pub mod rank;
pub mod shape;
pub mod state;

pub use budget::Budget;
pub use guide::{Guide, Uniform};

use crate::answer::Answer;
use crate::dsl::PrimId;
use crate::solver::{Solution, Solver, StopReason};
use crate::task::Task;
use std::time::{Duration, Instant};

/// Everything that configures a search; every limit is explicit.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// Work budget in primitive applications.
    pub budget: Budget,
    /// Largest program cost explored, in cost units.
    pub max_cost: u32,
    /// How many of the cheapest expanded states of each type multi-argument primitives combine.
    pub pool: usize,
    /// Once a solution of cost `c` is found, keep searching up to cost `c + after_solution`.
    pub after_solution: u32,
    /// Moves applied by cost: expanding a state schedules each of its moves in the bucket of the
    /// cost of the states it makes, so every program of cost c is made before any of cost c + 1
    /// (false: all of a state's moves are applied when it is expanded).
    pub by_cost: bool,
    /// Extra cost per move, in cost units per natural log of its number of parameter settings
    /// for the task (0: a primitive costs the same however many settings it has).
    pub param_cost: f32,
    /// How composition stacks pieces.
    pub stacking: compose::Stacking,
    /// Tiers of moves: a `grid -> grid` primitive with more parameter settings than this for the
    /// task is a last-step move, whose results are judged but never expanded (0: every move is
    /// expanded).
    pub leaf_params: usize,
    /// Once solid (not possibly memorised) fits give two different test predictions (one per
    /// attempt), at most this share of the budget's work more; then the enumeration stops as
    /// solved (1: never stops early). The default, 0.02, solved the same training tasks at the
    /// test budget as 1 with a tenth less CPU.
    pub after_solid_share: f32,
    /// Once a solid fit is found, at most this share of the budget's work more, whatever the
    /// second attempt (1: no bound beyond the other rules). The default, 0.1, solved the same
    /// training tasks at the test budget as 1 with a tenth less CPU.
    pub after_first_solid_share: f32,
    /// Stop after this many solutions.
    pub max_solutions: usize,
    /// Storage cap on states; past it the search goes on with leaves only (memory stays bounded).
    pub max_states: usize,
    /// Storage cap on bytes (approximate); past it the search goes on with leaves only.
    pub max_bytes: usize,
    /// Safety cap on wall-clock time, per task (from `task_started`).
    pub wall: Duration,
    /// When the task's solve began (set by each solve; none: each pass counts from its start).
    pub task_started: Option<Instant>,
    /// Partial candidates kept (the most cells right).
    pub keep_partials: usize,
    /// Shape-right states (other than the input, cheapest first) the local-rule learner reads as
    /// bases besides the input ([`learn::local`]): a rule `output cell = f(neighbourhood in the
    /// base)` over a state a few steps deep. The default, 128 (it was 8): at the test budget
    /// training 265/400 against 263 (two gained, none lost; 48 bases gave the same), evaluation
    /// 135/400 against 133 (three gained, one lost), at the same CPU.
    pub local_bases: usize,
    /// The learners also read the colour-normalised variant of the task (each grid's colours
    /// ranked by frequency), when it is searched: rules keyed by colour ranks cover test inputs
    /// in colours the demos never showed. Its rules come after the task's own. Default true: at
    /// the test budget evaluation 136/400 against 135 (one gained, none lost), training the same
    /// 265, at the same CPU.
    pub learn_variant: bool,
    /// Shape-right states kept as composition pieces.
    pub keep_pieces: usize,
    /// Composition pieces are kept only when they paint some demo cell and their painted and
    /// wrong demo cells differ from every piece kept before (false: the first `keep_pieces`
    /// shape-right states, copies included).
    pub distinct_pieces: bool,
    /// How strongly the guide's probabilities move costs (0 = ignore the guide).
    pub guide_weight: f32,
    /// How much the guide is trusted against the uniform prior, 0..=1 (1: fully; see
    /// [`guide::adjusted_cost`]).
    pub guide_mix: f32,
    /// With a guide, the share of the budget first searched in the registry's cost order
    /// (the guide's order gets the rest when that finds no solid fit).
    pub uniform_share: f32,
    /// Guided depth: with a guide, states `deep_from` steps or more from the input are extended
    /// only by the guide's `deep_k` most likely primitives for the task (0: by every primitive).
    /// The guide then decides which deep programs exist at all; the uniform prior has no top, so
    /// without a guide (and in the uniform share of the budget) every state is extended by all.
    pub deep_k: usize,
    /// The depth from which [`SearchConfig::deep_k`] applies (2: exhaustive to depth 2).
    pub deep_from: u8,
    /// Paint colours ([`crate::dsl::ParamTy::Paint`]: the colour a primitive writes into its
    /// result) are tried only with the colours of the demo outputs, not every colour of the task
    /// (a program that fits and paints a colour no demo output shows is rare; fewer moves per state).
    pub paint_outputs: bool,
    /// The share of each enumeration's work held back for the refinement phase, a beam over
    /// the best partial candidates run when the enumeration found no solid fit (0: none).
    pub refine_share: f32,
    /// How many states the refinement phase's beam extends per round.
    pub refine_width: usize,
    /// The refinement beam also extends its states by multi-argument grid steps (`paint`,
    /// `erase`, ...), the other arguments taken from the pools of cheapest states.
    pub refine_multi: bool,
    /// The refinement beam takes at most this many children of one state per round (0: any
    /// number). Default 2: at the test budget training 246/400 against 245 with any number
    /// (one task gained, none lost), evaluation the same 111 tasks.
    pub refine_per_parent: usize,
    /// Finishing steps ([`finish`]): every new grid state of the wrong shape is tried with the
    /// scalings and tilings its shapes allow (and, where the demos change shape, crops and
    /// resizes to the outputs' shape), parameters read off the shapes; results that fit are kept
    /// as leaves.
    pub finish: bool,
    /// With a guide, one resumable search instead of two: the guide re-prices the frontier the
    /// uniform share left ([`engine::Enumerator::resume`]) rather than a fresh search redoing the
    /// cheap states (needs `by_cost`).
    pub resume: bool,
}

impl SearchConfig {
    /// The defaults for a budget.
    pub fn new(budget: Budget) -> SearchConfig {
        SearchConfig {
            budget,
            max_cost: 12,
            pool: 24,
            after_solution: 1,
            after_solid_share: 0.02,
            after_first_solid_share: 0.1,
            leaf_params: 0,
            by_cost: true,
            stacking: compose::Stacking::Modes,
            param_cost: 0.25,
            max_solutions: 64,
            max_states: 4_000_000,
            max_bytes: 384 << 20,
            wall: Duration::from_secs(300),
            task_started: None,
            keep_partials: 8,
            local_bases: 128,
            learn_variant: true,
            keep_pieces: 4096,
            distinct_pieces: false,
            guide_weight: 0.5,
            guide_mix: 0.5,
            uniform_share: 0.75,
            deep_k: 0,
            deep_from: 2,
            paint_outputs: false,
            refine_share: budget.refine_share(),
            refine_width: 8,
            refine_multi: false,
            refine_per_parent: 2,
            finish: true,
            resume: false,
        }
    }

    /// A primitive's cost in guide steps under this configuration, from its registry cost and
    /// the guide's probability `p` for it among `n` primitives.
    pub fn move_cost(&self, cost: u32, p: f32, n: usize) -> u32 {
        guide::adjusted_cost(cost, p, n, self.guide_weight, self.guide_mix)
    }
}

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
        let cfg = &SearchConfig { task_started: Some(Instant::now()), ..self.config.clone() };
        let budget = cfg.budget.work();
        // With a guide, a share of the budget first searches in the registry's cost order; the
        // guide's order gets the rest when that finds no solid fit (and its prior is only
        // computed then).
        let share = if self.guide.is_uniform() { 1.0 } else { cfg.uniform_share.clamp(0.0, 1.0) };
        let uniform_work = (budget as f64 * share as f64) as u64;
        let mut run = Run { solutions: Vec::new(), learnt: Vec::new(), partials: Vec::new(), stop: StopReason::Budget, work: 0 };
        let mut ttt_steps = 0;
        let uniform = Uniform.prim_probs(task);
        if cfg.resume && cfg.by_cost && !self.guide.is_uniform() {
            // One search per variant: the uniform share first, then the guide's prior (computed
            // once, on the task as given) re-prices what is left of it.
            let mut guided: Option<Vec<f32>> = None;
            run = attempt(task, budget, cfg.learn_variant, |t, work, learn| {
                let first = (work as f64 * share as f64) as u64;
                let mut en = engine::Enumerator::start(t, &uniform, cfg, first);
                if !en.strong() && en.stop() != StopReason::Cap && en.work() < work {
                    let probs = guided.get_or_insert_with(|| self.guide.prim_probs(task));
                    en.resume(probs, work - en.work());
                }
                conclude(t, en.into_enumeration(), cfg, learn)
            });
            if guided.is_some() {
                ttt_steps = self.guide.ttt_steps();
            }
        } else {
            if uniform_work > 0 {
                run = attempt(task, uniform_work, cfg.learn_variant, |t, work, learn| search_once(t, &uniform, cfg, work, learn));
            }
            if !run.strong() && run.stop != StopReason::Cap && run.work < budget {
                let (probs, steps) = self.guide.prim_probs_after(task, &candidates(&run));
                ttt_steps = steps;
                let guided = attempt(task, budget - run.work, cfg.learn_variant, |t, work, learn| search_once(t, &probs, cfg, work, learn));
                run = run.then(guided);
            }
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
/// ([`SearchConfig::learn_variant`]); its rules come after the task's own.
fn attempt(task: &Task, work: u64, learn_variant: bool, mut search: impl FnMut(&Task, u64, bool) -> Run) -> Run {
    let norm = colors::normalize(task);
    let run = search(task, if norm.is_some() { work * 2 / 3 } else { work }, true);
    let Some(n) = norm.filter(|_| !run.strong() && run.stop != StopReason::Cap) else { return run };
    // Its background is read in its own colours.
    let mut alt = search(&n.task, work.saturating_sub(run.work), learn_variant);
    for p in alt.solutions.iter_mut().chain(alt.learnt.iter_mut()) {
        p.tests = p.tests.iter().zip(&n.back).map(|(g, m)| m.apply(g)).collect();
        p.answer = Answer::Normalized(Box::new(p.answer.clone()));
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

/// Enumerates, composes, learns rules (when `learn`) and ranks on one task.
fn search_once(task: &Task, probs: &[f32], cfg: &SearchConfig, work: u64, learn: bool) -> Run {
    conclude(task, engine::enumerate(task, probs, cfg, work), cfg, learn)
}

/// Composes, learns rules (when `learn`) and ranks what an enumeration of `task` found.
fn conclude(task: &Task, en: engine::Enumeration, cfg: &SearchConfig, learn: bool) -> Run {
    let shapes = shape::predict(task);
    let solutions = rank::rank_solutions(&en, compose::overlays(&en, cfg.stacking), &shapes);
    let (learnt, learn_work) = if learn { learn::predictions(task, &en) } else { (Vec::new(), 0) };
    let partials = rank::partial_predictions(&en, &shapes);
    Run { partials, learnt, solutions, stop: en.stop, work: en.work + learn_work }
}

impl Solver for SearchSolver {
    fn name(&self) -> String {
        if self.config.deep_k > 0 && !self.guide.is_uniform() {
            format!("search[{} top {} from depth {}]", self.guide.name(), self.config.deep_k, self.config.deep_from)
        } else {
            format!("search[{}]", self.guide.name())
        }
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
mod tests {
    use super::*;
    use crate::testing::grid;
    use crate::grid::Grid;
    use crate::program::Program;
    use crate::task::{Pair, TestPair};

    /// A task whose outputs are `program` applied to the inputs; the last input is the test.
    fn task_from(program: &str, inputs: &[&str]) -> Task {
        let p: Program = program.parse().unwrap();
        let mut pairs: Vec<Pair> =
            inputs.iter().map(|s| grid(s)).map(|g| Pair { output: p.run(&crate::dsl::Ctx::plain(), &g).unwrap(), input: g }).collect();
        let test = pairs.pop().unwrap();
        Task { id: "hand".into(), train: pairs, test: vec![TestPair { input: test.input, output: Some(test.output) }] }
    }

    const INPUTS: &[&str] = &["120/300/004", "1102/0030/5000", "01/23/45", "7000/0800/0090/0006"];

    fn solves(task: &Task, budget: Budget) -> Solution {
        let sol = SearchSolver::new(SearchConfig::new(budget)).solve(task);
        assert_eq!(sol.stop_reason, StopReason::Solved, "{task:?} {sol:?}");
        assert_eq!(Some(&sol.attempts[0][0]), task.test[0].output.as_ref(), "{:?}", sol.program());
        sol
    }

    #[test]
    fn finds_short_programs() {
        for prog in ["(rot90 input)", "(mirror_lr (rot90 input))", "(shift down (transpose input))"] {
            let task = task_from(prog, INPUTS);
            let sol = solves(&task, Budget::Work(300_000));
            let found: Program = sol.answers[0].as_program().unwrap().clone();
            assert!(found.cost() <= prog.parse::<Program>().unwrap().cost(), "{prog} -> {found}");
            for p in &task.train {
                assert_eq!(found.run(&crate::dsl::Ctx::for_task(&task), &p.input).unwrap(), p.output);
            }
        }
    }

    #[test]
    fn colour_map_after_a_program() {
        let mut task = task_from("(rot180 input)", &["120/300/004", "1102/0030/5000", "01/23/45", "2100/0030/0001"]);
        let swap = |g: &Grid| Grid::from_fn(g.h(), g.w(), |r, c| [0, 2, 1, 3, 4, 5, 6, 7, 8, 9][g.get(r, c) as usize]).unwrap();
        for p in &mut task.train {
            p.output = swap(&p.output);
        }
        let want = swap(task.test[0].output.as_ref().unwrap());
        task.test[0].output = Some(want.clone());
        let sol = solves(&task, Budget::Tiny);
        assert!(sol.program().unwrap().starts_with("(colormap {1>2 2>1}"), "{:?}", sol.program());
    }

    #[test]
    fn storage_cap_bounds_memory_without_stopping() {
        let task = task_from("(mirror_lr (rot90 input))", INPUTS);
        // (Searching three cost units past the fit, so that the uncapped search stores plenty.)
        let wide = SearchConfig { after_solution: 3, ..SearchConfig::new(Budget::Work(300_000)) };
        let cfg = SearchConfig { max_states: 40, keep_pieces: 16, ..wide.clone() };
        let en = engine::enumerate(&task, &Uniform.prim_probs(&task), &cfg, 300_000);
        assert_eq!(en.stop, StopReason::Solved);
        // Past the cap only fits, composition pieces (at most `keep_pieces`) and improving
        // partials are kept.
        let uncapped = engine::enumerate(&task, &Uniform.prim_probs(&task), &wide, 300_000);
        assert!(en.nodes.len() * 10 < uncapped.nodes.len(), "{} vs {} states stored", en.nodes.len(), uncapped.nodes.len());
        solves(&task, Budget::Work(300_000));
    }

    #[test]
    fn colour_normalisation_covers_permuted_demos() {
        // Each demo keeps only its most common non-zero colour (a different colour each time),
        // painted in the demo's least common colour: the same program once colours are ranked.
        let pair = |i: &str, o: &str| Pair { input: grid(i), output: grid(o) };
        let task = Task {
            id: "ranked".into(),
            train: vec![
                pair("1120/1100/0013/0000", "2200/2200/0020/0000"),
                pair("0550/6505/0550/0004", "0440/0404/0440/0000"),
                pair("3003/0330/8308/0000", "8008/0880/0800/0000"),
            ],
            test: vec![TestPair { input: grid("0770/7007/0790/0000"), output: Some(grid("0990/9009/0900/0000")) }],
        };
        solves(&task, Budget::Work(300_000));
    }

    #[test]
    fn a_panicking_primitive_is_a_fault_with_its_message() {
        // `test_panic` (registered in unit tests only) panics on the poison grid, a demo input.
        let poison = crate::testing::poison();
        let task = Task {
            id: "faulty".into(),
            train: vec![Pair { input: poison.clone(), output: poison.clone() }, Pair { input: grid("12/34"), output: grid("21/43") }],
            test: vec![TestPair { input: grid("56/78"), output: None }],
        };
        let sol = SearchSolver::new(SearchConfig::new(Budget::Tiny)).solve(&task);
        assert_eq!(sol.stop_reason, StopReason::Fault, "{sol:?}");
        assert_eq!(sol.fault.as_deref(), Some("test_panic: the poison grid"));
        assert!(sol.answers.is_empty() && sol.attempts.iter().all(Vec::is_empty));
        // The report says so too: a fault is not a cap.
        let report = crate::eval::run_task(&SearchSolver::new(SearchConfig::new(Budget::Tiny)), &Task {
            test: vec![TestPair { input: grid("56/78"), output: Some(grid("65/87")) }],
            ..task
        })
        .unwrap();
        assert_eq!(report.stop_reason, StopReason::Fault);
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains(r#""stop_reason":"fault""#) && json.contains(r#""fault":"test_panic: the poison grid""#), "{json}");
    }

    #[test]
    fn a_solid_fit_stops_the_search_after_a_bounded_amount_of_work() {
        let task = task_from("(rot90 input)", INPUTS);
        let budget = Budget::Work(2_000_000);
        // (The cost rule's own stop pushed out of the way: only the share rule stops.)
        let at = |share: f32| {
            let cfg = SearchConfig { after_solid_share: share, after_first_solid_share: 1.0, after_solution: 12, ..SearchConfig::new(budget) };
            SearchSolver::new(cfg).solve(&task)
        };
        let (none, some, unbounded) = (at(0.0), at(0.001), at(1.0));
        for s in [&none, &some, &unbounded] {
            assert_eq!(s.stop_reason, StopReason::Solved);
            assert_eq!(s.attempts[0][0], unbounded.attempts[0][0]);
        }
        // No work after solid fits give two different test predictions, then 2,000 applications
        // more at most (plus the learners': at most 9 bases × 14 local features × 4 grids and the
        // object and cell learners' few), where the cost rule alone goes on through the next cost
        // level.
        let learners = 9 * 14 * 4 + 100;
        assert!(none.work < some.work && some.work <= none.work + 2_000 + learners, "{} then {}", none.work, some.work);
        assert!(some.work < unbounded.work, "{} vs {}", some.work, unbounded.work);
        // Bounded from the first solid fit instead: the same first attempt, sooner still.
        let first = |share: f32| {
            let cfg = SearchConfig { after_first_solid_share: share, after_solid_share: 1.0, after_solution: 12, ..SearchConfig::new(budget) };
            SearchSolver::new(cfg).solve(&task)
        };
        let (at_once, soon) = (first(0.0), first(0.001));
        for s in [&at_once, &soon] {
            assert_eq!(s.stop_reason, StopReason::Solved);
            assert_eq!(s.attempts[0][0], unbounded.attempts[0][0]);
        }
        assert!(at_once.work <= none.work && soon.work <= at_once.work + 2_000 + learners, "{} then {}", at_once.work, soon.work);
    }

    #[test]
    fn by_cost_makes_programs_in_cost_order() {
        let task = task_from("(rot90 (half top input))", INPUTS);
        let probs = Uniform.prim_probs(&task);
        let at = |by_cost: bool, param_cost: f32| {
            // (No bound on the work after a solid fit: only the cost rule stops the search.)
            let cfg = SearchConfig {
                by_cost,
                param_cost,
                after_solid_share: 1.0,
                after_first_solid_share: 1.0,
                ..SearchConfig::new(Budget::Work(2_000_000))
            };
            engine::enumerate(&task, &probs, &cfg, 2_000_000)
        };
        let (eager, lazy, spread) = (at(false, 0.0), at(true, 0.0), at(true, 0.25));
        for en in [&eager, &lazy, &spread] {
            assert_eq!(en.stop, StopReason::Solved);
        }
        // Every state is made at its cheapest cost, so fits come cheapest first...
        let costs: Vec<u32> = lazy.solutions.iter().map(|f| f.cost).collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
        assert_eq!(costs[0], eager.solutions.iter().map(|f| f.cost).min().unwrap());
        // ... and no step that changes nothing on the demos (such as recolouring a colour only
        // the test input has, on top of a fit).
        assert!(lazy.solutions.iter().all(|f| !super::state::expr_of(&lazy.nodes, f.node).to_string().starts_with("(recolor 7 ")));
        // Depth 2 is expanded, not only made.
        let depths = lazy.states_by_depth();
        assert!(depths.len() >= 3 && depths[2].1 > 0, "{depths:?}");
        // With a cost per parameter setting, the many-setting moves of cheap states wait: the
        // next cost level after the fit is small, and the search stops long before the budget.
        assert!(spread.work * 4 < eager.work, "{} vs {}", spread.work, eager.work);
    }

    #[test]
    fn guided_depth_extends_deep_states_by_the_top_primitives_only() {
        let task = task_from("(upscale 2 (mirror_lr (half top input)))", INPUTS);
        let reg = crate::dsl::registry();
        let top = ["half", "mirror_lr", "upscale", "rot90"].map(|n| reg.id(n).unwrap() as usize);
        // A guide that likes these four primitives (and, a little, everything else).
        let probs: Vec<f32> = (0..reg.len()).map(|i| if top.contains(&i) { 0.2 } else { 0.001 }).collect();
        let base = SearchConfig { after_solid_share: 1.0, after_first_solid_share: 1.0, ..SearchConfig::new(Budget::Work(300_000)) };
        let deep = SearchConfig { deep_k: 4, deep_from: 2, ..base.clone() };
        let (all, narrow) = (engine::enumerate(&task, &probs, &base, 300_000), engine::enumerate(&task, &probs, &deep, 300_000));
        // States two steps deep or more are extended by the four top primitives only (finishing
        // steps, judged and never expanded, are tried on every state)...
        for (id, node) in narrow.nodes.iter().enumerate() {
            if let state::Recipe::Call { prim, args, .. } = &node.recipe
                && !node.leaf
                && args.iter().any(|&a| narrow.nodes[a as usize].depth >= 2)
            {
                assert!(top.contains(&(*prim as usize)), "state {id}: {}", state::expr_of(&narrow.nodes, id as u32));
            }
        }
        // ... which reaches the depth-3 program with less work than extending them by everything.
        assert!(narrow.solutions.iter().any(|f| f.fit == engine::Fit::Exact), "{:?}", narrow.stop);
        assert!(narrow.work < all.work, "{} vs {}", narrow.work, all.work);
        // Depth 1 is untouched: as many depth-1 states either way.
        assert_eq!(narrow.states_by_depth()[1], all.states_by_depth()[1]);
        // The uniform prior has no top: the setting changes nothing without a guide.
        let uniform = Uniform.prim_probs(&task);
        let (u_all, u_deep) = (engine::enumerate(&task, &uniform, &base, 300_000), engine::enumerate(&task, &uniform, &deep, 300_000));
        assert_eq!((u_all.nodes.len(), u_all.work), (u_deep.nodes.len(), u_deep.work));
    }

    #[test]
    fn a_resumed_search_goes_on_where_the_uniform_share_stopped() {
        let task = task_from("(upscale 2 (mirror_lr (half top input)))", INPUTS);
        let reg = crate::dsl::registry();
        let top = ["half", "mirror_lr", "upscale"].map(|n| reg.id(n).unwrap() as usize);
        let probs: Vec<f32> = (0..reg.len()).map(|i| if top.contains(&i) { 0.2 } else { 0.001 }).collect();
        let uniform = Uniform.prim_probs(&task);
        let cfg = SearchConfig { after_solid_share: 0.0, after_first_solid_share: 0.0, ..SearchConfig::new(Budget::Work(2_000_000)) };
        let exact = |en: &engine::Enumeration| en.solutions.iter().any(|f| f.fit == engine::Fit::Exact);
        // The uniform share stops short of the fit...
        let first = 2_000;
        let mut en = engine::Enumerator::start(&task, &uniform, &cfg, first);
        assert!(!en.strong() && en.stop() == StopReason::Budget);
        let spent = en.work();
        // ... the guide's prior, resumed, reaches it with less work than a fresh guided search.
        en.resume(&probs, 2_000_000);
        let resumed = en.into_enumeration();
        let fresh = engine::enumerate(&task, &probs, &cfg, 2_000_000);
        assert!(exact(&resumed) && exact(&fresh));
        assert!(resumed.work - spent < fresh.work, "{} after {spent} vs {}", resumed.work - spent, fresh.work);
        // Resumed under the same prior, the search goes on as one: the same fits as a search
        // never stopped, and nearly the same work (an interrupted job is redone).
        let mut split = engine::Enumerator::start(&task, &uniform, &cfg, first);
        split.resume(&uniform, 2_000_000);
        let (split, whole) = (split.into_enumeration(), engine::enumerate(&task, &uniform, &cfg, 2_000_000));
        let fits = |en: &engine::Enumeration| en.solutions.iter().map(|f| state::expr_of(&en.nodes, f.node).to_string()).collect::<Vec<_>>();
        assert_eq!(fits(&split), fits(&whole));
        assert!(split.work >= whole.work && split.work <= whole.work + 1_000, "{} vs {}", split.work, whole.work);
        // The solver's resumed path solves it too.
        let solver = SearchSolver::new(SearchConfig { resume: true, ..SearchConfig::new(Budget::Work(2_000_000)) });
        let sol = solver.with_guide(Box::new(Fixed(probs))).solve(&task);
        assert_eq!(sol.stop_reason, StopReason::Solved);
        assert!(sol.attempts[0].iter().any(|g| Some(g) == task.test[0].output.as_ref()), "{:?}", sol.answers);
    }

    /// A guide with fixed probabilities.
    struct Fixed(Vec<f32>);

    impl Guide for Fixed {
        fn name(&self) -> String {
            "fixed".into()
        }
        fn prim_probs(&self, _task: &Task) -> Vec<f32> {
            self.0.clone()
        }
    }

    #[test]
    fn refinement_extends_the_best_partial_candidates_deeper_than_cost_order_reaches() {
        // Outputs no short program makes: the enumeration by cost stays shallow at this budget.
        let mut task = task_from("(rot90 input)", INPUTS);
        for (i, p) in task.train.iter_mut().enumerate() {
            p.output = Grid::from_fn(p.output.h(), p.output.w(), |r, c| ((r * 7 + c * 3 + i) % 4) as u8).unwrap();
        }
        let probs = Uniform.prim_probs(&task);
        let plain = SearchConfig { refine_share: 0.0, ..SearchConfig::new(Budget::Work(40_000)) };
        let refined = SearchConfig { refine_share: 0.5, refine_width: 1, ..plain.clone() };
        let a = engine::enumerate(&task, &probs, &plain, 40_000);
        let b = engine::enumerate(&task, &probs, &refined, 40_000);
        assert!(b.work <= 40_000 && a.work <= 40_000);
        let (da, db) = (a.states_by_depth().len(), b.states_by_depth().len());
        assert!(db > da + 1, "deepest state: {db} steps refined vs {da}");
        // Its states are never partial candidates: those stay the enumeration's own (shallower).
        let deepest_partial = b.partials.iter().map(|p| b.nodes[p.node as usize].depth as usize).max().unwrap();
        assert!(deepest_partial < db - 1, "a partial candidate {deepest_partial} steps deep");
        // Deterministic.
        let again = engine::enumerate(&task, &probs, &refined, 40_000);
        assert_eq!((again.work, again.nodes.len(), again.partials[0].node), (b.work, b.nodes.len(), b.partials[0].node));
    }

    #[test]
    fn composition_pieces_are_kept_by_distinct_cells() {
        let task = task_from("(rot90 input)", INPUTS);
        let probs = Uniform.prim_probs(&task);
        let outputs: Vec<&Grid> = task.train.iter().map(|p| &p.output).collect();
        let bg = crate::dsl::color::background(&outputs);
        // The painted (non-background) demo cells of a piece, each with whether it is right.
        let cells = |en: &engine::Enumeration, id: u32| -> Vec<(usize, bool)> {
            let mut at = 0;
            let mut out = Vec::new();
            for (v, t) in en.nodes[id as usize].vals.iter().zip(&outputs) {
                let g = v.as_grid().unwrap();
                out.extend(g.cells().iter().zip(t.cells()).enumerate().filter(|(_, (a, _))| **a != bg).map(|(i, (a, b))| (at + i, a == b)));
                at += t.cells().len();
            }
            out
        };
        let keep = 64;
        let plain = SearchConfig { distinct_pieces: false, keep_pieces: keep, after_solution: 3, ..SearchConfig::new(Budget::Work(100_000)) };
        let distinct = SearchConfig { distinct_pieces: true, ..plain.clone() };
        let a = engine::enumerate(&task, &probs, &plain, 100_000);
        let b = engine::enumerate(&task, &probs, &distinct, 100_000);
        // The first shape-right states repeat their cells; distinct pieces never do, each paints
        // something, and the cap holds more different ones.
        let sigs = |en: &engine::Enumeration| en.pieces.iter().map(|&id| cells(en, id)).collect::<Vec<_>>();
        let (sa, sb) = (sigs(&a), sigs(&b));
        let unique = |s: &[Vec<(usize, bool)>]| s.iter().collect::<std::collections::HashSet<_>>().len();
        assert_eq!(sa.len(), keep);
        assert!(unique(&sa) < keep, "the plain pieces repeat no cells: {}", unique(&sa));
        assert_eq!(unique(&sb), sb.len());
        assert!(sb.iter().all(|c| !c.is_empty()));
        assert!(unique(&sb) > unique(&sa), "{} distinct pieces against {}", unique(&sb), unique(&sa));
    }

    #[test]
    fn paint_colours_come_from_the_demo_outputs() {
        let task = task_from("(recolor 1 6 (rot90 input))", INPUTS);
        let outputs = engine::output_colors(&task);
        assert!(outputs.contains(&6) && !outputs.contains(&7), "{outputs:?}");
        let probs = Uniform.prim_probs(&task);
        // Which colours `recolor` painted in the states a search stored.
        let painted = |cfg: &SearchConfig| {
            let en = engine::enumerate(&task, &probs, cfg, 300_000);
            let recolor = crate::dsl::registry().id("recolor").unwrap();
            let mut seen = std::collections::BTreeSet::new();
            for node in &en.nodes {
                if let state::Recipe::Call { prim, params, .. } = &node.recipe
                    && *prim == recolor
                {
                    seen.insert(params[1] as u8);
                }
            }
            (en.stop, seen)
        };
        let cfg = SearchConfig { paint_outputs: true, ..SearchConfig::new(Budget::Work(300_000)) };
        let (stop, seen) = painted(&cfg);
        assert_eq!(stop, StopReason::Solved);
        assert!(!seen.is_empty() && seen.iter().all(|c| outputs.contains(c)), "painted {seen:?}, outputs {outputs:?}");
        // Every colour of the task otherwise.
        let (_, all) = painted(&SearchConfig { paint_outputs: false, after_solution: 3, ..cfg });
        assert!(all.iter().any(|c| !outputs.contains(c)), "painted {all:?}");
        solves(&task, Budget::Work(300_000));
    }

    #[test]
    fn last_step_moves_are_judged_but_never_expanded() {
        // `recolor` (many colour pairs) as a last-step move: its results still solve the task...
        let task = task_from("(recolor 1 6 (rot90 input))", INPUTS);
        let cfg = SearchConfig { leaf_params: 4, ..SearchConfig::new(Budget::Work(300_000)) };
        let probs = Uniform.prim_probs(&task);
        let en = engine::enumerate(&task, &probs, &cfg, 300_000);
        assert_eq!(en.stop, StopReason::Solved);
        // ... but nothing is built on them: no stored state's program has a recolour below its top.
        let recolor = crate::dsl::registry().id("recolor").unwrap();
        for (id, node) in en.nodes.iter().enumerate() {
            if let state::Recipe::Call { args, .. } = &node.recipe {
                for &a in args {
                    let arg = &en.nodes[a as usize];
                    let made_by_recolor = matches!(&arg.recipe, state::Recipe::Call { prim, .. } if *prim == recolor);
                    assert!(!(made_by_recolor && arg.leaf), "state {id} extends a last-step result");
                }
            }
        }
        // A task that needs a step after the last-step move is out of reach.
        let needs_more = task_from("(rot90 (recolor 1 6 input))", INPUTS);
        let en2 = engine::enumerate(&needs_more, &probs, &cfg, 300_000);
        let found = en2.solutions.iter().any(|f| matches!(f.fit, engine::Fit::Exact));
        let direct = engine::enumerate(&needs_more, &probs, &SearchConfig::new(Budget::Work(300_000)), 300_000);
        assert!(direct.solutions.iter().any(|f| matches!(f.fit, engine::Fit::Exact)));
        // (recolor commutes with rot90, so the tiered search still finds the other order)
        assert!(found, "the tiered search finds (recolor 1 6 (rot90 input))");
    }

    #[test]
    fn finishing_steps_take_their_parameters_from_the_shapes() {
        // `scale_to` is never enumerated (900 settings): only a finishing step reaches it, with
        // the outputs' constant shape as its parameters.
        let inputs = ["1102/0030/5000", "01/23/45", "7000/0800/0090/0006", "12/34"];
        let task = task_from("(scale_to 3 3 (mirror_lr (rot90 input)))", &inputs);
        let probs = Uniform.prim_probs(&task);
        let cfg = SearchConfig::new(Budget::Work(300_000));
        let en = engine::enumerate(&task, &probs, &cfg, 300_000);
        let exact: Vec<String> =
            en.solutions.iter().filter(|f| f.fit == engine::Fit::Exact).map(|f| state::expr_of(&en.nodes, f.node).to_string()).collect();
        assert!(exact.iter().any(|p| p.starts_with("(scale_to 3 3 ")), "{exact:?}");
        // Finished fits are leaves: nothing is built on them.
        for node in &en.nodes {
            if let state::Recipe::Call { args, .. } = &node.recipe {
                assert!(args.iter().all(|&a| !en.nodes[a as usize].leaf));
            }
        }
        solves(&task, Budget::Work(300_000));
        // Without finishing steps, no program of the search's fits.
        let off = SearchConfig { finish: false, ..cfg };
        let en = engine::enumerate(&task, &probs, &off, 300_000);
        assert!(en.solutions.iter().all(|f| !state::expr_of(&en.nodes, f.node).to_string().contains("scale_to")));
        // A ratio of shapes gives the scale: twice as tall, three times as wide.
        let task = task_from("(upscale_xy 2 3 (rot180 input))", INPUTS);
        let en = engine::enumerate(&task, &probs, &cfg, 300_000);
        assert!(en.solutions.iter().any(|f| f.fit == engine::Fit::Exact && en.nodes[f.node as usize].leaf), "{:?}", en.stop);
    }

    #[test]
    fn budget_stops_the_search() {
        // One input, two different outputs: no program fits, so the budget must stop the search.
        let task = Task {
            id: "none".into(),
            train: vec![
                Pair { input: grid("12/34"), output: grid("5") },
                Pair { input: grid("12/34"), output: grid("6") },
            ],
            test: vec![TestPair { input: grid("11/22"), output: None }],
        };
        let cfg = SearchConfig { budget: Budget::Work(500), ..SearchConfig::new(Budget::Tiny) };
        let sol = SearchSolver::new(cfg).solve(&task);
        assert_eq!(sol.stop_reason, StopReason::Budget, "{sol:?}");
        // The enumeration's 500 and the local-rule learner's few after it (at most 9 bases × 14
        // features × 3 grids: it also reads shape-right states of shape-changing tasks).
        assert!(sol.work <= 500 + 9 * 14 * 3, "{}", sol.work);
        assert_eq!(sol.attempts.len(), 1);
    }

    #[test]
    fn deterministic_across_runs_and_threads() {
        let tasks: Vec<Task> = ["(rot90 input)", "(mirror_ud (shift left input))", "(antitranspose input)"]
            .iter()
            .map(|p| task_from(p, INPUTS))
            .collect();
        let solver = SearchSolver::new(SearchConfig::new(Budget::Work(20_000)));
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                use rayon::prelude::*;
                tasks.par_iter().map(|t| solver.solve(t)).collect::<Vec<_>>()
            })
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(1));
    }
}
