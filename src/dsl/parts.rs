//! Parts that keep their place: splitters that cut a grid into [`Parts`] (objects, colour
//! layers, the cells between separator lines, equal pieces), each part a grid with its origin in
//! the grid it came from; selections over parts by a property; joins that paint the parts back
//! at their origins (onto a blank canvas, onto a grid, replacing what was cut) or pick one.
//!
//! `paste_on` and `replace_on` are not enumerated as moves of two arguments (every grid state with
//! every parts state took a third of the work); the search tries them on the input as finishing
//! steps of every new parts state (`crate::search`'s parts room).
//!
//! Between a split and a join, any `grid -> grid` primitive can be applied to every part at once:
//! `(map (mirror_lr) (parts c4 mono bgmost input))` ([`map_parts`]; in programs
//! [`crate::program::Expr::Map`]). A part keeps its top-left origin when a mapped step changes its
//! shape. Cells of the source grid's background are see-through when a part is painted.

use super::args::{grid_at, grids_at};
use super::object::{BACKGROUND, COLOURS};
use super::split::{Boxed, equal_boxes, separator_cells};
use super::util::{CONN, components};
use super::{Ctx, Na, ParamTy, PrimDef, PrimResult, Value};
use super::value::{Part, Parts};
use crate::grid::{Color, Grid, MAX_SIDE, N_COLORS};

/// Properties that select parts.
pub const PART_KEYS: ParamTy =
    ParamTy::Choice(&["largest", "smallest", "border", "unique_color", "unique_shape", "most_colors"]);

/// Argument `i` as parts, all placed within a grid's reach.
pub(crate) fn parts_at<'a>(a: &[&'a Value], i: usize) -> Result<&'a Parts, Na> {
    match a.get(i) {
        Some(Value::Parts(p)) if p.items.iter().all(|q| q.top < MAX_SIDE && q.left < MAX_SIDE && q.cut.0 < MAX_SIDE && q.cut.1 < MAX_SIDE) => Ok(p),
        Some(Value::Parts(_)) => Err(Na("malformed part")),
        _ => Err(Na("expected parts")),
    }
}

/// Parts of `g` (background `bg`) from boxes `(top, left, grid)`, in reading order; `Na` when
/// there are none.
fn parts_of(g: &Grid, bg: Color, mut boxes: Vec<Boxed>) -> PrimResult {
    if boxes.is_empty() {
        return Err(Na("no parts"));
    }
    boxes.sort_by_key(|b| (b.0, b.1));
    let items = boxes.into_iter().map(|(top, left, grid)| Part { top, left, cut: (top, left, grid.h(), grid.w()), grid }).collect();
    Ok(Value::Parts(Parts { h: g.h(), w: g.w(), bg, items }))
}

prim! {
    /// Connected components of non-background cells as parts that keep their place.
    fn parts(ctx, p: [CONN, COLOURS, BACKGROUND], a: [Grid]) -> Parts, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = if p[2] == 0 { ctx.bg(g) } else { 0 };
        let boxes = components(g, p[0] == 1, p[1] == 1, bg).iter().map(|o| (o.top, o.left, o.grid.clone())).collect();
        parts_of(g, bg, boxes)
    }
}

prim! {
    /// One part per non-background colour: the colour's cells in their bounding box.
    fn color_parts(ctx, _: [], a: [Grid]) -> Parts, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        let mut boxes = Vec::new();
        for c in (0..N_COLORS as Color).filter(|&c| c != bg) {
            let Some((t, l, h, w)) = super::crop::bbox(g, |v| v == c) else { continue };
            let grid = Grid::from_fn(h, w, |r, k| if g.get(t + r, l + k) == c { c } else { bg }).map_err(|_| Na("bad box"))?;
            boxes.push((t, l, grid));
        }
        parts_of(g, bg, boxes)
    }
}

prim! {
    /// The cells between full separator lines of one colour, as parts that keep their place.
    fn cells(ctx, _: [], a: [Grid]) -> Parts, cost 1 {
        let g = grid_at(a, 0)?;
        parts_of(g, ctx.bg(g), separator_cells(g)?)
    }
}

prim! {
    /// Cut the grid into ny × nx equal pieces (skipping one-line gaps) that keep their place.
    fn pieces(ctx, p: [ParamTy::Int { min: 1, max: 4 }, ParamTy::Int { min: 1, max: 4 }], a: [Grid]) -> Parts, cost 1 {
        let g = grid_at(a, 0)?;
        let (ny, nx) = (p[0] as usize, p[1] as usize);
        if ny * nx < 2 {
            return Err(Na("one piece"));
        }
        parts_of(g, ctx.bg(g), equal_boxes(g, ny, nx)?)
    }
}

