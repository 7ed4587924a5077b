//! Counting: integers and colours measured from grids and objects, and grids sized or
//! coloured by them (rows, squares, bars, histograms).

use super::args::{grid_at, objs_at, obj_at, int_at, color_at, pcolor};
use super::color::by_frequency;
use super::geom::build;
use super::util::obj_color;
use super::{Ctx, Na, ParamTy, PrimDef, Value};
use crate::grid::Color;

prim! {
    /// The number of objects.
    fn count_objs(_ctx, _: [], a: [Objs]) -> Int, cost 1 {
        Ok(Value::Int(objs_at(a, 0)?.len() as i64))
    }
}

prim! {
    /// The number of cells of an object.
    fn obj_size(_ctx, _: [], a: [Obj]) -> Int, cost 1 {
        Ok(Value::Int(obj_at(a, 0)?.size() as i64))
    }
}

prim! {
    /// The number of cells of a colour.
    fn count_color(_ctx, p: [ParamTy::Color], a: [Grid]) -> Int, cost 1 {
        Ok(Value::Int(grid_at(a, 0)?.histogram()[pcolor(p, 0) as usize] as i64))
    }
}

prim! {
    /// The number of non-background cells.
    fn count_fg(ctx, _: [], a: [Grid]) -> Int, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g);
        Ok(Value::Int(g.cells().iter().filter(|&&x| x != bg).count() as i64))
    }
}

prim! {
    /// The number of distinct non-background colours.
    fn count_colors(ctx, _: [], a: [Grid]) -> Int, cost 1 {
        let g = grid_at(a, 0)?;
        let bg = ctx.bg(g) as usize;
        Ok(Value::Int(g.histogram().iter().enumerate().filter(|&(c, &n)| n > 0 && c != bg).count() as i64))
    }
}

prim! {
    /// The object's most common colour.
    fn color_of(_ctx, _: [], a: [Obj]) -> Color, cost 1 {
        Ok(Value::Color(obj_color(obj_at(a, 0)?)))
    }
}

/// The non-background colours present, most common first (ties to the lower colour).
fn fg_colors_by_count(ctx: &Ctx, g: &crate::grid::Grid) -> Vec<(Color, usize)> {
    by_frequency(&g.histogram(), ctx.bg(g))
}

prim! {
    /// The most common non-background colour.
    fn main_color(ctx, _: [], a: [Grid]) -> Color, cost 1 {
        let v = fg_colors_by_count(ctx, grid_at(a, 0)?);
        v.first().map(|&(c, _)| Value::Color(c)).ok_or(Na("no foreground colour"))
    }
}

prim! {
    /// The least common colour present (background excluded).
    fn rare_color(ctx, _: [], a: [Grid]) -> Color, cost 1 {
        let v = fg_colors_by_count(ctx, grid_at(a, 0)?);
        v.last().map(|&(c, _)| Value::Color(c)).ok_or(Na("no foreground colour"))
    }
}

/// The count argument as a grid side, or `Na` outside `1..=30`.
fn side(n: i64) -> Result<usize, Na> {
    if (1..=30).contains(&n) { Ok(n as usize) } else { Err(Na("count outside 1..=30")) }
}

prim! {
    /// A 1×n row of a colour.
    fn row_of(_ctx, _: [], a: [Int, Color]) -> Grid, cost 1 {
        let (n, c) = (side(int_at(a, 0)?)?, color_at(a, 1)?);
        build(1, n, |_, _| c)
    }
}

prim! {
    /// An n×n square of a colour.
    fn square_of(_ctx, _: [], a: [Int, Color]) -> Grid, cost 1 {
        let (n, c) = (side(int_at(a, 0)?)?, color_at(a, 1)?);
        build(n, n, |_, _| c)
    }
}

prim! {
    /// An n×n grid of 0 with its main diagonal in a colour.
    fn diag_of(_ctx, _: [], a: [Int, Color]) -> Grid, cost 1 {
        let (n, c) = (side(int_at(a, 0)?)?, color_at(a, 1)?);
        build(n, n, |r, k| if r == k { c } else { 0 })
    }
}

prim! {
    /// A 1×w row of 0 with its first n cells in a colour.
    fn bar(_ctx, p: [ParamTy::Int { min: 1, max: 30 }, ParamTy::Paint], a: [Int]) -> Grid, cost 2 {
        let n = int_at(a, 0)?;
        if n < 0 || n > p[0] as i64 {
            return Err(Na("count longer than the bar"));
        }
        build(1, p[0] as usize, |_, k| if (k as i64) < n { pcolor(p, 1) } else { 0 })
    }
}

prim! {
    /// One column per non-zero colour, most common first, filled from the top by its count.
    fn histogram(_ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let g = grid_at(a, 0)?;
        let cols = by_frequency(&g.histogram(), 0);
        let h = cols.first().map_or(0, |&(_, n)| n);
        build(h, cols.len(), |r, k| if r < cols[k].1 { cols[k].0 } else { 0 })
    }
}

prim! {
    /// A column of the non-background colours, most common first.
    fn colors_by_count(ctx, _: [], a: [Grid]) -> Grid, cost 1 {
        let v = fg_colors_by_count(ctx, grid_at(a, 0)?);
        build(v.len(), 1, |r, _| v[r].0)
    }
}

pub const PRIMS: &[PrimDef] = prims![
    count_objs, obj_size, count_color, count_fg, count_colors, color_of, main_color, rare_color, row_of,
    square_of, diag_of, bar, histogram, colors_by_count,
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
