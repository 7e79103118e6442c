//! The briefings scheduled runs delivered, from the jobs' state folder: listed newest first, and
//! each file found again by (job, as-of date, format), never by a path from the request. A job
//! name must be one of the jobs file's, the date must parse, the format must be one the job
//! writes; the path is then the one the job's `output` pattern gives, so nothing outside the
//! jobs' output folders can be reached.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::jobs::file::{load_jobs, Jobs};
use crate::jobs::state::StateDir;
use crate::render::Format;

/// One delivered briefing.
#[derive(Debug, Clone, Serialize)]
pub struct Delivered {
    pub job: String,
    pub pair: String,
    pub as_of: NaiveDate,
    pub files: Vec<ArchivedFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArchivedFile {
    pub format: Format,
    pub file_name: String,
    /// Relative to the archive page.
    pub href: String,
}

/// The archive page's content: the deliveries, and what could not be read (the page still
/// shows what could).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Listing {
    pub entries: Vec<Delivered>,
    pub error: Option<String>,
}

/// Reads the jobs file (again: scheduled runs may have changed it) and lists every job's
/// deliveries whose files are still there, newest first.
pub fn list(jobs_file: &Path) -> Listing {
    let jobs = match load_jobs(jobs_file) {
        Ok(j) => j,
        Err(d) => {
            return Listing {
                entries: Vec::new(),
                error: Some(d.to_string()),
            }
        }
    };
    let state = StateDir::new(&jobs.state_dir);
    let mut listing = Listing::default();
    for j in &jobs.jobs {
        let name = &j.job.name;
        let delivered = match state.delivered(name) {
            Ok(d) => d,
            Err(e) => {
                listing.error = Some(e.to_string());
                continue;
            }
        };
        for (as_of, pair) in delivered {
            let files: Vec<ArchivedFile> = j
                .formats
                .iter()
                .filter_map(|&f| {
                    let path = jobs.output_path(j, &pair, as_of, f);
                    is_file(&path).then(|| ArchivedFile {
                        format: f,
                        file_name: file_name(&path),
                        href: format!("archive/{name}/{as_of}/{}", f.extension()),
                    })
                })
                .collect();
            if !files.is_empty() {
                listing.entries.push(Delivered {
                    job: name.clone(),
                    pair,
                    as_of,
                    files,
                });
            }
        }
    }
    listing
        .entries
        .sort_by(|a, b| b.as_of.cmp(&a.as_of).then_with(|| a.job.cmp(&b.job)));
    listing
}

/// The file of `job`'s delivery as of `as_of` in `format`, if that was delivered and is there.
pub fn find(jobs_file: &Path, job: &str, as_of: &str, format: &str) -> Option<PathBuf> {
    let jobs: Jobs = load_jobs(jobs_file).ok()?;
    let j = jobs.jobs.iter().find(|j| j.job.name == job)?;
    let as_of: NaiveDate = as_of.parse().ok()?;
    let format = *j.formats.iter().find(|f| f.extension() == format)?;
    let pair = StateDir::new(&jobs.state_dir).delivered_pair(job, as_of)?;
    let path = jobs.output_path(j, &pair, as_of, format);
    is_file(&path).then_some(path)
}

/// A regular file (a symlink is not followed: a job writes regular files).
fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
