//! Object recolouring rules: the output is the input with whole connected components
//! recoloured (or erased to the background), the new colour a function of one object property.
//!
//! For each way of cutting objects out (4- or 8-connected, single- or multi-colour), the
//! demos must change nothing but whole objects, each to one colour. Properties are then tried
//! simplest first, alone and then together with the object's colour; the first whose table
//! `property -> colour` is consistent over every demo object, supported (an entry that changes
//! an object is seen on at least [`MIN_SUPPORT`] objects) and defined for every test object
//! gives the rule.

use super::{MIN_SUPPORT, targets};
use crate::answer::Answer;
use crate::dsl::{Na, Obj};
use crate::program::EvalError;
use crate::dsl::util::{components, holes, obj_color, shape_key};
use crate::grid::{Color, Grid};
use crate::search::compose::background;
use crate::search::guide::STEPS;
use crate::search::rank::Prediction;
use crate::search::state::FxHasher;
use crate::task::Task;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// Ways to cut objects out: 8-connectivity, several colours per object, and the token in an
/// answer's text.
pub const SEGMENTATIONS: [(bool, bool, &str); 3] = [(false, false, "c4"), (true, false, "c8"), (true, true, "c8_multi")];

/// Object properties, simplest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    Colour,
    Largest,
    Smallest,
    /// Largest, smallest, both or neither.
    Extreme,
    TouchesBorder,
    HasHoles,
    UniqueShape,
    Symmetric,
    ColourCount,
    Size,
    SizeRank,
    /// Whether the size is exactly this.
    SizeIs(u8),
    /// Whether the size is over this.
    SizeOver(u8),
    Height,
    Width,
    SameShapeCount,
    Shape,
    TopRank,
    LeftRank,
}

/// Every property, simplest first.
pub const PROPS: [Prop; 29] = [
    Prop::Colour,
    Prop::Largest,
    Prop::Smallest,
    Prop::Extreme,
    Prop::TouchesBorder,
    Prop::HasHoles,
    Prop::UniqueShape,
    Prop::Symmetric,
    Prop::ColourCount,
    Prop::Size,
    Prop::SizeRank,
    Prop::SizeIs(1),
    Prop::SizeIs(2),
    Prop::SizeIs(3),
    Prop::SizeIs(4),
    Prop::SizeIs(5),
    Prop::SizeIs(6),
    Prop::SizeOver(1),
    Prop::SizeOver(2),
    Prop::SizeOver(3),
    Prop::SizeOver(4),
    Prop::SizeOver(5),
    Prop::SizeOver(6),
    Prop::Height,
    Prop::Width,
    Prop::SameShapeCount,
    Prop::Shape,
    Prop::TopRank,
    Prop::LeftRank,
];

impl Prop {
    /// The token of this property in an answer's text.
    pub fn name(self) -> String {
        let name = match self {
            Prop::SizeIs(k) => return format!("size_is_{k}"),
            Prop::SizeOver(k) => return format!("size_over_{k}"),
            Prop::Colour => "colour",
            Prop::Largest => "is_largest",
            Prop::Smallest => "is_smallest",
            Prop::Extreme => "largest_smallest",
            Prop::TouchesBorder => "touches_border",
            Prop::HasHoles => "has_holes",
            Prop::UniqueShape => "unique_shape",
            Prop::Symmetric => "symmetric",
            Prop::ColourCount => "colour_count",
            Prop::Size => "size",
            Prop::SizeRank => "size_rank",
            Prop::Height => "height",
            Prop::Width => "width",
            Prop::SameShapeCount => "same_shape_count",
            Prop::Shape => "shape",
            Prop::TopRank => "row_rank",
            Prop::LeftRank => "column_rank",
        };
        name.to_string()
    }

    /// The index in [`PROPS`] of the property with this token.
    pub fn index_of(name: &str) -> Option<usize> {
        PROPS.iter().position(|p| p.name() == name)
    }
}

/// A learnt object recolouring rule as data: how objects are cut out (an index into
/// [`SEGMENTATIONS`]), the property (an index into [`PROPS`]) and whether the object's colour is
/// part of the key, the background, and the table `key -> colour` (`None`: a multi-colour object
/// is left as it is). Gives nothing on a grid with an object whose key the table lacks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRule {
    pub segmentation: usize,
    pub prop: usize,
    pub with_colour: bool,
    pub bg: Color,
    pub table: BTreeMap<(i64, i64), Option<Color>>,
}

impl ObjectRule {
    /// The rule on one input grid.
    pub fn run(&self, input: &Grid) -> Result<Grid, EvalError> {
        let na = |why| EvalError::NotApplicable { prim: "object_rule", na: Na(why) };
        let (conn8, multi, _) = *SEGMENTATIONS.get(self.segmentation).ok_or(na("no such segmentation"))?;
        if self.prop >= PROPS.len() {
            return Err(na("no such property"));
        }
        let c = cut(input, conn8, multi, self.bg);
        let table: Table = self.table.iter().map(|(&k, &v)| (k, (v, 0))).collect();
        paint(input, &c, &table, |props| key(props, self.prop, self.with_colour)).ok_or(na("an object the demos never showed"))
    }
}