/// Number of non-background cells of a part.
fn fg_count(p: &Part, bg: Color) -> usize {
    p.grid.cells().iter().filter(|&&c| c != bg).count()
}

/// The non-background colours of a part, as a bit set.
fn color_set(p: &Part, bg: Color) -> u16 {
    p.grid.cells().iter().filter(|&&c| c != bg).fold(0, |s, &c| s | 1 << c)
}

/// Whether a part touches the source grid's border.
fn on_border(p: &Part, ps: &Parts) -> bool {
    p.top == 0 || p.left == 0 || p.top + p.grid.h() >= ps.h || p.left + p.grid.w() >= ps.w
}

/// Which parts have property `key` ([`PART_KEYS`]).
fn has_key(ps: &Parts, key: i8) -> Vec<bool> {
    let bg = ps.bg;
    let items = &ps.items;
    let extreme = |f: &dyn Fn(&Part) -> usize, max: bool| {
        let vals: Vec<usize> = items.iter().map(f).collect();
        let best = if max { vals.iter().max() } else { vals.iter().min() }.copied();
        vals.iter().map(|&v| Some(v) == best).collect::<Vec<bool>>()
    };
    let unique = |keys: Vec<u64>| keys.iter().map(|k| keys.iter().filter(|j| *j == k).count() == 1).collect::<Vec<bool>>();
    match key {
        0 => extreme(&|p| fg_count(p, bg), true),
        1 => extreme(&|p| fg_count(p, bg), false),
        2 => items.iter().map(|p| on_border(p, ps)).collect(),
        3 => unique(items.iter().map(|p| color_set(p, bg) as u64).collect()),
        4 => unique(
            items
                .iter()
                .map(|p| {
                    let mask: Vec<bool> = p.grid.cells().iter().map(|&c| c != bg).collect();
                    let mut h = crate::hash::FxHasher::default();
                    std::hash::Hash::hash(&(p.grid.shape(), mask), &mut h);
                    std::hash::Hasher::finish(&h)
                })
                .collect(),
        ),
        _ => extreme(&|p| color_set(p, bg).count_ones() as usize, true),
    }
}

/// The parts whose entry in `keep` is true; `Na` when that keeps none or all of them.
fn keep_where(ps: &Parts, keep: &[bool]) -> PrimResult {
    let n = keep.iter().filter(|&&k| k).count();
    if n == 0 || n == ps.items.len() {
        return Err(Na("the selection keeps none or all"));
    }
    let items = ps.items.iter().zip(keep).filter(|&(_, &k)| k).map(|(p, _)| p.clone()).collect();
    Ok(Value::Parts(Parts { items, ..ps.clone() }))
}

/// The parts whose property `key` is `want`.
fn select(ps: &Parts, key: i8, want: bool) -> PrimResult {
    keep_where(ps, &has_key(ps, key).iter().map(|&k| k == want).collect::<Vec<_>>())
}

prim! {
    /// Keep the parts with a property (largest, smallest, on the border, unique colours or shape, most colours).
    fn keep_parts(_ctx, p: [PART_KEYS], a: [Parts]) -> Parts, cost 1 {
        select(parts_at(a, 0)?, p[0], true)
    }
}

prim! {
    /// Drop the parts with a property (largest, smallest, on the border, unique colours or shape, most colours).
    fn drop_parts(_ctx, p: [PART_KEYS], a: [Parts]) -> Parts, cost 1 {
        select(parts_at(a, 0)?, p[0], false)
    }
}

/// The parts that hold colour `c` (or, without `want`, do not).
fn select_color(ps: &Parts, c: Color, want: bool) -> PrimResult {
    keep_where(ps, &ps.items.iter().map(|p| p.grid.cells().contains(&c) == want).collect::<Vec<_>>())
}

prim! {
    /// Keep the parts that hold a colour.
    fn parts_with(_ctx, p: [ParamTy::Color], a: [Parts]) -> Parts, cost 1 {
        select_color(parts_at(a, 0)?, p[0] as Color, true)
    }
}

prim! {
    /// Keep the parts that do not hold a colour.
    fn parts_without(_ctx, p: [ParamTy::Color], a: [Parts]) -> Parts, cost 1 {
        select_color(parts_at(a, 0)?, p[0] as Color, false)
    }
}

prim! {
    /// The one part with a property, as a grid.
    fn pick_part(_ctx, p: [PART_KEYS], a: [Parts]) -> Grid, cost 1 {
        let ps = parts_at(a, 0)?;
        let keep = has_key(ps, p[0]);
        let mut chosen = ps.items.iter().zip(&keep).filter(|&(_, &k)| k);
        match (chosen.next(), chosen.next()) {
            (Some((q, _)), None) => Ok(Value::Grid(q.grid.clone())),
            _ => Err(Na("no single part has the property")),
        }
    }
}

