//! Training the guide on synthetic tasks: the loop, validation metrics and one optimiser step
//! (`train_step`, also used for per-task test-time training on a copy of the weights).

use super::data::{Encoded, encode_labels, encode_tasks};
use super::model::{Net, NetConfig};
use super::synth::{InputPool, SynthTask, is_validation, sample_task};
use crate::rng::Rng;
use tch::nn::{self, OptimizerConfig};
use tch::{Device, Tensor};

/// Training settings (saved with the weights).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    pub steps: usize,
    pub batch: usize,
    pub lr: f64,
    pub seed: u64,
    /// Primitives per synthetic program, at most.
    pub max_prims: usize,
    pub val_tasks: usize,
    pub val_every: usize,
    /// Share of each batch taken from hindsight examples (when there are any).
    #[serde(default)]
    pub hindsight_share: f64,
    /// Cosine decay of the learning rate from `lr` to 0 over the steps (constant when false).
    #[serde(default)]
    pub cosine: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { steps: 2000, batch: 32, lr: 1e-3, seed: 0, max_prims: 3, val_tasks: 512, val_every: 250, hindsight_share: 0.25, cosine: false }
    }
}

/// Validation figures.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct Metrics {
    pub step: usize,
    pub train_loss: f64,
    pub val_loss: f64,
    /// Mean over tasks of the share of the program's primitives among the 5 highest scores.
    pub val_top5_recall: f64,
}

/// Draws synthetic tasks from one side of the split (validation or training).
pub fn draw(rng: &mut Rng, pool: &InputPool, max_prims: usize, n: usize, validation: bool) -> Vec<SynthTask> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        if let Some(t) = sample_task(rng, pool, max_prims)
            && is_validation(&t.program) == validation
        {
            out.push(t);
        }
    }
    out
}

/// The held-out validation tasks of a training run with this seed (the random stream `fork(1)`;
/// training batches come from `fork(2)`), so that every tool measures guides on the same tasks.
pub fn validation_split(seed: u64, pool: &InputPool, max_prims: usize, n: usize) -> Vec<SynthTask> {
    draw(&mut Rng::new(seed).fork(1), pool, max_prims, n, true)
}

/// Tensors of a batch of synthetic tasks: the encoded demos and the labels `y`.
pub fn tensors(tasks: &[SynthTask], n_prims: usize, device: Device) -> (Encoded, Tensor) {
    let pairs: Vec<&[crate::task::Pair]> = tasks.iter().map(|t| t.pairs.as_slice()).collect();
    let labels: Vec<&[crate::dsl::PrimId]> = tasks.iter().map(|t| t.labels.as_slice()).collect();
    (encode_tasks(&pairs, device), encode_labels(&labels, n_prims, device))
}

/// The loss: cross-entropy between the softmax over primitives and the program's primitives
/// as a uniform distribution (`y` multi-hot, normalised here). Ranking is what the search
/// uses, and this trains ranking directly. `logits, y: [b, n_prims]` -> scalar.
pub fn loss(logits: &Tensor, y: &Tensor) -> Tensor {
    let target = y / y.sum_dim_intlist(&[1i64][..], true, tch::Kind::Float).clamp_min(1.0);
    -(target * logits.log_softmax(1, tch::Kind::Float)).sum_dim_intlist(&[1i64][..], false, tch::Kind::Float).mean(tch::Kind::Float)
}

/// One optimiser step on a batch (`Net::forward`'s shapes; `y: [b, n_prims]`). Returns the loss.
pub fn train_step(net: &Net, opt: &mut nn::Optimizer, e: &Encoded, y: &Tensor) -> f64 {
    let l = loss(&net.forward(e), y);
    opt.backward_step(&l);
    l.double_value(&[])
}

