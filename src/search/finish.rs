//! Finishing steps: last steps whose parameters follow from the shapes of the demos.
//!
//! A grid state that is not the demo outputs' shape is often one step from them: a crop, a
//! scale or tiling by the ratio of the shapes, a resize to the outputs' constant shape. Those
//! steps are not enumerated with every parameter setting (`resize` alone has 900); instead each
//! new grid state whose shapes are wrong is tried with the few finishing steps its shapes allow,
//! their parameters read off the shapes (no work), and each result is judged like any state
//! (exactly, or up to a colour map) and kept only when it fits, as a leaf: never expanded.
//! Applications are work like any other. The steps are ordinary primitives, so a finished fit
//! is an ordinary program (`(resize 3 3 (crop input))`), and the guide's vocabulary is unchanged.

use super::engine::Search;
use super::judge::color_map;
use super::state::{Recipe, state_hash};
use crate::dsl::{PrimDef, PrimId, Value, registry};
use crate::grid::Grid;
use crate::solver::StopReason;

/// How a finishing step reads its parameters off the shapes: `Some(params)` when the step can
/// take every demo state's shape to its target's (from shapes alone; no work).
type Deduce = fn(states: &[(usize, usize)], targets: &[(usize, usize)]) -> Option<Vec<i8>>;

/// One finishing step: a `grid -> grid` primitive and how its parameters are deduced.
pub(super) struct Finisher {
    pub prim: PrimId,
    pub def: &'static PrimDef,
    /// Its cost in guide steps (set by the search from the guide's prior).
    pub cost: u32,
    pub deduce: Deduce,
}

/// The ratio `target / state` per axis, the same on every demo, when whole.
fn growth(states: &[(usize, usize)], targets: &[(usize, usize)]) -> Option<(usize, usize)> {
    let ratio = |s: (usize, usize), t: (usize, usize)| (t.0.is_multiple_of(s.0) && t.1.is_multiple_of(s.1)).then(|| (t.0 / s.0, t.1 / s.1));
    let first = ratio(*states.first()?, *targets.first()?)?;
    states.iter().zip(targets).all(|(&s, &t)| ratio(s, t) == Some(first)).then_some(first)
}

/// Every target no larger than its state on either axis, and some target smaller.
fn shrinks(states: &[(usize, usize)], targets: &[(usize, usize)]) -> bool {
    states.iter().zip(targets).all(|(s, t)| t.0 <= s.0 && t.1 <= s.1) && states != targets
}

fn in_range(x: usize, lo: usize, hi: usize) -> Option<i8> {
    (lo..=hi).contains(&x).then_some(x as i8)
}

/// `upscale k` when both ratios are k (2..=5).
fn deduce_upscale(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    let (a, b) = growth(s, t)?;
    (a == b).then_some(())?;
    Some(vec![in_range(a, 2, 5)?])
}

/// `upscale_xy fy fx` when the ratios differ (each 1..=5).
fn deduce_upscale_xy(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    let (a, b) = growth(s, t)?;
    (a != b).then_some(())?;
    Some(vec![in_range(a, 1, 5)?, in_range(b, 1, 5)?])
}

/// `tile ny nx` by the ratios (each 1..=4, not both 1).
fn deduce_tile(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    let (a, b) = growth(s, t)?;
    ((a, b) != (1, 1)).then_some(())?;
    Some(vec![in_range(a, 1, 4)?, in_range(b, 1, 4)?])
}

/// Parameterless steps that double both sides.
fn deduce_double(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    (growth(s, t)? == (2, 2)).then(Vec::new)
}

/// `kron`: every target is the state's shape squared.
fn deduce_kron(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    s.iter().zip(t).all(|(s, t)| (s.0 * s.0, s.1 * s.1) == *t && *s != (1, 1)).then(Vec::new)
}

/// `downscale k` / `downscale_any k`: every state is k times its target on both axes (2..=5).
fn deduce_downscale(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    let (a, b) = growth(t, s)?;
    (a == b).then_some(())?;
    Some(vec![in_range(a, 2, 5)?])
}

/// Parameterless steps that make a grid smaller (crops and the like).
fn deduce_shrink(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    shrinks(s, t).then(Vec::new)
}