/// Every property of object `i` among the objects of one grid (`h × w`), in [`PROPS`] order.
/// Colour comes first: rules keyed by colour and a property read it from there.
fn properties(objs: &[Obj], i: usize, (h, w): (usize, usize)) -> [i64; PROPS.len()] {
    let o = &objs[i];
    let size = o.size();
    let sizes: Vec<usize> = objs.iter().map(Obj::size).collect();
    let shape_hash = |o: &Obj| {
        let mut hasher = FxHasher::default();
        shape_key(o).hash(&mut hasher);
        hasher.finish()
    };
    let shape = shape_hash(o);
    let same_shape = objs.iter().filter(|p| shape_hash(p) == shape).count();
    let mut distinct: Vec<usize> = sizes.clone();
    distinct.sort_unstable_by(|a, b| b.cmp(a));
    distinct.dedup();
    let rank = |key: fn(&Obj) -> usize| {
        let mut v: Vec<usize> = objs.iter().map(key).collect();
        v.sort_unstable();
        v.dedup();
        v.iter().position(|&x| x == key(o)).unwrap_or(0) as i64
    };
    let (bh, bw) = o.grid.shape();
    let mirror_lr = (0..bh).all(|r| (0..bw).all(|c| o.has(r, c) == o.has(r, bw - 1 - c)));
    let mirror_ud = (0..bh).all(|r| (0..bw).all(|c| o.has(r, c) == o.has(bh - 1 - r, c)));
    let mut colours = 0u16;
    for (k, &c) in o.grid.cells().iter().enumerate() {
        if o.mask[k] {
            colours |= 1 << c;
        }
    }
    let border = o.top == 0 || o.left == 0 || o.top + bh == h || o.left + bw == w;
    let (largest, smallest) = (size == distinct[0], size == *distinct.last().unwrap_or(&0));
    PROPS.map(|p| match p {
        Prop::Colour => obj_color(o) as i64,
        Prop::Largest => largest as i64,
        Prop::Smallest => smallest as i64,
        Prop::Extreme => largest as i64 | (smallest as i64) << 1,
        Prop::TouchesBorder => border as i64,
        Prop::HasHoles => holes(o).iter().any(|&x| x) as i64,
        Prop::UniqueShape => (same_shape == 1) as i64,
        Prop::Symmetric => mirror_lr as i64 | (mirror_ud as i64) << 1,
        Prop::ColourCount => colours.count_ones() as i64,
        Prop::Size => size as i64,
        Prop::SizeRank => distinct.iter().position(|&s| s == size).unwrap_or(0) as i64,
        Prop::SizeIs(k) => (size == k as usize) as i64,
        Prop::SizeOver(k) => (size > k as usize) as i64,
        Prop::Height => bh as i64,
        Prop::Width => bw as i64,
        Prop::SameShapeCount => same_shape as i64,
        Prop::Shape => shape as i64,
        Prop::TopRank => rank(|o| o.top),
        Prop::LeftRank => rank(|o| o.left),
    })
}

/// One grid cut into objects, each with its properties.
struct Cut {
    objs: Vec<Obj>,
    props: Vec<[i64; PROPS.len()]>,
}

fn cut(g: &Grid, conn8: bool, multi: bool, bg: Color) -> Cut {
    let objs = components(g, conn8, multi, bg).to_vec();
    let props = (0..objs.len()).map(|i| properties(&objs, i, g.shape())).collect();
    Cut { objs, props }
}

/// The flat indices of an object's cells in a grid `w` wide.
fn cells_of(o: &Obj, w: usize) -> impl Iterator<Item = usize> + '_ {
    let bw = o.grid.w();
    o.mask.iter().enumerate().filter(|(_, m)| **m).map(move |(k, _)| (o.top + k / bw) * w + o.left + k % bw)
}

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

/// A table key: the property's value, with the object's colour when `with_colour`.
fn key(props: &[i64; PROPS.len()], p: usize, with_colour: bool) -> (i64, i64) {
    (if with_colour { props[0] } else { -1 }, props[p])
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
            let Some(grids) = task
                .test
                .iter()
                .zip(&tests)
                .map(|(t, c)| paint(&t.input, c, &table, |props| key(props, p, with_colour)))
                .collect::<Option<Vec<Grid>>>()
            else {
                continue;
            };
            let table = table.into_iter().map(|(k, (v, _))| (k, v)).collect();
            let answer = Answer::Objects(ObjectRule { segmentation, prop: p, with_colour, bg, table });
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

/// A test input with each object painted as the table says; `None` when an object's key was
/// never seen in the demos.
fn paint(g: &Grid, c: &Cut, table: &Table, key: impl Fn(&[i64; PROPS.len()]) -> (i64, i64)) -> Option<Grid> {
    let mut cells = g.cells().to_vec();
    for (o, props) in c.objs.iter().zip(&c.props) {
        let &(want, _) = table.get(&key(props))?;
        if let Some(colour) = want {
            for i in cells_of(o, g.w()) {
                cells[i] = colour;
            }
        }
    }
    Grid::from_cells(g.h(), g.w(), cells).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let test = cut(&t.test[0].input, false, false, 0);
        assert_eq!(paint(&t.test[0].input, &test, &table, |props| key(props, size, false)), None);
        let seen = grid("0110/0001");
        assert_eq!(
            paint(&seen, &cut(&seen, false, false, 0), &table, |props| key(props, size, false)),
            Some(grid("0110/0002"))
        );
    }

    #[test]
    fn a_change_seen_once_is_memorising() {
        // Only one object ever changes: every property that singles it out is seen once.
        let t = task(&[("1010/0000/0001", "2010/0000/0001"), ("0000/0000/0000", "0000/0000/0000")], "1000/0000/0001", None);
        assert!(learn(&t).0.is_empty());
    }
}
