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
pub const SECTIONS: [&str; 11] = [
    "Bottom line up front",
    "Follow-through",
    "Commitments by field",
    "Follow-through score",
    "Targets",
    "Timeline",
    "Reciprocity",
    "Multilateral",
    "Lineage",
    "Expert views",
    "Sources",
];

/// A Python with openpyxl, to read workbooks as a real client does: `BILATERAL_PYTHON` (`.ci/run`
/// points it at a virtual environment), else `python3` on PATH. None only when skipping missing
/// tools.
pub fn python_with_openpyxl() -> Option<PathBuf> {
    let python = match std::env::var_os("BILATERAL_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => find("python3", "apt-get install python3")?,
    };
    let has = std::process::Command::new(&python)
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    if has {
        return Some(python);
    }
    let install = "python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl, then set \
                   BILATERAL_PYTHON=/tmp/venv/bin/python";
    if std::env::var_os("BILATERAL_SKIP_MISSING_TOOLS").is_none_or(|v| v != "1") {
        panic!(
            "{} has no openpyxl, so this test cannot read the workbook; {install} (or set \
             BILATERAL_SKIP_MISSING_TOOLS=1 to skip such checks)",
            python.display()
        );
    }
    eprintln!(
        "note: openpyxl not found, check SKIPPED (BILATERAL_SKIP_MISSING_TOOLS=1): {install}"
    );
    None
}

/// What `tests/tools/read_ledger.py` read from a ledger file (`kind` "xlsx" or "csv").
pub fn read_ledger(python: &Path, kind: &str, file: &Path) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/read_ledger.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(kind)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "read_ledger.py {kind} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
