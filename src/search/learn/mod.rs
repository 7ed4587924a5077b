//! Task-level rule learners: rules read off the demos and applied to the test inputs, where
//! the DSL's fixed primitives cannot express the task in a few steps.
//!
//! Two learners run after the enumeration on same-shape tasks:
//! - [`local`]: `output cell = f(features of a base grid around that cell)`, a lookup table
//!   over the input or a cheap shape-right state the enumeration found;
//! - [`objects`]: whole connected components change colour by `g(object property)`.
//!
//! Both are Occam-ordered (the simplest consistent rule first), refuse tables that only
//! memorise (every entry that changes something must be seen at least [`MIN_SUPPORT`] times)
//! and refuse rules that do not cover every test input. Their predictions are ranked after
//! every program that fits the demos and before partial guesses. Work is counted in the
//! search's unit: one per base grid (or object set) per example per rule tried.

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
    if !task.train.iter().all(|p| p.input.shape() == p.output.shape()) {
        return (Vec::new(), 0);
    }
    let (mut preds, w1) = objects::learn(task);
    let (more, w2) = local::learn(task, en);
    preds.extend(more);
    preds.sort_by_key(|p| (p.weak, p.cost));
    let mut out: Vec<Prediction> = Vec::new();
    // A rule that leaves every test input as it is learnt nothing about the change.
    let unchanged = |p: &Prediction| p.tests.iter().zip(&task.test).all(|(g, t)| *g == t.input);
    for p in preds {
        if !unchanged(&p) && !out.iter().any(|q| q.tests == p.tests) {
            out.push(p);
        }
    }
    (out, w1 + w2)
}

/// The demo outputs of a task.
fn targets(task: &Task) -> Vec<&Grid> {
    task.train.iter().map(|p| &p.output).collect()
}
