//! Inputs the fuzzers found (or that are kept as sharp edges), replayed without cargo-fuzz: each
//! file under tests/fuzz-regressions/<target>/ goes through the same steps as fuzz/fuzz_targets/
//! <target>.rs and must end in a result or a diagnostic, not a panic.

use std::path::Path;

use bilateral::dataset::load::{parse_files, text_from_bytes, SourceText};
use bilateral::render::engine::TemplateEngine;
use bilateral::render::templates::{Templates, DEFAULTS};

/// The inputs of a target; a missing or empty folder fails (a test over no inputs checks
/// nothing).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new("tests/fuzz-regressions").join(target);
    let rd = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; the regression inputs are missing", dir.display()));
    let mut v: Vec<(String, Vec<u8>)> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    assert!(!v.is_empty(), "{}: no regression inputs", dir.display());
    v.sort();
    v
}

#[test]
fn load_document_regressions() {
    let manifest = std::fs::read_to_string("tests/fixtures/minimal/dataset.toml").unwrap();
    for (name, data) in inputs("load_document") {
        for file in ["doc.toml", "doc.json"] {
            let Ok(text) = text_from_bytes(Path::new(file), data.clone()) else {
                continue;
            };
            let loaded = parse_files(
                SourceText {
                    path: "dataset.toml".into(),
                    text: manifest.clone(),
                },
                vec![text],
            );
            let _ = loaded.diagnostics.to_string();
            let _ = name;
        }
    }
}

#[test]
fn load_manifest_regressions() {
    let doc = std::fs::read_to_string("tests/fixtures/minimal/docs/statement.toml").unwrap();
    for (_, data) in inputs("load_manifest") {
        for file in ["dataset.toml", "dataset.json"] {
            let Ok(manifest) = text_from_bytes(Path::new(file), data.clone()) else {
                continue;
            };
            let loaded = parse_files(
                manifest,
                vec![SourceText {
                    path: "docs/statement.toml".into(),
                    text: doc.clone(),
                }],
            );
            let _ = loaded.diagnostics.to_string();
        }
    }
}

#[test]
fn template_regressions() {
    let ds = bilateral::load(Path::new("examples/china-azerbaijan"))
        .dataset
        .unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
    let b = bilateral::briefing::aggregate::aggregate(&ds, &Default::default(), as_of).unwrap();
    for (_, data) in inputs("template") {
        let Some((&which, rest)) = data.split_first() else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            continue;
        };
        let mut templates = Templates::defaults();
        templates.set(
            DEFAULTS[usize::from(which) % DEFAULTS.len()].0,
            text.to_string(),
            None,
        );
        if let Ok(r) = TemplateEngine::new(&templates) {
            let _ = r.markdown(&b);
        }
    }
}
