//! Object-level transforms: each object completed to a symmetry about the centre that fits it
//! best, a multi-colour template stamped onto lone pixels and same-shape markers, objects moved
//! until they touch a colour, shifted by their own size, lined up with or centred on one colour.
//!
//! Objects here are the connected components of non-background cells of any colours (the
//! notion of `fall_objs`), so a figure drawn in several colours is one object: 8-connected,
//! except for stamping, whose templates and markers may sit diagonally next to each other.
//! Parameters are few: a symmetry or a direction, at most one colour; what to move, where to,
//! and by how much come from the grid.

use super::args::{grid_at, pcolor, dir_step};
use super::geom::DIRS;
use super::object::fits;
use super::util::{Canvas, components, look_key, obj_color, obj_from_cells, shape_key};
use super::{Ctx, Na, Obj, ParamTy, PrimDef, PrimResult};
use crate::grid::{Color, Grid};

/// The symmetries an object can be completed to.
const SYMS: ParamTy = ParamTy::Choice(&["lr", "ud", "both", "rot4"]);

/// The images of a cell under a symmetry choice about a centre, all in doubled coordinates
/// (`2r`, `2c`; the centre may sit between cells). Images that fall between cells are dropped.
fn images(sym: i8, (cr, cc): (i64, i64), (r, c): (i64, i64)) -> Vec<(i64, i64)> {
    let (dr, dc) = (2 * r - cr, 2 * c - cc);
    let rel: &[(i64, i64)] = match sym {
        0 => &[(dr, -dc)],
        1 => &[(-dr, dc)],
        2 => &[(dr, -dc), (-dr, dc), (-dr, -dc)],
        _ => &[(dc, -dr), (-dr, -dc), (-dc, dr)],
    };
    rel.iter()
        .filter(|&&(ir, ic)| (cr + ir) % 2 == 0 && (cc + ic) % 2 == 0)
        .map(|&(ir, ic)| ((cr + ir) / 2, (cc + ic) / 2))
        .collect()
}

/// How well a centre explains an object: `None` when some image lands outside the grid, on
/// another object or on a cell of the object with another colour; else the number of images
/// that are another cell of the same colour (matches) and the number on the background (cells
/// to add).
fn centre_score(
    cv: &Canvas,
    own: &[bool],
    cells: &[(i64, i64, Color)],
    sym: i8,
    centre: (i64, i64),
    bg: Color,
) -> Option<(usize, usize)> {
    let (mut matches, mut added) = (0, 0);
    for &(r, c, color) in cells {
        for (ir, ic) in images(sym, centre, (r, c)) {
            let there = cv.at(ir, ic)?;
            if (ir, ic) == (r, c) {
                continue;
            }
            if there == bg {
                added += 1;
                continue;
            }
            if there != color || !own[ir as usize * cv.w + ic as usize] {
                return None;
            }
            matches += 1;
        }
    }
    Some((matches, added))
}

/// Completes one object on the canvas: the centre (within its box, rows fixed for `lr`,
/// columns for `ud`) with no conflict and the most matching images net of the cells it would
/// add fills the background images of every cell with that cell's colour. Objects with no
/// matching pair stay as they are. Added cells take `paint` when given.
fn complete_obj(cv: &mut Canvas, o: &Obj, sym: i8, bg: Color, paint: Option<Color>) {
    let w = o.grid.w();
    let cells: Vec<(i64, i64, Color)> = (0..o.mask.len())
        .filter(|&i| o.mask[i])
        .map(|i| ((o.top + i / w) as i64, (o.left + i % w) as i64, o.grid.cells()[i]))
        .collect();
    let mut own = vec![false; cv.h * cv.w];
    for &(r, c, _) in &cells {
        own[r as usize * cv.w + c as usize] = true;
    }
    let (top, left) = (2 * o.top as i64, 2 * o.left as i64);
    let (bottom, right) = (top + 2 * (o.grid.h() as i64 - 1), left + 2 * (w as i64 - 1));
    let rows: Vec<i64> = if sym == 0 { vec![top] } else { (top..=bottom).collect() };
    let cols: Vec<i64> = if sym == 1 { vec![left] } else { (left..=right).collect() };
    let mut best: Option<(i64, (i64, i64))> = None;
    for &cr in &rows {
        for &cc in &cols {
            if sym == 3 && (cr + cc) % 2 != 0 {
                continue;
            }
            if let Some((m, added)) = centre_score(cv, &own, &cells, sym, (cr, cc), bg)
                && m > 0
                && best.is_none_or(|b| m as i64 - added as i64 > b.0)
            {
                best = Some((m as i64 - added as i64, (cr, cc)));
            }
        }
    }
    if let Some((_, centre)) = best {
        for &(r, c, color) in &cells {
            for (ir, ic) in images(sym, centre, (r, c)) {
                if cv.at(ir, ic) == Some(bg) {
                    cv.put(ir, ic, paint.unwrap_or(color));
                }
            }
        }
    }
}

