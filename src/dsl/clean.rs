//! Cleaning noisy grids and reading bands: a morphological opening that keeps only cells of
//! solid blocks, rows or columns set to their most common colour, and the sequence of colour
//! bands across a grid.

use super::args::grid_at;
use super::{Na, ParamTy, PrimDef, Value};
use crate::grid::{Color, Grid};

/// Which lines [`line_majority`] sets: rows, columns, or whichever changes fewer cells.
const LINE_AXES: ParamTy = ParamTy::Choice(&["h", "v", "auto"]);
/// Which colours [`band_colors`] lists: every band, or the bands of non-background colours.
const BAND_KEEP: ParamTy = ParamTy::Choice(&["all", "fg"]);

/// The most common colour of `cells` (ties: the lowest colour).
fn most_common(cells: impl Iterator<Item = Color>) -> Color {
    super::color::majority_of(&super::color::histogram_of(cells))
}

prim! {
    /// Keep only the cells that lie in a 2x2 block of their own colour (erasing noise around solid shapes).
    ///
    /// Morphological opening by a 2×2 block: a non-background cell stays when it lies in some 2×2
    /// block of its own colour; every other cell becomes background.
    fn open_blocks(ctx, _: [], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let (h, w) = (g.h(), g.w());
        let block = |r: usize, c: usize, v: Color| {
            r + 1 < h && c + 1 < w && g.get(r, c + 1) == v && g.get(r + 1, c) == v && g.get(r + 1, c + 1) == v
        };
        let keep = |r: usize, c: usize| {
            let v = g.get(r, c);
            v != bg
                && [(0, 0), (1, 0), (0, 1), (1, 1)]
                    .iter()
                    .any(|&(dr, dc)| r >= dr && c >= dc && g.get(r - dr, c - dc) == v && block(r - dr, c - dc, v))
        };
        Grid::from_fn(h, w, |r, c| if keep(r, c) { g.get(r, c) } else { bg }).map(Value::Grid).map_err(|_| Na("bad shape"))
    }
}

/// Each row's (or, `by_cols`, each column's) most common colour, and how many cells of the
/// grid already have their line's colour.
fn line_majors(g: &Grid, by_cols: bool) -> (Vec<Color>, usize) {
    let (lines, len) = if by_cols { (g.w(), g.h()) } else { (g.h(), g.w()) };
    let at = |line: usize, k: usize| if by_cols { g.get(k, line) } else { g.get(line, k) };
    let majors: Vec<Color> = (0..lines).map(|l| most_common((0..len).map(|k| at(l, k)))).collect();
    let kept = (0..lines).map(|l| (0..len).filter(|&k| at(l, k) == majors[l]).count()).sum();
    (majors, kept)
}

/// The band axis, whichever lines are purer (`true`: columns, bands running down), with those
/// lines' most common colours; `None` on a tie.
fn band_lines(g: &Grid) -> Option<(bool, Vec<Color>)> {
    let (cols, rows) = (line_majors(g, true), line_majors(g, false));
    match cols.1.cmp(&rows.1) {
        std::cmp::Ordering::Greater => Some((true, cols.0)),
        std::cmp::Ordering::Less => Some((false, rows.0)),
        std::cmp::Ordering::Equal => None,
    }
}

prim! {
    /// Fill every row (h), column (v), or whichever changes fewer cells (auto) with its most common colour.
    ///
    /// Every row (`h`), every column (`v`), or the lines of whichever keeps more cells (`auto`; a
    /// tie is not applicable) filled with its most common colour: bands cleaned of noise.
    fn line_majority(_ctx, p: [LINE_AXES], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let (by_cols, majors) = match p.first().copied().unwrap_or(0) {
            0 => (false, line_majors(g, false).0),
            1 => (true, line_majors(g, true).0),
            _ => band_lines(g).ok_or(Na("rows and columns keep as many cells"))?,
        };
        Grid::from_fn(g.h(), g.w(), |r, c| majors[if by_cols { c } else { r }])
            .map(Value::Grid)
            .map_err(|_| Na("bad shape"))
    }
}

prim! {
    /// The colours of the grid's bands in order, as a row (bands across) or a column (bands down).
    ///
    /// The colours of a grid's bands in order: the most common colour of each column (bands
    /// running down, read across into a 1×n row) or of each row (read down into an n×1 column),
    /// whichever lines are purer (a tie is not applicable), runs merged; `fg` leaves out
    /// background bands.
    fn band_colors(ctx, p: [BAND_KEEP], a: [Grid]) -> Grid, cost 2 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let (by_cols, majors) = band_lines(g).ok_or(Na("rows and columns as pure"))?;
        let mut bands: Vec<Color> = Vec::new();
        for v in majors {
            if bands.last() != Some(&v) {
                bands.push(v);
            }
        }
        if p.first().copied().unwrap_or(0) == 1 {
            bands.retain(|&v| v != bg);
        }
        let n = bands.len();
        let out = if by_cols { Grid::from_fn(1, n, |_, c| bands[c]) } else { Grid::from_fn(n, 1, |r, _| bands[r]) };
        out.map(Value::Grid).map_err(|_| Na("no band"))
    }
}

pub const PRIMS: &[PrimDef] = prims![open_blocks, line_majority, band_colors];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, run};

    #[test]
    fn opening_keeps_blocks_and_drops_noise() {
        let x = g(&["70000", "07700", "07700", "00070", "77000"]);
        assert_eq!(run("(open_blocks input)", &x), "00000\n07700\n07700\n00000\n00000\n");
    }

    #[test]
    fn line_majority_picks_the_axis_of_the_bands() {
        // Vertical bands 1 | 8 with two noise cells: columns change fewer cells than rows.
        let x = g(&["1188", "1588", "1181", "1188"]);
        assert_eq!(run("(line_majority auto input)", &x), "1188\n1188\n1188\n1188\n");
        assert_eq!(run("(line_majority h input)", &x), "1111\n8888\n1111\n1111\n");
    }

    #[test]
    fn band_colors_read_across_or_down() {
        let across = g(&["44228", "44228", "42288"]);
        assert_eq!(run("(band_colors all input)", &across), "428\n");
        let down = g(&["222", "222", "888", "555"]);
        assert_eq!(run("(band_colors all input)", &down), "2\n8\n5\n");
        assert_eq!(run("(band_colors fg input)", &g(&["000", "333", "000", "222", "000"])), "3\n2\n");
    }
}
