//! How the shipped guide ranks the primitives of the programs the unguided search found for
//! ARC-AGI-1 TRAINING tasks (golden record `golden/arc-agi-1_training.test.search-noguide.json`):
//! mean rank, top-5 / top-10 recall and the mean change the guide makes to their cost (in guide
//! steps, at full weight), without and with test-time training. Many of these tasks are among
//! the guide's hindsight examples, so this shows how it reads real tasks, not how it generalises.
//!
//! `cargo run --release --example guide_check [task ids to detail ...]`

use anyhow::Result;
use arc_solver::dsl::registry;
use arc_solver::golden::Golden;
use arc_solver::guide::prior::NeuralPrior;
use arc_solver::guide::shipped_prefix;
use arc_solver::guide::ttt::TttConfig;
use arc_solver::search::guide::{STEPS, adjusted_cost};
use arc_solver::{Program, task};
use std::path::Path;

fn main() -> Result<()> {
    let detail: Vec<String> = std::env::args().skip(1).collect();
    let golden = Golden::load(Path::new("golden/arc-agi-1_training.test.search-noguide.json"))?;
    let tasks = task::load_dataset("arc-agi-1", "training")?.tasks;
    let n = registry().len();
    for steps in [0, TttConfig::default().steps] {
        let prior = NeuralPrior::load(&shipped_prefix(), TttConfig { steps, ..TttConfig::default() })?;
        let (mut count, mut top5, mut top10, mut rank_sum, mut delta_sum) = (0usize, 0usize, 0usize, 0usize, 0i64);
        for t in &tasks {
            let Some(Ok(program)) = golden.solved.get(&t.id).and_then(|r| r.answers.first()).map(|a| a.parse::<Program>())
            else {
                continue;
            };
            let probs = prior.probs(t);
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
            let mut prims = program.0.prims();
            prims.sort();
            prims.dedup();
            for id in prims {
                let rank = order.iter().position(|&i| i == id as usize).expect("every primitive is ranked");
                let cost = registry().get(id).cost;
                let delta = adjusted_cost(cost, probs[id as usize], n, 1.0, 1.0) as i64 - (cost * STEPS) as i64;
                count += 1;
                rank_sum += rank;
                top5 += usize::from(rank < 5);
                top10 += usize::from(rank < 10);
                delta_sum += delta;
                if steps == 0 && detail.contains(&t.id) {
                    println!("{} {}: rank {rank}, cost change {delta} steps", t.id, registry().get(id).name);
                }
            }
        }
        let k = count.max(1) as f64;
        println!(
            "TTT {steps}: {count} primitives, mean rank {:.1}, top-5 {:.3}, top-10 {:.3}, mean cost change {:.2} steps",
            rank_sum as f64 / k,
            top5 as f64 / k,
            top10 as f64 / k,
            delta_sum as f64 / k
        );
    }
    Ok(())
}
