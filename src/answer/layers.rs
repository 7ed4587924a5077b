//! Stacked layers, the `layers` form: program grids painted one over another on a blank canvas or
//! on a base program's grid, each layer painting its foreground cells, its background cells or
//! all of them ([`Paints`]). The search's composition (`search::compose`) finds the stacks; this
//! is what one means.

use crate::grid::{Color, Grid};
use crate::program::Program;
use std::fmt;

/// Which of a piece's cells a layer paints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paints {
    /// The cells other than the background colour.
    Foreground,
    /// The background cells: what lies under them is cleared to the background.
    Background,
    /// Every cell.
    All,
}

impl Paints {
    /// The word that marks a layer in this mode in an answer's text (none for the foreground).
    pub fn marker(self) -> Option<&'static str> {
        match self {
            Paints::Foreground => None,
            Paints::Background => Some("clear"),
            Paints::All => Some("whole"),
        }
    }

    /// The mode a marker word names.
    pub fn from_marker(word: &str) -> Option<Paints> {
        [Paints::Background, Paints::All].into_iter().find(|p| p.marker() == Some(word))
    }

    /// Whether a layer in this mode paints a cell of colour `v`.
    fn paints(self, v: Color, bg: Color) -> bool {
        match self {
            Paints::Foreground => v != bg,
            Paints::Background => v == bg,
            Paints::All => true,
        }
    }
}

/// One layer of [`crate::answer::Answer::Layers`]: a program's grid and which of its cells it
/// paints.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Layer {
    pub paints: Paints,
    pub program: Program,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.paints.marker() {
            Some(m) => write!(f, "{m} {}", self.program),
            None => write!(f, "{}", self.program),
        }
    }
}

/// Stacks grids on a canvas (a copy of `base`, or all background): later grids on top, each
/// painting the cells its mode says (see [`Paints`]). `None` when the grids differ in shape.
pub fn stack(base: Option<&Grid>, layers: &[(&Grid, Paints)], bg: Color) -> Option<Grid> {
    let (h, w) = base.or(layers.first().map(|l| l.0))?.shape();
    if layers.iter().any(|(g, _)| g.shape() != (h, w)) {
        return None;
    }
    let mut out = match base {
        Some(b) => b.clone(),
        None => Grid::new(h, w, bg).ok()?,
    };
    for (g, mode) in layers {
        for r in 0..h {
            for c in 0..w {
                let v = g.get(r, c);
                if mode.paints(v, bg) {
                    out.set(r, c, v);
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacking_puts_later_layers_on_top() {
        let a = Grid::from_rows(&[vec![1i64, 0], vec![0, 0]]).unwrap();
        let b = Grid::from_rows(&[vec![2i64, 0], vec![0, 3]]).unwrap();
        let fg = Paints::Foreground;
        assert_eq!(stack(None, &[(&a, fg), (&b, fg)], 0).unwrap().to_text(), "20\n03\n");
        assert_eq!(stack(None, &[(&b, fg), (&a, fg)], 0).unwrap().to_text(), "10\n03\n");
        assert_eq!(stack(Some(&b), &[(&a, fg)], 0).unwrap().to_text(), "10\n03\n");
        // A layer of background cells clears what lies under them; a whole layer hides it all.
        assert_eq!(stack(None, &[(&b, fg), (&a, Paints::Background)], 0).unwrap().to_text(), "20\n00\n");
        assert_eq!(stack(Some(&b), &[(&a, Paints::All)], 0).unwrap().to_text(), "10\n00\n");
        assert_eq!(crate::dsl::color::background(&[&a, &b]), 0);
    }
}