/// Paints every part's non-background cells onto `cells` (`h × w`) at its origin; cells outside
/// are dropped. With `clear`, each part's cut box is first set to `bg`.
fn paint_parts(cells: &mut [Color], h: usize, w: usize, ps: &Parts, clear: Option<Color>) {
    if let Some(bg) = clear {
        for p in &ps.items {
            let (top, left, ch, cw) = p.cut;
            for r in top..(top + ch).min(h) {
                for c in left..(left + cw).min(w) {
                    cells[r * w + c] = bg;
                }
            }
        }
    }
    for p in &ps.items {
        let (ph, pw) = p.grid.shape();
        for r in 0..ph.min(h.saturating_sub(p.top)) {
            for c in 0..pw.min(w.saturating_sub(p.left)) {
                let v = p.grid.get(r, c);
                if v != ps.bg {
                    cells[(p.top + r) * w + p.left + c] = v;
                }
            }
        }
    }
}

/// The grid of `cells`.
fn grid_value(h: usize, w: usize, cells: Vec<Color>) -> PrimResult {
    Grid::from_cells(h, w, cells).map(Value::Grid).map_err(|_| Na("result shape outside 1..=30"))
}

prim! {
    /// Paint the parts at their places onto a blank canvas the shape of the grid they came from.
    fn paste(_ctx, _: [], a: [Parts]) -> Grid, cost 1 {
        let ps = parts_at(a, 0)?;
        let mut cells = vec![ps.bg; ps.h * ps.w];
        paint_parts(&mut cells, ps.h, ps.w, ps, None);
        grid_value(ps.h, ps.w, cells)
    }
}

prim! {
    /// Paint the parts at their places onto a grid (background cells of a part see-through).
    fn paste_on(_ctx, _: [], a: [Grid, Parts]) -> Grid, cost 1, search false {
        let (g, ps) = (grid_at(a, 0)?, parts_at(a, 1)?);
        let mut cells = g.cells().to_vec();
        paint_parts(&mut cells, g.h(), g.w(), ps, None);
        grid_value(g.h(), g.w(), cells)
    }
}

prim! {
    /// Clear the boxes the parts were cut from to the grid's background, then paint the parts there.
    fn replace_on(ctx, _: [], a: [Grid, Parts]) -> Grid, cost 1, search false {
        let (g, ps) = (grid_at(a, 0)?, parts_at(a, 1)?);
        let mut cells = g.cells().to_vec();
        paint_parts(&mut cells, g.h(), g.w(), ps, Some(ctx.bg(g)));
        grid_value(g.h(), g.w(), cells)
    }
}

prim! {
    /// The parts' grids, in reading order, without their places.
    fn part_grids(_ctx, _: [], a: [Parts]) -> Grids, cost 1 {
        Ok(Value::Grids(parts_at(a, 0)?.items.iter().map(|p| p.grid.clone()).collect()))
    }
}

/// Part `p` after a step gave `out`: at the same origin, unless `out` is smaller and is a piece
/// of the part's grid at exactly one offset (a half, a trim, a crop), then where that piece was.
fn anchored(p: &Part, out: Grid) -> Part {
    let (h, w) = p.grid.shape();
    let (oh, ow) = out.shape();
    let mut place = (p.top, p.left);
    if (oh, ow) != (h, w) && oh <= h && ow <= w {
        let at = |r: usize, c: usize| (0..oh).all(|i| (0..ow).all(|j| p.grid.get(r + i, c + j) == out.get(i, j)));
        let mut found = (0..=h - oh).flat_map(|r| (0..=w - ow).map(move |c| (r, c))).filter(|&(r, c)| at(r, c));
        if let (Some((r, c)), None) = (found.next(), found.next()) {
            place = (p.top + r, p.left + c);
        }
    }
    Part { top: place.0, left: place.1, grid: out, cut: p.cut }
}

/// A `grid -> grid` primitive applied to every part (each keeps its origin) or every grid of a
/// list: `Na` when it is not applicable to one of them or changes none.
pub fn map_parts(def: &PrimDef, ctx: &Ctx, params: &[i8], v: &Value) -> PrimResult {
    if def.args != [super::Ty::Grid] || def.ret != super::Ty::Grid {
        return Err(Na("only a grid -> grid step maps over parts"));
    }
    let step = |g: &Grid| match def.apply(ctx, params, &[&Value::Grid(g.clone())])? {
        Value::Grid(out) => Ok(out),
        _ => Err(Na("not a grid")),
    };
    match v {
        Value::Parts(ps) => {
            parts_at(&[v], 0)?;
            let items = ps.items.iter().map(|p| Ok(anchored(p, step(&p.grid)?))).collect::<Result<Vec<_>, Na>>()?;
            if items == ps.items {
                return Err(Na("the step changes no part"));
            }
            Ok(Value::Parts(Parts { items, ..ps.clone() }))
        }
        Value::Grids(gs) => {
            let out = grids_at(&[v], 0)?.iter().map(step).collect::<Result<Vec<_>, Na>>()?;
            if out == *gs {
                return Err(Na("the step changes no grid"));
            }
            Ok(Value::Grids(out))
        }
        _ => Err(Na("map takes parts or grids")),
    }
}

