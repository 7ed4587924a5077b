//! The library from end to end: load a task (an id of the installed datasets, or a task file),
//! solve it, and print each test input's attempts as grids with their verdicts.
//!
//! ```sh
//! cargo run --release --example solve -- 007bbfb7                 # an id (ARC-AGI-1 first)
//! cargo run --release --example solve -- my_task.json fast        # a task file, a budget
//! cargo run --release --example solve -- 007bbfb7 tiny --no-guide # the search alone
//! ```
//!
//! The budget is `tiny`, `fast` (the default here), `test`, `default` or a number of work units.

use anyhow::{Context, Result, bail};
use arc_solver::render::{Style, compare};
use arc_solver::solvers::{Spec, build};
use arc_solver::task::find_task;

fn main() {
    if let Err(e) = run() {
        eprintln!("solve: error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let no_guide = args.iter().any(|a| a == "--no-guide");
    let rest: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "--no-guide").collect();
    let (spec, budget) = match rest.as_slice() {
        [task] => (*task, "fast"),
        [task, budget] => (*task, *budget),
        _ => bail!("usage: solve <task id or file> [budget] [--no-guide]"),
    };

    let task = find_task(spec)?;
    let solver = build(&Spec { guide: !no_guide, ..Spec::new(budget) }).context("building the solver")?;
    let solution = solver.solve(&task);

    println!(
        "task {}: {} demos, {} test inputs; stop reason {}, work {}",
        task.id,
        task.train.len(),
        task.test.len(),
        solution.stop_reason,
        solution.work
    );
    for (k, answer) in solution.answers.iter().enumerate() {
        println!("answer {}: {answer}", k + 1);
    }
    for (i, (test, attempts)) in task.test.iter().zip(&solution.attempts).enumerate() {
        if attempts.is_empty() {
            println!("\ntest {i}: no attempt");
            print!("{}", compare(&test.input, test.output.as_ref(), None, Style::Plain));
        }
        for (k, grid) in attempts.iter().enumerate() {
            let verdict = match &test.output {
                Some(truth) if truth == grid => "right",
                Some(_) => "wrong (wrong cells marked !)",
                None => "no truth to check",
            };
            println!("\ntest {i}, attempt {}: {verdict}", k + 1);
            print!("{}", compare(&test.input, test.output.as_ref(), Some(grid), Style::Plain));
        }
    }
    Ok(())
}
