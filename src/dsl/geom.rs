//! Geometry: quarter turns, mirrors, transposes.

use super::{Na, ParamTy, PrimDef, PrimResult, Ty, Value};
use crate::grid::Grid;

/// The grid argument of a `grid -> ...` primitive (the registry checked the type).
pub(crate) fn grid0<'a>(args: &[&'a Value]) -> Result<&'a Grid, Na> {
    args.first().and_then(|v| v.as_grid()).ok_or(Na("expected a grid"))
}

/// Builds a grid of `h × w` from `f(row, col)`, or `Na` when the shape is not valid.
pub(crate) fn build(h: usize, w: usize, f: impl FnMut(usize, usize) -> u8) -> PrimResult {
    Grid::from_fn(h, w, f).map(Value::Grid).map_err(|_| Na("result shape outside 1..=30"))
}

macro_rules! unary_grid {
    ($name:literal, $cost:expr, $doc:literal, $f:expr) => {
        PrimDef {
            name: $name,
            params: &[],
            args: &[Ty::Grid],
            ret: Ty::Grid,
            cost: $cost,
            search: true,
            doc: $doc,
            f: $f,
        }
    };
}
#[allow(unused_imports)]
pub(crate) use unary_grid;

fn rot90(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.w(), g.h(), |r, c| g.get(g.h() - 1 - c, r))
}

fn rot180(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.h(), g.w(), |r, c| g.get(g.h() - 1 - r, g.w() - 1 - c))
}

fn rot270(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.w(), g.h(), |r, c| g.get(c, g.w() - 1 - r))
}

fn mirror_lr(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.h(), g.w(), |r, c| g.get(r, g.w() - 1 - c))
}

fn mirror_ud(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.h(), g.w(), |r, c| g.get(g.h() - 1 - r, c))
}

fn transpose(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.w(), g.h(), |r, c| g.get(c, r))
}

fn antitranspose(_: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    build(g.w(), g.h(), |r, c| g.get(g.h() - 1 - c, g.w() - 1 - r))
}

fn shift(p: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let (dr, dc) = match p[0] {
        0 => (-1i64, 0i64),
        1 => (1, 0),
        2 => (0, -1),
        _ => (0, 1),
    };
    let bg = 0;
    build(g.h(), g.w(), |r, c| g.get_checked(r as i64 - dr, c as i64 - dc).unwrap_or(bg))
}

/// Directions as parameter choices.
pub const DIRS: ParamTy = ParamTy::Choice(&["up", "down", "left", "right"]);

pub const PRIMS: &[PrimDef] = &[
    unary_grid!("rot90", 1, "Quarter turn clockwise.", rot90),
    unary_grid!("rot180", 1, "Half turn.", rot180),
    unary_grid!("rot270", 1, "Quarter turn counter-clockwise.", rot270),
    unary_grid!("mirror_lr", 1, "Mirror left-right (reverse each row).", mirror_lr),
    unary_grid!("mirror_ud", 1, "Mirror up-down (reverse the order of rows).", mirror_ud),
    unary_grid!("transpose", 1, "Swap rows and columns (mirror on the main diagonal).", transpose),
    unary_grid!("antitranspose", 1, "Mirror on the anti-diagonal.", antitranspose),
    PrimDef {
        name: "shift",
        params: &[DIRS],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Shift every cell one step in a direction; cells that enter are 0.",
        f: shift,
    },
];
