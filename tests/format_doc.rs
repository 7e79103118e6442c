//! Every example in docs/format.md is a real, valid dataset: the code blocks marked
//! ```` ```toml file=PATH ```` (or json) are written to a folder and loaded.

use std::path::Path;

#[test]
fn the_format_documentation_examples_load() {
    let doc = std::fs::read_to_string("docs/format.md").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut files = 0;
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let Some(path) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, body.join("\n") + "\n").unwrap();
        files += 1;
    }
    assert!(
        files >= 3,
        "found only {files} example files in docs/format.md"
    );
    let loaded = bilateral::load(dir.path());
    assert!(
        loaded.dataset.is_some() && loaded.diagnostics.0.is_empty(),
        "docs/format.md examples do not load cleanly:\n{}",
        loaded.diagnostics
    );
    let ds = loaded.dataset.unwrap();
    assert_eq!(ds.parties()[1].name, "Türkiye");
    assert!(ds.field("defence-industry").is_some());
    assert!(Path::new("docs/format.md").exists());
}
