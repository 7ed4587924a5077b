//! The data-driven trials, in one libtest-mimic harness (one binary to link, one start-up):
//!
//! - `loader::*` ([`loader`]): each class of bad input to the task loaders and its error;
//! - `prim::*` ([`primitives`]): a snapshot per primitive × fixture grid, and `prim::coverage`;
//! - `programs::*`, `program::*` ([`programs`]): hand-written programs for training tasks;
//! - `replay::*` ([`replay`]): every answer of every golden record replayed from its text;
//! - `fault::*`, `fuzz::*` ([`faults`], [`lost`]): reliability under faults (runs that never
//!   lose work in [`lost`]), and fuzzing.
//!
//! Filter by a name's prefix, as in `cargo test --release --test trials -- prim::rot90`; a
//! filter that matches no trial is an error (exit status 2), so that a typo is not a pass. The
//! task gate is its own harness, `tests/tasks.rs`; the `#[test]` suites are `tests/suite/`.

#[path = "../common/mod.rs"]
mod common;
mod faults;
mod loader;
mod lost;
mod primitives;
mod programs;
mod replay;

use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = Vec::new();
    trials.extend(loader::trials());
    trials.extend(primitives::trials());
    trials.extend(programs::trials());
    trials.extend(replay::trials());
    trials.extend(faults::trials());
    trials.extend(lost::trials());
    if let Some(filter) = &args.filter {
        let hit = |t: &Trial| if args.exact { t.name() == filter } else { t.name().contains(filter.as_str()) };
        if !trials.iter().any(hit) {
            eprintln!("error: no trial matches `{filter}`");
            std::process::exit(2);
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    loader::clean_up();
    conclusion.exit();
}
