//! Learning object recolouring rules: the output is the input with whole connected components
//! recoloured (or erased to the background), the new colour a function of one object property.
//! The rule as data, the segmentations, the properties and how a rule paints a grid are answer
//! data ([`crate::answer::rules::objects`]); this file only finds the tables, and predicts
//! through [`ObjectRule::paint`].
//!
//! For each way of cutting objects out (4- or 8-connected, single- or multi-colour), the
//! demos must change nothing but whole objects, each to one colour. Properties are then tried
//! simplest first, alone and then together with the object's colour; the first whose table
//! `property -> colour` is consistent over every demo object, supported (an entry that changes
//! an object is seen on at least [`MIN_SUPPORT`] objects) and defined for every test object
//! gives the rule.

use super::{MIN_SUPPORT, targets};
use crate::answer::Answer;
use crate::answer::rules::objects::{Cut, ObjectRule, PROPS, SEGMENTATIONS, cells_of, cut, key};
use crate::dsl::Obj;
use crate::dsl::color::background;
use crate::grid::{Color, Grid};
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::task::Task;
use std::collections::BTreeMap;

/// What the output does to each object: `Some(c)` paints it all `c`, `None` leaves a
/// multi-colour object as it is. `None` overall when anything else changes.
fn object_targets(input: &Grid, output: &Grid, objs: &[Obj]) -> Option<Vec<Option<Color>>> {
    let w = input.w();
    let mut covered = vec![false; input.cells().len()];
    let mut out = Vec::with_capacity(objs.len());
    for o in objs {
        let cells: Vec<usize> = cells_of(o, w).collect();
        for &i in &cells {
            covered[i] = true;
        }
        let first = output.cells()[cells[0]];
        if cells.iter().all(|&i| output.cells()[i] == first) {
            out.push(Some(first));
        } else if cells.iter().all(|&i| output.cells()[i] == input.cells()[i]) {
            out.push(None);
        } else {
            return None;
        }
    }
    let rest_same = (0..covered.len()).all(|i| covered[i] || input.cells()[i] == output.cells()[i]);
    rest_same.then_some(out)
}

/// The object recolouring rules learnt on a same-shape task (one per segmentation at most),
/// with the work spent.
pub fn learn(task: &Task) -> (Vec<Prediction>, u64) {
    let outputs = targets(task);
    let n_ex = (task.train.len() + task.test.len()) as u64;
    let mut work = 0;
    let mut preds = Vec::new();
    // One background for the task: the most common colour over every input.
    let inputs: Vec<&Grid> = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input)).collect();
    let bg = background(&inputs);
    for (segmentation, (conn8, multi, _)) in SEGMENTATIONS.into_iter().enumerate() {
        work += n_ex;
        let demos: Vec<Cut> = task.train.iter().map(|p| cut(&p.input, conn8, multi, bg)).collect();
        let Some(wanted) = demos
            .iter()
            .zip(&task.train)
            .map(|(d, p)| object_targets(&p.input, &p.output, &d.objs))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        if task.train.iter().zip(&outputs).all(|(p, o)| p.input == **o) {
            continue;
        }
        let tests: Vec<Cut> = task.test.iter().map(|t| cut(&t.input, conn8, multi, bg)).collect();
        let rules = [false, true].into_iter().flat_map(|c| (0..PROPS.len()).map(move |p| (p, c)));
        for (rank, (p, with_colour)) in rules.enumerate() {
            work += n_ex;
            let Some(table) = fit(&demos, &wanted, |props| key(props, p, with_colour)) else { continue };
            let table = table.into_iter().map(|(k, (v, _))| (k, v)).collect();
            let rule = ObjectRule { segmentation, prop: p, with_colour, bg, table };
            let Some(grids) =
                task.test.iter().zip(&tests).map(|(t, c)| rule.paint(&t.input, c)).collect::<Option<Vec<Grid>>>()
            else {
                continue;
            };
            let answer = Answer::Objects(rule);
            preds.push(Prediction { tests: grids, answer, cost: (rank as u32 + 2) * STEPS, votes: 1, weak: false });
            break;
        }
    }
    (preds, work)
}

