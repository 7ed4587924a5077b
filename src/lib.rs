//! An ARC-AGI solver: a total grid DSL, a guided program search, a tch neural guide,
//! and a test suite that proves what it solves.

pub mod golden;
pub mod grid;
pub mod guide;
pub mod task;

pub use grid::{Color, Grid, GridError};
pub use task::{Pair, Task, TestPair};
pub mod baseline;
pub mod dsl;
pub mod eval;
pub mod program;
pub mod render;
pub mod rng;
pub mod score;
pub mod solver;
pub mod search;
pub mod solvers;

pub use program::{Expr, Program};
pub use solver::{Solution, Solver, StopReason};
