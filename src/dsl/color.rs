//! Colour: recolouring, filtering, colour statistics. Background is colour 0 unless a
//! primitive says "majority" (the most common colour of the grid).

use super::args::{grid_at, valid_color_at};
use super::geom::build;
use super::{Na, ParamTy, PrimDef, PrimResult, Value};
use crate::grid::{Color, Grid, N_COLORS};

/// The colour counts of `cells`.
pub(crate) fn histogram_of(cells: impl IntoIterator<Item = Color>) -> [usize; N_COLORS] {
    let mut h = [0usize; N_COLORS];
    for c in cells {
        h[c as usize] += 1;
    }
    h
}

/// The most common colour among `hist` counts, skipping `skip`; ties: the lowest colour. `None`
/// when no other colour is present. Every "most common colour" of the DSL is this one.
pub(crate) fn most_common(hist: &[usize; N_COLORS], skip: Option<Color>) -> Option<Color> {
    (0..N_COLORS)
        .filter(|&c| hist[c] > 0 && Some(c as Color) != skip)
        .max_by_key(|&c| (hist[c], std::cmp::Reverse(c)))
        .map(|c| c as Color)
}

/// The most common colour among `hist` counts (ties: the lowest colour); 0 when there are none.
pub(crate) fn majority_of(hist: &[usize; N_COLORS]) -> Color {
    most_common(hist, None).unwrap_or(0)
}

/// The most common colour of a grid (ties: the lowest colour): its plain background.
pub(crate) fn majority(g: &Grid) -> Color {
    majority_of(&g.histogram())
}

/// The most common colour over all these grids together (ties: the lowest colour): one
/// background for a set of grids, so that features read on each of them mean the same.
pub(crate) fn background(grids: &[&Grid]) -> Color {
    let mut n = [0usize; N_COLORS];
    for g in grids {
        for (c, k) in g.histogram().iter().enumerate() {
            n[c] += k;
        }
    }
    majority_of(&n)
}

/// The least common colour present (ties: the lowest colour).
pub(crate) fn minority(g: &Grid) -> Color {
    least_common(&g.histogram(), None).unwrap_or(0)
}

/// The least common present colour among `hist` counts, skipping `skip`; ties: the lowest colour.
fn least_common(hist: &[usize; N_COLORS], skip: Option<Color>) -> Option<Color> {
    (0..N_COLORS).filter(|&c| hist[c] > 0 && Some(c as Color) != skip).min_by_key(|&c| (hist[c], c)).map(|c| c as Color)
}

/// The colours present among `hist` counts other than `skip`, with their counts, most common
/// first (ties: the lowest colour first).
pub(crate) fn by_frequency(hist: &[usize; N_COLORS], skip: Color) -> Vec<(Color, usize)> {
    let mut v: Vec<(Color, usize)> =
        (0..N_COLORS).filter(|&c| c != skip as usize && hist[c] > 0).map(|c| (c as Color, hist[c])).collect();
    v.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    v
}

/// Present non-zero colours, most common first (ties: the lowest colour first).
pub(crate) fn fg_by_frequency(g: &Grid) -> Vec<Color> {
    by_frequency(&g.histogram(), 0).into_iter().map(|(c, _)| c).collect()
}

/// Applies a colour table to every cell.
fn map_colors(g: &Grid, table: &[Color; N_COLORS]) -> PrimResult {
    let cells = g.cells().iter().map(|&c| table[c as usize]).collect();
    Grid::from_cells(g.h(), g.w(), cells).map(Value::Grid).map_err(|_| Na("invalid colour table"))
}

/// The identity colour table.
fn identity_table() -> [Color; N_COLORS] {
    std::array::from_fn(|c| c as Color)
}

prim! {
    /// Recolour every cell of one colour to another.
    fn recolor(_ctx, p: [C, P], a: [Grid]) -> Grid, cost 1 {
        let (from, to) = (p[0] as Color, p[1] as Color);
        if from == to {
            return Err(Na("recolour to the same colour"));
        }
        let mut t = identity_table();
        t[from as usize] = to;
        map_colors(grid_at(a, 0)?, &t)
    }
}

prim! {
    /// Exchange two colours (the lower colour is written first).
    fn swap_colors(_ctx, p: [C, C], a: [Grid]) -> Grid, cost 2 {
        let (x, y) = (p[0] as Color, p[1] as Color);
        if x >= y {
            return Err(Na("swap needs two colours, the lower first"));
        }
        let mut t = identity_table();
        t.swap(x as usize, y as usize);
        map_colors(grid_at(a, 0)?, &t)
    }
}

prim! {
    /// Keep only the cells of one colour; every other cell becomes 0.
    fn keep_color(_ctx, p: [C], a: [Grid]) -> Grid, cost 1 {
        let keep = p[0] as Color;
        let g = grid_at(a, 0)?;
        build(g.h(), g.w(), |r, c| if g.get(r, c) == keep { keep } else { 0 })
    }
}

prim! {
    /// Recolour the most common colour (the background) to a colour.
    fn recolor_majority(_ctx, p: [P], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (from, to) = (majority(g), p[0] as Color);
        if from == to {
            return Err(Na("the majority colour is already that colour"));
        }
        let mut t = identity_table();
        t[from as usize] = to;
        map_colors(g, &t)
    }
}

prim! {
    /// Recolour every cell not of the most common colour to one colour.
    fn recolor_nonmajority(_ctx, p: [P], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (bg, to) = (majority(g), p[0] as Color);
        build(g.h(), g.w(), |r, c| if g.get(r, c) == bg { bg } else { to })
    }
}