pub const PRIMS: &[PrimDef] = prims![parts, color_parts, cells, pieces, keep_parts, drop_parts, parts_with, parts_without, pick_part, paste, paste_on, replace_on, part_grids];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::registry;
    use crate::testing::grid;

    fn run(name: &str, params: &[i8], args: &[&Value]) -> PrimResult {
        registry().get(registry().id(name).unwrap()).apply(&Ctx::plain(), params, args)
    }

    #[test]
    fn objects_cut_mapped_and_pasted_back_in_place() {
        let g = Value::Grid(grid("0000/0120/0000/3300"));
        let Ok(Value::Parts(ps)) = run("parts", &[0, 1, 0], &[&g]) else { panic!() };
        assert_eq!(ps.items.len(), 2);
        assert_eq!((ps.items[0].top, ps.items[0].left), (1, 1));
        let mirror = registry().get(registry().id("mirror_lr").unwrap());
        let mapped = map_parts(mirror, &Ctx::plain(), &[], &Value::Parts(ps.clone())).unwrap();
        let Ok(Value::Grid(out)) = run("paste", &[], &[&mapped]) else { panic!() };
        assert_eq!(out, grid("0000/0210/0000/3300"));
        // Pasting the parts as cut gives the grid back.
        assert_eq!(run("paste", &[], &[&Value::Parts(ps)]).unwrap(), g);
    }

    #[test]
    fn selections_joins_and_layers() {
        let g = Value::Grid(grid("1100/1100/0002/0000"));
        let parts = run("parts", &[0, 0, 0], &[&g]).unwrap();
        assert_eq!(run("pick_part", &[1], &[&parts]).unwrap(), Value::Grid(grid("2")));
        let big = run("keep_parts", &[0], &[&parts]).unwrap();
        assert_eq!(run("paste", &[], &[&big]).unwrap(), Value::Grid(grid("1100/1100/0000/0000")));
        assert!(run("keep_parts", &[2], &[&parts]).is_err() || run("drop_parts", &[2], &[&parts]).is_ok());
        let Ok(Value::Parts(ls)) = run("color_parts", &[], &[&g]) else { panic!() };
        assert_eq!(ls.items.len(), 2);
        let c = Value::Grid(grid("1050/0050/5555/2050"));
        let Ok(Value::Parts(cs)) = run("cells", &[], &[&c]) else { panic!() };
        assert_eq!(cs.items.iter().map(|p| (p.top, p.left)).collect::<Vec<_>>(), vec![(0, 0), (0, 3), (3, 0), (3, 3)]);
        let p = Value::Grid(grid("12/34"));
        let Ok(Value::Parts(qs)) = run("pieces", &[2, 2], &[&p]) else { panic!() };
        assert_eq!(qs.items.iter().map(|p| (p.top, p.left)).collect::<Vec<_>>(), vec![(0, 0), (0, 1), (1, 0), (1, 1)]);
    }

    #[test]
    fn replace_clears_what_a_shrunk_part_left() {
        let g = Value::Grid(grid("0000/0110/0220/0000"));
        let parts = run("parts", &[0, 1, 0], &[&g]).unwrap();
        let bottom = registry().get(registry().id("half").unwrap());
        let halved = map_parts(bottom, &Ctx::plain(), &[1], &parts).unwrap();
        // The bottom half stays where it was cut from; what the part no longer covers is cleared.
        assert_eq!(run("replace_on", &[], &[&g, &halved]).unwrap(), Value::Grid(grid("0000/0000/0220/0000")));
        let top = map_parts(bottom, &Ctx::plain(), &[0], &parts).unwrap();
        assert_eq!(run("replace_on", &[], &[&g, &top]).unwrap(), Value::Grid(grid("0000/0110/0000/0000")));
        assert_eq!(run("parts_with", &[2], &[&run("parts", &[0, 0, 0], &[&g]).unwrap()]).map(|v| run("paste", &[], &[&v])).unwrap().unwrap(), Value::Grid(grid("0000/0000/0220/0000")));
    }
}
