//! Helpers shared by the test files. External tools some tests use (markdownlint, pdftotext,
//! qpdf, pdftoppm): locally a missing tool skips that check with a notice; CI sets
//! BILATERAL_REQUIRE_TOOLS=1, and there it fails.
#![allow(dead_code)] // each test file uses some of these

use std::path::{Path, PathBuf};

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
        if std::env::var_os("BILATERAL_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
            panic!("{name} is required (BILATERAL_REQUIRE_TOOLS=1) but not on PATH; install it: {install}");
        }
        eprintln!("note: {name} not found, check skipped; install it to run it: {install}");
    }
    found
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
pub const SECTIONS: [&str; 8] = [
    "Bottom line up front",
    "Commitments by field",
    "Timeline",
    "Reciprocity",
    "Multilateral",
    "Lineage",
    "Expert views",
    "Sources",
];
