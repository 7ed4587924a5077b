//! Cell rules: grids cut by separator lines into a layout of cells, where the output keeps the
//! lines and every cell becomes one of a few things — kept, cleared, filled with one colour, or a
//! copy of the grid's fullest cell — chosen by a property of the cell.
//!
//! Properties are tried simplest first; the first whose table `property -> action` is
//! consistent over every demo cell (some action explains every cell of each key), supported (a
//! key whose action changes something is seen on at least [`MIN_SUPPORT`] cells) and defined
//! for every test cell gives the rule. Among the actions that explain a key, the earliest in
//! [`Act`]'s order wins (keeping before clearing before filling).

use super::MIN_SUPPORT;
use crate::answer::Answer;
use crate::dsl::Na;
use crate::program::EvalError;
use crate::dsl::color::most_common;
use crate::dsl::split::separator_bands;
use crate::grid::{Color, Grid};
use crate::search::compose::background;
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::task::Task;
use std::collections::BTreeMap;

/// Extra cost units of a lenient rule (cells of unseen keys are kept).
const LENIENT_PENALTY: u32 = 4;

/// One grid cut into cells by its separator lines.
struct Layout {
    /// Bands `(start, len)` of rows and of columns between the separator lines.
    rows: Vec<(usize, usize)>,
    cols: Vec<(usize, usize)>,
    /// Each cell's content, row-major over the bands.
    cells: Vec<Grid>,
    /// Each cell's count of non-background cells.
    counts: Vec<usize>,
}

impl Layout {
    /// The layout of a grid, with cell counts still to be made ([`Layout::count`]).
    fn of(g: &Grid) -> Option<Layout> {
        let (rows, cols) = separator_bands(g)?;
        let mut cells = Vec::with_capacity(rows.len() * cols.len());
        for &(t, h) in &rows {
            for &(l, w) in &cols {
                cells.push(Grid::from_fn(h, w, |r, c| g.get(t + r, l + c)).ok()?);
            }
        }
        Some(Layout { rows, cols, cells, counts: Vec::new() })
    }

    /// Counts each cell's non-background cells.
    fn count(&mut self, bg: Color) {
        self.counts = self.cells.iter().map(|c| c.cells().iter().filter(|&&v| v != bg).count()).collect();
    }

    /// The position of cell `i`: `(row band, column band)`.
    fn at(&self, i: usize) -> (usize, usize) {
        (i / self.cols.len(), i % self.cols.len())
    }

    /// The one cell with the most non-background cells, if one has strictly the most.
    fn fullest(&self) -> Option<usize> {
        let max = *self.counts.iter().max()?;
        let mut at = self.counts.iter().enumerate().filter(|&(_, &n)| n == max).map(|(i, _)| i);
        let first = at.next()?;
        (max > 0 && at.next().is_none()).then_some(first)
    }
}

/// Cell properties, simplest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prop {
    /// Whether the cell is empty.
    Empty,
    /// Empty, holding the most non-background cells (ties included), or neither.
    Fullest,
    /// Empty, fullest, least full (not empty) or neither.
    Fill,
    /// Whether no other cell has the same content.
    Unique,
    /// The cell's most common non-background colour.
    Colour,
    /// First, middle, last or other, along the rows and along the columns.
    Place,
    /// The row and column band indices.
    Index,
}

pub const PROPS: [Prop; 7] = [Prop::Empty, Prop::Fullest, Prop::Fill, Prop::Unique, Prop::Colour, Prop::Place, Prop::Index];

