//! One task at a time: `arc solve` (with `--explain`), `arc show` (in the terminal or as SVG)
//! and `arc run` (an answer replayed with verdicts), and how grids are drawn in the terminal.

use crate::clip;
use crate::files::{check_distinct, check_writable, write_json};
use crate::solver_args::SolverArgs;
use anyhow::{Context, Result};
use arc_solver::eval::{TaskReport, kaggle_entry, solve_task};
use arc_solver::render::{Style, compare_within, grid_lines, layout};
use arc_solver::task::Task;
use arc_solver::{Answer, Grid};
use std::path::{Path, PathBuf};

/// Colours when asked for, or by default on a terminal without NO_COLOR (anstream's rules).
pub(crate) fn style(plain: bool) -> Style {
    let choice = anstream::AutoStream::choice(&std::io::stdout());
    if plain || choice == anstream::ColorChoice::Never { Style::Plain } else { Style::Color }
}

/// The terminal's width in columns: `$COLUMNS`, else the terminal's own, else none (a pipe).
pub(crate) fn term_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(n);
    }
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills the winsize we own; on a non-terminal it fails and we return None.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

/// Grids side by side (stacked when wider than the terminal).
pub(crate) fn compare(input: &Grid, expected: Option<&Grid>, got: Option<&Grid>, style: Style) -> String {
    compare_within(input, expected, got, style, term_width())
}

/// How `arc solve` prints: grids in this style, or JSON.
#[derive(Clone, Copy)]
pub(crate) enum SolveOut {
    Grids(Style),
    Json,
}

/// `arc solve --json`: what was found, for scripts.
#[derive(serde::Serialize)]
struct SolveJson<'a> {
    task: &'a str,
    stop_reason: String,
    work: u64,
    cpu_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fault: Option<&'a str>,
    /// Every answer behind the attempts, in rank order, as text that replays (`arc run`).
    answers: Vec<String>,
    tests: Vec<TestJson<'a>>,
}

#[derive(serde::Serialize)]
struct TestJson<'a> {
    input: &'a Grid,
    /// The attempts, best first (at most 2 count).
    attempts: &'a [Grid],
    /// The expected output, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'a Grid>,
    /// `correct`, `wrong_cells`, `wrong_shape` or `nothing`, when the expected output is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<String>,
}

pub(crate) fn solve(task: &Task, task_file: &str, submission: Option<PathBuf>, explain: bool, out: SolveOut, args: &SolverArgs, guide: Option<&Path>) -> Result<()> {
    if let Some(p) = &submission {
        check_writable(p, "--submission")?;
        check_distinct(&[("--submission", p)], &[("the task file", Path::new(&task_file))])?;
    }
    let solver = args.build(guide)?;
    let t0 = arc_solver::eval::thread_cpu_ms();
    let sol = solver.solve(task);
    let cpu = arc_solver::eval::thread_cpu_ms() - t0;
    let mut attempts = sol.attempts.clone();
    attempts.resize(task.test.len(), Vec::new());
    // The submission first: printing cannot cost it.
    if let Some(path) = &submission {
        let entry = std::collections::BTreeMap::from([(task.id.clone(), kaggle_entry(&attempts))]);
        write_json(path, &entry, false)?;
    }
    let verdict = |i: usize| task.test[i].output.as_ref().map(|o| arc_solver::score::verdict(&attempts[i], o));
    let style = match out {
        SolveOut::Json => {
            let tests = (0..task.test.len())
                .map(|i| TestJson {
                    input: &task.test[i].input,
                    attempts: &attempts[i],
                    expected: task.test[i].output.as_ref(),
                    verdict: verdict(i).map(|v| v.to_string()),
                })
                .collect();
            let answers = sol.answers.iter().map(|a| a.to_string()).collect();
            let json = SolveJson { task: &task.id, stop_reason: sol.stop_reason.to_string(), work: sol.work, cpu_ms: cpu, fault: sol.fault.as_deref(), answers, tests };
            say!("{}", serde_json::to_string_pretty(&json)?);
            return Ok(());
        }
        SolveOut::Grids(style) => style,
    };
    say!(
        "task {}: stop reason {}, work {}, {:.0} ms CPU, answer {}",
        task.id,
        sol.stop_reason,
        sol.work,
        cpu,
        sol.program().as_deref().unwrap_or("(none)")
    );
    if let Some(fault) = &sol.fault {
        say!("FAULT (a panic inside the solver, a bug): {fault}");
    }
    if explain {
        explain_answers(task, &sol.answers);
    }
    for (i, t) in task.test.iter().enumerate() {
        let atts = &attempts[i];
        let v = verdict(i).map(|v| format!(", verdict {v}")).unwrap_or_default();
        say!("test {i}: {}{v}", crate::list::count(atts.len(), "attempt"));
        say_raw!("{}", attempt_grids(&t.input, t.output.as_ref(), atts, style));
    }
    if let Some(path) = submission {
        say!("submission written to {}", path.display());
    }
    Ok(())
}

