//! Reads a bundle of ARC tasks (`{"train": {id: task}, "eval": {id: task}}`, as in
//! `.deps/data/arcagi_aa922be.json`) for the search's tests, benchmark and measurements.

use crate::grid::Grid;
use crate::task::{Pair, Task, TestPair};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
struct RawPair {
    input: Grid,
    output: Option<Grid>,
}

#[derive(Deserialize)]
struct RawTask {
    train: Vec<RawPair>,
    test: Vec<RawPair>,
}

/// The tasks of one split (`train` or `eval`) of a bundle file, sorted by id.
pub fn load_split(path: &Path, split: &str) -> anyhow::Result<Vec<Task>> {
    let text = std::fs::read_to_string(path)?;
    let mut bundle: BTreeMap<String, BTreeMap<String, RawTask>> = serde_json::from_str(&text)?;
    let tasks = bundle.remove(split).ok_or_else(|| anyhow::anyhow!("no split `{split}` in {}", path.display()))?;
    tasks
        .into_iter()
        .map(|(id, t)| {
            let train = t
                .train
                .into_iter()
                .map(|p| Ok(Pair { input: p.input, output: p.output.ok_or_else(|| anyhow::anyhow!("{id}: demo without output"))? }))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let test = t.test.into_iter().map(|p| TestPair { input: p.input, output: p.output }).collect();
            Ok(Task { id, train, test })
        })
        .collect()
}

/// The ARC-AGI-1 bundle under `ARC_DATA_DIR` (set by `.cargo/config.toml`) or `.deps/data`.
pub fn arc_agi_1_path() -> std::path::PathBuf {
    let dir = std::env::var("ARC_DATA_DIR").unwrap_or_else(|_| ".deps/data".to_string());
    Path::new(&dir).join("arcagi_aa922be.json")
}
