//! Guide costs: inference latency per task (one thread), one training step, test-time training.

use arc_solver::dsl::registry;
use arc_solver::guide::model::{Net, NetConfig};
use arc_solver::guide::synth::InputPool;
use arc_solver::guide::train::{TrainConfig, draw, tensors, train_step};
use arc_solver::guide::ttt::{TttConfig, adapt_to_candidates};
use arc_solver::guide::{GuideMeta, NeuralGuide};
use arc_solver::rng::Rng;
use arc_solver::task::load_dataset;
use criterion::{Criterion, criterion_group, criterion_main};
use tch::nn::{self, OptimizerConfig};
use tch::Device;

fn guide_costs(c: &mut Criterion) {
    arc_solver::guide::one_thread();
    let ds = load_dataset("arc-agi-1", "training").expect("scripts/setup installs the data");
    let pool = InputPool::from_tasks(&ds.tasks);
    let cfg = NetConfig { width: 32, hidden: 256, n_prims: registry().len() as i64, features: true };
    let vs = nn::VarStore::new(Device::Cpu);
    let net = Net::new(&vs.root(), cfg);
    let meta = GuideMeta {
        vocab: registry().prims.iter().map(|p| p.name.to_string()).collect(),
        net: cfg,
        train: TrainConfig::default(),
        data: "bench".into(),
        metrics: Default::default(),
        command: String::new(),
        sha256: String::new(),
    };
    let outputs = (0..registry().len()).map(Some).collect();
    let guide = NeuralGuide { vs, net, meta, outputs };
    let task = &ds.tasks[0];
    c.bench_function("guide/predict_one_task", |b| b.iter(|| guide.predict(&task.train)));

    let mut opt = nn::Adam::default().build(&guide.vs, 1e-3).expect("adam");
    let batch = draw(&mut Rng::new(0), &pool, 3, 32, false);
    let (e, y) = tensors(&batch, cfg.n_prims as usize, Device::Cpu);
    c.bench_function("guide/train_step_batch32", |b| b.iter(|| train_step(&guide.net, &mut opt, &e, &y)));

    let ttt = TttConfig::default();
    // Two primitives as the one candidate's labels (what the uniform share would have found).
    let candidates = [vec![0, 1]];
    c.bench_function("guide/ttt_5_steps_batch8", |b| b.iter(|| adapt_to_candidates(&guide, task, &candidates, &ttt)));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = guide_costs
}
criterion_main!(benches);
