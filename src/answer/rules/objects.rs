//! Object recolouring rules, the `object_rule` form: objects cut out of the input (a
//! segmentation of [`SEGMENTATIONS`]) on a background, each painted by a table over the object's
//! colour and one property ([`PROPS`]). [`ObjectRule::run`] replays a rule; the learner
//! (`search::learn::objects`) finds the tables and predicts through [`ObjectRule::paint`].

use crate::dsl::util::{components, holes, obj_color, shape_key};
use crate::dsl::{Na, Obj};
use crate::grid::{Color, Grid};
use crate::hash::FxHasher;
use crate::program::EvalError;
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
        self.paint(input, &c).ok_or(na("an object the demos never showed"))
    }

    /// A grid `g` (cut into objects `c` as [`ObjectRule::segmentation`] says) with each object
    /// painted as the table says; `None` when an object's key is not in the table. How the rule
    /// runs, and how the learner predicts with it.
    pub fn paint(&self, g: &Grid, c: &Cut) -> Option<Grid> {
        let mut cells = g.cells().to_vec();
        for (o, props) in c.objs.iter().zip(&c.props) {
            let &want = self.table.get(&key(props, self.prop, self.with_colour))?;
            if let Some(colour) = want {
                for i in cells_of(o, g.w()) {
                    cells[i] = colour;
                }
            }
        }
        Grid::from_cells(g.h(), g.w(), cells).ok()
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

/// One grid cut into objects, each with its properties (in [`PROPS`] order).
pub struct Cut {
    pub objs: Vec<Obj>,
    pub props: Vec<[i64; PROPS.len()]>,
}

/// A grid cut into objects (8-connected or not, multi-colour or not) on background `bg`.
pub fn cut(g: &Grid, conn8: bool, multi: bool, bg: Color) -> Cut {
    let objs = components(g, conn8, multi, bg).to_vec();
    let props = (0..objs.len()).map(|i| properties(&objs, i, g.shape())).collect();
    Cut { objs, props }
}

/// The flat indices of an object's cells in a grid `w` wide.
pub fn cells_of(o: &Obj, w: usize) -> impl Iterator<Item = usize> + '_ {
    let bw = o.grid.w();
    o.mask.iter().enumerate().filter(|(_, m)| **m).map(move |(k, _)| (o.top + k / bw) * w + o.left + k % bw)
}

/// A table key: the property's value, with the object's colour when `with_colour`.
pub fn key(props: &[i64; PROPS.len()], p: usize, with_colour: bool) -> (i64, i64) {
    (if with_colour { props[0] } else { -1 }, props[p])
}
