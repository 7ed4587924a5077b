//! Argument and parameter access shared by every family: a primitive's dataflow arguments by
//! position and type, its literal parameters as colours and directions. The registry has checked
//! arity and types before a primitive runs; these still answer `Na`, never panic, on a mismatch.

use super::{Na, Obj, Value};
use crate::grid::{Color, Grid, MAX_SIDE};

/// Argument `i` as a grid.
pub(crate) fn grid_at<'a>(a: &[&'a Value], i: usize) -> Result<&'a Grid, Na> {
    match a.get(i) {
        Some(Value::Grid(g)) => Ok(g),
        _ => Err(Na("expected a grid")),
    }
}

/// Argument `i` as a list of grids.
pub(crate) fn grids_at<'a>(a: &[&'a Value], i: usize) -> Result<&'a [Grid], Na> {
    match a.get(i) {
        Some(Value::Grids(gs)) => Ok(gs),
        _ => Err(Na("expected grids")),
    }
}

/// Whether an object is well formed: a mask as large as its box, placed within a grid's reach.
fn well_formed(o: &Obj) -> bool {
    o.mask.len() == o.grid.h() * o.grid.w() && o.top < MAX_SIDE && o.left < MAX_SIDE
}

/// Argument `i` as objects (all well formed, so the families can index masks freely).
pub(crate) fn objs_at<'a>(a: &[&'a Value], i: usize) -> Result<&'a [Obj], Na> {
    match a.get(i) {
        Some(Value::Objs(o)) if o.iter().all(well_formed) => Ok(o),
        Some(Value::Objs(_)) => Err(Na("malformed object")),
        _ => Err(Na("expected objects")),
    }
}

/// Argument `i` as one well-formed object.
pub(crate) fn obj_at<'a>(a: &[&'a Value], i: usize) -> Result<&'a Obj, Na> {
    match a.get(i) {
        Some(Value::Obj(o)) if well_formed(o) => Ok(o),
        Some(Value::Obj(_)) => Err(Na("malformed object")),
        _ => Err(Na("expected an object")),
    }
}

/// Argument `i` as an integer.
pub(crate) fn int_at(a: &[&Value], i: usize) -> Result<i64, Na> {
    match a.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        _ => Err(Na("expected an integer")),
    }
}

/// Argument `i` as a colour, as given (see [`valid_color_at`] for the checked form).
pub(crate) fn color_at(a: &[&Value], i: usize) -> Result<Color, Na> {
    match a.get(i) {
        Some(Value::Color(c)) => Ok(*c),
        _ => Err(Na("expected a colour")),
    }
}

/// Argument `i` as a colour `0..=9`: a larger colour value is `Na` like a wrong type.
pub(crate) fn valid_color_at(a: &[&Value], i: usize) -> Result<Color, Na> {
    match a.get(i) {
        Some(Value::Color(c)) if *c < 10 => Ok(*c),
        _ => Err(Na("expected a colour")),
    }
}

/// Parameter `i` as a colour (the registry checked its range).
pub(crate) fn pcolor(p: &[i8], i: usize) -> Color {
    p.get(i).copied().unwrap_or(0).clamp(0, 9) as Color
}

/// The unit step `(rows, cols)` of a four-way direction choice ([`super::geom::DIRS`]: `up`,
/// `down`, `left`, `right`).
pub(crate) fn dir_step(d: i8) -> (i64, i64) {
    match d {
        0 => (-1, 0),
        1 => (1, 0),
        2 => (0, -1),
        _ => (0, 1),
    }
}
