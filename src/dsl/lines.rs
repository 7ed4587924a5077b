//! Lines drawn from what the grid holds: cells shot toward the largest object, odd cells shot
//! through their object like arrows, diagonal segments continued from their tips, rays from
//! outer corners, dashed rays, L-shaped paths between two cells, stripes through seed cells
//! repeated at their spacing, runs of cells continued at their period, partly drawn rows or
//! columns completed from a full one, lines through objects' centres, and a spiral.

use super::args::{grid_at, pcolor, dir_step};
use super::geom::DIRS;
use super::util::{AXES, Canvas, N4, N8, components, fg_cells};
use super::{Ctx, Na, ParamTy, PrimDef};
use crate::grid::{Color, Grid, N_COLORS};

/// The four diagonal steps: up-left, up-right, down-left, down-right.
const DIAGONALS: &[(i64, i64)] = N8.split_at(4).1;
/// Most seed cells [`stripes`] repeats.
const MAX_SEEDS: usize = 10;
/// The diagonal directions of [`corner_rays`], in the order of [`DIAGONALS`].
const DIAG_DIRS: ParamTy = ParamTy::Choice(&["up_left", "up_right", "down_left", "down_right"]);

/// Paints the background cells from `(r, c)` (exclusive) stepping by `(dr, dc)` up to the first
/// other cell or the edge; the `k`-th cell (counting from 1) takes `color(k)`.
fn ray_over_bg(ctx: &Ctx, cv: &mut Canvas, g: &Grid, (r, c): (i64, i64), (dr, dc): (i64, i64), color: impl Fn(i64) -> Color) {
    let bg = ctx.bg(g);
    let mut k = 1;
    while g.get_checked(r + k * dr, c + k * dc) == Some(bg) {
        cv.put(r + k * dr, c + k * dc, color(k));
        k += 1;
    }
}

/// Paints the background cells from `(r, c)` (exclusive) stepping by `(dr, dc)` with `color`
/// when the walk over background ends on a cell for which `stop` holds.
fn shoot_until(
    ctx: &Ctx,
    cv: &mut Canvas,
    g: &Grid,
    (r, c): (i64, i64),
    (dr, dc): (i64, i64),
    color: Color,
    stop: impl Fn(i64, i64) -> bool,
) {
    let bg = ctx.bg(g);
    let mut k = 1;
    while g.get_checked(r + k * dr, c + k * dc) == Some(bg) {
        k += 1;
    }
    let end = (r + k * dr, c + k * dc);
    if k > 1 && g.get_checked(end.0, end.1).is_some() && stop(end.0, end.1) {
        for j in 1..k {
            cv.put(r + j * dr, c + j * dc, color);
        }
    }
}

