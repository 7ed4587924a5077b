//! Kaggle's layout: a challenges file `{id: {train, test: [{input}]}}` and, beside it, a
//! solutions file `{id: [output, ...]}` that fills in the test outputs.

use super::read::read_json;
use super::{Dataset, LoadError, TaskProblem, grid_at, tasks_of_object};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// Loads Kaggle's layout: a challenges file `{id: {train, test: [{input}]}}` and, optionally, a
/// solutions file `{id: [output, ...]}` that fills in the test outputs. The two must agree: a
/// solution for a task the challenges do not hold is an error (naming it); a task without its
/// solutions, or with another number of outputs than test inputs, is skipped with its reason.
/// A challenges file of no task is an error.
pub fn load_kaggle(challenges: &Path, solutions: Option<&Path>) -> Result<Dataset, LoadError> {
    let json = read_json(challenges)?;
    let obj = json
        .as_object()
        .ok_or_else(|| LoadError::Layout { file: challenges.to_path_buf(), problem: "expected an object {task id: task}".into() })?;
    if obj.is_empty() {
        return Err(LoadError::Layout { file: challenges.to_path_buf(), problem: "holds no task".into() });
    }
    let mut results = tasks_of_object(challenges, obj);
    if let Some(sol_file) = solutions {
        let sols = read_json(sol_file)?;
        let sols = sols.as_object().ok_or_else(|| LoadError::Layout {
            file: sol_file.to_path_buf(),
            problem: "expected an object {task id: [output grid, ...]}".into(),
        })?;
        if let Some(extra) = sols.keys().find(|id| !obj.contains_key(*id)) {
            return Err(LoadError::Layout {
                file: sol_file.to_path_buf(),
                problem: format!("solutions for task {extra}, which {} does not hold: the files do not go together", challenges.display()),
            });
        }
        for r in results.iter_mut() {
            let Ok(task) = r else { continue };
            let err = |at: String, problem| LoadError::Task { file: sol_file.to_path_buf(), task: task.id.clone(), at, problem };
            let Some(outs) = sols.get(&task.id) else {
                *r = Err(err("solutions".into(), TaskProblem::Missing("solutions for this task")));
                continue;
            };
            let outs = match outs.as_array() {
                Some(o) if o.len() == task.test.len() => o,
                Some(_) => {
                    *r = Err(err("solutions".into(), TaskProblem::Shape("one output grid per test input")));
                    continue;
                }
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