/// Completes every object (or, with `whole`, all non-background cells as one figure) to a
/// symmetry; added cells take their mirror image's colour, or `paint` when given.
fn complete_each(ctx: &Ctx, g: &Grid, sym: i8, whole: bool, paint: Option<Color>) -> PrimResult {
    let bg = ctx.bg(g);
    let objs = if whole {
        let cells: Vec<usize> = (0..g.h() * g.w()).filter(|&i| g.cells()[i] != bg).collect();
        obj_from_cells(g, &cells, bg).into_iter().collect()
    } else {
        components(g, true, true, bg).to_vec()
    };
    if objs.len() > 30 {
        return Err(Na("too many objects"));
    }
    let mut cv = Canvas::of(g);
    for o in &objs {
        complete_obj(&mut cv, o, sym, bg, paint);
    }
    cv.finish()
}

prim! {
    /// Complete each object (or all cells as one figure) to be symmetric (lr, ud, both, quarter turns) about its best-fitting centre.
    fn sym_complete(ctx, p: [SYMS, ParamTy::Choice(&["each", "all"])], a: [Grid]) -> Grid, cost 2 {
        complete_each(ctx, grid_at(a, 0)?, p[0], p[1] == 1, None)
    }
}

prim! {
    /// Complete each object to be symmetric about its best-fitting centre, painting the added cells in a colour.
    fn sym_mark(ctx, p: [SYMS, ParamTy::Paint], a: [Grid]) -> Grid, cost 3 {
        complete_each(ctx, grid_at(a, 0)?, p[0], false, Some(pcolor(p, 1)))
    }
}

/// The template: the one object look that has two or more colours (it may occur several times).
fn template(objs: &[Obj]) -> Option<&Obj> {
    let multi = |o: &&Obj| {
        let first = o.grid.cells().iter().zip(&o.mask).find(|(_, m)| **m).map(|(c, _)| *c);
        o.grid.cells().iter().zip(&o.mask).any(|(c, m)| *m && Some(*c) != first)
    };
    let mut found = objs.iter().filter(multi);
    let t = found.next()?;
    found.all(|o| look_key(o) == look_key(t)).then_some(t)
}

prim! {
    /// Copy the multi-colour template onto each lone pixel (centred) and each object of its shape; erase: drop the original.
    fn stamp(ctx, p: [ParamTy::Choice(&["keep", "erase"])], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let objs = components(g, false, true, bg);
        let t = template(&objs).ok_or(Na("no single multi-colour template"))?;
        let (th, tw) = t.grid.shape();
        let mut cv = Canvas::of(g);
        let mut stamped = 0;
        for o in objs.iter() {
            if look_key(o) == look_key(t) {
                if p[0] == 1 {
                    cv.blank(o, bg);
                }
                continue;
            }
            let at = if o.size() == 1 {
                (o.top as i64 - (th / 2) as i64, o.left as i64 - (tw / 2) as i64)
            } else if shape_key(o) == shape_key(t) {
                (o.top as i64, o.left as i64)
            } else {
                continue;
            };
            cv.blank(o, bg);
            cv.draw(t, at.0 - t.top as i64, at.1 - t.left as i64);
            stamped += 1;
        }
        if stamped == 0 {
            return Err(Na("no marker to stamp"));
        }
        cv.finish()
    }
}

/// The number of cells between two inclusive spans along one axis (0 when they overlap) and
/// the step that brings the first toward the second.
fn gap(a0: usize, a1: usize, b0: usize, b1: usize) -> (usize, i64) {
    if a1 < b0 {
        (b0 - a1 - 1, 1)
    } else if b1 < a0 {
        (a0 - b1 - 1, -1)
    } else {
        (0, 0)
    }
}

/// The step that moves `o` straight (orthogonally, or exactly diagonally) toward the nearest
/// object of `targets` in line with it, if any.
fn step_toward(o: &Obj, targets: &[Obj]) -> Option<(i64, i64)> {
    let span = |x: &Obj| (x.top, x.top + x.grid.h() - 1, x.left, x.left + x.grid.w() - 1);
    let (r0, r1, c0, c1) = span(o);
    targets
        .iter()
        .filter_map(|t| {
            let (tr0, tr1, tc0, tc1) = span(t);
            let ((gr, sr), (gc, sc)) = (gap(r0, r1, tr0, tr1), gap(c0, c1, tc0, tc1));
            let in_line = sr == 0 || sc == 0 || gr == gc;
            (in_line && (sr, sc) != (0, 0)).then_some((gr.max(gc), (sr, sc)))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, s)| s)
}

