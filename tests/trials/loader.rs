//! The loaders on bad input (`loader::*`): each class of bad input gives its own clear error
//! (naming the file, the task and where), a bad task in a dataset is skipped and reported, and
//! random input never panics (proptest).

use arc_solver::grid::GridError;
use arc_solver::score::score_task;
use arc_solver::solver::{Solution, StopReason};
use arc_solver::task::{LoadError, TaskProblem, load_dataset, load_folder, load_kaggle, load_task_file};
use libtest_mimic::{Failed, Trial};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::{Path, PathBuf};

/// A scratch folder for this test process.
fn scratch() -> PathBuf {
    let d = std::env::temp_dir().join(format!("arc-loader-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const GOOD: &str = r#"{"train":[{"input":[[1,2],[3,4]],"output":[[4,3],[2,1]]}],"test":[{"input":[[5]],"output":[[5]]}]}"#;

/// Loads `text` as a task file and returns the error text, checking it with `is_expected`.
fn bad(name: &str, text: &str, is_expected: impl Fn(&LoadError) -> bool) -> Result<(), Failed> {
    let dir = scratch();
    let file = write(&dir, &format!("{name}.json"), text);
    match load_task_file(&file) {
        Ok(_) => Err(format!("{name}: loaded without an error").into()),
        Err(e) => {
            let msg = e.to_string();
            if !is_expected(&e) {
                return Err(format!("{name}: unexpected error: {msg}").into());
            }
            if !msg.contains(&file.display().to_string()) {
                return Err(format!("{name}: the error does not name the file: {msg}").into());
            }
            Ok(())
        }
    }
}

fn task_problem(e: &LoadError, at: &str, p: impl Fn(&TaskProblem) -> bool) -> bool {
    matches!(e, LoadError::Task { at: a, problem, task, .. } if a == at && p(problem) && !task.is_empty())
}

/// The loader trials.
pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("loader::good_task_loads", || {
            let dir = scratch();
            let t = load_task_file(&write(&dir, "abcd1234.json", GOOD)).map_err(|e| e.to_string())?;
            if t.id != "abcd1234" || t.train.len() != 1 || t.test[0].output.is_none() {
                return Err(format!("wrong task: {t:?}").into());
            }
            Ok(())
        }),
        Trial::test("loader::invalid_json", || bad("invalid_json", "{\"train\": [", |e| matches!(e, LoadError::Json { .. }))),
        Trial::test("loader::ragged_rows", || {
            bad("ragged", &GOOD.replace("[[1,2],[3,4]]", "[[1,2],[3]]"), |e| {
                task_problem(e, "train[0].input", |p| *p == TaskProblem::Grid(GridError::Ragged { row: 1, expected: 2, got: 1 }))
            })
        }),
        Trial::test("loader::colour_out_of_range", || {
            bad("colour", &GOOD.replace("[[4,3],[2,1]]", "[[4,3],[2,10]]"), |e| {
                task_problem(e, "train[0].output", |p| *p == TaskProblem::Grid(GridError::BadColor { row: 1, col: 1, value: 10 }))
            })
        }),
        Trial::test("loader::negative_colour", || {
            bad("negative", &GOOD.replace("[[5]],\"output\"", "[[-1]],\"output\""), |e| {
                task_problem(e, "test[0].input", |p| matches!(p, TaskProblem::Grid(GridError::BadColor { value: -1, .. })))
            })
        }),
        Trial::test("loader::empty_grid", || {
            bad("empty", &GOOD.replace("[[1,2],[3,4]]", "[]"), |e| {
                task_problem(e, "train[0].input", |p| *p == TaskProblem::Grid(GridError::Empty))
            })
        }),
        Trial::test("loader::side_over_30", || {
            let row = format!("[{}]", vec!["0"; 31].join(","));
            bad("wide", &GOOD.replace("[[1,2],[3,4]]", &format!("[{row}]")), |e| {
                task_problem(e, "train[0].input", |p| matches!(p, TaskProblem::Grid(GridError::TooLarge { side: 31, .. })))
            })
        }),
        Trial::test("loader::missing_train_output", || {
            bad("no_output", &GOOD.replace(",\"output\":[[4,3],[2,1]]", ""), |e| {
                task_problem(e, "train[0]", |p| *p == TaskProblem::Missing("output"))
            })
        }),
        Trial::test("loader::empty_train_list", || {
            bad("no_train", r#"{"train":[],"test":[{"input":[[1]]}]}"#, |e| task_problem(e, "train", |p| *p == TaskProblem::NoTrain))
        }),
        Trial::test("loader::missing_train_key", || {
            bad("no_train_key", r#"{"test":[{"input":[[1]]}]}"#, |e| task_problem(e, "train", |p| *p == TaskProblem::Missing("train")))
        }),
        Trial::test("loader::non_integer_colour", || {
            bad("string_colour", &GOOD.replace("[[5]],\"output\"", "[[\"5\"]],\"output\""), |e| {
                task_problem(e, "test[0].input", |p| matches!(p, TaskProblem::Shape(_)))
            })
        }),
        Trial::test("loader::test_without_output_cannot_be_scored", || {
            let dir = scratch();
            let t = load_task_file(&write(&dir, "nout.json", &GOOD.replace(",\"output\":[[5]]", ""))).map_err(|e| e.to_string())?;
            let sol = Solution::nothing(&t, StopReason::Exhausted, 0);
            match score_task(&t, &sol) {
                Err(e) if e.index == 0 && e.to_string().contains("test[0] has no output") => Ok(()),
                other => Err(format!("expected a score error, got {other:?}").into()),
            }
        }),
        Trial::test("loader::bad_task_in_folder_is_skipped_and_reported", || {
            let dir = scratch().join("folder");
            std::fs::create_dir_all(&dir).unwrap();
            write(&dir, "good0001.json", GOOD);
            write(&dir, "bad00002.json", &GOOD.replace("[[4,3],[2,1]]", "[[4,3],[2]]"));
            write(&dir, "good0003.json", GOOD);
            let ds = load_folder(&dir).map_err(|e| e.to_string())?;
            let ids: Vec<&str> = ds.tasks.iter().map(|t| t.id.as_str()).collect();
            if ids != ["good0001", "good0003"] || ds.errors.len() != 1 || !ds.errors[0].to_string().contains("bad00002") {
                return Err(format!("tasks {ids:?}, errors {:?}", ds.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()).into());
            }
            Ok(())
        }),
        Trial::test("loader::kaggle_challenges_and_solutions", || {
            let dir = scratch();
            let ch = write(&dir, "x_challenges.json", r#"{"t1":{"train":[{"input":[[1]],"output":[[2]]}],"test":[{"input":[[3]]}]}}"#);
            let so = write(&dir, "x_solutions.json", r#"{"t1":[[[4]]]}"#);
            let ds = load_kaggle(&ch, Some(&so)).map_err(|e| e.to_string())?;
            let out = ds.tasks[0].test[0].output.as_ref().map(|g| g.to_text());
            if out.as_deref() != Some("4\n") {
                return Err(format!("solution not attached: {out:?}").into());
            }
            let by_path = load_dataset(ch.to_str().unwrap(), "evaluation").map_err(|e| e.to_string())?;
            if by_path.tasks.len() != 1 || by_path.tasks[0].test[0].output.is_none() {
                return Err("the challenges path did not pick up its solutions file".into());
            }
            Ok(())
        }),
        Trial::test("loader::unknown_dataset_and_split", || {
            let a = load_dataset("no-such-dataset", "training").map(|_| ()).map_err(|e| e.to_string());
            let b = load_dataset("arc-agi-1", "validation").map(|_| ()).map_err(|e| e.to_string());
            match (a, b) {
                (Err(a), Err(b)) if a.contains("unknown dataset") && b.contains("unknown split") => Ok(()),
                other => Err(format!("{other:?}").into()),
            }
        }),
        Trial::test("loader::arc_agi_1_counts", || {
            let tr = load_dataset("arc-agi-1", "training").map_err(|e| e.to_string())?;
            let ev = load_dataset("arc-agi-1", "evaluation").map_err(|e| e.to_string())?;
            let outs = |d: &arc_solver::task::Dataset| d.tasks.iter().map(|t| t.test.len()).sum::<usize>();
            let got = (tr.tasks.len(), outs(&tr), ev.tasks.len(), outs(&ev), tr.errors.len() + ev.errors.len());
            if got != (400, 416, 400, 419, 0) {
                return Err(format!("(train tasks, train outputs, eval tasks, eval outputs, errors) = {got:?}").into());
            }
            Ok(())
        }),
        Trial::test("loader::fuzz_never_panics", fuzz),
    ]
}

/// Random JSON shaped like tasks (and random bytes): the loader returns a task or an error, never panics.
fn fuzz() -> Result<(), Failed> {
    let dir = scratch().join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let cell = prop_oneof![8 => 0i64..10, 1 => -3i64..15, 1 => Just(1000)];
    let row = prop::collection::vec(cell, 0..33);
    let grid = prop::collection::vec(row, 0..33);
    let pair = (grid.clone(), prop::option::of(grid), any::<bool>());
    let task = (prop::collection::vec(pair.clone(), 0..4), prop::collection::vec(pair, 0..3));
    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    let file = dir.join("fuzz.json");
    runner
        .run(&task, |(train, test)| {
            let pairs = |ps: &[(Vec<Vec<i64>>, Option<Vec<Vec<i64>>>, bool)]| -> Vec<serde_json::Value> {
                ps.iter()
                    .map(|(i, o, drop_input)| {
                        let mut m = serde_json::Map::new();
                        if !drop_input {
                            m.insert("input".into(), serde_json::json!(i));
                        }
                        if let Some(o) = o {
                            m.insert("output".into(), serde_json::json!(o));
                        }
                        serde_json::Value::Object(m)
                    })
                    .collect()
            };
            let json = serde_json::json!({"train": pairs(&train), "test": pairs(&test)});
            std::fs::write(&file, json.to_string()).unwrap();
            let _ = load_task_file(&file);
            Ok(())
        })
        .map_err(|e| format!("{e}"))?;
    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..200), |bytes| {
            std::fs::write(&file, &bytes).unwrap();
            let _ = load_task_file(&file);
            Ok(())
        })
        .map_err(|e| format!("{e}"))?;
    Ok(())
}

/// Removes this process's scratch folder (after every trial has run).
pub fn clean_up() {
    let _ = std::fs::remove_dir_all(scratch());
}
