//! `Grid` and `Color`: the one value every ARC task is made of.
//!
//! A grid is validated on construction: rectangular, each side in `1..=30`, every colour in
//! `0..=9`. Code that holds a `Grid` can rely on those facts; code that builds one from
//! untrusted data goes through [`Grid::from_rows`] or [`Grid::new`] and gets a [`GridError`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::OnceLock;

/// One ARC colour, `0..=9` (0 is black, the usual background).
pub type Color = u8;

/// The largest side of an ARC grid.
pub const MAX_SIDE: usize = 30;
/// The number of ARC colours.
pub const N_COLORS: usize = 10;

/// Why a would-be grid is not a valid ARC grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GridError {
    #[error("grid is empty (it has no rows or its first row has no cells)")]
    Empty,
    #[error("grid is ragged: row {row} has {got} cells, row 0 has {expected}")]
    Ragged { row: usize, expected: usize, got: usize },
    #[error("grid side {side} is over the limit of 30 ({what})")]
    TooLarge { what: &'static str, side: usize },
    #[error("colour {value} at row {row}, column {col} is outside 0..=9")]
    BadColor { row: usize, col: usize, value: i64 },
}

/// A rectangular ARC grid, `h` rows by `w` columns, row-major.
///
/// The colour histogram is computed once, on first use, and kept with the grid: the search
/// applies hundreds of primitives to each grid, and most of them ask for its background.
#[derive(Clone)]
pub struct Grid {
    h: usize,
    w: usize,
    cells: Vec<Color>,
    hist: OnceLock<[u16; N_COLORS]>,
}

impl PartialEq for Grid {
    fn eq(&self, other: &Grid) -> bool {
        (self.h, self.w, &self.cells) == (other.h, other.w, &other.cells)
    }
}

impl Eq for Grid {}

impl std::hash::Hash for Grid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.h, self.w, &self.cells).hash(state);
    }
}

impl PartialOrd for Grid {
    fn partial_cmp(&self, other: &Grid) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Grid {
    fn cmp(&self, other: &Grid) -> std::cmp::Ordering {
        (self.h, self.w, &self.cells).cmp(&(other.h, other.w, &other.cells))
    }
}

impl Grid {
    /// A grid of `h × w` cells, all `fill`.
    pub fn new(h: usize, w: usize, fill: Color) -> Result<Grid, GridError> {
        Self::check_shape(h, w)?;
        if fill as usize >= N_COLORS {
            return Err(GridError::BadColor { row: 0, col: 0, value: fill as i64 });
        }
        Ok(Grid::raw(h, w, vec![fill; h * w]))
    }

    /// A grid from row-major cells; `cells.len()` must be `h * w`.
    pub fn from_cells(h: usize, w: usize, cells: Vec<Color>) -> Result<Grid, GridError> {
        Self::check_shape(h, w)?;
        if cells.len() != h * w {
            return Err(GridError::Ragged { row: cells.len() / w.max(1), expected: w, got: cells.len() % w.max(1) });
        }
        if let Some(i) = cells.iter().position(|&c| c as usize >= N_COLORS) {
            return Err(GridError::BadColor { row: i / w, col: i % w, value: cells[i] as i64 });
        }
        Ok(Grid::raw(h, w, cells))
    }

    /// A grid from rows of any integers, validated.
    pub fn from_rows<T: Copy + Into<i64>>(rows: &[Vec<T>]) -> Result<Grid, GridError> {
        let h = rows.len();
        let w = rows.first().map_or(0, Vec::len);
        if h == 0 || w == 0 {
            return Err(GridError::Empty);
        }
        Self::check_shape(h, w)?;
        let mut cells = Vec::with_capacity(h * w);
        for (r, row) in rows.iter().enumerate() {
            if row.len() != w {
                return Err(GridError::Ragged { row: r, expected: w, got: row.len() });
            }
            for (c, &v) in row.iter().enumerate() {
                let v: i64 = v.into();
                if !(0..N_COLORS as i64).contains(&v) {
                    return Err(GridError::BadColor { row: r, col: c, value: v });
                }
                cells.push(v as Color);
            }
        }
        Ok(Grid::raw(h, w, cells))
    }

