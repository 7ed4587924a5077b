//! From found states to at most two distinct attempts per test input: solutions first, ranked
//! by cost and then by how many solutions agree; partial candidates fill what is left.

use super::engine::{Enumeration, Fit, apply_map};
use super::state::expr_of;
use crate::grid::{Color, Grid, N_COLORS};
use crate::solver::MAX_ATTEMPTS;

/// One ranked prediction for every test input, with the program text behind it.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub tests: Vec<Grid>,
    pub program: String,
    pub cost: u32,
    /// How many found programs give these same test outputs.
    pub votes: usize,
}

/// The test outputs of state `node`, recoloured by `map` when there is one.
fn test_grids(en: &Enumeration, node: u32, map: Option<&[Option<Color>; N_COLORS]>) -> Option<Vec<Grid>> {
    en.nodes[node as usize].vals[en.n_train..]
        .iter()
        .map(|v| v.as_grid().map(|g| map.map_or_else(|| g.clone(), |m| apply_map(g, m))))
        .collect()
}

/// The text of a solution: a plain program, or a colour map after one.
pub fn describe(en: &Enumeration, node: u32, fit: &Fit) -> String {
    let e = expr_of(&en.nodes, node);
    match fit {
        Fit::Exact => e.to_string(),
        Fit::ColorMap(m) => {
            let pairs: Vec<String> = m
                .iter()
                .enumerate()
                .filter_map(|(c, t)| t.filter(|&t| t as usize != c).map(|t| format!("{c}>{t}")))
                .collect();
            format!("colormap [{}] of {e}", pairs.join(" "))
        }
    }
}

/// Solutions grouped by their test outputs, best first: lowest cost, then most votes, then
/// the order found.
pub fn rank_solutions(en: &Enumeration, extra: Vec<Prediction>) -> Vec<Prediction> {
    let mut preds: Vec<Prediction> = Vec::new();
    let found = en.solutions.iter().filter_map(|f| {
        let map = match &f.fit {
            Fit::Exact => None,
            Fit::ColorMap(m) => Some(m),
        };
        let tests = test_grids(en, f.node, map)?;
        Some(Prediction { tests, program: describe(en, f.node, &f.fit), cost: f.cost, votes: 1 })
    });
    for p in found.chain(extra) {
        match preds.iter_mut().find(|q| q.tests == p.tests) {
            Some(q) => {
                q.votes += 1;
                if p.cost < q.cost {
                    q.cost = p.cost;
                    q.program = p.program;
                }
            }
            None => preds.push(p),
        }
    }
    preds.sort_by_key(|p| (p.cost, std::cmp::Reverse(p.votes)));
    preds
}

/// Partial candidates as predictions, most demo cells right first.
pub fn partial_predictions(en: &Enumeration) -> Vec<Prediction> {
    en.partials
        .iter()
        .filter_map(|p| {
            let tests = test_grids(en, p.node, None)?;
            let e = expr_of(&en.nodes, p.node);
            Some(Prediction { tests, program: format!("partial {e}"), cost: p.cost, votes: 0 })
        })
        .collect()
}

/// Up to [`MAX_ATTEMPTS`] distinct grids per test input, taken from predictions in order.
pub fn attempts(n_tests: usize, preds: &[Prediction]) -> Vec<Vec<Grid>> {
    let mut out: Vec<Vec<Grid>> = vec![Vec::new(); n_tests];
    for p in preds {
        for (slot, g) in out.iter_mut().zip(&p.tests) {
            if slot.len() < MAX_ATTEMPTS && !slot.contains(g) {
                slot.push(g.clone());
            }
        }
    }
    out
}

