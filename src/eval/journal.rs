//! The journal of a run: beside `arc eval --out r.json`, `r.json.journal` holds, as JSON lines,
//! a head that names the run (dataset identity, selection, shard, solver, budget, guide), then
//! each finished task's report entry, appended and synced as the task finishes. A run that is
//! killed keeps every task it finished; `arc eval ... --resume` reads them back, checks that the
//! journal is of the same run, and solves only the rest, so that its report is the one an
//! uninterrupted run gives (less CPU and memory figures). A line cut short by a kill (the last
//! one) is dropped; any other bad line is an error.

use super::{GuideUsed, SelectionRecord, Shard, TaskReport};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The largest journal read back (1 GiB).
pub const MAX_JOURNAL_BYTES: u64 = 1 << 30;

/// The journal's format, in its head.
const VERSION: u32 = 1;

/// The first line of a journal: the run it belongs to. A journal resumes only the same run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub journal: u32,
    pub dataset: String,
    pub split: String,
    pub dataset_id: String,
    pub selection: SelectionRecord,
    pub shard: Option<Shard>,
    pub solver: String,
    pub budget: String,
    /// The solver's options as given (`--ttt-steps`, `--set`, ...), which the solver's name may not show.
    pub options: Vec<String>,
    pub guide: Option<GuideUsed>,
}

impl Head {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        dataset: &str,
        split: &str,
        dataset_id: &str,
        selection: SelectionRecord,
        shard: Option<Shard>,
        solver: &str,
        budget: &str,
        options: Vec<String>,
        guide: Option<GuideUsed>,
    ) -> Head {
        Head {
            journal: VERSION,
            dataset: dataset.into(),
            split: split.into(),
            dataset_id: dataset_id.into(),
            selection,
            shard,
            solver: solver.into(),
            budget: budget.into(),
            options,
            guide,
        }
    }

    /// What differs from `other`, field by field, for the message.
    fn differences(&self, other: &Head) -> Vec<String> {
        let (a, b) = (serde_json::to_value(self).expect("a head serializes"), serde_json::to_value(other).expect("a head serializes"));
        let (a, b) = (a.as_object().expect("an object"), b.as_object().expect("an object"));
        a.iter().filter(|(k, v)| b.get(*k) != Some(v)).map(|(k, v)| format!("{k}: journal {}, now {v}", b.get(k).cloned().unwrap_or_default())).collect()
    }
}

/// Why a journal cannot be resumed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{0}: cannot read or write the journal: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}: {1}")]
    Read(PathBuf, crate::fsio::ReadError),
    #[error("{0}: line {1} is not a journal entry ({2}): the journal is damaged; remove it to start again")]
    Bad(PathBuf, usize, String),
    #[error("{0} is the journal of another run ({1}): run that command with --resume, or remove the journal to start this one")]
    OtherRun(PathBuf, String),
}

/// An open journal, appended to as tasks finish; it keeps the entries it holds, so that an
/// interrupted run can write its partial report from them.
pub struct Journal {
    path: PathBuf,
    state: Mutex<State>,
}

/// The file and the entries, under one lock: an entry is in both or in neither.
pub struct State {
    file: std::fs::File,
    pub entries: Vec<TaskReport>,
    /// The first failure to append (the run goes on; its report is still written at the end).
    pub failure: Option<String>,
}

/// The journal beside a report: `<out>.journal`.
pub fn path_for(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_os_string();
    name.push(".journal");
    PathBuf::from(name)
}

/// One line of JSON and its newline.
fn line(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("journal lines serialize");
    bytes.push(b'\n');
    bytes
}

impl Journal {
    /// A new journal at `path` (replacing any), holding `head`, synced.
    pub fn create(path: &Path, head: &Head) -> Result<Journal, JournalError> {
        let io = |e| JournalError::Io(path.to_path_buf(), e);
        let mut file = std::fs::File::create(path).map_err(io)?;
        file.write_all(&line(head)).and_then(|()| file.sync_data()).map_err(io)?;
        Ok(Journal { path: path.to_path_buf(), state: Mutex::new(State { file, entries: Vec::new(), failure: None }) })
    }

