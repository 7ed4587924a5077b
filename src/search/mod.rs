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

pub mod colors;
pub mod compose;
pub mod config;
pub mod engine;
pub mod finish;
pub mod guide;
pub mod learn;
pub mod rank;
pub mod shape;
pub mod state;

pub use config::{Budget, SearchConfig, SettingError, SettingInfo};
pub use guide::{Guide, Uniform};

use crate::answer::Answer;
use crate::dsl::PrimId;
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
            run = attempt(task, uniform_work, variant, |t, work, learn| search_once(t, &uniform, cfg, deadline, work, learn));
        }
        if !run.strong() && run.stop != StopReason::Cap && run.work < budget {
            let (probs, steps) = self.guide.prim_probs_after(task, &candidates(&run));
            ttt_steps = steps;
            let guided = attempt(task, budget - run.work, variant, |t, work, learn| search_once(t, &probs, cfg, deadline, work, learn));
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
fn search_once(task: &Task, probs: &[f32], cfg: &SearchConfig, deadline: Instant, work: u64, learn: bool) -> Run {
    conclude(task, engine::enumerate_until(task, probs, cfg, work, deadline), learn)
}

/// Composes, learns rules (when `learn`) and ranks what an enumeration of `task` found.
fn conclude(task: &Task, en: engine::Enumeration, learn: bool) -> Run {
    let shapes = shape::predict(task);
    let solutions = rank::rank_solutions(&en, compose::overlays(&en, compose::Stacking::Modes), &shapes);
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
mod tests {
    use super::*;
    use super::config::StopRules;
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
        let mut wide = SearchConfig::new(Budget::Work(300_000));
        wide.stop.after_solution = 3;
        let mut cfg = wide.clone();
        cfg.limits.max_states = 40;
        cfg.keep.pieces = 16;
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
            let mut cfg = SearchConfig::new(budget);
            cfg.stop = StopRules { after_solid_share: share, after_first_solid_share: 1.0, after_solution: 12 };
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
            let mut cfg = SearchConfig::new(budget);
            cfg.stop = StopRules { after_first_solid_share: share, after_solid_share: 1.0, after_solution: 12 };
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
    fn programs_are_made_in_cost_order() {
        let task = task_from("(rot90 (half top input))", INPUTS);
        let probs = Uniform.prim_probs(&task);
        let at = |param_cost: f32| {
            // (No bound on the work after a solid fit: only the cost rule stops the search.)
            let mut cfg = SearchConfig::new(Budget::Work(2_000_000));
            cfg.moves.param_cost = param_cost;
            cfg.stop.after_solid_share = 1.0;
            cfg.stop.after_first_solid_share = 1.0;
            engine::enumerate(&task, &probs, &cfg, 2_000_000)
        };
        let (lazy, spread) = (at(0.0), at(0.25));
        for en in [&lazy, &spread] {
            assert_eq!(en.stop, StopReason::Solved);
        }
        // Every state is made at its cheapest cost, so fits come cheapest first...
        let costs: Vec<u32> = lazy.solutions.iter().map(|f| f.cost).collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
        // ... and no step that changes nothing on the demos (such as recolouring a colour only
        // the test input has, on top of a fit).
        assert!(lazy.solutions.iter().all(|f| !super::state::expr_of(&lazy.nodes, f.node).to_string().starts_with("(recolor 7 ")));
        // Depth 2 is expanded, not only made.
        let depths = lazy.states_by_depth();
        assert!(depths.len() >= 3 && depths[2].1 > 0, "{depths:?}");
        // With a cost per parameter setting, the many-setting moves of cheap states wait: the
        // next cost level after the fit is small, and the search stops sooner.
        assert!(spread.work < lazy.work, "{} vs {}", spread.work, lazy.work);
    }

    #[test]
    fn refinement_extends_the_best_partial_candidates_deeper_than_cost_order_reaches() {
        // Outputs no short program makes: the enumeration by cost stays shallow at this budget.
        let mut task = task_from("(rot90 input)", INPUTS);
        for (i, p) in task.train.iter_mut().enumerate() {
            p.output = Grid::from_fn(p.output.h(), p.output.w(), |r, c| ((r * 7 + c * 3 + i) % 4) as u8).unwrap();
        }
        let probs = Uniform.prim_probs(&task);
        let mut plain = SearchConfig::new(Budget::Work(40_000));
        plain.refine.share = 0.0;
        let mut refined = plain.clone();
        refined.refine = config::Refine { share: 0.5, width: 1, ..plain.refine.clone() };
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
        let mut off = cfg.clone();
        off.moves.finish = false;
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
