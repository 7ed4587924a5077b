//! Objects: connected components as `Objs`, selection, sorting, recolouring, moving, and
//! drawing objects back onto grids.

use super::args::{grid_at, objs_at, obj_at, pcolor, dir_step};
use super::util::{Canvas, components, holes, look_key, obj_color, shape_key};
use super::geom::build;
use super::{Ctx, Na, Obj, ParamTy, PrimDef, PrimResult, Value};
use crate::grid::Grid;
use std::collections::BTreeMap;

/// Which cells make an object: colours kept apart or together.
pub(crate) const COLOURS: ParamTy = ParamTy::Choice(&["mono", "multi"]);
/// Which colour is the background: the most common one, or 0.
pub(crate) const BACKGROUND: ParamTy = ParamTy::Choice(&["bgmost", "bg0"]);
/// Sides of the grid, for picking the outermost object.
const SIDES: ParamTy = ParamTy::Choice(&["top", "bottom", "left", "right"]);
/// Properties by which one object can differ from all the others.
const PROPS: ParamTy = ParamTy::Choice(&["color", "shape", "size"]);
/// Sort keys for objects.
const SORT_KEYS: ParamTy = ParamTy::Choice(&["size", "size_desc", "top", "left", "color"]);

prim! {
    /// Connected components of non-background cells (4/8-connected, one colour or many).
    fn objects(ctx, p: [super::util::CONN, COLOURS, BACKGROUND], a: [Grid]) -> Objs, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = if p[2] == 0 { ctx.bg(g) } else { 0 };
        Ok(Value::Objs(components(g, p[0] == 1, p[1] == 1, bg).to_vec()))
    }
}

/// The first object with the greatest `key` (the earliest one wins ties).
fn best_by<K: Ord>(objs: &[Obj], key: impl Fn(&Obj) -> K) -> PrimResult {
    let mut best: Option<(&Obj, K)> = None;
    for o in objs {
        let k = key(o);
        if best.as_ref().is_none_or(|(_, bk)| k > *bk) {
            best = Some((o, k));
        }
    }
    best.map(|(o, _)| Value::Obj(o.clone())).ok_or(Na("no objects"))
}

prim! {
    /// The object with the most cells.
    fn largest(_ctx, _: [], a: [Objs]) -> Obj, cost 1 {
        best_by(objs_at(a, 0)?, Obj::size)
    }
}

prim! {
    /// The object with the fewest cells.
    fn smallest(_ctx, _: [], a: [Objs]) -> Obj, cost 1 {
        best_by(objs_at(a, 0)?, |o| std::cmp::Reverse(o.size()))
    }
}

prim! {
    /// The object reaching furthest to a side of the grid.
    fn extreme(_ctx, p: [SIDES], a: [Objs]) -> Obj, cost 1 {
        let objs = objs_at(a, 0)?;
        match p[0] {
            0 => best_by(objs, |o| std::cmp::Reverse(o.top)),
            1 => best_by(objs, |o| o.top + o.grid.h()),
            2 => best_by(objs, |o| std::cmp::Reverse(o.left)),
            _ => best_by(objs, |o| o.left + o.grid.w()),
        }
    }
}

/// The one object whose key occurs once while the others share theirs.
fn odd_by<'a, K: Ord>(objs: &'a [Obj], key: impl Fn(&'a Obj) -> K) -> PrimResult {
    let keys: Vec<K> = objs.iter().map(&key).collect();
    let mut counts: BTreeMap<&K, usize> = BTreeMap::new();
    for k in &keys {
        *counts.entry(k).or_default() += 1;
    }
    let singles: Vec<usize> = (0..objs.len()).filter(|&i| counts[&keys[i]] == 1).collect();
    match singles.as_slice() {
        [i] if objs.len() > 1 => Ok(Value::Obj(objs[*i].clone())),
        _ => Err(Na("no single odd object")),
    }
}

