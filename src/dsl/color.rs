//! Colour: recolouring, filtering, colour statistics. Background is colour 0 unless a
//! primitive says "majority" (the most common colour of the grid).

use super::geom::{build, color_at, grid0, unary, unary_grid};
use super::{Ctx, Na, ParamTy, PrimDef, PrimResult, Ty, Value};
use crate::grid::{Color, Grid, N_COLORS};

/// The most common colour (ties: the lowest colour).
pub(crate) fn majority(g: &Grid) -> Color {
    let h = g.histogram();
    (0..N_COLORS).max_by_key(|&c| (h[c], std::cmp::Reverse(c))).unwrap_or(0) as Color
}

/// The least common colour present (ties: the lowest colour).
pub(crate) fn minority(g: &Grid) -> Color {
    least_common(&g.histogram(), None).unwrap_or(0)
}

/// The most common colour among `hist` counts, skipping `skip`; ties: the lowest colour.
pub(crate) fn most_common(hist: &[usize; N_COLORS], skip: Option<Color>) -> Option<Color> {
    (0..N_COLORS)
        .filter(|&c| hist[c] > 0 && Some(c as Color) != skip)
        .max_by_key(|&c| (hist[c], std::cmp::Reverse(c)))
        .map(|c| c as Color)
}

/// The least common present colour among `hist` counts, skipping `skip`; ties: the lowest colour.
fn least_common(hist: &[usize; N_COLORS], skip: Option<Color>) -> Option<Color> {
    (0..N_COLORS).filter(|&c| hist[c] > 0 && Some(c as Color) != skip).min_by_key(|&c| (hist[c], c)).map(|c| c as Color)
}

