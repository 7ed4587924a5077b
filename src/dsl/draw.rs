//! Drawing by rule: flooding background regions from a colour, filling rectangular regions and
//! empty squares, boxing each colour, joining same-coloured cells along diagonals, filling
//! empty rows or columns, revealing what a patch of one colour hides, recolouring cells or
//! objects of one colour after the nearest other colour along their row or column, and
//! pulling lone cells to the nearest larger object of their colour.

use super::args::{grid_at, pcolor};
use super::crop::{bbox, subgrid};
use super::pattern::{repair, repair_sym};
use super::util::{AXES, Canvas, N4, components, fg_cells, regions};
use super::{Na, ParamTy, PrimDef, Value};
use crate::grid::{Color, Grid, N_COLORS};

/// How [`reveal`] restores hidden cells: by the grid's periodic tiling or by its mirror symmetry.
const RESTORE: ParamTy = ParamTy::Choice(&["period", "sym"]);

/// What [`recolor_nearest`] recolours as one: each cell, or each object (4-connected).
const UNITS: ParamTy = ParamTy::Choice(&["cell", "obj"]);

/// Which background regions [`fill_rects`] fills: any rectangle, or squares only.
const RECT_KINDS: ParamTy = ParamTy::Choice(&["rect", "square"]);

prim! {
    /// Fill every background region that touches a cell of a colour with that colour.
    fn flood(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (bg, color) = (ctx.bg(g), pcolor(p, 0));
        let mut cv = Canvas::of(g);
        for region in regions(g, false, |c| c == bg, |_, _| true) {
            let touches = region.iter().any(|&i| {
                let (r, c) = ((i / g.w()) as i64, (i % g.w()) as i64);
                N4.iter().any(|&(dr, dc)| cv.at(r + dr, c + dc) == Some(color))
            });
            if touches {
                for i in region {
                    cv.cells[i] = color;
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Fill the background regions that are whole rectangles (or squares), short of the whole grid, with a colour.
    fn fill_rects(ctx, p: [RECT_KINDS, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (bg, w) = (ctx.bg(g), g.w());
        let mut cv = Canvas::of(g);
        for region in regions(g, false, |c| c == bg, |_, _| true) {
            let rows = region.iter().map(|&i| i / w);
            let cols = region.iter().map(|&i| i % w);
            let h = rows.clone().max().unwrap_or(0) - rows.min().unwrap_or(0) + 1;
            let bw = cols.clone().max().unwrap_or(0) - cols.min().unwrap_or(0) + 1;
            if region.len() == h * bw && region.len() < g.h() * g.w() && (p[0] == 0 || h == bw) {
                for i in region {
                    cv.cells[i] = pcolor(p, 1);
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Colour every k×k block made only of 0 cells.
    fn fill_squares(_ctx, p: [ParamTy::Int { min: 2, max: 4 }, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let k = p[0] as usize;
        let mut cv = Canvas::of(g);
        for r in 0..(g.h() + 1).saturating_sub(k) {
            for c in 0..(g.w() + 1).saturating_sub(k) {
                if (0..k * k).all(|i| g.get(r + i / k, c + i % k) == 0) {
                    for i in 0..k * k {
                        cv.put((r + i / k) as i64, (c + i % k) as i64, pcolor(p, 1));
                    }
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Fill the background inside the bounding box of each colour's cells with that colour.
    fn box_colors(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for color in (0..N_COLORS as u8).filter(|&c| c != bg) {
            let cells: Vec<(usize, usize)> =
                (0..g.h()).flat_map(|r| (0..g.w()).map(move |c| (r, c))).filter(|&(r, c)| g.get(r, c) == color).collect();
            let Some(&(r0, _)) = cells.first() else { continue };
            let r1 = cells.iter().map(|x| x.0).max().unwrap_or(r0);
            let c0 = cells.iter().map(|x| x.1).min().unwrap_or(0);
            let c1 = cells.iter().map(|x| x.1).max().unwrap_or(c0);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if g.get(r, c) == bg {
                        cv.put(r as i64, c as i64, color);
                    }
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Join every two same-coloured cells on a diagonal with only background between them.
    fn connect_diag(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for (r, c, color) in fg_cells(g, bg) {
            let (r, c) = (r as i64, c as i64);
            // Walk down-left and down-right over background to the next cell of the same colour.
            for dc in [-1, 1] {
                let mut k = 1;
                while g.get_checked(r + k, c + k * dc) == Some(bg) {
                    k += 1;
                }
                if k > 1 && g.get_checked(r + k, c + k * dc) == Some(color) {
                    for j in 1..k {
                        cv.put(r + j, c + j * dc, color);
                    }
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Colour the rows (h), columns (v) or both made only of 0 cells.
    fn fill_empty_lines(_ctx, p: [AXES, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let to = pcolor(p, 1);
        let mut cv = Canvas::of(g);
        if p[0] != 1 {
            for r in (0..g.h()).filter(|&r| g.row(r).iter().all(|&x| x == 0)) {
                cv.cells[r * g.w()..(r + 1) * g.w()].fill(to);
            }
        }
        if p[0] != 0 {
            for c in (0..g.w()).filter(|&c| (0..g.h()).all(|r| g.get(r, c) == 0)) {
                for r in 0..g.h() {
                    cv.cells[r * g.w() + c] = to;
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// What the box of one colour's cells hides, restored from the periodic tiling or the mirror symmetry.
    fn reveal(ctx, p: [RESTORE, ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let hide = pcolor(p, 1);
        let (top, left, h, w) = bbox(g, |c| c == hide).ok_or(Na("no cell of the hiding colour"))?;
        let restored = if p[0] == 0 { repair(ctx, &p[1..], a)? } else { repair_sym(ctx, &p[1..], a)? };
        let restored = restored.as_grid().ok_or(Na("expected a grid"))?;
        subgrid(restored, top, left, h, w).map(Value::Grid)
    }
}

/// The nearest cell to `(r, c)` along its row (`axes` 0), column (1) or both (2) whose colour
/// is neither 0, `bg` nor `skip`: its distance and colour (ties: left, right, up, then down).
fn nearest_in_line(g: &Grid, r: usize, c: usize, axes: i8, bg: Color, skip: Color) -> Option<(usize, Color)> {
    let (r, c) = (r as i64, c as i64);
    let steps: &[(i64, i64)] = match axes {
        0 => &[(0, -1), (0, 1)],
        1 => &[(-1, 0), (1, 0)],
        _ => &[(0, -1), (0, 1), (-1, 0), (1, 0)],
    };
    (1..g.h().max(g.w()) as i64).find_map(|k| {
        steps.iter().find_map(|&(dr, dc)| {
            g.get_checked(r + k * dr, c + k * dc).filter(|&x| x != 0 && x != bg && x != skip).map(|x| (k as usize, x))
        })
    })
}

prim! {
    /// Recolour each cell (or object) of a colour after the nearest other non-background colour in its row or column.
    fn recolor_nearest(ctx, p: [AXES, UNITS, ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (bg, color, w) = (ctx.bg(g), pcolor(p, 2), g.w());
        let mut cv = Canvas::of(g);
        let units: Vec<Vec<usize>> = if p[1] == 0 {
            (0..g.h() * w).filter(|&i| g.cells()[i] == color).map(|i| vec![i]).collect()
        } else {
            regions(g, false, |x| x == color, |_, _| true)
        };
        let mut changed = false;
        for unit in units {
            let found = unit.iter().filter_map(|&i| nearest_in_line(g, i / w, i % w, p[0], bg, color)).min_by_key(|f| f.0);
            if let Some((_, x)) = found {
                changed = true;
                for i in unit {
                    cv.cells[i] = x;
                }
            }
        }
        if !changed {
            return Err(Na("no cell of the colour sees another colour"));
        }
        cv.finish()
    }
}

prim! {
    /// Move each lone cell next to the nearest larger object of its colour in its row or column, else erase it.
    fn attract(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let objs = components(g, false, false, bg);
        let (movers, anchors): (Vec<_>, Vec<_>) = objs.iter().partition(|o| o.size() == 1);
        if movers.is_empty() || anchors.is_empty() {
            return Err(Na("no lone cells or no larger objects"));
        }
        let mut anchor_of = vec![false; g.h() * g.w()];
        for o in &anchors {
            let bw = o.grid.w();
            for i in (0..o.mask.len()).filter(|&i| o.mask[i]) {
                anchor_of[(o.top + i / bw) * g.w() + o.left + i % bw] = true;
            }
        }
        let mut cv = Canvas::of(g);
        for m in &movers {
            cv.blank(m, bg);
        }
        for m in &movers {
            let (r, c, color) = (m.top as i64, m.left as i64, m.grid.get(0, 0));
            let is_target = |y: i64, x: i64| {
                g.get_checked(y, x) == Some(color) && anchor_of[y as usize * g.w() + x as usize]
            };
            let hit = (1..g.h().max(g.w()) as i64)
                .find_map(|k| N4.iter().find(|&&(dr, dc)| is_target(r + k * dr, c + k * dc)).map(|&(dr, dc)| (k, dr, dc)));
            if let Some((k, dr, dc)) = hit {
                cv.put(r + (k - 1) * dr, c + (k - 1) * dc, color);
            }
        }
        cv.finish()
    }
}

/// The family's primitives.
pub const PRIMS: &[PrimDef] = prims![
    flood, fill_rects, fill_squares, box_colors, connect_diag, fill_empty_lines, reveal, recolor_nearest,
    attract,
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run, try_run};

    #[test]
    fn flood_from_a_colour() {
        let x = g(&["01020", "11022", "00020", "22222", "30000"]);
        assert_eq!(run("(flood 3 input)", &x), "01020\n11022\n00020\n22222\n33333\n");
        assert_eq!(run("(flood 1 input)", &x), "11120\n11122\n11120\n22222\n30000\n");
    }

    #[test]
    fn rectangles_and_squares() {
        let x = g(&["05000", "55555", "00500", "00500", "55555", "00500"]);
        // Open regions count too: the 1×3 strip at the top is a rectangle, the 1×1 corner a square.
        assert_eq!(run("(fill_rects rect 4 input)", &x), "45444\n55555\n44544\n44544\n55555\n44544\n");
        assert_eq!(run("(fill_rects square 4 input)", &x), "45000\n55555\n44544\n44544\n55555\n00500\n");
        assert_eq!(run("(fill_squares 2 3 input)", &g(&["0001", "0001", "1000"])), "3331\n3331\n1330\n");
    }

    #[test]
    fn boxes_diagonals_and_lines() {
        assert_eq!(run("(box_colors input)", &g(&["10000", "00002", "01020"])), "11000\n11022\n11022\n");
        assert_eq!(run("(connect_diag input)", &g(&["1003", "0000", "0010", "3000"])), "1003\n0130\n0310\n3000\n");
        let x = g(&["1010", "0000", "1010"]);
        assert_eq!(run("(fill_empty_lines h 2 input)", &x), "1010\n2222\n1010\n");
        assert_eq!(run("(fill_empty_lines hv 2 input)", &x), "1212\n2222\n1212\n");
    }

    #[test]
    fn reveal_restores_the_hidden_box() {
        let x = g(&["1212", "2121", "1299", "2199"]);
        assert_eq!(run("(reveal period 9 input)", &x), "12\n21\n");
        let y = g(&["1221", "3993", "3443", "1221"]);
        assert_eq!(run("(reveal sym 9 input)", &y), "44\n");
        assert!(try_run("(reveal sym 7 input)", &y).is_err());
    }

    #[test]
    fn recolour_after_the_nearest_colour() {
        let x = g(&["10550", "20050", "00000", "30005"]);
        // Per cell along rows: row 0 takes 1, row 1 takes 2; the lone 5 in row 3 takes 3.
        assert_eq!(run("(recolor_nearest h cell 5 input)", &x), "10110\n20020\n00000\n30003\n");
        // Per object: the 5s of rows 0-1 are one object and take the nearest colour of any cell (1).
        assert_eq!(run("(recolor_nearest h obj 5 input)", &x), "10110\n20010\n00000\n30003\n");
        assert!(try_run("(recolor_nearest v cell 5 input)", &x).is_err());
    }

    #[test]
    fn lone_cells_move_to_their_colour() {
        // The 2 at the right jumps over the 3s to the column of 2s; the 5 has no match and goes.
        let x = g(&["200300", "200302", "200300", "200350"]);
        assert_eq!(run("(attract input)", &x), "200300\n220300\n200300\n200300\n");
        assert!(try_run("(attract input)", &g(&["22", "00"])).is_err());
    }
}
