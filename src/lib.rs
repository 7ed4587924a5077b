//! An ARC-AGI solver: a total grid DSL, a guided program search, a tch neural guide with
//! test-time training, and a test suite that proves what it solves.
//!
//! # Solving a task
//!
//! Load a task ([`Task::from_json`], or [`task::find_task`] for a task file or an id of the
//! installed datasets), build a solver (here the program search without its neural guide, at the
//! smallest budget), and solve: a [`Solution`] holds up to two attempts per test input, the
//! answers behind them and why the search stopped.
//!
//! ```
//! use arc_solver::search::{Budget, SearchConfig, SearchSolver};
//! use arc_solver::{Solver, Task};
//!
//! // Every demonstration's output is its input turned half a turn.
//! let task = Task::from_json("half_turn", r#"{
//!     "train": [
//!         {"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]},
//!         {"input": [[5, 0, 0], [6, 7, 0]], "output": [[0, 7, 6], [0, 0, 5]]}
//!     ],
//!     "test": [{"input": [[0, 8], [9, 0]], "output": [[0, 9], [8, 0]]}]
//! }"#)?;
//!
//! let solver = SearchSolver::new(SearchConfig::new(Budget::Tiny));
//! let solution = solver.solve(&task);
//! assert_eq!(solution.program().as_deref(), Some("(rot180 input)"));
//! // Per test input, the attempts, best first.
//! let first = &solution.attempts[0][0];
//! assert_eq!(Some(first), task.test[0].output.as_ref());
//! print!("{}", first.to_text()); // 09\n80\n
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The solver the `arc` command line uses by default is the same search with the neural guide
//! shipped in `models/`: [`solvers::build`] puts it together from a [`solvers::Spec`] (a budget
//! name: `tiny`, `fast`, `test`, `default`, or a number of work units). Budgets count work, not
//! time, so a solution is the same on any machine.
//!
//! ```no_run
//! use arc_solver::solvers::{Spec, build};
//!
//! let solver = build(&Spec::new("fast"))?; // loads models/guide (libtorch)
//! let id = std::env::args().nth(1).expect("a task id (`arc list` lists them)");
//! let solution = solver.solve(&arc_solver::task::find_task(&id)?);
//! println!("{}: {:?}", solution.stop_reason, solution.program());
//! # Ok::<(), anyhow::Error>(())
//! ```
//!
//! # Answers replay from their text
//!
//! Every answer (a DSL program, a colour map over one, stacked layers, a learnt rule) prints as
//! text and parses back ([`Answer`]'s grammar): replaying it on a task needs no search.
//!
//! ```
//! use arc_solver::{Answer, Task, dsl::Ctx};
//!
//! let task = Task::from_json("half_turn", r#"{
//!     "train": [{"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]}],
//!     "test": [{"input": [[0, 8], [9, 0]]}]
//! }"#)?;
//! let answer: Answer = "(rot180 input)".parse()?;
//! let replay = answer.apply(&Ctx::for_task(&task), &task);
//! assert!(replay.fits_demos(&task));
//! assert_eq!(replay.tests[0].as_ref().unwrap().to_rows(), [[0, 9], [8, 0]]);
//! assert_eq!(answer.to_string(), "(rot180 input)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `examples/solve.rs` does the whole round from the command line: `cargo run --release
//! --example solve -- <task id or file> [budget]`.
//!
//! # The modules
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