prim! {
    /// The one object whose colour, shape or size no other object has.
    fn odd_one(_ctx, p: [PROPS], a: [Objs]) -> Obj, cost 1 {
        let objs = objs_at(a, 0)?;
        match p[0] {
            0 => odd_by(objs, obj_color),
            1 => odd_by(objs, shape_key),
            _ => odd_by(objs, Obj::size),
        }
    }
}

prim! {
    /// The object at an index (0 is the first).
    fn nth(_ctx, p: [ParamTy::Int { min: 0, max: 9 }], a: [Objs]) -> Obj, cost 2 {
        objs_at(a, 0)?.get(p[0] as usize).cloned().map(Value::Obj).ok_or(Na("index past the last object"))
    }
}

prim! {
    /// Objects sorted by size, position or colour.
    fn sort_objs(_ctx, p: [SORT_KEYS], a: [Objs]) -> Objs, cost 2 {
        let mut objs = objs_at(a, 0)?.to_vec();
        match p[0] {
            0 => objs.sort_by_key(Obj::size),
            1 => objs.sort_by_key(|o| std::cmp::Reverse(o.size())),
            2 => objs.sort_by_key(|o| (o.top, o.left)),
            3 => objs.sort_by_key(|o| (o.left, o.top)),
            _ => objs.sort_by_key(obj_color),
        }
        Ok(Value::Objs(objs))
    }
}

/// The objects for which `keep` holds.
fn filter(a: &[&Value], keep: impl Fn(&Obj) -> bool) -> PrimResult {
    Ok(Value::Objs(objs_at(a, 0)?.iter().filter(|o| keep(o)).cloned().collect()))
}

prim! {
    /// The objects whose main colour is this colour.
    fn with_color(_ctx, p: [ParamTy::Color], a: [Objs]) -> Objs, cost 1 {
        filter(a, |o| obj_color(o) == pcolor(p, 0))
    }
}

prim! {
    /// The objects whose main colour is not this colour.
    fn without_color(_ctx, p: [ParamTy::Color], a: [Objs]) -> Objs, cost 1 {
        filter(a, |o| obj_color(o) != pcolor(p, 0))
    }
}

prim! {
    /// The objects that have a cell of this colour.
    fn containing(_ctx, p: [ParamTy::Color], a: [Objs]) -> Objs, cost 2 {
        let c = pcolor(p, 0);
        filter(a, |o| o.grid.cells().iter().zip(&o.mask).any(|(&x, &m)| m && x == c))
    }
}

prim! {
    /// The objects with at least n cells.
    fn size_ge(_ctx, p: [ParamTy::Int { min: 2, max: 20 }], a: [Objs]) -> Objs, cost 2 {
        filter(a, |o| o.size() >= p[0] as usize)
    }
}

prim! {
    /// The objects with fewer than n cells.
    fn size_lt(_ctx, p: [ParamTy::Int { min: 2, max: 20 }], a: [Objs]) -> Objs, cost 2 {
        filter(a, |o| o.size() < p[0] as usize)
    }
}

prim! {
    /// The objects with exactly n cells.
    fn size_eq(_ctx, p: [ParamTy::Int { min: 1, max: 20 }], a: [Objs]) -> Objs, cost 2 {
        filter(a, |o| o.size() == p[0] as usize)
    }
}

prim! {
    /// The objects that enclose at least one background cell.
    fn with_holes(_ctx, _: [], a: [Objs]) -> Objs, cost 2 {
        filter(a, |o| holes(o).contains(&true))
    }
}

prim! {
    /// The objects that enclose no background cell.
    fn without_holes(_ctx, _: [], a: [Objs]) -> Objs, cost 2 {
        filter(a, |o| !holes(o).contains(&true))
    }
}

prim! {
    /// The objects with the same shape as a given object (colours ignored).
    fn same_shape_as(_ctx, _: [], a: [Objs, Obj]) -> Objs, cost 2 {
        let target = obj_at(a, 1)?;
        filter(a, |o| shape_key(o) == shape_key(target))
    }
}

