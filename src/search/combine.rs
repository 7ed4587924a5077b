//! Moves of several arguments: a state combined, in each position its type fits, with the
//! cheapest expanded states of the other positions' types (the pools as they were when it was
//! expanded), each combination made once.

use super::engine::Search;
use super::moves::{Move, ty_index, value_ty_index};
use crate::dsl::Ty;

impl Search<'_> {
    /// Applies multi-argument moves `range` with state `id` as an argument.
    pub(super) fn apply_multi(&mut self, id: u32, range: std::ops::Range<usize>, pools: &[u16; Ty::COUNT]) {
        let multi = std::mem::take(&mut self.moves.multi);
        for mv in &multi[range] {
            if !self.combine(mv, id, pools) {
                break;
            }
        }
        self.moves.multi = multi;
    }

    /// Applies a multi-argument move with `id` in each position its type fits, the other
    /// positions taken from the first `pools[t]` states of the pools. False when the search must
    /// stop.
    pub(super) fn combine(&mut self, mv: &Move, id: u32, pools: &[u16; Ty::COUNT]) -> bool {
        let ty = value_ty_index(&self.nodes[id as usize].vals[0]);
        let arity = mv.def.args.len();
        let width = if arity == 2 { self.cfg.moves.pool } else { (self.cfg.moves.pool as f64).sqrt() as usize };
        for pos in 0..arity {
            if ty_index(mv.def.args[pos]) != ty {
                continue;
            }
            let lists: Vec<Vec<u32>> = (0..arity)
                .map(|j| {
                    if j == pos {
                        vec![id]
                    } else {
                        let t = ty_index(mv.def.args[j]);
                        self.pools[t].iter().copied().take(width.min(pools[t] as usize)).collect()
                    }
                })
                .collect();
            if lists.iter().any(Vec::is_empty) {
                continue;
            }
            let mut combo = vec![0usize; arity];
            'combos: loop {
                let args: Vec<u32> = combo.iter().zip(&lists).map(|(&k, l)| l[k]).collect();
                // Each combination is made once, when its last-expanded argument is expanded;
                // with `id` in several positions, from the first of them.
                let fresh = args.iter().enumerate().all(|(j, &a)| j == pos || a != id || j > pos);
                if fresh {
                    let cost = mv.cost + args.iter().map(|&a| self.nodes[a as usize].cost).sum::<u32>();
                    for params in &mv.params {
                        if !self.child(mv, params, &args, cost) {
                            return false;
                        }
                    }
                }
                for j in (0..arity).rev() {
                    combo[j] += 1;
                    if combo[j] < lists[j].len() {
                        continue 'combos;
                    }
                    combo[j] = 0;
                }
                break;
            }
        }
        true
    }
}
