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
    Parts,
}

impl Ty {
    /// Every type, in the order of [`Ty::index`].
    pub const ALL: [Ty; Ty::COUNT] = [Ty::Grid, Ty::Grids, Ty::Obj, Ty::Objs, Ty::Int, Ty::Color, Ty::Parts];
    /// The number of types.
    pub const COUNT: usize = 7;

    /// A dense index `0..COUNT` (for per-type tables).
    pub fn index(self) -> usize {
        self as usize
    }
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
            Ty::Parts => "parts",
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

/// One part of a grid: a grid and the place of its top-left cell in the grid it came from.
/// Cells of the list's background colour ([`Parts::bg`]) are see-through when the part is
/// painted back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part {
    pub top: usize,
    pub left: usize,
    pub grid: Grid,
    /// The box it was cut from, `(top, left, height, width)` (a mapped part may change shape
    /// and place): what [`crate::dsl::parts`]' `replace_on` clears.
    pub cut: (usize, usize, usize, usize),
}

/// Parts that keep their place: what a splitter cuts from a grid, in reading order of their
/// top-left cells, with the shape and background of the grid they came from (so they can be
/// painted back onto a blank canvas of that grid).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parts {
    /// The source grid's shape.
    pub h: usize,
    pub w: usize,
    /// The source grid's background: the see-through colour of every part.
    pub bg: Color,
    pub items: Vec<Part>,
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
    Parts(Parts),
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
            Value::Parts(_) => Ty::Parts,
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