prim! {
    /// The object's bounding box, with the background around it.
    fn crop_obj(_ctx, _: [], a: [Obj]) -> Grid, cost 1 {
        Ok(Value::Grid(obj_at(a, 0)?.grid.clone()))
    }
}

prim! {
    /// The part of the grid under an object's bounding box, whatever is in it.
    fn crop_to(_ctx, _: [], a: [Grid, Obj]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let o = obj_at(a, 1)?;
        let (top, left) = (o.top, o.left);
        build(o.grid.h(), o.grid.w(), |r, c| g.get_checked((top + r) as i64, (left + c) as i64).unwrap_or(0))
    }
}

/// An object with every member cell recoloured.
fn recolored(o: &Obj, color: u8) -> Obj {
    let cells = o.grid.cells().iter().zip(&o.mask).map(|(&x, &m)| if m { color } else { x }).collect();
    let grid = Grid::from_cells(o.grid.h(), o.grid.w(), cells).unwrap_or_else(|_| o.grid.clone());
    Obj { grid, ..o.clone() }
}

prim! {
    /// Every cell of every object set to this colour.
    fn recolor_objs(_ctx, p: [ParamTy::Paint], a: [Objs]) -> Objs, cost 1 {
        Ok(Value::Objs(objs_at(a, 0)?.iter().map(|o| recolored(o, pcolor(p, 0))).collect()))
    }
}

prim! {
    /// Every cell of the object set to this colour.
    fn recolor_obj(_ctx, p: [ParamTy::Paint], a: [Obj]) -> Obj, cost 1 {
        Ok(Value::Obj(recolored(obj_at(a, 0)?, pcolor(p, 0))))
    }
}

prim! {
    /// Objects recoloured by size rank: the largest 1, the next 2, up to 9 (later ones unchanged).
    fn rank_by_size(_ctx, _: [], a: [Objs]) -> Objs, cost 2 {
        let objs = objs_at(a, 0)?;
        let mut order: Vec<usize> = (0..objs.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(objs[i].size()));
        let mut out = objs.to_vec();
        for (rank, &i) in order.iter().enumerate().take(9) {
            out[i] = recolored(&objs[i], rank as u8 + 1);
        }
        Ok(Value::Objs(out))
    }
}

prim! {
    /// Draw objects onto the grid at their positions.
    fn paint(_ctx, _: [], a: [Grid, Objs]) -> Grid, cost 1 {
        let mut cv = Canvas::of(grid_at(a, 0)?);
        for o in objs_at(a, 1)? {
            cv.draw(o, 0, 0);
        }
        cv.finish()
    }
}

prim! {
    /// Draw one object onto the grid at its position.
    fn paint_obj(_ctx, _: [], a: [Grid, Obj]) -> Grid, cost 1 {
        let mut cv = Canvas::of(grid_at(a, 0)?);
        cv.draw(obj_at(a, 1)?, 0, 0);
        cv.finish()
    }
}

prim! {
    /// Set the objects' cells to the grid's background colour.
    fn erase(ctx, _: [], a: [Grid, Objs]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for o in objs_at(a, 1)? {
            cv.blank(o, bg);
        }
        cv.finish()
    }
}

prim! {
    /// Set one object's cells to the grid's background colour.
    fn erase_obj(ctx, _: [], a: [Grid, Obj]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let mut cv = Canvas::of(g);
        cv.blank(obj_at(a, 1)?, ctx.bg(g));
        cv.finish()
    }
}

prim! {
    /// A background grid of the same size with only these objects drawn.
    fn keep_only(ctx, _: [], a: [Grid, Objs]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let mut cv = Canvas::filled(g.h(), g.w(), ctx.bg(g));
        for o in objs_at(a, 1)? {
            cv.draw(o, 0, 0);
        }
        cv.finish()
    }
}