impl Prop {
    /// The token of this property in an answer's text.
    pub fn name(self) -> &'static str {
        match self {
            Prop::Empty => "empty",
            Prop::Fullest => "fullest",
            Prop::Fill => "fill_rank",
            Prop::Unique => "unique",
            Prop::Colour => "colour",
            Prop::Place => "place",
            Prop::Index => "index",
        }
    }

    /// The property with this token.
    pub fn from_name(name: &str) -> Option<Prop> {
        PROPS.into_iter().find(|p| p.name() == name)
    }

    /// The property's value for cell `i` of a layout.
    fn key(self, l: &Layout, i: usize, bg: Color) -> (i64, i64) {
        let n = l.counts[i];
        let max = *l.counts.iter().max().unwrap_or(&0);
        let min = l.counts.iter().copied().filter(|&c| c > 0).min().unwrap_or(0);
        let rank = if n == 0 {
            0
        } else if n == max {
            1
        } else if n == min {
            2
        } else {
            3
        };
        let (r, c) = l.at(i);
        match self {
            Prop::Empty => ((n == 0) as i64, 0),
            Prop::Fullest => (rank.min(2), 0),
            Prop::Fill => (rank, 0),
            Prop::Unique => ((l.cells.iter().filter(|g| **g == l.cells[i]).count() == 1) as i64, 0),
            Prop::Colour => (main_colour(&l.cells[i], bg).map_or(-1, i64::from), 0),
            Prop::Place => (place(r, l.rows.len()), place(c, l.cols.len())),
            Prop::Index => (r as i64, c as i64),
        }
    }
}

/// Where index `i` of `n` lies: 0 first, 1 last, 2 the exact middle, 3 elsewhere.
fn place(i: usize, n: usize) -> i64 {
    if i == 0 {
        0
    } else if i + 1 == n {
        1
    } else if n % 2 == 1 && i == n / 2 {
        2
    } else {
        3
    }
}

/// The most common non-background colour of a grid (ties: the lowest), if any.
fn main_colour(g: &Grid, bg: Color) -> Option<Color> {
    most_common(&g.histogram(), Some(bg))
}

/// What a cell becomes, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    Keep,
    Clear,
    /// Every cell in the cell's own most common non-background colour.
    FillOwn,
    /// A copy of the layout's fullest cell.
    CopyFullest,
    /// Every cell in this colour.
    Fill(Color),
}

pub const ACTS: [Act; 14] = [
    Act::Keep,
    Act::Clear,
    Act::FillOwn,
    Act::CopyFullest,
    Act::Fill(0),
    Act::Fill(1),
    Act::Fill(2),
    Act::Fill(3),
    Act::Fill(4),
    Act::Fill(5),
    Act::Fill(6),
    Act::Fill(7),
    Act::Fill(8),
    Act::Fill(9),
];

impl Act {
    /// The token of this action in an answer's text.
    pub fn name(self) -> String {
        match self {
            Act::Keep => "keep".into(),
            Act::Clear => "clear".into(),
            Act::FillOwn => "fill_own".into(),
            Act::CopyFullest => "copy_fullest".into(),
            Act::Fill(c) => format!("fill_{c}"),
        }
    }

    /// The action with this token.
    pub fn from_name(name: &str) -> Option<Act> {
        ACTS.into_iter().find(|a| a.name() == name)
    }

    /// Cell `i` of a layout after this action, if it applies.
    fn apply(self, l: &Layout, i: usize, bg: Color) -> Option<Grid> {
        let g = &l.cells[i];
        let fill = |c: Color| Grid::from_fn(g.h(), g.w(), |_, _| c).ok();
        match self {
            Act::Keep => Some(g.clone()),
            Act::Clear => fill(bg),
            Act::FillOwn => fill(main_colour(g, bg)?),
            Act::CopyFullest => l.fullest().map(|f| l.cells[f].clone()).filter(|s| s.shape() == g.shape()),
            Act::Fill(c) => fill(c),
        }
    }
}

/// A bit set over [`ACTS`].
type Acts = u16;

/// The actions that turn each input cell into the output's cell at the same place; `None` when
/// the output changes a separator line or some cell no action explains.
fn explained(input: &Layout, output: &Grid, input_grid: &Grid, bg: Color) -> Option<Vec<Acts>> {
    let mut in_cell = vec![false; input_grid.cells().len()];
    let mut out = Vec::with_capacity(input.cells.len());
    for i in 0..input.cells.len() {
        let (r, c) = input.at(i);
        let ((t, h), (l, w)) = (input.rows[r], input.cols[c]);
        let want = Grid::from_fn(h, w, |y, x| output.get(t + y, l + x)).ok()?;
        for y in t..t + h {
            for x in l..l + w {
                in_cell[y * input_grid.w() + x] = true;
            }
        }
        let acts = ACTS.iter().enumerate().filter(|(_, a)| a.apply(input, i, bg).as_ref() == Some(&want));
        let set = acts.fold(0, |s, (k, _)| s | 1 << k);
        if set == 0 {
            return None;
        }
        out.push(set);
    }
    let lines_kept =
        in_cell.iter().enumerate().all(|(k, &inside)| inside || input_grid.cells()[k] == output.cells()[k]);
    lines_kept.then_some(out)
}

