//! Rendering grids for people: plain digits (test failures, logs) or ANSI colours (`arc show`),
//! side by side, with the cells where a prediction differs from the truth marked.

use crate::grid::Grid;

/// The ARC palette as ANSI 256-colour codes (black, blue, red, green, yellow, grey, magenta,
/// orange, azure, maroon).
const ANSI: [u8; 10] = [16, 27, 196, 40, 226, 246, 201, 208, 45, 88];

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
                        let fg = if v == 0 { 231 } else { 16 };
                        let cell = if differs { format!("{v}!") } else { "  ".into() };
                        line.push_str(&format!("\x1b[48;5;{};38;5;{fg}m{cell}\x1b[0m", ANSI[v as usize]));
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
            line.push_str(&" ".repeat(pad + 3));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Input, expected and got side by side, with wrong cells of `got` marked.
pub fn compare(input: &Grid, expected: Option<&Grid>, got: Option<&Grid>, style: Style) -> String {
    let title = |name: &str, g: &Grid| format!("{name} {}x{}", g.h(), g.w());
    let mut cols = vec![(title("input", input), grid_lines(input, None, style))];
    if let Some(e) = expected {
        cols.push((title("expected", e), grid_lines(e, None, style)));
    }
    match got {
        Some(g) => cols.push((title("got", g), grid_lines(g, expected, style))),
        None => cols.push(("got nothing".into(), Vec::new())),
    }
    side_by_side(&cols)
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
}
