//! Runs that never lose work (issue 38): one `fault::*` trial per class, each running `arc` as a
//! user would and checking its exit status, that nothing panicked or died of a signal, and that
//! no output was lost or replaced.

use crate::faults::{Out, arc, ensure, eval_args, expect, read_report, scratch, task_json, tasks, write};
use libtest_mimic::{Failed, Trial};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `arc` in `dir` with stdout (and stderr when `both`) to `/dev/full`.
fn arc_to_full(dir: &Path, args: &[&str], both: bool) -> Out {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arc"));
    cmd.current_dir(dir).args(args).env_remove("ARC_GUIDE").env("NO_COLOR", "1").stdout(full());
    cmd.stderr(if both { Stdio::from(full()) } else { Stdio::piped() });
    let out = cmd.output().expect("arc runs");
    Out { code: out.status.code(), stdout: String::new(), stderr: String::from_utf8_lossy(&out.stderr).into() }
}

/// Runs `arc` in `dir`, reads the first line of its stdout and closes the pipe (`| head -1`);
/// the exit status (none: killed by a signal).
fn arc_head_1(dir: &Path, args: &[&str]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_arc"))
        .current_dir(dir)
        .args(args)
        .env_remove("ARC_GUIDE")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("arc runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != b'\n' {}
    drop(stdout);
    child.wait().expect("arc ends").code()
}

/// No temporary file of an atomic write is left in `dir`.
fn no_temporary_files(dir: &Path) -> Result<(), Failed> {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    ensure(left.is_empty(), format!("temporary files left: {left:?}"))
}

/// A full or closed stdout (or stderr) costs no output and panics nothing; a closed pipe is not
/// an error, a full disk is (status 1, after the files are written).
fn broken_stdout() -> Result<(), Failed> {
    let dir = scratch();
    let d = dir.path();
    let args = eval_args("task.json", &["--out", "r.json", "--submission", "s.json"]);
    let o = arc_to_full(d, &args, false);
    expect(&o, 1, &["writing to standard output", "the files were written"])?;
    ensure(read_report(&d.join("r.json"))?["tasks_total"] == 1, "the report is whole")?;
    ensure(read_report(&d.join("s.json")).is_ok(), "the submission is whole")?;
    std::fs::remove_file(d.join("r.json")).unwrap();
    let o = arc_to_full(d, &args, true);
    ensure(o.code == Some(1), format!("stdout and stderr full: exit {:?}", o.code))?;
    ensure(read_report(&d.join("r.json"))?["tasks_total"] == 1, "the report is whole with both streams full")?;
    // `arc eval ... --out r.json | head -1`: the report, 20 times out of 20.
    for i in 0..20 {
        let out = format!("head{i}.json");
        let code = arc_head_1(d, &eval_args("task.json", &["--out", &out]));
        ensure(code == Some(0), format!("try {i}: exit {code:?} (none: killed by a signal)"))?;
        ensure(read_report(&d.join(&out))?["tasks_total"] == 1, format!("try {i}: the report"))?;
    }
    // Other commands: `arc prims > /dev/full` is an error, `arc prims | head -1` is not.
    expect(&arc_to_full(d, &["prims"], false), 1, &["writing to standard output"])?;
    ensure(arc_head_1(d, &["prims"]) == Some(0), "arc prims | head -1")?;
    ensure(arc_head_1(d, &["show", "task.json", "--plain"]) == Some(0), "arc show | head -1")?;
    ensure(arc_to_full(d, &["--help"], false).code == Some(1), "arc --help > /dev/full")?;
    no_temporary_files(d)
}

/// Outputs that are one file (after links), or an input, are a usage error before any solving.
fn output_clash() -> Result<(), Failed> {
    let dir = scratch();
    let d = dir.path();
    let task_before = std::fs::read(d.join("task.json")).unwrap();
    let clash = |more: &[&str], needle: &str| -> Result<(), Failed> {
        let o = arc(d, &eval_args("task.json", more));
        expect(&o, 2, &[needle])?;
        ensure(!o.stderr.contains("[1/"), format!("solved before the check: {}", o.stderr))
    };
    clash(&["--out", "x.json", "--submission", "x.json"], "--out x.json and --submission x.json are the same file")?;
    clash(&["--out", "x.json", "--html", "./x.json"], "are the same file")?;
    std::os::unix::fs::symlink("x.json", d.join("link.json")).unwrap();
    clash(&["--out", "x.json", "--html", "link.json"], "are the same file")?;
    ensure(!d.join("x.json").exists(), "an output was written")?;
    clash(&["--out", "task.json"], "--out task.json is the dataset's file task.json")?;
    // A folder dataset: an output onto one of its task files.
    std::fs::create_dir(d.join("f")).unwrap();
    write(&d.join("f/a.json"), &task_json(&tasks()[0], false).to_string());
    let o = arc(d, &eval_args("f", &["--submission", "f/a.json"]));
    expect(&o, 2, &["is a task file of the dataset"])?;
    ensure(std::fs::read(d.join("task.json")).unwrap() == task_before, "the input was changed")?;
    // solve, show --svg, merge and report check theirs too.
    let o = arc(d, &["solve", "task.json", "--budget", "tiny", "--no-guide", "--submission", "task.json"]);
    expect(&o, 2, &["replace an input"])?;
    expect(&arc(d, &["show", "task.json", "--svg", "task.json"]), 2, &["replace an input"])?;
    expect(&arc(d, &eval_args("task.json", &["--out", "r.json"])), 0, &[])?;
    expect(&arc(d, &["merge", "r.json", "--out", "r.json"]), 2, &["replace an input"])?;
    expect(&arc(d, &["report", "r.json", "--html", "r.json"]), 2, &["replace an input"])?;
    ensure(read_report(&d.join("r.json"))?["tasks_total"] == 1, "the report was replaced")?;
    ensure(std::fs::read(d.join("task.json")).unwrap() == task_before, "the input was changed")?;
    no_temporary_files(d)
}

/// The trials of this file.
pub fn trials() -> Vec<Trial> {
    vec![Trial::test("fault::broken_stdout", broken_stdout), Trial::test("fault::output_clash", output_clash)]
}
