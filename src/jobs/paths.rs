//! Where jobs write, compared before any of them runs.
//!
//! Two jobs whose outputs name the same file overwrite each other's briefings (and the archive
//! then serves one job's briefing as the other's); a job that writes into its own dataset folder
//! adds files the next load reads as records. Both are refused when the jobs file is checked. The
//! comparison is on paths as written, made lexical (`.` dropped, `..` applied), and on the real
//! folders where they already exist, so `data/./cn-az` and a link to it are the same folder.

use std::path::{Component, Path, PathBuf};

use super::file::Job;
use crate::render::Format;

/// `path` with `.` components dropped and `..` applied to what precedes it; where a leading part
/// of it exists, that part is resolved through links.
pub fn resolved(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    // The longest existing ancestor, canonicalised, with the rest appended.
    let mut rest = Vec::new();
    let mut head = out.clone();
    loop {
        if let Ok(real) = head.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(real, |p, c: &std::ffi::OsString| p.join(c));
        }
        match (head.file_name().map(|n| n.to_os_string()), head.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                head = parent.to_path_buf();
            }
            _ => return out,
        }
    }
}

/// The folder an output pattern certainly writes under: its path up to the first placeholder.
pub fn fixed_folder(base: &Path, pattern: &str) -> PathBuf {
    let fixed = pattern.split('{').next().unwrap_or_default();
    let folder = match fixed.rfind('/') {
        Some(i) => &fixed[..i],
        None => "",
    };
    resolved(&base.join(folder))
}

/// The file stem a job writes to, with `{job}` filled in and the other placeholders kept.
fn stem(base: &Path, job: &Job) -> PathBuf {
    resolved(&base.join(job.output.replace("{job}", &job.name)))
}

/// Pairs of jobs (by index, the earlier first) whose outputs can name the same file, with the
/// file (a format's extension on the shared stem).
pub fn overlapping(jobs: &[Job], base: &Path) -> Vec<(usize, usize, PathBuf)> {
    let stems: Vec<PathBuf> = jobs.iter().map(|j| stem(base, j)).collect();
    let formats =
        |j: &Job| -> Vec<Format> { j.formats.iter().filter_map(|f| f.parse().ok()).collect() };
    let mut out = Vec::new();
    for (i, a) in jobs.iter().enumerate() {
        for (j, b) in jobs.iter().enumerate().skip(i + 1) {
            if stems[i] != stems[j] {
                continue;
            }
            let theirs = formats(b);
            if let Some(f) = formats(a).into_iter().find(|f| theirs.contains(f)) {
                let name = format!("{}.{}", stems[i].display(), f.extension());
                out.push((i, j, PathBuf::from(name)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_and_links_resolve_to_one_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("data"), dir.path().join("link")).unwrap();
        let a = resolved(&dir.path().join("./data/x/../y"));
        let b = resolved(&dir.path().join("link/y"));
        assert_eq!(a, b);
        assert!(a.ends_with("data/y"));
        assert_eq!(
            fixed_folder(dir.path(), "link/{job}/b-{as_of}"),
            resolved(&dir.path().join("data"))
        );
        assert_eq!(fixed_folder(dir.path(), "{job}"), resolved(dir.path()));
    }
}
