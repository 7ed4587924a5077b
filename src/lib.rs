//! An ARC-AGI solver: a total grid DSL, a guided program search, a tch neural guide with
//! test-time training, and a test suite that proves what it solves.
//!
//! The vocabulary first: [`grid`] (grids and colours), [`task`] (tasks, pairs, loaders),
//! [`dsl`] (primitives), [`program`] (programs as data), [`answer`] (everything a solver returns,
//! as data that replays: below the search, which only finds answers), [`hash`] (a fixed-key
//! hasher). Then the solver: [`search`] (program search), [`guide`] (the neural prior and
//! test-time training), [`solvers`] (solvers by name), [`baseline`]. Then measurement:
//! [`solver`] (the interface and how attempts are taken), [`score`], [`select`] (which tasks of
//! a dataset a run solves), [`eval`], [`golden`], [`render`], [`html`] and [`picture`] (pages and pictures).

pub mod answer;
pub mod baseline;
pub mod dsl;
pub mod eval;
pub mod fsio;
pub mod golden;
pub mod grid;
pub mod hash;
pub mod html;
pub mod guide;
pub mod pathological;
pub mod picture;
pub mod program;
pub mod render;
pub mod rng;
pub mod score;
pub mod search;
pub mod select;
pub mod solver;
pub mod solvers;
pub mod task;

#[cfg(test)]
mod testing;

pub use answer::Answer;
pub use grid::{Color, Grid, GridError};
pub use program::{Expr, Program};
pub use solver::{Solution, Solver, StopReason};
pub use task::{Pair, Task, TestPair};
