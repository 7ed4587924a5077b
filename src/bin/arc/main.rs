//! `arc`: run the ARC solver on datasets and tasks, inspect tasks, programs and primitives.
//!
//! This file is the entry: process set-up, the exit status and error message, and the dispatch
//! of each subcommand to its room: `cli` (the command line), `solver_args` (the solver flags),
//! `eval` (eval, merge, report), `inspect` (show, solve, run), `guide` (the guide's training
//! data, training and adoption), `files` (reading and writing files), `say` (printing that
//! never panics).

/// A line to stdout that never panics (see `say`).
macro_rules! say {
    ($($t:tt)*) => { $crate::say::out(format_args!($($t)*), true) };
}

/// Text to stdout without a newline, never panicking.
macro_rules! say_raw {
    ($($t:tt)*) => { $crate::say::out(format_args!($($t)*), false) };
}

/// A line to stderr that never panics.
macro_rules! note {
    ($($t:tt)*) => { $crate::say::err(format_args!($($t)*)) };
}

mod cli;
mod eval;
mod files;
mod guide;
mod inspect;
mod interrupt;
mod list;
mod say;
mod solver_args;

use anyhow::Result;
use arc_solver::dsl::registry;
use arc_solver::eval::{EvalReport, Shard};
use arc_solver::guide::export::ExportConfig;
use arc_solver::guide::model::NetConfig;
use arc_solver::guide::train::TrainConfig;
use clap::Parser;
use cli::{Cli, Cmd, ColorWhen, Split};
use arc_solver::select::Selection;
use eval::{eval, merge_cmd};
use files::{Outputs, read_json};
use guide::{adopt_guide, export_guide_data, train_guide};
use inspect::{run_program, show, show_pictures, solve, style};
use std::path::Path;

fn main() {
    // libtorch's OpenMP threads must sleep, not spin, when idle (2 shared cores). The OpenMP
    // runtime reads this variable from the process environment when it starts, and takes no
    // value in any other way, so it is set here, first, before anything reaches libtorch. (A
    // runtime that starts when its library is loaded, as GNU libgomp does, has read it already:
    // there only a value set before `arc` runs counts; `.cargo/config.toml` sets one for cargo.)
    if std::env::var_os("OMP_WAIT_POLICY").is_none() {
        // SAFETY: single-threaded at this point, before any other thread starts.
        unsafe { std::env::set_var("OMP_WAIT_POLICY", "PASSIVE") };
    }
    // SIGPIPE stays ignored (Rust's default): a closed pipe is an error on a write, which `say`
    // drops, so `arc eval ... --out r.json | head -1` still writes its report and exits 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help, version or a usage error, printed without panicking on a failing stream
            // (a closed pipe is not a failure: `arc --help | head`).
            let failed = e.print().is_err_and(|f| f.kind() != std::io::ErrorKind::BrokenPipe);
            std::process::exit(if failed { 1 } else { e.exit_code() });
        }
    };
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let code = match run(cli) {
        Ok(Done::Ok) => 0,
        Ok(Done::Skipped(n)) => {
            note!("arc: {n} task(s) skipped: they could not be loaded (listed above and in the report, counted unsolved)");
            EXIT_SKIPPED
        }
        Err(e) => {
            note!("arc: error: {}", message(&e));
            if e.downcast_ref::<Usage>().is_some() { EXIT_USAGE } else { 1 }
        }
    };
    // The command's files are written by now; a stdout that failed (not a closed pipe) is an error.
    if let Some(failure) = say::stdout_failure()
        && code == 0
    {
        note!("arc: error: writing to standard output: {failure} (the files were written)");
        std::process::exit(1);
    }
    std::process::exit(code);
}

/// The exit status of a usage error (as clap's): a bad combination of arguments.
const EXIT_USAGE: i32 = 2;

/// `arc eval`'s exit status when some tasks were skipped (documented in `--help`).
const EXIT_SKIPPED: i32 = 3;

/// A usage error found after parsing (e.g. two outputs naming one file): exit status 2.
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// How a command ended, when it did not fail.
enum Done {
    Ok,
    /// `arc eval` ran, and this many tasks could not be loaded.
    Skipped(usize),
}

/// An error and its causes, each once: a cause whose text its parent already shows (thiserror
/// messages that print their `source`) is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = readable(&cause.to_string());
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// What safetensors' error names mean, for a weights file that is not one.
const SAFETENSORS_ERRORS: &[(&str, &str)] = &[
    ("HeaderTooSmall", "the file is shorter than a safetensors header: not a safetensors file, or cut short"),
    ("HeaderTooLarge", "the header it claims is larger than safetensors allows: not a safetensors file"),
    ("InvalidHeader", "the header is not safetensors' JSON: not a safetensors file, or damaged"),
    ("MetadataIncompleteBuffer", "the file ends before the tensors its header lists: cut short (an interrupted copy?)"),
    ("InvalidOffset", "a tensor's place in the file is out of order or out of bounds: damaged"),
    ("TensorInvalidInfo", "a tensor's shape does not fit its bytes: damaged"),
];

