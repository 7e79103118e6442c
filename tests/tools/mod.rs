//! Helpers shared by the test files. External tools some tests use (markdownlint, pdftotext,
//! qpdf, chromium): a missing tool fails the test that needs it, so a run never reports "ok"
//! for a check it did not make. Only an explicit BILATERAL_SKIP_MISSING_TOOLS=1 turns that into
//! a skip with a notice (for a quick local run); `.ci/run` never sets it.
#![allow(dead_code)] // each test file uses some of these

use std::path::{Path, PathBuf};

pub mod smtp;

/// Copies a folder tree (a fixture) into `dst`.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

/// The tool's path, or None (after a notice) when it is missing and not required.
pub fn find(name: &str, install: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var_os("BILATERAL_SKIP_MISSING_TOOLS").is_none_or(|v| v != "1") {
            panic!(
                "{name} is not on PATH, so this test cannot check what it checks; install it \
                 ({install}), or set BILATERAL_SKIP_MISSING_TOOLS=1 to skip such checks"
            );
        }
        eprintln!(
            "note: {name} not found, check SKIPPED (BILATERAL_SKIP_MISSING_TOOLS=1): {install}"
        );
    }
    found
}

/// The DOM headless Chromium builds for `url` (None only when skipping missing tools).
pub fn chromium_dom(url: &str) -> Option<String> {
    let tool = find("chromium", "apt-get install chromium")?;
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("timeout")
        .arg("120")
        .arg(tool)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The text of a PDF, by pdftotext (None, after a notice, when it is missing and not required).
pub fn pdftotext(pdf: &Path) -> Option<String> {
    let tool = find("pdftotext", "apt-get install poppler-utils")?;
    // -raw: content order, and no joining of a line-end hyphen with the next line (the default
    // mode's dehyphenation would hide a real "-" from these checks).
    let out = std::process::Command::new(tool)
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The sections of a briefing, in order, as the default templates head them.
pub const SECTIONS: [&str; 10] = [
    "Bottom line up front",
    "Follow-through",
    "Commitments by field",
    "Follow-through score",
    "Timeline",
    "Reciprocity",
    "Multilateral",
    "Lineage",
    "Expert views",
    "Sources",
];