    /// The journal at `path`, of the run `head`, opened to go on: its entries (a last line cut
    /// short is dropped from the file too). An error when it is of another run or damaged.
    pub fn resume(path: &Path, head: &Head) -> Result<Journal, JournalError> {
        let io = |e| JournalError::Io(path.to_path_buf(), e);
        let text = crate::fsio::read_bounded(path, MAX_JOURNAL_BYTES).map_err(|e| JournalError::Read(path.to_path_buf(), e))?;
        // Complete lines only: a kill can cut the last one short (no newline).
        let whole = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let text = String::from_utf8_lossy(&text[..whole]).into_owned();
        let mut lines = text.lines().enumerate();
        let bad = |n: usize, e: String| JournalError::Bad(path.to_path_buf(), n + 1, e);
        let got: Head = match lines.next() {
            Some((n, l)) => serde_json::from_str(l).map_err(|e| bad(n, e.to_string()))?,
            None => return Err(bad(0, "no head line".into())),
        };
        if got != *head {
            return Err(JournalError::OtherRun(path.to_path_buf(), head.differences(&got).join("; ")));
        }
        let mut entries: Vec<TaskReport> = Vec::new();
        for (n, l) in lines {
            let e: TaskReport = serde_json::from_str(l).map_err(|e| bad(n, e.to_string()))?;
            if !entries.iter().any(|d| d.id == e.id) {
                entries.push(e);
            }
        }
        let file = std::fs::OpenOptions::new().write(true).open(path).map_err(io)?;
        file.set_len(whole as u64).map_err(io)?;
        let mut file = std::fs::OpenOptions::new().append(true).open(path).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(Journal { path: path.to_path_buf(), state: Mutex::new(State { file, entries, failure: None }) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a finished task's entry (one write, then synced); a failure is kept in the
    /// state, not returned: the run goes on.
    pub fn append(&self, entry: &TaskReport) {
        let mut s = self.lock();
        let bytes = line(entry);
        if let Err(e) = s.file.write_all(&bytes).and_then(|()| s.file.sync_data())
            && s.failure.is_none()
        {
            s.failure = Some(format!("{}: {e}", self.path.display()));
        }
        s.entries.push(entry.clone());
    }

    /// The file and entries, locked: while held, nothing is appended (an interrupted run holds
    /// it from its partial report to its exit, so no line is cut short).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The entries, in the order they finished.
    pub fn entries(&self) -> Vec<TaskReport> {
        self.lock().entries.clone()
    }

    /// Removes the journal (its run's report is written).
    pub fn remove(self) -> std::io::Result<()> {
        std::fs::remove_file(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::StopReason;

    fn head(budget: &str) -> Head {
        Head::new("d", "evaluation", "abc", SelectionRecord { only: vec![], limit: Some(3) }, None, "search[uniform]", budget, vec![], None)
    }

    fn entry(id: &str) -> TaskReport {
        let mut t = TaskReport::skipped(id, String::new());
        t.skipped = None;
        t.stop_reason = StopReason::Budget;
        t
    }

    #[test]
    fn a_journal_resumes_its_own_run_only_and_drops_a_line_cut_short() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("r.json"));
        assert!(path.ends_with("r.json.journal"));
        let j = Journal::create(&path, &head("tiny")).unwrap();
        j.append(&entry("a"));
        j.append(&entry("b"));
        drop(j);
        // A kill in the middle of a line.
        let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"id\":\"c\",\"sco").unwrap();
        let j = Journal::resume(&path, &head("tiny")).unwrap();
        assert_eq!(j.entries().iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        j.append(&entry("c"));
        drop(j);
        let j = Journal::resume(&path, &head("tiny")).unwrap();
        assert_eq!(j.entries().len(), 3, "the cut line was dropped from the file before appending");
        drop(j);
        // Another run's journal is refused, naming what differs.
        match Journal::resume(&path, &head("fast")) {
            Err(JournalError::OtherRun(_, why)) => assert!(why.contains("budget"), "{why}"),
            other => panic!("{:?}", other.map(|j| j.entries().len())),
        }
        // A damaged line that is not the last is an error.
        let text = std::fs::read_to_string(&path).unwrap().replacen("\"a\"", "\"a", 1);
        std::fs::write(&path, text).unwrap();
        assert!(matches!(Journal::resume(&path, &head("tiny")), Err(JournalError::Bad(_, 2, _))));
    }
}
