//! Learning cell rules: grids cut by separator lines into a layout of cells, where the output
//! keeps the lines and every cell becomes one of a few things — kept, cleared, filled with one
//! colour, or a copy of the grid's fullest cell — chosen by a property of the cell. The layout,
//! the properties, the actions and how a rule paints a grid are answer data
//! ([`crate::answer::rules::cells`]); this file only finds the tables, and predicts through
//! [`CellRule::paint`].
//!
//! Properties are tried simplest first; the first whose table `property -> action` is
//! consistent over every demo cell (some action explains every cell of each key), supported (a
//! key whose action changes something is seen on at least [`MIN_SUPPORT`] cells) and defined
//! for every test cell gives the rule. Among the actions that explain a key, the earliest in
//! [`Act`]'s order wins (keeping before clearing before filling).

use super::MIN_SUPPORT;
use crate::answer::Answer;
use crate::answer::rules::cells::{ACTS, Act, CellRule, Layout, PROPS, Prop};
use crate::dsl::color::background;
use crate::grid::{Color, Grid};
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::task::Task;
use std::collections::BTreeMap;

/// Extra cost units of a lenient rule (cells of unseen keys are kept).
const LENIENT_PENALTY: u32 = 4;

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
        let Some(table) = fit(demos, &wanted, prop, bg) else { continue };
        let mut rule = CellRule { prop, bg, table, lenient: false };
        let cost = (rank as u32 + 2) * STEPS;
        let paint_all = |rule: &CellRule| -> Option<Vec<Grid>> {
            task.test.iter().zip(tests).map(|(t, l)| rule.paint(&t.input, l)).collect()
        };
        if let Some(tests) = paint_all(&rule) {
            return (vec![Prediction { tests, answer: Answer::Cells(rule), cost, votes: 1, weak: false }], work);
        }
        if lenient.is_none() {
            rule.lenient = true;
            if let Some(tests) = paint_all(&rule) {
                let cost = cost + LENIENT_PENALTY * STEPS;
                lenient = Some(Prediction { tests, answer: Answer::Cells(rule), cost, votes: 1, weak: true });
            }
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
