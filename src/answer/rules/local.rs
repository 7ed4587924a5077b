//! Local (cellular) rules, the `local_rule` form: each cell of a base program's grid through a
//! table over a key of its neighbourhood. The feature sets ([`Feature`]) say what the key reads;
//! [`LocalRule::run`] replays a rule, and the learner (`search::learn::local`) finds the tables
//! and predicts through [`LocalRule::paint`].

use crate::dsl::util::{N4, N8, regions};
use crate::dsl::{Ctx, Na};
use crate::grid::{Color, Grid, N_COLORS};
use crate::program::{EvalError, Program};
use std::collections::BTreeMap;

/// The key of a cell outside the grid.
const OUTSIDE: u64 = N_COLORS as u64;

/// What a local rule looks at around a cell, in order of increasing key space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// The cell's colour.
    Own,
    /// Own colour and whether its single-colour region touches the grid border.
    Enclosure,
    /// Own colour and row and column parity.
    Parity2,
    /// Own colour and row and column modulo 3.
    Mod3,
    /// Own colour and which of the 4 orthogonal neighbours are not background.
    Mask4,
    /// Own colour and the 4 orthogonal neighbours.
    Neighbours4,
    /// Own colour and the first non-background colour seen in each of the 4 directions.
    Rays,
    /// Own colour, its region's size (capped) and whether the region is the grid's largest.
    RegionSize,
    /// Own colour and the sets of non-background colours on its row and on its column.
    RowCol,
    /// Own colour and which of the 8 surrounding cells are not background.
    Mask8,
    /// Own colour and how many of the 8 surrounding cells hold each colour.
    Counts8,
    /// Own colour and the 8 surrounding cells.
    Neighbours8,
    /// Own colour and the first non-background colour seen up and down its column.
    RaysV,
    /// Own colour and the first non-background colour seen left and right along its row.
    RaysH,
}

/// Every feature set, simplest first, except the one-axis rays: added last so that every rule
/// the other sets find keeps its place.
pub const FEATURES: [Feature; 14] = [
    Feature::Own,
    Feature::Enclosure,
    Feature::Parity2,
    Feature::Mod3,
    Feature::Mask4,
    Feature::Neighbours4,
    Feature::Rays,
    Feature::RegionSize,
    Feature::Mask8,
    Feature::RowCol,
    Feature::Counts8,
    Feature::Neighbours8,
    Feature::RaysV,
    Feature::RaysH,
];

impl Feature {
    /// The token of this feature set in an answer's text (the cell's own colour is always part
    /// of the key).
    pub fn name(self) -> &'static str {
        match self {
            Feature::Own => "colour",
            Feature::Enclosure => "enclosed",
            Feature::Parity2 => "parity",
            Feature::Mod3 => "mod3",
            Feature::Mask4 => "mask4",
            Feature::Neighbours4 => "neighbours4",
            Feature::Rays => "rays",
            Feature::RegionSize => "region_size",
            Feature::RowCol => "row_col_colours",
            Feature::Mask8 => "mask8",
            Feature::Counts8 => "counts8",
            Feature::Neighbours8 => "neighbours8",
            Feature::RaysV => "rays_v",
            Feature::RaysH => "rays_h",
        }
    }

    /// The feature set with this token.
    pub fn from_name(name: &str) -> Option<Feature> {
        FEATURES.into_iter().find(|f| f.name() == name)
    }

    /// One key per cell of `g` (row-major), on background `bg`; the low 4 bits hold the
    /// cell's own colour.
    pub fn keys(self, g: &Grid, bg: Color) -> Vec<u64> {
        let (h, w) = g.shape();
        let at = |r: i64, c: i64| g.get_checked(r, c).map_or(OUTSIDE, u64::from);
        let filled = |r: i64, c: i64| g.get_checked(r, c).is_some_and(|v| v != bg) as u64;
        let mut out = Vec::with_capacity(h * w);
        let regions = matches!(self, Feature::Enclosure | Feature::RegionSize).then(|| region_info(g));
        let lines = matches!(self, Feature::RowCol).then(|| line_colours(g, bg));
        for r in 0..h {
            for c in 0..w {
                let own = g.get(r, c) as u64;
                let (ri, ci) = (r as i64, c as i64);
                let rest = match self {
                    Feature::Own => 0,
                    Feature::Enclosure => regions.as_ref().map_or(0, |x| x[r * w + c].border as u64),
                    Feature::Parity2 => (r % 2 * 2 + c % 2) as u64,
                    Feature::Mod3 => (r % 3 * 3 + c % 3) as u64,
                    Feature::Mask4 => N4.iter().fold(0, |k, &(dr, dc)| k << 1 | filled(ri + dr, ci + dc)),
                    Feature::Mask8 => N8.iter().fold(0, |k, &(dr, dc)| k << 1 | filled(ri + dr, ci + dc)),
                    Feature::Neighbours4 => pack(N4.iter().map(|&(dr, dc)| at(ri + dr, ci + dc))),
                    Feature::Neighbours8 => pack(N8.iter().map(|&(dr, dc)| at(ri + dr, ci + dc))),
                    Feature::Rays => pack(N4.iter().map(|&step| ray(g, (r, c), step, bg))),
                    Feature::RaysV => pack(N4[..2].iter().map(|&step| ray(g, (r, c), step, bg))),
                    Feature::RaysH => pack(N4[2..].iter().map(|&step| ray(g, (r, c), step, bg))),
                    Feature::RegionSize => regions.as_ref().map_or(0, |x| {
                        let i = &x[r * w + c];
                        (i.size.min(63) as u64) << 1 | i.largest as u64
                    }),
                    Feature::RowCol => lines.as_ref().map_or(0, |(rows, cols)| (rows[r] as u64) << 10 | cols[c] as u64),
                    Feature::Counts8 => {
                        let mut n = [0u64; N_COLORS + 1];
                        for &(dr, dc) in &N8 {
                            n[at(ri + dr, ci + dc) as usize] += 1;
                        }
                        pack(n.into_iter())
                    }
                };
                out.push(rest << 4 | own);
            }
        }
        out
    }
}