/// `resize h w` / `scale_to h w`: every target has the same shape, and some state another.
fn deduce_const(s: &[(usize, usize)], t: &[(usize, usize)]) -> Option<Vec<i8>> {
    let &first = t.first()?;
    (t.iter().all(|&x| x == first) && s.iter().any(|&x| x != first)).then_some(())?;
    Some(vec![in_range(first.0, 1, 30)?, in_range(first.1, 1, 30)?])
}

/// The finishing steps, in the order they are tried (cheap and specific first), without costs:
/// every one where the demos change shape (`changes_shape`), else only those whose shapes alone
/// say the result has the target's shape (a whole ratio), not the crops and resizes that any
/// odd-shaped state would be tried with.
pub(super) fn finishers(changes_shape: bool) -> Vec<Finisher> {
    let reg = registry();
    // (name, deduction, tried where the demos keep their shape)
    let table: &[(&str, Deduce, bool)] = &[
        ("crop", deduce_shrink, false),
        ("crop_nonmajority", deduce_shrink, false),
        ("drop_empty", deduce_shrink, false),
        ("dedupe", deduce_shrink, false),
        ("unrepeat", deduce_shrink, false),
        ("downscale_auto", deduce_shrink, false),
        ("downscale", deduce_downscale, true),
        ("downscale_any", deduce_downscale, true),
        ("upscale", deduce_upscale, true),
        ("upscale_xy", deduce_upscale_xy, true),
        ("tile", deduce_tile, true),
        ("tile_mirror", deduce_double, true),
        ("kron", deduce_kron, true),
        ("resize", deduce_const, false),
        ("scale_to", deduce_const, false),
    ];
    table
        .iter()
        .filter(|&&(_, _, same_shape)| changes_shape || same_shape)
        .filter_map(|&(name, deduce, _)| {
            let prim = reg.id(name)?;
            Some(Finisher { prim, def: reg.get(prim), cost: 0, deduce })
        })
        .collect()
}

