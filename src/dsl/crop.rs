//! Cropping and framing: crop to content, trim and add borders, pad, take halves, quadrants
//! and corners, resize, drop empty or repeated rows and columns. Background is colour 0.

use super::args::grid_at;
use super::color::{majority, minority};
use super::geom::{DIRS, build};
use super::{Na, ParamTy, PrimDef, PrimResult, Value};
use crate::grid::{Color, Grid};

/// Bounding box `(top, left, height, width)` of the cells whose colour satisfies `keep`.
pub(crate) fn bbox(g: &Grid, keep: impl Fn(Color) -> bool) -> Option<(usize, usize, usize, usize)> {
    let (mut top, mut left, mut bottom, mut right) = (usize::MAX, usize::MAX, 0, 0);
    for r in 0..g.h() {
        for (c, &v) in g.row(r).iter().enumerate() {
            if keep(v) {
                top = top.min(r);
                left = left.min(c);
                bottom = bottom.max(r);
                right = right.max(c);
            }
        }
    }
    (top != usize::MAX).then(|| (top, left, bottom - top + 1, right - left + 1))
}

/// The `h × w` part of `g` whose top-left corner is `(top, left)`, or `Na` when it leaves `g`.
pub(crate) fn subgrid(g: &Grid, top: usize, left: usize, h: usize, w: usize) -> Result<Grid, Na> {
    if top + h > g.h() || left + w > g.w() {
        return Err(Na("window outside the grid"));
    }
    Grid::from_fn(h, w, |r, c| g.get(top + r, left + c)).map_err(|_| Na("empty window"))
}

/// [`subgrid`] as a primitive result.
fn window(g: &Grid, top: usize, left: usize, h: usize, w: usize) -> PrimResult {
    subgrid(g, top, left, h, w).map(Value::Grid)
}

/// Crops to the bounding box of the cells whose colour satisfies `keep`.
fn crop_where(g: &Grid, keep: impl Fn(Color) -> bool) -> PrimResult {
    let (t, l, h, w) = bbox(g, keep).ok_or(Na("no cell to crop to"))?;
    window(g, t, l, h, w)
}

prim! {
    /// Crop to the bounding box of the non-zero cells.
    fn crop(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        crop_where(grid_at(a, 0)?, |v| v != 0)
    }
}

prim! {
    /// Crop to the bounding box of the cells of one colour.
    fn crop_color(_ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let color = p[0] as Color;
        crop_where(grid_at(a, 0)?, |v| v == color)
    }
}

prim! {
    /// Crop to the bounding box of the cells not of the most common colour.
    fn crop_nonmajority(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = majority(g);
        crop_where(g, |v| v != bg)
    }
}

prim! {
    /// Crop to the bounding box of the cells of the least common colour.
    fn crop_minority(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let minor = minority(g);
        crop_where(g, |v| v == minor)
    }
}

prim! {
    /// Remove a border n cells wide from every side.
    fn trim(_ctx, p: [ParamTy::Int { min: 1, max: 3 }], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let k = p[0] as usize;
        if 2 * k >= g.h() || 2 * k >= g.w() {
            return Err(Na("grid too small to trim"));
        }
        window(g, k, k, g.h() - 2 * k, g.w() - 2 * k)
    }
}

prim! {
    /// Surround the grid with a one-cell border of a colour.
    fn add_border(_ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let color = p[0] as Color;
        build(
            g.h() + 2,
            g.w() + 2,
            |r, c| {
                if r == 0 || c == 0 || r > g.h() || c > g.w() { color } else { g.get(r - 1, c - 1) }
            },
        )
    }
}

prim! {
    /// Paint the outermost ring of cells in a colour (the size stays the same).
    fn frame(_ctx, p: [ParamTy::Paint], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let color = p[0] as Color;
        let (h, w) = g.shape();
        build(h, w, |r, c| if r == 0 || c == 0 || r + 1 == h || c + 1 == w { color } else { g.get(r, c) })
    }
}

prim! {
    /// Add n rows or columns of 0 on one side.
    fn pad_side(_ctx, p: [DIRS, ParamTy::Int { min: 1, max: 9 }], a: [Grid]) -> Grid, cost 3 {
        let g = grid_at(a, 0)?;
        let n = p[1] as usize;
        let (top, bottom, left, right) = match p[0] {
            0 => (n, 0, 0, 0),
            1 => (0, n, 0, 0),
            2 => (0, 0, n, 0),
            _ => (0, 0, 0, n),
        };
        build(g.h() + top + bottom, g.w() + left + right, |r, c| {
            g.get_checked(r as i64 - top as i64, c as i64 - left as i64).unwrap_or(0)
        })
    }
}

