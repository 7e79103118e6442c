//! `bilateral brief` as a user runs it: the example briefing's Markdown (snapshot), reproducible
//! bytes, literal rendering of hostile text, user templates and their errors, and markdownlint.

mod tools;

use std::path::Path;

use assert_cmd::Command;
use pulldown_cmark::{Event, Parser, Tag};

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

fn brief_stdout(args: &[&str]) -> String {
    let out = bilateral()
        .arg("brief")
        .args(args)
        .arg("-o")
        .arg("-")
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn example_briefing_markdown() {
    let md = brief_stdout(&["examples/china-azerbaijan", "--as-of", "2025-05-01"]);
    // What an analyst looks for first, asserted plainly (the snapshot below has the rest).
    assert!(md.starts_with("# China–Azerbaijan briefing\n"));
    for heading in [
        "## Bottom line up front",
        "## Commitments by field",
        "### Multilateral cooperation",
        "### Green energy",
        "### Transport and connectivity",
        "## Timeline",
        "## Reciprocity",
        "## Multilateral",
        "### Shanghai Cooperation Organisation (SCO)",
        "## Expert views",
        "### Shi Jing",
        "## Sources",
    ] {
        assert!(md.contains(&format!("\n{heading}\n")), "missing {heading}");
    }
    let sco = md
        .split("### Shanghai Cooperation Organisation (SCO)")
        .nth(1)
        .unwrap();
    // Each commitment is listed in full once, under its field; other sections refer to it by
    // number.
    assert!(md.contains("- <a id=\"c2\"></a>**C2 · April 2025** · Azerbaijan → China (within the SCO): Azerbaijan supports China's chairmanship of the SCO. *(stated; political commitment; single source; score 0)*"));
    assert_eq!(
        md.matches("Azerbaijan supports China's chairmanship of the SCO.")
            .count(),
        3,
        "listed once, referred to twice"
    );
    assert!(sco.contains("- **[C2](#c2)** · Azerbaijan → China (within the SCO): Azerbaijan supports China's chairmanship of the SCO.\n"));
    assert!(sco.contains("- **[C6](#c6)** · China → Azerbaijan (concerning the SCO): China supports enhancing Azerbaijan's legal status within the SCO."));
    assert!(
        !md.contains("2025-04-01"),
        "a month-precision date grew a day"
    );
    assert!(md.contains("1. <a id=\"source-1\"></a>Trend News Agency, 28 April 2025"));
    insta::assert_snapshot!("example-briefing.md", md);
}

#[test]
fn summary_lists_the_latest_and_counts_everything() {
    let summary = |extra: &[&str]| {
        let mut args = vec![
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
            "--detail",
            "summary",
            "--per-list",
            "2",
        ];
        args.extend_from_slice(extra);
        brief_stdout(&args)
    };
    let md = summary(&[]);
    assert!(md.contains("- **Coverage:** 2 documents, 11 commitments"));
    assert!(md.contains("not listed in this summary"));
    insta::assert_snapshot!("example-summary.md", md);

    let v: serde_json::Value = serde_json::from_str(&summary(&["--format", "json"])).unwrap();
    assert_eq!(v["header"]["detail"]["summary"], true);
    assert_eq!(v["header"]["detail"]["per_list"], 2);
    assert_eq!(v["header"]["counts"]["commitments"], 11);
    let sco = &v["multilateral"][0];
    assert_eq!(sco["count"], 5);
    assert_eq!(sco["commitments"].as_array().unwrap().len(), 2);
    assert_eq!(sco["omitted"], 3);
}

#[test]
fn detail_auto_is_full_for_a_small_dataset() {
    let auto = brief_stdout(&["examples/china-azerbaijan", "--as-of", "2025-05-01"]);
    let full = brief_stdout(&[
        "examples/china-azerbaijan",
        "--as-of",
        "2025-05-01",
        "--detail",
        "full",
    ]);
    assert_eq!(auto, full);
    assert!(!auto.contains("not listed"));
}

#[test]
fn json_model_is_stable() {
    let json = brief_stdout(&[
        "examples/china-azerbaijan",
        "--as-of",
        "2025-05-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema_version"], 6);
    // Who commits to whom is structured: codes and ids, worded by the templates.
    let sco = &v["multilateral"][0]["commitments"][0]["who"];
    assert_eq!(sco["actor"], "AZ");
    assert_eq!(sco["within"], serde_json::json!(["sco"]));
    assert_eq!(v["multilateral"][0]["commitments"][0]["number"], 2);
    assert_eq!(v["fields"][0]["commitments"][0]["number"], 1);
    assert_eq!(v["bottom_line"]["leading"][0]["field"], "multilateral");
    assert_eq!(v["bottom_line"]["jointly"], 6);
    // The relationship's upgrade leads the bottom line; every record has both of its dates.
    assert_eq!(
        v["bottom_line"]["partnerships"][0]["level"],
        "comprehensive strategic partnership"
    );
    assert_eq!(v["fields"][0]["commitments"][0]["known"], "2025-04-28");
    assert_eq!(v["timeline"][0]["documents"][0]["known"], "2025-04-28");
    assert_eq!(v["scores"]["overall"]["count"], 11);
    assert_eq!(v["header"]["detail"]["summary"], false);
    assert_eq!(v["header"]["as_of"], "2025-05-01");
    assert_eq!(v["header"]["data_cutoff"], "2025-04-28");
    assert_eq!(v["header"]["counts"]["commitments"], 11);
    assert_eq!(v["multilateral"][0]["organisation"]["id"], "sco");
    assert_eq!(
        v["multilateral"][0]["commitments"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(v["fields"][0]["commitments"][0]["date"], "2025-04");
    insta::assert_snapshot!("example-briefing.json", json);
}

#[test]
fn same_input_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for i in 0..2 {
        let out = dir.path().join(format!("run{i}"));
        std::fs::create_dir(&out).unwrap();
        bilateral()
            .args([
                "brief",
                "examples/china-azerbaijan",
                "--format",
                "md,json",
                "--out",
            ])
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", "1746057600") // 2025-05-01
            .assert()
            .success();
        let md = std::fs::read(out.join("briefing-cn-az-2025-05-01.md")).unwrap();
        let json = std::fs::read(out.join("briefing-cn-az-2025-05-01.json")).unwrap();
        runs.push((md, json));
    }
    assert_eq!(runs[0], runs[1]);
}

#[test]
fn as_of_closes_the_period() {
    // As of March 2025, the April statement has not happened yet.
    let md = brief_stdout(&["examples/china-azerbaijan", "--as-of", "2025-03-31"]);
    assert!(md.contains("No commitments in the period."), "{md}");
    // A period overlapping April keeps the month-precision items.
    let md = brief_stdout(&[
        "examples/china-azerbaijan",
        "--as-of",
        "2025-05-01",
        "--since",
        "2025-04-20",
    ]);
    assert!(md.contains("11 commitments"), "{md}");
}

#[test]
fn filters_only_remove() {
    let md = brief_stdout(&[
        "examples/china-azerbaijan",
        "--as-of",
        "2025-05-01",
        "--field",
        "multilateral",
        "--party",
        "CN",
    ]);
    assert!(md.contains("1 commitment,"), "{md}");
    assert!(md.contains("China supports enhancing Azerbaijan's legal status"));
    assert!(!md.contains("Azerbaijan supports China's chairmanship"));
    let out = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--field",
            "maritime",
            "-o",
            "-",
        ])
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("unknown field `maritime`"));
}

