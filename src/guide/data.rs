//! Encoding tasks into tensors for the guide.
//!
//! A pair becomes `[CHANNELS, 30, 30]`: one-hot input colours (10), an input mask (1),
//! one-hot output colours (10), an output mask (1), and a "changed" plane (1: the cell is
//! inside both grids and its colour differs). A task is its first `MAX_PAIRS` demos, padded,
//! with a pair mask.

use crate::dsl::PrimId;
use crate::grid::{Grid, MAX_SIDE, N_COLORS};
use crate::task::Pair;
use tch::{Device, Kind, Tensor};

/// Pairs per task seen by the guide (more are ignored, fewer are padded and masked).
pub const MAX_PAIRS: usize = 5;
/// Planes per pair.
pub const CHANNELS: usize = 2 * N_COLORS + 3;
const S: usize = MAX_SIDE;

/// Writes one pair's planes into `out` (`CHANNELS * 30 * 30` floats, zeroed).
fn encode_pair(input: &Grid, output: &Grid, out: &mut [f32]) {
    let plane = |ch: usize, r: usize, c: usize| ch * S * S + r * S + c;
    for (g, base) in [(input, 0), (output, N_COLORS + 1)] {
        for r in 0..g.h() {
            for c in 0..g.w() {
                out[plane(base + g.get(r, c) as usize, r, c)] = 1.0;
                out[plane(base + N_COLORS, r, c)] = 1.0;
            }
        }
    }
    for r in 0..input.h().min(output.h()) {
        for c in 0..input.w().min(output.w()) {
            if input.get(r, c) != output.get(r, c) {
                out[plane(2 * N_COLORS + 2, r, c)] = 1.0;
            }
        }
    }
}

/// Encodes a batch of tasks (their demo pairs).
/// Returns `x: [batch, MAX_PAIRS, CHANNELS, 30, 30]` and `mask: [batch, MAX_PAIRS]` (1 = real pair).
pub fn encode_tasks(tasks: &[&[Pair]], device: Device) -> (Tensor, Tensor) {
    let per_pair = CHANNELS * S * S;
    let mut x = vec![0f32; tasks.len() * MAX_PAIRS * per_pair];
    let mut mask = vec![0f32; tasks.len() * MAX_PAIRS];
    for (b, pairs) in tasks.iter().enumerate() {
        for (p, pair) in pairs.iter().take(MAX_PAIRS).enumerate() {
            let k = b * MAX_PAIRS + p;
            encode_pair(&pair.input, &pair.output, &mut x[k * per_pair..(k + 1) * per_pair]);
            mask[k] = 1.0;
        }
    }
    let bsz = tasks.len() as i64;
    let x = Tensor::from_slice(&x).reshape([bsz, MAX_PAIRS as i64, CHANNELS as i64, S as i64, S as i64]).to_device(device);
    let mask = Tensor::from_slice(&mask).reshape([bsz, MAX_PAIRS as i64]).to_device(device);
    (x, mask)
}

/// Multi-hot labels: `[batch, n_prims]`, 1 where the task's program uses the primitive.
pub fn encode_labels(labels: &[&[PrimId]], n_prims: usize, device: Device) -> Tensor {
    let mut y = vec![0f32; labels.len() * n_prims];
    for (b, ls) in labels.iter().enumerate() {
        for &l in ls.iter() {
            if (l as usize) < n_prims {
                y[b * n_prims + l as usize] = 1.0;
            }
        }
    }
    Tensor::from_slice(&y).reshape([labels.len() as i64, n_prims as i64]).to_kind(Kind::Float).to_device(device)
}