prim! {
    /// Move every other object straight toward the nearest object of a colour in line with it until they touch.
    fn move_to(ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let target = pcolor(p, 0);
        if target == bg {
            return Err(Na("the target colour is the background"));
        }
        let objs = components(g, true, true, bg);
        let has_target = |o: &Obj| o.grid.cells().iter().zip(&o.mask).any(|(&c, &m)| m && c == target);
        let (targets, movers): (Vec<Obj>, Vec<Obj>) = objs.iter().cloned().partition(has_target);
        if targets.is_empty() {
            return Err(Na("no object of the target colour"));
        }
        let mut cv = Canvas::of(g);
        let mut moved = 0;
        for o in &movers {
            let Some((dr, dc)) = step_toward(o, &targets) else { continue };
            cv.blank(o, bg);
            let mut k = 0;
            while k < 30 && fits(&cv, o, (k + 1) * dr, (k + 1) * dc, bg) {
                k += 1;
            }
            // Only a move that ends against something counts; one that would run off the grid stays put.
            let stopped = fits_inside(&cv, o, (k + 1) * dr, (k + 1) * dc);
            let k = if stopped { k } else { 0 };
            moved += usize::from(k > 0);
            cv.draw(o, k * dr, k * dc);
        }
        if moved == 0 {
            return Err(Na("nothing moved"));
        }
        cv.finish()
    }
}

/// Whether every cell of `o` shifted by `(dr, dc)` is inside the canvas.
fn fits_inside(cv: &Canvas, o: &Obj, dr: i64, dc: i64) -> bool {
    let w = o.grid.w();
    (0..o.mask.len()).all(|i| !o.mask[i] || cv.at((o.top + i / w) as i64 + dr, (o.left + i % w) as i64 + dc).is_some())
}

/// Redraws every object shifted by `offset(object)` (later objects drawn over earlier ones);
/// `Na` when nothing moved or an object would leave the grid.
fn shift_each(ctx: &Ctx, g: &Grid, objs: &[Obj], offset: impl Fn(&Obj) -> (i64, i64)) -> PrimResult {
    let bg = ctx.bg(g);
    let mut cv = Canvas::of(g);
    let shifts: Vec<(i64, i64)> = objs.iter().map(&offset).collect();
    if shifts.iter().all(|&s| s == (0, 0)) {
        return Err(Na("nothing moved"));
    }
    if objs.iter().zip(&shifts).any(|(o, &(dr, dc))| !fits_inside(&cv, o, dr, dc)) {
        return Err(Na("an object would leave the grid"));
    }
    for o in objs {
        cv.blank(o, bg);
    }
    for (o, &(dr, dc)) in objs.iter().zip(&shifts) {
        cv.draw(o, dr, dc);
    }
    cv.finish()
}

