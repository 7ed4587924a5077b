//! Values flowing through programs, and their types.

use crate::grid::{Color, Grid};

/// The dataflow types of the DSL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    Grid,
    Grids,
    Obj,
    Objs,
    Int,
    Color,
}

impl Ty {
    /// Lowercase name as written in signatures.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Grid => "grid",
            Ty::Grids => "grids",
            Ty::Obj => "obj",
            Ty::Objs => "objs",
            Ty::Int => "int",
            Ty::Color => "color",
        }
    }
}

/// An object: a set of coloured cells at a position. `grid` is its bounding box, `mask`
/// (row-major, same size) marks which cells belong to it; `top`/`left` place the box in the
/// grid it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Obj {
    pub top: usize,
    pub left: usize,
    pub grid: Grid,
    pub mask: Vec<bool>,
}

impl Obj {
    /// Number of cells in the object.
    pub fn size(&self) -> usize {
        self.mask.iter().filter(|&&m| m).count()
    }

    /// Whether `(r, c)` of the box belongs to the object.
    pub fn has(&self, r: usize, c: usize) -> bool {
        self.mask[r * self.grid.w() + c]
    }
}

/// A value in a program: what a primitive takes and gives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Grid(Grid),
    Grids(Vec<Grid>),
    Obj(Obj),
    Objs(Vec<Obj>),
    Int(i64),
    Color(Color),
}

impl Value {
    /// The value's type.
    pub fn ty(&self) -> Ty {
        match self {
            Value::Grid(_) => Ty::Grid,
            Value::Grids(_) => Ty::Grids,
            Value::Obj(_) => Ty::Obj,
            Value::Objs(_) => Ty::Objs,
            Value::Int(_) => Ty::Int,
            Value::Color(_) => Ty::Color,
        }
    }

    /// The grid inside, if this is a grid.
    pub fn as_grid(&self) -> Option<&Grid> {
        match self {
            Value::Grid(g) => Some(g),
            _ => None,
        }
    }
}
