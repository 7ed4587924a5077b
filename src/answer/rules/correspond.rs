//! Object correspondence rules, the `match_rule` form: objects cut out of the input (a
//! segmentation of [`SEGMENTATIONS`]) on a background, each changed by a table over one or two
//! object features ([`feature_name`]: the object properties of [`PROPS`], then the relations of
//! [`RELATIONS`] to the other objects). A change ([`Change`]) keeps, deletes or recolours the
//! object (to a colour, or to the colour of its same-shaped twin), turns it in place, slides it
//! until contact, moves it into the hole of another object that it fits, or moves it by a step.
//! [`MatchRule::run`] replays a rule; the learner (`search::learn::correspond`) finds the
//! tables and predicts through [`MatchRule::paint`].
//!
//! Painting: every object whose change is not `keep` is erased to the background, then each
//! changed object is painted where its change puts it, in the order objects are cut out.

use super::objects::{Cut, PROPS, SEGMENTATIONS, cells_of, cut};
use crate::dsl::util::{holes, obj_color, regions};
use crate::dsl::{Na, Obj};
use crate::grid::{Color, Grid, N_COLORS};
use crate::program::EvalError;
use std::collections::BTreeMap;

/// Relations of an object to the other objects of its grid, features after [`PROPS`]: another
/// object of its shape and another colour (anywhere, held, walled), a cell 8-adjacent to
/// another object, held (every cell in another object's holes), walled (cut off from the
/// largest part of the grid by one other object, the grid's border counting as a wall) and
/// fitting exactly one background hole of another object.
pub const RELATIONS: [&str; 7] =
    ["has_twin", "has_held_twin", "has_walled_twin", "touches_other", "is_held", "is_walled", "fits_hole"];

/// How many features a key can read: the object properties, then the relations.
pub const N_FEATURES: usize = PROPS.len() + RELATIONS.len();

/// The token of feature `i` in an answer's text.
pub fn feature_name(i: usize) -> String {
    match i.checked_sub(PROPS.len()) {
        None => PROPS[i].name(),
        Some(r) => RELATIONS.get(r).map_or("?".to_string(), |s| s.to_string()),
    }
}

/// The index of the feature with this token.
pub fn feature_of(name: &str) -> Option<usize> {
    (0..N_FEATURES).find(|&i| feature_name(i) == name)
}

/// A rigid turn of an object in its own box (the top-left corner stays; the quarter turns and
/// transposes of a box that is not square do not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Turn {
    MirrorLr,
    MirrorUd,
    Rot180,
    Rot90,
    Rot270,
    Transpose,
    AntiTranspose,
}

impl Turn {
    pub const ALL: [Turn; 7] =
        [Turn::MirrorLr, Turn::MirrorUd, Turn::Rot180, Turn::Rot90, Turn::Rot270, Turn::Transpose, Turn::AntiTranspose];

    pub fn name(self) -> &'static str {
        match self {
            Turn::MirrorLr => "mirror_lr",
            Turn::MirrorUd => "mirror_ud",
            Turn::Rot180 => "rot180",
            Turn::Rot90 => "rot90",
            Turn::Rot270 => "rot270",
            Turn::Transpose => "transpose",
            Turn::AntiTranspose => "antitranspose",
        }
    }

    /// Where cell `(r, c)` of an `h × w` box goes; `None` when the turn needs a square box.
    fn cell(self, (h, w): (usize, usize), (r, c): (usize, usize)) -> Option<(usize, usize)> {
        let square = h == w;
        match self {
            Turn::MirrorLr => Some((r, w - 1 - c)),
            Turn::MirrorUd => Some((h - 1 - r, c)),
            Turn::Rot180 => Some((h - 1 - r, w - 1 - c)),
            Turn::Rot90 => square.then_some((c, h - 1 - r)),
            Turn::Rot270 => square.then_some((w - 1 - c, r)),
            Turn::Transpose => square.then_some((c, r)),
            Turn::AntiTranspose => square.then_some((w - 1 - c, h - 1 - r)),
        }
    }
}

/// Directions an object slides in, as `(name, dy, dx)`.
pub const SLIDES: [(&str, i64, i64); 4] = [("up", -1, 0), ("down", 1, 0), ("left", 0, -1), ("right", 0, 1)];

