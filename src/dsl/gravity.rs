//! Gravity: cells or whole objects fall in a direction until they stop; rows or columns
//! sorted by how full they are.

use super::args::{grid_at, pcolor, dir_step};
use super::geom::DIRS;
use super::util::{Canvas, components};
use super::Ctx;
use super::{ParamTy, PrimDef, PrimResult};
use crate::grid::Grid;

/// The cells of one lane (a column for up/down, a row for left/right) listed from the side
/// things fall toward, as flat indices.
fn lanes(h: usize, w: usize, dir: i8) -> Vec<Vec<usize>> {
    match dir {
        0 => (0..w).map(|c| (0..h).map(|r| r * w + c).collect()).collect(),
        1 => (0..w).map(|c| (0..h).rev().map(|r| r * w + c).collect()).collect(),
        2 => (0..h).map(|r| (0..w).map(|c| r * w + c).collect()).collect(),
        _ => (0..h).map(|r| (0..w).rev().map(|c| r * w + c).collect()).collect(),
    }
}

/// Moves the cells for which `falls` holds toward the start of each lane, over background;
/// other non-background cells stay put and stop them.
fn settle(ctx: &Ctx, g: &Grid, dir: i8, falls: impl Fn(u8) -> bool) -> PrimResult {
    let bg = ctx.bg(g);
    let mut cv = Canvas::of(g);
    for lane in lanes(g.h(), g.w(), dir) {
        let mut free = 0;
        for k in 0..lane.len() {
            let x = cv.cells[lane[k]];
            if x == bg {
                continue;
            }
            if falls(x) {
                cv.cells[lane[k]] = bg;
                while cv.cells[lane[free]] != bg {
                    free += 1;
                }
                cv.cells[lane[free]] = x;
                free += 1;
            } else {
                free = k + 1;
            }
        }
    }
    cv.finish()
}

prim! {
    /// Every non-background cell falls in a direction until it stops.
    fn gravity(ctx, p: [DIRS], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        settle(ctx, g, p[0], |x| x != bg)
    }
}

prim! {
    /// Cells of one colour fall in a direction; other cells stay and block them.
    fn gravity_color(ctx, p: [DIRS, ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let c = pcolor(p, 1);
        settle(ctx, grid_at(a, 0)?, p[0], |x| x == c)
    }
}

prim! {
    /// Whole objects fall in a direction until they touch.
    fn fall_objs(ctx, p: [DIRS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let (dr, dc) = dir_step(p[0]);
        let mut objs = components(g, true, true, bg).to_vec();
        // Nearest the floor first, so each lands on what already fell.
        objs.sort_by_key(|o| {
            let (bottom, right) = ((o.top + o.grid.h()) as i64, (o.left + o.grid.w()) as i64);
            match p[0] {
                0 => o.top as i64,
                1 => -bottom,
                2 => o.left as i64,
                _ => -right,
            }
        });
        let mut cv = Canvas::filled(g.h(), g.w(), bg);
        for o in &objs {
            let w = o.grid.w();
            let fits = |cv: &Canvas, k: i64| {
                o.mask.iter().enumerate().all(|(i, &m)| {
                    !m || cv.at((o.top + i / w) as i64 + k * dr, (o.left + i % w) as i64 + k * dc) == Some(bg)
                })
            };
            let mut k = 0;
            while k < 30 && fits(&cv, k + 1) {
                k += 1;
            }
            cv.draw(o, k * dr, k * dc);
        }
        cv.finish()
    }
}

prim! {
    /// Sort rows or columns by their number of non-background cells.
    fn sort_lines(ctx, p: [ParamTy::Choice(&["rows", "rows_desc", "cols", "cols_desc"])], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let by_rows = p[0] < 2;
        let n = if by_rows { g.h() } else { g.w() };
        let line = |i: usize| -> Vec<u8> {
            if by_rows { g.row(i).to_vec() } else { (0..g.h()).map(|r| g.get(r, i)).collect() }
        };
        let mut order: Vec<usize> = (0..n).collect();
        let fill = |i: &usize| line(*i).iter().filter(|&&x| x != bg).count();
        if p[0] % 2 == 0 {
            order.sort_by_key(fill);
        } else {
            order.sort_by_key(|i| std::cmp::Reverse(fill(i)));
        }
        let lines: Vec<Vec<u8>> = order.into_iter().map(line).collect();
        super::geom::build(g.h(), g.w(), |r, c| if by_rows { lines[r][c] } else { lines[c][r] })
    }
}

pub const PRIMS: &[PrimDef] = prims![gravity, gravity_color, fall_objs, sort_lines];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run};

    #[test]
    fn cells_and_objects_fall() {
        let x = g(&["1020", "0000", "0300", "0000"]);
        assert_eq!(run("(gravity down input)", &x), "0000\n0000\n0000\n1320\n");
        assert_eq!(run("(gravity_color down 1 input)", &x), "0020\n0000\n0300\n1000\n");
        let y = g(&["1100", "0100", "0000", "0010"]);
        assert_eq!(run("(fall_objs down input)", &y), "0000\n0000\n1100\n0110\n");
    }
}
