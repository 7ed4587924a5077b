//! Output-size reasoning: a rule for the output's height and width, each on its own, that
//! holds on every demo (a constant, the input's height or width scaled by a fixed ratio), and
//! the test outputs' shapes it predicts. Used to rank candidates whose test shapes agree.

use crate::grid::MAX_SIDE;
use crate::task::Task;

/// How one side of the output follows from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideRule {
    /// Always this many cells.
    Const(usize),
    /// The input's height (`from_h`) or width, times `num / den`.
    Ratio { from_h: bool, num: usize, den: usize },
}

impl SideRule {
    fn apply(self, h: usize, w: usize) -> Option<usize> {
        match self {
            SideRule::Const(n) => Some(n),
            SideRule::Ratio { from_h, num, den } => {
                let x = if from_h { h } else { w } * num;
                (x % den == 0 && (1..=MAX_SIDE).contains(&(x / den))).then_some(x / den)
            }
        }
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The first rule, in order of simplicity (same side as-is, other side as-is, constant, ratios),
/// that gives side `out` of every demo from its input.
fn side_rule(pairs: &[((usize, usize), usize)]) -> Option<SideRule> {
    let &((h0, w0), o0) = pairs.first()?;
    let mut rules = vec![
        SideRule::Ratio { from_h: true, num: 1, den: 1 },
        SideRule::Ratio { from_h: false, num: 1, den: 1 },
        SideRule::Const(o0),
    ];
    for (from_h, x) in [(true, h0), (false, w0)] {
        let g = gcd(o0, x);
        rules.push(SideRule::Ratio { from_h, num: o0 / g, den: x / g });
    }
    rules.into_iter().find(|r| pairs.iter().all(|&((h, w), o)| r.apply(h, w) == Some(o)))
}

/// A rule for the output's height and one for its width, when both exist.
pub fn shape_rule(task: &Task) -> Option<(SideRule, SideRule)> {
    let sides = |f: fn((usize, usize)) -> usize| -> Vec<((usize, usize), usize)> {
        task.train.iter().map(|p| (p.input.shape(), f(p.output.shape()))).collect()
    };
    Some((side_rule(&sides(|s| s.0))?, side_rule(&sides(|s| s.1))?))
}

/// The test outputs' shapes the rule predicts (`None` where it gives none).
pub fn predict(task: &Task) -> Vec<Option<(usize, usize)>> {
    let rule = shape_rule(task);
    task.test
        .iter()
        .map(|t| {
            let (rh, rw) = rule?;
            let (h, w) = t.input.shape();
            Some((rh.apply(h, w)?, rw.apply(h, w)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;
    use crate::task::{Pair, TestPair};

    fn task(pairs: &[((usize, usize), (usize, usize))], test: (usize, usize)) -> Task {
        let g = |(h, w): (usize, usize)| Grid::new(h, w, 0).unwrap();
        Task {
            id: "shapes".into(),
            train: pairs.iter().map(|&(i, o)| Pair { input: g(i), output: g(o) }).collect(),
            test: vec![TestPair { input: g(test), output: None }],
        }
    }

    #[test]
    fn predicts_same_constant_transposed_and_scaled_shapes() {
        assert_eq!(predict(&task(&[((3, 4), (3, 4)), ((5, 2), (5, 2))], (7, 7))), vec![Some((7, 7))]);
        assert_eq!(predict(&task(&[((3, 4), (1, 1)), ((5, 2), (1, 1))], (7, 7))), vec![Some((1, 1))]);
        assert_eq!(predict(&task(&[((3, 4), (4, 3)), ((5, 2), (2, 5))], (6, 1))), vec![Some((1, 6))]);
        assert_eq!(predict(&task(&[((3, 3), (9, 9)), ((2, 4), (6, 12))], (4, 1))), vec![Some((12, 3))]);
        assert_eq!(predict(&task(&[((4, 6), (2, 6)), ((8, 2), (4, 2))], (10, 3))), vec![Some((5, 3))]);
        assert_eq!(predict(&task(&[((3, 3), (2, 2)), ((3, 3), (5, 5))], (3, 3))), vec![None]);
    }
}
