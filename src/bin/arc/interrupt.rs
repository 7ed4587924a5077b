//! An interrupted `arc eval --out`: on SIGINT or SIGTERM (Ctrl-C, a preempted array job) the
//! partial report (the tasks finished, marked `partial` with the ones missing) is written to
//! `--out`, and `arc` exits with status 130 or 143 (128 + the signal). The journal keeps the
//! finished tasks for `--resume`. SIGKILL cannot be caught: the journal alone keeps them then.

use crate::files::write_json;
use anyhow::{Context, Result};
use arc_solver::eval::journal::Journal;
use arc_solver::eval::{EvalReport, TaskReport};
use signal_hook::consts::{SIGINT, SIGTERM};
use std::path::PathBuf;
use std::sync::Arc;

/// Watches for SIGINT and SIGTERM from now on; on the first, writes `report_of(finished tasks,
/// the signal's name)` to `out` and exits with 128 + the signal. The journal's lock is held from
/// then to the exit, so no task is appended half-way.
pub(crate) fn write_partial_on_signal(
    journal: Arc<Journal>,
    out: PathBuf,
    report_of: impl Fn(Vec<TaskReport>, Option<&str>) -> EvalReport + Send + 'static,
) -> Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).context("watching for SIGINT and SIGTERM")?;
    std::thread::spawn(move || {
        let Some(sig) = signals.forever().next() else { return };
        let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
        let state = journal.lock();
        let report = report_of(state.entries.clone(), Some(name));
        let (done, planned) = report.partial.as_ref().map_or((0, 0), |p| (p.tasks_planned - p.missing.len(), p.tasks_planned));
        match write_json(&out, &report, true) {
            Ok(()) => note!(
                "arc: interrupted by {name}: the partial report ({done} of {planned} tasks, the rest listed as missing) is in {}; \
                 run the same command with --resume to finish from {}",
                out.display(),
                journal.path().display()
            ),
            Err(e) => note!(
                "arc: interrupted by {name}: the partial report could not be written ({e:#}); the journal {} keeps the finished tasks: \
                 run the same command with --resume",
                journal.path().display()
            ),
        }
        std::process::exit(128 + sig);
    });
    Ok(())
}
