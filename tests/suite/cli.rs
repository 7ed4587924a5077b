//! The CLI's conventions, each by its message or exit status: choice flags list their values and
//! suggest near misses, ranges are checked, unknown tasks are errors that say where to look,
//! colour follows `--color` and `NO_COLOR`, wide grids stack, and `eval` logs a line per task
//! when stderr is not a terminal.

use std::process::Command;

/// Runs `arc` with arguments and extra environment; (exit code, stdout, stderr).
fn arc_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arc"));
    cmd.args(args).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("COLUMNS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn arc(args: &[&str]) -> (i32, String, String) {
    arc_env(args, &[])
}

/// A usage error: exit status 2 and a stderr that contains every `needle`.
fn usage_error(args: &[&str], needles: &[&str]) {
    let (code, _, err) = arc(args);
    assert_eq!(code, 2, "{args:?}: exit {code}\n{err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: no `{n}` in\n{err}");
    }
}

#[test]
fn choice_flags_list_values_and_suggest() {
    usage_error(&["eval", "--split", "evaluaton"], &["possible values: training, evaluation", "'evaluation'"]);
    usage_error(&["eval", "--solver", "basline"], &["possible values: search, baseline", "'baseline'"]);
    usage_error(&["eval", "--budget", "tny"], &["not a budget", "did you mean `tiny`?"]);
    usage_error(&["eval", "--dataset", "arc-agi1"], &["no such file or folder", "did you mean `arc-agi-1`?"]);
    usage_error(&["show", "007bbfb7", "--color", "sometimes"], &["possible values: auto, always, never"]);
    let (code, help, _) = arc(&["eval", "--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("[possible values: training, evaluation]") && help.contains("baseline"), "{help}");
}

#[test]
fn ranges_are_checked() {
    usage_error(&["eval", "--jobs", "0"], &["--jobs", "at least 1"]);
    usage_error(&["eval", "--limit", "0"], &["--limit", "at least 1"]);
    usage_error(&["solve", "007bbfb7", "--set", "guide.mix=1.5"], &["guide.mix", "0..=1"]);
    usage_error(&["solve", "007bbfb7", "--set", "guide.mix=NaN"], &["guide.mix", "0..=1"]);
    usage_error(&["solve", "007bbfb7", "--set", "refine.widht=3"], &["unknown setting", "did you mean `refine.width`?"]);
    usage_error(&["solve", "007bbfb7", "--set", "refine.width"], &["group.key=value"]);
}

#[test]
fn settings_are_listed_with_their_values_at_a_budget() {
    let (code, out, _) = arc(&["settings", "--budget", "fast"]);
    assert_eq!(code, 0);
    assert!(out.contains("refine.share") && out.contains("learn.variant") && out.contains("0..=1"), "{out}");
    // The refinement share depends on the budget: none at `fast`.
    let line = |out: &str| out.lines().find(|l| l.starts_with("refine.share")).map(str::to_string).unwrap();
    let (_, default, _) = arc(&["settings"]);
    assert!(line(&out).contains(" 0 ") && line(&default).contains(" 0.1 "), "{}\n{}", line(&out), line(&default));
}

#[test]
fn unknown_tasks_are_errors_that_say_where_to_look() {
    let (code, _, err) = arc(&["show", "deadbeef"]);
    assert_eq!(code, 1);
    assert!(err.contains("no task deadbeef in arc-agi-1 or arc-agi-2, and no such file"), "{err}");
    let (code, _, err) = arc(&["eval", "--tasks", "00dbd492,deadbeef", "--budget", "tiny"]);
    assert_eq!(code, 1);
    assert!(err.contains("no task deadbeef in arc-agi-1/evaluation") && !err.contains("00dbd492"), "{err}");
    let (code, _, err) = arc(&["eval", "--tasks", "007bbfb7", "--budget", "tiny"]);
    assert_eq!(code, 1);
    assert!(err.contains("it is in --dataset arc-agi-1 --split training"), "{err}");
    // 0dfd9992 is an ARC-AGI-1 training task that ARC-AGI-2 does not hold.
    let (code, _, err) = arc(&["show", "0dfd9992", "--dataset", "arc-agi-2"]);
    assert_eq!(code, 1);
    assert!(err.contains("no task 0dfd9992 in arc-agi-2"), "{err}");
    let (code, out, _) = arc(&["show", "0dfd9992", "--dataset", "arc-agi-1"]);
    assert!(code == 0 && out.contains("task 0dfd9992"), "{out}");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let esc = |s: &str| s.contains("\x1b[");
    let (_, piped, _) = arc(&["show", "007bbfb7"]);
    assert!(!esc(&piped), "a pipe gets digits by default");
    let (_, forced, _) = arc(&["show", "007bbfb7", "--color", "always"]);
    assert!(esc(&forced), "--color always colours a pipe");
    let (_, never, _) = arc_env(&["show", "007bbfb7"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!esc(&never), "NO_COLOR wins over auto");
    let (_, plain, _) = arc(&["show", "007bbfb7", "--color", "always", "--plain"]);
    assert!(!esc(&plain), "--plain gives digits");
}

#[test]
fn wide_grids_stack() {
    // 007bbfb7: 3x3 inputs, 9x9 outputs (18 columns of digits each, side by side > 20).
    let (_, narrow, _) = arc_env(&["show", "007bbfb7"], &[("COLUMNS", "20")]);
    let (_, wide, _) = arc_env(&["show", "007bbfb7"], &[("COLUMNS", "200")]);
    let grid_lines = |s: &str| s.lines().filter(|l| !l.starts_with("task ")).map(str::to_string).collect::<Vec<_>>();
    assert!(grid_lines(&narrow).iter().all(|l| l.chars().count() <= 20), "{narrow}");
    assert!(wide.lines().any(|l| l.contains("input") && l.contains("output")), "{wide}");
    assert!(!narrow.lines().any(|l| l.contains("input") && l.contains("output")), "{narrow}");
}

#[test]
fn eval_logs_a_line_per_task_without_a_terminal() {
    let (code, _, err) = arc(&["eval", "--tasks", "00dbd492,070dd51e,0a1d4ef5", "--budget", "tiny", "--no-guide"]);
    assert_eq!(code, 0, "{err}");
    for id in ["00dbd492", "070dd51e", "0a1d4ef5"] {
        assert!(err.lines().any(|l| l.contains(id) && l.contains("/3]")), "no progress line for {id}:\n{err}");
    }
}

#[test]
fn list_gives_ids_counts_and_sizes() {
    let (code, out, err) = arc(&["list", "--dataset", "arc-agi-1", "--split", "training"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 400, "one line per task");
    // 007bbfb7: 5 demonstrations of 3x3 -> 9x9, one test.
    let line = out.lines().find(|l| l.starts_with("007bbfb7 ")).unwrap();
    assert!(line.contains("5 demos") && line.contains("1 test ") && line.ends_with("3x3 -> 9x9"), "{line}");
    assert!(err.contains("400 tasks (400 in arc-agi-1/training)"), "{err}");
    let (code, json, _) = arc(&["list", "--split", "training", "--json"]);
    assert_eq!(code, 0);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = rows.as_array().unwrap().iter().find(|r| r["id"] == "007bbfb7").unwrap();
    assert_eq!((row["demos"].as_u64(), row["tests"].as_u64()), (Some(5), Some(1)));
    assert_eq!(row["demo_sizes"][0], serde_json::json!(["3x3", "9x9"]));
    usage_error(&["list", "--solved"], &["--report"]);
}

#[test]
fn list_filters_by_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let r = report.to_str().unwrap();
    // The baseline solves 3c9b0459 (rot180), not 017c7c7b.
    let (code, _, err) = arc(&["eval", "--split", "training", "--tasks", "017c7c7b,3c9b0459", "--solver", "baseline", "--out", r]);
    assert_eq!(code, 0, "{err}");
    let (code, solved, err) = arc(&["list", "--report", r, "--solved"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(solved.lines().map(|l| l.split(' ').next().unwrap()).collect::<Vec<_>>(), ["3c9b0459"], "{solved}");
    assert!(solved.trim_end().ends_with("solved") && err.contains("1 task solved in the report"), "{solved}{err}");
    let (_, unsolved, _) = arc(&["list", "--report", r, "--unsolved"]);
    assert_eq!(unsolved.lines().map(|l| l.split(' ').next().unwrap()).collect::<Vec<_>>(), ["017c7c7b"], "{unsolved}");
    let (_, all, _) = arc(&["list", "--report", r]);
    assert!(all.lines().any(|l| l.starts_with("00d62c1b ") && l.ends_with("not in the report")), "{all}");
}

#[test]
fn unknown_ids_suggest_the_nearest() {
    let (code, _, err) = arc(&["show", "007bbfb"]);
    assert_eq!(code, 1);
    assert!(err.contains("no task 007bbfb in") && err.contains("did you mean `007bbfb7`?"), "{err}");
    let (code, _, err) = arc(&["solve", "007bfbb7", "--dataset", "arc-agi-1", "--budget", "tiny"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `007bbfb7`?"), "{err}");
    let (code, _, err) = arc(&["eval", "--tasks", "00dbd49", "--budget", "tiny"]);
    assert_eq!(code, 1);
    assert!(err.contains("no task 00dbd49 in arc-agi-1/evaluation; did you mean `00dbd492`?"), "{err}");
    let (_, _, err) = arc(&["show", "deadbeef"]);
    assert!(!err.contains("did you mean"), "no suggestion for an id near nothing: {err}");
}

/// A task file in `dir`: two demonstrations of a half turn, and one test whose given output has
/// one wrong cell (so that the solver's right answer reads as wrong there).
fn half_turn_task(dir: &std::path::Path, test_output: serde_json::Value) -> String {
    let task = serde_json::json!({
        "train": [
            {"input": [[1, 2, 0], [0, 3, 0], [0, 0, 4]], "output": [[4, 0, 0], [0, 3, 0], [0, 2, 1]]},
            {"input": [[5, 0, 0], [6, 7, 0], [0, 0, 0]], "output": [[0, 0, 0], [0, 7, 6], [0, 0, 5]]}
        ],
        "test": [{"input": [[0, 8, 0], [0, 0, 9], [1, 0, 0]], "output": test_output}]
    });
    let path = dir.join("half_turn.json");
    std::fs::write(&path, task.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn solve_shows_the_attempts_as_grids() {
    let dir = tempfile::tempdir().unwrap();
    let right = half_turn_task(dir.path(), serde_json::json!([[0, 0, 1], [9, 0, 0], [0, 8, 0]]));
    let (code, out, err) = arc(&["solve", &right, "--solver", "baseline", "--plain"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("verdict correct") && out.contains("input 3x3") && out.contains("expected 3x3"), "{out}");
    assert!(out.contains("attempt 1 3x3 right") && !out.contains('!'), "{out}");
    // The same answer against an expected output with one cell changed: that cell is marked.
    let wrong = half_turn_task(dir.path(), serde_json::json!([[0, 0, 1], [9, 0, 0], [0, 8, 5]]));
    let (code, out, _) = arc(&["solve", &wrong, "--solver", "baseline", "--plain"]);
    assert_eq!(code, 0);
    assert!(out.contains("verdict wrong_cells") && out.contains("attempt 1 3x3 WRONG"), "{out}");
    assert_eq!(out.matches('!').count(), out.matches("attempt ").count(), "one marked cell per attempt:\n{out}");
    assert!(out.lines().any(|l| l.ends_with("0!")), "the corner marked:\n{out}");
}

#[test]
fn solve_json_gives_attempts_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = half_turn_task(dir.path(), serde_json::json!([[0, 0, 1], [9, 0, 0], [0, 8, 5]]));
    let (code, out, err) = arc(&["solve", &wrong, "--solver", "baseline", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["task"], "half_turn");
    assert_eq!(v["stop_reason"], "solved");
    assert!(v["answers"].as_array().is_some_and(|a| !a.is_empty()), "{out}");
    let test = &v["tests"][0];
    assert_eq!(test["attempts"][0], serde_json::json!([[0, 0, 1], [9, 0, 0], [0, 8, 0]]));
    assert_eq!(test["expected"], serde_json::json!([[0, 0, 1], [9, 0, 0], [0, 8, 5]]));
    assert_eq!(test["verdict"], "wrong_cells");
    usage_error(&["solve", &wrong, "--json", "--explain"], &["--explain"]);
}

#[test]
fn help_is_grouped_and_every_argument_has_a_line() {
    let (code, help, _) = arc(&["eval", "-h"]);
    assert_eq!(code, 0);
    for heading in ["Run:", "Search:", "Guide:", "Output:"] {
        assert!(help.lines().any(|l| l == heading), "no `{heading}` in\n{help}");
    }
    let (_, top, _) = arc(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 12 && commands.iter().any(|c| c == "list"), "{top}");
    for line in top.lines().skip_while(|l| *l != "Commands:").take_while(|l| !l.is_empty()) {
        assert!(line.len() <= 100, "a command's description is one short line: {line}");
    }
    for cmd in &commands {
        let (code, help, _) = arc(&[cmd, "-h"]);
        assert_eq!(code, 0, "{cmd}");
        let lines: Vec<&str> = help.lines().map(str::trim_start).collect();
        let is_arg = |l: &str| l.starts_with('-') || l.starts_with('<') || l.starts_with('[');
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| is_arg(l)) {
            // The help follows the name on its line, or (clap's layout for long names) on the next.
            let text = match line.split_once("  ") {
                Some((_, t)) => t.trim(),
                None => lines.get(i + 1).copied().filter(|l| !is_arg(l)).unwrap_or(""),
            };
            assert!(!text.is_empty() && !text.starts_with('['), "arc {cmd} -h: an argument without a help line: {line}");
        }
    }
}

#[test]
fn messages_count_and_spell_as_the_json() {
    let (_, out, _) = arc(&["show", "007bbfb7"]);
    assert!(out.starts_with("task 007bbfb7: 5 demonstrations, 1 test\n"), "{out}");
    let (_, out, _) = arc(&["show", "3c9b0459", "--solve", "--solver", "baseline"]);
    assert!(out.contains("verdicts correct"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("s.json");
    let (_, out, _) = arc(&["eval", "--split", "training", "--tasks", "3c9b0459", "--solver", "baseline", "--submission", sub.to_str().unwrap()]);
    assert!(out.contains("(1 task)"), "{out}");
}

#[test]
fn a_broken_guide_given_says_so_in_one_line() {
    // A guide whose metadata's checksum fits weights that are no safetensors file: the error is
    // libtorch's, explained, naming the guide given (not "the shipped guide").
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("g");
    let weights = dir.path().join("g.safetensors");
    std::fs::write(&weights, b"garbage").unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/guide");
    let mut meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(shipped.with_extension("json")).unwrap()).unwrap();
    let parsed = arc_solver::guide::read_meta(&shipped).unwrap();
    meta["sha256"] = arc_solver::guide::checksum(&weights, &parsed.net, &parsed.vocab).unwrap().into();
    std::fs::write(dir.path().join("g.json"), meta.to_string()).unwrap();
    let (code, _, err) = arc(&["--guide", prefix.to_str().unwrap(), "solve", "007bbfb7", "--budget", "tiny"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("loading the guide") && !err.contains("shipped"), "{err}");
    assert!(err.contains("HeaderTooSmall (the file is shorter than a safetensors header"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn parameter_messages_name_values_not_rust_types() {
    let dir = tempfile::tempdir().unwrap();
    let task = half_turn_task(dir.path(), serde_json::json!([[0, 0, 1], [9, 0, 0], [0, 8, 0]]));
    let (code, _, err) = arc(&["run", "(objects c4 many bgmost input)", &task]);
    assert_ne!(code, 0);
    assert!(err.contains("is not one of mono, multi"), "{err}");
    assert!(!err.contains("Choice("), "{err}");
}