prim! {
    /// Move every object in a direction by its own height or width.
    fn shift_by_size(ctx, p: [DIRS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let objs = components(g, true, true, ctx.bg(g));
        let (dr, dc) = dir_step(p[0]);
        shift_each(ctx, g, &objs, |o| (dr * o.grid.h() as i64, dc * o.grid.w() as i64))
    }
}

prim! {
    /// Move every object up or down (rows) or sideways (cols) to line up its box with the one object of a colour.
    fn align_to(ctx, p: [ParamTy::Choice(&["rows", "cols"]), ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let target = pcolor(p, 1);
        let objs = components(g, true, true, bg);
        let mut anchors = objs.iter().filter(|o| obj_color(o) == target);
        let t = anchors.next().ok_or(Na("no object of the target colour"))?;
        if anchors.next().is_some() {
            return Err(Na("more than one object of the target colour"));
        }
        let rows = p[0] == 0;
        shift_each(ctx, g, &objs, |o| if rows { (t.top as i64 - o.top as i64, 0) } else { (0, t.left as i64 - o.left as i64) })
    }
}

prim! {
    /// Move all cells of other colours together so their box is centred on the box of one colour's cells.
    fn center_in(ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let frame = pcolor(p, 0);
        if frame == bg {
            return Err(Na("the frame colour is the background"));
        }
        let frame_cells: Vec<usize> = (0..g.h() * g.w()).filter(|&i| g.cells()[i] == frame).collect();
        let rest: Vec<usize> = (0..g.h() * g.w()).filter(|&i| ![bg, frame].contains(&g.cells()[i])).collect();
        let (f, o) = match (obj_from_cells(g, &frame_cells, bg), obj_from_cells(g, &rest, bg)) {
            (Some(f), Some(o)) => (f, o),
            _ => return Err(Na("no frame colour or nothing else")),
        };
        // Twice each box's centre, so boxes of either parity compare exactly.
        let centre2 = |x: &Obj| ((2 * x.top + x.grid.h() - 1) as i64, (2 * x.left + x.grid.w() - 1) as i64);
        let ((fr, fc), (or, oc)) = (centre2(&f), centre2(&o));
        if (fr - or) % 2 != 0 || (fc - oc) % 2 != 0 {
            return Err(Na("the centres differ by half a cell"));
        }
        shift_each(ctx, g, &[o], |_| ((fr - or) / 2, (fc - oc) / 2))
    }
}

pub const PRIMS: &[PrimDef] = prims![
    sym_complete, sym_mark, stamp, move_to, shift_by_size, align_to, center_in,
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run, try_run};

    #[test]
    fn symmetry_completed_about_the_best_centre() {
        // A plus with one arm missing: the centre is the middle of the present arms' crossing.
        let x = g(&["00000", "00100", "01210", "00000", "00000"]);
        assert_eq!(run("(sym_complete rot4 each input)", &x), "00000\n00100\n01210\n00100\n00000\n");
        // Up-down has no centre under which two cells agree: the figure stays.
        assert_eq!(run("(sym_complete ud each input)", &x), "00000\n00100\n01210\n00000\n00000\n");
        // Left-right: the half of a figure beside its axis is mirrored to the other side.
        let y = g(&["0000", "3300", "0300", "0000"]);
        assert_eq!(run("(sym_complete lr each input)", &y), "0000\n3300\n3300\n0000\n");
        let z = g(&["0000", "3530", "0500", "0000"]);
        assert_eq!(run("(sym_complete lr each input)", &z), "0000\n3530\n0500\n0000\n");
        let v = g(&["00000", "35300", "05000", "05500", "00000"]);
        assert_eq!(run("(sym_complete lr each input)", &v), "00000\n35300\n05000\n55500\n00000\n");
        // Separate pieces of one figure complete together only as `all`.
        let w = g(&["10100", "00000", "10000"]);
        assert_eq!(run("(sym_complete rot4 each input)", &w), "10100\n00000\n10000\n");
        assert_eq!(run("(sym_complete rot4 all input)", &w), "10100\n00000\n10100\n");
    }

    #[test]
    fn symmetry_marked_in_a_colour() {
        let x = g(&["00000", "00100", "01110", "00000", "00000"]);
        assert_eq!(run("(sym_mark rot4 2 input)", &x), "00000\n00100\n01110\n00200\n00000\n");
    }

    #[test]
    fn template_stamped_on_markers() {
        let x = g(&["12000", "30000", "00000", "00050", "00000"]);
        assert_eq!(run("(stamp keep input)", &x), "12000\n30000\n00120\n00300\n00000\n");
        assert_eq!(run("(stamp erase input)", &x), "00000\n00000\n00120\n00300\n00000\n");
        let y = g(&["1200", "0000", "0880", "0000"]);
        assert_eq!(run("(stamp keep input)", &y), "1200\n0000\n0120\n0000\n");
        // No multi-colour template, or no marker: not applicable.
        assert!(try_run("(stamp keep input)", &g(&["1100", "0005"])).is_err());
        assert!(try_run("(stamp keep input)", &g(&["1200", "0005", "0005"])).is_err());
    }

    #[test]
    fn objects_move_until_contact() {
        // The 5 in the rows of the block moves; the one top left shares no row, column or diagonal.
        let x = g(&["500000", "000000", "000220", "500220", "000000"]);
        assert_eq!(run("(move_to 2 input)", &x), "500000\n000000\n000220\n005220\n000000\n");
        // On the block's diagonal the move is diagonal, until it touches the block's corner.
        let y = g(&["5000000", "0000000", "0022000", "0022005"]);
        assert_eq!(run("(move_to 2 input)", &y), "0000000\n0500000\n0022000\n0022500\n");
        assert!(try_run("(move_to 3 input)", &y).is_err());
    }

    #[test]
    fn objects_shift_by_size_or_align() {
        let x = g(&["0000", "0000", "0000", "1022", "1000"]);
        assert_eq!(run("(shift_by_size up input)", &x), "0000\n1000\n1022\n0000\n0000\n");
        let y = g(&["2000", "0010", "0000", "0003"]);
        assert_eq!(run("(align_to rows 1 input)", &y), "0000\n2013\n0000\n0000\n");
        assert!(try_run("(align_to cols 4 input)", &y).is_err());
    }

    #[test]
    fn figure_centred_in_a_frame() {
        let x = g(&["30003", "22200", "02000", "02000", "30003"]);
        assert_eq!(run("(center_in 3 input)", &x), "30003\n02220\n00200\n00200\n30003\n");
        // A one-row figure cannot be centred in a four-row frame: the centres are half a cell apart.
        let y = g(&["30003", "22000", "00000", "30003"]);
        assert!(try_run("(center_in 3 input)", &y).is_err());
    }
}
