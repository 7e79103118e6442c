//! Writing files so that a reader never sees half of one.
//!
//! Every output (briefings, templates written out, later the scheduler's state) goes to a temporary
//! file in the destination folder, is flushed to disk, and is then renamed over the destination:
//! a crash or a full disk leaves the old file or none, never a truncated one.

use std::io::{self, Write};
use std::path::Path;

/// Temporary files are named `.bilateral-PID-RANDOM.tmp`.
pub const TEMP_PREFIX: &str = ".bilateral-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file named `name` is a temporary file whose writer is gone: its process no longer
/// runs (where that can be told, on Linux), or it is older than `max_age` (where it cannot, or
/// the name carries no process id).
pub fn is_stale(name: &str, age: std::time::Duration, max_age: std::time::Duration) -> bool {
    let Some(middle) = name
        .strip_prefix(TEMP_PREFIX)
        .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
    else {
        return false;
    };
    let pid = middle
        .split_once('-')
        .and_then(|(pid, _)| pid.parse::<u32>().ok());
    let proc = Path::new("/proc");
    match pid {
        Some(pid) if proc.join("self").exists() => {
            pid != std::process::id() && !proc.join(pid.to_string()).exists() || age > max_age
        }
        _ => age > max_age,
    }
}

/// Writes `bytes` to `path` atomically (temp file in the same folder, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    stage(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Refuses to replace what is not a regular file (a link, a pipe, a device: `-o /dev/null` as
/// root would replace the device), or a read-only file (a rename would replace it although it
/// could not be written).
pub fn refuse_special(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "exists and is not a regular file; choose another path",
        )),
        Ok(m) if m.permissions().readonly() => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "exists and is read-only; choose another path, or make it writable first",
        )),
        _ => Ok(()),
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushed to disk, for the caller to rename
/// into place (`persist`); dropped, it is removed. A `path` that `refuse_special` refuses is
/// refused here, before anything is written.
pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    refuse_special(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // The writer's process id is in the name, so a cleaner can tell a killed writer's file from
    // one still being written (`is_stale`).
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // A report is an ordinary file: readable by others as the umask allows, not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    /// Every writer goes through `stage`, so none replaces a link or a device (`draft -o
    /// /dev/null` as root once replaced the device with a regular file).
    #[test]
    fn links_and_read_only_files_are_refused_by_every_writer() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::write(&real, "mine").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write_atomic(&link, b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        let mut perms = std::fs::metadata(&real).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&real, perms).unwrap();
        assert!(write_atomic(&real, b"x").is_err());
        assert_eq!(std::fs::read(&real).unwrap(), b"mine");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn missing_folder_is_an_error_not_a_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/a.md");
        assert!(write_atomic(&p, b"x").is_err());
        assert!(!p.exists());
    }
}
