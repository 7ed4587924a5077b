//! Files: JSON read and written with the path in any error, outputs checked writable before any
//! solving, and `arc eval`'s outputs (report, submission, HTML page) written.

use crate::eval::write_html;
use anyhow::{Context, Result, bail};
use arc_solver::eval::{EvalReport, TaskReport, submission};
use std::path::PathBuf;

/// What `arc eval` writes besides its summary.
pub(crate) struct Outputs {
    pub(crate) report: Option<PathBuf>,
    pub(crate) submission: Option<PathBuf>,
    pub(crate) html: Option<PathBuf>,
}

/// Writes the report and the submission where asked: each is tried even when an earlier one
/// fails (the first failure is returned).
pub(crate) fn write_outputs(report: &EvalReport, outputs: Outputs) -> Result<()> {
    let mut results = Vec::new();
    if let Some(path) = outputs.report {
        results.push(write_json(&path, report, true).map(|()| println!("report written to {}", path.display())));
    }
    if let Some(path) = outputs.submission {
        // Skipped tasks have no test inputs known: the submission holds the tasks solved.
        let tasks: Vec<TaskReport> = report.tasks.iter().filter(|t| t.skipped.is_none()).cloned().collect();
        let written = write_json(&path, &submission(&tasks), false);
        results.push(written.map(|()| println!("submission written to {} ({} tasks)", path.display(), tasks.len())));
    }
    if let Some(path) = outputs.html {
        results.push(write_html(std::slice::from_ref(report), &path));
    }
    results.into_iter().collect()
}

/// Writes JSON to a file, with the path in any error.
pub(crate) fn write_json(path: &std::path::Path, value: &impl serde::Serialize, pretty: bool) -> Result<()> {
    let text = if pretty { serde_json::to_string_pretty(value)? } else { serde_json::to_string(value)? };
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Fails now, before any solving, when `path` cannot be written: an existing file is opened for
/// appending (left as it is), a new one is created and removed.
pub(crate) fn check_writable(path: &std::path::Path, flag: &str) -> Result<()> {
    let what = || format!("{flag} {} cannot be written", path.display());
    if path.is_dir() {
        bail!("{}: it is a folder", what());
    }
    if path.exists() {
        std::fs::OpenOptions::new().append(true).open(path).with_context(what)?;
    } else {
        std::fs::OpenOptions::new().write(true).create_new(true).open(path).with_context(what)?;
        std::fs::remove_file(path).with_context(what)?;
    }
    Ok(())
}
