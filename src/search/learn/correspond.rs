//! Learning object correspondence rules: each input object is matched to what the output
//! makes of it (kept, deleted, recoloured, turned in place, slid, moved into a hole or by a
//! step), and the change is read off a table over one or two object features, properties or
//! relations to the other objects. The rule as data, its features and changes and how it
//! paints a grid are answer data ([`crate::answer::rules::correspond`]); this file only finds
//! the tables, and predicts through [`MatchRule::paint`].
//!
//! For each way of cutting objects out, every demo object gets the set of changes that put its
//! cells where the output has them (`options`). Keys are then tried simplest first: one
//! feature, then two of the colour and the relations. A key fits when the objects that
//! share a key value share a change (the simplest common one is taken), every change other
//! than `keep` is seen on at least [`MIN_SUPPORT`] objects, the rule repaints every demo
//! output exactly and it covers every test object. The first fit per segmentation gives the
//! rule, ranked after the recolouring rules (`objects`), which it extends.

use super::{MIN_SUPPORT, targets};
use crate::answer::Answer;
use crate::answer::rules::correspond::{Change, MatchRule, N_FEATURES, SLIDES, Scene, Turn, placed, scene};
use crate::answer::rules::objects::{PROPS, SEGMENTATIONS};
use crate::dsl::color::background;
use crate::grid::{Color, Grid, N_COLORS};
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::task::Task;
use std::collections::BTreeMap;

/// Most objects a grid may have for the learner to match them.
const MAX_OBJECTS: usize = 40;

/// The changes of object `i` that agree with `output` on every cell the change paints, simplest
/// first, steps last (a deleted object's cells must be background in the output).
fn options(input: &Grid, output: &Grid, s: &Scene, i: usize, bg: Color) -> Vec<Change> {
    let agrees = |change: Change| {
        placed(input, s, i, change, bg).is_some_and(|cells| {
            if change == Change::Delete {
                let w = input.w();
                return crate::answer::rules::objects::cells_of(&s.cut.objs[i], w).all(|k| output.cells()[k] == bg);
            }
            !cells.is_empty() && cells.iter().all(|&(k, c)| output.cells()[k] == c)
        })
    };
    // Deleting comes after the moves: an object that moved also left its cells to the background.
    let mut fixed = vec![Change::Keep];
    fixed.extend((0..N_COLORS as Color).filter(|&c| c != bg).map(Change::Paint));
    fixed.extend([Change::TwinColour, Change::HeldTwinColour]);
    fixed.extend(Turn::ALL.map(Change::Turn));
    fixed.extend((0..SLIDES.len() as u8).map(Change::Slide));
    fixed.extend([Change::IntoHole, Change::Delete]);
    let mut out: Vec<Change> = fixed.into_iter().filter(|&c| agrees(c)).collect();
    // Steps: every place the object's first cell could have gone to in the output.
    let o = &s.cut.objs[i];
    let bw = o.grid.w();
    if let Some(k0) = o.mask.iter().position(|&m| m) {
        let (r0, c0, colour) = (o.top + k0 / bw, o.left + k0 % bw, o.grid.cells()[k0]);
        for (k, &c) in output.cells().iter().enumerate() {
            let (dy, dx) = ((k / output.w()) as i64 - r0 as i64, (k % output.w()) as i64 - c0 as i64);
            if c == colour && (dy, dx) != (0, 0) {
                let step = Change::Shift(dy as i8, dx as i8);
                if agrees(step) {
                    out.push(step);
                }
            }
        }
    }
    out
}

/// The correspondence rules learnt on a same-shape task (one per segmentation at most), with
/// the work spent.
pub fn learn(task: &Task) -> (Vec<Prediction>, u64) {
    let outputs = targets(task);
    let n_ex = (task.train.len() + task.test.len()) as u64;
    let mut work = 0;
    let mut preds = Vec::new();
    if task.train.iter().zip(&outputs).all(|(p, o)| p.input == **o) {
        return (preds, work);
    }
    let inputs: Vec<&Grid> = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input)).collect();
    let bg = background(&inputs);
    // Keys, simplest first: one feature; then two of the colour and the relations (a pair of
    // properties would mostly memorise).
    let pairable: Vec<usize> = std::iter::once(0).chain(PROPS.len()..N_FEATURES).collect();
    let keys: Vec<(Option<usize>, usize)> = (0..N_FEATURES)
        .map(|b| (None, b))
        .chain(pairable.iter().flat_map(|&a| pairable.iter().filter(move |&&b| b > a).map(move |&b| (Some(a), b))))
        .collect();
    for (segmentation, (conn8, multi, _)) in SEGMENTATIONS.into_iter().enumerate() {
        work += n_ex;
        let demos: Vec<Scene> = task.train.iter().map(|p| scene(&p.input, conn8, multi, bg)).collect();
        let tests: Vec<Scene> = task.test.iter().map(|t| scene(&t.input, conn8, multi, bg)).collect();
        if demos.iter().chain(&tests).any(|s| s.cut.objs.is_empty() || s.cut.objs.len() > MAX_OBJECTS) {
            continue;
        }
        let opts: Vec<Vec<Vec<Change>>> = demos
            .iter()
            .zip(&task.train)
            .map(|(s, p)| (0..s.cut.objs.len()).map(|i| options(&p.input, &p.output, s, i, bg)).collect())
            .collect();
        // An object nothing explains rules out every key.
        if opts.iter().flatten().any(Vec::is_empty) {
            continue;
        }
        for (rank, &(first, second)) in keys.iter().enumerate() {
            work += n_ex;
            let mut rule = MatchRule { segmentation, first, second, bg, table: BTreeMap::new() };
            let Some(table) = fit(&demos, &opts, |f| rule.key(f)) else { continue };
            rule.table = table;
            let fits = demos.iter().zip(&task.train).all(|(s, p)| rule.paint(&p.input, s).as_ref() == Some(&p.output));
            if !fits {
                continue;
            }
            let Some(grids) = task.test.iter().zip(&tests).map(|(t, s)| rule.paint(&t.input, s)).collect::<Option<Vec<Grid>>>()
            else {
                continue;
            };
            let cost = (2 * PROPS.len() as u32 + 2 + rank as u32) * STEPS;
            preds.push(Prediction { tests: grids, answer: Answer::Match(rule), cost, votes: 1, weak: false });
            break;
        }
    }
    (preds, work)
}