impl Search<'_> {
    /// Tries the finishing steps on state `id` (a grid state not of the demo outputs' shape):
    /// each step its shapes allow, with the parameters they give, on the demos first; a result
    /// that fits every demo is made on the test inputs too and kept as a leaf.
    pub(super) fn finish(&mut self, id: u32) {
        if self.finishers.is_empty() {
            return;
        }
        let n_train = self.targets.len();
        let shapes: Option<Vec<(usize, usize)>> =
            self.nodes[id as usize].demos(n_train).iter().map(|v| v.as_grid().map(Grid::shape)).collect();
        let Some(shapes) = shapes else { return };
        let finishers = std::mem::take(&mut self.finishers);
        let base = self.nodes[id as usize].cost;
        for f in &finishers {
            let Some(params) = (f.deduce)(&shapes, &self.target_shapes) else { continue };
            if !self.leaf(f.prim, f.def, params, vec![id], base + f.cost) {
                break;
            }
        }
        self.finishers = finishers;
    }

    /// Tries one last step (`def` with `params` over nodes `args`, costing `cost`) as a leaf: on
    /// the demos first, and only when its results fit every demo (exactly or up to a colour map)
    /// on the test inputs too; a new fit is stored as a leaf (never expanded) and recorded. False
    /// when the search must stop.
    pub(super) fn leaf(&mut self, prim: PrimId, def: &PrimDef, params: Vec<i8>, args: Vec<u32>, cost: u32) -> bool {
        if cost as usize >= self.buckets.len() {
            return true;
        }
        let n_train = self.targets.len();
        let mut vals = Vec::with_capacity(self.n_ex);
        for e in 0..self.n_ex {
            if self.work + 1 > self.allowed {
                self.stop = Some(StopReason::Budget);
                return false;
            }
            self.work += 1;
            self.work_by_prim[prim as usize] += 1;
            let argv: Vec<&Value> = args.iter().map(|&a| &self.nodes[a as usize].vals[e]).collect();
            let Ok(v) = (def.f)(&self.ctx, &params, &argv) else { return true };
            let Some(g) = v.as_grid() else { return true };
            if e < n_train {
                if g.shape() != self.target_shapes[e] {
                    return true;
                }
                // Only a fit is worth the next demos' and the test inputs' work.
                let got: Vec<&Grid> = vals.iter().filter_map(Value::as_grid).chain([g]).collect();
                if got[..] != self.targets[..=e] && color_map(&got, &self.targets[..=e]).is_none() {
                    return true;
                }
            }
            vals.push(v);
        }
        let h = state_hash(&vals);
        if self.index.contains_key(&h) {
            return true;
        }
        let verdict = self.judge(&vals, cost);
        if verdict.fit.is_none() {
            return true;
        }
        let depth = 1 + args.iter().map(|&a| self.nodes[a as usize].depth).max().unwrap_or(0);
        self.insert(vals, h, cost, Recipe::Call { prim, params, args }, depth, false);
        let leaf = self.nodes.len() as u32 - 1;
        self.nodes[leaf as usize].leaf = true;
        self.record(leaf, verdict);
        self.stop.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::{Ctx, Ty, Value};

    #[test]
    fn every_finisher_is_a_registered_grid_step_whose_deduced_params_it_accepts() {
        let names: Vec<&str> = finishers(true).iter().map(|f| f.def.name).collect();
        assert_eq!(names.len(), 15, "a finisher's primitive is missing from the registry: {names:?}");
        assert_eq!(finishers(false).len(), 7);
        let grid = crate::testing::grid("120/300/004");
        for f in finishers(true) {
            assert_eq!((f.def.args, f.def.ret), (&[Ty::Grid][..], Ty::Grid), "{}", f.def.name);
            // Every deduction a shape pair allows gives parameters the primitive takes.
            for (s, t) in [((3, 3), (6, 6)), ((3, 3), (3, 6)), ((3, 3), (9, 9)), ((3, 3), (1, 1)), ((3, 3), (2, 3))] {
                if let Some(params) = (f.deduce)(&[s], &[t]) {
                    assert_eq!(params.len(), f.def.params.len(), "{}", f.def.name);
                    let out = (f.def.f)(&Ctx::plain(), &params, &[&Value::Grid(grid.clone())]);
                    if let Ok(Value::Grid(g)) = out
                        && !matches!(f.def.name, "crop" | "crop_nonmajority" | "drop_empty" | "dedupe" | "unrepeat" | "downscale_auto")
                    {
                        assert_eq!(g.shape(), t, "{} {params:?}", f.def.name);
                    }
                }
            }
        }
    }

    #[test]
    fn parameters_follow_from_the_shapes_of_every_demo() {
        // Twice as tall, three times as wide, on both demos.
        assert_eq!(deduce_upscale_xy(&[(2, 2), (3, 1)], &[(4, 6), (6, 3)]), Some(vec![2, 3]));
        assert_eq!(deduce_tile(&[(2, 2), (3, 1)], &[(4, 6), (6, 3)]), Some(vec![2, 3]));
        assert_eq!(deduce_upscale(&[(2, 2), (3, 1)], &[(4, 6), (6, 3)]), None);
        // Ratios that differ between demos: nothing.
        assert_eq!(deduce_tile(&[(2, 2), (3, 1)], &[(4, 4), (9, 3)]), None);
        assert_eq!(deduce_downscale(&[(6, 6), (9, 3)], &[(2, 2), (3, 1)]), Some(vec![3]));
        assert_eq!(deduce_const(&[(6, 6), (9, 3)], &[(3, 3), (3, 3)]), Some(vec![3, 3]));
        assert_eq!(deduce_const(&[(3, 3), (3, 3)], &[(3, 3), (3, 3)]), None);
        assert_eq!(deduce_const(&[(6, 6), (9, 3)], &[(3, 3), (2, 3)]), None);
        assert_eq!(deduce_shrink(&[(6, 6), (9, 3)], &[(3, 3), (2, 3)]), Some(vec![]));
        assert_eq!(deduce_shrink(&[(6, 6), (1, 3)], &[(3, 3), (2, 3)]), None);
        assert_eq!(deduce_kron(&[(3, 3), (2, 3)], &[(9, 9), (4, 9)]), Some(vec![]));
        assert_eq!(deduce_double(&[(3, 3), (2, 3)], &[(6, 6), (4, 6)]), Some(vec![]));
    }
}