type Table = BTreeMap<(i64, i64), (Acts, u32)>;

/// The table `key -> possible actions` over every demo cell, if consistent and supported, with
/// the chosen action (the first possible) per key.
fn fit(demos: &[Layout], wanted: &[Vec<Acts>], prop: Prop, bg: Color) -> Option<BTreeMap<(i64, i64), Act>> {
    let mut table = Table::new();
    for (l, ws) in demos.iter().zip(wanted) {
        for (i, &acts) in ws.iter().enumerate() {
            let e = table.entry(prop.key(l, i, bg)).or_insert((Acts::MAX, 0));
            e.0 &= acts;
            e.1 += 1;
        }
    }
    let mut rule = BTreeMap::new();
    for (k, (acts, n)) in table {
        if acts == 0 {
            return None;
        }
        let act = ACTS[acts.trailing_zeros() as usize];
        if act != Act::Keep && n < MIN_SUPPORT {
            return None;
        }
        rule.insert(k, act);
    }
    rule.values().any(|&a| a != Act::Keep).then_some(rule)
}

/// A test input with each cell replaced as the rule says; `None` when an action does not apply
/// or a cell's key was never seen in the demos (unless `lenient`: such cells are kept).
fn paint(g: &Grid, l: &Layout, rule: &BTreeMap<(i64, i64), Act>, prop: Prop, bg: Color, lenient: bool) -> Option<Grid> {
    let mut out = g.cells().to_vec();
    for i in 0..l.cells.len() {
        let act = rule.get(&prop.key(l, i, bg)).copied().or(lenient.then_some(Act::Keep))?;
        let cell = act.apply(l, i, bg)?;
        let (r, c) = l.at(i);
        let ((t, h), (left, w)) = (l.rows[r], l.cols[c]);
        for y in 0..h {
            for x in 0..w {
                out[(t + y) * g.w() + left + x] = cell.get(y, x);
            }
        }
    }
    Grid::from_cells(g.h(), g.w(), out).ok()
}

/// A learnt cell rule as data: the cell property, the background, and the table
/// `key -> action`. Gives nothing on a grid without separator lines, where an action does not
/// apply, or (unless `lenient`: such cells are kept) with a cell whose key the table lacks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellRule {
    pub prop: Prop,
    pub bg: Color,
    pub table: BTreeMap<(i64, i64), Act>,
    pub lenient: bool,
}

impl CellRule {
    /// The rule on one input grid.
    pub fn run(&self, input: &Grid) -> Result<Grid, EvalError> {
        let na = |why| EvalError::NotApplicable { prim: "cell_rule", na: Na(why) };
        let mut l = Layout::of(input).ok_or(na("no separator lines"))?;
        l.count(self.bg);
        paint(input, &l, &self.table, self.prop, self.bg, self.lenient).ok_or(na("a cell the demos never showed, or an action that does not apply"))
    }
}

