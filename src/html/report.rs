//! The HTML report page: an index of the tasks (one table row each) with filters, and every
//! task's grids and attempts as compact JSON data in the page, drawn by the page's script only
//! when a row is opened (a page of 400 tasks draws in a fraction of a second instead of holding
//! hundreds of thousands of cells).

use super::{PALETTE, status};
use crate::eval::{EvalReport, TaskReport};
use crate::grid::Grid;
use crate::task::Task;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde_json::{Value, json};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// The palette as CSS classes `.c0` .. `.c9`.
fn palette_css() -> String {
    PALETTE.iter().enumerate().map(|(i, c)| format!(".c{i} {{ background: {c}; }}\n")).collect()
}

/// A grid as the page's data holds it: its rows of digits joined by `|` (`"012|340"`).
pub fn grid_text(g: &Grid) -> String {
    (0..g.h()).map(|r| g.row(r).iter().map(|&c| char::from(b'0' + c)).collect::<String>()).collect::<Vec<_>>().join("|")
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

/// One task's data for the page: its answers and fault, and (when its grids are known) the
/// demonstrations as `[input, output]` and per test input `[input, truth or null, [attempts]]`.
fn task_data(t: &TaskReport, task: Option<&Task>) -> Value {
    let mut v = json!({ "answer": t.program, "answers": t.answers, "fault": t.fault });
    if let Some(task) = task {
        v["train"] = task.train.iter().map(|p| json!([grid_text(&p.input), grid_text(&p.output)])).collect();
        v["test"] = task
            .test
            .iter()
            .enumerate()
            .map(|(i, tp)| {
                let atts = t.attempts.get(i).map_or(&[][..], Vec::as_slice);
                let atts: Vec<String> = atts.iter().take(crate::solver::MAX_ATTEMPTS).map(grid_text).collect();
                json!([grid_text(&tp.input), tp.output.as_ref().map(grid_text), atts])
            })
            .collect();
    }
    v
}

/// JSON that is safe inside `<script>`: no `<` (so no `</script>`), `>` or `&` outside a `\u` escape.
fn script_json(v: &Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The index: a row per task (id, verdict, test outputs right, stop reason, work, CPU), each
/// opening the task's grids.
fn index(tasks: &[TaskReport]) -> Markup {
    html! {
        table.tasks {
            thead { tr { th { "task" } th { "verdict" } th { "test outputs" } th { "stop reason" } th { "work" } th { "CPU" } } }
            tbody {
                @for t in tasks {
                    tr.task id={ "task-" (t.id) } data-id=(t.id) data-status=(status(t)) data-stop=(t.stop_reason.to_string()) tabindex="0" aria-expanded="false" {
                        td { (t.id) }
                        td { (status(t)) }
                        td.n { @if t.scored { (t.outputs_right) "/" (t.outputs_total) } @else { "–" } }
                        td { (t.stop_reason.to_string()) @if t.fault.is_some() { " (fault)" } }
                        td.n { (t.work) }
                        td.n { (format!("{:.0} ms", t.cpu_ms)) }
                    }
                }
            }
        }
    }
}

/// The HTML report of one or more runs: the summary of each, a plot of solved tasks against the
/// budget when several have numeric budgets, and an index of the first run's tasks with filters
/// (verdict, stop reason, id) whose rows open the task's demonstrations, truth and attempts
/// (`tasks` gives a task's grids by id). One page, nothing fetched.
pub fn report_page(reports: &[EvalReport], tasks: &dyn Fn(&str) -> Option<Task>) -> String {
    let Some(main) = reports.first() else { return String::new() };
    let count = |s: &str| main.tasks.iter().filter(|t| status(t) == s).count();
    let filters = [("all", main.tasks.len()), ("solved", count("solved")), ("partly", count("partly")), ("unsolved", count("unsolved")), ("unscored", count("unscored"))];
    let mut stops: Vec<(String, usize)> = Vec::new();
    for t in &main.tasks {
        let s = t.stop_reason.to_string();
        match stops.iter_mut().find(|(r, _)| *r == s) {
            Some((_, n)) => *n += 1,
            None => stops.push((s, 1)),
        }
    }
    stops.sort();
    let data: serde_json::Map<String, Value> = main.tasks.iter().map(|t| (t.id.clone(), task_data(t, tasks(&t.id).as_ref()))).collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "arc report: " (main.dataset) "/" (main.split) }
                style { (PreEscaped(CSS)) (PreEscaped(palette_css())) }
            }
            body {
                h1 { "ARC run: " (main.dataset) "/" (main.split) ", " (main.solver) " (budget " (main.budget) ")" }
                (summary(reports))
                @if let Some(p) = plot(reports) { (p) }
                div.filters {
                    @for (f, n) in filters {
                        @if f == "all" || n > 0 {
                            button.on[f == "all"] data-filter=(f) { (f) " (" (n) ")" }
                        }
                    }
                    select #stop aria-label="stop reason" {
                        option value="" { "any stop reason" }
                        @for (s, n) in &stops { option value=(s) { (s) " (" (n) ")" } }
                    }
                    input #q type="search" placeholder="task id" aria-label="task id";
                    span.shown #shown { (main.tasks.len()) " of " (main.tasks.len()) " tasks shown" }
                }
                (index(&main.tasks))
                script #arc-tasks type="application/json" { (PreEscaped(script_json(&Value::Object(data)))) }
                script { (PreEscaped(JS)) }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_are_rows_of_digits() {
        let g = Grid::from_rows(&[vec![1i64, 2, 3], vec![4, 0, 9]]).unwrap();
        assert_eq!(grid_text(&g), "123|409");
        assert_eq!(grid_text(&Grid::from_rows(&[vec![7i64]]).unwrap()), "7");
    }

    #[test]
    fn script_data_cannot_close_its_script() {
        let v = json!({ "answer": "</script><b>&" });
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }
}