/// A test input, its expected output when known, and each attempt with the cells that differ
/// from the expected output marked, side by side (stacked when wider than the terminal).
fn attempt_grids(input: &Grid, expected: Option<&Grid>, attempts: &[Grid], style: Style) -> String {
    let title = |name: &str, g: &Grid| format!("{name} {}x{}", g.h(), g.w());
    let mut cols = vec![(title("input", input), grid_lines(input, None, style))];
    if let Some(e) = expected {
        cols.push((title("expected", e), grid_lines(e, None, style)));
    }
    for (k, a) in attempts.iter().enumerate() {
        let mark = match expected {
            Some(e) if a == e => " right",
            Some(_) => " WRONG",
            None => "",
        };
        cols.push((format!("{}{mark}", title(&format!("attempt {}", k + 1), a)), grid_lines(a, expected, style)));
    }
    if attempts.is_empty() {
        cols.push(("no attempt".into(), Vec::new()));
    }
    layout(&cols, term_width())
}

/// Every answer behind the attempts, replayed from its text, with a verdict per demonstration.
pub(crate) fn explain_answers(task: &Task, answers: &[Answer]) {
    if answers.is_empty() {
        say!("no answer found");
    }
    let ctx = arc_solver::dsl::Ctx::for_task(task);
    for (k, answer) in answers.iter().enumerate() {
        // What is printed is what replays: parse the text back and run that.
        let text = answer.to_string();
        let replayed: Answer = match text.parse() {
            Ok(a) => a,
            Err(e) => {
                say!("answer {k}: {text}\n  DOES NOT PARSE BACK (a bug): {e}");
                continue;
            }
        };
        let kind = match &replayed {
            Answer::Program(p) => format!("program, cost {}", p.cost()),
            Answer::Partial(_) => "partial candidate (fits no demonstration exactly)".to_string(),
            Answer::Local(_) | Answer::Objects(_) | Answer::Cells(_) | Answer::Match(_) => "learnt rule".to_string(),
            Answer::ColorMap { .. } | Answer::Normalized(_) | Answer::Roles { .. } => "program with colours mapped".to_string(),
            Answer::Layers { .. } => "stacked pieces".to_string(),
        };
        say!("answer {k} ({kind}): {text}");
        let replay = replayed.apply(&ctx, task);
        for (i, (got, pair)) in replay.demos.iter().zip(&task.train).enumerate() {
            say!("  demo {i}: {}", demo_verdict(got, &pair.output));
        }
    }
}

/// A replayed grid against a demonstration's output.
pub(crate) fn demo_verdict(got: &Result<arc_solver::Grid, arc_solver::program::EvalError>, want: &arc_solver::Grid) -> String {
    match got {
        Ok(g) if g == want => "right".to_string(),
        Ok(g) if g.shape() == want.shape() => "WRONG cells".to_string(),
        Ok(_) => "WRONG shape".to_string(),
        Err(e) => format!("no grid: {e}"),
    }
}

pub(crate) fn show(task: &Task, solve: bool, style: Style, args: &SolverArgs, guide: Option<&Path>) -> Result<()> {
    say!("task {}: {}, {}", task.id, crate::list::count(task.train.len(), "demonstration"), crate::list::count(task.test.len(), "test"));
    for (i, p) in task.train.iter().enumerate() {
        say!("demo {i}");
        say_raw!("{}", compare(&p.input, None, Some(&p.output), style).replacen("got", "output", 1));
    }
    let report: Option<TaskReport> = if solve {
        let solver = args.build(guide)?;
        Some(solve_task(solver.as_ref(), task))
    } else {
        None
    };
    for (i, t) in task.test.iter().enumerate() {
        say!("test {i}");
        match &report {
            Some(r) => say_raw!("{}", compare(&t.input, t.output.as_ref(), r.attempts[i].first(), style)),
            None => match &t.output {
                Some(o) => say_raw!("{}", compare(&t.input, None, Some(o), style).replacen("got", "output", 1)),
                None => say_raw!("{}", compare(&t.input, None, None, style).replacen("got nothing", "", 1)),
            },
        }
    }
    if let Some(r) = report {
        let verdicts: Vec<String> = r.verdicts.iter().map(|v| v.to_string()).collect();
        let verdicts = if r.scored { format!("verdicts {}", verdicts.join(", ")) } else { "not scored (test outputs unknown)".into() };
        say!("answer {}, stop reason {}, {verdicts}", r.program.as_deref().unwrap_or("(none)"), r.stop_reason);
    }
    Ok(())
}

