//! Filling and drawing: enclosed regions, boxes, outlines and halos, rays, connecting lines
//! and full lines through cells.

use super::args::{grid_at, pcolor};
use super::util::{AXES, Canvas, N4, N8, RAY_DIRS, components, enclosed, holes, ray_steps};
use super::Ctx;
use super::{ParamTy, PrimDef, PrimResult, Value};
use crate::grid::Grid;

prim! {
    /// Fill background regions that do not reach the border.
    fn fill_enclosed(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let inside = enclosed(g, ctx.bg(g));
        let mut cv = Canvas::of(g);
        for (i, cell) in cv.cells.iter_mut().enumerate() {
            if inside[i] {
                *cell = pcolor(p, 0);
            }
        }
        cv.finish()
    }
}

prim! {
    /// Fill the background inside each object's bounding box.
    fn fill_bbox(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for o in components(g, true, true, bg).iter() {
            for r in o.top..o.top + o.grid.h() {
                for c in o.left..o.left + o.grid.w() {
                    if g.get(r, c) == bg {
                        cv.put(r as i64, c as i64, pcolor(p, 0));
                    }
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Fill the background cells that one object encloses.
    fn fill_holes(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for o in components(g, false, false, bg).iter() {
            let w = o.grid.w();
            for (i, hole) in holes(o).into_iter().enumerate() {
                let (r, c) = (o.top + i / w, o.left + i % w);
                if hole && g.get(r, c) == bg {
                    cv.put(r as i64, c as i64, pcolor(p, 0));
                }
            }
        }
        cv.finish()
    }
}

/// Whether all eight neighbours of `(r, c)` are inside the grid and not background.
fn surrounded(g: &Grid, r: usize, c: usize, bg: u8) -> bool {
    N8.iter().all(|&(dr, dc)| g.get_checked(r as i64 + dr, c as i64 + dc).is_some_and(|x| x != bg))
}

/// The grid with the non-background cells for which `pick(row, col)` holds set to `color`.
fn recolor_cells(ctx: &Ctx, g: &Grid, color: u8, pick: impl Fn(usize, usize) -> bool) -> PrimResult {
    let bg = ctx.bg(g);
    super::geom::build(g.h(), g.w(), |r, c| if g.get(r, c) != bg && pick(r, c) { color } else { g.get(r, c) })
}

prim! {
    /// Recolour object cells whose eight neighbours are all non-background.
    fn interior(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        recolor_cells(ctx, g, pcolor(p, 0), |r, c| surrounded(g, r, c, bg))
    }
}

prim! {
    /// Recolour object cells that touch the background or the edge.
    fn outline(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        recolor_cells(ctx, g, pcolor(p, 0), |r, c| !surrounded(g, r, c, bg))
    }
}

/// Neighbourhoods for halos: orthogonal, all eight, or the four diagonals only.
const NEIGHBOURS: ParamTy = ParamTy::Choice(&["c4", "c8", "diag"]);

/// Colours `dst` on the background cells in a [`NEIGHBOURS`] neighbourhood of every cell for
/// which `is_src` holds.
fn halo_around(ctx: &Ctx, g: &Grid, neighbours: i8, dst: u8, is_src: impl Fn(u8) -> bool) -> PrimResult {
    let steps: &[(i64, i64)] = match neighbours {
        0 => &N4,
        1 => &N8,
        _ => &N8[4..],
    };
    let bg = ctx.bg(g);
    let mut cv = Canvas::of(g);
    for r in 0..g.h() as i64 {
        for c in 0..g.w() as i64 {
            if g.get_checked(r, c).is_some_and(&is_src) {
                for &(dr, dc) in steps {
                    if g.get_checked(r + dr, c + dc) == Some(bg) {
                        cv.put(r + dr, c + dc, dst);
                    }
                }
            }
        }
    }
    cv.finish()
}

/// The grid unchanged, when it has no cell of the colour an operation starts from.
fn unchanged_without(g: &Grid, color: u8) -> Option<PrimResult> {
    (g.histogram()[color as usize] == 0).then(|| Ok(Value::Grid(g.clone())))
}

prim! {
    /// Colour the background cells next to cells of one colour with another.
    fn halo(ctx, p: [ParamTy::Color, ParamTy::Paint, NEIGHBOURS], a: [Grid]) -> Grid, cost 2 {
        let (g, src) = (grid_at(a, 0)?, pcolor(p, 0));
        if let Some(same) = unchanged_without(g, src) {
            return same;
        }
        halo_around(ctx, g, p[2], pcolor(p, 1), |x| x == src)
    }
}

prim! {
    /// Colour the background cells next to any non-background cell.
    fn halo_all(ctx, p: [ParamTy::Paint, NEIGHBOURS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        halo_around(ctx, g, p[1], pcolor(p, 0), |x| x != bg)
    }
}

/// Extends rays from every cell for which `from` gives a colour, over background cells of
/// the original grid, until a non-background cell or the edge.
fn cast_rays(ctx: &Ctx, g: &Grid, steps: &[(i64, i64)], from: impl Fn(u8) -> Option<u8>) -> PrimResult {
    let bg = ctx.bg(g);
    let mut cv = Canvas::of(g);
    for r in 0..g.h() as i64 {
        for c in 0..g.w() as i64 {
            let Some(color) = g.get_checked(r, c).and_then(&from) else { continue };
            for &(dr, dc) in steps {
                let (mut y, mut x) = (r + dr, c + dc);
                while g.get_checked(y, x) == Some(bg) {
                    cv.put(y, x, color);
                    y += dr;
                    x += dc;
                }
            }
        }
    }
    cv.finish()
}

prim! {
    /// Extend rays from cells of a colour over background.
    fn rays(ctx, p: [RAY_DIRS, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let (g, c) = (grid_at(a, 0)?, pcolor(p, 1));
        if let Some(same) = unchanged_without(g, c) {
            return same;
        }
        cast_rays(ctx, g, ray_steps(p[0]), |x| (x == c).then_some(c))
    }
}

prim! {
    /// Extend rays in their own colour from every non-background cell.
    fn rays_all(ctx, p: [RAY_DIRS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        cast_rays(ctx, g, ray_steps(p[0]), |x| (x != bg).then_some(x))
    }
}

/// On `cv`, fills the background gaps of `g` between consecutive cells of colour `end` along
/// rows (`horizontal`) or columns with `line`, when only background lies between them.
fn connect_into(ctx: &Ctx, cv: &mut Canvas, g: &Grid, horizontal: bool, end: u8, line: u8) {
    let bg = ctx.bg(g);
    let (outer, inner) = if horizontal { (g.h() as i64, g.w() as i64) } else { (g.w() as i64, g.h() as i64) };
    for i in 0..outer {
        let at = |j: i64| if horizontal { (i, j) } else { (j, i) };
        let mut last: Option<i64> = None;
        for j in 0..inner {
            let (r, c) = at(j);
            let x = g.get_checked(r, c).unwrap_or(bg);
            if x == end {
                if let Some(k) = last {
                    for m in k + 1..j {
                        let (y, z) = at(m);
                        cv.put(y, z, line);
                    }
                }
                last = Some(j);
            } else if x != bg {
                last = None;
            }
        }
    }
}

/// The passes of an [`AXES`] choice: horizontal first, so vertical lines end on top.
fn axis_passes(axis: i8) -> &'static [bool] {
    match axis {
        0 => &[true],
        1 => &[false],
        _ => &[true, false],
    }
}

/// Connects cells of colour `end` with `line` along the chosen axes.
fn connect_cells(ctx: &Ctx, g: &Grid, axis: i8, end: u8, line: u8) -> PrimResult {
    if let Some(same) = unchanged_without(g, end) {
        return same;
    }
    let mut cv = Canvas::of(g);
    for &horizontal in axis_passes(axis) {
        connect_into(ctx, &mut cv, g, horizontal, end, line);
    }
    cv.finish()
}

prim! {
    /// Join cells of a colour that face each other across background with lines of it.
    fn connect(ctx, p: [AXES, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        connect_cells(ctx, grid_at(a, 0)?, p[0], pcolor(p, 1), pcolor(p, 1))
    }
}

prim! {
    /// Join cells of a colour facing each other across background with lines of another colour.
    fn connect_with(ctx, p: [AXES, ParamTy::Color, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        connect_cells(ctx, grid_at(a, 0)?, p[0], pcolor(p, 1), pcolor(p, 2))
    }
}

prim! {
    /// Join every pair of same-coloured cells facing each other across background.
    fn connect_all(ctx, p: [AXES], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for &horizontal in axis_passes(p[0]) {
            for c in (0..10).filter(|&c| c != bg) {
                connect_into(ctx, &mut cv, g, horizontal, c, c);
            }
        }
        cv.finish()
    }
}

prim! {
    /// Draw full rows/columns through every cell of a colour.
    fn lines(_ctx, p: [AXES, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let c = pcolor(p, 1);
        let rows: Vec<bool> = (0..g.h()).map(|r| g.row(r).contains(&c)).collect();
        let cols: Vec<bool> = (0..g.w()).map(|k| (0..g.h()).any(|r| g.get(r, k) == c)).collect();
        let on_line = |r: usize, k: usize| (p[0] != 1 && rows[r]) || (p[0] != 0 && cols[k]);
        super::geom::build(g.h(), g.w(), |r, k| if on_line(r, k) { c } else { g.get(r, k) })
    }
}

pub const PRIMS: &[PrimDef] = prims![
    fill_enclosed, fill_holes, fill_bbox, interior, outline, halo, halo_all, rays, rays_all, connect,
    connect_with, connect_all, lines,
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run};

    #[test]
    fn flood_fill_only_enclosed() {
        let x = g(&["00000", "03330", "03030", "03330", "00003"]);
        assert_eq!(run("(fill_enclosed 4 input)", &x), "00000\n03330\n03430\n03330\n00003\n");
        // An opening to the border leaves the pocket alone.
        let y = g(&["00000", "03330", "03000", "03330", "00000"]);
        assert_eq!(run("(fill_enclosed 4 input)", &y), y.to_text());
    }

    #[test]
    fn holes_need_one_enclosing_object() {
        // The pocket closed by two objects together is enclosed but is no object's hole.
        let x = g(&["11100", "10100", "11100", "00000", "22233", "20003", "22233"]);
        assert_eq!(run("(fill_holes 4 input)", &x), "11100\n14100\n11100\n00000\n22233\n20003\n22233\n");
        assert_eq!(run("(fill_enclosed 4 input)", &x), "11100\n14100\n11100\n00000\n22233\n24443\n22233\n");
    }

    #[test]
    fn rays_stop_at_obstacles() {
        let x = g(&["0000", "0100", "0000", "0200"]);
        assert_eq!(run("(rays down 1 input)", &x), "0000\n0100\n0100\n0200\n");
        assert_eq!(run("(connect_with v 1 5 (rays_all up input))", &x), "0100\n0100\n0200\n0200\n");
    }
}
