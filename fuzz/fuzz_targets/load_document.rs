//! Any bytes as a document file, read as TOML and as JSON, alone and inside a valid dataset: the
//! loader must answer with a dataset or diagnostics, never panic, hang or exhaust memory.
#![no_main]

use std::path::Path;

use bilateral::dataset::load::{parse_files, text_from_bytes, SourceText};
use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = include_str!("../../tests/fixtures/minimal/dataset.toml");

fuzz_target!(|data: &[u8]| {
    for name in ["doc.toml", "doc.json"] {
        let text = match text_from_bytes(Path::new(name), data.to_vec()) {
            Ok(t) => t,
            Err(d) => {
                let _ = d.to_string();
                continue;
            }
        };
        let manifest = SourceText {
            path: "dataset.toml".into(),
            text: MANIFEST.to_string(),
        };
        let loaded = parse_files(manifest, vec![text]);
        // Printing every diagnostic exercises the caret and window code on hostile lines.
        let _ = loaded.diagnostics.to_string();
        if let Some(ds) = loaded.dataset {
            let _ = ds.summary();
        }
    }
});
