//! What scheduled runs remember: each job's last success and delivery, a lock so that two runs
//! never overlap, and the archive of delivered briefings that "changes since the last
//! briefing" is computed from.
//!
//! The state is one small JSON file, rewritten atomically after every job, so a run killed at any
//! moment leaves the previous state or the next one, never half of one. The lock is an OS file
//! lock: it is released when the process ends, however it ends, so a crash never wedges the
//! scheduler.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::base::atomic::write_atomic;
use crate::briefing::model::Briefing;

pub const STATE_FILE: &str = "state.json";
pub const LOCK_FILE: &str = "lock";
pub const HISTORY_DIR: &str = "history";

/// What is remembered of one job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobState {
    /// The schedule firing the last successful run was for.
    pub last_success: Option<DateTime<Utc>>,
    /// Its as-of date.
    pub last_as_of: Option<NaiveDate>,
    /// The as-of date of the last delivered briefing (archived under history/).
    pub last_delivered_as_of: Option<NaiveDate>,
    /// When the last run (of any outcome) finished.
    pub last_run: Option<DateTime<Utc>>,
    /// "ok", "failed" or "skipped".
    pub last_outcome: Option<String>,
    pub last_error: Option<String>,
    /// A delivery begun and not known to have ended: recorded before the message goes out,
    /// cleared when the job's outcome is recorded. Only a run killed while sending leaves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sending: Option<Sending>,
}

/// An email delivery in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sending {
    pub as_of: NaiveDate,
    pub message_id: String,
    pub started: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub jobs: BTreeMap<String, JobState>,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{path}: the state file is not readable JSON ({source}); move it aside to start afresh"
    )]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "{path}: another `bilateral run` is using this state folder; wait for it, or pass --wait"
    )]
    Locked { path: PathBuf },
    #[error("{path}: state version {found} is not one this bilateral knows (it writes version {STATE_VERSION}); a newer bilateral wrote it, or it is not a state file")]
    Version { path: PathBuf, found: u32 },
    #[error("{path}: {what}, which the state folder never holds; remove it (a link here would send the state elsewhere)")]
    NotPlain { path: PathBuf, what: &'static str },
}

/// The version of the state file this code reads and writes.
pub const STATE_VERSION: u32 = 1;

/// Refuses a path in the state folder that exists as something other than `dir` asks (a folder,
/// or a regular file): a link could send the archive or the state outside the folder (a root run
/// once wrote into /etc), and a named pipe as the lock would block the run.
fn plain(path: &Path, dir: bool) -> Result<(), StateError> {
    let what = match fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(m) if m.file_type().is_symlink() => "a symbolic link",
        Ok(m) if dir && !m.is_dir() => "not a folder",
        Ok(m) if !dir && !m.is_file() => "not a regular file (a pipe, a device or a folder)",
        Ok(_) => return Ok(()),
    };
    Err(StateError::NotPlain {
        path: path.to_path_buf(),
        what,
    })
}

