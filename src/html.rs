//! Pictures of tasks and runs: a self-contained HTML report of `arc eval` runs (inline CSS, JS
//! and SVG; no network, no external assets) and an SVG of one task.
//!
//! Grids are drawn as coloured cells with visible borders in the ARC palette. Every grid is an
//! element with `data-grid` (what it is), `data-rows` and `data-cols`, holding exactly rows × cols
//! elements of class `cell`; an attempt's cells that differ from the truth also have class
//! `wrong`, and an attempt of another shape than the truth has class `wrong-shape`. The browser
//! check (`scripts/browser-check`) and `tests/suite/report.rs` count these.

use crate::eval::{EvalReport, TaskReport};
use crate::grid::Grid;
use crate::task::Task;
use maud::{DOCTYPE, Markup, PreEscaped, html};

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

const CSS: &str = r#"
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #111; background: #fafafa; }
h1 { font-size: 1.5em; margin: 0 0 .5em; } h2 { font-size: 1.1em; margin: 0; }
table.summary { border-collapse: collapse; margin: .5em 0 1em; }
table.summary td, table.summary th { border: 1px solid #ccc; padding: .2em .6em; text-align: right; }
table.summary th { background: #eee; }
.filters { margin: 1em 0; position: sticky; top: 0; background: #fafafa; padding: .4em 0; z-index: 1; }
.filters button { font: inherit; padding: .2em .8em; margin-right: .3em; border: 1px solid #888; background: #fff; border-radius: 3px; cursor: pointer; }
.filters button.on { background: #333; color: #fff; }
section.task { background: #fff; border: 1px solid #ddd; border-left: 6px solid #999; padding: .6em 1em; margin: .8em 0; }
section.task[data-status=solved] { border-left-color: #2ECC40; }
section.task[data-status=partly] { border-left-color: #FFDC00; }
section.task[data-status=unsolved] { border-left-color: #FF4136; }
.meta { color: #444; margin: .2em 0 .5em; } .meta code { background: #f2f2f2; padding: 0 .3em; word-break: break-all; }
.row { display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start; margin: .4em 0; }
.pair { display: flex; gap: .5em; align-items: flex-start; padding-right: 1em; border-right: 1px dashed #ccc; }
figure { margin: 0; } figcaption { font-size: 12px; color: #555; }
.grid { display: inline-grid; gap: 1px; background: #555; border: 1px solid #555; }
.cell { width: 12px; height: 12px; }
.cell.wrong { outline: 2px solid #fff; outline-offset: -3px; box-shadow: inset 0 0 0 1px #f0f; }
.grid.wrong-shape { border: 2px dashed #FF4136; }
.verdict-correct { color: #1a7f2a; font-weight: 600; } .verdict-wrong { color: #c0392b; font-weight: 600; }
svg.plot text { font-size: 12px; }
"#;

const JS: &str = r#"
function arcFilter(which) {
  document.querySelectorAll('.filters button').forEach(b => b.classList.toggle('on', b.dataset.filter === which));
  document.querySelectorAll('section.task').forEach(s => {
    s.style.display = (which === 'all' || s.dataset.status === which) ? '' : 'none';
  });
}
// A link to a filtered view: report.html?filter=unsolved (or #filter=unsolved)
window.addEventListener('DOMContentLoaded', () => {
  const f = new URLSearchParams(location.search).get('filter') || new URLSearchParams(location.hash.slice(1)).get('filter');
  if (f) arcFilter(f);
});
"#;

const CELL_CSS_PREFIX: &str = "c";

/// The palette as CSS classes `.c0` .. `.c9`.
fn palette_css() -> String {
    PALETTE.iter().enumerate().map(|(i, c)| format!(".{CELL_CSS_PREFIX}{i} {{ background: {c}; }}\n")).collect()
}

/// One grid as cells; with `truth` of the same shape, the differing cells are marked `wrong`, and
/// a grid of another shape than `truth` is marked `wrong-shape`.
pub fn grid(g: &Grid, what: &str, truth: Option<&Grid>) -> Markup {
    let same = truth.filter(|t| t.shape() == g.shape());
    let wrong_shape = truth.is_some() && same.is_none();
    html! {
        div.grid.wrong-shape[wrong_shape] data-grid=(what) data-rows=(g.h()) data-cols=(g.w())
            style={ "grid-template-columns: repeat(" (g.w()) ", 12px)" } {
            @for r in 0..g.h() {
                @for c in 0..g.w() {
                    @let v = g.get(r, c);
                    div class={ "cell " (CELL_CSS_PREFIX) (v) @if same.is_some_and(|t| t.get(r, c) != v) { " wrong" } } {}
                }
            }
        }
    }
}

fn figure(caption: &str, g: &Grid, what: &str, truth: Option<&Grid>) -> Markup {
    html! { figure { figcaption { (caption) " " (g.h()) "×" (g.w()) } (grid(g, what, truth)) } }
}

/// The summary table of one or more runs.
fn summary(reports: &[EvalReport]) -> Markup {
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    html! {
        table.summary {
            tr { th { "dataset" } th { "solver" } th { "budget" } th { "tasks solved" } th { "test outputs right" }
                 th { "ARC Prize score" } th { "CPU total" } th { "CPU median / max per task" } th { "peak memory" } th { "jobs" } }
            @for r in reports {
                @let scored = r.tasks_scored();
                tr {
                    td { (r.dataset) "/" (r.split) @if let Some(s) = r.shard { " (shard " (s) ")" } }
                    td { (r.solver) } td { (r.budget) }
                    @if scored == 0 {
                        td colspan="3" { "not scored (" (r.tasks_total) " tasks without solutions)" }
                    } @else {
                        td { (r.tasks_solved) "/" (scored) (format!(" ({:.2}%)", pct(r.tasks_solved, scored))) }
                        td { (r.outputs_right) "/" (r.outputs_total) }
                        td { (format!("{:.2}%", 100.0 * r.score)) }
                    }
                    td { (format!("{:.1} s", r.cpu_seconds)) }
                    td { (format!("{:.0} ms / {:.0} ms", r.cpu_ms_median, r.cpu_ms_max)) }
                    td { (format!("{:.0} MiB", r.peak_rss_mb)) }
                    td { (r.jobs) }
                }
            }
        }
    }
}

/// Solved tasks against the budget (work units, log scale), one point per report with a
/// numeric budget, joined by solver.
fn plot(reports: &[EvalReport]) -> Option<Markup> {
    let mut pts: Vec<(f64, usize, &str)> = reports
        .iter()
        .filter_map(|r| r.budget.parse::<crate::search::Budget>().ok().map(|b| ((b.work().max(1) as f64).log10(), r.tasks_solved, r.solver.as_str())))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    pts.sort_by(|a, b| a.2.cmp(b.2).then(a.0.total_cmp(&b.0)));
    let (w, h, m) = (520.0, 260.0, 50.0);
    let (x0, x1) = pts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (x0, x1) = if x1 - x0 < 1e-9 { (x0 - 0.5, x1 + 0.5) } else { (x0, x1) };
    let ymax = pts.iter().map(|p| p.1).max().unwrap_or(1).max(1) as f64;
    let sx = |x: f64| m + (x - x0) / (x1 - x0) * (w - 2.0 * m);
    let sy = |y: f64| h - m - y / ymax * (h - 2.0 * m);
    let mut solvers: Vec<&str> = pts.iter().map(|p| p.2).collect();
    solvers.dedup();
    Some(html! {
        svg.plot xmlns="http://www.w3.org/2000/svg" width=(w) height=(h) viewBox={ "0 0 " (w) " " (h) } {
            line x1=(m) y1=(h - m) x2=(w - m) y2=(h - m) stroke="#333" {}
            line x1=(m) y1=(m) x2=(m) y2=(h - m) stroke="#333" {}
            text x=(w / 2.0) y=(h - 10.0) text-anchor="middle" { "budget (work units, log scale)" }
            text x="12" y=(h / 2.0) transform={ "rotate(-90 12 " (h / 2.0) ")" } text-anchor="middle" { "tasks solved" }
            text x=(m - 6.0) y=(sy(ymax) + 4.0) text-anchor="end" { (ymax) }
            text x=(m - 6.0) y=(sy(0.0) + 4.0) text-anchor="end" { "0" }
            @for (i, s) in solvers.iter().enumerate() {
                @let line: Vec<String> = pts.iter().filter(|p| p.2 == *s).map(|p| format!("{:.1},{:.1}", sx(p.0), sy(p.1 as f64))).collect();
                polyline points=(line.join(" ")) fill="none" stroke=(PALETTE[1 + i % 9]) stroke-width="2" {}
                text x=(m + 8.0) y=(14.0 + 14.0 * i as f64) fill=(PALETTE[1 + i % 9]) { (s) }
            }
            @for p in &pts {
                circle cx=(sx(p.0)) cy=(sy(p.1 as f64)) r="4" fill="#111" {}
                text x=(sx(p.0)) y=(sy(p.1 as f64) - 8.0) text-anchor="middle" { (p.1) }
                text x=(sx(p.0)) y=(h - m + 16.0) text-anchor="middle" { (format!("{:.0e}", 10f64.powf(p.0))) }
            }
        }
    })
}

/// One task's section: what the solver said, its demos, and per test input the input, the truth
/// and both attempts with wrong cells marked.
fn task_section(t: &TaskReport, task: Option<&Task>) -> Markup {
    html! {
        section.task id={ "task-" (t.id) } data-status=(status(t)) {
            h2 { (t.id) " — " (status(t)) @if t.scored { " (" (t.outputs_right) "/" (t.outputs_total) " test outputs)" } }
            div.meta {
                "answer " code { (t.program.as_deref().unwrap_or("(none)")) }
                " · stop reason " b { (t.stop_reason.to_string()) } " · work " (t.work) " · CPU " (format!("{:.0} ms", t.cpu_ms))
                @if let Some(f) = &t.fault { " · FAULT: " (f) }
            }
            @match task {
                None => p { "(the task's grids are not in the dataset any more)" },
                Some(task) => {
                    div.row {
                        @for (i, p) in task.train.iter().enumerate() {
                            div.pair { (figure(&format!("demo {i} input"), &p.input, "demo-input", None)) (figure("output", &p.output, "demo-output", None)) }
                        }
                    }
                    @for (i, tp) in task.test.iter().enumerate() {
                        div.row {
                            (figure(&format!("test {i} input"), &tp.input, "test-input", None))
                            @if let Some(o) = &tp.output { (figure("truth", o, "truth", None)) }
                            @let atts = t.attempts.get(i).map_or(&[][..], Vec::as_slice);
                            @if atts.is_empty() { figure { figcaption { "no attempt" } } }
                            @for (k, a) in atts.iter().take(crate::solver::MAX_ATTEMPTS).enumerate() {
                                @let right = tp.output.as_ref().map(|o| o == a);
                                figure {
                                    figcaption {
                                        "attempt " (k + 1) " " (a.h()) "×" (a.w())
                                        @match right { Some(true) => { " " span.verdict-correct { "right" } }, Some(false) => { " " span.verdict-wrong { "wrong" } }, None => {} }
                                    }
                                    (grid(a, "attempt", tp.output.as_ref()))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The HTML report of one or more runs: the summary of each, a plot of solved tasks against the
/// budget when several have numeric budgets, and every task of the first run in detail (`tasks`
/// gives a task's grids by id). One page, nothing fetched.
pub fn report_page(reports: &[EvalReport], tasks: &dyn Fn(&str) -> Option<Task>) -> String {
    let Some(main) = reports.first() else { return String::new() };
    let count = |s: &str| main.tasks.iter().filter(|t| status(t) == s).count();
    let filters = [("all", main.tasks.len()), ("solved", count("solved")), ("partly", count("partly")), ("unsolved", count("unsolved")), ("unscored", count("unscored"))];
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "arc report: " (main.dataset) "/" (main.split) }
                style { (PreEscaped(CSS)) (PreEscaped(palette_css())) }
                script { (PreEscaped(JS)) }
            }
            body {
                h1 { "ARC run: " (main.dataset) "/" (main.split) ", " (main.solver) " (budget " (main.budget) ")" }
                (summary(reports))
                @if let Some(p) = plot(reports) { (p) }
                div.filters {
                    @for (f, n) in filters {
                        @if f == "all" || n > 0 {
                            button.on[f == "all"] data-filter=(f) onclick={ "arcFilter('" (f) "')" } { (f) " (" (n) ")" }
                        }
                    }
                }
                @for t in &main.tasks { (task_section(t, tasks(&t.id).as_ref())) }
            }
        }
    };
    page.into_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_has_a_cell_per_square_and_marks_wrong_cells() {
        let truth = Grid::from_rows(&[vec![1i64, 2, 3], vec![4, 5, 6]]).unwrap();
        let got = Grid::from_rows(&[vec![1i64, 2, 3], vec![4, 0, 6]]).unwrap();
        let html = grid(&got, "attempt", Some(&truth)).into_string();
        assert_eq!(html.matches("class=\"cell ").count(), 6);
        assert_eq!(html.matches(" wrong\"").count(), 1);
        assert!(html.contains("data-rows=\"2\"") && html.contains("data-cols=\"3\""));
        let other = Grid::from_rows(&[vec![1i64]]).unwrap();
        assert!(grid(&other, "attempt", Some(&truth)).into_string().contains("wrong-shape"));
    }
}