/// What happens to one object (the learner prefers them in this order, but deleting after the
/// moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// Left as it is.
    Keep,
    /// Erased to the background.
    Delete,
    /// Every cell painted this colour.
    Paint(Color),
    /// Painted the colour of the other objects of the same shape (all of one other colour).
    TwinColour,
    /// Painted the colour of the same-shaped objects held in another object's holes.
    HeldTwinColour,
    /// Turned in its box.
    Turn(Turn),
    /// Slid in a direction (an index into [`SLIDES`]) until the next step would leave the grid
    /// or meet a cell of another colour than the background.
    Slide(u8),
    /// Moved into the one background hole of another object that has exactly its shape.
    IntoHole,
    /// Moved by `(dy, dx)`.
    Shift(i8, i8),
}

impl Change {
    /// The token of this change in an answer's text.
    pub fn name(self) -> String {
        match self {
            Change::Keep => "keep".into(),
            Change::Delete => "delete".into(),
            Change::Paint(c) => format!("paint_{c}"),
            Change::TwinColour => "twin_colour".into(),
            Change::HeldTwinColour => "held_twin_colour".into(),
            Change::Turn(t) => t.name().into(),
            Change::Slide(d) => format!("slide_{}", SLIDES.get(d as usize).map_or("?", |s| s.0)),
            Change::IntoHole => "into_hole".into(),
            Change::Shift(dy, dx) => format!("shift_{dy}_{dx}"),
        }
    }

    /// The change with this token.
    pub fn from_name(text: &str) -> Option<Change> {
        if let Some(c) = text.strip_prefix("paint_") {
            return crate::dsl::parse_int::<Color>(c).filter(|&c| (c as usize) < N_COLORS).map(Change::Paint);
        }
        if let Some(d) = text.strip_prefix("slide_") {
            return SLIDES.iter().position(|s| s.0 == d).map(|d| Change::Slide(d as u8));
        }
        if let Some(rest) = text.strip_prefix("shift_") {
            // The second number may be negative: split at the `_` that follows the first.
            let at = rest.char_indices().skip(1).find(|&(_, ch)| ch == '_')?.0;
            let (dy, dx) = (crate::dsl::parse_int::<i8>(&rest[..at])?, crate::dsl::parse_int::<i8>(&rest[at + 1..])?);
            return Some(Change::Shift(dy, dx));
        }
        let plain = [Change::Keep, Change::Delete, Change::TwinColour, Change::HeldTwinColour, Change::IntoHole];
        let turns = Turn::ALL.map(Change::Turn);
        plain.into_iter().chain(turns).find(|c| c.name() == text)
    }
}

/// A learnt correspondence rule as data: how objects are cut out (an index into
/// [`SEGMENTATIONS`]), the features of the key (`first`, when there are two, and `second`,
/// indices of [`feature_name`]), the background, and the table `key -> change`. The key is
/// `(first's value or -1, second's value)`. Gives nothing on a grid with an object whose key
/// the table lacks or whose change does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MatchRule {
    pub segmentation: usize,
    pub first: Option<usize>,
    pub second: usize,
    pub bg: Color,
    pub table: BTreeMap<(i64, i64), Change>,
}

/// A grid's objects with every feature and what the relational changes need.
pub struct Scene {
    pub cut: Cut,
    /// Per object, every feature value (in [`feature_name`] order).
    pub features: Vec<[i64; N_FEATURES]>,
    twin: Vec<Option<Color>>,
    held_twin: Vec<Option<Color>>,
    /// Per object, the top-left corner of the one hole it fits.
    hole: Vec<Option<(usize, usize)>>,
}

/// The colour of the other objects of the same shape as object `i` and another colour among
/// those that `eligible` accepts, when they all have one colour.
fn twin_colour(objs: &[Obj], i: usize, eligible: impl Fn(usize) -> bool) -> Option<Color> {
    let me = &objs[i];
    let own = obj_color(me);
    let mut found: Option<Color> = None;
    for (j, o) in objs.iter().enumerate() {
        if j == i || !eligible(j) || o.grid.shape() != me.grid.shape() || o.mask != me.mask {
            continue;
        }
        let c = obj_color(o);
        if c == own {
            continue;
        }
        if found.is_some_and(|f| f != c) {
            return None;
        }
        found = Some(c);
    }
    found
}

