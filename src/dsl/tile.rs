//! Tiling and symmetry: repeat a grid, mirrored and rotated tilings, self-similar
//! (Kronecker) tilings, making a grid symmetric and completing a symmetric pattern.

use super::args::grid_at;
use super::color::majority;
use super::geom::{DIRS, build};
use super::{Na, ParamTy, PrimDef, PrimResult, Value};
use crate::grid::{Color, Grid};

prim! {
    /// Repeat the grid ny times down and nx times across.
    fn tile(_ctx, p: [REPEATS, REPEATS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (ny, nx) = (p[0] as usize, p[1] as usize);
        if ny == 1 && nx == 1 {
            return Err(Na("a 1×1 tiling is the grid itself"));
        }
        build(g.h() * ny, g.w() * nx, |r, c| g.get(r % g.h(), c % g.w()))
    }
}

/// A 2×2 tiling whose copy in block `(bi, bj)` is read through `at(g, bi, bj, r, c)`.
fn tile2x2(g: &Grid, at: impl Fn(usize, usize, usize, usize) -> Color) -> PrimResult {
    let (h, w) = g.shape();
    build(2 * h, 2 * w, |r, c| at(r / h, c / w, r % h, c % w))
}

prim! {
    /// A 2×2 tiling of the grid and its left-right, up-down and half-turn mirrors.
    fn tile_mirror(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let (h, w) = g.shape();
        tile2x2(g, |bi, bj, r, c| g.get(if bi == 1 { h - 1 - r } else { r }, if bj == 1 { w - 1 - c } else { c }))
    }
}

prim! {
    /// A 2×2 tiling of a square grid turned 0, 90, 180 and 270 degrees, clockwise from the top left.
    fn tile_rot(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let n = g.h();
        if g.w() != n {
            return Err(Na("not square"));
        }
        // Clockwise from the top-left block: the grid, then quarter, half and three-quarter turns.
        tile2x2(g, |bi, bj, r, c| match (bi, bj) {
            (0, 0) => g.get(r, c),
            (0, 1) => g.get(n - 1 - c, r),
            (1, 1) => g.get(n - 1 - r, n - 1 - c),
            _ => g.get(c, n - 1 - r),
        })
    }
}

prim! {
    /// Join the grid with its mirror image placed on one side.
    fn mirror_extend(_ctx, p: [DIRS], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let (h, w) = g.shape();
        match p[0] {
            0 => build(2 * h, w, |r, c| g.get(if r < h { h - 1 - r } else { r - h }, c)),
            1 => build(2 * h, w, |r, c| g.get(if r < h { r } else { 2 * h - 1 - r }, c)),
            2 => build(h, 2 * w, |r, c| g.get(r, if c < w { w - 1 - c } else { c - w })),
            _ => build(h, 2 * w, |r, c| g.get(r, if c < w { c } else { 2 * w - 1 - c })),
        }
    }
}

/// The Kronecker tiling: block `(i, j)` is a copy of the grid where `place(cell (i, j))`, else 0.
fn kron_where(g: &Grid, place: impl Fn(Color) -> bool) -> PrimResult {
    let (h, w) = g.shape();
    build(h * h, w * w, |r, c| if place(g.get(r / h, c / w)) { g.get(r % h, c % w) } else { 0 })
}

prim! {
    /// Self-similar tiling: a copy of the grid in each block whose cell is non-zero, else 0.
    fn kron(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        kron_where(grid_at(a, 0)?, |v| v != 0)
    }
}

prim! {
    /// Self-similar tiling: a copy of the grid in each block whose cell is 0, else 0.
    fn kron_neg(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        kron_where(grid_at(a, 0)?, |v| v == 0)
    }
}

prim! {
    /// Self-similar tiling: a copy of the grid in each block whose cell has the most common colour, else 0.
    fn kron_major(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let major = majority(g);
        kron_where(g, |v| v == major)
    }
}

/// The smallest period of the rows (`by_col`: columns): the least `p` with line `i` equal to
/// line `i - p` for every `i >= p`.
fn period(g: &Grid, by_col: bool) -> usize {
    let (n, m) = if by_col { (g.w(), g.h()) } else { (g.h(), g.w()) };
    let at = |i: usize, j: usize| if by_col { g.get(j, i) } else { g.get(i, j) };
    (1..n).find(|&p| (p..n).all(|i| (0..m).all(|j| at(i, j) == at(i - p, j)))).unwrap_or(n)
}

prim! {
    /// The smallest tile whose repetition (possibly cut short) gives the grid.
    fn unrepeat(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let (ph, pw) = (period(g, false), period(g, true));
        if (ph, pw) == g.shape() {
            return Err(Na("the grid does not repeat"));
        }
        build(ph, pw, |r, c| g.get(r, c))
    }
}

/// The images of `(r, c)` under a symmetry choice of [`SYMS`] in an `h × w` grid.
fn images(sym: i8, h: usize, w: usize, r: usize, c: usize) -> [(usize, usize); 3] {
    let (mr, mc) = (h - 1 - r, w - 1 - c);
    match sym {
        0 => [(r, mc); 3],
        1 => [(mr, c); 3],
        2 => [(r, mc), (mr, c), (mr, mc)],
        3 => [(c, r); 3],
        4 => [(w - 1 - c, h - 1 - r); 3],
        _ => [(w - 1 - c, r), (mr, mc), (c, h - 1 - r)],
    }
}

/// Symmetries as parameter choices: mirror left-right, up-down, both, main diagonal,
/// anti-diagonal, quarter turns.
pub const SYMS: ParamTy = ParamTy::Choice(&["lr", "ud", "both", "diag", "antidiag", "rot"]);

prim! {
    /// Make the grid symmetric: each 0 cell takes the first non-zero colour among its mirror images.
    fn symmetrize(_ctx, p: [SYMS], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (h, w) = g.shape();
        if p[0] >= 3 && h != w {
            return Err(Na("not square"));
        }
        build(h, w, |r, c| {
            let v = g.get(r, c);
            if v != 0 {
                return v;
            }
            images(p[0], h, w, r, c).iter().map(|&(i, j)| g.get(i, j)).find(|&x| x != 0).unwrap_or(0)
        })
    }
}

/// A candidate mirror for [`complete_symmetry`] on an `h × w` grid.
#[derive(Clone, Copy)]
enum Mirror {
    /// Left-right about an axis: column `c` goes to `s - c`.
    Lr(i64),
    /// Up-down about an axis: row `r` goes to `s - r`.
    Ud(i64),
    /// Half turn about the centre.
    Half,
    /// Main diagonal (square grids).
    Diag,
    /// Anti-diagonal (square grids).
    AntiDiag,
}

impl Mirror {
    /// The image of `(r, c)` in an `h × w` grid (possibly outside it).
    fn image(self, h: i64, w: i64, r: i64, c: i64) -> (i64, i64) {
        match self {
            Mirror::Lr(s) => (r, s - c),
            Mirror::Ud(s) => (s - r, c),
            Mirror::Half => (h - 1 - r, w - 1 - c),
            Mirror::Diag => (c, r),
            Mirror::AntiDiag => (w - 1 - c, h - 1 - r),
        }
    }

    /// The mirrors worth trying on an `h × w` grid: left-right and up-down about every axis
    /// position, the half turn, and the diagonals when the grid is square.
    fn candidates(h: usize, w: usize) -> Vec<Mirror> {
        let (h, w) = (h as i64, w as i64);
        let mut out: Vec<Mirror> = (1..2 * w - 2).map(Mirror::Lr).chain((1..2 * h - 2).map(Mirror::Ud)).collect();
        out.push(Mirror::Half);
        if h == w {
            out.extend([Mirror::Diag, Mirror::AntiDiag]);
        }
        out
    }
}

prim! {
    /// Fill the cells of one colour from their mirror images under the symmetries the rest of the grid has.
    fn complete_symmetry(_ctx, p: [ParamTy::Color], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let hole = p[0] as Color;
        let (h, w) = (g.h() as i64, g.w() as i64);
        if !g.cells().contains(&hole) {
            return Err(Na("no cell of that colour to fill"));
        }
        let at = |grid: &Grid, m: Mirror, r: i64, c: i64| {
            let (i, j) = m.image(h, w, r, c);
            grid.get_checked(i, j)
        };
        // A mirror is usable when it pairs many known cells and every known pair agrees.
        let known = g.cells().iter().filter(|&&v| v != hole).count();
        let mut usable: Vec<(usize, Mirror)> = Vec::new();
        for m in Mirror::candidates(g.h(), g.w()) {
            let (mut agree, mut clash) = (0usize, false);
            'cells: for r in 0..h {
                for c in 0..w {
                    let v = g.get(r as usize, c as usize);
                    match at(g, m, r, c) {
                        Some(x) if v != hole && x != hole => {
                            if x != v {
                                clash = true;
                                break 'cells;
                            }
                            agree += 1;
                        }
                        _ => {}
                    }
                }
            }
            if !clash && 2 * agree >= known {
                usable.push((agree, m));
            }
        }
        if usable.is_empty() {
            return Err(Na("no symmetry fits"));
        }
        usable.sort_by_key(|&(agree, _)| std::cmp::Reverse(agree));
        // Two passes, so that a cell whose images were all holes can use cells filled in the first.
        let mut out = g.clone();
        for _ in 0..2 {
            for r in 0..h {
                for c in 0..w {
                    if out.get(r as usize, c as usize) != hole {
                        continue;
                    }
                    if let Some(x) = usable.iter().filter_map(|&(_, m)| at(&out, m, r, c)).find(|&x| x != hole) {
                        out.set(r as usize, c as usize, x);
                    }
                }
            }
        }
        Ok(Value::Grid(out))
    }
}

const REPEATS: ParamTy = ParamTy::Int { min: 1, max: 4 };

pub const PRIMS: &[PrimDef] = prims![
    tile, tile_mirror, tile_rot, mirror_extend, kron, kron_neg, kron_major, unrepeat, symmetrize,
    complete_symmetry,
];
