//! The datasets a server serves, kept live: a file watcher marks a dataset changed, and the next
//! request that needs it loads and checks it again. A version that no longer checks is not
//! served; the last good one is, and the diagnostics are kept for the index page.
//!
//! Reloading on change, not on every request, keeps a busy server from re-reading the files; a
//! watcher that cannot be set up (no inotify watches left) falls back to polling.
//!
//! A watcher follows a folder, not its path, yet deployments replace folders whole (an `mv`
//! swap, rsync `--delay-updates`, a symlink flipped to a new release, delete and recreate). So
//! every request also asks which folder the path names now (one `stat`); when that changed, the
//! watcher moves to the new folder and the dataset is loaded from it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::dataset::Dataset;

/// One served dataset.
pub struct Served {
    /// "cn-az": the pair, as in file names and URLs.
    pub pair: String,
    pub path: PathBuf,
    changed: Arc<AtomicBool>,
    current: Mutex<(Current, Watched)>,
}

/// The folder being watched (device and inode of what the path named when the watch began) and
/// its watcher; none when the path named nothing.
struct Watched {
    folder: Option<(u64, u64)>,
    _watcher: Option<Box<dyn Watcher + Send + Sync>>,
}

impl Watched {
    fn start(path: &Path, changed: &Arc<AtomicBool>) -> Self {
        let folder = folder_of(path);
        Self {
            folder,
            _watcher: folder.and_then(|_| watch(path, changed.clone())),
        }
    }
}

/// Which folder `path` names now (links followed): its device and inode.
fn folder_of(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

/// The version being served.
#[derive(Clone)]
pub struct Current {
    pub dataset: Arc<Dataset>,
    /// Counts successful loads; part of every cache key.
    pub generation: u64,
    /// What the last reload found wrong (as `check` prints it); None when it checked.
    pub errors: Option<String>,
}

/// "cn-az" for a dataset of China and Azerbaijan.
pub fn pair_of(ds: &Dataset) -> String {
    let [a, b] = ds.parties();
    format!(
        "{}-{}",
        a.code.to_ascii_lowercase(),
        b.code.to_ascii_lowercase()
    )
}

impl Served {
    /// Loads the dataset at `path` and starts watching it. Fails with the diagnostics (as
    /// `check` prints them) when it does not check: there is nothing good to serve yet.
    pub fn open(path: &Path) -> Result<Self, String> {
        let loaded = crate::load(path);
        let Some(dataset) = loaded.dataset else {
            return Err(loaded.diagnostics.to_string());
        };
        let changed = Arc::new(AtomicBool::new(false));
        let watched = Watched::start(path, &changed);
        let current = Current {
            dataset: Arc::new(dataset),
            generation: 1,
            errors: None,
        };
        Ok(Self {
            pair: pair_of(&current.dataset),
            path: path.to_path_buf(),
            changed,
            current: Mutex::new((current, watched)),
        })
    }

    /// The version to serve, reloading first if the files changed since the last load. Blocks
    /// while it reads the files: call it off the async workers.
    pub fn current(&self) -> Current {
        let mut guard = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let (current, watched) = &mut *guard;
        if folder_of(&self.path) != watched.folder {
            // The path names another folder (or none, or one again): watch that one, and load it.
            *watched = Watched::start(&self.path, &self.changed);
            self.changed.store(true, Ordering::Release);
        }
        if self.changed.swap(false, Ordering::AcqRel) {
            let loaded = crate::load(&self.path);
            match loaded.dataset {
                // The pair names the dataset's path (/cn-az/…): a new pair is not served under
                // the old one's path, and a running server does not move it.
                Some(ds) if pair_of(&ds) != self.pair => {
                    current.errors = Some(format!(
                        "{}: the dataset's parties are now `{}`, not `{}`: restart the server to serve it under /{}/ (the last version of /{}/ is served meanwhile)\n",
                        self.path.display(),
                        pair_of(&ds),
                        self.pair,
                        pair_of(&ds),
                        self.pair
                    ));
                }
                Some(ds) => {
                    current.dataset = Arc::new(ds);
                    current.generation += 1;
                    current.errors = None;
                }
                None => current.errors = Some(loaded.diagnostics.to_string()),
            }
        }
        current.clone()
    }
}

/// Watches `path` recursively; any change but a read marks it changed.
fn watch(path: &Path, changed: Arc<AtomicBool>) -> Option<Box<dyn Watcher + Send + Sync>> {
    let flag = changed.clone();
    let handler = move |event: notify::Result<notify::Event>| {
        let relevant = match event {
            Ok(e) => !matches!(e.kind, EventKind::Access(_)),
            Err(_) => true,
        };
        if relevant {
            flag.store(true, Ordering::Release);
        }
    };
    let inotify = notify::recommended_watcher(handler.clone()).and_then(|mut w| {
        w.watch(path, RecursiveMode::Recursive)?;
        Ok(Box::new(w) as Box<dyn Watcher + Send + Sync>)
    });
    match inotify {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(
                "{}: cannot watch for changes ({e}); checking every 2 s instead",
                path.display()
            );
            let config = notify::Config::default().with_poll_interval(Duration::from_secs(2));
            let polled = notify::PollWatcher::new(handler, config).and_then(|mut w| {
                w.watch(path, RecursiveMode::Recursive)?;
                Ok(Box::new(w) as Box<dyn Watcher + Send + Sync>)
            });
            match polled {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::warn!(
                        "{}: cannot poll for changes either ({e}); restart to reload",
                        path.display()
                    );
                    None
                }
            }
        }
    }
}
