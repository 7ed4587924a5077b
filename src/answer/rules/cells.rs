//! Cell rules, the `cell_rule` form: a grid cut by separator lines into a [`Layout`] of cells,
//! each cell kept, cleared, filled or replaced by a copy of the fullest cell ([`Act`]) by a table
//! over one cell property ([`Prop`]). [`CellRule::run`] replays a rule; the learner
//! (`search::learn::cells`) finds the tables and predicts through [`CellRule::paint`].

use crate::dsl::Na;
use crate::dsl::color::most_common;
use crate::dsl::split::separator_bands;
use crate::grid::{Color, Grid};
use crate::program::EvalError;
use std::collections::BTreeMap;

/// One grid cut into cells by its separator lines.
pub struct Layout {
    /// Bands `(start, len)` of rows and of columns between the separator lines.
    pub rows: Vec<(usize, usize)>,
    pub cols: Vec<(usize, usize)>,
    /// Each cell's content, row-major over the bands.
    pub cells: Vec<Grid>,
    /// Each cell's count of non-background cells.
    pub counts: Vec<usize>,
}

impl Layout {
    /// The layout of a grid, with cell counts still to be made ([`Layout::count`]).
    pub fn of(g: &Grid) -> Option<Layout> {
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
    pub fn count(&mut self, bg: Color) {
        self.counts = self.cells.iter().map(|c| c.cells().iter().filter(|&&v| v != bg).count()).collect();
    }

    /// The position of cell `i`: `(row band, column band)`.
    pub fn at(&self, i: usize) -> (usize, usize) {
        (i / self.cols.len(), i % self.cols.len())
    }

    /// The one cell with the most non-background cells, if one has strictly the most.
    pub fn fullest(&self) -> Option<usize> {
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

/// Every cell property, simplest first.
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
    pub fn key(self, l: &Layout, i: usize, bg: Color) -> (i64, i64) {
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

/// Every action, in order of preference.
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
    pub fn apply(self, l: &Layout, i: usize, bg: Color) -> Option<Grid> {
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
        self.paint(input, &l).ok_or(na("a cell the demos never showed, or an action that does not apply"))
    }

    /// A grid `g` (cut into `l`, its cells counted on [`CellRule::bg`]) with each cell replaced
    /// as the table says; `None` when an action does not apply or a cell's key is not in the
    /// table (unless `lenient`: such cells are kept). How the rule runs, and how the learner
    /// predicts with it.
    pub fn paint(&self, g: &Grid, l: &Layout) -> Option<Grid> {
        let mut out = g.cells().to_vec();
        for i in 0..l.cells.len() {
            let act = self.table.get(&self.prop.key(l, i, self.bg)).copied().or(self.lenient.then_some(Act::Keep))?;
            let cell = act.apply(l, i, self.bg)?;
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
}
