//! Recolouring, as answers use it: a colour map ([`ColorMap`], the `colormap` form; the search
//! fits the same maps to the demos) and a colour permutation ([`Perm`], the ranking behind the
//! `normalized` form and the search's colour-normalised task).

use crate::grid::{Color, Grid, N_COLORS};

/// Applies a colour map (identity where it has no entry).
pub fn apply_map(g: &Grid, map: &[Option<Color>; N_COLORS]) -> Grid {
    let cells = g.cells().iter().map(|&c| map[c as usize].unwrap_or(c)).collect();
    Grid::from_cells(g.h(), g.w(), cells).expect("a recoloured valid grid is valid")
}

/// A colour map: `to[c]` is the new colour of `c` (identity where `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColorMap(pub [Option<Color>; N_COLORS]);

impl ColorMap {
    /// The map with only the entries that change a colour (the others are the identity anyway).
    pub fn from_partial(map: &[Option<Color>; N_COLORS]) -> ColorMap {
        ColorMap(std::array::from_fn(|c| map[c].filter(|&t| t as usize != c)))
    }

    /// Recolours a grid.
    pub fn apply(&self, g: &Grid) -> Grid {
        apply_map(g, &self.0)
    }
}

/// A colour permutation: `to[c]` is the new colour of `c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perm {
    to: [Color; N_COLORS],
}

impl Perm {
    /// Ranks a grid's colours: most common first (lowest colour on ties); absent colours follow
    /// in ascending order.
    pub fn ranking(g: &Grid) -> Perm {
        let n = g.histogram();
        let mut order: Vec<usize> = (0..N_COLORS).collect();
        order.sort_by_key(|&c| (std::cmp::Reverse(n[c]), c));
        let mut to = [0; N_COLORS];
        for (rank, &c) in order.iter().enumerate() {
            to[c] = rank as Color;
        }
        Perm { to }
    }

    /// The inverse permutation.
    pub fn inverse(&self) -> Perm {
        let mut to = [0; N_COLORS];
        for (c, &t) in self.to.iter().enumerate() {
            to[t as usize] = c as Color;
        }
        Perm { to }
    }

    /// Whether it changes no colour.
    pub fn is_identity(&self) -> bool {
        self.to.iter().enumerate().all(|(c, &t)| c == t as usize)
    }

    /// Recolours a grid.
    pub fn apply(&self, g: &Grid) -> Grid {
        let cells = g.cells().iter().map(|&c| self.to[c as usize]).collect();
        Grid::from_cells(g.h(), g.w(), cells).expect("a permuted valid grid is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::grid;

    #[test]
    fn rankings_invert_and_maps_keep_unlisted_colours() {
        let g = grid("0123/4567/8999");
        let p = Perm::ranking(&g);
        assert_eq!(p.inverse().apply(&p.apply(&g)), g);
        assert!(!p.is_identity());
        let mut map = [None; N_COLORS];
        map[1] = Some(1);
        map[2] = Some(5);
        let m = ColorMap::from_partial(&map);
        assert_eq!(m.0[1], None);
        assert_eq!(m.apply(&grid("12/30")), grid("15/30"));
    }
}
