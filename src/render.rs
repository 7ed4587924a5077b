//! Rendering grids for people: plain digits (test failures, logs) or ANSI colours (`arc show`),
//! side by side (stacked when they would not fit the width), with the cells where a prediction
//! differs from the truth marked.

use crate::grid::Grid;
use anstyle::{Ansi256Color, Style as Ansi};

/// The ARC palette as ANSI 256-colour codes (black, blue, red, green, yellow, grey, magenta,
/// orange, azure, maroon).
const ANSI: [u8; 10] = [16, 27, 196, 40, 226, 246, 201, 208, 45, 88];

/// The terminal style of a cell of colour `v`: its colour as background; a dim dot on black
/// cells so that they stand out from a dark terminal's background.
fn cell_style(v: u8) -> Ansi {
    let fg = if v == 0 { 244 } else { 16 };
    Ansi::new().bg_color(Some(Ansi256Color(ANSI[v as usize]).into())).fg_color(Some(Ansi256Color(fg).into()))
}

/// How to draw cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Digits, `!`-marked where they differ (for logs and test failures).
    Plain,
    /// Coloured blocks, digits shown where they differ (for terminals).
    Color,
}

/// The lines of one grid; cells where `diff` (same shape) differs are marked.
pub fn grid_lines(g: &Grid, diff: Option<&Grid>, style: Style) -> Vec<String> {
    let diff = diff.filter(|d| d.shape() == g.shape());
    (0..g.h())
        .map(|r| {
            let mut line = String::new();
            for c in 0..g.w() {
                let v = g.get(r, c);
                let differs = diff.is_some_and(|d| d.get(r, c) != v);
                match style {
                    Style::Plain => {
                        line.push((b'0' + v) as char);
                        line.push(if differs { '!' } else { ' ' });
                    }
                    Style::Color => {
                        let style = cell_style(v);
                        let cell = match (differs, v) {
                            (true, _) => format!("{v}!"),
                            (false, 0) => "· ".into(),
                            (false, _) => "  ".into(),
                        };
                        line.push_str(&format!("{}{cell}{}", style.render(), style.render_reset()));
                    }
                }
            }
            line
        })
        .collect()
}

/// Printed width of a rendered line (ANSI escapes excluded).
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for ch in s.chars() {
        match (esc, ch) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (false, _) => n += 1,
            _ => {}
        }
    }
    n
}

/// The gap between columns.
const GAP: usize = 3;

/// Columns of rendered lines side by side, each under its title; stacked one under another when
/// side by side they would be wider than `width` columns.
pub fn layout(cols: &[(String, Vec<String>)], width: Option<usize>) -> String {
    let widths: Vec<usize> =
        cols.iter().map(|(t, ls)| ls.iter().map(|l| visible_len(l)).max().unwrap_or(0).max(t.chars().count())).collect();
    let total = widths.iter().sum::<usize>() + GAP * cols.len().saturating_sub(1);
    if cols.len() > 1 && width.is_some_and(|w| total > w) {
        return cols.iter().map(|c| side_by_side(std::slice::from_ref(c))).collect();
    }
    side_by_side(cols)
}

/// Columns of rendered lines side by side, each under its title.
pub fn side_by_side(cols: &[(String, Vec<String>)]) -> String {
    let widths: Vec<usize> =
        cols.iter().map(|(t, ls)| ls.iter().map(|l| visible_len(l)).max().unwrap_or(0).max(t.chars().count())).collect();
    let rows = cols.iter().map(|(_, ls)| ls.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in 0..=rows {
        let mut line = String::new();
        for (i, (title, ls)) in cols.iter().enumerate() {
            let cell = if r == 0 { title.clone() } else { ls.get(r - 1).cloned().unwrap_or_default() };
            let pad = widths[i] - visible_len(&cell);
            line.push_str(&cell);
            line.push_str(&" ".repeat(pad + GAP));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Input, expected and got side by side, with wrong cells of `got` marked.
pub fn compare(input: &Grid, expected: Option<&Grid>, got: Option<&Grid>, style: Style) -> String {
    compare_within(input, expected, got, style, None)
}

/// [`compare`], stacked when side by side it would be wider than `width` columns.
pub fn compare_within(input: &Grid, expected: Option<&Grid>, got: Option<&Grid>, style: Style, width: Option<usize>) -> String {
    let title = |name: &str, g: &Grid| format!("{name} {}x{}", g.h(), g.w());
    let mut cols = vec![(title("input", input), grid_lines(input, None, style))];
    if let Some(e) = expected {
        cols.push((title("expected", e), grid_lines(e, None, style)));
    }
    match got {
        Some(g) => cols.push((title("got", g), grid_lines(g, expected, style))),
        None => cols.push(("got nothing".into(), Vec::new())),
    }
    layout(&cols, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_differences() {
        let a = Grid::from_rows(&[vec![1i64, 2]]).unwrap();
        let b = Grid::from_rows(&[vec![1i64, 3]]).unwrap();
        let s = compare(&a, Some(&a), Some(&b), Style::Plain);
        assert_eq!(s, "input 1x2   expected 1x2   got 1x2\n1 2         1 2            1 3!\n");
    }

    #[test]
    fn stacks_when_too_wide() {
        let a = Grid::from_rows(&[vec![1i64, 2]]).unwrap();
        let wide = compare_within(&a, Some(&a), Some(&a), Style::Plain, Some(20));
        assert_eq!(wide, "input 1x2\n1 2\nexpected 1x2\n1 2\ngot 1x2\n1 2\n");
        assert_eq!(compare_within(&a, Some(&a), Some(&a), Style::Plain, Some(80)), compare(&a, Some(&a), Some(&a), Style::Plain));
    }

    #[test]
    fn colour_cells_are_escaped_and_black_is_visible() {
        let a = Grid::from_rows(&[vec![0i64, 3]]).unwrap();
        let line = &grid_lines(&a, None, Style::Color)[0];
        assert!(line.contains('·') && line.contains("\x1b["), "{line:?}");
        assert_eq!(visible_len(line), 4);
    }
}
