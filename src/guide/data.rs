//! Encoding tasks into tensors for the guide.
//!
//! A pair becomes `[CHANNELS, 30, 30]`: one-hot input colours (10), an input mask (1),
//! one-hot output colours (10), an output mask (1), and a "changed" plane (1: the cell is
//! inside both grids and its colour differs), and `N_FEATURES` global features
//! (`pair_features`: shapes, the eight rotations and reflections, tiling and scaling,
//! containment, colours, what changed, symmetries, objects). A task is its first `MAX_PAIRS`
//! demos, padded, with a pair mask.

use crate::dsl::PrimId;
use crate::dsl::color::majority;
use crate::dsl::util::regions;
use crate::grid::{Color, Grid, MAX_SIDE, N_COLORS};
use crate::task::Pair;
use tch::{Device, Kind, Tensor};

/// Pairs per task seen by the guide (more are ignored, fewer are padded and masked).
pub const MAX_PAIRS: usize = 5;
/// Planes per pair.
pub const CHANNELS: usize = 2 * N_COLORS + 3;
const S: usize = MAX_SIDE;

/// Writes one pair's planes into `out` (`CHANNELS * 30 * 30` floats, zeroed).
fn encode_pair(input: &Grid, output: &Grid, out: &mut [f32]) {
    let plane = |ch: usize, r: usize, c: usize| ch * S * S + r * S + c;
    for (g, base) in [(input, 0), (output, N_COLORS + 1)] {
        for r in 0..g.h() {
            for c in 0..g.w() {
                out[plane(base + g.get(r, c) as usize, r, c)] = 1.0;
                out[plane(base + N_COLORS, r, c)] = 1.0;
            }
        }
    }
    for r in 0..input.h().min(output.h()) {
        for c in 0..input.w().min(output.w()) {
            if input.get(r, c) != output.get(r, c) {
                out[plane(2 * N_COLORS + 2, r, c)] = 1.0;
            }
        }
    }
}

/// A batch of encoded tasks.
#[derive(Debug)]
pub struct Encoded {
    /// Planes: `[batch, MAX_PAIRS, CHANNELS, 30, 30]`.
    pub x: Tensor,
    /// Global features of each pair: `[batch, MAX_PAIRS, N_FEATURES]`.
    pub feats: Tensor,
    /// `[batch, MAX_PAIRS]`, 1 = a real pair.
    pub mask: Tensor,
}

/// Encodes a batch of tasks (their first `MAX_PAIRS` demo pairs).
pub fn encode_tasks(tasks: &[&[Pair]], device: Device) -> Encoded {
    let per_pair = CHANNELS * S * S;
    let mut x = vec![0f32; tasks.len() * MAX_PAIRS * per_pair];
    let mut feats = vec![0f32; tasks.len() * MAX_PAIRS * N_FEATURES];
    let mut mask = vec![0f32; tasks.len() * MAX_PAIRS];
    for (b, pairs) in tasks.iter().enumerate() {
        for (p, pair) in pairs.iter().take(MAX_PAIRS).enumerate() {
            let k = b * MAX_PAIRS + p;
            encode_pair(&pair.input, &pair.output, &mut x[k * per_pair..(k + 1) * per_pair]);
            feats[k * N_FEATURES..(k + 1) * N_FEATURES].copy_from_slice(&pair_features(&pair.input, &pair.output));
            mask[k] = 1.0;
        }
    }
    let (bsz, p) = (tasks.len() as i64, MAX_PAIRS as i64);
    Encoded {
        x: Tensor::from_slice(&x).reshape([bsz, p, CHANNELS as i64, S as i64, S as i64]).to_device(device),
        feats: Tensor::from_slice(&feats).reshape([bsz, p, N_FEATURES as i64]).to_device(device),
        mask: Tensor::from_slice(&mask).reshape([bsz, p]).to_device(device),
    }
}