/// The largest answer text read from a file or stdin (16 MiB, as a task file).
const MAX_ANSWER_BYTES: u64 = arc_solver::task::MAX_FILE_BYTES;

/// `arc run`'s answer: the text given, or with `@FILE` the text of that file, or with `-` the
/// text on stdin (for answers too long for an argument); surrounding white space dropped.
pub(crate) fn answer_text(arg: &str) -> Result<String> {
    use std::io::Read;
    let text = if arg == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().lock().take(MAX_ANSWER_BYTES + 1).read_to_end(&mut bytes).context("reading the answer from stdin")?;
        if bytes.len() as u64 > MAX_ANSWER_BYTES {
            anyhow::bail!("the answer on stdin is over the limit of {MAX_ANSWER_BYTES} bytes");
        }
        String::from_utf8(bytes).context("the answer on stdin is not UTF-8 text")?
    } else if let Some(file) = arg.strip_prefix('@') {
        arc_solver::fsio::read_bounded_text(Path::new(file), MAX_ANSWER_BYTES).with_context(|| format!("reading the answer from {file}"))?
    } else {
        return Ok(arg.to_string());
    };
    Ok(text.trim().to_string())
}

pub(crate) fn run_program(text: &str, task: &Task, style: Style) -> Result<()> {
    let answer: Answer = text.parse().with_context(|| format!("answer `{}`", clip(text, 80)))?;
    if !show_runs(&answer, task, style) {
        std::process::exit(2);
    }
    Ok(())
}

/// Replays an answer on every demo and test input, beside the expected output, with verdicts;
/// whether every demo is right.
pub(crate) fn show_runs(answer: &Answer, task: &Task, style: Style) -> bool {
    // Answers read backgrounds as the solver does.
    let replay = answer.apply(&arc_solver::dsl::Ctx::for_task(task), task);
    let mut right = 0;
    for (i, (p, got)) in task.train.iter().zip(&replay.demos).enumerate() {
        let ok = got.as_ref().is_ok_and(|g| *g == p.output);
        right += ok as usize;
        say!("demo {i}: {}", match got { Ok(_) if ok => "right".to_string(), Ok(_) => "WRONG".into(), Err(e) => format!("error: {e}") });
        say_raw!("{}", compare(&p.input, Some(&p.output), got.as_ref().ok(), style));
    }
    for (i, (t, got)) in task.test.iter().zip(&replay.tests).enumerate() {
        let verdict = match (got, &t.output) {
            (Ok(g), Some(o)) if g == o => "right".to_string(),
            (Ok(_), Some(_)) => "WRONG".to_string(),
            (Ok(_), None) => "no truth to compare".to_string(),
            (Err(e), _) => format!("error: {e}"),
        };
        say!("test {i}: {verdict}");
        say_raw!("{}", compare(&t.input, t.output.as_ref(), got.as_ref().ok(), style));
    }
    say!("{right}/{} demonstrations right", task.train.len());
    right == task.train.len()
}

/// `arc show --svg`/`--png`: the task (and the attempts, with --solve) as pictures, the PNG the
/// SVG's drawing rasterised; `pictures` are (flag, path), each checked writable first.
pub(crate) fn show_pictures(task: &Task, task_file: &str, solve: bool, pictures: &[(&str, &Path)], args: &SolverArgs, guide: Option<&Path>) -> Result<()> {
    for (flag, path) in pictures {
        check_writable(path, flag)?;
    }
    check_distinct(pictures, &[("the task file", Path::new(&task_file))])?;
    let report = if solve { Some(solve_task(args.build(guide)?.as_ref(), task)) } else { None };
    let attempts = report.as_ref().map(|r| r.attempts.as_slice());
    for (flag, path) in pictures {
        let bytes = if *flag == "--png" {
            arc_solver::picture::task_png(task, attempts).with_context(|| format!("drawing {}", path.display()))?
        } else {
            arc_solver::html::task_svg(task, attempts).into_bytes()
        };
        arc_solver::fsio::write_atomic(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        say!("picture of task {} written to {}", task.id, path.display());
    }
    Ok(())
}