/// A grid cut into objects on background `bg`, with the relations between them.
pub fn scene(g: &Grid, conn8: bool, multi: bool, bg: Color) -> Scene {
    let cut = cut(g, conn8, multi, bg);
    let objs = &cut.objs;
    let (h, w) = g.shape();
    let mut owner = vec![usize::MAX; h * w];
    for (k, o) in objs.iter().enumerate() {
        for i in cells_of(o, w) {
            owner[i] = k;
        }
    }
    // Cells inside some object's holes, and the background pockets among them.
    let mut in_hole = vec![false; h * w];
    for o in objs {
        let bw = o.grid.w();
        for (k, &x) in holes(o).iter().enumerate() {
            if x {
                in_hole[(o.top + k / bw) * w + o.left + k % bw] = true;
            }
        }
    }
    let pocket_grid = Grid::from_fn(h, w, |r, c| (in_hole[r * w + c] && g.get(r, c) == bg) as Color).expect("same shape");
    let pockets: Vec<(usize, usize, usize, usize, Vec<bool>)> = regions(&pocket_grid, false, |c| c == 1, |_, _| true)
        .into_iter()
        .map(|cells| {
            let (top, bottom) = (cells.iter().map(|i| i / w).min().unwrap_or(0), cells.iter().map(|i| i / w).max().unwrap_or(0));
            let (left, right) = (cells.iter().map(|i| i % w).min().unwrap_or(0), cells.iter().map(|i| i % w).max().unwrap_or(0));
            let (bh, bw) = (bottom - top + 1, right - left + 1);
            let mut mask = vec![false; bh * bw];
            for i in cells {
                mask[(i / w - top) * bw + i % w - left] = true;
            }
            (top, left, bh, bw, mask)
        })
        .collect();
    let held: Vec<bool> = objs.iter().map(|o| cells_of(o, w).all(|i| in_hole[i])).collect();
    let walled = walled_in(g, objs, &owner);
    let twin: Vec<Option<Color>> = (0..objs.len()).map(|i| twin_colour(objs, i, |_| true)).collect();
    let held_twin: Vec<Option<Color>> = (0..objs.len()).map(|i| twin_colour(objs, i, |j| held[j])).collect();
    let walled_twin: Vec<bool> = (0..objs.len()).map(|i| twin_colour(objs, i, |j| walled[j]).is_some()).collect();
    let hole: Vec<Option<(usize, usize)>> = objs
        .iter()
        .map(|o| {
            let mut fits = pockets.iter().filter(|p| (p.2, p.3) == o.grid.shape() && p.4 == o.mask);
            match (fits.next(), fits.next()) {
                (Some(p), None) => Some((p.0, p.1)),
                _ => None,
            }
        })
        .collect();
    let touches: Vec<bool> = objs
        .iter()
        .enumerate()
        .map(|(k, o)| {
            cells_of(o, w).any(|i| {
                let (r, c) = ((i / w) as i64, (i % w) as i64);
                crate::dsl::util::N8.iter().any(|&(dr, dc)| {
                    let (nr, nc) = (r + dr, c + dc);
                    nr >= 0 && nc >= 0 && nr < h as i64 && nc < w as i64 && {
                        let j = owner[nr as usize * w + nc as usize];
                        j != usize::MAX && j != k
                    }
                })
            })
        })
        .collect();
    let features = (0..objs.len())
        .map(|k| {
            let mut f = [0i64; N_FEATURES];
            f[..PROPS.len()].copy_from_slice(&cut.props[k]);
            let rel = [
                twin[k].is_some(),
                held_twin[k].is_some(),
                walled_twin[k],
                touches[k],
                held[k],
                walled[k],
                hole[k].is_some(),
            ];
            for (x, v) in f[PROPS.len()..].iter_mut().zip(rel) {
                *x = v as i64;
            }
            f
        })
        .collect();
    Scene { cut, features, twin, held_twin, hole }
}

