//! Counting: integers and colours measured from grids and objects, and grids sized or
//! coloured by them (rows, squares, bars, histograms).

use super::geom::build;
use super::util::{color_at, grid_at, int_at, obj_at, obj_color, objs_at, pcolor};
use super::{Ctx, Na, ParamTy, PrimDef, PrimResult, Ty, Value};
use crate::grid::{Color, N_COLORS};

fn count_objs(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    Ok(Value::Int(objs_at(a, 0)?.len() as i64))
}

fn obj_size(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    Ok(Value::Int(obj_at(a, 0)?.size() as i64))
}

fn count_color(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    Ok(Value::Int(grid_at(a, 0)?.histogram()[pcolor(p, 0) as usize] as i64))
}

fn count_fg(ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid_at(a, 0)?;
    let bg = ctx.bg(g);
    Ok(Value::Int(g.cells().iter().filter(|&&x| x != bg).count() as i64))
}

fn count_colors(ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid_at(a, 0)?;
    let bg = ctx.bg(g) as usize;
    Ok(Value::Int(g.histogram().iter().enumerate().filter(|&(c, &n)| n > 0 && c != bg).count() as i64))
}

fn color_of(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    Ok(Value::Color(obj_color(obj_at(a, 0)?)))
}

/// The non-background colours present, most common first (ties to the lower colour).
fn fg_colors_by_count(ctx: &Ctx, g: &crate::grid::Grid) -> Vec<(Color, usize)> {
    let bg = ctx.bg(g) as usize;
    let hist = g.histogram();
    let mut v: Vec<(Color, usize)> =
        (0..N_COLORS).filter(|&c| c != bg && hist[c] > 0).map(|c| (c as Color, hist[c])).collect();
    v.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    v
}

fn main_color(ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let v = fg_colors_by_count(ctx, grid_at(a, 0)?);
    v.first().map(|&(c, _)| Value::Color(c)).ok_or(Na("no foreground colour"))
}

fn rare_color(ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let v = fg_colors_by_count(ctx, grid_at(a, 0)?);
    v.last().map(|&(c, _)| Value::Color(c)).ok_or(Na("no foreground colour"))
}

/// The count argument as a grid side, or `Na` outside `1..=30`.
fn side(n: i64) -> Result<usize, Na> {
    if (1..=30).contains(&n) { Ok(n as usize) } else { Err(Na("count outside 1..=30")) }
}

fn row_of(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let (n, c) = (side(int_at(a, 0)?)?, color_at(a, 1)?);
    build(1, n, |_, _| c)
}

fn square_of(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let (n, c) = (side(int_at(a, 0)?)?, color_at(a, 1)?);
    build(n, n, |_, _| c)
}

fn diag_of(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let (n, c) = (side(int_at(a, 0)?)?, color_at(a, 1)?);
    build(n, n, |r, k| if r == k { c } else { 0 })
}

fn bar(_ctx: &Ctx, p: &[i8], a: &[&Value]) -> PrimResult {
    let n = int_at(a, 0)?;
    if n < 0 || n > p[0] as i64 {
        return Err(Na("count longer than the bar"));
    }
    build(1, p[0] as usize, |_, k| if (k as i64) < n { pcolor(p, 1) } else { 0 })
}

fn histogram(_ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let g = grid_at(a, 0)?;
    let hist = g.histogram();
    let mut cols: Vec<(Color, usize)> = (1..N_COLORS).filter(|&c| hist[c] > 0).map(|c| (c as Color, hist[c])).collect();
    cols.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    let h = cols.first().map_or(0, |&(_, n)| n);
    build(h, cols.len(), |r, k| if r < cols[k].1 { cols[k].0 } else { 0 })
}

fn colors_by_count(ctx: &Ctx, _: &[i8], a: &[&Value]) -> PrimResult {
    let v = fg_colors_by_count(ctx, grid_at(a, 0)?);
    build(v.len(), 1, |r, _| v[r].0)
}

/// A primitive of two dataflow arguments `int color -> grid`.
macro_rules! sized {
    ($name:literal, $doc:literal, $f:expr) => {
        PrimDef {
            name: $name,
            params: &[],
            args: &[Ty::Int, Ty::Color],
            ret: Ty::Grid,
            cost: 1,
            search: true,
            doc: $doc,
            f: $f,
        }
    };
}

/// A primitive of one argument with no parameters.
macro_rules! measure {
    ($name:literal, $arg:expr, $ret:expr, $doc:literal, $f:expr) => {
        PrimDef { name: $name, params: &[], args: &[$arg], ret: $ret, cost: 1, search: true, doc: $doc, f: $f }
    };
}

pub const PRIMS: &[PrimDef] = &[
    measure!("count_objs", Ty::Objs, Ty::Int, "The number of objects.", count_objs),
    measure!("obj_size", Ty::Obj, Ty::Int, "The number of cells of an object.", obj_size),
    PrimDef {
        name: "count_color",
        params: &[ParamTy::Color],
        args: &[Ty::Grid],
        ret: Ty::Int,
        cost: 1,
        search: true,
        doc: "The number of cells of a colour.",
        f: count_color,
    },
    measure!("count_fg", Ty::Grid, Ty::Int, "The number of non-background cells.", count_fg),
    measure!("count_colors", Ty::Grid, Ty::Int, "The number of distinct non-background colours.", count_colors),
    measure!("color_of", Ty::Obj, Ty::Color, "The object's most common colour.", color_of),
    measure!("main_color", Ty::Grid, Ty::Color, "The most common non-background colour.", main_color),
    measure!("rare_color", Ty::Grid, Ty::Color, "The least common colour present (background excluded).", rare_color),
    sized!("row_of", "A 1×n row of a colour.", row_of),
    sized!("square_of", "An n×n square of a colour.", square_of),
    sized!("diag_of", "An n×n grid of 0 with its main diagonal in a colour.", diag_of),
    PrimDef {
        name: "bar",
        params: &[ParamTy::Int { min: 1, max: 30 }, ParamTy::Color],
        args: &[Ty::Int],
        ret: Ty::Grid,
        cost: 2,
        search: true,
        doc: "A 1×w row of 0 with its first n cells in a colour.",
        f: bar,
    },
    measure!("histogram", Ty::Grid, Ty::Grid, "One column per non-zero colour, most common first, filled from the top by its count.", histogram),
    measure!("colors_by_count", Ty::Grid, Ty::Grid, "A column of the non-background colours, most common first.", colors_by_count),
];

#[cfg(test)]
mod tests {
    use super::super::util::testing::{g, try_run as run};

    #[test]
    fn counts_to_grids() {
        let x = g(&["0100", "0002", "2200"]);
        assert_eq!(run("(row_of (count_fg input) (main_color input))", &x).unwrap(), "2222\n");
        assert_eq!(run("(square_of (count_objs (objects c4 mono bgmost input)) (rare_color input))", &x).unwrap(), "111\n111\n111\n");
        assert_eq!(run("(bar 5 3 (count_colors input))", &x).unwrap(), "33000\n");
        assert_eq!(run("(histogram input)", &x).unwrap(), "21\n20\n20\n");
        assert!(run("(bar 1 3 (count_fg input))", &x).is_err());
    }
}
