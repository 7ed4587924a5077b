//! The baseline solver: every single primitive (with every parameter value) applied to the
//! whole input grid, kept when it reproduces all demonstrations. It wires the pipeline end to
//! end and is the floor that the program search must beat.

use crate::dsl::{PrimId, Ty, Value, registry};
use crate::grid::Grid;
use crate::program::Expr;
use crate::solver::{MAX_ATTEMPTS, Solution, Solver, StopReason};
use crate::task::Task;

/// Depth-1 search over `grid -> grid` primitives.
#[derive(Debug, Default, Clone, Copy)]
pub struct Baseline;

/// All parameter vectors of a primitive (every value of every parameter type).
fn param_vectors(types: &[crate::dsl::ParamTy]) -> Vec<Vec<i8>> {
    let lists: Vec<Vec<i8>> = types.iter().map(|t| t.values()).collect();
    crate::search::engine::param_product(&lists, usize::MAX)
}

impl Solver for Baseline {
    fn name(&self) -> String {
        "baseline".into()
    }

    fn budget(&self) -> String {
        "depth-1".into()
    }

    fn solve(&self, task: &Task) -> Solution {
        let reg = registry();
        let ctx = crate::dsl::Ctx::for_task(task);
        let mut work = 0u64;
        // (cost, program, test predictions), in registry order.
        let mut fits: Vec<(u32, Expr, Vec<Grid>)> = Vec::new();
        for (id, def) in reg.prims.iter().enumerate() {
            if !def.search || def.args != [Ty::Grid] || def.ret != Ty::Grid {
                continue;
            }
            'params: for params in param_vectors(def.params) {
                for pair in &task.train {
                    work += 1;
                    match def.apply(&ctx, &params, &[&Value::Grid(pair.input.clone())]) {
                        Ok(Value::Grid(g)) if g == pair.output => {}
                        _ => continue 'params,
                    }
                }
                let mut preds = Vec::with_capacity(task.test.len());
                for t in &task.test {
                    work += 1;
                    match def.apply(&ctx, &params, &[&Value::Grid(t.input.clone())]) {
                        Ok(Value::Grid(g)) => preds.push(g),
                        _ => continue 'params,
                    }
                }
                let expr = Expr::Call { prim: id as PrimId, params, args: vec![Expr::Input] };
                fits.push((def.cost, expr, preds));
            }
        }
        // Identity is the cheapest whole-grid transform of all.
        if task.train.iter().all(|p| p.input == p.output) {
            fits.insert(0, (0, Expr::Input, task.test.iter().map(|t| t.input.clone()).collect()));
        }
        fits.sort_by_key(|(cost, _, _)| *cost);
        if fits.is_empty() {
            return Solution::nothing(task, StopReason::Exhausted, work);
        }
        let mut attempts: Vec<Vec<Grid>> = vec![Vec::new(); task.test.len()];
        for (_, _, preds) in &fits {
            for (slot, p) in attempts.iter_mut().zip(preds) {
                if slot.len() < MAX_ATTEMPTS && !slot.contains(p) {
                    slot.push(p.clone());
                }
            }
        }
        Solution { attempts, program: Some(fits[0].1.to_string()), stop_reason: StopReason::Solved, work }
    }
}
