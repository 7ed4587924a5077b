//! Pictures of tasks and runs: a self-contained HTML report of `arc eval` runs ([`report_page`]:
//! inline CSS, JS and data; no network, no external assets) and an SVG of one task
//! ([`task_svg`]).
//!
//! Grids are drawn as coloured cells with visible borders in the ARC palette. Every grid is an
//! element with `data-grid` (what it is), `data-rows` and `data-cols`, holding exactly rows × cols
//! elements of class `cell`; an attempt's cells that differ from the truth also have class
//! `wrong`, and an attempt of another shape than the truth has class `wrong-shape`. The report
//! page builds its grids in the browser when a task is opened; the browser check
//! (`scripts/browser-check`) counts them there, `tests/suite/report.rs` reads the page's data and
//! the SVG.

use crate::eval::TaskReport;
use crate::grid::Grid;
use crate::task::Task;
use maud::html;

mod report;
pub use report::{grid_text, report_page};

/// The standard ARC palette, colours 0..=9.
pub const PALETTE: [&str; 10] =
    ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"];

/// How a task fared, as the report's filters name it.
pub fn status(t: &TaskReport) -> &'static str {
    match (t.scored, t.solved, t.outputs_right) {
        (false, _, _) => "unscored",
        (true, true, _) => "solved",
        (true, false, 0) => "unsolved",
        (true, false, _) => "partly",
    }
}

/// One task as an SVG picture: a row per demonstration (input, output) and per test input
/// (input, the truth when known, the attempts when given, wrong cells outlined).
pub fn task_svg(task: &Task, attempts: Option<&[Vec<Grid>]>) -> String {
    const CELL: usize = 14;
    const GAP: usize = 20;
    const TITLE: usize = 18;
    let mut rows: Vec<(String, Vec<(&str, &Grid, Option<&Grid>)>)> = Vec::new();
    for (i, p) in task.train.iter().enumerate() {
        rows.push((format!("demo {i}"), vec![("input", &p.input, None), ("output", &p.output, None)]));
    }
    for (i, t) in task.test.iter().enumerate() {
        let mut row = vec![("input", &t.input, None)];
        if let Some(o) = &t.output {
            row.push(("truth", o, None));
        }
        for (k, a) in attempts.and_then(|a| a.get(i)).map_or(&[][..], Vec::as_slice).iter().take(crate::solver::MAX_ATTEMPTS).enumerate() {
            row.push((if k == 0 { "attempt 1" } else { "attempt 2" }, a, t.output.as_ref()));
        }
        rows.push((format!("test {i}"), row));
    }
    let row_h = |row: &[(&str, &Grid, Option<&Grid>)]| row.iter().map(|g| g.1.h()).max().unwrap_or(0) * CELL + TITLE + GAP;
    let width = rows.iter().map(|(_, r)| r.iter().map(|g| g.1.w() * CELL + GAP).sum::<usize>()).max().unwrap_or(0) + 80;
    let height = rows.iter().map(|(_, r)| row_h(r)).sum::<usize>() + TITLE;
    let mut y = TITLE;
    let svg = html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height) viewBox={ "0 0 " (width) " " (height) } font-family="sans-serif" font-size="12" {
            rect width=(width) height=(height) fill="#ffffff" {}
            text x="4" y="13" font-weight="bold" { "task " (task.id) }
            @for (name, row) in &rows {
                @let top = y;
                @let _ = { y += row_h(row); };
                text x="4" y=(top + TITLE - 4) { (name) }
                @let mut x = 80;
                @for (what, g, truth) in row {
                    @let left = x;
                    @let _ = { x += g.w() * CELL + GAP; };
                    @let same = truth.filter(|t| t.shape() == g.shape());
                    text x=(left) y=(top + TITLE - 4) fill="#555" { (what) }
                    g data-grid=(what) data-rows=(g.h()) data-cols=(g.w()) {
                        @for r in 0..g.h() {
                            @for c in 0..g.w() {
                                @let v = g.get(r, c);
                                @let wrong = same.is_some_and(|t| t.get(r, c) != v);
                                rect class={ "cell" @if wrong { " wrong" } } x=(left + c * CELL) y=(top + TITLE + r * CELL) width=(CELL) height=(CELL)
                                    fill=(PALETTE[v as usize]) stroke=(if wrong { "#F012BE" } else { "#555555" }) stroke-width=(if wrong { 2 } else { 1 }) {}
                            }
                        }
                    }
                }
            }
        }
    };
    svg.into_string()
}