/// Packs small values (each below 16) into one key, 4 bits each.
fn pack(vals: impl Iterator<Item = u64>) -> u64 {
    vals.fold(0, |k, v| k << 4 | v)
}

/// The first non-background colour from `(r, c)` (exclusive) stepping by `step`, or [`OUTSIDE`].
fn ray(g: &Grid, (r, c): (usize, usize), (dr, dc): (i64, i64), bg: Color) -> u64 {
    let (mut r, mut c) = (r as i64 + dr, c as i64 + dc);
    while let Some(v) = g.get_checked(r, c) {
        if v != bg {
            return v as u64;
        }
        r += dr;
        c += dc;
    }
    OUTSIDE
}

/// Per cell: its single-colour region (4-connected), as the region features see it.
struct RegionInfo {
    size: usize,
    border: bool,
    largest: bool,
}

fn region_info(g: &Grid) -> Vec<RegionInfo> {
    let (h, w) = g.shape();
    let regs = regions(g, false, |_| true, |a, b| a == b);
    let mut out: Vec<RegionInfo> = (0..h * w).map(|_| RegionInfo { size: 0, border: false, largest: false }).collect();
    let mut largest = [0usize; N_COLORS];
    for reg in &regs {
        let c = g.cells()[reg[0]] as usize;
        largest[c] = largest[c].max(reg.len());
    }
    for reg in &regs {
        let border = reg.iter().any(|&i| i / w == 0 || i / w == h - 1 || i % w == 0 || i % w == w - 1);
        let top = reg.len() == largest[g.cells()[reg[0]] as usize];
        for &i in reg {
            out[i] = RegionInfo { size: reg.len(), border, largest: top };
        }
    }
    out
}

/// Bit sets of the non-background colours on each row and on each column.
fn line_colours(g: &Grid, bg: Color) -> (Vec<u16>, Vec<u16>) {
    let (h, w) = g.shape();
    let (mut rows, mut cols) = (vec![0u16; h], vec![0u16; w]);
    for (i, &v) in g.cells().iter().enumerate() {
        if v != bg {
            rows[i / w] |= 1 << v;
            cols[i % w] |= 1 << v;
        }
    }
    (rows, cols)
}

/// A learnt local rule as data: the base program, the feature set, the background the features
/// read, and the table `key -> colour` (every key the demos showed). Strict rules give nothing
/// on a grid with a key the table lacks; lenient ones keep the cell's own colour there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalRule {
    pub feature: Feature,
    pub bg: Color,
    pub table: BTreeMap<u64, Color>,
    pub lenient: bool,
    pub base: Program,
}

impl LocalRule {
    /// The rule on one input: the base program's grid, each cell through the table.
    pub fn run(&self, ctx: &Ctx, input: &Grid) -> Result<Grid, EvalError> {
        let g = self.base.run(ctx, input)?;
        let keys = self.feature.keys(&g, self.bg);
        self.paint(&g, &keys)
    }

    /// A base grid `g` (whose keys under [`LocalRule::feature`] are `keys`) with each cell
    /// through the table: how the rule runs, and how the learner predicts with it.
    pub fn paint(&self, g: &Grid, keys: &[u64]) -> Result<Grid, EvalError> {
        let cells = keys
            .iter()
            .map(|k| match self.table.get(k) {
                Some(&c) => Some(c),
                None => self.lenient.then_some((k & 15) as Color),
            })
            .collect::<Option<Vec<Color>>>()
            .ok_or(EvalError::NotApplicable { prim: "local_rule", na: Na("a neighbourhood the demos never showed") })?;
        Grid::from_cells(g.h(), g.w(), cells).map_err(|_| EvalError::NotApplicable { prim: "local_rule", na: Na("invalid grid") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::grid;

    #[test]
    fn feature_keys_keep_the_own_colour_in_the_low_bits() {
        let g = grid("0123/4567/8900");
        for f in FEATURES {
            let keys = f.keys(&g, 0);
            assert_eq!(keys.len(), g.cells().len());
            assert!(keys.iter().zip(g.cells()).all(|(k, &c)| (k & 15) as Color == c), "{f:?}");
        }
        // Rays see the first non-background colour, past background cells.
        let keys = Feature::Rays.keys(&grid("3000/0000/0001"), 0);
        assert_eq!(keys[8], pack([3u64, OUTSIDE, OUTSIDE, 1].into_iter()) << 4);
        // One-axis rays see only their own column or row.
        assert_eq!(Feature::RaysV.keys(&grid("3000/0000/0001"), 0)[8], pack([3u64, OUTSIDE].into_iter()) << 4);
        assert_eq!(Feature::RaysH.keys(&grid("3000/0000/0001"), 0)[8], pack([OUTSIDE, 1].into_iter()) << 4);
    }
}