type Table = BTreeMap<(i64, i64), (Option<Color>, u32)>;

/// The table `key -> target` over every demo object, if consistent and supported.
fn fit(demos: &[Cut], wanted: &[Vec<Option<Color>>], key: impl Fn(&[i64; PROPS.len()]) -> (i64, i64)) -> Option<Table> {
    let mut table = Table::new();
    let mut changed: BTreeMap<(i64, i64), bool> = BTreeMap::new();
    for (d, ws) in demos.iter().zip(wanted) {
        for ((o, props), &want) in d.objs.iter().zip(&d.props).zip(ws) {
            let k = key(props);
            let e = table.entry(k).or_insert((want, 0));
            if e.0 != want {
                return None;
            }
            e.1 += 1;
            let recoloured = want.is_some_and(|c| o.mask.iter().zip(o.grid.cells()).any(|(&m, &v)| m && v != c));
            *changed.entry(k).or_default() |= recoloured;
        }
    }
    let any_change = changed.values().any(|&c| c);
    let supported = table.iter().all(|(k, &(_, n))| !changed[k] || n >= MIN_SUPPORT);
    (any_change && supported).then_some(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::rules::objects::Prop;
    use crate::testing::{grid, task};

    #[test]
    fn recolours_the_largest_object() {
        let t = task(
            &[
                ("11000/11010/00000/00011", "22000/22010/00000/00011"),
                ("10000/00000/01110/00000", "10000/00000/02220/00000"),
            ],
            "00000/01000/00000/11111",
            None,
        );
        let (preds, work) = learn(&t);
        let first = preds.first().expect("a rule");
        assert_eq!(first.tests, vec![grid("00000/01000/00000/22222")]);
        assert!(matches!(&first.answer, Answer::Objects(r) if PROPS[r.prop] == Prop::Largest), "{}", first.answer);
        assert_eq!(first.answer.run(&crate::dsl::Ctx::plain(), &t.test[0].input).as_ref(), Ok(&first.tests[0]));
        assert!(work > 0);
    }

    #[test]
    fn a_change_that_is_not_whole_objects_gives_nothing() {
        // Half of an object changes colour.
        let t = task(&[("1100/0000", "1200/0000"), ("0011/0000", "0012/0000")], "1100/0000", None);
        assert!(learn(&t).0.is_empty());
    }

    #[test]
    fn an_unseen_test_object_gives_nothing() {
        // Size 1 becomes 2 and size 2 stays; the test has an object of size 3.
        let t = task(&[("1011/0000", "2011/0000"), ("0110/0001", "0110/0002")], "1110/0000", None);
        let demos: Vec<Cut> = t.train.iter().map(|p| cut(&p.input, false, false, 0)).collect();
        let wanted: Vec<_> =
            demos.iter().zip(&t.train).map(|(d, p)| object_targets(&p.input, &p.output, &d.objs).unwrap()).collect();
        let size = PROPS.iter().position(|&p| p == Prop::Size).unwrap();
        let table = fit(&demos, &wanted, |props| key(props, size, false)).expect("size is consistent");
        let table = table.into_iter().map(|(k, (v, _))| (k, v)).collect();
        let rule = ObjectRule { segmentation: 0, prop: size, with_colour: false, bg: 0, table };
        let test = cut(&t.test[0].input, false, false, 0);
        assert_eq!(rule.paint(&t.test[0].input, &test), None);
        let seen = grid("0110/0001");
        assert_eq!(rule.paint(&seen, &cut(&seen, false, false, 0)), Some(grid("0110/0002")));
    }

    #[test]
    fn a_change_seen_once_is_memorising() {
        // Only one object ever changes: every property that singles it out is seen once.
        let t = task(&[("1010/0000/0001", "2010/0000/0001"), ("0000/0000/0000", "0000/0000/0000")], "1000/0000/0001", None);
        assert!(learn(&t).0.is_empty());
    }
}
