//! How deep the enumeration gets: per task, the states stored and expanded at each program
//! depth (steps from the input), the work and the stop reason, under one search configuration.
//!
//! `cargo run --release --example depth_stats -- <split> <budget> <id>...`, e.g.
//! `... -- training default 007bbfb7 0d3d703e`. `ARC_SET="group.key=value,..."` overrides search
//! settings as `arc --set` does (the uniform prior is used: no guide).

use anyhow::{Context, Result};
use arc_solver::search::{Guide, SearchConfig, Uniform, engine};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [split, budget, ids @ ..] = args.as_slice() else {
        anyhow::bail!("usage: depth_stats <split> <budget> <task id>...");
    };
    let ds = arc_solver::task::load_dataset("arc-agi-1", split)?;
    let mut cfg = SearchConfig::new(budget.parse()?);
    if let Ok(v) = std::env::var("ARC_SET") {
        cfg.apply(v.split(',').filter(|a| !a.is_empty())).context("ARC_SET")?;
    }
    println!("param_cost {} budget {budget}", cfg.moves.param_cost);
    for id in ids {
        let task = ds.get(id).with_context(|| format!("no task {id} in {split}"))?;
        let en = engine::enumerate(task, &Uniform.prim_probs(task), &cfg, cfg.budget.work());
        let depths: Vec<String> =
            en.states_by_depth().iter().enumerate().map(|(d, (stored, expanded))| format!("d{d} {stored}/{expanded}")).collect();
        println!("{id}  work {:>9}  {:?}  solutions {:>3}  stored/expanded: {}", en.work, en.stop, en.solutions.len(), depths.join("  "));
        // Where the work went: the primitives that took the most of it.
        let reg = arc_solver::dsl::registry();
        let mut by: Vec<(u64, &str)> = en.work_by_prim.iter().enumerate().map(|(i, &w)| (w, reg.prims[i].name)).collect();
        by.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let top: Vec<String> =
            by.iter().take(12).map(|(w, n)| format!("{n} {:.1}%", 100.0 * *w as f64 / en.work.max(1) as f64)).collect();
        println!("    work by primitive: {}", top.join(", "));
    }
    Ok(())
}
