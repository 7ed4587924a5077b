//! Test-time training: before searching a task, a few Adam steps adapt a copy of the guide to
//! synthetic tasks built from that task's own grids (its demo inputs and outputs and its test
//! inputs, transformed by random programs whose primitives are the labels). The shipped
//! weights are never changed; the work is counted in gradient steps, so it is deterministic.

use super::NeuralGuide;
use super::model::Net;
use super::synth::InputPool;
use super::train::{draw, tensors, train_step};
use crate::rng::Rng;
use crate::task::Task;
use tch::nn::{self, OptimizerConfig};
use tch::Device;

/// Test-time training settings.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TttConfig {
    /// Adam steps (0 disables test-time training).
    pub steps: usize,
    pub lr: f64,
    /// Synthetic tasks per step.
    pub batch: usize,
    pub seed: u64,
}

impl Default for TttConfig {
    fn default() -> Self {
        TttConfig { steps: 5, lr: 1e-3, batch: 8, seed: 0 }
    }
}

/// The grids of a task, as one input group (every demo input and output, every test input).
pub fn task_pool(task: &Task) -> InputPool {
    let mut grids: Vec<_> = task.train.iter().flat_map(|p| [p.input.clone(), p.output.clone()]).collect();
    grids.extend(task.test.iter().map(|t| t.input.clone()));
    InputPool { groups: vec![grids], ctx: crate::dsl::Ctx::for_task(task) }
}

/// The most test-time training steps per task (`arc --ttt-steps`): each is an Adam step on 8
/// synthetic tasks (about 40 ms of CPU) before the search starts, outside its work budget.
pub const MAX_STEPS: usize = 50;

/// A copy of `guide` adapted to `task` by `cfg.steps` Adam steps. Returns the copy and the losses.
pub fn adapt(guide: &NeuralGuide, task: &Task, cfg: &TttConfig) -> (NeuralGuide, Vec<f64>) {
    let mut vs = nn::VarStore::new(Device::Cpu);
    let net = Net::new(&vs.root(), guide.meta.net);
    vs.copy(&guide.vs).expect("same architecture, same variables");
    let mut losses = Vec::with_capacity(cfg.steps);
    if cfg.steps > 0 {
        let mut opt = nn::Adam::default().build(&vs, cfg.lr).expect("Adam optimiser");
        let pool = task_pool(task);
        // The seed mixes in the task id so that tasks get different draws, reproducibly.
        let id_hash = task.id.bytes().fold(cfg.seed, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        let mut rng = Rng::new(id_hash);
        let n = guide.meta.net.n_prims as usize;
        for _ in 0..cfg.steps {
            let batch = draw(&mut rng, &pool, guide.meta.train.max_prims, cfg.batch, false);
            let (e, y) = tensors(&batch, n, Device::Cpu);
            losses.push(train_step(&net, &mut opt, &e, &y));
        }
    }
    (NeuralGuide { vs, net, meta: guide.meta.clone(), outputs: guide.outputs.clone() }, losses)
}