prim! {
    /// Extend each cell outside the largest object straight to that object when it lies in line across background.
    fn shoot(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let objs = components(g, true, true, bg);
        let sizes: Vec<usize> = objs.iter().map(|o| o.mask.iter().filter(|&&m| m).count()).collect();
        let most = sizes.iter().copied().max().ok_or(Na("no object"))?;
        if sizes.iter().filter(|&&n| n == most).count() > 1 {
            return Err(Na("no single largest object"));
        }
        let largest = &objs[sizes.iter().position(|&n| n == most).unwrap_or(0)];
        let inside = |r: i64, c: i64| {
            let (y, x) = (r - largest.top as i64, c - largest.left as i64);
            y >= 0
                && x >= 0
                && largest.grid.get_checked(y, x).is_some()
                && largest.mask[y as usize * largest.grid.w() + x as usize]
        };
        let mut cv = Canvas::of(g);
        for r in 0..g.h() as i64 {
            for c in 0..g.w() as i64 {
                let color = g.get(r as usize, c as usize);
                if color != bg && !inside(r, c) {
                    for step in N4 {
                        shoot_until(ctx, &mut cv, g, (r, c), step, color, inside);
                    }
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Shoot a line from each object's one odd-coloured cell through the object and on to the edge.
    fn shoot_through(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        let mut drawn = false;
        for o in components(g, true, true, bg).iter() {
            let w = o.grid.w();
            let cells: Vec<(i64, i64, Color)> = (0..o.mask.len())
                .filter(|&i| o.mask[i])
                .map(|i| ((o.top + i / w) as i64, (o.left + i % w) as i64, o.grid.cells()[i]))
                .collect();
            // The odd cell: the only one of its colour, in an object of one other colour.
            let count = |v: Color| cells.iter().filter(|x| x.2 == v).count();
            let odd: Vec<&(i64, i64, Color)> = cells.iter().filter(|x| count(x.2) == 1).collect();
            let [&(r, c, color)] = odd[..] else { continue };
            let main = cells.iter().find(|x| x.2 != color).map(|x| x.2);
            if cells.len() < 3 || cells.iter().any(|x| x.2 != color && Some(x.2) != main) {
                continue;
            }
            // The object's mass lies ahead of the odd cell: step along the axis where it lies farther.
            let (sr, sc) = cells.iter().fold((0, 0), |(a, b), x| (a + x.0 - r, b + x.1 - c));
            let step = match sr.abs().cmp(&sc.abs()) {
                std::cmp::Ordering::Greater => (sr.signum(), 0),
                std::cmp::Ordering::Less => (0, sc.signum()),
                std::cmp::Ordering::Equal => continue,
            };
            let inside = |y: i64, x: i64| cells.iter().any(|z| (z.0, z.1) == (y, x));
            let (mut y, mut x) = (r + step.0, c + step.1);
            while let Some(v) = g.get_checked(y, x) {
                if v == bg {
                    cv.put(y, x, color);
                } else if !inside(y, x) {
                    break;
                }
                y += step.0;
                x += step.1;
            }
            drawn = true;
        }
        if !drawn {
            return Err(Na("no object with one odd cell"));
        }
        cv.finish()
    }
}

prim! {
    /// Continue every diagonal segment of one colour from its tips over background to the edge.
    fn extend_diag(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        for (r, c, color) in fg_cells(g, bg) {
            let (r, c) = (r as i64, c as i64);
            let same = |y: i64, x: i64| g.get_checked(y, x) == Some(color);
            for &(dr, dc) in DIAGONALS {
                // A tip: the cell behind it on the diagonal continues the segment, the two cells
                // beside that one do not (so a block's corner is no tip).
                if same(r - dr, c - dc) && !same(r - dr, c) && !same(r, c - dc) {
                    ray_over_bg(ctx, &mut cv, g, (r, c), (dr, dc), |_| color);
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Join each cell of one colour to the nearest cell of another colour by an L-shaped path (its row first) in a colour.
    fn elbow(ctx, p: [ParamTy::Color, ParamTy::Paint], a: [Grid]) -> Grid, cost 3 {
        let g = grid_at(a, 0)?;
        let (from, color, bg) = (pcolor(p, 0), pcolor(p, 1), ctx.bg(g));
        let cells: Vec<(i64, i64, Color)> = fg_cells(g, bg).map(|(r, c, v)| (r as i64, c as i64, v)).collect();
        let starts: Vec<&(i64, i64, Color)> = cells.iter().filter(|x| x.2 == from).collect();
        if from == bg || starts.is_empty() {
            return Err(Na("no cell of the colour"));
        }
        let mut cv = Canvas::of(g);
        for &&(r, c, _) in &starts {
            // The nearest cell of another colour (city-block distance, ties to the first in reading order).
            let Some(&(tr, tc, _)) = cells.iter().filter(|x| x.2 != from).min_by_key(|x| (x.0 - r).abs() + (x.1 - c).abs())
            else {
                return Err(Na("no other cell"));
            };
            let along = |cv: &mut Canvas, (y0, x0): (i64, i64), (y1, x1): (i64, i64)| {
                let (dy, dx) = ((y1 - y0).signum(), (x1 - x0).signum());
                let (mut y, mut x) = (y0, x0);
                while (y, x) != (y1, x1) {
                    if g.get_checked(y, x) == Some(bg) {
                        cv.put(y, x, color);
                    }
                    y += dy;
                    x += dx;
                }
            };
            along(&mut cv, (r, c), (r, tc));
            along(&mut cv, (r, tc), (tr, tc));
        }
        cv.finish()
    }
}

prim! {
    /// Repeat full lines through a few evenly spaced seed cells across the grid, cycling their colours.
    fn stripes(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut seeds: Vec<(usize, usize, Color)> = fg_cells(g, bg).collect();
        if !(2..=MAX_SEEDS).contains(&seeds.len()) {
            return Err(Na("not a few seed cells"));
        }
        let distinct = |key: fn(&(usize, usize, Color)) -> usize| {
            let mut ks: Vec<usize> = seeds.iter().map(key).collect();
            ks.sort_unstable();
            ks.dedup();
            ks.len() == seeds.len()
        };
        // Columns when the seeds sit in distinct columns and the grid is not taller than wide, or
        // the rows would not do; otherwise rows.
        let (by_cols, by_rows) = (distinct(|s| s.1), distinct(|s| s.0));
        let cols = by_cols && (!by_rows || g.w() >= g.h());
        if !by_cols && !by_rows {
            return Err(Na("seeds share rows and columns"));
        }
        let pos = |s: &(usize, usize, Color)| if cols { s.1 } else { s.0 };
        seeds.sort_by_key(pos);
        let gap = pos(&seeds[1]) - pos(&seeds[0]);
        if seeds.windows(2).any(|w| pos(&w[1]) - pos(&w[0]) != gap) {
            return Err(Na("seeds unevenly spaced"));
        }
        let (len, across) = if cols { (g.w(), g.h()) } else { (g.h(), g.w()) };
        let mut cv = Canvas::of(g);
        for (k, at) in (pos(&seeds[0])..len).step_by(gap).enumerate() {
            let color = seeds[k % seeds.len()].2;
            for j in 0..across {
                let (r, c) = if cols { (j, at) } else { (at, j) };
                cv.put(r as i64, c as i64, color);
            }
        }
        cv.finish()
    }
}

prim! {
    /// Extend a diagonal ray over background from each outer corner of the cells of a colour.
    fn corner_rays(ctx, p: [DIAG_DIRS, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (dr, dc) = DIAGONALS[p[0].clamp(0, 3) as usize];
        let (color, bg) = (pcolor(p, 1), ctx.bg(g));
        if color == bg || g.histogram()[color as usize] == 0 {
            return Err(Na("no cell of the colour"));
        }
        let mut cv = Canvas::of(g);
        for r in 0..g.h() as i64 {
            for c in 0..g.w() as i64 {
                let same = |y: i64, x: i64| g.get_checked(y, x) == Some(color);
                // An outer corner: neither orthogonal neighbour on the ray's side holds the colour.
                if same(r, c) && !same(r + dr, c) && !same(r, c + dc) {
                    ray_over_bg(ctx, &mut cv, g, (r, c), (dr, dc), |_| color);
                }
            }
        }
        cv.finish()
    }
}

/// The smallest period of a sequence.
fn smallest_period(s: &[Color]) -> usize {
    (1..s.len()).find(|&p| (p..s.len()).all(|i| s[i] == s[i - p])).unwrap_or(s.len())
}

/// The cells of line `i` (a row when `horizontal`) as `(r, c)` positions.
fn line_cells(g: &Grid, horizontal: bool, i: usize) -> Vec<(usize, usize)> {
    if horizontal { (0..g.w()).map(|c| (i, c)).collect() } else { (0..g.h()).map(|r| (r, i)).collect() }
}

prim! {
    /// Continue each run of non-background cells of more than one colour along its row (h) or column (v) at its period.
    fn continue_runs(ctx, p: [AXES], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut cv = Canvas::of(g);
        let passes: &[bool] = match p[0] {
            0 => &[true],
            1 => &[false],
            _ => &[true, false],
        };
        for &horizontal in passes {
            for i in 0..if horizontal { g.h() } else { g.w() } {
                let cells = line_cells(g, horizontal, i);
                let line: Vec<Color> = cells.iter().map(|&(r, c)| g.get(r, c)).collect();
                let mut start = 0;
                while start < line.len() {
                    let end = (start..line.len()).find(|&j| line[j] == bg).unwrap_or(line.len());
                    let period = smallest_period(&line[start..end]);
                    // A run of one colour is a plain line (see `lines`, `rays`): only patterns continue.
                    if period > 1 {
                        // Every background cell of the line continues the run at its period.
                        for (j, &(r, c)) in cells.iter().enumerate().filter(|&(j, _)| line[j] == bg) {
                            let k = (j as i64 - start as i64).rem_euclid(period as i64) as usize;
                            cv.put(r as i64, c as i64, line[start + k]);
                        }
                    }
                    start = end + 1;
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Draw the row (h), column (v) or both through each object's centre cell in a colour over background.
    fn centre_lines(ctx, p: [AXES, ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (color, bg) = (pcolor(p, 1), ctx.bg(g));
        let mut cv = Canvas::of(g);
        let mut drawn = false;
        for o in components(g, true, true, bg).iter() {
            let (h, w) = o.grid.shape();
            if h % 2 == 0 || w % 2 == 0 {
                continue;
            }
            let (r, c) = (o.top + h / 2, o.left + w / 2);
            let mut cells = Vec::new();
            if p[0] != 1 {
                cells.extend(line_cells(g, true, r));
            }
            if p[0] != 0 {
                cells.extend(line_cells(g, false, c));
            }
            for (y, x) in cells.into_iter().filter(|&(y, x)| g.get(y, x) == bg) {
                cv.put(y as i64, x as i64, color);
            }
            drawn = true;
        }
        if !drawn {
            return Err(Na("no object with a centre cell"));
        }
        cv.finish()
    }
}

prim! {
    /// Extend a dashed ray over background from every cell: a new colour and the cell's own in turn.
    fn rays_alt(ctx, p: [DIRS, ParamTy::Paint], a: [Grid]) -> Grid, cost 3 {
        let g = grid_at(a, 0)?;
        let (step, other, bg) = (dir_step(p[0]), pcolor(p, 1), ctx.bg(g));
        if g.histogram()[other as usize] > 0 {
            return Err(Na("the dash colour is already in the grid"));
        }
        let mut cv = Canvas::of(g);
        for r in 0..g.h() as i64 {
            for c in 0..g.w() as i64 {
                let own = g.get(r as usize, c as usize);
                if own != bg && own != other {
                    ray_over_bg(ctx, &mut cv, g, (r, c), step, |k| if k % 2 == 1 { other } else { own });
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Complete each partly drawn row (h) or column (v) from a full one whose colours map one to one onto it.
    fn complete_lines(ctx, p: [ParamTy::Choice(&["h", "v"])], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let horizontal = p[0] == 0;
        let n = if horizontal { g.h() } else { g.w() };
        let lines: Vec<Vec<Color>> =
            (0..n).map(|i| line_cells(g, horizontal, i).iter().map(|&(r, c)| g.get(r, c)).collect()).collect();
        let full: Vec<&Vec<Color>> = lines.iter().filter(|l| !l.contains(&bg)).collect();
        let mut cv = Canvas::of(g);
        let mut done = false;
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.contains(&bg) && l.iter().any(|&v| v != bg)) {
            // The first full line whose colours map one to one onto this line's drawn cells.
            let mapped = full.iter().find_map(|t| {
                let mut map = [None; N_COLORS];
                for (&from, &to) in t.iter().zip(line).filter(|&(_, &v)| v != bg) {
                    if *map[from as usize].get_or_insert(to) != to {
                        return None;
                    }
                }
                let image: Vec<Color> = map.iter().flatten().copied().collect();
                let one_to_one = (1..image.len()).all(|k| !image[..k].contains(&image[k]));
                let out: Option<Vec<Color>> = t.iter().map(|&v| map[v as usize]).collect();
                out.filter(|_| one_to_one)
            });
            if let Some(out) = mapped {
                for (&(r, c), v) in line_cells(g, horizontal, i).iter().zip(out) {
                    cv.put(r as i64, c as i64, v);
                }
                done = true;
            }
        }
        if !done {
            return Err(Na("no line to complete"));
        }
        cv.finish()
    }
}

prim! {
    /// Draw a clockwise spiral of a colour on an empty grid from the top-left corner, its turns one cell apart.
    fn spiral(ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 3 {
        let g = grid_at(a, 0)?;
        let (color, bg) = (pcolor(p, 0), ctx.bg(g));
        if color == bg || g.cells().iter().any(|&v| v != bg) {
            return Err(Na("the grid is not empty"));
        }
        let mut cv = Canvas::of(g);
        let free = |cv: &Canvas, r: i64, c: i64| cv.at(r, c) == Some(bg);
        let steps = [(0, 1), (1, 0), (0, -1), (-1, 0)];
        let (mut r, mut c, mut d, mut turns) = (0i64, 0i64, 0usize, 0);
        cv.put(0, 0, color);
        // Walk clockwise from the top-left corner, turning where the next cell is taken or would
        // touch the spiral head-on (leaving a one-cell gap); two turns in a row end the walk.
        while turns < 2 {
            let (dr, dc) = steps[d];
            let ahead = cv.at(r + 2 * dr, c + 2 * dc);
            if free(&cv, r + dr, c + dc) && (ahead.is_none() || ahead == Some(bg)) {
                r += dr;
                c += dc;
                cv.put(r, c, color);
                turns = 0;
            } else {
                d = (d + 1) % 4;
                turns += 1;
            }
        }
        cv.finish()
    }
}

pub const PRIMS: &[PrimDef] = prims![
    shoot, shoot_through, extend_diag, elbow, stripes, corner_rays, continue_runs, centre_lines, rays_alt,
    complete_lines, spiral,
];

#[cfg(test)]
mod tests;
