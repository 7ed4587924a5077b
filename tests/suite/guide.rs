//! The shipped guide: it loads with its checks, scores every primitive with a finite
//! probability, ranks sensibly on fixed tasks (snapshots), adapts at test time
//! deterministically, and makes the search find programs with less work than the uniform prior.

use arc_solver::dsl::{PrimId, registry};
use arc_solver::guide::synth::{InputPool, is_validation, sample_task};
use arc_solver::guide::ttt::{TttConfig, adapt_to_candidates};
use arc_solver::guide::{GuideError, NeuralGuide, VocabPolicy, paths, shipped_prefix};
use arc_solver::guide::prior::NeuralPrior;
use arc_solver::rng::Rng;
use arc_solver::search::config::GuideMix;
use arc_solver::search::{Budget, SearchConfig, SearchSolver};
use arc_solver::solver::{Solver, StopReason};
use arc_solver::task::{Task, TestPair, load_dataset};

fn shipped() -> NeuralGuide {
    arc_solver::guide::one_thread();
    // Primitives added to the registry since training are allowed, as the solvers allow them.
    NeuralGuide::load_with(&shipped_prefix(), VocabPolicy::AllowAdded)
        .unwrap_or_else(|e| panic!("the shipped guide must load: {e}"))
}

fn training() -> Vec<Task> {
    load_dataset("arc-agi-1", "training").expect("scripts/setup installs the data").tasks
}

#[test]
fn shipped_guide_loads_and_gives_finite_probabilities() {
    let g = shipped();
    assert_eq!(g.meta.vocab.len() + g.unseen(), registry().len());
    for t in training().iter().take(20) {
        let p = g.predict(&t.train);
        assert_eq!(p.len(), registry().len(), "one probability per primitive");
        assert!(p.iter().all(|x| x.is_finite() && (0.0..=1.0).contains(x)), "{}: {p:?}", t.id);
    }
}

#[test]
fn top10_snapshots() {
    let g = shipped();
    let tasks = training();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for id in ["007bbfb7", "3c9b0459", "a416b8f3", "d631b094"] {
            let t = tasks.iter().find(|t| t.id == id).expect("a training task");
            let p = g.predict(&t.train);
            // The network's own ranking: primitives added since training (the uniform share) left out.
            let mut order: Vec<usize> = (0..p.len()).filter(|&i| g.outputs[i].is_some()).collect();
            order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
            let names: Vec<&str> = order[..10].iter().map(|&i| registry().get(i as u16).name).collect();
            insta::assert_snapshot!(format!("guide_top10__{id}"), names.join("\n"));
        }
    });
}

/// Copies the shipped guide to a scratch folder, lets `edit` change its metadata, and loads it.
fn load_edited(name: &str, edit: impl Fn(&mut serde_json::Value)) -> Result<NeuralGuide, GuideError> {
    load_edited_with(name, edit, false)
}

