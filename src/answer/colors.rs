//! Recolouring, as answers use it: a colour map ([`ColorMap`], the `colormap` form; the search
//! fits the same maps to the demos) and a colour permutation ([`Perm`], the ranking behind the
//! `normalized` form and the search's colour-normalised task; [`Roles`] behind the `roles` form:
//! some colours kept, the others ranked).

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
        Roles { keep: [false; N_COLORS], order: Order::Common }.perm(g)
    }

    /// The permutation that changes nothing.
    pub fn identity() -> Perm {
        Perm { to: std::array::from_fn(|c| c as Color) }
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

/// How the colours that are not kept are ranked in each grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// Most cells first.
    Common,
    /// Fewest cells first.
    Rare,
}

impl Order {
    /// Every order, in the order the search tries them.
    pub const ALL: [Order; 2] = [Order::Common, Order::Rare];

    /// Its name in the text form.
    pub fn name(self) -> &'static str {
        match self {
            Order::Common => "common",
            Order::Rare => "rare",
        }
    }

    /// The order with this name.
    pub fn from_name(name: &str) -> Option<Order> {
        Order::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// Colour roles: the colours a task uses literally are kept (`keep`), and each grid's other
/// colours are ranked by `order` into the colours not kept (ascending), so demos whose varying
/// colours play the same role read the same. Colours a grid lacks take the slots left, in
/// ascending order, so the map is a permutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Roles {
    pub keep: [bool; N_COLORS],
    pub order: Order,
}

impl Roles {
    /// The permutation that normalises grid `g`.
    pub fn perm(&self, g: &Grid) -> Perm {
        let n = g.histogram();
        let mut ranked: Vec<usize> = (0..N_COLORS).filter(|&c| !self.keep[c]).collect();
        // Present colours by the order (lowest colour on ties), then absent ones ascending.
        ranked.sort_by_key(|&c| {
            let by = match self.order {
                Order::Common => -(n[c] as i64),
                Order::Rare => n[c] as i64,
            };
            (n[c] == 0, by, c)
        });
        let slots = (0..N_COLORS).filter(|&c| !self.keep[c]);
        let mut to: [Color; N_COLORS] = std::array::from_fn(|c| c as Color);
        for (c, slot) in ranked.into_iter().zip(slots) {
            to[c] = slot as Color;
        }
        Perm { to }
    }

    /// The context an answer in these roles runs in, from the task's: the task's background
    /// when it is kept (its cells read the same), else every grid read on its own.
    pub fn ctx(&self, task: &crate::dsl::Ctx) -> crate::dsl::Ctx {
        crate::dsl::Ctx { bg: task.bg.filter(|&c| self.keep[c as usize]) }
    }

    /// The kept colours as text: their digits ascending, `-` for none.
    pub fn keep_text(&self) -> String {
        let s: String = (0..N_COLORS).filter(|&c| self.keep[c]).map(|c| char::from(b'0' + c as u8)).collect();
        if s.is_empty() { "-".to_string() } else { s }
    }

    /// Reads [`Roles::keep_text`]'s form.
    pub fn parse_keep(text: &str) -> Option<[bool; N_COLORS]> {
        let mut keep = [false; N_COLORS];
        if text == "-" {
            return Some(keep);
        }
        let mut last = None;
        for b in text.bytes() {
            let c = b.checked_sub(b'0').filter(|&c| (c as usize) < N_COLORS)? as usize;
            // Strictly ascending: one spelling per set.
            if last.is_some_and(|l| l >= c) {
                return None;
            }
            last = Some(c);
            keep[c] = true;
        }
        last.map(|_| keep)
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

    #[test]
    fn roles_keep_their_colours_and_rank_the_others_into_the_free_ones() {
        let mut keep = [false; N_COLORS];
        keep[0] = true;
        keep[2] = true;
        // 7 (three cells) and 4 (one cell) vary; 0 and 2 are kept.
        let g = grid("0777/0240/0000");
        let common = Roles { keep, order: Order::Common }.perm(&g);
        assert_eq!(common.apply(&g), grid("0111/0230/0000"));
        let rare = Roles { keep, order: Order::Rare }.perm(&g);
        assert_eq!(rare.apply(&g), grid("0333/0210/0000"));
        for p in [common, rare] {
            assert_eq!(p.inverse().apply(&p.apply(&g)), g);
        }
        // With nothing kept and the common order, it is the plain ranking.
        assert_eq!(Roles { keep: [false; N_COLORS], order: Order::Common }.perm(&g), Perm::ranking(&g));
        let r = Roles { keep, order: Order::Rare };
        assert_eq!(r.keep_text(), "02");
        assert_eq!(Roles::parse_keep("02"), Some(keep));
        assert_eq!(Roles::parse_keep("-"), Some([false; N_COLORS]));
        for bad in ["20", "00", "", "0a", "012345678910"] {
            assert_eq!(Roles::parse_keep(bad), None, "{bad}");
        }
    }
}