/// The cell rule learnt on a same-shape task whose inputs are cut by separator lines, if any,
/// with the work spent.
pub fn learn(task: &Task) -> (Vec<Prediction>, u64) {
    let n_ex = (task.train.len() + task.test.len()) as u64;
    let inputs: Vec<&Grid> = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input)).collect();
    let mut work = n_ex;
    let layouts: Option<Vec<Layout>> = inputs.iter().map(|g| Layout::of(g)).collect();
    let Some(mut layouts) = layouts else { return (Vec::new(), work) };
    // The background is the most common colour inside the cells (the lines may outnumber it).
    let bg = background(&layouts.iter().flat_map(|l| &l.cells).collect::<Vec<_>>());
    for l in &mut layouts {
        l.count(bg);
    }
    let (demos, tests) = layouts.split_at(task.train.len());
    let wanted: Option<Vec<Vec<Acts>>> =
        demos.iter().zip(&task.train).map(|(l, p)| explained(l, &p.output, &p.input, bg)).collect();
    let Some(wanted) = wanted else { return (Vec::new(), work) };
    let mut lenient = None;
    for (rank, prop) in PROPS.into_iter().enumerate() {
        work += n_ex;
        let Some(rule) = fit(demos, &wanted, prop, bg) else { continue };
        let answer = |lenient| Answer::Cells(CellRule { prop, bg, table: rule.clone(), lenient });
        let cost = (rank as u32 + 2) * STEPS;
        let paint_all = |lenient| -> Option<Vec<Grid>> {
            task.test.iter().zip(tests).map(|(t, l)| paint(&t.input, l, &rule, prop, bg, lenient)).collect()
        };
        if let Some(tests) = paint_all(false) {
            return (vec![Prediction { tests, answer: answer(false), cost, votes: 1, weak: false }], work);
        }
        if lenient.is_none()
            && let Some(tests) = paint_all(true)
        {
            lenient = Some(Prediction { tests, answer: answer(true), cost: cost + LENIENT_PENALTY * STEPS, votes: 1, weak: true });
        }
    }
    (lenient.into_iter().collect(), work)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{grid, task};

    #[test]
    fn the_fullest_cell_is_filled_and_the_rest_cleared() {
        let t = task(
            &[
                ("10501/00500/55555/10500/11501", "00500/00500/55555/11500/11500"),
                ("11500/10500/55555/00501/00500", "11500/11500/55555/00500/00500"),
            ],
            "00500/00511/55555/10500/00510",
            Some("00511/00511/55555/00500/00500"),
        );
        let (preds, work) = learn(&t);
        let first = preds.first().expect("a rule");
        assert_eq!(Some(&first.tests[0]), t.test[0].output.as_ref(), "{}", first.answer);
        assert!(matches!(&first.answer, Answer::Cells(r) if r.prop == Prop::Fullest), "{}", first.answer);
        assert_eq!(first.answer.run(&crate::dsl::Ctx::plain(), &t.test[0].input).as_ref(), Ok(&first.tests[0]));
        assert!(work > 0);
    }

    #[test]
    fn empty_cells_take_a_copy_of_the_full_one() {
        let t = task(
            &[
                ("12300/00300/33333/00300/00300", "12312/00300/33333/12312/00300"),
                ("00302/00320/33333/00300/00300", "02302/20320/33333/02302/20320"),
            ],
            "00300/00301/33333/00300/00300",
            None,
        );
        let first = learn(&t).0.into_iter().next().expect("a rule");
        assert_eq!(first.tests, vec![grid("00300/01301/33333/00300/01301")], "{}", first.answer);
        assert!(matches!(&first.answer, Answer::Cells(r) if r.prop == Prop::Empty), "{}", first.answer);
    }

    #[test]
    fn cells_by_place_and_unseen_places_kept_leniently() {
        // The first cell turns 1 and the last 3; the test's 3×3 layout has a middle cell that no
        // demo (2×2 and 2×3 layouts) showed: it is kept, and the rule is weak.
        let t = task(
            &[
                ("00500/00500/55555/00500", "11500/11500/55555/00533"),
                ("05050/55555/05050/05050", "15050/55555/05053/05053"),
            ],
            "05050/55555/05050/55555/05050",
            None,
        );
        let first = learn(&t).0.into_iter().next().expect("a rule");
        assert_eq!(first.tests, vec![grid("15050/55555/05050/55555/05053")], "{}", first.answer);
        assert!(matches!(&first.answer, Answer::Cells(r) if r.prop == Prop::Place && r.lenient) && first.weak, "{}", first.answer);
        assert_eq!(first.answer.run(&crate::dsl::Ctx::plain(), &t.test[0].input).as_ref(), Ok(&first.tests[0]));
    }

    #[test]
    fn a_changed_separator_or_no_layout_gives_nothing() {
        let moved_line = task(
            &[("10500/55555/00500", "10500/55055/00500"), ("00501/55555/00500", "00501/55055/00500")],
            "00500/55555/10500",
            None,
        );
        assert!(learn(&moved_line).0.is_empty());
        let no_lines = task(&[("100/000", "200/000"), ("010/000", "020/000")], "001/000", None);
        assert!(learn(&no_lines).0.is_empty());
    }
}
