//! Moves: the primitives a task's search applies, each with its parameter settings for the task
//! and its cost under a prior, sorted cheapest first and grouped in runs of equal cost.

use super::SearchConfig;
use super::guide::{STEPS, quantize};
use crate::dsl::{ParamTy, PrimDef, PrimId, Ty, Value, param_product, registry};
use crate::grid::{Color, Grid, N_COLORS};
use crate::task::Task;

/// One primitive as the search uses it: its parameter instantiations and adjusted cost.
#[derive(Clone)]
pub(super) struct Move {
    pub(super) prim: PrimId,
    pub(super) def: &'static PrimDef,
    pub(super) params: Vec<Vec<i8>>,
    pub(super) cost: u32,
}

/// The parameter values worth trying for this task: colours seen in the task, small integers,
/// every named choice.
fn param_values(t: &ParamTy, colors: &[Color]) -> Vec<i8> {
    match *t {
        ParamTy::Color | ParamTy::Paint => colors.iter().map(|&c| c as i8).collect(),
        ParamTy::Int { min, max } => (min.max(-4)..=max.min(9)).collect(),
        ParamTy::Choice(_) => t.values(),
    }
}

/// Colours that occur anywhere in the task's demos and test inputs, ascending.
pub fn task_colors(task: &Task) -> Vec<Color> {
    colors_in(task.train.iter().flat_map(|p| [&p.input, &p.output]).chain(task.test.iter().map(|t| &t.input)))
}

/// Colours that occur in any of `grids`, ascending.
fn colors_in<'g>(grids: impl Iterator<Item = &'g Grid>) -> Vec<Color> {
    let mut seen = [false; N_COLORS];
    for g in grids {
        for (c, &n) in g.histogram().iter().enumerate() {
            seen[c] |= n > 0;
        }
    }
    (0..N_COLORS as Color).filter(|&c| seen[c as usize]).collect()
}

const MAX_PARAM_SETS: usize = 256;

/// Runs of equal cost in moves sorted by cost: `(cost, from, to)`.
fn cost_groups(moves: &[Move]) -> Vec<(u32, u16, u16)> {
    let mut out: Vec<(u32, u16, u16)> = Vec::new();
    for (i, m) in moves.iter().enumerate() {
        match out.last_mut() {
            Some(g) if g.0 == m.cost => g.2 = i as u16 + 1,
            _ => out.push((m.cost, i as u16, i as u16 + 1)),
        }
    }
    out
}

/// A set of moves by argument type, cheapest first, with their runs of equal cost.
pub(super) struct Moves {
    pub(super) unary: [Vec<Move>; Ty::COUNT],
    pub(super) multi: Vec<Move>,
    pub(super) unary_groups: [Vec<(u32, u16, u16)>; Ty::COUNT],
    pub(super) multi_groups: Vec<(u32, u16, u16)>,
}

impl Moves {
    /// The moves, sorted by cost (registry order among equals), and their runs.
    fn new(mut unary: [Vec<Move>; Ty::COUNT], mut multi: Vec<Move>) -> Moves {
        for moves in unary.iter_mut() {
            moves.sort_by_key(|m| m.cost);
        }
        multi.sort_by_key(|m| m.cost);
        let unary_groups = std::array::from_fn(|t| cost_groups(&unary[t]));
        let multi_groups = cost_groups(&multi);
        Moves { unary, multi, unary_groups, multi_groups }
    }
}

pub(super) fn ty_index(t: Ty) -> usize {
    t.index()
}

pub(super) fn value_ty_index(v: &Value) -> usize {
    ty_index(v.ty())
}

/// The cost of a primitive's move under a prior: registry cost moved by its probability,
/// quantised first ([`quantize`]), so that float kernels that differ in their last bits from one
/// CPU to another give the same costs (the uniform prior's costs are the registry's either way).
pub(super) fn prior_cost(cfg: &SearchConfig, def: &PrimDef, probs: &[f32], prim: usize) -> u32 {
    let n = registry().len();
    cfg.move_cost(def.cost, quantize(probs.get(prim).copied().unwrap_or(1.0 / n as f32)), n)
}

/// The task's moves under a prior, cheapest first.
pub(super) fn task_moves(task: &Task, probs: &[f32], cfg: &SearchConfig) -> Moves {
    let reg = registry();
    let colors = task_colors(task);
    let mut unary: [Vec<Move>; Ty::COUNT] = Default::default();
    let mut multi = Vec::new();
    for (i, def) in reg.prims.iter().enumerate() {
        if !def.search || def.args.is_empty() {
            continue;
        }
        let lists: Vec<Vec<i8>> = def.params.iter().map(|t| param_values(t, &colors)).collect();
        let params = param_product(&lists, MAX_PARAM_SETS);
        // A move with many parameter settings is many programs: each costs a little more.
        let spread = (STEPS as f32 * cfg.moves.param_cost * (params.len().max(1) as f32).ln()).round() as u32;
        let mv = Move { prim: i as PrimId, def, params, cost: prior_cost(cfg, def, probs, i) + spread };
        if mv.params.is_empty() {
            continue;
        }
        if def.args.len() == 1 {
            unary[ty_index(def.args[0])].push(mv);
        } else {
            multi.push(mv);
        }
    }
    // Cheapest moves first (registry order among equals): a guide that lowers a primitive's
    // cost also has it tried earlier within each expansion.
    Moves::new(unary, multi)
}
