//! Classification: every object (or enclosed background region) recoloured by a property
//! (size, size rank, holes, uniqueness of its shape, contact with the border, being a lone
//! cell, being the largest or the smallest), picking the one symmetric object or the one
//! asymmetric part, and cutting a grid into objects, picking one by a property and cropping
//! to it in a single step (as icecuber's cut + pick), so that such crops fit in a small
//! search budget.
//!
//! A property becomes a *code* colour: code 1 is the lowest colour other than the
//! background, code 2 the next, and so on up to 9. The codes are arbitrary on purpose: the
//! search fits a consistent colour map from codes to the task's colours, so one primitive
//! covers "size 2 → red, size 3 → green" and "the largest blue, the rest grey" alike.

use super::args::{grid_at, objs_at};
use super::util::{CONN, Canvas, components, enclosed, holes, regions, shape_key};
use super::{Ctx, Na, Obj, ParamTy, PrimDef, PrimResult, Value, registry};
use crate::grid::{Color, Grid, N_COLORS};
use std::collections::BTreeMap;

/// Object properties that [`color_by`] codes as colours.
const CLASS_KEYS: ParamTy =
    ParamTy::Choice(&["size", "rank", "rank_asc", "holes", "unique", "border", "single", "extremes"]);

/// How [`crop_pick`] picks an object: a selector of the object family and its parameters.
const PICKS: ParamTy = ParamTy::Choice(&["largest", "smallest", "common", "odd_shape", "odd_color", "symmetric"]);
/// Which cells make an object for [`crop_pick`]: one colour, or any non-background colours.
const COLOURS: ParamTy = ParamTy::Choice(&["mono", "multi"]);
/// Which colour is the background for [`color_by`] and [`crop_most`]: the most common one, or 0.
const BACKGROUND: ParamTy = ParamTy::Choice(&["bgmost", "bg0"]);

/// The colour of code `k` (1-based, capped at 9): the k-th colour other than `bg`.
fn code_color(k: usize, bg: Color) -> Color {
    let k = k.clamp(1, N_COLORS - 1);
    (0..N_COLORS as Color).filter(|&c| c != bg).nth(k - 1).unwrap_or(0)
}

/// Dense ranks of `keys`, 1 for the greatest (`desc`) or the least key; equal keys share a rank.
fn dense_ranks(keys: &[usize], desc: bool) -> Vec<usize> {
    let mut distinct: Vec<usize> = keys.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if desc {
        distinct.reverse();
    }
    keys.iter().map(|k| distinct.iter().position(|d| d == k).map_or(1, |i| i + 1)).collect()
}

/// Whether an object has a member cell on the border of an `h × w` grid.
fn touches_border(o: &Obj, h: usize, w: usize) -> bool {
    let (bh, bw) = o.grid.shape();
    (0..bh * bw).any(|i| {
        let (r, c) = (o.top + i / bw, o.left + i % bw);
        o.mask[i] && (r == 0 || c == 0 || r + 1 == h || c + 1 == w)
    })
}

/// The code (1, 2, ...) of every object under one of [`CLASS_KEYS`].
fn class_codes(objs: &[Obj], key: i8, h: usize, w: usize) -> Vec<usize> {
    match key {
        0 => objs.iter().map(Obj::size).collect(),
        1 | 2 => dense_ranks(&objs.iter().map(Obj::size).collect::<Vec<_>>(), key == 1),
        3 => objs.iter().map(|o| 1 + holes(o).contains(&true) as usize).collect(),
        4 => {
            let mut counts: BTreeMap<(usize, usize, &[bool]), usize> = BTreeMap::new();
            for o in objs {
                *counts.entry(shape_key(o)).or_default() += 1;
            }
            objs.iter().map(|o| 1 + (counts[&shape_key(o)] == 1) as usize).collect()
        }
        5 => objs.iter().map(|o| 1 + touches_border(o, h, w) as usize).collect(),
        6 => objs.iter().map(|o| 1 + (o.size() > 1) as usize).collect(),
        _ => {
            let max = objs.iter().map(Obj::size).max().unwrap_or(0);
            let min = objs.iter().map(Obj::size).min().unwrap_or(0);
            objs.iter().map(|o| if o.size() == max { 1 } else if o.size() == min { 2 } else { 3 }).collect()
        }
    }
}

prim! {
    /// Recolour each object by the code colour of its size, size rank, holes, unique shape, border contact, singleness, extremes.
    fn color_by(ctx, p: [CLASS_KEYS, CONN, BACKGROUND], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = if p[2] == 1 { 0 } else { ctx.bg(g) };
        let objs = components(g, p[1] == 1, false, bg);
        if objs.is_empty() {
            return Err(Na("no objects"));
        }
        let mut cv = Canvas::of(g);
        for (o, k) in objs.iter().zip(class_codes(&objs, p[0], g.h(), g.w())) {
            cv.blank(o, code_color(k, bg));
        }
        cv.finish()
    }
}