/// Per object, whether one other object cuts it off from the largest part of the grid (the
/// 4-connected parts of the cells that object does not cover).
fn walled_in(g: &Grid, objs: &[Obj], owner: &[usize]) -> Vec<bool> {
    let (h, w) = g.shape();
    let mut out = vec![false; objs.len()];
    let mut part = vec![usize::MAX; h * w];
    for f in 0..objs.len() {
        part.iter_mut().for_each(|p| *p = usize::MAX);
        let mut sizes: Vec<usize> = Vec::new();
        for start in 0..h * w {
            if part[start] != usize::MAX || owner[start] == f {
                continue;
            }
            let id = sizes.len();
            let mut n = 0;
            let mut stack = vec![start];
            part[start] = id;
            while let Some(i) = stack.pop() {
                n += 1;
                let (r, c) = (i / w, i % w);
                let next = [(r > 0).then(|| i - w), (r + 1 < h).then(|| i + w), (c > 0).then(|| i - 1), (c + 1 < w).then(|| i + 1)];
                for j in next.into_iter().flatten() {
                    if part[j] == usize::MAX && owner[j] != f {
                        part[j] = id;
                        stack.push(j);
                    }
                }
            }
            sizes.push(n);
        }
        if sizes.len() < 2 {
            continue;
        }
        let largest = (0..sizes.len()).max_by_key(|&p| (sizes[p], std::cmp::Reverse(p))).unwrap_or(0);
        for (x, o) in objs.iter().enumerate() {
            if x != f && cells_of(o, w).all(|i| part[i] != largest) {
                out[x] = true;
            }
        }
    }
    out
}

/// The cells object `i` of scene `s` (on grid `g`, background `bg`) covers after `change`, as
/// `(flat index, colour)`; `None` when the change does not apply to it.
pub fn placed(g: &Grid, s: &Scene, i: usize, change: Change, bg: Color) -> Option<Vec<(usize, Color)>> {
    let o = &s.cut.objs[i];
    let (h, w) = g.shape();
    let (bh, bw) = o.grid.shape();
    let member = |k: usize| o.mask[k];
    let own = || (0..bh * bw).filter(|&k| member(k)).map(|k| ((o.top + k / bw) * w + o.left + k % bw, o.grid.cells()[k]));
    let shifted = |dy: i64, dx: i64| -> Option<Vec<(usize, Color)>> {
        (0..bh * bw)
            .filter(|&k| member(k))
            .map(|k| {
                let (r, c) = ((o.top + k / bw) as i64 + dy, (o.left + k % bw) as i64 + dx);
                (r >= 0 && c >= 0 && r < h as i64 && c < w as i64).then(|| (r as usize * w + c as usize, o.grid.cells()[k]))
            })
            .collect()
    };
    match change {
        Change::Keep => Some(own().collect()),
        Change::Delete => Some(Vec::new()),
        Change::Paint(c) => Some(own().map(|(i, _)| (i, c)).collect()),
        Change::TwinColour => s.twin[i].map(|c| own().map(|(i, _)| (i, c)).collect()),
        Change::HeldTwinColour => s.held_twin[i].map(|c| own().map(|(i, _)| (i, c)).collect()),
        Change::Turn(t) => (0..bh * bw)
            .filter(|&k| member(k))
            .map(|k| {
                let (r, c) = t.cell((bh, bw), (k / bw, k % bw))?;
                Some(((o.top + r) * w + o.left + c, o.grid.cells()[k]))
            })
            .collect(),
        Change::Slide(d) => {
            let &(_, dy, dx) = SLIDES.get(d as usize)?;
            let mine: Vec<usize> = own().map(|(i, _)| i).collect();
            let free = |cells: &[(usize, Color)]| cells.iter().all(|&(i, _)| g.cells()[i] == bg || mine.contains(&i));
            let mut at = shifted(0, 0)?;
            for k in 1.. {
                match shifted(dy * k, dx * k) {
                    Some(next) if free(&next) => at = next,
                    _ => break,
                }
            }
            Some(at)
        }
        Change::IntoHole => {
            let (top, left) = s.hole[i]?;
            shifted(top as i64 - o.top as i64, left as i64 - o.left as i64)
        }
        Change::Shift(dy, dx) => shifted(dy as i64, dx as i64),
    }
}

impl MatchRule {
    /// The key of an object with these features.
    pub fn key(&self, f: &[i64; N_FEATURES]) -> (i64, i64) {
        (self.first.map_or(-1, |a| f[a]), f[self.second])
    }

