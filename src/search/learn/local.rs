//! Local (cellular) rules: each output cell is a function of features of a base grid around
//! that cell, learnt as a lookup table from the demos.
//!
//! Bases are the input and the cheapest shape-right states of the enumeration. Feature sets
//! are tried from the smallest key space up; the first that is consistent on every demo cell
//! (no key maps to two colours), supported (every entry that changes a colour is seen at least
//! [`MIN_SUPPORT`] times) and covering (every key of the test bases was seen in the demos)
//! gives the base's rule. When no feature set covers the test, a lenient pass keeps the base
//! colour wherever the test shows a key the demos never showed.

use super::{MIN_SUPPORT, targets};
use crate::dsl::util::{N4, N8, regions};
use crate::grid::{Color, Grid, N_COLORS};
use crate::search::compose::background;
use crate::search::engine::Enumeration;
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::search::state::{FxHasher, expr_of};
use crate::task::Task;
use crate::answer::Answer;
use crate::dsl::{Ctx, Na};
use crate::program::{EvalError, Expr, Program};
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

/// The key of a cell outside the grid.
const OUTSIDE: u64 = N_COLORS as u64;
/// Extra cost units of a lenient rule (unseen keys keep the base colour).
const LENIENT_PENALTY: u32 = 4;

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

type Table = HashMap<u64, (Color, u32), BuildHasherDefault<FxHasher>>;

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

/// The table `key -> colour` over the demos with each entry's support, if it is consistent
/// and no entry that changes a colour is seen fewer than [`MIN_SUPPORT`] times.
pub fn fit(keys: &[Vec<u64>], outputs: &[&Grid]) -> Option<Table> {
    let mut table = Table::default();
    for (ks, out) in keys.iter().zip(outputs) {
        for (&k, &want) in ks.iter().zip(out.cells()) {
            let e = table.entry(k).or_insert((want, 0));
            if e.0 != want {
                return None;
            }
            e.1 += 1;
        }
    }
    let changes = |k: u64, c: Color| (k & 15) as Color != c;
    let supported = table.iter().all(|(&k, &(c, n))| !changes(k, c) || n >= MIN_SUPPORT);
    let useful = table.iter().any(|(&k, &(c, _))| changes(k, c));
    (supported && useful).then_some(table)
}

/// A grid's cells through the table; unseen keys keep their own colour when `lenient`, and
/// otherwise give `None`.
pub fn apply(table: &Table, g: &Grid, keys: &[u64], lenient: bool) -> Option<Grid> {
    let cells = keys
        .iter()
        .map(|k| match table.get(k) {
            Some(&(c, _)) => Some(c),
            None => lenient.then_some((k & 15) as Color),
        })
        .collect::<Option<Vec<Color>>>()?;
    Grid::from_cells(g.h(), g.w(), cells).ok()
}

/// A base grid per example (demos, then tests) with its program and cost.
struct Base<'a> {
    grids: Vec<&'a Grid>,
    program: Program,
    cost: u32,
}

/// The input and the cheapest shape-right grid states of the enumeration (its `first_right`: at
/// most [`crate::search::SearchConfig::local_bases`] of them).
fn bases<'a>(task: &'a Task, en: &'a Enumeration) -> Vec<Base<'a>> {
    let input = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input)).collect();
    let mut out = vec![Base { grids: input, program: Program(Expr::Input), cost: 0 }];
    for &id in &en.first_right {
        let node = &en.nodes[id as usize];
        if let Some(grids) = node.vals.iter().map(|v| v.as_grid()).collect::<Option<Vec<&Grid>>>() {
            out.push(Base { grids, program: Program(expr_of(&en.nodes, id)), cost: node.cost });
        }
    }
    out
}