prim! {
    /// Fill each enclosed background region with the code colour of its size.
    fn color_holes_by_size(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let inside = enclosed(g, bg);
        let mut cells = g.cells().to_vec();
        let mut any = false;
        for region in regions(g, false, |c| c == bg, |_, _| true) {
            if inside[region[0]] {
                any = true;
                let c = code_color(region.len(), bg);
                for i in region {
                    cells[i] = c;
                }
            }
        }
        if !any {
            return Err(Na("no enclosed background region"));
        }
        Grid::from_cells(g.h(), g.w(), cells).map(Value::Grid).map_err(|_| Na("result shape outside 1..=30"))
    }
}

/// Whether a grid equals its left-right mirror.
fn symmetric_lr(g: &Grid) -> bool {
    (0..g.h()).all(|r| (0..g.w() / 2).all(|c| g.get(r, c) == g.get(r, g.w() - 1 - c)))
}

/// Whether a grid has any mirror symmetry: left-right, up-down, or about a diagonal.
fn symmetric_any(g: &Grid) -> bool {
    let (h, w) = g.shape();
    let ud = (0..h / 2).all(|r| g.row(r) == g.row(h - 1 - r));
    let diag = h == w && (0..h).all(|r| (0..w).all(|c| g.get(r, c) == g.get(c, r)));
    let anti = h == w && (0..h).all(|r| (0..w).all(|c| g.get(r, c) == g.get(w - 1 - c, h - 1 - r)));
    symmetric_lr(g) || ud || diag || anti
}

/// The single item for which `pick` holds, among two or more.
fn the_one<T: Clone>(items: &[T], pick: impl Fn(&T) -> bool) -> Result<T, Na> {
    let mut hits = items.iter().filter(|x| pick(x));
    match (hits.next(), hits.next()) {
        (Some(x), None) if items.len() > 1 => Ok(x.clone()),
        _ => Err(Na("not exactly one")),
    }
}

prim! {
    /// The one object that is its own left-right mirror image (of two or more).
    fn pick_symmetric(_ctx, _: [], a: [Objs]) -> Obj, cost 1 {
        let objs = objs_at(a, 0)?;
        let member = |o: &Obj, i: usize| o.mask[i].then(|| o.grid.cells()[i]);
        the_one(objs, |o| {
            let (h, w) = o.grid.shape();
            (0..h).all(|r| (0..w).all(|c| member(o, r * w + c) == member(o, r * w + w - 1 - c)))
        })
        .map(Value::Obj)
    }
}

prim! {
    /// The one part with no mirror symmetry (left-right, up-down or diagonal), of two or more.
    fn pick_asymmetric(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        match a.first() {
            Some(Value::Grids(parts)) => the_one(parts, |g| !symmetric_any(g)).map(Value::Grid),
            _ => Err(Na("expected grids")),
        }
    }
}

/// Applies a registered `objs -> obj` selector by name and crops the grid to the object's box.
fn crop_selected(ctx: &Ctx, name: &str, params: &[i8], objs: Vec<Obj>) -> PrimResult {
    let reg = registry();
    let id = reg.id(name).ok_or(Na("no such selector"))?;
    match reg.get(id).apply(ctx, params, &[&Value::Objs(objs)])? {
        Value::Obj(o) => Ok(Value::Grid(o.grid)),
        _ => Err(Na("the selector gave no object")),
    }
}

/// The objects of `g`, 4- or 8-connected, one colour or many, on its most common colour or 0.
fn cut(ctx: &Ctx, g: &Grid, conn8: bool, multi: bool, bg0: bool) -> Vec<Obj> {
    components(g, conn8, multi, if bg0 { 0 } else { ctx.bg(g) }).to_vec()
}

prim! {
    /// Crop to the 8-connected object picked by a property: largest, smallest, most common, odd shape or colour, symmetric.
    fn crop_pick(ctx, p: [PICKS, COLOURS], a: [Grid]) -> Grid, cost 2 {
        let objs = cut(ctx, grid_at(a, 0)?, true, p[1] == 1, false);
        match p[0] {
            0 => crop_selected(ctx, "largest", &[], objs),
            1 => crop_selected(ctx, "smallest", &[], objs),
            2 => crop_selected(ctx, "most_common", &[], objs),
            3 => crop_selected(ctx, "odd_one", &[1], objs),
            4 => crop_selected(ctx, "odd_one", &[0], objs),
            _ => crop_selected(ctx, "pick_symmetric", &[], objs),
        }
    }
}