/// Multi-hot labels: `[batch, n_prims]`, 1 where the task's program uses the primitive.
pub fn encode_labels(labels: &[&[PrimId]], n_prims: usize, device: Device) -> Tensor {
    let mut y = vec![0f32; labels.len() * n_prims];
    for (b, ls) in labels.iter().enumerate() {
        for &l in ls.iter() {
            if (l as usize) < n_prims {
                y[b * n_prims + l as usize] = 1.0;
            }
        }
    }
    Tensor::from_slice(&y).reshape([labels.len() as i64, n_prims as i64]).to_kind(Kind::Float).to_device(device)
}

/// Global features of one pair, computed exactly (the convolutions see only local windows, so
/// relations across the whole grid — a mirror, a tiling, a colour mapping, a crop — are
/// given to the network directly). Values lie in `[-1, 1]`; a feature that does not apply
/// (e.g. a cell agreement between grids of different shapes) is 0.
pub const N_FEATURES: usize = 13 + 16 + 2 + 3 + 34 + 7 + 6 + 4;

/// Fraction of the cells of an `h` x `w` range where `f(r, c)` holds (0 for an empty range).
fn frac(h: usize, w: usize, mut f: impl FnMut(usize, usize) -> bool) -> f32 {
    let n = h * w;
    if n == 0 {
        return 0.0;
    }
    let mut k = 0;
    for r in 0..h {
        for c in 0..w {
            k += f(r, c) as usize;
        }
    }
    k as f32 / n as f32
}

/// Whether `small` occurs as a window of `big`.
fn contains(big: &Grid, small: &Grid) -> bool {
    if small.h() > big.h() || small.w() > big.w() {
        return false;
    }
    (0..=big.h() - small.h()).any(|r0| {
        (0..=big.w() - small.w())
            .any(|c0| (0..small.h()).all(|r| (0..small.w()).all(|c| big.get(r0 + r, c0 + c) == small.get(r, c))))
    })
}

/// 4-connected single-colour components of cells other than `bg`.
fn components(g: &Grid, bg: Color) -> usize {
    regions(g, false, |c| c != bg, |a, b| a == b).len()
}

/// Whether every row (`rows`) or column of `a` holds the same colours, with multiplicity, as
/// the same row or column of `b` (same shapes): the share of lines that do.
fn lines_same_multiset(a: &Grid, b: &Grid, rows: bool) -> f32 {
    let (n, len) = if rows { (a.h(), a.w()) } else { (a.w(), a.h()) };
    if n == 0 {
        return 0.0;
    }
    let at = |g: &Grid, i: usize, j: usize| if rows { g.get(i, j) } else { g.get(j, i) };
    let same = (0..n)
        .filter(|&i| {
            let (mut ha, mut hb) = ([0u8; N_COLORS], [0u8; N_COLORS]);
            for j in 0..len {
                ha[at(a, i, j) as usize] += 1;
                hb[at(b, i, j) as usize] += 1;
            }
            ha == hb
        })
        .count();
    same as f32 / n as f32
}

