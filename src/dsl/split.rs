//! Splitting and combining: cut a grid into parts (by separator lines or into equal
//! pieces), then combine the parts into one grid: boolean cell logic, overlay, picking one
//! part, concatenation, counting. A cell is "set" when it is non-zero.

use super::args::{grid_at, grids_at};
use super::color::most_common;
use super::crop::subgrid;
use super::geom::build;
use super::{Na, ParamTy, PrimDef, PrimResult, Value};
use crate::grid::{Color, Grid, N_COLORS};

/// Whether row `i` (column `i` when `by_col`) is entirely colour `s`.
fn full_line(g: &Grid, by_col: bool, i: usize, s: Color) -> bool {
    if by_col { (0..g.h()).all(|r| g.get(r, i) == s) } else { g.row(i).iter().all(|&v| v == s) }
}

/// Maximal runs `(start, len)` of indices `0..n` that are not separators.
fn bands(n: usize, is_sep: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (i < n && !is_sep(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Runs `(start, len)` of rows and of columns between separator lines.
pub(crate) type Bands = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// The bands between lines of colour `s`, when they make at least two parts.
fn bands_between(g: &Grid, s: Color) -> Option<Bands> {
    let rows = bands(g.h(), |i| full_line(g, false, i, s));
    let cols = bands(g.w(), |i| full_line(g, true, i, s));
    (rows.len() * cols.len() >= 2).then_some((rows, cols))
}

/// The bands between separator lines. The separator colour is the non-zero colour making
/// the most full lines (ties: the lowest) that cuts the grid in two or more parts; 0 only
/// when no non-zero colour does.
pub(crate) fn separator_bands(g: &Grid) -> Option<Bands> {
    let lines = |s: Color| {
        (0..g.h()).filter(|&i| full_line(g, false, i, s)).count()
            + (0..g.w()).filter(|&i| full_line(g, true, i, s)).count()
    };
    let mut seps: Vec<(usize, Color)> = (1..10).map(|s| (lines(s), s)).filter(|&(n, _)| n > 0).collect();
    seps.sort_by_key(|&(n, s)| (std::cmp::Reverse(n), s));
    seps.push((0, 0));
    seps.iter().find_map(|&(_, s)| bands_between(g, s))
}

/// A piece of a grid with its top-left cell: `(top, left, piece)`.
pub(crate) type Boxed = (usize, usize, Grid);

/// The cells between separator lines ([`separator_bands`]) with their places, row by row.
pub(crate) fn separator_cells(g: &Grid) -> Result<Vec<Boxed>, Na> {
    let (rows, cols) = separator_bands(g).ok_or(Na("no separator lines"))?;
    let mut cells = Vec::with_capacity(rows.len() * cols.len());
    for &(t, h) in &rows {
        for &(l, w) in &cols {
            cells.push((t, l, subgrid(g, t, l, h, w)?));
        }
    }
    Ok(cells)
}

prim! {
    /// Cut the grid along full rows and columns of one separator colour; the parts, row by row.
    fn split_lines(_ctx, _: [], a: [Grid]) -> Grids, cost 1 {
        Ok(Value::Grids(separator_cells(grid_at(a, 0)?)?.into_iter().map(|(_, _, p)| p).collect()))
    }
}

/// How to cut a side of `len` into `n` equal pieces: `(piece, gap)`, where a gap of 1 means
/// one separator line between pieces.
fn equal_cut(len: usize, n: usize) -> Option<(usize, usize)> {
    if len % n == 0 {
        Some((len / n, 0))
    } else if len > n - 1 && (len - (n - 1)) % n == 0 {
        Some(((len - (n - 1)) / n, 1))
    } else {
        None
    }
}

/// Cuts `g` into `ny × nx` equal parts with their places, row-major.
pub(crate) fn equal_boxes(g: &Grid, ny: usize, nx: usize) -> Result<Vec<Boxed>, Na> {
    let (ph, gy) = equal_cut(g.h(), ny).ok_or(Na("height does not split evenly"))?;
    let (pw, gx) = equal_cut(g.w(), nx).ok_or(Na("width does not split evenly"))?;
    let mut parts = Vec::with_capacity(ny * nx);
    for i in 0..ny {
        for j in 0..nx {
            let (t, l) = (i * (ph + gy), j * (pw + gx));
            parts.push((t, l, subgrid(g, t, l, ph, pw)?));
        }
    }
    Ok(parts)
}

/// Cuts `g` into `ny × nx` equal parts, row-major.
fn equal_parts(g: &Grid, ny: usize, nx: usize) -> Result<Vec<Grid>, Na> {
    Ok(equal_boxes(g, ny, nx)?.into_iter().map(|(_, _, p)| p).collect())
}

/// [`equal_parts`] as a primitive result.
fn split_equal(g: &Grid, ny: usize, nx: usize) -> PrimResult {
    equal_parts(g, ny, nx).map(Value::Grids)
}

prim! {
    /// Cut the grid into n equal bands from top to bottom (skipping one-line gaps between them).
    fn split_rows(_ctx, p: [COUNT], a: [Grid]) -> Grids, cost 1 {
        split_equal(grid_at(a, 0)?, p[0] as usize, 1)
    }
}

prim! {
    /// Cut the grid into n equal bands from left to right (skipping one-line gaps between them).
    fn split_cols(_ctx, p: [COUNT], a: [Grid]) -> Grids, cost 1 {
        split_equal(grid_at(a, 0)?, 1, p[0] as usize)
    }
}

prim! {
    /// Cut the grid into four equal quarters (skipping a middle line), row by row.
    fn split_quads(_ctx, _: [], a: [Grid]) -> Grids, cost 1 {
        split_equal(grid_at(a, 0)?, 2, 2)
    }
}

prim! {
    /// Cut a grid that is a row or a column of squares into those squares.
    fn split_squares(_ctx, _: [], a: [Grid]) -> Grids, cost 1 {
        let g = grid_at(a, 0)?;
        let (h, w) = g.shape();
        if h > w && h % w == 0 {
            split_equal(g, h / w, 1)
        } else if w > h && w % h == 0 {
            split_equal(g, 1, w / h)
        } else {
            Err(Na("not a row or column of squares"))
        }
    }
}

prim! {
    /// One cell per part between separator lines: the part's most common non-zero colour, or 0.
    fn part_colors(_ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (rows, cols) = separator_bands(g).ok_or(Na("no separator lines"))?;
        build(rows.len(), cols.len(), |i, j| {
            let ((t, h), (l, w)) = (rows[i], cols[j]);
            let mut hist = [0usize; N_COLORS];
            for r in t..t + h {
                for &v in &g.row(r)[l..l + w] {
                    hist[v as usize] += 1;
                }
            }
            most_common(&hist, Some(0)).unwrap_or(0)
        })
    }
}

prim! {
    /// Fold the grid in half onto itself: the first half's 0 cells take the mirrored second half's colour.
    fn fold(_ctx, p: [ParamTy::Choice(&["lr", "ud"])], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (ny, nx) = if p[0] == 0 { (1, 2) } else { (2, 1) };
        let mut halves = equal_parts(g, ny, nx)?;
        let second = halves.pop().ok_or(Na("no halves"))?;
        let first = halves.pop().ok_or(Na("no halves"))?;
        let (h, w) = first.shape();
        build(h, w, |r, c| {
            let (mr, mc) = if p[0] == 0 { (r, w - 1 - c) } else { (h - 1 - r, c) };
            match first.get(r, c) {
                0 => second.get(mr, mc),
                v => v,
            }
        })
    }
}

/// The common shape of all parts, when there are at least `min` parts.
fn same_shape(parts: &[Grid], min: usize) -> Result<(usize, usize), Na> {
    let first = parts.first().ok_or(Na("no parts"))?;
    if parts.len() < min {
        return Err(Na("too few parts"));
    }
    if parts.iter().any(|p| p.shape() != first.shape()) {
        return Err(Na("parts differ in shape"));
    }
    Ok(first.shape())
}

/// Combines same-shape parts cell by cell: the cell is `color` where
/// `rule(number of parts set, whether the first is set, number of parts)` holds, else 0.
fn logic(p: &[i8], a: &[&Value], rule: fn(usize, bool, usize) -> bool) -> PrimResult {
    let parts = grids_at(a, 0)?;
    let (h, w) = same_shape(parts, 2)?;
    let color = p[0] as Color;
    build(h, w, |r, c| {
        let set = parts.iter().filter(|g| g.get(r, c) != 0).count();
        if rule(set, parts[0].get(r, c) != 0, parts.len()) { color } else { 0 }
    })
}

prim! {
    /// Colour the cells set in every part (parts of one shape); the rest 0.
    fn and(_ctx, p: [ParamTy::Paint], a: [Grids]) -> Grid, cost 1 {
        logic(p, a, |set, _, n| set == n)
    }
}

prim! {
    /// Colour the cells set in any part (parts of one shape); the rest 0.
    fn or(_ctx, p: [ParamTy::Paint], a: [Grids]) -> Grid, cost 1 {
        logic(p, a, |set, _, _| set > 0)
    }
}

prim! {
    /// Colour the cells set in no part (parts of one shape); the rest 0.
    fn nor(_ctx, p: [ParamTy::Paint], a: [Grids]) -> Grid, cost 1 {
        logic(p, a, |set, _, _| set == 0)
    }
}

prim! {
    /// Colour the cells set in exactly one part (parts of one shape); the rest 0.
    fn xor(_ctx, p: [ParamTy::Paint], a: [Grids]) -> Grid, cost 1 {
        logic(p, a, |set, _, _| set == 1)
    }
}

prim! {
    /// Colour the cells set in the first part and in no other (parts of one shape); the rest 0.
    fn diff(_ctx, p: [ParamTy::Paint], a: [Grids]) -> Grid, cost 1 {
        logic(p, a, |set, first, _| first && set == 1)
    }
}

prim! {
    /// Stack parts of one shape: each cell takes the first non-zero colour among them.
    fn overlay(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        let parts = grids_at(a, 0)?;
        let (h, w) = same_shape(parts, 1)?;
        build(h, w, |r, c| parts.iter().map(|g| g.get(r, c)).find(|&v| v != 0).unwrap_or(0))
    }
}

/// The part with the highest `score`; `Na` when different parts share the best score.
fn pick_best<K: Ord>(parts: &[Grid], score: impl Fn(&Grid) -> K) -> PrimResult {
    let scores: Vec<K> = parts.iter().map(&score).collect();
    let best = scores.iter().max().ok_or(Na("no parts"))?;
    let mut winners = parts.iter().zip(&scores).filter(|(_, s)| *s == best).map(|(g, _)| g);
    let first = winners.next().ok_or(Na("no parts"))?;
    if winners.any(|g| g != first) {
        return Err(Na("no single best part"));
    }
    Ok(Value::Grid(first.clone()))
}

fn n_colors(g: &Grid) -> usize {
    g.histogram().iter().filter(|&&n| n > 0).count()
}

fn n_set(g: &Grid) -> usize {
    g.cells().iter().filter(|&&v| v != 0).count()
}

fn copies(parts: &[Grid], g: &Grid) -> usize {
    parts.iter().filter(|p| *p == g).count()
}

/// The one part whose `key` no other part shares (of three or more parts).
fn pick_unique_by<K: PartialEq>(parts: &[Grid], key: impl Fn(&Grid) -> K) -> PrimResult {
    let keys: Vec<K> = parts.iter().map(key).collect();
    let mut once = (0..parts.len()).filter(|&i| keys.iter().filter(|k| **k == keys[i]).count() == 1);
    match (once.next(), once.next()) {
        (Some(i), None) if parts.len() > 2 => Ok(Value::Grid(parts[i].clone())),
        _ => Err(Na("no single odd part out")),
    }
}

/// The set of colours of a grid, as a bit mask.
fn color_set(g: &Grid) -> u16 {
    g.cells().iter().fold(0, |m, &v| m | 1 << v)
}

/// The shape of a grid's non-zero cells: its size and which cells are set.
fn set_mask(g: &Grid) -> ((usize, usize), Vec<bool>) {
    (g.shape(), g.cells().iter().map(|&v| v != 0).collect())
}

prim! {
    /// The part that occurs most often (more than once, no tie).
    fn pick_common(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        let parts = grids_at(a, 0)?;
        let best = pick_best(parts, |g| copies(parts, g))?;
        match best {
            Value::Grid(ref g) if copies(parts, g) > 1 => Ok(best),
            _ => Err(Na("no part repeats")),
        }
    }
}

prim! {
    /// The one part unlike all others (of three or more parts).
    fn pick_unique(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_unique_by(grids_at(a, 0)?, Grid::clone)
    }
}

prim! {
    /// The one part whose set of colours no other part has (of three or more parts).
    fn pick_unique_colors(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_unique_by(grids_at(a, 0)?, color_set)
    }
}

prim! {
    /// The one part whose pattern of non-zero cells no other part has (of three or more parts).
    fn pick_unique_shape(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_unique_by(grids_at(a, 0)?, set_mask)
    }
}

prim! {
    /// The part with the most distinct colours (no tie).
    fn pick_most_colors(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_best(grids_at(a, 0)?, n_colors)
    }
}

prim! {
    /// The part with the fewest distinct colours (no tie).
    fn pick_least_colors(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_best(grids_at(a, 0)?, |g| std::cmp::Reverse(n_colors(g)))
    }
}

prim! {
    /// The part with the most non-zero cells (no tie).
    fn pick_most_cells(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_best(grids_at(a, 0)?, n_set)
    }
}

prim! {
    /// The part with the fewest non-zero cells (no tie).
    fn pick_least_cells(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        pick_best(grids_at(a, 0)?, |g| std::cmp::Reverse(n_set(g)))
    }
}

prim! {
    /// The part at a position (0 is the first).
    fn part(_ctx, p: [ParamTy::Int { min: 0, max: 8 }], a: [Grids]) -> Grid, cost 2 {
        grids_at(a, 0)?.get(p[0] as usize).cloned().map(Value::Grid).ok_or(Na("no such part"))
    }
}

prim! {
    /// The last part.
    fn last_part(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        grids_at(a, 0)?.last().cloned().map(Value::Grid).ok_or(Na("no parts"))
    }
}

prim! {
    /// Join parts of one height side by side, left to right.
    fn hcat(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        let parts = grids_at(a, 0)?;
        let h = parts.first().ok_or(Na("no parts"))?.h();
        if parts.iter().any(|p| p.h() != h) {
            return Err(Na("parts differ in height"));
        }
        let w = parts.iter().map(Grid::w).sum::<usize>();
        let mut cells = Vec::with_capacity(h * w);
        for r in 0..h {
            for p in parts {
                cells.extend_from_slice(p.row(r));
            }
        }
        Grid::from_cells(h, w, cells).map(Value::Grid).map_err(|_| Na("result wider than 30"))
    }
}

prim! {
    /// Stack parts of one width, top to bottom.
    fn vcat(_ctx, _: [], a: [Grids]) -> Grid, cost 1 {
        let parts = grids_at(a, 0)?;
        let w = parts.first().ok_or(Na("no parts"))?.w();
        if parts.iter().any(|p| p.w() != w) {
            return Err(Na("parts differ in width"));
        }
        let cells: Vec<Color> = parts.iter().flat_map(|p| p.cells().iter().copied()).collect();
        Grid::from_cells(cells.len() / w, w, cells).map(Value::Grid).map_err(|_| Na("result taller than 30"))
    }
}

prim! {
    /// The number of parts.
    fn count_parts(_ctx, _: [], a: [Grids]) -> Int, cost 1 {
        Ok(Value::Int(grids_at(a, 0)?.len() as i64))
    }
}

const COUNT: ParamTy = ParamTy::Int { min: 2, max: 4 };

pub const PRIMS: &[PrimDef] = prims![
    split_lines, split_rows, split_cols, split_quads, split_squares, part_colors, fold, and, or, nor, xor,
    diff, overlay, pick_common, pick_unique, pick_unique_colors, pick_unique_shape, pick_most_colors,
    pick_least_colors, pick_most_cells, pick_least_cells, part, last_part, hcat, vcat, count_parts,
];
