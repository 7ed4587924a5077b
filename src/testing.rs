//! Helpers for unit tests: grids and tasks written as text.

use crate::grid::Grid;
use crate::task::{Pair, Task, TestPair};

/// A grid from rows of digits separated by `/`, e.g. `"120/304"`.
pub fn grid(text: &str) -> Grid {
    let rows: Vec<Vec<i64>> = text.split('/').map(|r| r.bytes().map(|b| (b - b'0') as i64).collect()).collect();
    Grid::from_rows(&rows).expect("a valid grid text")
}

/// A task from demo pairs and one test input (with its expected output when `want` is given).
pub fn task(pairs: &[(&str, &str)], test: &str, want: Option<&str>) -> Task {
    Task {
        id: "text".into(),
        train: pairs.iter().map(|(i, o)| Pair { input: grid(i), output: grid(o) }).collect(),
        test: vec![TestPair { input: grid(test), output: want.map(grid) }],
    }
}
