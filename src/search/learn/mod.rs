//! Task-level rule learners: rules read off the demos and applied to the test inputs, where
//! the DSL's fixed primitives cannot express the task in a few steps.
//!
//! Four learners run after the enumeration, the last three on same-shape tasks only. They read the
//! task as given and, when it is searched, its colour-normalised variant too
//! ([`crate::search::config::Learn::variant`]), whose rules are over colour ranks:
//! - [`local`]: `output cell = f(features of a base grid around that cell)`, a lookup table
//!   over the input or a cheap shape-right state the enumeration found (on a shape-changing
//!   task: a state of the outputs' shape, e.g. a scaling or a crop of the input);
//! - [`objects`]: whole connected components change colour by `g(object property)`;
//! - [`correspond`]: whole objects are kept, recoloured (to a colour or a same-shaped twin's),
//!   turned, slid or moved (into a hole they fit, or by a step) by `m(object features)`, the
//!   features properties or relations to the other objects;
//! - [`cells`]: in grids cut by separator lines, each cell is kept, cleared, filled or replaced
//!   by a copy of the fullest cell, by `h(cell property)`.
//!
//! Both are Occam-ordered (the simplest consistent rule first), refuse tables that only
//! memorise (every entry that changes something must be seen at least [`MIN_SUPPORT`] times)
//! and refuse rules that do not cover every test input. Their predictions are ranked after
//! every program that fits the demos and before partial guesses. Work is counted in the
//! search's unit: one per base grid (or object set) per example per rule tried.
//!
//! The rules themselves are answer data ([`crate::answer::rules`]: the rule types, their
//! features, properties and actions, and how they paint a grid); the learners only fit the
//! tables from the demos and predict through the rules' `paint`, the code replay runs too.

pub mod cells;
pub mod correspond;
pub mod local;
pub mod objects;

use super::engine::Enumeration;
use super::rank::Prediction;
use crate::grid::Grid;
use crate::task::Task;

/// Fewest demo cells (or objects) a table entry that changes a colour must be seen in.
pub const MIN_SUPPORT: u32 = 2;

/// The learners' predictions for a task, distinct, strict rules before lenient ones and cheapest
/// first, with the work spent.
pub fn predictions(task: &Task, en: &Enumeration) -> (Vec<Prediction>, u64) {
    // Local rules read a shape-right base (the input, or a state of the enumeration: a crop of a
    // shape-changing task too); the other learners read the input.
    let (mut preds, w2) = local::learn(task, en);
    let (mut w1, mut w3) = (0, 0);
    if task.keeps_shape() {
        let (objs, w) = objects::learn(task);
        preds.extend(objs);
        w1 = w;
        let (cell_rules, w) = cells::learn(task);
        preds.extend(cell_rules);
        w3 = w;
        let (matches, w) = correspond::learn(task);
        preds.extend(matches);
        w3 += w;
    }
    preds.sort_by_key(|p| (p.weak, p.cost));
    let mut out: Vec<Prediction> = Vec::new();
    // A rule that leaves every test input as it is learnt nothing about the change.
    let unchanged = |p: &Prediction| p.tests.iter().zip(&task.test).all(|(g, t)| *g == t.input);
    for p in preds {
        if !unchanged(&p) && !out.iter().any(|q| q.tests == p.tests) {
            out.push(p);
        }
    }
    (out, w1 + w2 + w3)
}

/// The demo outputs of a task.
fn targets(task: &Task) -> Vec<&Grid> {
    task.train.iter().map(|p| &p.output).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::task;
    use crate::search::engine::enumerate;
    use crate::search::guide::{Guide, Uniform};
    use crate::answer::Answer;
    use crate::search::{Budget, SearchConfig, SearchSolver};
    use crate::solver::Solver;

    /// The largest object turns 2 and the smallest 3, everything else is erased.
    fn extremes() -> Task {
        task(
            &[
                ("10000/10100/10101/00000", "20000/20000/20003/00000"),
                ("11101/00000/11000/00000", "22203/00000/00000/00000"),
            ],
            "00000/11110/00000/10110",
            Some("00000/22220/00000/30000"),
        )
    }

    #[test]
    fn predictions_are_distinct_and_never_the_test_input() {
        let t = extremes();
        let en = enumerate(&t, &Uniform.prim_probs(&t), &SearchConfig::new(Budget::Work(0)), 0);
        let (preds, work) = predictions(&t, &en);
        assert!(work > 0);
        assert_eq!(preds.first().map(|p| &p.tests[0]), t.test[0].output.as_ref(), "{preds:?}");
        for (i, p) in preds.iter().enumerate() {
            assert_ne!(p.tests[0], t.test[0].input);
            assert!(preds[..i].iter().all(|q| q.tests != p.tests));
        }
    }

    #[test]
    fn the_search_answers_with_a_learnt_rule() {
        let t = extremes();
        let sol = SearchSolver::new(SearchConfig::new(Budget::Tiny)).solve(&t);
        assert!(sol.attempts[0].contains(t.test[0].output.as_ref().unwrap()), "{sol:?}");
        // Same-shape learners stay out of tasks whose outputs change shape.
        let crop = task(&[("12/34", "1"), ("56/78", "5")], "90/12", Some("9"));
        let en = enumerate(&crop, &Uniform.prim_probs(&crop), &SearchConfig::new(Budget::Work(0)), 0);
        assert_eq!(predictions(&crop, &en).1, 0);
    }

    #[test]
    fn the_colour_normalised_variant_learns_rules_in_colour_ranks() {
        // Background cells the shape encloses take the marker's colour; each demo and the test
        // in colours of their own, so only a rule over colour ranks (background 0, shape 1,
        // marker 2) covers the test.
        let t = task(
            &[
                ("11100/10100/11100/00000/00002", "11100/12100/11100/00000/00002"),
                ("00000/03330/03030/03330/40000", "00000/03330/03430/03330/40000"),
            ],
            "55550/50050/55550/00000/00060",
            Some("55550/56650/55550/00000/00060"),
        );
        let right = t.test[0].output.clone().unwrap();
        // One application of work: the search itself finds nothing; the learners run anyway.
        let solve = |learn_variant| {
            {
                let mut cfg = SearchConfig::new(Budget::Work(1));
                cfg.learn.variant = learn_variant;
                SearchSolver::new(cfg).solve(&t)
            }
        };
        let sol = solve(true);
        let at = sol.attempts[0].iter().position(|g| *g == right).unwrap_or_else(|| panic!("{sol:?}"));
        let answer = &sol.answers[at];
        assert!(matches!(answer, Answer::Normalized(inner) if matches!(**inner, Answer::Local(_))), "{answer}");
        // The answer as data gives the same grid on the test input in its own colours.
        assert_eq!(answer.run(&crate::dsl::Ctx::for_task(&t), &t.test[0].input), Ok(right.clone()));
        assert!(!solve(false).attempts[0].contains(&right));
    }
}
