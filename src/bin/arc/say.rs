//! Printing that never panics and never ends the program: `say!` writes a line to stdout,
//! `note!` to stderr (`std`'s `println!` panics when the stream fails: a full disk, a closed
//! pipe). A closed pipe on stdout (`arc eval ... | head -1`) is not an error: the rest of the
//! output is dropped and the command goes on (its files are written first anyway). Any other
//! failure to write stdout (`> /dev/full`) is kept and turns the exit status into 1 at the end,
//! after the command's files are written ([`stdout_failure`]). A failing stderr is ignored: there
//! is nowhere left to say so.

use std::io::Write;
use std::sync::Mutex;

/// The first failure writing stdout, other than a closed pipe.
static STDOUT_FAILURE: Mutex<Option<String>> = Mutex::new(None);

/// Writes to stdout; a failure is kept (see the module's doc).
pub(crate) fn out(args: std::fmt::Arguments, newline: bool) {
    let mut o = std::io::stdout().lock();
    let r = o.write_fmt(args).and_then(|()| if newline { o.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = r {
        keep(e);
    }
}

/// Writes a line to stderr, ignoring failure.
pub(crate) fn err(args: std::fmt::Arguments) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_fmt(args).and_then(|()| e.write_all(b"\n"));
}

fn keep(e: std::io::Error) {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return;
    }
    let mut f = STDOUT_FAILURE.lock().unwrap_or_else(|p| p.into_inner());
    if f.is_none() {
        *f = Some(e.to_string());
    }
}

/// Flushes stdout, then the first failure writing it other than a closed pipe, if any.
pub(crate) fn stdout_failure() -> Option<String> {
    if let Err(e) = std::io::stdout().lock().flush() {
        keep(e);
    }
    STDOUT_FAILURE.lock().unwrap_or_else(|p| p.into_inner()).clone()
}
