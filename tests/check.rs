//! `bilateral check` as a user runs it: the example loads, and each broken dataset under
//! tests/broken/ (one fault each, made by tests/broken/generate.py) fails with a message that
//! names the file and line. The messages are snapshots: review changes with `cargo insta review`.

use std::path::Path;

use assert_cmd::Command;

mod tools;
use tools::copy_dir;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

#[test]
fn example_dataset_is_clean() {
    let out = bilateral()
        .args(["check", "examples/china-azerbaijan"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        "ok: examples/china-azerbaijan (China–Azerbaijan): 2 documents, 11 commitments, 6 assessments, 0 events, dated April 2025 to 28 April 2025\n"
    );
    assert!(out.get_output().stderr.is_empty());
}

#[test]
fn every_broken_dataset_fails_with_file_and_line() {
    let root = Path::new("tests/broken");
    let mut cases: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "only {} broken datasets", cases.len());
    for case in cases {
        let out = bilateral()
            .current_dir(root)
            .args(["check", &case])
            .assert()
            .code(1);
        let output = out.get_output();
        assert!(output.stdout.is_empty(), "{case}: printed to stdout");
        let stderr = String::from_utf8(output.stderr.clone()).unwrap();
        assert!(
            stderr.contains(&format!("--> {case}")),
            "{case}: the message does not name a file of the case:\n{stderr}"
        );
        // Every case but the folder-level ones points at a line and column.
        if !["no-manifest", "binary-file", "empty-file"].contains(&case.as_str()) {
            assert!(
                stderr
                    .lines()
                    .any(|l| l.contains(" --> ") && l.matches(':').count() >= 2),
                "{case}: no line and column in:\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{case}: panicked");
        insta::assert_snapshot!(format!("check-{case}"), stderr);
    }
}

#[test]
fn reports_every_problem_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new("tests/fixtures/minimal");
    copy_dir(src, dir.path());
    // Three faults in three places.
    let manifest = std::fs::read_to_string(dir.path().join("dataset.toml")).unwrap();
    std::fs::write(
        dir.path().join("dataset.toml"),
        manifest.replace("code = \"CN\"", "code = \"XX\""),
    )
    .unwrap();
    let doc = std::fs::read_to_string(dir.path().join("docs/statement.toml")).unwrap();
    std::fs::write(
        dir.path().join("docs/statement.toml"),
        doc.replacen("field = \"multilateral\"", "field = \"maritime\"", 1),
    )
    .unwrap();
    std::fs::write(dir.path().join("docs/extra.json"), "{\"id\": 1,}").unwrap();
    let out = bilateral().arg("check").arg(dir.path()).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("unknown country code `XX`"), "{stderr}");
    assert!(stderr.contains("unknown field `maritime`"), "{stderr}");
    assert!(stderr.contains("extra.json:1:"), "{stderr}");
    assert!(stderr.contains("3 problems; nothing loaded"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    bilateral().args(["check"]).assert().code(2);
    bilateral().args(["brief"]).assert().code(2);
    bilateral().args(["nonsense"]).assert().code(2);
    bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-02-30",
        ])
        .assert()
        .code(2);
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let out = bilateral()
        .args(["check", "no/such/folder"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("no/such/folder"), "{stderr}");
    assert!(
        stderr.contains("cannot open the dataset folder"),
        "{stderr}"
    );
}

#[test]
fn schema_lists_the_formats_keys() {
    let out = bilateral().args(["schema", "document"]).assert().success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let props = &schema["properties"];
    for key in [
        "id",
        "title",
        "kind",
        "date",
        "parties",
        "sources",
        "commitments",
        "assessments",
    ] {
        assert!(props.get(key).is_some(), "schema lacks {key}");
    }
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let out = bilateral().args(["schema", "manifest"]).assert().success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(schema["properties"].get("parties").is_some());
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = bilateral().args(["completions", shell]).assert().success();
        assert!(
            String::from_utf8_lossy(&out.get_output().stdout).contains("brief"),
            "{shell}"
        );
    }
}

/// Large datasets are read, parsed and checked on several threads; problems that span files
/// (a duplicate id far apart) and problems in any chunk are all still reported, in file order.
#[test]
fn many_files_report_every_problem_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[[parties]]\ncode = \"AZ\"\n\n[[parties]]\ncode = \"CN\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    for i in 0..200 {
        let id = if i == 190 { 10 } else { i };
        let commitment = if i == 195 { 5 } else { i };
        let field = if i == 120 { "maritime" } else { "energy" };
        std::fs::write(
            dir.path().join(format!("docs/d{i:03}.toml")),
            format!(
                "id = \"d{id}\"\ntitle = \"Readout {i}\"\nkind = \"readout\"\ndate = \"2025-04\"\nparties = [\"AZ\", \"CN\"]\n\n\
                 [[sources]]\npublisher = \"Trend\"\npublished = \"2025-04-28\"\nlanguage = \"en\"\nreliability = \"independent-media\"\n\n\
                 [[commitments]]\nid = \"c{commitment}\"\nmutual = true\nfield = \"{field}\"\naction = \"cooperate\"\nsummary = \"Item {i}.\"\n"
            ),
        )
        .unwrap();
    }
    let out = bilateral().arg("check").arg(dir.path()).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let dup_doc = stderr
        .find("document id `d10` is already used in")
        .expect(&stderr);
    let field = stderr.find("unknown field `maritime`").expect(&stderr);
    let dup_commitment = stderr
        .find("commitment id `c5` is already used in")
        .expect(&stderr);
    assert!(stderr.contains("d190.toml:1:"), "{stderr}");
    assert!(stderr.contains("d195.toml:"), "{stderr}");
    // File order: d120, then d190, then d195.
    assert!(field < dup_doc && dup_doc < dup_commitment, "{stderr}");
    assert!(stderr.contains("3 problems; nothing loaded"), "{stderr}");
}

#[test]
fn links_in_a_circle_are_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[[parties]]\ncode = \"AZ\"\n\n[[parties]]\ncode = \"CN\"\n",
    )
    .unwrap();
    let mut doc = String::from(
        "id = \"d1\"\ntitle = \"Readout\"\nkind = \"readout\"\ndate = \"2025-04\"\nparties = [\"AZ\", \"CN\"]\n\n\
         [[sources]]\npublisher = \"Trend\"\npublished = \"2025-04-28\"\nlanguage = \"en\"\nreliability = \"independent-media\"\n",
    );
    // a → b → c → a, and d → a (leads into the circle, is not part of it).
    for (id, link) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")] {
        doc.push_str(&format!(
            "\n[[commitments]]\nid = \"{id}\"\nmutual = true\nfield = \"energy\"\naction = \"cooperate\"\nsummary = \"Item {id}.\"\nrepeats = \"{link}\"\n"
        ));
    }
    std::fs::write(dir.path().join("d1.toml"), doc).unwrap();
    let out = bilateral().arg("check").arg(dir.path()).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("commitments link in a circle: a → b → c → a"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("link in a circle").count(), 1, "{stderr}");
}
