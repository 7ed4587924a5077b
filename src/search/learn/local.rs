//! Learning local (cellular) rules: each output cell is a function of features of a base grid
//! around that cell, learnt as a lookup table from the demos. The rule as data, its feature sets
//! and how it paints a grid are answer data ([`crate::answer::rules::local`]); this file only
//! finds the tables, and predicts through [`LocalRule::paint`].
//!
//! Bases are the input and the cheapest shape-right states of the enumeration. Feature sets
//! are tried from the smallest key space up; the first that is consistent on every demo cell
//! (no key maps to two colours), supported (every entry that changes a colour is seen at least
//! [`MIN_SUPPORT`] times) and covering (every key of the test bases was seen in the demos)
//! gives the base's rule. When no feature set covers the test, a lenient pass keeps the base
//! colour wherever the test shows a key the demos never showed.

use super::{MIN_SUPPORT, targets};
use crate::answer::Answer;
use crate::answer::rules::local::{FEATURES, Feature, LocalRule};
use crate::dsl::color::background;
use crate::grid::{Color, Grid};
use crate::hash::FxHasher;
use crate::program::{Expr, Program};
use crate::search::engine::Enumeration;
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::search::state::expr_of;
use crate::task::Task;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Extra cost units of a lenient rule (unseen keys keep the base colour).
const LENIENT_PENALTY: u32 = 4;

type Table = HashMap<u64, (Color, u32), BuildHasherDefault<FxHasher>>;

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
            let table = table.iter().map(|(&k, &(c, _))| (k, c)).collect();
            let mut rule = LocalRule { feature: f, bg, table, lenient: false, base: base.program.clone() };
            let tests = |rule: &LocalRule| -> Option<Vec<Grid>> {
                base.grids[n_train..].iter().zip(&keys[n_train..]).map(|(g, k)| rule.paint(g, k).ok()).collect()
            };
            let cost = base.cost + (i as u32 + 1) * STEPS;
            if let Some(tests) = tests(&rule) {
                preds.push(Prediction { tests, answer: Answer::Local(rule), cost, votes: 1, weak: false });
                lenient_pred = None;
                break;
            }
            if lenient_pred.is_none() {
                rule.lenient = true;
                if let Some(tests) = tests(&rule) {
                    let cost = cost + LENIENT_PENALTY * STEPS;
                    lenient_pred = Some(Prediction { tests, answer: Answer::Local(rule), cost, votes: 1, weak: true });
                }
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
    use crate::dsl::Ctx;
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
}
