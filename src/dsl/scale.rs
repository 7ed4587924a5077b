//! Scaling: upscale by whole factors, downscale by blocks, scale to a size, detect the
//! block size of an upscaled grid.

use super::color::most_common;
use super::geom::{build, grid0, int_at};
use super::{Ctx, Na, ParamTy, PrimDef, PrimResult, Ty, Value};
use crate::grid::{Color, Grid, N_COLORS};

/// Each cell becomes an `fy × fx` block.
fn upscale_by_factors(g: &Grid, fy: usize, fx: usize) -> PrimResult {
    build(g.h() * fy, g.w() * fx, |r, c| g.get(r / fy, c / fx))
}

fn upscale(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let k = p[0] as usize;
    upscale_by_factors(grid0(a)?, k, k)
}

fn upscale_xy(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let (fy, fx) = (p[0] as usize, p[1] as usize);
    if fy == fx {
        return Err(Na("equal factors: use upscale"));
    }
    upscale_by_factors(grid0(a)?, fy, fx)
}

fn upscale_by(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let k = int_at(a, 1)?;
    if !(1..=30).contains(&k) {
        return Err(Na("factor outside 1..=30"));
    }
    upscale_by_factors(grid0(a)?, k as usize, k as usize)
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

fn downscale(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    downscale_blocks(grid0(a)?, p[0] as usize, |h| most_common(h, None).unwrap_or(0))
}

fn downscale_any(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    downscale_blocks(grid0(a)?, p[0] as usize, |h| most_common(h, Some(0)).unwrap_or(0))
}

fn scale_to(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let (h, w) = (p[0] as usize, p[1] as usize);
    if (h, w) == g.shape() {
        return Err(Na("already that size"));
    }
    build(h, w, |r, c| g.get(r * g.h() / h, c * g.w() / w))
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

fn downscale_auto(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid0(a)?;
    let (ky, kx) = (run_gcd(g, false), run_gcd(g, true));
    if ky == 1 && kx == 1 {
        return Err(Na("no block structure"));
    }
    build(g.h() / ky, g.w() / kx, |r, c| g.get(r * ky, c * kx))
}

const FACTOR: ParamTy = ParamTy::Int { min: 2, max: 5 };
const SIDE: ParamTy = ParamTy::Int { min: 1, max: 30 };

pub const PRIMS: &[PrimDef] = &[
    PrimDef {
        name: "upscale",
        params: &[FACTOR],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "Scale up: every cell becomes a k×k block.",
        f: upscale,
    },
    PrimDef {
        name: "upscale_xy",
        params: &[ParamTy::Int { min: 1, max: 5 }, ParamTy::Int { min: 1, max: 5 }],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Scale up by different factors: every cell becomes a block of fy rows by fx columns.",
        f: upscale_xy,
    },
    PrimDef {
        name: "upscale_by",
        params: &[],
        args: &[Ty::Grid, Ty::Int],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Scale up by a computed factor.",
        f: upscale_by,
    },
    PrimDef {
        name: "downscale",
        params: &[FACTOR],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "Scale down: every k×k block becomes its most common colour.",
        f: downscale,
    },
    PrimDef {
        name: "downscale_any",
        params: &[FACTOR],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "Scale down: every k×k block becomes its most common non-zero colour, or 0 when it has none.",
        f: downscale_any,
    },
    PrimDef {
        name: "scale_to",
        params: &[SIDE, SIDE],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 3,
        search: false,
        doc: "Scale (nearest cell) to h rows by w columns.",
        f: scale_to,
    },
    PrimDef {
        name: "downscale_auto",
        params: &[],
        args: &[Ty::Grid],
        ret: Ty::Grid,
        cost: 1,
        search: true,
        doc: "Undo an upscale: detect the block size of a grid made of uniform blocks and keep one cell per block.",
        f: downscale_auto,
    },
];
