//! Patterns: minimal periods and their continuation (repairing cells of an unknown colour,
//! tiling to a size) and denoising.

use super::args::{grid_at, pcolor};
use super::util::{Canvas, N8};
use super::{Na, ParamTy, PrimDef};
use crate::grid::{Color, Grid, MAX_SIDE, N_COLORS};

/// The smallest 2-D period `(py, px)` (by area, then rows) under which all cells of `g` that
/// are not `unknown` agree, and every residue class has a known cell; with its tile.
fn min_period(g: &Grid, unknown: Option<Color>) -> Option<(usize, usize, Vec<Color>)> {
    let (h, w) = g.shape();
    // An unknown colour absent from the grid leaves every cell known.
    let hist = g.histogram();
    let unknown = unknown.filter(|&u| hist[u as usize] > 0);
    let known = h * w - unknown.map_or(0, |u| hist[u as usize]);
    if unknown.is_none() {
        // With every cell known the row and column periods are independent, so the smallest
        // tile is the smallest row period by the smallest column period.
        let py = (1..=h).find(|&py| (0..h).all(|r| g.row(r) == g.row(r % py)))?;
        let px = (1..=w).find(|&px| (0..h).all(|r| (0..w).all(|c| g.get(r, c) == g.get(r, c % px))))?;
        let tile = (0..py * px).map(|i| g.get(i / px, i % px)).collect();
        return Some((py, px, tile));
    }
    // A 2-D period must already be a period of every row (px) and of every column (py) alone:
    // those cheap 1-D checks leave only a few candidates for the full one.
    let pxs: Vec<usize> = (1..=w).filter(|&px| lines_repeat(h, w, px, unknown, |r, c| g.get(r, c))).collect();
    let pys: Vec<usize> = (1..=h).filter(|&py| lines_repeat(w, h, py, unknown, |c, r| g.get(r, c))).collect();
    let mut cands: Vec<(usize, usize)> = pys.iter().flat_map(|&py| pxs.iter().map(move |&px| (py, px))).collect();
    cands.sort_by_key(|&(py, px)| (py * px, py));
    // Slots are stamped with the candidate's number, so no candidate pays to clear the tile.
    let mut slots: Vec<(usize, Color)> = vec![(0, 0); h * w];
    'next: for (stamp, (py, px)) in cands.into_iter().enumerate().map(|(i, c)| (i + 1, c)) {
        if py * px > known {
            // Candidates come by area: no larger tile can have a known cell in every slot.
            return None;
        }
        let mut filled = 0;
        for r in 0..h {
            for c in 0..w {
                let x = g.get(r, c);
                if Some(x) == unknown {
                    continue;
                }
                let slot = &mut slots[(r % py) * px + c % px];
                if slot.0 != stamp {
                    *slot = (stamp, x);
                    filled += 1;
                } else if slot.1 != x {
                    continue 'next;
                }
            }
        }
        if filled == py * px {
            return Some((py, px, slots[..py * px].iter().map(|&(_, x)| x).collect()));
        }
    }
    None
}

/// Whether each of `n` lines of `len` cells (cell `i` of line `l` is `at(l, i)`) repeats with
/// period `p`, cells of the `unknown` colour aside.
fn lines_repeat(n: usize, len: usize, p: usize, unknown: Option<Color>, at: impl Fn(usize, usize) -> Color) -> bool {
    (0..n).all(|l| {
        let mut seen: [Option<Color>; MAX_SIDE] = [None; MAX_SIDE];
        (0..len).all(|i| {
            let x = at(l, i);
            Some(x) == unknown || *seen[i % p].get_or_insert(x) == x
        })
    })
}

prim! {
    /// Fill cells of an unknown colour by continuing the grid's periodic tiling.
    pub(crate) fn repair(_ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let (py, px, tile) = min_period(g, Some(pcolor(p, 0))).ok_or(Na("no period"))?;
        if (py, px) == g.shape() {
            return Err(Na("not periodic"));
        }
        super::geom::build(g.h(), g.w(), |r, c| tile[(r % py) * px + c % px])
    }
}

prim! {
    /// Fill cells of an unknown colour from their mirror images about the centre lines and diagonals.
    pub(crate) fn repair_sym(_ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let u = pcolor(p, 0);
        let (h, w) = g.shape();
        let mut cv = Canvas::of(g);
        // The cell's images under the mirrors through the grid's centre (and the diagonals when square).
        let images = |r: usize, c: usize| {
            let mut v = vec![(r, w - 1 - c), (h - 1 - r, c), (h - 1 - r, w - 1 - c)];
            if h == w {
                v.extend([(c, r), (w - 1 - c, h - 1 - r)]);
            }
            v
        };
        // Two passes: a cell whose images are all unknown can take one filled in the first pass.
        for _ in 0..2 {
            for r in 0..h {
                for c in 0..w {
                    if cv.cells[r * w + c] == u {
                        let known = images(r, c).into_iter().map(|(y, x)| cv.cells[y * w + x]).find(|&x| x != u);
                        if let Some(x) = known {
                            cv.cells[r * w + c] = x;
                        }
                    }
                }
            }
        }
        if cv.cells.contains(&u) {
            return Err(Na("cells left unknown"));
        }
        cv.finish()
    }
}

