//! Sharded runs: `arc eval --shard K/N` (or the array job's environment) on each shard, then
//! `arc merge`, gives exactly the report and the submission of the unsharded run, less the
//! timing fields (CPU time, memory, thread count), on the first 40 ARC-AGI-1 evaluation tasks.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const N: usize = 4;

/// A scratch folder, removed when dropped.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("arc-shard-test-").tempdir().unwrap()
}

fn arc(args: &[String], env: &[(&str, String)]) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arc"));
    cmd.args(args);
    for v in ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "JOB_COMPLETION_INDEX", "ARC_SHARDS"] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "arc {args:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

fn eval_args(dir: &Path, name: &str, jobs: usize) -> Vec<String> {
    let path = |ext: &str| dir.join(format!("{name}.{ext}")).display().to_string();
    ["eval", "--limit", "40", "--budget", "tiny", "--jobs", &jobs.to_string(), "--out", &path("json"), "--submission", &path("sub.json")]
        .map(String::from)
        .to_vec()
}

fn read(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// A report without the fields that depend on the machine and the thread count.
fn without_timing(mut r: Value) -> Value {
    let o = r.as_object_mut().unwrap();
    for k in ["cpu_seconds", "cpu_ms_median", "cpu_ms_max", "peak_rss_mb", "jobs"] {
        assert!(o.remove(k).is_some(), "no field {k}");
    }
    for t in o["tasks"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("cpu_ms");
    }
    r
}

#[test]
fn merged_shards_equal_the_unsharded_run() {
    let tmp = scratch();
    let dir = tmp.path();
    arc(&eval_args(dir, "whole", 2), &[]);
    // Each way of naming a shard: the flag, SLURM's array variables, Kubernetes' index.
    for k in 0..N {
        let mut args = eval_args(dir, &format!("shard{k}"), 1);
        let env: Vec<(&str, String)> = match k {
            1 => vec![("SLURM_ARRAY_TASK_ID", "1".into()), ("SLURM_ARRAY_TASK_COUNT", N.to_string())],
            2 => vec![("JOB_COMPLETION_INDEX", "2".into()), ("ARC_SHARDS", N.to_string())],
            _ => {
                args.extend(["--shard".to_string(), format!("{k}/{N}")]);
                vec![]
            }
        };
        arc(&args, &env);
        let shard = read(dir.join(format!("shard{k}.json")));
        assert_eq!(shard["shard"], serde_json::json!({"k": k, "n": N}));
        assert_eq!(shard["tasks"].as_array().unwrap().len(), 10);
    }
    let reports: Vec<String> = (0..N).rev().map(|k| dir.join(format!("shard{k}.json")).display().to_string()).collect();
    let merged = dir.join("merged.json").display().to_string();
    let merged_sub = dir.join("merged.sub.json").display().to_string();
    let mut args = vec!["merge".to_string()];
    args.extend(reports.iter().cloned());
    args.extend(["--out".into(), merged.clone(), "--submission".into(), merged_sub.clone()]);
    arc(&args, &[]);
    let whole = read(dir.join("whole.json"));
    assert_eq!(whole["tasks"].as_array().unwrap().len(), 40);
    assert_eq!(without_timing(read(merged.into())), without_timing(whole));
    let whole_sub = read(dir.join("whole.sub.json"));
    assert_eq!(read(merged_sub.into()), whole_sub);

    // Submissions merge alone too.
    let subs: Vec<String> = (0..N).map(|k| dir.join(format!("shard{k}.sub.json")).display().to_string()).collect();
    let from_subs = dir.join("from-subs.json").display().to_string();
    let mut args = vec!["merge".to_string()];
    args.extend(subs);
    args.extend(["--submission".into(), from_subs.clone()]);
    arc(&args, &[]);
    assert_eq!(read(from_subs.into()), whole_sub);
}

#[test]
fn merge_refuses_missing_shards() {
    let tmp = scratch();
    let dir = tmp.path();
    let mut args = eval_args(dir, "s0", 1);
    args[2] = "3".into(); // --limit 3
    args.extend(["--shard".into(), "0/3".into()]);
    arc(&args, &[]);
    let out = Command::new(env!("CARGO_BIN_EXE_arc"))
        .args(["merge", &dir.join("s0.json").display().to_string(), "--out", &dir.join("m.json").display().to_string()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("missing 1/3, 2/3"), "{err}");
}
