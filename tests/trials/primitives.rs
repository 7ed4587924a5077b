//! Snapshot trials for every registry primitive on every fixture grid, plus a coverage trial.
//!
//! Trials are named `prim::<name>::<fixture>` (`cargo test --release --test trials --
//! prim::rot90` runs one primitive) and compare the rendered result with the insta snapshot
//! `snapshots/<name>__<fixture>.snap`. Bless new or changed results with
//! `INSTA_UPDATE=always cargo test --release --test trials -- prim::` (or `cargo insta review`).
//!
//! Parameters and non-grid arguments are chosen from the fixture, deterministically: the first
//! colour is the fixture's least common non-zero colour, the second its most common other
//! non-zero colour (else the lowest absent colour); the n-th integer is n + 1 (clamped to its range);
//! choices cycle with the fixture's index; grids lists are the fixture's halves, objects its
//! monochrome blobs.

use arc_solver::Grid;
use arc_solver::dsl::{Na, ParamTy, PrimDef, Ty, Value, registry};
use crate::common;
use libtest_mimic::{Failed, Trial};
use std::path::PathBuf;

/// The fixture grids: name and rows. Append new fixtures at the end (choices cycle with the
/// fixture's index, so inserting one would change the snapshots of the fixtures after it).
const FIXTURES: &[(&str, &[&str])] = &[
    ("checker_3x5", &["10101", "01010", "10101"]),
    ("objects_6x7", &["0000000", "0110020", "0110000", "0000330", "2000330", "0000000"]),
    ("separators_7x7", &["1005000", "0105020", "0015200", "5555555", "3305000", "0005040", "3305000"]),
    ("symmetric_6x6", &["772211", "733331", "132231", "132231", "133331", "112211"]),
    ("blocks_4x6", &["112233", "112233", "440055", "440055"]),
    ("single_1x1", &["6"]),
    ("strip_3x9", &["120120333", "010010303", "021021333"]),
    ("shapes_5x8", &["01100000", "01100220", "00000200", "00003200", "00003300"]),
    ("template_6x6", &["000000", "000000", "120005", "300000", "000550", "000500"]),
    ("frame_7x7", &["3000003", "0220000", "0020000", "0222000", "0000000", "0000000", "3000003"]),
    ("lines_7x8", &["00000000", "01510000", "01110030", "01110400", "00000040", "34000000", "12121212"]),
    ("seeds_5x9", &["020000000", "000000000", "000000000", "000000000", "000500000"]),
    ("empty_4x5", &["00000", "00000", "00000", "00000"]),
];

fn fixture(rows: &[&str]) -> Grid {
    let rows: Vec<Vec<i64>> = rows.iter().map(|r| r.bytes().map(|b| (b - b'0') as i64).collect()).collect();
    Grid::from_rows(&rows).expect("fixtures are valid grids")
}

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots")
}

/// Non-zero colours present, least common first (ties: the lowest colour first).
fn colors_by_rarity(g: &Grid) -> Vec<u8> {
    let h = g.histogram();
    let mut cs: Vec<u8> = (1..10).filter(|&c| h[c as usize] > 0).collect();
    cs.sort_by_key(|&c| (h[c as usize], c));
    cs
}

/// The two sample colours of a fixture (see the module doc).
fn sample_colors(g: &Grid) -> [u8; 2] {
    let cs = colors_by_rarity(g);
    let first = cs.first().copied().unwrap_or(1);
    let absent = (0..10).find(|&c| g.histogram()[c as usize] == 0).unwrap_or((first + 1) % 10);
    let second = cs.iter().rev().copied().find(|&c| c != first).unwrap_or(absent);
    [first, second]
}

/// Deterministic parameters for `p` on fixture number `k`.
fn sample_params(p: &PrimDef, g: &Grid, k: usize) -> Vec<i8> {
    let colors = sample_colors(g);
    let (mut n_color, mut n_int) = (0, 0);
    p.params
        .iter()
        .map(|t| match *t {
            ParamTy::Color | ParamTy::Paint => {
                n_color += 1;
                colors[(n_color - 1) % 2] as i8
            }
            ParamTy::Int { min, max } => {
                n_int += 1;
                (1 + n_int).clamp(min, max)
            }
            ParamTy::Choice(names) => (k % names.len()) as i8,
        })
        .collect()
}