/// The table `key -> change` over every demo object (the simplest change the objects of each
/// key share), if there is one, something changes and every change is supported.
fn fit(
    demos: &[Scene],
    opts: &[Vec<Vec<Change>>],
    key: impl Fn(&[i64; N_FEATURES]) -> (i64, i64),
) -> Option<BTreeMap<(i64, i64), Change>> {
    let mut common: BTreeMap<(i64, i64), (Vec<Change>, u32)> = BTreeMap::new();
    for (s, os) in demos.iter().zip(opts) {
        for (f, o) in s.features.iter().zip(os) {
            let e = common.entry(key(f)).or_insert_with(|| (o.clone(), 0));
            e.0.retain(|c| o.contains(c));
            if e.0.is_empty() {
                return None;
            }
            e.1 += 1;
        }
    }
    let table: BTreeMap<(i64, i64), Change> = common.iter().map(|(&k, (cs, _))| (k, cs[0])).collect();
    let any_change = table.values().any(|&c| c != Change::Keep);
    let supported = common.iter().all(|(k, (_, n))| table[k] == Change::Keep || *n >= MIN_SUPPORT);
    (any_change && supported).then_some(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{grid, task};

    /// Objects with the shape of the one held in a ring take its colour.
    fn held_template() -> Task {
        task(
            &[
                ("555000/525010/555000/000000/010000", "555000/525020/555000/000000/020000"),
                ("555010/535000/555000/000000/100000", "555030/535000/555000/000000/300000"),
            ],
            "000100/555000/545001/555000/100000",
            Some("000400/555000/545004/555000/400000"),
        )
    }

    #[test]
    fn recolours_objects_like_the_held_template() {
        let t = held_template();
        let (preds, work) = learn(&t);
        assert!(work > 0);
        let first = preds.first().expect("a rule");
        assert_eq!(Some(&first.tests[0]), t.test[0].output.as_ref(), "{}", first.answer);
        // The answer's text replays to the same grids.
        let back: Answer = first.answer.to_string().parse().unwrap();
        assert_eq!(back, first.answer);
        assert_eq!(back.run(&crate::dsl::Ctx::plain(), &t.test[0].input).as_ref(), Ok(&first.tests[0]));
    }

    #[test]
    fn objects_move_into_the_holes_they_fit() {
        let t = task(
            &[
                ("5555000/5005220/5555000/0000000/0303000", "5555000/5225000/5555000/0000000/0303000"),
                ("0000000/5555000/5005030/5555000/0000440", "0000000/5555000/5445030/5555000/0000000"),
            ],
            "5555500/5000500/5555500/0000000/0666000/0000007",
            Some("5555500/5666500/5555500/0000000/0000000/0000007"),
        );
        let (preds, _) = learn(&t);
        let first = preds.first().expect("a rule");
        assert_eq!(Some(&first.tests[0]), t.test[0].output.as_ref(), "{}", first.answer);
        assert!(matches!(&first.answer, Answer::Match(r) if r.table.values().any(|&c| c == Change::IntoHole)), "{}", first.answer);
        assert_eq!(first.answer.run(&crate::dsl::Ctx::plain(), &t.test[0].input).as_ref(), Ok(&first.tests[0]));
    }

    #[test]
    fn a_change_seen_once_is_memorising() {
        // One object moves once; nothing else changes.
        let t = task(&[("1000/0000/0020", "0000/0100/0020"), ("0000/0020/0000", "0000/0020/0000")], "0010/0000/2000", None);
        assert!(learn(&t).0.is_empty(), "{:?}", learn(&t).0.first().map(|p| p.answer.to_string()));
    }

    #[test]
    fn an_unseen_test_object_gives_nothing() {
        // The test holds a colour and a shape the demos never showed: no key covers it.
        let mut t = held_template();
        t.test[0].input = grid("000100/555000/545001/555000/100077");
        t.test[0].output = None;
        let (preds, _) = learn(&t);
        for p in &preds {
            assert_eq!(p.answer.run(&crate::dsl::Ctx::plain(), &t.test[0].input).as_ref(), Ok(&p.tests[0]));
            assert_eq!(p.tests[0].get(4, 4), 7, "{}", p.answer);
        }
    }
}
