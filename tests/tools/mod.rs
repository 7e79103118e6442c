//! External tools some tests use (markdownlint, pdftotext, qpdf, pdftoppm). Locally a missing tool
//! skips that check with a notice; CI sets BILATERAL_REQUIRE_TOOLS=1, and there it fails.

use std::path::PathBuf;

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
