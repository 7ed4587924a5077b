//! Files: JSON read (bounded) and written (atomically) with the path in any error, outputs checked
//! writable and distinct before any solving, and `arc eval`'s outputs (report, submission, HTML
//! page) written before anything is printed.

use crate::Usage;
use crate::eval::html_page;
use anyhow::{Context, Result, bail};
use arc_solver::eval::{EvalReport, TaskReport, submission};
use arc_solver::fsio::{self, Identity, identity};
use std::path::{Path, PathBuf};

/// The largest report or submission file read (256 MiB; a full split's report with every
/// attempt, pretty-printed, is tens of MiB).
pub(crate) const MAX_REPORT_BYTES: u64 = 256 << 20;

/// What `arc eval` writes besides its summary.
pub(crate) struct Outputs {
    pub(crate) report: Option<PathBuf>,
    pub(crate) submission: Option<PathBuf>,
    pub(crate) html: Option<PathBuf>,
}

/// What writing the outputs gave: a line per file written, to print after the summary, and the
/// first failure.
pub(crate) struct Written {
    pub(crate) lines: Vec<String>,
    pub(crate) result: Result<()>,
}

impl Written {
    /// Prints the lines, then gives the result.
    pub(crate) fn report(self) -> Result<()> {
        for l in &self.lines {
            say!("{l}");
        }
        self.result
    }
}

/// Writes the report, the submission and the HTML page where asked, each atomically: each is
/// tried even when an earlier one fails (the first failure is returned). Prints nothing.
pub(crate) fn write_outputs(report: &EvalReport, outputs: &Outputs) -> Written {
    let mut lines = Vec::new();
    let mut results = Vec::new();
    if let Some(path) = &outputs.report {
        results.push(write_json(path, report, true).map(|()| lines.push(format!("report written to {}", path.display()))));
    }
    if let Some(path) = &outputs.submission {
        // Skipped tasks have no test inputs known: the submission holds the tasks solved.
        let tasks: Vec<TaskReport> = report.tasks.iter().filter(|t| t.skipped.is_none()).cloned().collect();
        let written = write_json(path, &submission(&tasks), false);
        results.push(written.map(|()| lines.push(format!("submission written to {} ({})", path.display(), crate::list::count(tasks.len(), "task")))));
    }
    if let Some(path) = &outputs.html {
        results.push(write_html(std::slice::from_ref(report), path).map(|line| lines.push(line)));
    }
    Written { lines, result: results.into_iter().collect() }
}

/// Writes the HTML page of `reports` atomically; the line that says so.
pub(crate) fn write_html(reports: &[EvalReport], path: &Path) -> Result<String> {
    let page = html_page(reports)?;
    fsio::write_atomic(path, page.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    Ok(format!("HTML report written to {}", path.display()))
}

/// Writes JSON to a file atomically, with the path in any error.
pub(crate) fn write_json(path: &Path, value: &impl serde::Serialize, pretty: bool) -> Result<()> {
    let text = if pretty { serde_json::to_string_pretty(value)? } else { serde_json::to_string(value)? };
    fsio::write_atomic(path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

/// Reads a JSON report or submission: a regular file of at most [`MAX_REPORT_BYTES`].
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = fsio::read_bounded_text(path, MAX_REPORT_BYTES).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Fails now, before any solving, when `path` cannot be written (its folder takes no new file,
/// or it is a folder); nothing is changed.
pub(crate) fn check_writable(path: &Path, flag: &str) -> Result<()> {
    fsio::check_writable(path).with_context(|| format!("{flag} {} cannot be written", path.display()))
}

/// Checks, before any work, that no two outputs are one file and that no output is one of the
/// inputs (after links, hard links included): a usage error (exit status 2) naming both.
/// `outputs` and `inputs` are (flag or role, path); inputs that do not exist are left out.
pub(crate) fn check_distinct(outputs: &[(&str, &Path)], inputs: &[(&str, &Path)]) -> Result<()> {
    let ids: Vec<Identity> = outputs.iter().map(|(_, p)| identity(p)).collect();
    for (i, (flag, path)) in outputs.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| ids[j] == ids[i]) {
            let (other, other_path) = outputs[j];
            bail!(Usage(format!(
                "{other} {} and {flag} {} are the same file: one output would replace the other",
                other_path.display(),
                path.display()
            )));
        }
        for (role, input) in inputs.iter().filter(|(_, p)| p.exists()) {
            if identity(input) == ids[i] {
                bail!(Usage(format!("{flag} {} is {role} {}: writing it would replace an input", path.display(), input.display())));
            }
        }
    }
    Ok(())
}
