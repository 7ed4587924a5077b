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

/// The arguments of the interrupted runs: 8 tasks at a budget of a few seconds in all.
fn run_args<'a>(out: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["eval", "--dataset", "arc-agi-1", "--limit", "8", "--budget", "300000", "--no-guide", "--jobs", "2", "--out", out];
    a.extend(more);
    a
}

/// Starts `arc` in `dir`, waits until its journal `out.journal` holds `entries` tasks, then sends
/// `signal`; the exit status (none: killed by a signal).
fn interrupt(dir: &Path, args: &[&str], out: &str, entries: usize, signal: i32) -> Result<Option<i32>, Failed> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_arc"))
        .current_dir(dir)
        .args(args)
        .env_remove("ARC_GUIDE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("arc runs");
    let journal = dir.join(format!("{out}.journal"));
    loop {
        let lines = std::fs::read_to_string(&journal).map_or(0, |t| t.matches('\n').count());
        if lines > entries {
            break;
        }
        if let Some(status) = child.try_wait().expect("arc runs") {
            return Err(format!("the run ended ({status}) before {entries} tasks were journaled: nothing to interrupt").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: kill sends a signal to the child we started.
    ensure(unsafe { libc::kill(child.id() as i32, signal) } == 0, "kill")?;
    Ok(child.wait().expect("arc ends").code())
}

/// A report without what may differ between runs: CPU and memory figures, `jobs`.
fn comparable(path: &Path) -> Result<serde_json::Value, Failed> {
    let mut r = read_report(path)?;
    let o = r.as_object_mut().unwrap();
    for k in ["cpu_seconds", "cpu_ms_median", "cpu_ms_max", "peak_rss_mb", "jobs"] {
        o.remove(k);
    }
    for t in o["tasks"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("cpu_ms");
    }
    Ok(r)
}

/// An interrupted `arc eval` keeps every task it finished; `--resume` gives the report of an
/// uninterrupted run: after `kill -9` (with a journal line cut short), after SIGTERM (status
/// 143, a partial report) and SIGINT (130), and per shard.
fn interrupted_run() -> Result<(), Failed> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    expect(&arc(d, &run_args("whole.json", &[])), 0, &[])?;
    let whole = comparable(&d.join("whole.json"))?;
    ensure(!d.join("whole.json.journal").exists(), "the journal of a finished run is removed")?;
    // kill -9 after 2 tasks, and a line cut short as a kill in the middle of a write leaves it.
    let code = interrupt(d, &run_args("k.json", &[]), "k.json", 2, libc::SIGKILL)?;
    ensure(code.is_none(), format!("SIGKILL: exit {code:?}"))?;
    let mut j = std::fs::OpenOptions::new().append(true).open(d.join("k.json.journal")).unwrap();
    std::io::Write::write_all(&mut j, b"{\"id\":\"0692e18c\",\"scored\":tr").unwrap();
    // Without --resume the journal is not lost; another run's journal is not taken.
    expect(&arc(d, &run_args("k.json", &[])), 2, &["continue it with --resume"])?;
    let other: Vec<&str> = run_args("k.json", &["--resume"]).into_iter().map(|a| if a == "300000" { "200000" } else { a }).collect();
    expect(&arc(d, &other), 2, &["the journal of another run", "budget"])?;
    let one_job: Vec<&str> = run_args("k.json", &["--resume"]).into_iter().map(|a| if a == "2" { "1" } else { a }).collect();
    expect(&arc(d, &one_job), 0, &["resuming: 2 of 8 tasks done"])?;
    ensure(comparable(&d.join("k.json"))? == whole, "kill -9 and --resume: not the uninterrupted report")?;
    ensure(!d.join("k.json.journal").exists(), "the journal is removed")?;
    // SIGTERM: a partial report, status 143; then SIGINT during the resumed run: 130.
    ensure(interrupt(d, &run_args("t.json", &[]), "t.json", 2, libc::SIGTERM)? == Some(143), "SIGTERM: exit 143")?;
    let partial = read_report(&d.join("t.json"))?;
    let missing = partial["partial"]["missing"].as_array().map_or(0, |m| m.len());
    let finished = partial["tasks"].as_array().unwrap().len();
    ensure(partial["partial"]["stopped_by"] == "SIGTERM" && missing > 0 && finished >= 2 && finished + missing == 8, format!("partial: {partial:.300}"))?;
    // A partial report cannot be merged as if it were whole.
    expect(&arc(d, &["merge", "t.json", "--submission", "s.json"]), 1, &["is partial", "--resume"])?;
    ensure(interrupt(d, &run_args("t.json", &["--resume"]), "t.json", finished + 1, libc::SIGINT)? == Some(130), "SIGINT: exit 130")?;
    expect(&arc(d, &run_args("t.json", &["--resume"])), 0, &["resuming"])?;
    ensure(comparable(&d.join("t.json"))? == whole, "SIGTERM, SIGINT and --resume: not the uninterrupted report")?;
    // Per shard: shard 1/2 killed and resumed, merged with shard 0/2: the whole run's report.
    expect(&arc(d, &run_args("s0.json", &["--shard", "0/2"])), 0, &[])?;
    ensure(interrupt(d, &run_args("s1.json", &["--shard", "1/2"]), "s1.json", 1, libc::SIGKILL)?.is_none(), "SIGKILL")?;
    expect(&arc(d, &run_args("s1.json", &["--shard", "1/2", "--resume"])), 0, &["resuming"])?;
    expect(&arc(d, &["merge", "s0.json", "s1.json", "--out", "m.json"]), 0, &[])?;
    ensure(comparable(&d.join("m.json"))? == whole, "shards killed, resumed and merged: not the uninterrupted report")
}

/// `arc merge` checks what it merges: the same data and selection in every shard, no partial
/// shard, verdicts that are what the attempts give, every task of the selection once.
fn merge_checks() -> Result<(), Failed> {
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir(d.join("f")).unwrap();
    for t in tasks() {
        write(&d.join(format!("f/{}.json", t.id)), &task_json(t, false).to_string());
    }
    let shard = |k: &str, out: &str, more: &[&str]| {
        let mut a = eval_args("f", &["--shard", k, "--out", out]);
        a.extend(more);
        expect(&arc(d, &a), 0, &[])
    };
    shard("0/2", "s0.json", &[])?;
    shard("1/2", "s1.json", &[])?;
    let o = arc(d, &["merge", "s0.json", "s1.json", "--out", "m.json"]);
    expect(&o, 0, &["merged from 2 reports"])?;
    ensure(!o.stderr.contains("not re-scored"), format!("the data was at hand: {}", o.stderr))?;
    ensure(read_report(&d.join("m.json"))?["tasks_total"] == 3, "merged totals")?;
    // A hand-edited verdict: caught, naming the shard and the task.
    let mut r = read_report(&d.join("s0.json"))?;
    let t = &mut r["tasks"][0];
    let id = t["id"].as_str().unwrap().to_string();
    let n = t["verdicts"].as_array().unwrap().len();
    t["verdicts"] = serde_json::json!(vec!["correct"; n]);
    t["outputs_right"] = n.into();
    t["solved"] = true.into();
    write(&d.join("edited.json"), &r.to_string());
    expect(&arc(d, &["merge", "edited.json", "s1.json", "--out", "m2.json"]), 1, &["edited.json", &format!("task {id}"), "not what its attempts give"])?;
    // A task dropped from a shard.
    let mut r = read_report(&d.join("s1.json"))?;
    r["tasks"].as_array_mut().unwrap().clear();
    write(&d.join("dropped.json"), &r.to_string());
    expect(&arc(d, &["merge", "s0.json", "dropped.json", "--out", "m2.json"]), 1, &["do not hold the selection's 3 tasks"])?;
    // Another selection, other data: refused.
    shard("1/2", "limit.json", &["--limit", "2"])?;
    expect(&arc(d, &["merge", "s0.json", "limit.json", "--out", "m2.json"]), 1, &["different task selections"])?;
    let first = d.join(format!("f/{}.json", tasks()[0].id));
    write(&first, &task_json(&tasks()[1], false).to_string());
    shard("1/2", "other.json", &[])?;
    expect(&arc(d, &["merge", "s0.json", "other.json", "--out", "m2.json"]), 1, &["different data"])?;
    ensure(!d.join("m2.json").exists(), "a refused merge wrote its output")
}

/// Makes a FIFO at `path`.
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// FIFOs and devices named like task, report or weights files are refused with their kind, not
/// read forever; the answer of `arc run` can come from a file or stdin.
fn special_files() -> Result<(), Failed> {
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir(d.join("f")).unwrap();
    write(&d.join("f/good.json"), &task_json(&tasks()[0], false).to_string());
    mkfifo(&d.join("f/fifo.json"));
    std::os::unix::fs::symlink("/dev/zero", d.join("f/zero.json")).unwrap();
    let o = arc(d, &eval_args("f", &["--out", "r.json"]));
    expect(&o, 3, &["2 of 3 tasks skipped", "fifo.json: not a regular file (it is a FIFO", "zero.json: not a regular file (it is a character device"])?;
    ensure(read_report(&d.join("r.json"))?["tasks_total"] == 3, "the report")?;
    expect(&arc(d, &["show", "f/zero.json"]), 1, &["a character device"])?;
    expect(&arc(d, &["show", "f/fifo.json"]), 1, &["a FIFO"])?;
    mkfifo(&d.join("report.json"));
    expect(&arc(d, &["merge", "report.json", "--submission", "s.json"]), 1, &["report.json", "a FIFO"])?;
    // The guide's weights as a link to /dev/zero.
    let (_, meta) = arc_solver::guide::paths(&arc_solver::guide::shipped_prefix());
    std::fs::copy(meta, d.join("g.json")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", d.join("g.safetensors")).unwrap();
    expect(&arc(d, &["--guide", "g", "solve", "task.json", "--budget", "tiny"]), 1, &["g.safetensors", "a character device"])?;
    // `arc run @FILE` and `arc run -`.
    write(&d.join("answer.txt"), "  (rot90 input)\n");
    let o = arc(d, &["run", "@answer.txt", "task.json"]);
    expect(&o, o.code.unwrap_or(-1), &["demonstrations right"])?;
    ensure(o.code == Some(0) || o.code == Some(2), format!("arc run @FILE: exit {:?}", o.code))?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_arc"))
        .current_dir(d)
        .args(["run", "-", "task.json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("arc runs");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"(rot90 input)").unwrap();
    let out = child.wait_with_output().unwrap();
    ensure(String::from_utf8_lossy(&out.stdout).contains("demonstrations right"), "arc run - reads stdin")?;
    expect(&arc(d, &["run", "@no-such.txt", "task.json"]), 1, &["reading the answer from no-such.txt"])
}

/// The guide's checksum covers its vocabulary; a tensor of another shape than the config makes is
/// refused, not broadcast.
fn guide_vocab() -> Result<(), Failed> {
    let dir = scratch();
    let d = dir.path();
    let (w, j) = arc_solver::guide::paths(&arc_solver::guide::shipped_prefix());
    let mut meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    // Two names swapped, the weights and checksum as shipped.
    std::fs::copy(&w, d.join("swap.safetensors")).unwrap();
    let mut swapped = meta.clone();
    swapped["vocab"].as_array_mut().unwrap().swap(0, 1);
    write(&d.join("swap.json"), &swapped.to_string());
    expect(&arc(d, &["--guide", "swap", "solve", "task.json", "--budget", "tiny"]), 1, &["checksum mismatch"])?;
    // A bias of shape [1] under a checksum that matches.
    let mut tensors = tch::Tensor::read_safetensors(&w).map_err(|e| e.to_string())?;
    let bias = tensors.iter_mut().find(|(n, _)| n.ends_with("bias")).ok_or("no bias")?;
    let name = bias.0.clone();
    bias.1 = tch::Tensor::zeros([1], (tch::Kind::Float, tch::Device::Cpu));
    let named: Vec<(&str, &tch::Tensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
    tch::Tensor::write_safetensors(&named, d.join("shape.safetensors")).map_err(|e| e.to_string())?;
    let net: arc_solver::guide::model::NetConfig = serde_json::from_value(meta["net"].clone()).unwrap();
    let vocab: Vec<String> = serde_json::from_value(meta["vocab"].clone()).unwrap();
    meta["sha256"] = arc_solver::guide::checksum(&d.join("shape.safetensors"), &net, &vocab).map_err(|e| e.to_string())?.into();
    write(&d.join("shape.json"), &meta.to_string());
    expect(&arc(d, &["--guide", "shape", "solve", "task.json", "--budget", "tiny"]), 1, &["do not fit the `net` config", &format!("`{name}` has shape [1]")])
}

/// The trials of this file.
pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("fault::broken_stdout", broken_stdout),
        Trial::test("fault::output_clash", output_clash),
        Trial::test("fault::interrupted_run", interrupted_run),
        Trial::test("fault::merge_checks", merge_checks),
        Trial::test("fault::special_files", special_files),
        Trial::test("fault::guide_vocab", guide_vocab),
    ]
}
