//! Files read and written so that nothing is lost: a bounded reader (regular files only, at most
//! a given number of bytes actually read), atomic writes (a temporary file in the same folder,
//! then a rename), and the identity of a path (after links) to tell when two paths are one file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A FIFO, a device, a socket or a folder: never read (a FIFO would wait forever, a device
    /// such as `/dev/zero` never ends).
    #[error("not a regular file (it is {0}): only regular files are read")]
    NotRegular(&'static str),
    /// More than the limit: the reading stopped there.
    #[error("over the limit of {limit} bytes for this kind of file")]
    TooBig { limit: u64 },
}

/// What kind of file a file type is, for messages.
fn kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Reads a regular file (links followed) of at most `limit` bytes. The file is opened without
/// blocking (a FIFO cannot hold the reader) and checked to be a regular file before any byte is
/// read; at most `limit + 1` bytes are read, so a file that grows or lies about its size costs
/// no more memory than the limit.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooBig { limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig { limit });
    }
    Ok(bytes)
}

/// [`read_bounded`], as UTF-8 text.
pub fn read_bounded_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|e| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// The path a write to `path` lands on: symbolic links are followed (their target is replaced,
/// not the link), a dangling one to where its target would be (at most 40 links, as the kernel).
fn write_target(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&at) {
                Ok(next) => at = at.parent().map_or(next.clone(), |dir| dir.join(&next)),
                Err(_) => break,
            },
            _ => break,
        }
    }
    at
}

/// A temporary file's name beside `target`: hidden, with this process's id.
fn temp_beside(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, synced, then
/// renamed over `path`, so that a reader (or a crash, a full disk, a kill) sees the old file
/// whole or the new one whole, never a part. An existing file keeps its permissions; a link is
/// followed. On failure the temporary file is removed and `path` is as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = write_target(path);
    let tmp = temp_beside(&target);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(m) = std::fs::metadata(&target) {
            f.set_permissions(m.permissions())?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Fails when a file cannot be written at `path` by [`write_atomic`]: its folder must take a new
/// file (one is created and removed), and `path` must not be a folder. Nothing else changes.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    let target = write_target(path);
    if target.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"));
    }
    let tmp = temp_beside(&target);
    std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
    std::fs::remove_file(&tmp)
}

/// What a path names, after links: the device and inode of an existing file, else the
/// canonical path it would be created at. Two paths with the same identity are one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Inode(u64, u64),
    Path(PathBuf),
}

/// The identity of `path` (see [`Identity`]); a path whose folder does not exist is itself.
pub fn identity(path: &Path) -> Identity {
    use std::os::unix::fs::MetadataExt;
    if let Ok(m) = std::fs::metadata(path) {
        return Identity::Inode(m.dev(), m.ino());
    }
    let target = write_target(path);
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match (std::fs::canonicalize(&parent), target.file_name()) {
        (Ok(dir), Some(name)) => Identity::Path(dir.join(name)),
        _ => Identity::Path(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit_only() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.json");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_bounded(&f, 5).unwrap(), b"12345");
        assert!(matches!(read_bounded(&f, 4), Err(ReadError::TooBig { limit: 4 })));
        assert!(matches!(read_bounded(dir.path(), 4), Err(ReadError::NotRegular("a folder"))));
        // A device named like a task file: refused before any byte is read.
        let zero = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(read_bounded(&zero, 1 << 20), Err(ReadError::NotRegular("a character device"))));
        // A FIFO: refused at once, not waited on.
        let fifo = dir.path().join("fifo.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(read_bounded(&fifo, 1 << 20), Err(ReadError::NotRegular("a FIFO (named pipe)"))));
    }

    #[test]
    fn atomic_writes_replace_whole_follow_links_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("out.json");
        write_atomic(&f, b"one").unwrap();
        write_atomic(&f, b"two").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"two");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("out.json", &link).unwrap();
        write_atomic(&link, b"three").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read(&f).unwrap(), b"three");
        assert_eq!(identity(&link), identity(&f));
        assert_ne!(identity(&f), identity(&dir.path().join("other.json")));
        assert_eq!(identity(&dir.path().join("new.json")), identity(&dir.path().join("./new.json")));
        // A dangling link is the file it would create.
        std::os::unix::fs::symlink("later.json", dir.path().join("soon.json")).unwrap();
        assert_eq!(identity(&dir.path().join("soon.json")), identity(&dir.path().join("later.json")));
        std::fs::remove_file(dir.path().join("soon.json")).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        // A folder that does not exist: the write fails and nothing is left.
        assert!(write_atomic(&dir.path().join("no/such.json"), b"x").is_err());
        assert!(check_writable(&dir.path().join("no/such.json")).is_err());
        assert!(check_writable(dir.path()).is_err());
        assert!(check_writable(&f).is_ok());
    }
}