/// The anchors the templates write for citations: `<a id="source-3">`, `<a id="c12">`, `</a>`.
fn is_anchor(h: &str) -> bool {
    h == "</a>"
        || h.strip_prefix("<a id=\"")
            .and_then(|r| r.strip_suffix("\">"))
            .is_some_and(|id| is_internal(&format!("#{id}")))
}

/// A link to a source (`#source-3`) or a commitment (`#c12`) of the briefing itself.
fn is_internal(dest: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    dest.strip_prefix("#source-").is_some_and(number) || dest.strip_prefix("#c").is_some_and(number)
}

/// Every text of the hostile fixture appears literally in the rendered document: as text, never
/// as markup, links, images or HTML (but the links between its own citations and entries).
#[test]
fn metacharacters_render_literally() {
    let md = brief_stdout(&["tests/fixtures/hostile", "--as-of", "2025-05-01"]);
    let mut text = String::new();
    for event in Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // The templates' PDF directives and the anchors citations link to are the only HTML,
            // and no text breaks out of them.
            Event::InlineHtml(h) if is_anchor(&h) => {}
            Event::Html(h) | Event::InlineHtml(h) => assert!(
                h.trim_start().starts_with("<!-- pdf:")
                    && h.trim_end().ends_with("-->")
                    && h.matches("-->").count() == 1
                    && h.matches("<!--").count() == 1,
                "HTML in the output: {h}"
            ),
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.starts_with("https://example.org") && !is_internal(&dest_url) =>
            {
                panic!("a link was injected: {dest_url}")
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("an image was injected: {dest_url}")
            }
            Event::Start(Tag::Heading { .. }) => text.push('\n'),
            _ => {}
        }
    }
    for literal in [
        "# Not a heading | pipe *star* _under_ `tick` <script>alert(1)</script>",
        "1. Looks like a list | has a pipe and a line break *bold* __strong__ ~~strike~~ $math$ ![img](x.png) <img src=x onerror=alert(1)> &copy; \\escaped",
        "> quoted | `code` [ref][1] <https://evil.example>",
        "- starts with a dash; Bakı, Gəncə, Şəki, Ağdam, İsmayıllı, Quba, Göyçay, Xaçmaz, Москва",
        "+ plus | = equals",
        "Dr. *Star* | Pipe",
        "#hashtag and <em>html</em> & entities &lt;",
        "R&D &amp; Co. [link](javascript:alert(1))",
        "Azərbaycan_[x](y)",
    ] {
        assert!(text.contains(literal), "not rendered literally: {literal}\n---\n{text}");
    }
    // Tables keep their shape: every row of the field table has the header's cell count.
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| Field |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.len(), 4);
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    assert!(
        table.iter().all(|l| cells(l) == cells(table[0])),
        "{table:?}"
    );
}

