//! `arc`: run the ARC solver on datasets and tasks, inspect tasks, programs and primitives.
//!
//! This file is the entry: process set-up, the exit status and error message, and the dispatch
//! of each subcommand to its room: `cli` (the command line), `solver_args` (the solver flags),
//! `eval` (eval, merge, report), `inspect` (show, solve, run), `guide` (the guide's training
//! data, training and adoption), `files` (reading and writing files).

mod cli;
mod eval;
mod files;
mod guide;
mod inspect;
mod solver_args;

use anyhow::Result;
use arc_solver::dsl::registry;
use arc_solver::eval::{EvalReport, Shard};
use arc_solver::guide::export::ExportConfig;
use arc_solver::guide::model::NetConfig;
use arc_solver::guide::train::TrainConfig;
use clap::Parser;
use cli::{Cli, Cmd, ColorWhen};
use arc_solver::select::Selection;
use eval::{eval, merge_cmd, write_html};
use files::{Outputs, read_json};
use guide::{adopt_guide, export_guide_data, train_guide};
use inspect::{run_program, show, show_svg, solve, style};
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
    // A closed pipe (`arc prims | head`) ends the program quietly, as for other Unix tools.
    // SAFETY: restores the default signal disposition before any other thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let cli = Cli::parse();
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match run(cli) {
        Ok(Done::Ok) => {}
        Ok(Done::Skipped(n)) => {
            eprintln!("arc: {n} task(s) skipped: they could not be loaded (listed above and in the report, counted unsolved)");
            std::process::exit(EXIT_SKIPPED);
        }
        Err(e) => {
            eprintln!("arc: error: {}", message(&e));
            std::process::exit(1);
        }
    }
}

/// `arc eval`'s exit status when some tasks were skipped (documented in `--help`).
const EXIT_SKIPPED: i32 = 3;

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
        let text = cause.to_string();
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

/// A text cut to `n` characters, for messages.
fn clip(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}... ({} bytes)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

fn run(cli: Cli) -> Result<Done> {
    // The guide given (`--guide`), passed to whatever builds a solver.
    let guide = cli.guide.as_deref();
    if let Cmd::Eval { dataset, split, jobs, limit, tasks, shard, out, submission, html, solver } = cli.cmd {
        let shard = match shard {
            Some(s) => Some(s),
            None => Shard::from_env(|k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?,
        };
        let select = Selection { only: tasks, limit, shard };
        return eval(&dataset, split, jobs, &select, Outputs { report: out, submission, html }, &solver, guide);
    }
    run_other(cli.cmd, guide).map(|()| Done::Ok)
}

fn run_other(cmd: Cmd, guide: Option<&Path>) -> Result<()> {
    match cmd {
        Cmd::Eval { .. } => unreachable!("run handles eval"),
        Cmd::Merge { inputs, out, submission } => merge_cmd(&inputs, Outputs { report: out, submission, html: None }),
        Cmd::Report { reports, html } => {
            let reports: Vec<EvalReport> = reports.iter().map(|p| read_json(p)).collect::<Result<_>>()?;
            write_html(&reports, &html)
        }
        Cmd::Solve { task, from, submission, explain, solver } => solve(&from.find(&task)?, submission, explain, &solver, guide),
        Cmd::Show { task, from, solve, plain, svg, solver } => {
            let task = from.find(&task)?;
            match svg {
                Some(path) => show_svg(&task, solve, &path, &solver, guide),
                None => show(&task, solve, style(plain), &solver, guide),
            }
        }
        Cmd::Run { program, task, from, plain } => run_program(&program, &from.find(&task)?, style(plain)),
        Cmd::TrainGuide { steps, seed, out, batch, lr, width, hidden, max_prims, hindsight, hindsight_share, cosine, no_features } => {
            let cfg = TrainConfig { steps, batch, lr, seed, max_prims, hindsight_share, cosine, ..TrainConfig::default() };
            let net = NetConfig { width, hidden, n_prims: registry().len() as i64, features: !no_features };
            train_guide(cfg, net, &out, hindsight.as_deref())
        }
        Cmd::ExportGuideData { tasks, seed, val_tasks, max_prims, hindsight, out } => {
            export_guide_data(ExportConfig { seed, tasks, val_tasks, max_prims }, hindsight.as_deref(), &out)
        }
        Cmd::AdoptGuide { weights, record, out, fresh_val } => adopt_guide(&weights, &record, &out, fresh_val),
        Cmd::Prims => {
            let reg = registry();
            println!("{:<24} {:<44} {:>4}  doc", "name", "signature", "cost");
            for p in &reg.prims {
                let name = if p.search { p.name.to_string() } else { format!("{} (by name)", p.name) };
                println!("{:<24} {:<44} {:>4}  {}", name, p.signature(), p.cost, p.doc);
            }
            println!("{} primitives", reg.len());
            Ok(())
        }
        Cmd::Settings { budget } => {
            let config = arc_solver::search::SearchConfig::new(budget.parse()?);
            println!("{:<30} {:>10}  {:<22} meaning", "setting", "value", "range");
            for s in config.settings() {
                println!("{:<30} {:>10}  {:<22} {}", s.key, s.value, s.range, s.doc);
            }
            Ok(())
        }
    }
}
