//! The archived texts that sources point at, read once per load.
//!
//! A source's `archive` is a path inside the dataset folder. Each distinct archive is read once
//! (on every core), hashed, reduced to its article text and folded for matching; checking then
//! compares hashes and verifies quotes without touching the disk. A path that leaves the folder
//! (absolute, `..`, or a link pointing outside) is refused, never read.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::article::{self, Folded, Kind};
use crate::dataset::format::Document;
use crate::dataset::load::MAX_FILE_BYTES;
use crate::dataset::parse::Parsed;

/// The folder the drafter archives articles in, inside a dataset.
pub const SOURCES_DIR: &str = "sources";

/// One archive, read.
#[derive(Debug, Clone)]
pub struct Archive {
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// The article's text (a page's article, Markdown without its markup).
    pub text: String,
    pub(crate) folded: Folded,
}

/// What became of an archive path.
#[derive(Debug, Clone)]
pub enum ArchiveState {
    Read(Archive),
    /// The path leaves the dataset folder; not read.
    Outside,
    /// Not an article file (by extension).
    NotArticle,
    /// It could not be read, or yields no article: why.
    Unreadable(String),
}

/// Every archive a dataset's sources name. [`Archives::none`] stands for "not read" (parsing
/// from memory): quotes then stay unverified and archives unchecked.
#[derive(Debug, Clone, Default)]
pub struct Archives {
    read: bool,
    map: HashMap<String, ArchiveState>,
}

impl Archives {
    /// No archives read: nothing is verified.
    pub fn none() -> Archives {
        Archives::default()
    }

    /// Whether archives were read at all.
    pub fn is_read(&self) -> bool {
        self.read
    }

    pub fn get(&self, path: &str) -> Option<&ArchiveState> {
        self.map.get(path)
    }

    /// Reads every archive the documents name, below `root`.
    pub fn read<E>(root: &Path, documents: &[Result<Parsed<Document>, E>]) -> Archives {
        let mut paths: Vec<String> = documents
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .flat_map(|p| p.value.sources.iter().filter_map(|s| s.archive.clone()))
            .collect();
        paths.sort();
        paths.dedup();
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let states = crate::base::parallel::map_io(paths.clone(), |rel| {
            read_one(root, &canonical_root, &rel)
        });
        Archives {
            read: true,
            map: paths.into_iter().zip(states).collect(),
        }
    }

    /// Archives given as bytes (tests, and callers that hold the files already).
    pub fn from_bytes(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Archives {
        let map = files
            .into_iter()
            .map(|(rel, bytes)| {
                let state = match Kind::from_path(Path::new(&rel)) {
                    Some(kind) => archive(&bytes, kind),
                    None => ArchiveState::NotArticle,
                };
                (rel, state)
            })
            .collect();
        Archives { read: true, map }
    }
}

/// The archive's path under `root`, if it stays inside it (before links are followed).
pub fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel);
    let plain = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    (plain && !rel.is_empty()).then(|| root.join(path))
}

fn read_one(root: &Path, canonical_root: &Path, rel: &str) -> ArchiveState {
    let Some(path) = inside(root, rel) else {
        return ArchiveState::Outside;
    };
    let Some(kind) = Kind::from_path(&path) else {
        return ArchiveState::NotArticle;
    };
    match std::fs::canonicalize(&path) {
        Ok(real) if !real.starts_with(canonical_root) => return ArchiveState::Outside,
        Ok(_) => {}
        Err(e) => return ArchiveState::Unreadable(e.to_string()),
    }
    match std::fs::metadata(&path) {
        Ok(m) if !m.is_file() => return ArchiveState::Unreadable("not a regular file".into()),
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            return ArchiveState::Unreadable(format!(
                "larger than the limit of {} MiB",
                MAX_FILE_BYTES / 1024 / 1024
            ))
        }
        Err(e) => return ArchiveState::Unreadable(e.to_string()),
        Ok(_) => {}
    }
    match std::fs::read(&path) {
        Ok(bytes) => archive(&bytes, kind),
        Err(e) => ArchiveState::Unreadable(e.to_string()),
    }
}

/// An archive's bytes, hashed and read as an article.
fn archive(bytes: &[u8], kind: Kind) -> ArchiveState {
    let sha256 = sha256_hex(bytes);
    match article::read(bytes, kind) {
        Ok(a) => ArchiveState::Read(Archive {
            sha256,
            folded: Folded::new(&a.text),
            text: a.text,
        }),
        Err(e) => ArchiveState::Unreadable(e.to_string()),
    }
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        let root = Path::new("/data");
        assert!(inside(root, "sources/a.txt").is_some());
        assert!(inside(root, "./sources/a.txt").is_some());
        assert!(inside(root, "../a.txt").is_none());
        assert!(inside(root, "sources/../../a.txt").is_none());
        assert!(inside(root, "/etc/passwd").is_none());
        assert!(inside(root, "").is_none());
    }

    #[test]
    fn sha256_is_standard() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