/// The local rules learnt on a task, one per shape-right base at most, with the work spent.
pub fn learn(task: &Task, en: &Enumeration) -> (Vec<Prediction>, u64) {
    let outputs = targets(task);
    let n_train = outputs.len();
    let same_shape = task.keeps_shape();
    let mut work = 0;
    let mut preds = Vec::new();
    for base in bases(task, en) {
        if base.grids[..n_train].iter().zip(&outputs).any(|(g, o)| g.shape() != o.shape()) {
            continue;
        }
        // One background for every grid of the base, so features mean the same on each.
        let bg = background(&base.grids);
        let mut lenient_pred = None;
        for (i, &f) in FEATURES.iter().enumerate() {
            // On a shape-changing task a table over the cell's own colour alone is the search's
            // colour-map fit of the base, which knows a colour change seen in one demo is weak:
            // it is left to that fit (as a learnt rule it outranked a right weak fit).
            if !same_shape && f == Feature::Own {
                continue;
            }
            work += base.grids.len() as u64;
            let keys: Vec<Vec<u64>> = base.grids.iter().map(|g| f.keys(g, bg)).collect();
            let Some(table) = fit(&keys[..n_train], &outputs) else { continue };
            let tests = |lenient| -> Option<Vec<Grid>> {
                base.grids[n_train..].iter().zip(&keys[n_train..]).map(|(g, k)| apply(&table, g, k, lenient)).collect()
            };
            let cost = base.cost + (i as u32 + 1) * STEPS;
            let answer = |lenient| {
                let table = table.iter().map(|(&k, &(c, _))| (k, c)).collect();
                Answer::Local(LocalRule { feature: f, bg, table, lenient, base: base.program.clone() })
            };
            if let Some(tests) = tests(false) {
                preds.push(Prediction { tests, answer: answer(false), cost, votes: 1, weak: false });
                lenient_pred = None;
                break;
            }
            if lenient_pred.is_none()
                && let Some(tests) = tests(true)
            {
                let cost = cost + LENIENT_PENALTY * STEPS;
                lenient_pred = Some(Prediction { tests, answer: answer(true), cost, votes: 1, weak: true });
            }
        }
        preds.extend(lenient_pred);
    }
    (preds, work)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{grid, task};
    use crate::search::engine::enumerate;
    use crate::search::guide::{Guide, Uniform};
    use crate::search::{Budget, SearchConfig};

    fn learnt(t: &Task) -> Vec<Prediction> {
        let en = enumerate(t, &Uniform.prim_probs(t), &SearchConfig::new(Budget::Work(0)), 0);
        learn(t, &en).0
    }

    /// Background cells that cannot reach the border become 4.
    fn enclosure() -> Task {
        task(
            &[
                ("11100/10100/11100/00000", "11100/14100/11100/00000"),
                ("00000/01110/01010/01110/00000", "00000/01110/01410/01110/00000"),
            ],
            "1111/1001/1111/0000",
            None,
        )
    }

    #[test]
    fn learns_an_enclosure_rule_and_applies_it() {
        let t = enclosure();
        let preds = learnt(&t);
        let first = preds.first().expect("a rule");
        assert_eq!(first.tests, vec![grid("1111/1441/1111/0000")]);
        assert!(matches!(&first.answer, Answer::Local(r) if r.feature == Feature::Enclosure && !r.lenient && r.base.0 == Expr::Input), "{}", first.answer);
        // The rule as data gives the same grid.
        assert_eq!(first.answer.run(&Ctx::for_task(&t), &t.test[0].input).as_ref(), Ok(&first.tests[0]));
        assert!(!first.weak);
    }

    #[test]
    fn bases_are_the_cheapest_shape_right_states_up_to_the_configured_number() {
        let t = enclosure();
        let at = |n: usize| {
            let mut cfg = SearchConfig::new(Budget::Work(20_000));
            cfg.learn.local_bases = n;
            enumerate(&t, &Uniform.prim_probs(&t), &cfg, 20_000)
        };
        let (none, few, many) = (at(0), at(3), at(64));
        // The input is always a base; the enumeration lists the others, never the input itself.
        assert!(none.first_right.is_empty());
        assert_eq!(bases(&t, &none).len(), 1);
        assert_eq!(few.first_right.len(), 3);
        assert!(many.first_right.len() > 3 && !many.first_right.contains(&0), "{:?}", many.first_right);
        // The same search whatever the number: the first ones are the same states, cheapest first.
        assert!(many.first_right.starts_with(&few.first_right));
        let costs: Vec<u32> = many.first_right.iter().map(|&id| many.nodes[id as usize].cost).collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
        let b = bases(&t, &many);
        assert_eq!(b.len(), 1 + many.first_right.len());
        assert!(b[1..].iter().all(|base| base.program.0 != Expr::Input && base.grids.len() == 3));
    }

    #[test]
    fn inconsistent_demos_give_no_strict_rule() {
        // The same neighbourhoods map to different colours in the two demos.
        let t = task(&[("010/000", "212/000"), ("010/000", "313/000")], "010/000", None);
        assert!(learnt(&t).is_empty());
    }

    #[test]
    fn a_test_key_never_seen_gives_no_strict_rule() {
        // Colour 5 never occurs in the demos: no feature set covers the test.
        let t = task(&[("0110/0000", "0220/0000"), ("1001/0000", "2002/0000")], "5555/5555", None);
        assert!(learnt(&t).iter().all(|p| p.weak));
    }

    #[test]
    fn a_memorising_table_is_rejected() {
        // Each changed cell has a neighbourhood of its own: every change is seen once.
        let t = task(&[("12/34", "56/78"), ("43/21", "43/21")], "12/34", None);
        assert!(learnt(&t).is_empty());
        let keys = vec![Feature::Neighbours8.keys(&grid("12/34"), 0)];
        assert!(fit(&keys, &[&grid("56/78")]).is_none());
    }

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
