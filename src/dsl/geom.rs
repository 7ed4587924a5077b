//! Geometry: quarter turns, mirrors, transposes, shifts; and `build`, the grid constructor
//! every family shares (argument helpers are in `super::args`).

use super::args::{grid_at, dir_step};
use super::{Na, ParamTy, PrimDef, PrimResult, Value};
use crate::grid::Grid;

/// Builds a grid of `h × w` from `f(row, col)`, or `Na` when the shape is not valid.
pub(crate) fn build(h: usize, w: usize, f: impl FnMut(usize, usize) -> u8) -> PrimResult {
    Grid::from_fn(h, w, f).map(Value::Grid).map_err(|_| Na("result shape outside 1..=30"))
}

prim! {
    /// Quarter turn clockwise.
    fn rot90(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.w(), g.h(), |r, c| g.get(g.h() - 1 - c, r))
    }
}

prim! {
    /// Half turn.
    fn rot180(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.h(), g.w(), |r, c| g.get(g.h() - 1 - r, g.w() - 1 - c))
    }
}

prim! {
    /// Quarter turn counter-clockwise.
    fn rot270(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.w(), g.h(), |r, c| g.get(c, g.w() - 1 - r))
    }
}

prim! {
    /// Mirror left-right (reverse each row).
    fn mirror_lr(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.h(), g.w(), |r, c| g.get(r, g.w() - 1 - c))
    }
}

prim! {
    /// Mirror up-down (reverse the order of rows).
    fn mirror_ud(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.h(), g.w(), |r, c| g.get(g.h() - 1 - r, c))
    }
}

prim! {
    /// Swap rows and columns (mirror on the main diagonal).
    fn transpose(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.w(), g.h(), |r, c| g.get(c, r))
    }
}

prim! {
    /// Mirror on the anti-diagonal.
    fn antitranspose(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        build(g.w(), g.h(), |r, c| g.get(g.h() - 1 - c, g.w() - 1 - r))
    }
}

/// Moves every cell `n` steps in direction `d`; cells that enter are 0.
fn shift_cells(g: &Grid, d: i8, n: i64) -> PrimResult {
    let (dr, dc) = dir_step(d);
    build(g.h(), g.w(), |r, c| g.get_checked(r as i64 - dr * n, c as i64 - dc * n).unwrap_or(0))
}

prim! {
    /// Shift every cell one step in a direction; cells that enter are 0.
    fn shift(_ctx, p: [DIRS], a: [Grid]) -> Grid, cost 2 {
        shift_cells(grid_at(a, 0)?, p[0], 1)
    }
}

prim! {
    /// Shift every cell n steps in a direction; cells that enter are 0.
    fn shift_by(_ctx, p: [DIRS, ParamTy::Int { min: 2, max: 9 }], a: [Grid]) -> Grid, cost 3 {
        let g = grid_at(a, 0)?;
        let n = p[1] as i64;
        let side = if dir_step(p[0]).0 != 0 { g.h() } else { g.w() };
        if n >= side as i64 {
            return Err(Na("shift moves every cell out"));
        }
        shift_cells(g, p[0], n)
    }
}

prim! {
    /// Shift every cell n steps in a direction, wrapping around the edges.
    fn roll(_ctx, p: [DIRS, ParamTy::Int { min: 1, max: 9 }], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (h, w) = (g.h() as i64, g.w() as i64);
        let (dr, dc) = dir_step(p[0]);
        let n = p[1] as i64;
        if (dr * n).rem_euclid(h) == 0 && (dc * n).rem_euclid(w) == 0 {
            return Err(Na("roll by a whole turn changes nothing"));
        }
        build(g.h(), g.w(), |r, c| {
            g.get((r as i64 - dr * n).rem_euclid(h) as usize, (c as i64 - dc * n).rem_euclid(w) as usize)
        })
    }
}

/// Directions as parameter choices.
pub const DIRS: ParamTy = ParamTy::Choice(&["up", "down", "left", "right"]);

pub const PRIMS: &[PrimDef] = prims![
    rot90, rot180, rot270, mirror_lr, mirror_ud, transpose, antitranspose, shift, shift_by, roll,
];
