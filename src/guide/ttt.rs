//! Test-time training: a few Adam steps adapt a copy of the guide to one task before its guided
//! share of the search. The data are the task's own demo pairs in rotated, reflected and
//! recoloured views, labelled by the primitives of the best candidates the uniform share found
//! (the first design, random programs on the task's grids before any search, was measured worse
//! and dropped: `docs/experiments.md`). The shipped weights are never changed; the work is
//! counted in gradient steps, so it is deterministic.

use super::NeuralGuide;
use super::data::{Encoded, encode_labels, encode_tasks};
use super::model::Net;
use super::train::train_step;
use crate::rng::Rng;
use crate::dsl::PrimId;
use crate::grid::{Color, Grid, N_COLORS};
use crate::task::{Pair, Task};
use tch::nn::{self, OptimizerConfig};
use tch::{Device, Tensor};

/// Test-time training settings: the task's own demo pairs, in augmented views (rotations,
/// reflections, colour permutations that keep colour 0), labelled by the primitives of the best
/// candidates the first (uniform) share of the search found; no candidates, no training.
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

/// The most test-time training steps per task (`arc --ttt-steps`): each is an Adam step on 8
/// views of the task's demos (about 40 ms of CPU) before the guided share, outside its work budget.
pub const MAX_STEPS: usize = 50;

/// A grid seen through one of the 8 symmetries of the square (`t & 4`: transpose first, `t & 1`:
/// then flip rows, `t & 2`: flip columns) with its colours renamed by `perm`.
fn view(g: &Grid, t: u8, perm: &[Color; N_COLORS]) -> Grid {
    let (h, w) = if t & 4 != 0 { (g.w(), g.h()) } else { (g.h(), g.w()) };
    Grid::from_fn(h, w, |r, c| {
        let r = if t & 1 != 0 { h - 1 - r } else { r };
        let c = if t & 2 != 0 { w - 1 - c } else { c };
        let (sr, sc) = if t & 4 != 0 { (c, r) } else { (r, c) };
        perm[g.get(sr, sc) as usize]
    })
    .expect("same cells, same or transposed shape")
}

/// The demo pairs of `task` in view `k` of its augmentations: view 0 is the task as given; the
/// others take the symmetry `k mod 8` and, from `k = 8` on, a random renaming of colours 1–9.
pub fn demo_view(task: &Task, k: usize, rng: &mut Rng) -> Vec<Pair> {
    let mut perm: [Color; N_COLORS] = std::array::from_fn(|c| c as Color);
    if k >= 8 {
        for i in (2..N_COLORS).rev() {
            let j = 1 + rng.below(i);
            perm.swap(i, j);
        }
    }
    let t = (k % 8) as u8;
    task.train.iter().map(|p| Pair { input: view(&p.input, t, &perm), output: view(&p.output, t, &perm) }).collect()
}

/// A copy of `guide` adapted to `task` by `cfg.steps` Adam steps on the task's own demos
/// ([`demo_view`]s, `cfg.batch` per step), each view labelled by the primitives of one of
/// `candidates` in turn (registry ids; primitives the network was not trained on are left out).
/// Returns the copy and the losses (none when no candidate has a primitive the network knows).
pub fn adapt_to_candidates(guide: &NeuralGuide, task: &Task, candidates: &[Vec<PrimId>], cfg: &TttConfig) -> (NeuralGuide, Vec<f64>) {
    let labels: Vec<Vec<PrimId>> = candidates
        .iter()
        .map(|c| c.iter().filter_map(|&p| guide.outputs.get(p as usize).copied().flatten()).map(|j| j as PrimId).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect();
    let steps = if labels.is_empty() { 0 } else { cfg.steps };
    let n = guide.meta.net.n_prims as usize;
    let mut k = 0;
    train_copy(guide, task, cfg, steps, |rng| {
        let views: Vec<Vec<Pair>> = (k..k + cfg.batch).map(|v| demo_view(task, v, rng)).collect();
        let ys: Vec<&[PrimId]> = (k..k + cfg.batch).map(|v| labels[v % labels.len()].as_slice()).collect();
        k += cfg.batch;
        let pairs: Vec<&[Pair]> = views.iter().map(|v| v.as_slice()).collect();
        (encode_tasks(&pairs, Device::Cpu), encode_labels(&ys, n, Device::Cpu))
    })
}

/// A copy of `guide` after `steps` Adam steps (learning rate `cfg.lr`) on the batches `batch`
/// draws, with a random stream seeded by `cfg.seed` and the task id (tasks get different draws,
/// reproducibly). Returns the copy and the losses.
fn train_copy(guide: &NeuralGuide, task: &Task, cfg: &TttConfig, steps: usize, mut batch: impl FnMut(&mut Rng) -> (Encoded, Tensor)) -> (NeuralGuide, Vec<f64>) {
    let mut vs = nn::VarStore::new(Device::Cpu);
    let net = Net::new(&vs.root(), guide.meta.net);
    vs.copy(&guide.vs).expect("same architecture, same variables");
    let mut losses = Vec::with_capacity(steps);
    if steps > 0 {
        let mut opt = nn::Adam::default().build(&vs, cfg.lr).expect("Adam optimiser");
        let id_hash = task.id.bytes().fold(cfg.seed, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        let mut rng = Rng::new(id_hash);
        for _ in 0..steps {
            let (e, y) = batch(&mut rng);
            losses.push(train_step(&net, &mut opt, &e, &y));
        }
    }
    (NeuralGuide { vs, net, meta: guide.meta.clone(), outputs: guide.outputs.clone() }, losses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::grid;

    #[test]
    fn demo_views_are_the_eight_symmetries_then_recoloured_copies() {
        let task = Task {
            id: "views".into(),
            train: vec![Pair { input: grid("120/003"), output: grid("12/00/03") }],
            test: Vec::new(),
        };
        let mut rng = Rng::new(7);
        let views: Vec<Vec<Pair>> = (0..16).map(|k| demo_view(&task, k, &mut rng)).collect();
        assert_eq!(views[0], task.train, "view 0 is the task as given");
        let shapes: Vec<(usize, usize)> = views[..8].iter().map(|v| v[0].input.shape()).collect();
        assert_eq!(shapes.iter().filter(|s| **s == (2, 3)).count(), 4);
        assert_eq!(shapes.iter().filter(|s| **s == (3, 2)).count(), 4);
        let inputs: std::collections::HashSet<_> = views[..8].iter().map(|v| v[0].input.clone()).collect();
        assert_eq!(inputs.len(), 8, "an asymmetric grid has 8 distinct views");
        for v in &views {
            // Colour 0 stays; the other colours are renamed consistently in input and output.
            let zeros = |g: &Grid| g.cells().iter().filter(|&&c| c == 0).count();
            assert_eq!(zeros(&v[0].input), 3);
            assert_eq!(zeros(&v[0].output), 3);
            assert_eq!(v[0].input.histogram().iter().filter(|&&n| n > 0).count(), 4);
        }
        assert!(views[8..].iter().any(|v| v[0].input.cells().iter().any(|&c| c > 3)), "later views recolour");
    }
}
