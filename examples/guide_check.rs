//! How the shipped guide scores the primitives of programs the unguided search found for
//! TRAINING tasks: mean rank, top-5/10 recall and the cost change the guide gives them.
use arc_solver::guide::prior::NeuralPrior;
use arc_solver::guide::ttt::TttConfig;
use arc_solver::search::guide::adjusted_cost;
use arc_solver::{Program, dsl::registry};
fn main() -> anyhow::Result<()> {
    let golden = arc_solver::golden::Golden::load(std::path::Path::new("golden/arc-agi-1_training.test.search-noguide.json"))?;
    let tasks = arc_solver::task::load_dataset("arc-agi-1", "training")?.tasks;
    let n = registry().len();
    for steps in [0usize, 5] {
        let prior = NeuralPrior::load(&arc_solver::guide::shipped_prefix(), TttConfig { steps, ..TttConfig::default() })?;
        let (mut k, mut top5, mut top10, mut delta, mut ranks) = (0, 0, 0, 0i64, 0usize);
        for t in &tasks {
            let Some(rec) = golden.solved.get(&t.id) else { continue };
            let Some(Ok(p)) = rec.program.as_deref().map(str::parse::<Program>) else { continue };
            let probs = prior.probs(t);
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
            let mut prims = p.0.prims(); prims.sort(); prims.dedup();
            for id in prims {
                let rank = order.iter().position(|&i| i == id as usize).unwrap();
                k += 1; ranks += rank; top5 += (rank < 5) as usize; top10 += (rank < 10) as usize;
                let c = registry().get(id).cost;
                let d = adjusted_cost(c, probs[id as usize], n, 1.0, 1.0) as i64 - (c * 4) as i64;
                delta += d;
                if steps == 0 && std::env::args().any(|a| a == t.id) {
                    println!("{} {} rank {rank} delta {d}", t.id, registry().get(id).name);
                }
            }
        }
        println!("ttt {steps}: {k} prims, mean rank {:.1}, top5 {:.3}, top10 {:.3}, mean cost change {:.2} steps", ranks as f64 / k as f64, top5 as f64 / k as f64, top10 as f64 / k as f64, delta as f64 / k as f64);
    }
    Ok(())
}