prim! {
    /// All objects as one object spanning their joint bounding box.
    fn merge(_ctx, _: [], a: [Objs]) -> Obj, cost 2 {
        let objs = objs_at(a, 0)?;
        let first = objs.first().ok_or(Na("no objects"))?;
        let top = objs.iter().map(|o| o.top).min().unwrap_or(0);
        let left = objs.iter().map(|o| o.left).min().unwrap_or(0);
        let bottom = objs.iter().map(|o| o.top + o.grid.h()).max().unwrap_or(1);
        let right = objs.iter().map(|o| o.left + o.grid.w()).max().unwrap_or(1);
        if bottom - top > 30 || right - left > 30 {
            return Err(Na("merged box too large"));
        }
        let bg = first.grid.cells().iter().zip(&first.mask).find(|(_, m)| !**m).map_or(0, |(&c, _)| c);
        let mut cv = Canvas::filled(bottom - top, right - left, bg);
        let mut mask = vec![false; cv.h * cv.w];
        for o in objs {
            cv.draw(o, -(top as i64), -(left as i64));
            for (i, &m) in o.mask.iter().enumerate() {
                if m {
                    mask[(o.top - top + i / o.grid.w()) * cv.w + o.left - left + i % o.grid.w()] = true;
                }
            }
        }
        let grid = Grid::from_cells(cv.h, cv.w, cv.cells).map_err(|_| Na("merged box too large"))?;
        Ok(Value::Obj(Obj { top, left, grid, mask }))
    }
}

prim! {
    /// The object with the most cells of this colour.
    fn most_of_color(_ctx, p: [ParamTy::Color], a: [Objs]) -> Obj, cost 2 {
        let c = pcolor(p, 0);
        best_by(objs_at(a, 0)?, |o| o.grid.cells().iter().zip(&o.mask).filter(|(x, m)| **m && **x == c).count())
    }
}

prim! {
    /// The object whose exact look (shape and colours) repeats most.
    fn most_common(_ctx, _: [], a: [Objs]) -> Obj, cost 2 {
        let objs = objs_at(a, 0)?;
        let mut groups: BTreeMap<_, (usize, usize)> = BTreeMap::new();
        for (i, o) in objs.iter().enumerate() {
            groups.entry(look_key(o)).or_insert((0, i)).0 += 1;
        }
        let max = groups.values().map(|&(n, _)| n).max().ok_or(Na("no objects"))?;
        let mut top = groups.values().filter(|&&(n, _)| n == max);
        match (top.next(), top.next()) {
            (Some(&(_, first)), None) => Ok(Value::Obj(objs[first].clone())),
            _ => Err(Na("several looks are equally common")),
        }
    }
}

/// Whether an object's member cells, shifted by `(dr, dc)`, stay inside and land only on
/// background cells of the canvas (the object itself has been blanked).
pub(crate) fn fits(cv: &Canvas, o: &Obj, dr: i64, dc: i64, bg: u8) -> bool {
    let w = o.grid.w();
    let lands_on_bg = |i: usize| cv.at((o.top + i / w) as i64 + dr, (o.left + i % w) as i64 + dc) == Some(bg);
    o.mask.iter().enumerate().all(|(i, &m)| !m || lands_on_bg(i))
}

/// Moves `o` one step at a time by `(dr, dc)` while it fits; returns the grid with it drawn.
fn slide_obj(ctx: &Ctx, g: &Grid, o: &Obj, (dr, dc): (i64, i64)) -> PrimResult {
    let bg = ctx.bg(g);
    let mut cv = Canvas::of(g);
    cv.blank(o, bg);
    let mut k = 0;
    while k < 30 && fits(&cv, o, (k + 1) * dr, (k + 1) * dc, bg) {
        k += 1;
    }
    cv.draw(o, k * dr, k * dc);
    cv.finish()
}

prim! {
    /// Move an object in a direction until it touches something or the edge.
    fn slide(ctx, p: [super::geom::DIRS], a: [Grid, Obj]) -> Grid, cost 2 {
        slide_obj(ctx, grid_at(a, 0)?, obj_at(a, 1)?, dir_step(p[0]))
    }
}