/// Loss and top-5 recall on a set of tasks.
pub fn evaluate(net: &Net, tasks: &[SynthTask], n_prims: usize, device: Device) -> (f64, f64) {
    let _guard = tch::no_grad_guard();
    let (mut total, mut recall) = (0.0, 0.0);
    for chunk in tasks.chunks(64) {
        let (e, y) = tensors(chunk, n_prims, device);
        let logits = net.forward(&e);
        total += loss(&logits, &y).double_value(&[]) * chunk.len() as f64;
        let top = logits.topk(5, 1, true, true).1.to_device(Device::Cpu);
        for (i, t) in chunk.iter().enumerate() {
            let top5: Vec<i64> = (0..5).map(|k| top.int64_value(&[i as i64, k])).collect();
            let hit = t.labels.iter().filter(|&&l| top5.contains(&(l as i64))).count();
            recall += hit as f64 / t.labels.len() as f64;
        }
    }
    (total / tasks.len() as f64, recall / tasks.len() as f64)
}

/// Hindsight examples: real TRAINING tasks labelled with the primitives of a program that the
/// search found for them (as in DreamCoder and CodeIt). `programs` maps task ids to program
/// texts; texts that are not plain DSL programs (e.g. compositions) are skipped. Calls that do
/// nothing on the demos are dropped (`synth::simplify`) and calls are canonicalised
/// (`synth::canonicalize`), as for synthetic tasks.
pub fn hindsight(tasks: &[crate::task::Task], programs: &std::collections::BTreeMap<String, String>) -> Vec<SynthTask> {
    tasks
        .iter()
        .filter_map(|t| {
            let program: crate::program::Program = programs.get(&t.id)?.parse().ok()?;
            let ctx = crate::dsl::Ctx::for_task(t);
            let program = super::synth::canonicalize(&ctx, super::synth::simplify(&ctx, program.0, &t.train), &t.train);
            let mut labels = program.prims();
            labels.sort_unstable();
            labels.dedup();
            (!labels.is_empty()).then(|| SynthTask { program, pairs: t.train.clone(), labels })
        })
        .collect()
}

/// Trains a fresh network on synthetic tasks, mixed with `hindsight` examples (a
/// `cfg.hindsight_share` of each batch). `progress(step, metrics)` is called after each step
/// (metrics are the latest validation figures). Returns the variable store, the network and
/// the final metrics.
pub fn train(
    cfg: &TrainConfig,
    net_cfg: NetConfig,
    pool: &InputPool,
    hindsight: &[SynthTask],
    device: Device,
    progress: &mut dyn FnMut(usize, &Metrics),
) -> (nn::VarStore, Net, Metrics) {
    tch::manual_seed(cfg.seed as i64);
    let vs = nn::VarStore::new(device);
    let net = Net::new(&vs.root(), net_cfg);
    let mut opt = nn::Adam::default().build(&vs, cfg.lr).expect("Adam optimiser");
    let n = net_cfg.n_prims as usize;
    let root = Rng::new(cfg.seed);
    let val = validation_split(cfg.seed, pool, cfg.max_prims, cfg.val_tasks);
    let mut rng = root.fork(2);
    let mut metrics = Metrics::default();
    let mut ema = None;
    for step in 1..=cfg.steps {
        let n_hind = if hindsight.is_empty() { 0 } else { (cfg.batch as f64 * cfg.hindsight_share).round() as usize };
        let mut batch = draw(&mut rng, pool, cfg.max_prims, cfg.batch - n_hind, false);
        batch.extend((0..n_hind).map(|_| hindsight[rng.below(hindsight.len())].clone()));
        let (e, y) = tensors(&batch, n, device);
        if cfg.cosine {
            opt.set_lr(cfg.lr * 0.5 * (1.0 + (std::f64::consts::PI * (step - 1) as f64 / cfg.steps as f64).cos()));
        }
        let loss = train_step(&net, &mut opt, &e, &y);
        let e = ema.map_or(loss, |e: f64| 0.95 * e + 0.05 * loss);
        ema = Some(e);
        metrics.train_loss = e;
        if step % cfg.val_every == 0 || step == cfg.steps {
            let (vl, vr) = evaluate(&net, &val, n, device);
            metrics = Metrics { step, train_loss: e, val_loss: vl, val_top5_recall: vr };
        }
        progress(step, &metrics);
    }
    (vs, net, metrics)
}
