//! Parts in the enumeration: every `grid -> grid` move mapped over the parts of a parts state (a
//! program `(map (half bottom) (parts c4 mono bgmost input))` costs what `(half bottom input)`
//! costs plus the split), and every new parts state painted back at once as finishing steps
//! (`paste`, `paste_on input`, `replace_on input`), judged like any state and kept as leaves when
//! they fit. A split, a mapped step and the join back are so found at the cost of two steps.

use super::engine::Search;
use super::moves::prior_cost;
use super::SearchConfig;
use crate::dsl::{PrimDef, PrimId, Ty, Value, registry};

/// The joins tried on every new parts state, and whether each takes the input first.
const JOINS: &[(&str, bool)] = &[("paste", false), ("paste_on", true), ("replace_on", true)];

/// One join: its primitive, whether it paints onto the input, and its cost under the prior.
#[derive(Clone, Copy)]
pub(super) struct Join {
    prim: PrimId,
    def: &'static PrimDef,
    on_input: bool,
    cost: u32,
}

/// The joins of a search under a prior (none when parts are off).
pub(super) fn joins(cfg: &SearchConfig, probs: &[f32]) -> Vec<Join> {
    if !cfg.moves.parts {
        return Vec::new();
    }
    let reg = registry();
    JOINS
        .iter()
        .filter_map(|&(name, on_input)| {
            let prim = reg.id(name)?;
            let def = reg.get(prim);
            Some(Join { prim, def, on_input, cost: prior_cost(cfg, def, probs, prim as usize) })
        })
        .collect()
}

/// The number of parts (or grids) of a list value; 1 for anything else.
pub(super) fn len(v: &Value) -> usize {
    match v {
        Value::Parts(ps) => ps.items.len(),
        Value::Grids(gs) => gs.len(),
        _ => 1,
    }
}

impl Search<'_> {
    /// Whether grid moves are mapped over states of type index `ty`.
    /// Whether grid moves are mapped over state `id`: a parts (or grids) state not itself made by
    /// a map (one mapped step per list: maps of maps multiplied the work and solved nothing more).
    pub(super) fn maps_over(&self, id: u32) -> bool {
        let node = &self.nodes[id as usize];
        let ty = node.vals[0].ty();
        let on = (ty == Ty::Parts && self.cfg.moves.parts) || (ty == Ty::Grids && self.cfg.moves.map_grids);
        on && !matches!(node.recipe, super::state::Recipe::Map { .. })
    }

    /// Maps the grid moves `range` over the parts of state `id`.
    pub(super) fn apply_map(&mut self, id: u32, range: std::ops::Range<usize>) {
        let base = self.nodes[id as usize].cost;
        let grid = Ty::Grid.index();
        let unary = std::mem::take(&mut self.moves.unary[grid]);
        'moves: for mv in &unary[range] {
            for params in &mv.params {
                if !self.child_of(mv, params, &[id], base + mv.cost, true) {
                    break 'moves;
                }
            }
        }
        self.moves.unary[grid] = unary;
    }

    /// Paints a new parts state `id` back with every join, each kept as a leaf when it fits.
    pub(super) fn join(&mut self, id: u32) {
        if self.joins.is_empty() || !matches!(self.nodes[id as usize].vals[0], Value::Parts(_)) {
            return;
        }
        let base = self.nodes[id as usize].cost;
        for j in self.joins.clone() {
            let args = if j.on_input { vec![0, id] } else { vec![id] };
            if !self.leaf(j.prim, j.def, Vec::new(), args, base + j.cost) {
                break;
            }
        }
    }
}
