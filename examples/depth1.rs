//! Which ARC-AGI-1 TRAINING tasks does one primitive solve? Tries every searchable
//! `grid -> grid` primitive with every parameter value, and every `grid -> grids` primitive
//! followed by every `grids -> grid` one, on all pairs (demonstrations and tests) of each
//! task of the training split; prints the programs found and the count.
//!
//! `cargo run --release --example depth1 [path/to/arcagi.json]` (default: the ARC-AGI-1
//! bundle in `$ARC_DATA_DIR`, key "train").

use anyhow::{Context, Result};
use arc_solver::Grid;
use arc_solver::dsl::{ParamTy, PrimDef, Ty, Value, registry};

/// Every combination of values of the parameter types.
fn param_combos(params: &[ParamTy]) -> Vec<Vec<i8>> {
    params.iter().fold(vec![vec![]], |acc, p| {
        acc.iter().flat_map(|prefix| p.values().into_iter().map(move |v| [prefix.clone(), vec![v]].concat())).collect()
    })
}

/// The searchable primitives with these argument and result types, each with every parameter combination.
fn calls(args: &[Ty], ret: Ty) -> Vec<(&'static PrimDef, Vec<i8>)> {
    let prims = registry().prims.iter().filter(|p| p.search && p.args == args && p.ret == ret);
    prims.flat_map(|p| param_combos(p.params).into_iter().map(move |ps| (p, ps))).collect()
}

fn show(p: &PrimDef, params: &[i8], inner: &str) -> String {
    let mut parts = vec![p.name.to_string()];
    parts.extend(p.params.iter().zip(params).map(|(t, &v)| t.show(v)));
    parts.push(inner.to_string());
    format!("({})", parts.join(" "))
}

fn main() -> Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        format!("{}/arcagi_aa922be.json", std::env::var("ARC_DATA_DIR").unwrap_or(".deps/data".into()))
    });
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let bundle: serde_json::Value = serde_json::from_str(&text)?;
    let tasks = bundle["train"].as_object().context("no \"train\" key")?;
    let unary = calls(&[Ty::Grid], Ty::Grid);
    let splits = calls(&[Ty::Grid], Ty::Grids);
    let combines = calls(&[Ty::Grids], Ty::Grid);
    let mut solved = 0;
    for (id, task) in tasks {
        let mut pairs: Vec<(Value, Value)> = Vec::new();
        for p in task["train"].as_array().into_iter().chain(task["test"].as_array()).flatten() {
            let input: Grid = serde_json::from_value(p["input"].clone())?;
            let output: Grid = serde_json::from_value(p["output"].clone())?;
            pairs.push((Value::Grid(input), Value::Grid(output)));
        }
        let mut found: Vec<String> = Vec::new();
        for (p, ps) in &unary {
            if pairs.iter().all(|(i, o)| p.apply(&arc_solver::dsl::Ctx::plain(), ps, &[i]).as_ref() == Ok(o)) {
                found.push(show(p, ps, "input"));
            }
        }
        for (s, sp) in &splits {
            let parts: Vec<_> = pairs.iter().map(|(i, _)| s.apply(&arc_solver::dsl::Ctx::plain(), sp, &[i])).collect();
            if parts.iter().any(|p| p.is_err()) {
                continue;
            }
            for (c, cp) in &combines {
                let hit = |(k, (_, o)): (usize, &(Value, Value))| {
                    parts[k].as_ref().is_ok_and(|v| c.apply(&arc_solver::dsl::Ctx::plain(), cp, &[v]).as_ref() == Ok(o))
                };
                if pairs.iter().enumerate().all(hit) {
                    found.push(show(c, cp, &show(s, sp, "input")));
                }
            }
        }
        if !found.is_empty() {
            solved += 1;
            println!("{id}: {}", found.iter().take(3).cloned().collect::<Vec<_>>().join(" | "));
        }
    }
    println!("solved {solved} of {} training tasks with one primitive (or one split + one combine)", tasks.len());
    Ok(())
}
