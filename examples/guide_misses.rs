//! Where a guide's top-5 misses the program's primitives on the held-out validation tasks (the
//! ones `arc train-guide` draws with its default settings), per primitive, and how many misses
//! have an equal substitute among the top 5: a primitive of the same type that, put in place
//! of the missed one (with some parameter setting), gives the same outputs on every pair. The
//! second recall figure counts those as hits: the data cannot tell the two apart.
//!
//! `cargo run --release --example guide_misses -- models/guide`

use anyhow::Result;
use arc_solver::dsl::registry;
use arc_solver::guide::synth::InputPool;
use arc_solver::guide::train::{TrainConfig, validation_split};
use arc_solver::guide::{NeuralGuide, VocabPolicy};
use arc_solver::program::Expr;
use arc_solver::task;
use std::collections::BTreeMap;
use std::path::Path;

fn main() -> Result<()> {
    let p = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: guide_misses <guide prefix>"))?;
    let g = NeuralGuide::load_with(Path::new(&p), VocabPolicy::AllowAdded)?;
    let pool = InputPool::from_tasks(&task::load_dataset("arc-agi-1", "training")?.tasks);
    let cfg = TrainConfig::default();
    let val = validation_split(cfg.seed, &pool, cfg.max_prims, cfg.val_tasks);
    let reg = registry();
    let n = g.meta.net.n_prims as usize;
    let (mut rec, mut rec_eq) = (0.0, 0.0);
    let mut miss: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut tot: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &val {
        let pairs: Vec<&[arc_solver::task::Pair]> = vec![t.pairs.as_slice()];
        let e = arc_solver::guide::data::encode_tasks(&pairs, tch::Device::Cpu);
        let logits = tch::no_grad(|| g.net.forward(&e));
        let top = logits.topk(5, 1, true, true).1;
        let top5: Vec<u16> = (0..5).map(|k| top.int64_value(&[0, k]) as u16).collect();
        let (mut hit, mut hit_eq) = (0, 0);
        for &l in &t.labels {
            *tot.entry(reg.prims[l as usize].name).or_default() += 1;
            if top5.contains(&l) {
                hit += 1;
                hit_eq += 1;
                continue;
            }
            let dl = &reg.prims[l as usize];
            let eq = top5.iter().any(|&q| {
                let dq = &reg.prims[q as usize];
                if (q as usize) >= n || dq.args != dl.args || dq.ret != dl.ret {
                    return false;
                }
                let settings = dq.param_settings();
                settings.len() <= 1000
                    && t.program.call_paths().iter().any(|path| {
                        matches!(t.program.node_at(path), Expr::Call { prim, .. } if *prim == l)
                            && settings.iter().any(|ps| {
                                let v = t.program.with_call(path, q, ps);
                                t.pairs.iter().all(|p| v.run(&arc_solver::dsl::Ctx::plain(), &p.input).is_ok_and(|o| o == p.output))
                            })
                    })
            });
            let e = miss.entry(dl.name).or_default();
            e.0 += 1;
            if eq {
                hit_eq += 1;
                e.1 += 1;
            }
        }
        rec += hit as f64 / t.labels.len() as f64;
        rec_eq += hit_eq as f64 / t.labels.len() as f64;
    }
    println!("recall {:.3}, counting equivalent substitutes {:.3}", rec / val.len() as f64, rec_eq / val.len() as f64);
    let mut v: Vec<_> = miss.into_iter().collect();
    v.sort_by_key(|(_, (m, _))| std::cmp::Reverse(*m));
    for (name, (m, e)) in v.iter().take(40) {
        println!("{name:24} missed {m:3} of {:3} (equivalent substitute in top5: {e})", tot[name]);
    }
    Ok(())
}