prim! {
    /// Paint the whole grid in its most common colour.
    fn fill_majority(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = majority(g);
        if g.cells().iter().all(|&v| v == bg) {
            return Err(Na("already one colour"));
        }
        build(g.h(), g.w(), |_, _| bg)
    }
}

/// Every non-zero cell becomes `to`.
fn paint_fg_with(g: &Grid, to: Color) -> PrimResult {
    let mut t = [to; N_COLORS];
    t[0] = 0;
    map_colors(g, &t)
}

prim! {
    /// Recolour every non-zero cell to one colour.
    fn paint_fg(_ctx, p: [P], a: [Grid]) -> Grid, cost 1 {
        paint_fg_with(grid_at(a, 0)?, p[0] as Color)
    }
}

prim! {
    /// Recolour every non-zero cell to a computed colour.
    fn paint_fg_as(_ctx, _: [], a: [Grid, Color]) -> Grid, cost 2 {
        paint_fg_with(grid_at(a, 0)?, valid_color_at(a, 1)?)
    }
}

prim! {
    /// The most common colour (ties: the lowest).
    fn major_color(_ctx, _: [], a: [Grid]) -> Color, cost 1 {
        Ok(Value::Color(majority(grid_at(a, 0)?)))
    }
}

prim! {
    /// The least common colour present (ties: the lowest).
    fn minor_color(_ctx, _: [], a: [Grid]) -> Color, cost 1 {
        Ok(Value::Color(minority(grid_at(a, 0)?)))
    }
}

prim! {
    /// The most common non-zero colour (ties: the lowest).
    fn major_fg_color(_ctx, _: [], a: [Grid]) -> Color, cost 1 {
        most_common(&grid_at(a, 0)?.histogram(), Some(0)).map(Value::Color).ok_or(Na("no non-zero colour"))
    }
}

prim! {
    /// The least common non-zero colour present (ties: the lowest).
    fn minor_fg_color(_ctx, _: [], a: [Grid]) -> Color, cost 1 {
        least_common(&grid_at(a, 0)?.histogram(), Some(0)).map(Value::Color).ok_or(Na("no non-zero colour"))
    }
}

/// A 1×1 grid of colour `c`.
fn cell(c: Color) -> PrimResult {
    build(1, 1, |_, _| c)
}

prim! {
    /// A 1×1 grid of the most common colour.
    fn major_cell(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        cell(majority(grid_at(a, 0)?))
    }
}

prim! {
    /// A 1×1 grid of the least common colour present.
    fn minor_cell(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        cell(minority(grid_at(a, 0)?))
    }
}

prim! {
    /// A 1×1 grid of the most common non-zero colour.
    fn major_fg_cell(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        cell(most_common(&grid_at(a, 0)?.histogram(), Some(0)).ok_or(Na("no non-zero colour"))?)
    }
}

prim! {
    /// A 1×1 grid of a computed colour.
    fn color_cell(_ctx, _: [], a: [Color]) -> Grid, cost 1 {
        cell(valid_color_at(a, 0)?)
    }
}

prim! {
    /// The number of distinct non-zero colours.
    fn color_count(_ctx, _: [], a: [Grid]) -> Int, cost 1 {
        let h = grid_at(a, 0)?.histogram();
        Ok(Value::Int(h[1..].iter().filter(|&&n| n > 0).count() as i64))
    }
}

prim! {
    /// Exchange the two colours of a two-colour grid.
    fn invert(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let h = g.histogram();
        let present: Vec<usize> = (0..N_COLORS).filter(|&c| h[c] > 0).collect();
        let [x, y] = present[..] else { return Err(Na("not a two-colour grid")) };
        let mut t = identity_table();
        t.swap(x, y);
        map_colors(g, &t)
    }
}

prim! {
    /// Recolour non-zero colours by frequency rank: the most common becomes 1, the next 2, and so on.
    fn rank_colors(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let order = fg_by_frequency(g);
        if order.is_empty() {
            return Err(Na("no non-zero colour"));
        }
        let mut t = identity_table();
        for (rank, &c) in order.iter().enumerate() {
            t[c as usize] = rank as Color + 1;
        }
        map_colors(g, &t)
    }
}

prim! {
    /// Permute non-zero colours so the most common takes the least common's colour, and so on.
    fn reverse_ranks(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let order = fg_by_frequency(g);
        if order.len() < 2 {
            return Err(Na("fewer than two non-zero colours"));
        }
        let mut t = identity_table();
        for (&c, &d) in order.iter().zip(order.iter().rev()) {
            t[c as usize] = d;
        }
        map_colors(g, &t)
    }
}

prim! {
    /// Keep only the most common non-zero colour; the rest becomes 0.
    fn keep_major_fg(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let keep = *fg_by_frequency(g).first().ok_or(Na("no non-zero colour"))?;
        build(g.h(), g.w(), |r, c| if g.get(r, c) == keep { keep } else { 0 })
    }
}

prim! {
    /// Erase (set to 0) the most common non-zero colour.
    fn erase_major_fg(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let erase = *fg_by_frequency(g).first().ok_or(Na("no non-zero colour"))?;
        build(g.h(), g.w(), |r, c| if g.get(r, c) == erase { 0 } else { g.get(r, c) })
    }
}

const C: ParamTy = ParamTy::Color;
const P: ParamTy = ParamTy::Paint;

pub const PRIMS: &[PrimDef] = prims![
    recolor, swap_colors, keep_color, recolor_majority, recolor_nonmajority, fill_majority, paint_fg,
    paint_fg_as, major_color, minor_color, major_fg_color, minor_fg_color, major_cell, minor_cell,
    major_fg_cell, color_cell, color_count, invert, rank_colors, reverse_ranks, keep_major_fg,
    erase_major_fg,
];
