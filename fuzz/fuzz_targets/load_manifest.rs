//! Any bytes as a dataset manifest (TOML and JSON), with a valid document beside it.
#![no_main]

use std::path::Path;

use bilateral::dataset::load::{parse_files, text_from_bytes, SourceText};
use libfuzzer_sys::fuzz_target;

const DOC: &str = include_str!("../../tests/fixtures/minimal/docs/statement.toml");

fuzz_target!(|data: &[u8]| {
    for name in ["dataset.toml", "dataset.json"] {
        let Ok(manifest) = text_from_bytes(Path::new(name), data.to_vec()) else {
            continue;
        };
        let doc = SourceText {
            path: "docs/statement.toml".into(),
            text: DOC.to_string(),
        };
        let loaded = parse_files(manifest, vec![doc]);
        let _ = loaded.diagnostics.to_string();
    }
});
