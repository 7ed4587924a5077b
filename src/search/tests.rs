//! The search's own tests: whole searches on small hand-made tasks (programs found, stop rules,
//! storage caps, refinement, finishing steps, faults, determinism).

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

#[test]
fn a_step_mapped_over_parts_is_found_at_the_cost_of_two_steps() {
    // Every object mirrored in its own box: no whole-grid step of the DSL does it.
    let prog = "(paste (map (mirror_lr) (parts c4 multi bgmost input)))";
    let inputs = ["0000000/0120000/0000340/0000000", "1200000/0000000/0005600/0007000", "0000000/0089000/0000000/0000120", "0000000/0330400/0000000/0560000"];
    let task = task_from(prog, &inputs);
    let en = engine::enumerate(&task, &Uniform.prim_probs(&task), &SearchConfig::new(Budget::Fast), Budget::Fast.work());
    let found = en.solutions.iter().find(|f| f.fit == engine::Fit::Exact).expect("an exact fit");
    let expr = state::expr_of(&en.nodes, found.node);
    assert_eq!(expr.to_string(), prog);
    // Split, mapped step and the join painted back: priced like two steps of the registry
    // (the join is a finishing step), and found below depth 3.
    let two_steps: Program = "(mirror_lr (rot90 input))".parse().unwrap();
    let split_and_step = registry_cost("parts") + registry_cost("mirror_lr");
    assert_eq!(split_and_step, two_steps.cost());
    assert!(en.nodes[found.node as usize].depth <= 3, "{}", en.nodes[found.node as usize].depth);
}

/// A primitive's registry cost.
fn registry_cost(name: &str) -> u32 {
    let reg = crate::dsl::registry();
    reg.get(reg.id(name).unwrap()).cost
}