/// Present non-zero colours, most common first (ties: the lowest colour first).
pub(crate) fn fg_by_frequency(g: &Grid) -> Vec<Color> {
    let h = g.histogram();
    let mut cs: Vec<Color> = (1..N_COLORS as Color).filter(|&c| h[c as usize] > 0).collect();
    cs.sort_by_key(|&c| (std::cmp::Reverse(h[c as usize]), c));
    cs
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

fn recolor(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let (from, to) = (p[0] as Color, p[1] as Color);
    if from == to {
        return Err(Na("recolour to the same colour"));
    }
    let mut t = identity_table();
    t[from as usize] = to;
    map_colors(grid0(a)?, &t)
}

fn swap_colors(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let (x, y) = (p[0] as Color, p[1] as Color);
    if x >= y {
        return Err(Na("swap needs two colours, the lower first"));
    }
    let mut t = identity_table();
    t.swap(x as usize, y as usize);
    map_colors(grid0(a)?, &t)
}

fn keep_color(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let keep = p[0] as Color;
    let g = grid0(a)?;
    build(g.h(), g.w(), |r, c| if g.get(r, c) == keep { keep } else { 0 })
}

fn recolor_majority(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let (from, to) = (majority(g), p[0] as Color);
    if from == to {
        return Err(Na("the majority colour is already that colour"));
    }
    let mut t = identity_table();
    t[from as usize] = to;
    map_colors(g, &t)
}

fn recolor_nonmajority(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let (bg, to) = (majority(g), p[0] as Color);
    build(g.h(), g.w(), |r, c| if g.get(r, c) == bg { bg } else { to })
}

fn fill_majority(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let bg = majority(g);
    if g.cells().iter().all(|&v| v == bg) {
        return Err(Na("already one colour"));
    }
    build(g.h(), g.w(), |_, _| bg)
}

/// Every non-zero cell becomes `to`.
fn paint_fg_with(g: &Grid, to: Color) -> PrimResult {
    let mut t = [to; N_COLORS];
    t[0] = 0;
    map_colors(g, &t)
}

fn paint_fg(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    paint_fg_with(grid0(a)?, p[0] as Color)
}

fn paint_fg_as(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    paint_fg_with(grid0(a)?, color_at(a, 1)?)
}

fn major_color(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    Ok(Value::Color(majority(grid0(a)?)))
}

fn minor_color(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    Ok(Value::Color(minority(grid0(a)?)))
}

fn major_fg_color(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    most_common(&grid0(a)?.histogram(), Some(0)).map(Value::Color).ok_or(Na("no non-zero colour"))
}

fn minor_fg_color(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    least_common(&grid0(a)?.histogram(), Some(0)).map(Value::Color).ok_or(Na("no non-zero colour"))
}

/// A 1×1 grid of colour `c`.
fn cell(c: Color) -> PrimResult {
    build(1, 1, |_, _| c)
}

fn major_cell(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    cell(majority(grid0(a)?))
}

fn minor_cell(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    cell(minority(grid0(a)?))
}

fn major_fg_cell(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    cell(most_common(&grid0(a)?.histogram(), Some(0)).ok_or(Na("no non-zero colour"))?)
}

fn color_cell(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    cell(color_at(a, 0)?)
}

fn color_count(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let h = grid0(a)?.histogram();
    Ok(Value::Int(h[1..].iter().filter(|&&n| n > 0).count() as i64))
}

fn invert(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let h = g.histogram();
    let present: Vec<usize> = (0..N_COLORS).filter(|&c| h[c] > 0).collect();
    let [x, y] = present[..] else { return Err(Na("not a two-colour grid")) };
    let mut t = identity_table();
    t.swap(x, y);
    map_colors(g, &t)
}

fn rank_colors(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
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

fn reverse_ranks(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
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

fn keep_major_fg(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let keep = *fg_by_frequency(g).first().ok_or(Na("no non-zero colour"))?;
    build(g.h(), g.w(), |r, c| if g.get(r, c) == keep { keep } else { 0 })
}

fn erase_major_fg(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let erase = *fg_by_frequency(g).first().ok_or(Na("no non-zero colour"))?;
    build(g.h(), g.w(), |r, c| if g.get(r, c) == erase { 0 } else { g.get(r, c) })
}

const C: ParamTy = ParamTy::Color;

pub const PRIMS: &[PrimDef] = &[
    PrimDef {
        name: "recolor",
        params: &[C, C],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "Recolour every cell of one colour to another.",
        f: recolor,
    },
    PrimDef {
        name: "swap_colors",
        params: &[C, C],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Exchange two colours (the lower colour is written first).",
        f: swap_colors,
    },
    PrimDef {
        name: "keep_color",
        params: &[C],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "Keep only the cells of one colour; every other cell becomes 0.",
        f: keep_color,
    },
    PrimDef {
        name: "recolor_majority",
        params: &[C],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Recolour the most common colour (the background) to a colour.",
        f: recolor_majority,
    },
    PrimDef {
        name: "recolor_nonmajority",
        params: &[C],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Recolour every cell not of the most common colour to one colour.",
        f: recolor_nonmajority,
    },
    unary_grid!("fill_majority", 2, "Paint the whole grid in its most common colour.", fill_majority),
    PrimDef {
        name: "paint_fg",
        params: &[C],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "Recolour every non-zero cell to one colour.",
        f: paint_fg,
    },
    PrimDef {
        name: "paint_fg_as",
        params: &[],
        args: &[Ty::Grid, Ty::Color],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Recolour every non-zero cell to a computed colour.",
        f: paint_fg_as,
    },
    unary("major_color", 1, "The most common colour (ties: the lowest).", Ty::Color, major_color),
    unary("minor_color", 1, "The least common colour present (ties: the lowest).", Ty::Color, minor_color),
    unary("major_fg_color", 1, "The most common non-zero colour (ties: the lowest).", Ty::Color, major_fg_color),
    unary(
        "minor_fg_color",
        1,
        "The least common non-zero colour present (ties: the lowest).",
        Ty::Color,
        minor_fg_color,
    ),
    unary_grid!("major_cell", 2, "A 1×1 grid of the most common colour.", major_cell),
    unary_grid!("minor_cell", 2, "A 1×1 grid of the least common colour present.", minor_cell),
    unary_grid!("major_fg_cell", 2, "A 1×1 grid of the most common non-zero colour.", major_fg_cell),
    PrimDef {
        name: "color_cell",
        params: &[],
        args: &[Ty::Color],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "A 1×1 grid of a computed colour.",
        f: color_cell,
    },
    unary("color_count", 1, "The number of distinct non-zero colours.", Ty::Int, color_count),
    unary_grid!("invert", 1, "Exchange the two colours of a two-colour grid.", invert),
    unary_grid!(
        "rank_colors",
        2,
        "Recolour non-zero colours by frequency rank: the most common becomes 1, the next 2, and so on.",
        rank_colors
    ),
    unary_grid!(
        "reverse_ranks",
        2,
        "Permute non-zero colours so the most common takes the least common's colour, and so on.",
        reverse_ranks
    ),
    unary_grid!("keep_major_fg", 2, "Keep only the most common non-zero colour; the rest becomes 0.", keep_major_fg),
    unary_grid!("erase_major_fg", 2, "Erase (set to 0) the most common non-zero colour.", erase_major_fg),
];