/// A message from libtorch made readable: a C++ backtrace (`Exception raised from ...` and the
/// frames after it) cut off, and a safetensors error name explained.
fn readable(text: &str) -> String {
    let mut t = text;
    for mark in ["Exception raised from", "\nframe #0"] {
        if let Some(i) = t.find(mark) {
            t = &t[..i];
        }
    }
    let t = t.trim_end().trim_end_matches(['(', ' ', '\n']).trim_end();
    match SAFETENSORS_ERRORS.iter().find(|(name, _)| t.contains("safetensors") && t.contains(name)) {
        Some((_, meaning)) => format!("{t} ({meaning})"),
        None => t.to_string(),
    }
}

/// A text cut to `n` characters, for messages.
fn clip(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}... ({} bytes)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn libtorch_messages_are_cut_and_explained() {
        let cpp = "libtorch: shape mismatch [2] vs [3]\nException raised from copy_ at aten/src/Copy.cpp:42 (most recent call first):\nframe #0: c10::Error::Error() + 0x8c";
        assert_eq!(super::readable(cpp), "libtorch: shape mismatch [2] vs [3]");
        let st = "libtorch: safetensors error g.safetensors: MetadataIncompleteBuffer";
        assert!(super::readable(st).starts_with(st) && super::readable(st).contains("cut short"));
        assert_eq!(super::readable("plain"), "plain");
    }
}

fn run(cli: Cli) -> Result<Done> {
    // The guide given (`--guide`), passed to whatever builds a solver.
    let guide = cli.guide.as_deref();
    if let Cmd::Eval { dataset, split, jobs, limit, tasks, shard, out, submission, html, resume, solver } = cli.cmd {
        let shard = match shard {
            Some(s) => Some(s),
            None => Shard::from_env(|k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?,
        };
        let select = Selection { only: tasks, limit, shard };
        return eval(&dataset, split, jobs, &select, Outputs { report: out, submission, html }, &solver, guide, resume);
    }
    run_other(cli.cmd, guide).map(|()| Done::Ok)
}

fn run_other(cmd: Cmd, guide: Option<&Path>) -> Result<()> {
    match cmd {
        Cmd::Eval { .. } => unreachable!("run handles eval"),
        Cmd::Merge { inputs, out, submission } => merge_cmd(&inputs, Outputs { report: out, submission, html: None }),
        Cmd::Report { reports: paths, html } => {
            files::check_writable(&html, "--html")?;
            let inputs: Vec<(&str, &Path)> = paths.iter().map(|p| ("the report", p.as_path())).collect();
            files::check_distinct(&[("--html", &html)], &inputs)?;
            let reports: Vec<EvalReport> = paths.iter().map(|p| read_json(p)).collect::<Result<_>>()?;
            let line = files::write_html(&reports, &html)?;
            say!("{line}");
            Ok(())
        }
        Cmd::Solve { task, from, submission, explain, plain, json, solver } => {
            let out = if json { inspect::SolveOut::Json } else { inspect::SolveOut::Grids(style(plain)) };
            solve(&from.find(&task)?, &task, submission, explain, out, &solver, guide)
        }
        Cmd::Show { task, from, solve, plain, svg, png, solver } => {
            let spec = task;
            let task = from.find(&spec)?;
            let pictures: Vec<(&str, &Path)> = [("--svg", svg.as_deref()), ("--png", png.as_deref())].into_iter().filter_map(|(f, p)| p.map(|p| (f, p))).collect();
            if pictures.is_empty() { show(&task, solve, style(plain), &solver, guide) } else { show_pictures(&task, &spec, solve, &pictures, &solver, guide) }
        }
        Cmd::Run { program, task, from, plain } => run_program(&inspect::answer_text(&program)?, &from.find(&task)?, style(plain)),
        Cmd::TrainGuide { steps, seed, out, batch, lr, width, hidden, max_prims, hindsight, hindsight_share, cosine, no_features } => {
            let cfg = TrainConfig { steps, batch, lr, seed, max_prims, hindsight_share, cosine, ..TrainConfig::default() };
            let net = NetConfig { width, hidden, n_prims: registry().len() as i64, features: !no_features };
            train_guide(cfg, net, &out, hindsight.as_deref())
        }
        Cmd::ExportGuideData { tasks, seed, val_tasks, max_prims, hindsight, out } => {
            export_guide_data(ExportConfig { seed, tasks, val_tasks, max_prims }, hindsight.as_deref(), &out)
        }
        Cmd::AdoptGuide { weights, record, out, fresh_val } => adopt_guide(&weights, &record, &out, fresh_val),
        Cmd::List { dataset, split, report, solved, unsolved, json } => {
            let filter = if solved { list::Filter::Solved } else if unsolved { list::Filter::Unsolved } else { list::Filter::All };
            list::list(dataset.as_deref(), split.map(Split::as_str), report.as_deref(), filter, json)
        }
        Cmd::Prims => {
            let reg = registry();
            say!("{:<24} {:<44} {:>4}  doc", "name", "signature", "cost");
            for p in &reg.prims {
                let name = if p.search { p.name.to_string() } else { format!("{} (by name)", p.name) };
                say!("{:<24} {:<44} {:>4}  {}", name, p.signature(), p.cost, p.doc);
            }
            say!("{} primitives", reg.len());
            Ok(())
        }
        Cmd::Settings { budget } => {
            let config = arc_solver::search::SearchConfig::new(budget.parse()?);
            say!("{:<30} {:>10}  {:<22} meaning", "setting", "value", "range");
            for s in config.settings() {
                say!("{:<30} {:>10}  {:<22} {}", s.key, s.value, s.range, s.doc);
            }
            Ok(())
        }
    }
}