#[test]
fn markdown_passes_markdownlint() {
    let Some(lint) = tools::find("markdownlint", "npm install -g markdownlint-cli@0.48.0") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    // Inline HTML is the anchors citations link to, and nothing else (`metacharacters_render_literally`).
    std::fs::write(
        &config,
        r#"{"default": true, "MD013": false, "MD033": {"allowed_elements": ["a", "span"]}}"#,
    )
    .unwrap();
    for dataset in [
        "examples/china-azerbaijan",
        "tests/fixtures/hostile",
        "tests/fixtures/minimal",
        "tests/fixtures/rich",
        "examples/china-azerbaijan-history",
    ] {
        let md = brief_stdout(&[dataset, "--as-of", "2025-06-01"]);
        let file = dir.path().join("briefing.md");
        std::fs::write(&file, md).unwrap();
        let out = std::process::Command::new(&lint)
            .arg("-c")
            .arg(&config)
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "markdownlint on {dataset}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn user_templates_override_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    bilateral()
        .args(["templates", "init"])
        .arg(&tpl)
        .assert()
        .success();
    // Writing them again without --force refuses.
    bilateral()
        .args(["templates", "init"])
        .arg(&tpl)
        .assert()
        .code(1);
    // Only one file changed; the rest stay the defaults.
    std::fs::write(tpl.join("bottom-line.md.hbs"), "## In short\n\n{{plural header.counts.commitments one=\"# commitment\" other=\"# commitments\"}} in {{period_text header.period}}.\n").unwrap();
    for f in std::fs::read_dir(&tpl).unwrap() {
        let p = f.unwrap().path();
        if !p.ends_with("bottom-line.md.hbs") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let md = brief_stdout(&[
        "examples/china-azerbaijan",
        "--as-of",
        "2025-05-01",
        "--templates",
        tpl.to_str().unwrap(),
    ]);
    assert!(
        md.contains("## In short\n\n11 commitments in all dates to 1 May 2025.\n"),
        "{md}"
    );
    assert!(md.contains("## Commitments by field"));
}

#[test]
fn broken_user_template_names_template_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    // A value that is not in the model (strict mode).
    std::fs::write(
        tpl.join("header.md.hbs"),
        "# Briefing\n\nAs of {{header.as_off}}\n",
    )
    .unwrap();
    let res = bilateral()
        .args(["brief", "examples/china-azerbaijan", "--out"])
        .arg(&out)
        .arg("--templates")
        .arg(&tpl)
        .assert()
        .code(1);
    let stderr = String::from_utf8(res.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("header.md.hbs"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("header.as_off"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "output was written"
    );

    // A syntax error.
    std::fs::write(
        tpl.join("header.md.hbs"),
        "# Briefing\n\n{{#if header}}\nno end\n",
    )
    .unwrap();
    let res = bilateral()
        .args(["brief", "examples/china-azerbaijan", "--out"])
        .arg(&out)
        .arg("--templates")
        .arg(&tpl)
        .assert()
        .code(1);
    let stderr = String::from_utf8(res.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("header.md.hbs"), "{stderr}");
    assert!(stderr.contains("line"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "output was written"
    );
}

#[test]
fn a_missing_templates_folder_is_an_error() {
    let out = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--templates",
            "no/such/dir",
            "-o",
            "-",
        ])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("no/such/dir") && stderr.contains("cannot read the templates folder"),
        "{stderr}"
    );
}

#[test]
fn default_file_name_comes_from_codes_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/china-azerbaijan");
    // Run from another folder: the default output folder is the current one.
    bilateral()
        .arg("brief")
        .arg(&dataset)
        .args(["--as-of", "2025-05-01", "--format", "md"])
        .current_dir(dir.path())
        .assert()
        .success();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["briefing-cn-az-2025-05-01.md"]);
}
