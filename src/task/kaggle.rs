//! Kaggle's layout: a challenges file `{id: {train, test: [{input}]}}` and, beside it, a
//! solutions file `{id: [output, ...]}` that fills in the test outputs.

use super::read::read_json;
use super::{Dataset, LoadError, TaskProblem, grid_at, tasks_of_object};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// Loads Kaggle's layout: a challenges file `{id: {train, test: [{input}]}}` and, optionally, a
/// solutions file `{id: [output, ...]}` that fills in the test outputs.
pub fn load_kaggle(challenges: &Path, solutions: Option<&Path>) -> Result<Dataset, LoadError> {
    let json = read_json(challenges)?;
    let obj = json
        .as_object()
        .ok_or_else(|| LoadError::Layout { file: challenges.to_path_buf(), problem: "expected an object {task id: task}".into() })?;
    let mut results = tasks_of_object(challenges, obj);
    if let Some(sol_file) = solutions {
        let sols = read_json(sol_file)?;
        let sols = sols.as_object().ok_or_else(|| LoadError::Layout {
            file: sol_file.to_path_buf(),
            problem: "expected an object {task id: [output grid, ...]}".into(),
        })?;
        for r in results.iter_mut() {
            let Ok(task) = r else { continue };
            let Some(outs) = sols.get(&task.id) else { continue };
            let err = |at: String, problem| LoadError::Task { file: sol_file.to_path_buf(), task: task.id.clone(), at, problem };
            let outs = match outs.as_array() {
                Some(o) => o,
                None => {
                    let e = err("solutions".into(), TaskProblem::Shape("a list of output grids"));
                    *r = Err(e);
                    continue;
                }
            };
            let mut fail = None;
            for (i, (tp, o)) in task.test.iter_mut().zip(outs).enumerate() {
                match grid_at(o) {
                    Ok(g) => tp.output = Some(g),
                    Err(p) => {
                        fail = Some(err(format!("solutions[{i}]"), p));
                        break;
                    }
                }
            }
            if let Some(e) = fail {
                *r = Err(e);
            }
        }
    }
    Ok(Dataset::from_results(challenges.display().to_string(), results))
}

/// Whether a JSON value is Kaggle's challenges layout `{id: {train, test}}` (whatever the file's name).
pub(crate) fn is_task_map(json: &Json) -> bool {
    json.get("train").is_none()
        && json.as_object().is_some_and(|o| !o.is_empty() && o.values().all(|v| v.get("train").is_some()))
}


/// The solutions file that goes with a challenges file (`x_challenges.json`: `x_solutions.json`,
/// in any case), whether it exists or not; `None` when `path` is not named as a challenges file.
pub fn solutions_beside(path: &Path) -> Option<PathBuf> {
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let at = name.to_ascii_lowercase().find("challenges")?;
    Some(path.with_file_name(format!("{}solutions{}", &name[..at], &name[at + "challenges".len()..])))
}