    /// The rule on one input grid.
    pub fn run(&self, input: &Grid) -> Result<Grid, EvalError> {
        let na = |why| EvalError::NotApplicable { prim: "match_rule", na: Na(why) };
        let (conn8, multi, _) = *SEGMENTATIONS.get(self.segmentation).ok_or(na("no such segmentation"))?;
        if self.second >= N_FEATURES || self.first.is_some_and(|a| a >= N_FEATURES) {
            return Err(na("no such feature"));
        }
        let s = scene(input, conn8, multi, self.bg);
        self.paint(input, &s).ok_or(na("an object the demos never showed, or a change that does not apply"))
    }

    /// A grid `g` (its objects and their relations `s`, as [`MatchRule::segmentation`] cuts
    /// them) with each object changed as the table says; `None` when an object's key is not in
    /// the table or its change does not apply. How the rule runs, and how the learner predicts.
    pub fn paint(&self, g: &Grid, s: &Scene) -> Option<Grid> {
        let w = g.w();
        let mut cells = g.cells().to_vec();
        let mut painted = Vec::new();
        for (i, f) in s.features.iter().enumerate() {
            let &change = self.table.get(&self.key(f))?;
            if change == Change::Keep {
                continue;
            }
            for k in cells_of(&s.cut.objs[i], w) {
                cells[k] = self.bg;
            }
            painted.push(placed(g, s, i, change, self.bg)?);
        }
        for (k, c) in painted.into_iter().flatten() {
            cells[k] = c;
        }
        Grid::from_cells(g.h(), g.w(), cells).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::grid;

    #[test]
    fn change_names_parse_back() {
        let mut all = vec![Change::Keep, Change::Delete, Change::TwinColour, Change::HeldTwinColour, Change::IntoHole];
        all.extend((0..10).map(Change::Paint));
        all.extend(Turn::ALL.map(Change::Turn));
        all.extend((0..4).map(Change::Slide));
        all.extend([Change::Shift(-3, 4), Change::Shift(0, -1), Change::Shift(-12, -29), Change::Shift(7, 0)]);
        for c in all {
            assert_eq!(Change::from_name(&c.name()), Some(c), "{}", c.name());
        }
        for bad in ["paint_10", "shift_1", "shift__1", "slide_out", "nope"] {
            assert_eq!(Change::from_name(bad), None, "{bad}");
        }
        for i in 0..N_FEATURES {
            assert_eq!(feature_of(&feature_name(i)), Some(i));
        }
    }

    #[test]
    fn relations_and_changes() {
        // A 2×2 frame with a one-cell hole... a 3×3 ring of 5 holding a 2; a 1 outside of the
        // same shape; a 3 that touches the ring.
        let g = grid("55500/52510/55530/00000");
        let s = scene(&g, false, false, 0);
        let at = |colour: Color| s.cut.objs.iter().position(|o| obj_color(o) == colour).unwrap();
        let (ring, two, one, three) = (at(5), at(2), at(1), at(3));
        let rel = |k: usize, name: &str| s.features[k][feature_of(name).unwrap()];
        assert_eq!(rel(two, "is_held"), 1);
        assert_eq!(rel(one, "is_held"), 0);
        assert_eq!(rel(one, "has_held_twin"), 1);
        assert_eq!(rel(two, "has_held_twin"), 0);
        assert_eq!(rel(three, "touches_other"), 1);
        assert_eq!(rel(ring, "touches_other"), 1);
        let paint = |k: usize, c: Change| {
            let mut cells = g.cells().to_vec();
            for i in cells_of(&s.cut.objs[k], g.w()) {
                cells[i] = 0;
            }
            for (i, v) in placed(&g, &s, k, c, 0).unwrap() {
                cells[i] = v;
            }
            Grid::from_cells(g.h(), g.w(), cells).unwrap()
        };
        assert_eq!(paint(one, Change::HeldTwinColour), grid("55500/52520/55530/00000"));
        assert_eq!(paint(three, Change::Slide(1)), grid("55500/52510/55500/00030"));
        assert_eq!(paint(one, Change::Shift(2, 1)), grid("55500/52500/55530/00001"));
        assert_eq!(placed(&g, &s, one, Change::Shift(3, 0), 0), None);
    }
}