prim! {
    /// Crop to the object (of any colours, 8-connected) with the most cells of one colour.
    fn crop_most(ctx, p: [ParamTy::Color, BACKGROUND], a: [Grid]) -> Grid, cost 2 {
        crop_selected(ctx, "most_of_color", &p[..1], cut(ctx, grid_at(a, 0)?, true, true, p[1] == 1))
    }
}

/// The family's primitives.
pub const PRIMS: &[PrimDef] = prims![
    color_by, color_holes_by_size, pick_symmetric, pick_asymmetric, crop_pick, crop_most,
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run, try_run};

    #[test]
    fn codes_skip_the_background() {
        // Sizes 1, 2 and 3 on background 0 become colours 1, 2, 3; on background 1, colours 0, 2, 3.
        assert_eq!(run("(color_by size c4 bgmost input)", &g(&["5055", "0000", "7700"])), "1022\n0000\n2200\n");
        assert_eq!(run("(color_by size c4 bgmost input)", &g(&["5111", "1133", "1113"])), "0111\n1133\n1113\n");
    }

    #[test]
    fn each_key_classifies() {
        // Sizes 3 (top left), 2, 5 (the U) and 1; only the 1s and the U touch the border.
        let x = g(&["110000", "100220", "000000", "444000", "404030", "000000"]);
        assert_eq!(run("(color_by rank c4 bgmost input)", &x), "220000\n200330\n000000\n111000\n101040\n000000\n");
        assert_eq!(run("(color_by rank_asc c4 bgmost input)", &x), "330000\n300220\n000000\n444000\n404010\n000000\n");
        assert_eq!(run("(color_by single c4 bgmost input)", &x), "220000\n200220\n000000\n222000\n202010\n000000\n");
        assert_eq!(run("(color_by border c4 bgmost input)", &x), "220000\n200110\n000000\n222000\n202010\n000000\n");
        // The largest object is code 1, the smallest code 2, the others code 3.
        assert_eq!(run("(color_by extremes c4 bgmost input)", &x), "330000\n300330\n000000\n111000\n101020\n000000\n");
        assert_eq!(run("(color_by unique c4 bgmost input)", &g(&["1010", "0000", "0011"])), "1010\n0000\n0022\n");
        let ring = g(&["11100", "10100", "11100", "00002", "00000"]);
        assert_eq!(run("(color_by holes c8 bgmost input)", &ring), "22200\n20200\n22200\n00001\n00000\n");
        assert!(try_run("(color_by size c4 bgmost input)", &g(&["00", "00"])).is_err());
        // With background 0 the 3s are objects even where they outnumber the 0s.
        assert_eq!(run("(color_by single c4 bg0 input)", &g(&["330", "030", "303"])), "220\n020\n101\n");
    }

    #[test]
    fn holes_coloured_by_size() {
        let x = g(&["555555", "505005", "555555", "000000", "000000", "000000"]);
        let want = "555555\n515225\n555555\n000000\n000000\n000000\n";
        assert_eq!(run("(color_holes_by_size input)", &x), want);
        assert!(try_run("(color_holes_by_size input)", &g(&["050", "000"])).is_err());
    }

    #[test]
    fn picks_the_symmetric_object_and_the_asymmetric_part() {
        // Colour 9 objects: symmetry is judged on member cells, whatever their colour.
        let x = g(&["99000", "99030", "00033"]);
        assert_eq!(run("(crop_obj (pick_symmetric (objects c4 mono bg0 input)))", &x), "99\n99\n");
        let two = g(&["9900", "9900", "0000", "0330"]);
        assert!(try_run("(crop_obj (pick_symmetric (objects c4 mono bg0 input)))", &two).is_err());
        let parts = g(&["121", "343", "000", "120", "340", "000", "111", "222"]);
        assert_eq!(run("(pick_asymmetric (split_rows 3 input))", &parts), "120\n340\n");
    }

    #[test]
    fn cut_pick_and_crop() {
        let x = g(&["11000", "11022", "00000", "30011", "00011"]);
        assert_eq!(run("(crop_pick largest mono input)", &x), "11\n11\n");
        assert_eq!(run("(crop_pick smallest mono input)", &x), "3\n");
        assert_eq!(run("(crop_pick common mono input)", &x), "11\n11\n");
        // Two colours (2 and 3) and two shapes occur once: no single odd object.
        assert!(try_run("(crop_pick odd_color mono input)", &x).is_err());
        assert!(try_run("(crop_pick odd_shape mono input)", &x).is_err());
        assert_eq!(run("(crop_most 2 bg0 input)", &x), "22\n");
    }
}