/// The pair's global features (`N_FEATURES` values).
pub fn pair_features(input: &Grid, output: &Grid) -> Vec<f32> {
    let (hi, wi) = input.shape();
    let (ho, wo) = output.shape();
    let b = |x: bool| x as u8 as f32;
    let mut f = Vec::with_capacity(N_FEATURES);
    // Shapes (13).
    let side = MAX_SIDE as f32;
    f.extend([hi as f32 / side, wi as f32 / side, ho as f32 / side, wo as f32 / side]);
    f.extend([b(ho == hi && wo == wi), b(ho == wi && wo == hi), b(ho < hi), b(ho > hi), b(wo < wi), b(wo > wi)]);
    let up = (ho >= hi && wo >= wi) && (ho > hi || wo > wi) && ho % hi == 0 && wo % wi == 0;
    let down = (ho <= hi && wo <= wi) && (ho < hi || wo < wi) && hi % ho == 0 && wi % wo == 0;
    f.extend([b(up), b(down), ((ho * wo) as f32 / (hi * wi) as f32).ln() / 7.0]);
    // The eight rotations and reflections of the input against the output: cell agreement,
    // and agreement of the foreground masks (so a recolouring does not hide a mirror) (16).
    let (bi, bo) = (majority(input), majority(output));
    let maps: [fn(usize, usize, usize, usize) -> (usize, usize); 8] = [
        |r, c, _, _| (r, c),
        |r, c, h, _| (h - 1 - c, r),
        |r, c, h, w| (h - 1 - r, w - 1 - c),
        |r, c, _, w| (c, w - 1 - r),
        |r, c, _, w| (r, w - 1 - c),
        |r, c, h, _| (h - 1 - r, c),
        |r, c, _, _| (c, r),
        |r, c, h, w| (h - 1 - c, w - 1 - r),
    ];
    for (k, map) in maps.iter().enumerate() {
        // Transform k turns the input into a grid of this shape; (r, c) of it reads input map(r, c).
        let (th, tw) = if (k % 2 == 1 && k < 4) || k >= 6 { (wi, hi) } else { (hi, wi) };
        if (th, tw) == (ho, wo) {
            let src = |r, c| {
                let (sr, sc) = map(r, c, hi, wi);
                input.get(sr, sc)
            };
            f.push(frac(ho, wo, |r, c| src(r, c) == output.get(r, c)));
            f.push(frac(ho, wo, |r, c| (src(r, c) == bi) == (output.get(r, c) == bo)));
        } else {
            f.extend([0.0, 0.0]);
        }
    }
    // Containment (2).
    f.extend([b(contains(input, output)), b(contains(output, input))]);
    // Tiling, upscaling, downscaling (3).
    let bigger = ho >= hi && wo >= wi && (ho > hi || wo > wi);
    f.push(if bigger { frac(ho, wo, |r, c| output.get(r, c) == input.get(r % hi, c % wi)) } else { 0.0 });
    f.push(if up { frac(ho, wo, |r, c| output.get(r, c) == input.get(r / (ho / hi), c / (wo / wi))) } else { 0.0 });
    f.push(if down { frac(ho, wo, |r, c| output.get(r, c) == input.get(r * (hi / ho), c * (wi / wo))) } else { 0.0 });
    // Colours (34).
    let (hin, hout) = (input.histogram(), output.histogram());
    f.extend((0..N_COLORS).map(|c| b(hin[c] > 0)));
    f.extend((0..N_COLORS).map(|c| b(hout[c] > 0)));
    f.extend((0..N_COLORS).map(|c| hout[c] as f32 / (ho * wo) as f32 - hin[c] as f32 / (hi * wi) as f32));
    let ncol = |h: &[usize; N_COLORS]| h.iter().filter(|&&n| n > 0).count();
    let subset = (0..N_COLORS).all(|c| hout[c] == 0 || hin[c] > 0);
    let equal = (0..N_COLORS).all(|c| (hout[c] > 0) == (hin[c] > 0));
    f.extend([ncol(&hin) as f32 / 10.0, ncol(&hout) as f32 / 10.0, b(subset), b(equal)]);
    // Same shape: what changed (7).
    if (hi, wi) == (ho, wo) {
        let (mut changed, mut from_bg, mut to_bg) = (0usize, 0usize, 0usize);
        for (&a, &z) in input.cells().iter().zip(output.cells()) {
            if a != z {
                changed += 1;
                from_bg += (a == bi) as usize;
                to_bg += (z == bi) as usize;
            }
        }
        let n_changed = changed.max(1) as f32;
        // The best colour-to-colour function: cells it explains.
        let mut m = [[0usize; N_COLORS]; N_COLORS];
        for (&a, &z) in input.cells().iter().zip(output.cells()) {
            m[a as usize][z as usize] += 1;
        }
        let explained: usize = m.iter().map(|row| row.iter().copied().max().unwrap_or(0)).sum();
        f.extend([changed as f32 / (hi * wi) as f32, from_bg as f32 / n_changed, to_bg as f32 / n_changed]);
        f.push(explained as f32 / (hi * wi) as f32);
        f.extend([b(hin == hout), lines_same_multiset(input, output, true), lines_same_multiset(input, output, false)]);
    } else {
        f.extend([0.0; 7]);
    }
    // Symmetries of each grid (6).
    for g in [input, output] {
        let (h, w) = g.shape();
        f.push(frac(h, w, |r, c| g.get(r, c) == g.get(r, w - 1 - c)));
        f.push(frac(h, w, |r, c| g.get(r, c) == g.get(h - 1 - r, c)));
        f.push(if h == w { frac(h, w, |r, c| g.get(r, c) == g.get(c, r)) } else { 0.0 });
    }
    // Objects and foreground (4).
    for (g, bg) in [(input, bi), (output, bi)] {
        f.push((1.0 + components(g, bg) as f32).ln() / 7.0);
        f.push(frac(g.h(), g.w(), |r, c| g.get(r, c) != bg));
    }
    debug_assert_eq!(f.len(), N_FEATURES);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn grid(rows: &[&[u8]]) -> Grid {
        Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
    }

    /// Offsets of the feature groups, in `pair_features` order.
    const DIHEDRAL: usize = 13;
    const TILE: usize = DIHEDRAL + 16 + 2;

    #[test]
    fn features_see_the_rotations_and_reflections() {
        let input = grid(&[&[1, 2, 0], &[0, 3, 0]]);
        // Output k is transform k of the input: identity, rot90 (clockwise), rot180, rot270,
        // mirror left-right, mirror up-down, transpose, antitranspose.
        let outputs = [
            grid(&[&[1, 2, 0], &[0, 3, 0]]),
            grid(&[&[0, 1], &[3, 2], &[0, 0]]),
            grid(&[&[0, 3, 0], &[0, 2, 1]]),
            grid(&[&[0, 0], &[2, 3], &[1, 0]]),
            grid(&[&[0, 2, 1], &[0, 3, 0]]),
            grid(&[&[0, 3, 0], &[1, 2, 0]]),
            grid(&[&[1, 0], &[2, 3], &[0, 0]]),
            grid(&[&[0, 0], &[3, 2], &[0, 1]]),
        ];
        for (k, out) in outputs.iter().enumerate() {
            let f = pair_features(&input, out);
            assert_eq!(f[DIHEDRAL + 2 * k], 1.0, "transform {k}: exact agreement");
            assert_eq!(f[DIHEDRAL + 2 * k + 1], 1.0, "transform {k}: foreground agreement");
        }
        // A rotation does not look like a transpose here.
        assert!(pair_features(&input, &outputs[1])[DIHEDRAL + 12] < 1.0);
    }

    #[test]
    fn features_see_tiling_and_scaling() {
        let input = grid(&[&[1, 2], &[3, 4]]);
        let tiled = Grid::from_fn(4, 6, |r, c| input.get(r % 2, c % 2)).unwrap();
        let scaled = Grid::from_fn(4, 4, |r, c| input.get(r / 2, c / 2)).unwrap();
        assert_eq!(pair_features(&input, &tiled)[TILE], 1.0);
        assert!(pair_features(&input, &scaled)[TILE] < 1.0);
        assert_eq!(pair_features(&input, &scaled)[TILE + 1], 1.0);
        assert_eq!(pair_features(&scaled, &input)[TILE + 2], 1.0);
        // Containment: a crop of the input, and the input inside a border.
        let f = pair_features(&tiled, &input);
        assert_eq!(f[DIHEDRAL + 16], 1.0);
        assert_eq!(pair_features(&input, &tiled)[DIHEDRAL + 17], 1.0);
    }

    fn any_grid() -> impl Strategy<Value = Grid> {
        (1usize..=MAX_SIDE, 1usize..=MAX_SIDE, 0u8..10)
            .prop_flat_map(|(h, w, k)| (Just(h), Just(w), proptest::collection::vec(0..=k.min(9), h * w)))
            .prop_map(|(h, w, cells)| Grid::from_cells(h, w, cells).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any two grids (1x1 to 30x30): `N_FEATURES` finite values in [-1, 1], no panic.
        #[test]
        fn features_are_total_and_bounded(a in any_grid(), b in any_grid()) {
            let f = pair_features(&a, &b);
            prop_assert_eq!(f.len(), N_FEATURES);
            prop_assert!(f.iter().all(|v| v.is_finite() && (-1.0..=1.0).contains(v)), "{:?}", f);
        }
    }
}
