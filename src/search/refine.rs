//! Refinement: when the enumeration by cost finds no solid fit, a beam over the best partial
//! candidates extends them by every `grid -> grid` move, whatever its cost, toward the demos.

use super::engine::Search;
use super::moves::{Move, ty_index};
use crate::dsl::Ty;

/// The refinement beam's next round from the children of this one, each `(cells right, cost,
/// id, parent)`: the `width` children with the most demo cells right (then the cheapest, then
/// the first stored) not extended before, at most `per_parent` of one parent (0: any number) so
/// that one state's many equally good variants do not fill the beam.
fn next_beam(mut next: Vec<(usize, u32, u32, u32)>, done: &std::collections::HashSet<u32>, width: usize, per_parent: usize) -> Vec<u32> {
    next.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    next.dedup_by_key(|x| x.2);
    let mut taken: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    next.into_iter()
        .filter(|x| !done.contains(&x.2))
        .filter(|x| {
            let n = taken.entry(x.3).or_default();
            *n += 1;
            per_parent == 0 || *n <= per_parent
        })
        .map(|x| x.2)
        .take(width)
        .collect()
}

impl Search<'_> {
    /// The refinement phase: a beam over the best partial candidates. The `refine_width` states
    /// with the most demo cells right are each extended by every `grid -> grid` move (every
    /// parameter setting), whatever their cost; the children with the most cells right (cheapest
    /// first, then oldest) not yet extended are the next beam, until the work allowed is spent.
    /// Programs three or more steps deep that improve step by step are reached this way, which the
    /// enumeration by cost cannot afford. Every state made is judged like any other (fits, weak
    /// here; composition pieces) and never queued; none becomes a partial candidate.
    pub(super) fn refine(&mut self) {
        let width = self.cfg.refine.width.max(1);
        let grid = ty_index(Ty::Grid);
        let moves: Vec<Move> = self.moves.unary[grid].iter().filter(|m| m.def.ret == Ty::Grid).cloned().collect();
        let mut done = std::collections::HashSet::new();
        let mut beam: Vec<u32> = self.partials.iter().map(|p| p.node).take(width).collect();
        self.refining = true;
        'rounds: while !beam.is_empty() {
            // (cells right, cost, id, parent) of every shape-right child.
            let mut next: Vec<(usize, u32, u32, u32)> = Vec::new();
            for &id in &beam {
                if !done.insert(id) {
                    continue;
                }
                let base = self.nodes[id as usize].cost;
                let mut go = true;
                'moves: for mv in &moves {
                    for params in &mv.params {
                        if !self.child(mv, params, &[id], base + mv.cost) {
                            go = false;
                            break 'moves;
                        }
                    }
                }
                for c in std::mem::take(&mut self.reached) {
                    if let Some(right) = self.right_of(c) {
                        next.push((right, self.nodes[c as usize].cost, c, id));
                    }
                }
                if !go {
                    break 'rounds;
                }
            }
            beam = next_beam(next, &done, width, self.cfg.refine.per_parent);
        }
        self.refining = false;
        self.reached.clear();
    }

    /// Demo cells right of a stored state, when it is shape-right.
    fn right_of(&self, id: u32) -> Option<usize> {
        let vals = self.nodes[id as usize].demos(self.targets.len());
        let mut right = 0;
        for (v, t) in vals.iter().zip(&self.targets) {
            let g = v.as_grid().filter(|g| g.shape() == t.shape())?;
            right += g.cells().iter().zip(t.cells()).filter(|(a, b)| a == b).count();
        }
        Some(right)
    }
}

#[cfg(test)]
mod tests {
    use super::next_beam;
    use std::collections::HashSet;

    #[test]
    fn the_refinement_beam_takes_the_best_children_a_few_per_parent() {
        // (cells right, cost, id, parent): parent 1's four children are the best.
        let next = vec![(9, 3, 10, 1), (9, 2, 11, 1), (8, 1, 12, 1), (8, 4, 13, 1), (7, 1, 20, 2), (6, 1, 30, 3), (9, 2, 11, 2)];
        let none = HashSet::new();
        // Any number per parent: best first, cheaper first among equals, one place per child.
        assert_eq!(next_beam(next.clone(), &none, 4, 0), [11, 10, 12, 13]);
        // Two per parent leave room for the others' children.
        assert_eq!(next_beam(next.clone(), &none, 4, 2), [11, 10, 20, 30]);
        // States extended before are skipped, and do not count toward their parent's share.
        assert_eq!(next_beam(next.clone(), &HashSet::from([11]), 4, 2), [10, 12, 20, 30]);
        assert_eq!(next_beam(next, &none, 2, 1), [11, 20]);
    }
}
