//! Composition of partial pieces (icecuber's idea): shape-right states that are right wherever
//! they differ from the background are stacked until together they cover every demo output.
//!
//! A "clean" piece never paints a demo cell wrong: each of its non-background cells equals the
//! demo output there. Stacking clean pieces on a background canvas is exact as soon as their
//! non-background cells cover every non-background output cell, so a greedy cover (the piece
//! adding most still-uncovered cells, cheapest on ties) finds short stacks.

use super::engine::Enumeration;
use super::guide::STEPS;
use super::rank::Prediction;
use super::state::expr_of;
use crate::grid::{Color, Grid, N_COLORS};

/// Most pieces stacked.
const MAX_LAYERS: usize = 4;

/// A set of demo cells (all demos' output cells, concatenated).
#[derive(Clone, PartialEq, Eq)]
struct Cells(Vec<u64>);

impl Cells {
    fn new(n: usize) -> Cells {
        Cells(vec![0; n.div_ceil(64)])
    }

    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn count_new(&self, covered: &Cells) -> u32 {
        self.0.iter().zip(&covered.0).map(|(a, b)| (a & !b).count_ones()).sum()
    }

    fn union(&mut self, other: &Cells) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The most frequent colour over all these grids (lowest colour on ties).
pub(crate) fn background(grids: &[&Grid]) -> Color {
    let mut n = [0usize; N_COLORS];
    for g in grids {
        for (c, k) in g.histogram().iter().enumerate() {
            n[c] += k;
        }
    }
    (0..N_COLORS).max_by_key(|&c| (n[c], std::cmp::Reverse(c))).unwrap_or(0) as Color
}

/// Stacks grids on a background canvas: later grids' non-background cells on top.
fn stack(layers: &[&Grid], bg: Color) -> Option<Grid> {
    let (h, w) = layers.first()?.shape();
    if layers.iter().any(|g| g.shape() != (h, w)) {
        return None;
    }
    let mut out = Grid::new(h, w, bg).ok()?;
    for g in layers {
        for r in 0..h {
            for c in 0..w {
                let v = g.get(r, c);
                if v != bg {
                    out.set(r, c, v);
                }
            }
        }
    }
    Some(out)
}

/// Predictions made by stacking clean pieces; empty when no stack reproduces every demo.
pub fn overlays(en: &Enumeration) -> Vec<Prediction> {
    let outputs: Vec<&Grid> = match en.pieces.first() {
        Some(_) => en.targets.iter().collect(),
        None => return Vec::new(),
    };
    let bg = background(&outputs);
    let total: usize = outputs.iter().map(|g| g.cells().len()).sum();
    let mut need = Cells::new(total);
    let mut at = 0;
    for g in &outputs {
        for (i, &c) in g.cells().iter().enumerate() {
            if c != bg {
                need.insert(at + i);
            }
        }
        at += g.cells().len();
    }
    // Each clean piece with the cells it paints.
    let mut clean: Vec<(u32, Cells)> = Vec::new();
    for &id in &en.pieces {
        let vals = &en.nodes[id as usize].vals;
        let mut paints = Cells::new(total);
        let mut at = 0;
        let mut ok = true;
        for (v, want) in vals.iter().zip(&outputs) {
            let Some(g) = v.as_grid() else { return Vec::new() };
            for (i, (&a, &b)) in g.cells().iter().zip(want.cells()).enumerate() {
                if a != bg {
                    if a != b {
                        ok = false;
                        break;
                    }
                    paints.insert(at + i);
                }
            }
            at += want.cells().len();
        }
        if ok && paints.count_new(&Cells::new(total)) > 0 {
            clean.push((id, paints));
        }
    }
    let mut covered = Cells::new(total);
    let mut chosen: Vec<u32> = Vec::new();
    while chosen.len() < MAX_LAYERS && need.count_new(&covered) > 0 {
        // Pieces are in cost order, so `max_by_key` keeping the first maximum picks the cheapest.
        let best = clean.iter().map(|(id, p)| (p.count_new(&covered), *id, p)).fold(None, |b: Option<(u32, u32, &Cells)>, x| {
            if b.is_none_or(|b| x.0 > b.0) { Some(x) } else { b }
        });
        match best {
            Some((gain, id, paints)) if gain > 0 => {
                chosen.push(id);
                covered.union(paints);
            }
            _ => return Vec::new(),
        }
    }
    if need.count_new(&covered) > 0 || chosen.len() < 2 {
        return Vec::new();
    }
    let n_tests = en.nodes[0].vals.len() - en.n_train;
    let mut tests = Vec::with_capacity(n_tests);
    for t in 0..n_tests {
        let layers: Option<Vec<&Grid>> = chosen.iter().map(|&id| en.nodes[id as usize].vals[en.n_train + t].as_grid()).collect();
        match layers.and_then(|l| stack(&l, bg)) {
            Some(g) => tests.push(g),
            None => return Vec::new(),
        }
    }
    let exprs: Vec<String> = chosen.iter().map(|&id| expr_of(&en.nodes, id).to_string()).collect();
    let cost = chosen.iter().map(|&id| en.nodes[id as usize].cost + STEPS).sum();
    vec![Prediction { tests, program: format!("overlay on {bg} of [{}]", exprs.join("; ")), cost, votes: 1, weak: false }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::Value;
    use crate::search::state::{Node, Recipe};
    use crate::solver::StopReason;

    fn grid(text: &str) -> Grid {
        let rows: Vec<Vec<i64>> = text.split('/').map(|r| r.bytes().map(|b| (b - b'0') as i64).collect()).collect();
        Grid::from_rows(&rows).unwrap()
    }

    /// An enumeration holding these states (one demo, one test) as pieces, in this order.
    fn with_pieces(target: &str, pieces: &[[&str; 2]]) -> Enumeration {
        let nodes = pieces
            .iter()
            .map(|p| Node {
                vals: p.iter().map(|g| Value::Grid(grid(g))).collect(),
                cost: 4,
                recipe: Recipe::Input,
                expanded: true,
            })
            .collect();
        Enumeration {
            nodes,
            solutions: Vec::new(),
            partials: Vec::new(),
            pieces: (0..pieces.len() as u32).collect(),
            stop: StopReason::Budget,
            work: 0,
            n_train: 1,
            targets: vec![grid(target)],
        }
    }

    #[test]
    fn covers_the_output_with_clean_pieces_only() {
        // Piece 0 paints a wrong cell (dirty); pieces 1 and 2 are clean and cover the output.
        let en = with_pieces("1002/0000/3000", &[["1102/0000/0000", "00/00"], ["1000/0000/3000", "10/00"], ["0002/0000/0000", "02/00"]]);
        let preds = overlays(&en);
        assert_eq!(preds.len(), 1);
        assert_eq!(preds[0].tests, vec![grid("12/00")]);
        // Without piece 2 nothing covers the 2: no prediction.
        let en = with_pieces("1002/0000/3000", &[["1102/0000/0000", "00/00"], ["1000/0000/3000", "10/00"]]);
        assert!(overlays(&en).is_empty());
    }

    #[test]
    fn stacking_puts_later_layers_on_top() {
        let a = Grid::from_rows(&[vec![1i64, 0], vec![0, 0]]).unwrap();
        let b = Grid::from_rows(&[vec![2i64, 0], vec![0, 3]]).unwrap();
        assert_eq!(stack(&[&a, &b], 0).unwrap().to_text(), "20\n03\n");
        assert_eq!(stack(&[&b, &a], 0).unwrap().to_text(), "10\n03\n");
        assert_eq!(background(&[&a, &b]), 0);
    }
}
