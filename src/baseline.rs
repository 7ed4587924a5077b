//! The baseline solver: every single primitive (with every parameter value) applied to the
//! whole input grid, kept when it reproduces all demonstrations. It wires the pipeline end to
//! end and is the floor that the program search must beat.

use crate::dsl::{PrimId, Ty, Value, registry};
use crate::grid::Grid;
use crate::answer::Answer;
use crate::program::{Expr, Program};
use crate::solver::{Solution, Solver, StopReason};
use crate::task::Task;

/// Depth-1 search over `grid -> grid` primitives.
#[derive(Debug, Default, Clone, Copy)]
pub struct Baseline;

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
            'params: for params in def.param_settings() {
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
        let (attempts, used) = crate::solver::attempts_from(task.test.len(), fits.iter().map(|(_, _, preds)| preds.as_slice()));
        let answers = used.into_iter().map(|i| Answer::Program(Program(fits[i].1.clone()))).collect();
        Solution { attempts, answers, stop_reason: StopReason::Solved, fault: None, work, ttt_steps: 0 }
    }
}
