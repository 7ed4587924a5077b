//! Scaling: upscale by whole factors, downscale by blocks, scale to a size, detect the
//! block size of an upscaled grid.

use super::args::{grid_at, int_at};
use super::color::{majority_of, most_common};
use super::geom::build;
use super::{Na, ParamTy, PrimDef, PrimResult};
use crate::grid::{Color, Grid, N_COLORS};

/// Each cell becomes an `fy × fx` block.
fn upscale_by_factors(g: &Grid, fy: usize, fx: usize) -> PrimResult {
    build(g.h() * fy, g.w() * fx, |r, c| g.get(r / fy, c / fx))
}

prim! {
    /// Scale up: every cell becomes a k×k block.
    fn upscale(_ctx, p: [FACTOR], a: [Grid]) -> Grid, cost 1 {
        let k = p[0] as usize;
        upscale_by_factors(grid_at(a, 0)?, k, k)
    }
}

prim! {
    /// Scale up by different factors: every cell becomes a block of fy rows by fx columns.
    fn upscale_xy(_ctx, p: [ParamTy::Int { min: 1, max: 5 }, ParamTy::Int { min: 1, max: 5 }], a: [Grid]) -> Grid, cost 2 {
        let (fy, fx) = (p[0] as usize, p[1] as usize);
        if fy == fx {
            return Err(Na("equal factors: use upscale"));
        }
        upscale_by_factors(grid_at(a, 0)?, fy, fx)
    }
}

prim! {
    /// Scale up by a computed factor.
    fn upscale_by(_ctx, _: [], a: [Grid, Int]) -> Grid, cost 2 {
        let k = int_at(a, 1)?;
        if !(1..=30).contains(&k) {
            return Err(Na("factor outside 1..=30"));
        }
        upscale_by_factors(grid_at(a, 0)?, k as usize, k as usize)
    }
}

/// Each `k × k` block becomes one cell, coloured by `pick` from the block's histogram.
fn downscale_blocks(g: &Grid, k: usize, pick: impl Fn(&[usize; N_COLORS]) -> Color) -> PrimResult {
    if g.h() % k != 0 || g.w() % k != 0 {
        return Err(Na("sides not divisible by the factor"));
    }
    build(g.h() / k, g.w() / k, |r, c| {
        let mut hist = [0usize; N_COLORS];
        for i in 0..k {
            for &v in &g.row(r * k + i)[c * k..(c + 1) * k] {
                hist[v as usize] += 1;
            }
        }
        pick(&hist)
    })
}

prim! {
    /// Scale down: every k×k block becomes its most common colour.
    fn downscale(_ctx, p: [FACTOR], a: [Grid]) -> Grid, cost 1 {
        downscale_blocks(grid_at(a, 0)?, p[0] as usize, |h| majority_of(h))
    }
}

prim! {
    /// Scale down: every k×k block becomes its most common non-zero colour, or 0 when it has none.
    fn downscale_any(_ctx, p: [FACTOR], a: [Grid]) -> Grid, cost 2 {
        downscale_blocks(grid_at(a, 0)?, p[0] as usize, |h| most_common(h, Some(0)).unwrap_or(0))
    }
}

prim! {
    /// Scale (nearest cell) to h rows by w columns.
    fn scale_to(_ctx, p: [SIDE, SIDE], a: [Grid]) -> Grid, cost 3, search false {
        let g = grid_at(a, 0)?;
        let (h, w) = (p[0] as usize, p[1] as usize);
        if (h, w) == g.shape() {
            return Err(Na("already that size"));
        }
        build(h, w, |r, c| g.get(r * g.h() / h, c * g.w() / w))
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The gcd of the lengths of the runs of equal adjacent rows (`by_col`: columns).
fn run_gcd(g: &Grid, by_col: bool) -> usize {
    let (n, m) = if by_col { (g.w(), g.h()) } else { (g.h(), g.w()) };
    let same =
        |i: usize| (0..m).all(|j| if by_col { g.get(j, i) == g.get(j, i - 1) } else { g.get(i, j) == g.get(i - 1, j) });
    let (mut k, mut run) = (0, 1);
    for i in 1..n {
        if same(i) {
            run += 1;
        } else {
            k = gcd(k, run);
            run = 1;
        }
    }
    gcd(k, run)
}

prim! {
    /// Undo an upscale: detect the block size of a grid made of uniform blocks and keep one cell per block.
    fn downscale_auto(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let (ky, kx) = (run_gcd(g, false), run_gcd(g, true));
        if ky == 1 && kx == 1 {
            return Err(Na("no block structure"));
        }
        build(g.h() / ky, g.w() / kx, |r, c| g.get(r * ky, c * kx))
    }
}

const FACTOR: ParamTy = ParamTy::Int { min: 2, max: 5 };
const SIDE: ParamTy = ParamTy::Int { min: 1, max: 30 };

pub const PRIMS: &[PrimDef] = prims![
    upscale, upscale_xy, upscale_by, downscale, downscale_any, scale_to, downscale_auto,
];