prim! {
    /// Move the first object toward the second until they touch.
    fn slide_to(ctx, _: [], a: [Grid, Obj, Obj]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (o, t) = (obj_at(a, 1)?, obj_at(a, 2)?);
        let (o_r, o_c) = ((o.top, o.top + o.grid.h()), (o.left, o.left + o.grid.w()));
        let (t_r, t_c) = ((t.top, t.top + t.grid.h()), (t.left, t.left + t.grid.w()));
        let step = if o_r.1 <= t_r.0 {
            (1, 0)
        } else if t_r.1 <= o_r.0 {
            (-1, 0)
        } else if o_c.1 <= t_c.0 {
            (0, 1)
        } else if t_c.1 <= o_c.0 {
            (0, -1)
        } else {
            // The boxes overlap: the objects already touch.
            return Ok(Value::Grid(g.clone()));
        };
        slide_obj(ctx, g, o, step)
    }
}

prim! {
    /// The object's shape in one colour on 0, cropped to its box.
    fn mask_of(_ctx, p: [ParamTy::Paint], a: [Obj]) -> Grid, cost 2 {
        let o = obj_at(a, 0)?;
        let c = pcolor(p, 0);
        build(o.grid.h(), o.grid.w(), |r, k| if o.has(r, k) { c } else { 0 })
    }
}

pub const PRIMS: &[PrimDef] = prims![
    objects, largest, smallest, extreme, odd_one, nth, sort_objs, with_color, without_color, containing,
    size_ge, size_lt, size_eq, with_holes, without_holes, same_shape_as, crop_obj, crop_to, recolor_objs,
    rank_by_size, recolor_obj, paint, paint_obj, erase, erase_obj, keep_only, merge, most_of_color,
    most_common, slide, slide_to, mask_of,
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run};
    use super::*;

    #[test]
    fn select_and_crop() {
        let x = g(&["0000", "0220", "0220", "1003"]);
        assert_eq!(run("(crop_obj (largest (objects c4 mono bgmost input)))", &x), "22\n22\n");
        let y = g(&["1000", "0220", "0220", "1001"]);
        assert_eq!(run("(crop_obj (odd_one color (objects c4 mono bgmost input)))", &y), "22\n22\n");
        assert_eq!(run("(crop_obj (extreme right (objects c4 mono bgmost input)))", &x), "3\n");
    }

    #[test]
    fn malformed_objects_are_not_applicable() {
        let bad = Obj { top: 0, left: 0, grid: g(&["12", "34"]), mask: vec![true] };
        let far = Obj { top: 1000, left: 0, grid: g(&["1"]), mask: vec![true] };
        let reg = crate::dsl::registry();
        for name in ["mask_of", "crop_obj", "obj_size", "color_of"] {
            let p = reg.get(reg.id(name).unwrap());
            let params: Vec<i8> = p.params.iter().map(|_| 1).collect();
            assert!(p.apply(&crate::dsl::Ctx::plain(), &params, &[&Value::Obj(bad.clone())]).is_err(), "{name}");
        }
        let paint = reg.get(reg.id("paint").unwrap());
        assert!(paint.apply(&crate::dsl::Ctx::plain(), &[], &[&Value::Grid(g(&["0"])), &Value::Objs(vec![far])]).is_err());
    }

    #[test]
    fn slide_until_touch() {
        let x = g(&["2000", "0000", "0000", "0008"]);
        let p = "(slide_to input (extreme top (objects c4 mono bgmost input)) (extreme bottom (objects c4 mono bgmost input)))";
        assert_eq!(run(p, &x), "0000\n0000\n0000\n2008\n");
        assert_eq!(run("(slide right input (extreme top (objects c4 mono bgmost input)))", &x), "0002\n0000\n0000\n0008\n");
    }
}
