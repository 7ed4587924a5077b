//! From found states to at most two distinct attempts per test input: solutions first (strong
//! fits before weak ones, then by cost, agreement with the size rule and how many solutions
//! agree); partial candidates fill what is left.

use super::engine::{Enumeration, Fit};
use super::state::expr_of;
use crate::answer::Answer;
use crate::answer::colors::{ColorMap, apply_map};
use crate::program::Program;
use crate::grid::{Color, Grid, N_COLORS};
use crate::solver::attempts_from;

/// One ranked prediction for every test input, with the answer behind it.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub tests: Vec<Grid>,
    pub answer: Answer,
    pub cost: u32,
    /// How many found programs give these same test outputs.
    pub votes: usize,
    /// A fit that may be memorised (ranked after every other solution).
    pub weak: bool,
}

impl Prediction {
    /// Whether every test output has the shape the size rule predicts (true where it has none).
    pub fn shapes_agree(&self, shapes: &[Option<(usize, usize)>]) -> bool {
        self.tests.iter().zip(shapes).all(|(g, s)| s.is_none_or(|s| g.shape() == s))
    }
}

/// The test outputs of state `node`, recoloured by `map` when there is one.
fn test_grids(en: &Enumeration, node: u32, map: Option<&[Option<Color>; N_COLORS]>) -> Option<Vec<Grid>> {
    en.nodes[node as usize].tests(en.n_train)
        .iter()
        .map(|v| v.as_grid().map(|g| map.map_or_else(|| g.clone(), |m| apply_map(g, m))))
        .collect()
}

/// The answer of a solution: a plain program, or a colour map after one.
pub fn describe(en: &Enumeration, node: u32, fit: &Fit) -> Answer {
    let program = Answer::Program(Program(expr_of(&en.nodes, node)));
    match fit {
        Fit::Exact => program,
        Fit::ColorMap { map, .. } => Answer::ColorMap { map: ColorMap::from_partial(map), inner: Box::new(program) },
    }
}

/// Solutions grouped by their test outputs, best first: strong before weak, lowest cost, then
/// test shapes that agree with the size rule (`shapes`), then most votes, then the order found.
pub fn rank_solutions(en: &Enumeration, extra: Vec<Prediction>, shapes: &[Option<(usize, usize)>]) -> Vec<Prediction> {
    let mut preds: Vec<Prediction> = Vec::new();
    let found = en.solutions.iter().filter_map(|f| {
        let map = match &f.fit {
            Fit::Exact => None,
            Fit::ColorMap { map, .. } => Some(map),
        };
        let tests = test_grids(en, f.node, map)?;
        Some(Prediction { tests, answer: describe(en, f.node, &f.fit), cost: f.cost, votes: 1, weak: f.weak() })
    });
    for p in found.chain(extra) {
        match preds.iter_mut().find(|q| q.tests == p.tests) {
            Some(q) => {
                q.votes += 1;
                q.weak &= p.weak;
                if p.cost < q.cost {
                    q.cost = p.cost;
                    q.answer = p.answer;
                }
            }
            None => preds.push(p),
        }
    }
    preds.sort_by_key(|p| (p.weak, p.cost, !p.shapes_agree(shapes), std::cmp::Reverse(p.votes)));
    preds
}

/// Partial candidates as predictions, most demo cells right first, those whose test shapes
/// disagree with the size rule left out.
pub fn partial_predictions(en: &Enumeration, shapes: &[Option<(usize, usize)>]) -> Vec<Prediction> {
    en.partials
        .iter()
        .filter_map(|p| {
            let tests = test_grids(en, p.node, None)?;
            let answer = Answer::Partial(Box::new(Answer::Program(Program(expr_of(&en.nodes, p.node)))));
            Some(Prediction { tests, answer, cost: p.cost, votes: 0, weak: true })
        })
        .filter(|p| p.shapes_agree(shapes))
        .collect()
}

/// Up to [`crate::solver::MAX_ATTEMPTS`] distinct grids per test input, taken from predictions
/// in order.
pub fn attempts(n_tests: usize, preds: &[Prediction]) -> Vec<Vec<Grid>> {
    attempts_from(n_tests, preds.iter().map(|p| p.tests.as_slice())).0
}


#[cfg(test)]
mod tests {
    use super::*;

    fn pred(tests: &[u8], cost: u32) -> Prediction {
        let tests = tests.iter().map(|&c| Grid::new(1, 1, c).unwrap()).collect();
        Prediction { tests, answer: Answer::Program(Program(crate::program::Expr::Input)), cost, votes: 1, weak: false }
    }

    #[test]
    fn attempts_are_distinct_and_at_most_two_per_test() {
        let preds = [pred(&[1, 5], 1), pred(&[1, 6], 2), pred(&[2, 6], 3), pred(&[3, 7], 4)];
        let got = attempts(2, &preds);
        let colors: Vec<Vec<u8>> = got.iter().map(|a| a.iter().map(|g| g.get(0, 0)).collect()).collect();
        assert_eq!(colors, vec![vec![1, 2], vec![5, 6]]);
        assert!(attempts(1, &[]).iter().all(Vec::is_empty));
        // Predictions that gave nothing are left out of the sources; the rest alone give the same.
        let (got, used) = attempts_from(2, preds.iter().map(|p| p.tests.as_slice()));
        assert_eq!(used, vec![0, 1, 2]);
        let again = attempts_from(2, used.iter().map(|&i| preds[i].tests.as_slice())).0;
        assert_eq!(got, again);
    }
}