    /// A grid of `h × w` cells computed by `f(row, col)`; colours are taken modulo 10.
    pub fn from_fn(h: usize, w: usize, mut f: impl FnMut(usize, usize) -> Color) -> Result<Grid, GridError> {
        Self::check_shape(h, w)?;
        let mut cells = Vec::with_capacity(h * w);
        for r in 0..h {
            for c in 0..w {
                cells.push(f(r, c) % N_COLORS as Color);
            }
        }
        Ok(Grid::raw(h, w, cells))
    }

    /// A grid from cells already checked.
    fn raw(h: usize, w: usize, cells: Vec<Color>) -> Grid {
        Grid { h, w, cells, hist: OnceLock::new() }
    }

    fn check_shape(h: usize, w: usize) -> Result<(), GridError> {
        if h == 0 || w == 0 {
            return Err(GridError::Empty);
        }
        if h > MAX_SIDE {
            return Err(GridError::TooLarge { what: "height", side: h });
        }
        if w > MAX_SIDE {
            return Err(GridError::TooLarge { what: "width", side: w });
        }
        Ok(())
    }

    /// Number of rows.
    #[inline]
    pub fn h(&self) -> usize {
        self.h
    }

    /// Number of columns.
    #[inline]
    pub fn w(&self) -> usize {
        self.w
    }

    /// `(rows, columns)`.
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        (self.h, self.w)
    }

    /// The colour at `(row, col)`; panics only on a caller's out-of-range index, like slices.
    #[inline]
    pub fn get(&self, r: usize, c: usize) -> Color {
        self.cells[r * self.w + c]
    }

    /// The colour at a signed position, or `None` outside the grid.
    #[inline]
    pub fn get_checked(&self, r: i64, c: i64) -> Option<Color> {
        if r < 0 || c < 0 || r >= self.h as i64 || c >= self.w as i64 {
            None
        } else {
            Some(self.cells[r as usize * self.w + c as usize])
        }
    }

    /// Sets the colour at `(row, col)`; the colour is taken modulo 10 so the grid stays valid.
    #[inline]
    pub fn set(&mut self, r: usize, c: usize, color: Color) {
        self.cells[r * self.w + c] = color % N_COLORS as Color;
        self.hist.take();
    }

    /// Row-major cells.
    #[inline]
    pub fn cells(&self) -> &[Color] {
        &self.cells
    }

    /// One row.
    #[inline]
    pub fn row(&self, r: usize) -> &[Color] {
        &self.cells[r * self.w..(r + 1) * self.w]
    }

    /// The rows as nested vectors (the ARC JSON form).
    pub fn to_rows(&self) -> Vec<Vec<Color>> {
        self.cells.chunks(self.w).map(<[Color]>::to_vec).collect()
    }

    /// How many cells have each colour.
    pub fn histogram(&self) -> [usize; N_COLORS] {
        let counts = self.hist.get_or_init(|| {
            let mut h = [0u16; N_COLORS];
            for &c in &self.cells {
                h[c as usize] += 1;
            }
            h
        });
        counts.map(usize::from)
    }

    /// The grid as digits, one line per row (the form used in snapshots and reports).
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(self.h * (self.w + 1));
        for r in 0..self.h {
            for &c in self.row(r) {
                s.push((b'0' + c) as char);
            }
            s.push('\n');
        }
        s
    }
}

impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grid {}x{}\n{}", self.h, self.w, self.to_text())
    }
}

impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Serialize for Grid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_rows().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Grid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Grid, D::Error> {
        let rows: Vec<Vec<i64>> = Vec::deserialize(d)?;
        Grid::from_rows(&rows).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert_eq!(Grid::from_rows::<i64>(&[]), Err(GridError::Empty));
        assert_eq!(Grid::from_rows(&[vec![1i64, 2], vec![3]]), Err(GridError::Ragged { row: 1, expected: 2, got: 1 }));
        assert_eq!(Grid::from_rows(&[vec![10i64]]), Err(GridError::BadColor { row: 0, col: 0, value: 10 }));
        assert!(matches!(Grid::new(31, 1, 0), Err(GridError::TooLarge { .. })));
        let g = Grid::from_rows(&[vec![1i64, 2], vec![3, 4]]).unwrap();
        assert_eq!(g.get(1, 0), 3);
        assert_eq!(g.to_text(), "12\n34\n");
        let j = serde_json::to_string(&g).unwrap();
        assert_eq!(j, "[[1,2],[3,4]]");
        assert_eq!(serde_json::from_str::<Grid>(&j).unwrap(), g);
    }
}