/// A deterministic argument of type `t` built from the fixture.
fn sample_arg(t: Ty, g: &Grid) -> Value {
    match t {
        Ty::Grid => Value::Grid(g.clone()),
        Ty::Grids => Value::Grids(common::halves(g)),
        Ty::Obj => Value::Obj(common::largest_blob(g).unwrap_or_else(|| common::whole(g))),
        Ty::Objs => Value::Objs(common::blobs(g)),
        Ty::Int => Value::Int(2),
        Ty::Color => Value::Color(sample_colors(g)[0]),
        Ty::Parts => Value::Parts(common::blob_parts(g)),
    }
}

/// The call as program-like text, arguments shown by type: `(recolor 7 1 grid)`.
fn call_text(p: &PrimDef, params: &[i8]) -> String {
    let mut parts = vec![p.name.to_string()];
    parts.extend(p.params.iter().zip(params).map(|(t, &v)| t.show(v)));
    parts.extend(p.args.iter().map(|t| t.name().to_string()));
    format!("({})", parts.join(" "))
}

/// Applies `p` to fixture `k` and renders the call, the input and the result.
fn run_case(p: &PrimDef, g: &Grid, k: usize) -> (String, Result<Value, Na>) {
    let params = sample_params(p, g, k);
    let args: Vec<Value> = p.args.iter().map(|&t| sample_arg(t, g)).collect();
    let arg_refs: Vec<&Value> = args.iter().collect();
    let result = p.apply(&arc_solver::dsl::Ctx::plain(), &params, &arg_refs);
    let mut text = format!("{}\ninput:\n{}\noutput:\n", call_text(p, &params), g.to_text());
    text += &common::render(&result);
    (text, result)
}

fn snapshot_trial(p: PrimDef, k: usize) -> Trial {
    let (fname, rows) = FIXTURES[k];
    Trial::test(format!("prim::{}::{}", p.name, fname), move || {
        let (text, _) = run_case(&p, &fixture(rows), k);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(snapshot_dir());
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(format!("{}__{}", p.name, fname), text));
        Ok(())
    })
}

/// Every primitive has a one-line doc, a positive cost, a committed snapshot and at least one
/// fixture it applies to; every snapshot of this target belongs to a primitive and a fixture.
/// (Its totality property test is `tests/suite/properties.rs`, which iterates the whole registry.)
fn coverage() -> Result<(), Failed> {
    let mut problems = Vec::new();
    // These trials' snapshots: the ones whose header names this file as their source (or
    // `tests/primitives.rs`, where these trials lived before they joined the `trials` harness).
    let is_ours = |t: &str| t.contains(&format!("source: {}\n", file!())) || t.contains("source: tests/primitives.rs\n");
    let snaps: Vec<String> = std::fs::read_dir(snapshot_dir())
        .map_err(|e| format!("cannot read {}: {e}", snapshot_dir().display()))?
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| is_ours(&t)))
        .filter_map(|e| e.file_name().into_string().ok()?.strip_suffix(".snap").map(str::to_string))
        .collect();
    for p in &registry().prims {
        if !p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            problems.push(format!("{}: name is not short lowercase", p.name));
        }
        if p.doc.trim().is_empty() || p.doc.contains('\n') {
            problems.push(format!("{}: doc must be one non-empty line", p.name));
        }
        if p.cost == 0 {
            problems.push(format!("{}: cost must be positive", p.name));
        }
        if !FIXTURES.iter().any(|(f, _)| snaps.contains(&format!("{}__{f}", p.name))) {
            problems.push(format!("{}: no snapshot in snapshots/", p.name));
        }
        if !FIXTURES.iter().enumerate().any(|(k, (_, rows))| run_case(p, &fixture(rows), k).1.is_ok()) {
            problems.push(format!("{}: not applicable on any fixture", p.name));
        }
    }
    for s in &snaps {
        let known = s
            .split_once("__")
            .is_some_and(|(prim, fix)| registry().id(prim).is_some() && FIXTURES.iter().any(|(f, _)| *f == fix));
        if !known {
            problems.push(format!("snapshots/{s}.snap: no such primitive or fixture"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
}

/// The coverage trial, then one snapshot trial per primitive and fixture.
pub fn trials() -> Vec<Trial> {
    let mut trials = vec![Trial::test("prim::coverage", coverage)];
    for p in &registry().prims {
        for k in 0..FIXTURES.len() {
            trials.push(snapshot_trial(*p, k));
        }
    }
    trials
}
