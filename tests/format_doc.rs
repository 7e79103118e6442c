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

/// Every key the format accepts (every property of `bilateral schema document` and
/// `bilateral schema manifest`) appears in an example of docs/format.md, and in its tables.
#[test]
fn every_key_of_the_format_is_documented_and_exemplified() {
    use bilateral::schema::{schema_json, SchemaKind};
    let doc = std::fs::read_to_string("docs/format.md").unwrap();
    let mut examples = String::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("```") && line.contains("file=") {
            for l in lines.by_ref().take_while(|l| !l.starts_with("```")) {
                examples.push_str(l);
                examples.push('\n');
            }
        }
    }
    let mut keys = std::collections::BTreeSet::new();
    for kind in [SchemaKind::Document, SchemaKind::Manifest] {
        let schema: serde_json::Value = serde_json::from_str(&schema_json(kind)).unwrap();
        collect_properties(&schema, &mut keys);
    }
    assert!(keys.len() > 40, "only {} keys found", keys.len());
    let mut missing = Vec::new();
    for key in &keys {
        let in_example = examples.lines().any(|l| {
            let l = l.trim_start().trim_start_matches(['[', '{']);
            l.starts_with(&format!("{key} ="))
                || l.contains(&format!(", {key} ="))
                || l.contains(&format!("{{ {key} ="))
                || l.contains(&format!("\"{key}\":"))
                || l.starts_with(&format!("{key}]"))
                || l.starts_with(&format!("[{key}]"))
        });
        if !in_example {
            missing.push(format!("no example uses `{key}`"));
        }
        if !doc.contains(&format!("`{key}`")) {
            missing.push(format!("no table describes `{key}`"));
        }
    }
    assert!(missing.is_empty(), "docs/format.md: {}", missing.join("; "));
}

fn collect_properties(v: &serde_json::Value, keys: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                keys.extend(props.keys().cloned());
            }
            for value in map.values() {
                collect_properties(value, keys);
            }
        }
        serde_json::Value::Array(list) => list.iter().for_each(|x| collect_properties(x, keys)),
        _ => {}
    }
}