prim! {
    /// The smallest tile whose repetition gives the grid.
    fn period_cell(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (py, px, tile) = min_period(g, None).ok_or(Na("no period"))?;
        super::geom::build(py, px, |r, c| tile[r * px + c])
    }
}

prim! {
    /// Continue the grid's periodic pattern to twice its width, height or both.
    fn extend_period(_ctx, p: [ParamTy::Choice(&["right", "down", "both"])], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (py, px, tile) = min_period(g, None).ok_or(Na("no period"))?;
        let (h, w) = match p[0] {
            0 => (g.h(), 2 * g.w()),
            1 => (2 * g.h(), g.w()),
            _ => (2 * g.h(), 2 * g.w()),
        };
        super::geom::build(h, w, |r, c| tile[(r % py) * px + c % px])
    }
}

prim! {
    /// Continue the grid's periodic pattern to h rows and w columns.
    fn tile_to(_ctx, p: [ParamTy::Int { min: 1, max: 30 }, ParamTy::Int { min: 1, max: 30 }], a: [Grid]) -> Grid, cost 3, search false {
        let g = grid_at(a, 0)?;
        let (py, px, tile) = min_period(g, None).ok_or(Na("no period"))?;
        super::geom::build(p[0] as usize, p[1] as usize, |r, c| tile[(r % py) * px + c % px])
    }
}

/// The most common colour among the 8 neighbours of `(r, c)` that `ok` accepts, if any.
fn neighbour_mode(cv: &Canvas, r: usize, c: usize, ok: impl Fn(Color) -> bool) -> Option<Color> {
    let around = N8.iter().filter_map(|&(dr, dc)| cv.at(r as i64 + dr, c as i64 + dc).filter(|&x| ok(x)));
    super::color::most_common(&super::color::histogram_of(around), None)
}

prim! {
    /// Remove cells with no neighbour (of 8) of their own colour.
    fn denoise(ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let src = Canvas::of(g);
        let mut cv = Canvas::of(g);
        for r in 0..g.h() {
            for c in 0..g.w() {
                let x = g.get(r, c);
                if x != bg && neighbour_mode(&src, r, c, |y| y == x).is_none() {
                    cv.put(r as i64, c as i64, bg);
                }
            }
        }
        cv.finish()
    }
}

prim! {
    /// Each cell takes the most common colour of its 3×3 neighbourhood.
    fn majority(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let src = Canvas::of(g);
        super::geom::build(g.h(), g.w(), |r, c| {
            let mut h = [0usize; N_COLORS];
            h[g.get(r, c) as usize] += 1;
            for &(dr, dc) in &N8 {
                if let Some(x) = src.at(r as i64 + dr, c as i64 + dc) {
                    h[x as usize] += 1;
                }
            }
            let own = g.get(r, c) as usize;
            let best = (0..N_COLORS).max_by_key(|&x| (h[x], x == own, std::cmp::Reverse(x))).unwrap_or(own);
            best as Color
        })
    }
}

prim! {
    /// Cells of a colour become the most common other colour.
    fn remove_color(_ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let c = pcolor(p, 0);
        let hist = g.histogram();
        let fill = (0..N_COLORS).filter(|&x| x != c as usize).max_by_key(|&x| (hist[x], std::cmp::Reverse(x))).unwrap_or(0);
        super::geom::build(g.h(), g.w(), |r, k| if g.get(r, k) == c { fill as Color } else { g.get(r, k) })
    }
}

prim! {
    /// Cells of a noise colour take the most common other colour around them.
    fn replace_noise(_ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let u = pcolor(p, 0);
        let mut cv = Canvas::of(g);
        for _ in 0..30 {
            let src = cv.clone();
            let mut changed = false;
            for r in 0..g.h() {
                for c in 0..g.w() {
                    if src.cells[r * g.w() + c] != u {
                        continue;
                    }
                    if let Some(x) = neighbour_mode(&src, r, c, |y| y != u) {
                        cv.put(r as i64, c as i64, x);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        cv.finish()
    }
}

pub const PRIMS: &[PrimDef] = prims![
    repair, repair_sym, period_cell, extend_period, tile_to, denoise, majority, remove_color, replace_noise,
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, try_run as run};

    #[test]
    fn periods() {
        let x = g(&["12312", "23123", "31200", "12312"]);
        assert_eq!(run("(repair 0 input)", &x).unwrap(), "12312\n23123\n31231\n12312\n");
        assert_eq!(run("(period_cell (repair 0 input))", &x).unwrap(), "123\n231\n312\n");
        assert_eq!(run("(tile_to 2 7 (repair 0 input))", &x).unwrap(), "1231231\n2312312\n");
        let y = g(&["000", "121", "212"]);
        assert_eq!(run("(extend_period right input)", &y).unwrap(), "000000\n121212\n212121\n");
        assert!(run("(repair 5 (period_cell (repair 0 input)))", &x).is_err());
    }

    #[test]
    fn noise() {
        let x = g(&["1000", "0022", "0022", "0000"]);
        assert_eq!(run("(denoise input)", &x).unwrap(), "0000\n0022\n0022\n0000\n");
        let y = g(&["1111", "1511", "1111"]);
        assert_eq!(run("(replace_noise 5 input)", &y).unwrap(), "1111\n1111\n1111\n");
        assert_eq!(run("(repair_sym 5 input)", &y).unwrap(), "1111\n1111\n1111\n");
        assert!(run("(repair_sym 5 input)", &g(&["5"])).is_err());
    }
}