/// [`load_edited`], with the checksum recomputed after the edit when `resign` (the checksum
/// covers the vocabulary: a check after it needs a guide whose checksum matches its edit).
fn load_edited_with(name: &str, edit: impl Fn(&mut serde_json::Value), resign: bool) -> Result<NeuralGuide, GuideError> {
    let dir = std::env::temp_dir().join(format!("arc-guide-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (w, j) = paths(&shipped_prefix());
    let prefix = dir.join("guide");
    let (w2, j2) = paths(&prefix);
    std::fs::copy(w, &w2).unwrap();
    let mut meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(j).unwrap()).unwrap();
    edit(&mut meta);
    if resign {
        let net = serde_json::from_value(meta["net"].clone()).unwrap();
        let vocab: Vec<String> = serde_json::from_value(meta["vocab"].clone()).unwrap();
        meta["sha256"] = arc_solver::guide::checksum(&w2, &net, &vocab).unwrap().into();
    }
    std::fs::write(j2, meta.to_string()).unwrap();
    let r = NeuralGuide::load(&prefix);
    std::fs::remove_dir_all(&dir).ok();
    r
}

#[test]
fn vocabulary_mismatch_is_a_clear_error() {
    // Under a checksum that matches the edit (an edit alone fails the checksum first).
    let r = load_edited("vocab0", |m| m["vocab"].as_array_mut().unwrap().push("no_such_prim".into()));
    assert!(matches!(r, Err(GuideError::Checksum { .. })), "{:?}", r.map(|_| ()));
    let load_edited = |name: &str, edit: &dyn Fn(&mut serde_json::Value)| load_edited_with(name, edit, true);
    let r = load_edited("vocab", &|m| m["vocab"].as_array_mut().unwrap().push("no_such_prim".into()));
    match r {
        Err(e @ GuideError::Vocab(_)) => assert!(e.to_string().contains("removed since training: no_such_prim"), "{e}"),
        other => panic!("expected a vocabulary error, got {:?}", other.map(|_| ())),
    }
    let r = load_edited("vocab2", &|m| {
        m["vocab"].as_array_mut().unwrap().pop();
    });
    assert!(matches!(r, Err(GuideError::Vocab(ref s)) if s.contains("added since training")), "{:?}", r.map(|_| ()));
}

#[test]
fn checksum_mismatch_is_a_clear_error() {
    let r = load_edited("sha", |m| m["sha256"] = "00".into());
    assert!(matches!(r, Err(GuideError::Checksum { .. })), "{:?}", r.map(|_| ()));
}

#[test]
fn training_on_candidates_raises_their_primitives_and_needs_some() {
    let g = shipped();
    let task = &training()[0];
    let before = g.predict(&task.train);
    let cfg = TttConfig::default();
    // The two primitives the unadapted guide likes least for this task.
    let mut order: Vec<usize> = (0..before.len()).filter(|&i| g.outputs[i].is_some()).collect();
    order.sort_by(|&a, &b| before[a].total_cmp(&before[b]).then(a.cmp(&b)));
    let labels: Vec<PrimId> = order[..2].iter().map(|&i| i as PrimId).collect();
    let (a, la) = adapt_to_candidates(&g, task, std::slice::from_ref(&labels), &cfg);
    let (_, lb) = adapt_to_candidates(&g, task, std::slice::from_ref(&labels), &cfg);
    assert_eq!(la, lb, "same task, seed, steps and candidates give the same losses");
    assert_eq!(la.len(), cfg.steps);
    assert!(la.iter().all(|l| l.is_finite()));
    assert_eq!(g.predict(&task.train), before, "the shipped weights are untouched");
    let after = a.predict(&task.train);
    for &i in &order[..2] {
        assert!(after[i] > before[i], "primitive {i}: {} -> {}", before[i], after[i]);
    }
    // No candidate with a primitive: no training, the shipped prior.
    let (none, ln) = adapt_to_candidates(&g, task, &[Vec::new()], &cfg);
    assert!(ln.is_empty());
    assert_eq!(none.predict(&task.train), before);
    // The prior trains only after a first share found candidates, and says so.
    let prior = NeuralPrior::load(&shipped_prefix(), cfg).unwrap();
    assert_eq!(prior.probs(task), before);
    assert_eq!(prior.probs_after(task, &[]).1, 0);
}

/// Held-out synthetic tasks (validation programs): the guided search needs less work to its
/// first solution than the uniform one (median over the tasks both solve).
#[test]
fn guided_search_needs_less_work_than_unguided() {
    let pool = InputPool::from_tasks(&training());
    let mut rng = Rng::new(2024);
    let mut tasks = Vec::new();
    while tasks.len() < 64 {
        if let Some(t) = sample_task(&mut rng, &pool, 2)
            && is_validation(&t.program)
        {
            let mut pairs = t.pairs;
            let test = pairs.pop().expect("3..=5 pairs");
            tasks.push(Task {
                id: format!("synth{}", tasks.len()),
                train: pairs,
                test: vec![TestPair { input: test.input, output: Some(test.output) }],
            });
        }
    }
    // The guide's own order, at full strength (the default search hedges it).
    let mut cfg = SearchConfig::new(Budget::Work(400_000));
    cfg.limits.max_solutions = 1;
    cfg.stop.after_solution = 0;
    cfg.guide = GuideMix { weight: 1.0, mix: 1.0, uniform_share: 0.0 };
    let uniform = SearchSolver::new(cfg.clone());
    let prior = NeuralPrior::load(&shipped_prefix(), TttConfig { steps: 0, ..TttConfig::default() }).unwrap();
    let guided = SearchSolver::new(cfg).with_guide(Box::new(prior));
    let mut ratios = Vec::new();
    for t in &tasks {
        let (u, g) = (uniform.solve(t), guided.solve(t));
        if u.stop_reason == StopReason::Solved && g.stop_reason == StopReason::Solved {
            ratios.push(g.work as f64 / u.work.max(1) as f64);
        }
    }
    assert!(ratios.len() >= 8, "too few tasks solved by both: {}", ratios.len());
    let med = arc_solver::eval::median(&ratios);
    eprintln!("guided/unguided work to first solution: median ratio {med:.3} over {} tasks", ratios.len());
    assert!(med < 1.0, "the guide must reduce work: median ratio {med:.3}");
}