prim! {
    /// Take one half of the grid (an odd middle row or column is left out).
    fn half(_ctx, p: [ParamTy::Choice(&["top", "bottom", "left", "right"])], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let (h2, w2) = (g.h() / 2, g.w() / 2);
        match p[0] {
            0 if h2 > 0 => window(g, 0, 0, h2, g.w()),
            1 if h2 > 0 => window(g, g.h() - h2, 0, h2, g.w()),
            2 if w2 > 0 => window(g, 0, 0, g.h(), w2),
            3 if w2 > 0 => window(g, 0, g.w() - w2, g.h(), w2),
            _ => Err(Na("grid too small to halve")),
        }
    }
}

/// The `h × w` window in corner `corner` (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right).
fn corner_window(g: &Grid, corner: i8, h: usize, w: usize) -> PrimResult {
    if h == 0 || w == 0 || h > g.h() || w > g.w() {
        return Err(Na("corner larger than the grid"));
    }
    let top = if corner >= 2 { g.h() - h } else { 0 };
    let left = if corner % 2 == 1 { g.w() - w } else { 0 };
    window(g, top, left, h, w)
}

prim! {
    /// Take one quarter of the grid (an odd middle row or column is left out).
    fn quadrant(_ctx, p: [CORNERS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        corner_window(g, p[0], g.h() / 2, g.w() / 2)
    }
}

prim! {
    /// Take the n×n square in one corner.
    fn corner(_ctx, p: [CORNERS, ParamTy::Int { min: 1, max: 9 }], a: [Grid]) -> Grid, cost 3 {
        let k = p[1] as usize;
        corner_window(grid_at(a, 0)?, p[0], k, k)
    }
}

prim! {
    /// Crop or pad with 0 (anchored top-left) to h rows by w columns.
    fn resize(_ctx, p: [ParamTy::Int { min: 1, max: 30 }, ParamTy::Int { min: 1, max: 30 }], a: [Grid]) -> Grid, cost 3, search false {
        let g = grid_at(a, 0)?;
        let (h, w) = (p[0] as usize, p[1] as usize);
        if (h, w) == g.shape() {
            return Err(Na("already that size"));
        }
        build(h, w, |r, c| if r < g.h() && c < g.w() { g.get(r, c) } else { 0 })
    }
}

/// The grid made of the rows `rows` and columns `cols` of `g`, in order.
pub(crate) fn select(g: &Grid, rows: &[usize], cols: &[usize]) -> PrimResult {
    build(rows.len(), cols.len(), |r, c| g.get(rows[r], cols[c]))
}

/// Indices of the rows of `g` (columns when `by_col`) that are not all 0.
fn nonempty_lines(g: &Grid, by_col: bool) -> Vec<usize> {
    let (n, m) = if by_col { (g.w(), g.h()) } else { (g.h(), g.w()) };
    (0..n).filter(|&i| (0..m).any(|j| if by_col { g.get(j, i) } else { g.get(i, j) } != 0)).collect()
}

/// Indices of the rows (columns when `by_col`) that differ from the one before.
fn distinct_lines(g: &Grid, by_col: bool) -> Vec<usize> {
    let (n, m) = if by_col { (g.w(), g.h()) } else { (g.h(), g.w()) };
    let same = |i: usize, k: usize| {
        (0..m).all(|j| if by_col { g.get(j, i) == g.get(j, k) } else { g.get(i, j) == g.get(k, j) })
    };
    (0..n).filter(|&i| i == 0 || !same(i, i - 1)).collect()
}

prim! {
    /// Remove the rows that are all 0.
    fn drop_empty_rows(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        select(g, &nonempty_lines(g, false), &(0..g.w()).collect::<Vec<_>>())
    }
}

prim! {
    /// Remove the columns that are all 0.
    fn drop_empty_cols(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        select(g, &(0..g.h()).collect::<Vec<_>>(), &nonempty_lines(g, true))
    }
}

prim! {
    /// Remove the rows and the columns that are all 0.
    fn drop_empty(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        select(g, &nonempty_lines(g, false), &nonempty_lines(g, true))
    }
}

prim! {
    /// Collapse runs of identical adjacent rows to one row.
    fn dedupe_rows(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        select(g, &distinct_lines(g, false), &(0..g.w()).collect::<Vec<_>>())
    }
}

prim! {
    /// Collapse runs of identical adjacent columns to one column.
    fn dedupe_cols(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        select(g, &(0..g.h()).collect::<Vec<_>>(), &distinct_lines(g, true))
    }
}

prim! {
    /// Collapse runs of identical adjacent rows, then of columns.
    fn dedupe(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        select(g, &distinct_lines(g, false), &distinct_lines(g, true))
    }
}

/// The four corners as parameter choices.
pub const CORNERS: ParamTy = ParamTy::Choice(&["tl", "tr", "bl", "br"]);

pub const PRIMS: &[PrimDef] = prims![
    crop, crop_color, crop_nonmajority, crop_minority, trim, add_border, frame, pad_side, half, quadrant,
    corner, resize, drop_empty_rows, drop_empty_cols, drop_empty, dedupe_rows, dedupe_cols, dedupe,
];
