//! Guides: a prior over primitives for one task. The search turns a primitive's probability
//! `p` into a cost adjustment, so a guide reorders the search without changing what it can find.

use crate::dsl::{PrimId, registry};
use crate::task::Task;

/// A prior over the registry's primitives for one task.
pub trait Guide: Send + Sync {
    /// A short name, recorded in reports.
    fn name(&self) -> String;
    /// One probability per registry primitive (registry order), for this task. Values need not
    /// sum to 1; they are compared with the uniform `1 / n`.
    fn prim_probs(&self, task: &Task) -> Vec<f32>;
    /// Test-time training steps one call of [`Guide::prim_probs`] runs (0: none).
    fn ttt_steps(&self) -> u64 {
        0
    }
    /// The prior after a first share of the search found `candidates` (the primitives of its best
    /// candidates, best first), and the test-time training steps that took. A guide that does
    /// not learn from candidates gives [`Guide::prim_probs`].
    fn prim_probs_after(&self, task: &Task, candidates: &[Vec<PrimId>]) -> (Vec<f32>, u64) {
        let _ = candidates;
        (self.prim_probs(task), self.ttt_steps())
    }
    /// Whether this guide is the uniform prior (the search then needs no second order).
    fn is_uniform(&self) -> bool {
        false
    }
}

/// Every primitive equally likely: costs stay the registry's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Uniform;

impl Guide for Uniform {
    fn name(&self) -> String {
        "uniform".to_string()
    }

    fn is_uniform(&self) -> bool {
        true
    }

    fn prim_probs(&self, _task: &Task) -> Vec<f32> {
        let n = registry().len();
        vec![1.0 / n as f32; n]
    }
}

/// A guide probability on a fixed grid of 2^-16 (non-finite or negative values as 0, at most 1),
/// before it orders or selects anything: float kernels that differ in their last bits from one CPU
/// to another then give the same costs and the same top primitives.
pub fn quantize(p: f32) -> f32 {
    if !p.is_finite() || p <= 0.0 {
        return 0.0;
    }
    (p.min(1.0) * 65536.0).round() / 65536.0
}

/// Cost units are split into this many steps, so a guide can move a primitive by less than one.
pub const STEPS: u32 = 4;

/// A primitive's cost in steps after the guide's adjustment: `cost·STEPS + weight·STEPS·(−ln(q·n))`,
/// rounded, at least 1 step and at most 3 cost units more than the registry's, where
/// `q = mix·p + (1 − mix)/n` hedges the guide with the uniform prior (`mix` 1 trusts it fully; below
/// 1 a primitive the guide rules out still costs at most `−ln(1 − mix)` units more).
pub fn adjusted_cost(cost: u32, p: f32, n: usize, weight: f32, mix: f32) -> u32 {
    let q = mix * p + (1.0 - mix) / n as f32;
    let surprise = if q > 0.0 { -(q * n as f32).ln() } else { f32::INFINITY };
    let delta = (weight * STEPS as f32 * surprise).round().clamp(-((cost * STEPS) as f32) + 1.0, (3 * STEPS) as f32);
    let base = (cost * STEPS) as f32;
    (base + if delta.is_nan() { 0.0 } else { delta }).max(1.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_keeps_costs_and_priors_move_them() {
        let n = 10;
        assert_eq!(adjusted_cost(2, 0.1, n, 1.0, 1.0), 2 * STEPS);
        assert!(adjusted_cost(2, 0.5, n, 1.0, 1.0) < 2 * STEPS);
        assert!(adjusted_cost(2, 0.01, n, 1.0, 1.0) > 2 * STEPS);
        assert_eq!(adjusted_cost(1, 0.0, n, 1.0, 1.0), 4 * STEPS);
        assert_eq!(adjusted_cost(1, 1.0, n, 10.0, 1.0), 1);
        // Hedged: a ruled-out primitive costs at most −ln(1 − mix) units more; mix 0 is uniform.
        assert_eq!(adjusted_cost(2, 0.0, n, 1.0, 0.5), 2 * STEPS + 3);
        assert_eq!(adjusted_cost(2, 0.9, n, 1.0, 0.0), 2 * STEPS);
        assert!(adjusted_cost(2, 0.9, n, 1.0, 0.5) < 2 * STEPS);
    }

    #[test]
    fn quantised_uniform_probabilities_keep_the_registry_costs() {
        // The search quantises every probability before it makes a cost: the uniform prior (the
        // `--no-guide` search and the uniform share) must keep the registry's costs exactly.
        let n = registry().len();
        for cost in 1..=6 {
            for (w, m) in [(0.5, 0.5), (1.0, 1.0), (2.0, 0.5)] {
                assert_eq!(adjusted_cost(cost, quantize(1.0 / n as f32), n, w, m), cost * STEPS, "cost {cost} weight {w} mix {m}");
            }
        }
    }
}