/// The pair of an archived briefing model ("cn-az"), read from its header's parties.
fn archived_pair(path: &Path) -> Option<String> {
    #[derive(Deserialize)]
    struct Archived {
        header: ArchivedHeader,
    }
    #[derive(Deserialize)]
    struct ArchivedHeader {
        parties: Vec<ArchivedParty>,
    }
    #[derive(Deserialize)]
    struct ArchivedParty {
        id: String,
    }
    let bytes = fs::read(path).ok()?;
    let a: Archived = serde_json::from_slice(&bytes).ok()?;
    let codes: Vec<String> = a
        .header
        .parties
        .iter()
        .map(|p| p.id.to_ascii_lowercase())
        .collect();
    Some(codes.join("-"))
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The state folder of a jobs file.
#[derive(Debug, Clone)]
pub struct StateDir {
    pub dir: PathBuf,
}

/// Held while a run works; dropping it (or the process ending) releases the lock.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl StateDir {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Takes the lock; with `wait`, blocks until the other run finishes.
    pub fn lock(&self, wait: bool) -> Result<Lock, StateError> {
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let path = self.dir.join(LOCK_FILE);
        plain(&path, false)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(&path))?;
        if wait {
            file.lock().map_err(io_err(&path))?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(StateError::Locked { path }),
                Err(fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
            }
        }
        Ok(Lock { _file: file })
    }

    pub fn read(&self) -> Result<State, StateError> {
        let path = self.dir.join(STATE_FILE);
        plain(&path, false)?;
        match fs::read(&path) {
            Ok(bytes) => {
                let state: State =
                    serde_json::from_slice(&bytes).map_err(|source| StateError::Corrupt {
                        path: path.clone(),
                        source,
                    })?;
                if state.version != STATE_VERSION {
                    let found = state.version;
                    return Err(StateError::Version { path, found });
                }
                Ok(state)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(State {
                version: STATE_VERSION,
                ..State::default()
            }),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    pub fn write(&self, state: &State) -> Result<(), StateError> {
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let path = self.dir.join(STATE_FILE);
        let mut bytes = serde_json::to_vec_pretty(state).expect("state serialises");
        bytes.push(b'\n');
        write_atomic(&path, &bytes).map_err(io_err(&path))
    }

    /// Where a job's delivered briefings are archived.
    pub fn history_dir(&self, job: &str) -> PathBuf {
        self.dir.join(HISTORY_DIR).join(job)
    }

    fn history_path(&self, job: &str, as_of: NaiveDate) -> PathBuf {
        self.history_dir(job).join(format!("{as_of}.json"))
    }

    /// Archives a delivered briefing's model.
    pub fn archive(&self, job: &str, briefing: &Briefing) -> Result<(), StateError> {
        let path = self.history_path(job, briefing.header.as_of);
        let dir = path.parent().expect("has a parent");
        plain(&self.dir.join(HISTORY_DIR), true)?;
        plain(dir, true)?;
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        write_atomic(&path, &crate::render::json::render(briefing)).map_err(io_err(&path))
    }

    /// The as-of dates of a job's delivered briefings, newest first, with each one's pair
    /// ("cn-az", from the archived model). An archive file that is not a delivered briefing's is
    /// left out.
    pub fn delivered(&self, job: &str) -> Result<Vec<(NaiveDate, String)>, StateError> {
        let dir = self.history_dir(job);
        plain(&self.dir.join(HISTORY_DIR), true)?;
        plain(&dir, true)?;
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&dir)(e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let path = entry.map_err(io_err(&dir))?.path();
            let as_of = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".json"))
                .and_then(|d| d.parse::<NaiveDate>().ok());
            if let Some((as_of, pair)) = as_of.and_then(|d| Some((d, archived_pair(&path)?))) {
                out.push((as_of, pair));
            }
        }
        out.sort_by(|a, b| b.cmp(a));
        Ok(out)
    }

    /// The pair ("cn-az") of a job's delivered briefing as of `as_of`, if it was delivered.
    pub fn delivered_pair(&self, job: &str, as_of: NaiveDate) -> Option<String> {
        archived_pair(&self.history_path(job, as_of))
    }

    /// The archived briefing of a job for `as_of`, as a snapshot for comparison.
    pub fn snapshot(
        &self,
        job: &str,
        as_of: NaiveDate,
    ) -> Result<Option<crate::briefing::changes::Snapshot>, StateError> {
        let path = self.history_path(job, as_of);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| StateError::Corrupt { path, source }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(&path)(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link as the archive, a named pipe as the lock and a state file of an unknown version are
    /// refused, each named (before: the link was followed, the pipe hung the run, the version
    /// was accepted).
    #[test]
    fn links_pipes_and_unknown_versions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::new(dir.path().join("state"));
        fs::create_dir_all(&state.dir).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, state.dir.join(HISTORY_DIR)).unwrap();
        let err = state.delivered("weekly").unwrap_err().to_string();
        assert!(err.contains("a symbolic link"), "{err}");

        let made = std::process::Command::new("mkfifo")
            .arg(state.dir.join(LOCK_FILE))
            .status()
            .unwrap();
        assert!(made.success());
        let err = state.lock(false).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");

        fs::write(state.dir.join(STATE_FILE), r#"{"version": 7, "jobs": {}}"#).unwrap();
        let err = state.read().unwrap_err().to_string();
        assert!(err.contains("state version 7"), "{err}");
    }
}
