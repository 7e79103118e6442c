//! The format says exactly what the sources say (issue #13), checked on `tests/fixtures/rich`, a
//! dataset with every construct: per-record sources and confidence, quotes with whose words
//! they are, several fields and targets, organisations within and about (one renamed), date
//! spans and uncertain days, an undated source, an organisation as actor, new actions and
//! document kinds, and a document that records nothing. Each is asserted in the Markdown, the
//! PDF's extracted text, Chromium's DOM and the JSON; and each commitment is listed in full once,
//! with the same number (C1 …) in every format.

mod tools;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const RICH: &str = "tests/fixtures/rich";
const AS_OF: &str = "2022-12-31";

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Renders the rich fixture in every format into `out`; returns the file stem.
fn render(data: &Path, out: &Path) -> PathBuf {
    bilateral()
        .arg("brief")
        .arg(data)
        .args(["--as-of", AS_OF, "--format", "md,pdf,html,json", "--out"])
        .arg(out)
        .assert()
        .success();
    out.join(format!("briefing-az-tr-{AS_OF}"))
}

/// The JSON model written beside the other formats.
fn json(stem: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(stem.with_extension("json")).unwrap()).unwrap()
}

/// The commitments listed in full, field by field.
fn listed(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["commitments"].as_array().unwrap())
        .collect()
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What every format must say, as it reads once the markup is gone.
const SAYS: &[&str] = &[
    // Several fields: listed under the primary one, the others named.
    "C1 · 15 June 2021",
    "Both sides will cooperate in oil and gas, green energy and industry.",
    "Also concerns: Green energy, Industry.",
    // Per-commitment sources and confidence.
    "(in progress; political commitment; confirmed; score 0)",
    "(stated; political commitment; unconfirmed; score 0)",
    // Quotes: whose words, language, translation.
    "— the document’s text",
    "“Enerji sahəsində əməkdaşlıq davam edəcək.” — Ilham Aliyev (az)",
    "Translation: “Cooperation in energy will continue.”",
    "— Recep Tayyip Erdoğan (tr)",
    "— the outlet’s words, not a quotation of either side",
    // Several targets, a third country among them.
    "Türkiye → Azerbaijan and Georgia:",
    // Within several organisations, one under the name it had then; about, not within.
    "(within the UN, the OSCE and the Turkic Council, now OTS)",
    "Türkiye → Azerbaijan (concerning the WTO):",
    "(concerning BRICS)",
    // An organisation acting on its own decision.
    "The Turkic Council → Azerbaijan and Türkiye:",
    // Date spans and uncertain days.
    "11–12 November 2021",
    "11 or 12 February 2022",
    "between 11 and 14 February 2022",
    // An undated source, a document that records nothing, document context.
    "publication date unknown, retrieved 20 June 2021",
    "(no commitments, events or views recorded)",
    "Speaker: Recep Tayyip Erdoğan, president",
    "Note: The two reports disagree on the day.",
    "*Shusha Declaration on Allied Relations*, Shusha",
    "letter:",
    "entry into force:",
    // Who committed adds up, an organisation's own decision included.
    "3 by Azerbaijan, 5 by Türkiye, 1 by the OTS and 3 made jointly",
];

#[test]
fn every_construct_reaches_markdown_pdf_html_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let stem = render(Path::new(RICH), dir.path());
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    // A quote in another language than the briefing's carries its own (for HTML and the PDF's
    // tags); the words are checked without the markup.
    assert!(md.contains(r#"<span lang="az">“Enerji"#), "{md}");
    let md = md.replace(r#"<span lang="az">"#, "").replace("</span>", "");
    for s in SAYS {
        let plain = s.replace('*', "");
        let in_md = md.contains(s) || flat(&md.replace('*', "")).contains(&plain);
        assert!(in_md, "Markdown lacks {s:?}:\n{md}");
    }
    // Custom labels keep their capitals in running text; "BRICS" takes no article, nor a
    // repeated short name.
    assert!(!md.contains("the BRICS"), "{md}");
    assert!(!md.contains("BRICS (BRICS)"), "{md}");
    assert!(md.contains("### BRICS\n"), "{md}");
    // "Both sides: Both sides …" is said once.
    assert!(!md.contains("Both sides: Both sides"), "{md}");

    let pdf = tools::pdftotext(&stem.with_extension("pdf")).map(|t| flat(&t));
    if let Some(pdf) = pdf {
        for s in SAYS {
            assert!(pdf.contains(&s.replace('*', "")), "PDF lacks {s:?}: {pdf}");
        }
    }
    let url = format!("file://{}", stem.with_extension("html").display());
    if let Some(dom) = tools::chromium_dom(&url) {
        let doc = scraper::Html::parse_document(&dom);
        let body = flat(&doc.root_element().text().collect::<String>());
        for s in SAYS {
            assert!(
                body.contains(&s.replace('*', "")),
                "HTML lacks {s:?}: {body}"
            );
        }
    }

    let v = json(&stem);
    let items = listed(&v);
    let item = |id: &str| *items.iter().find(|c| c["id"] == id).unwrap();
    let energy = item("az-tr-energy");
    assert_eq!(energy["number"], 1);
    assert_eq!(energy["field"], "energy");
    assert_eq!(
        energy["fields"],
        serde_json::json!(["energy", "green-energy", "industry"])
    );
    assert_eq!(energy["confidence"], "confirmed");
    assert_eq!(energy["sources"], serde_json::json!([1, 2]));
    assert_eq!(energy["quotes"][0]["by"], "text");
    assert_eq!(energy["quotes"][0]["sources"], serde_json::json!([1]));
    assert_eq!(energy["quotes"][1]["speaker"], "Ilham Aliyev");
    assert_eq!(energy["quotes"][1]["language"], "az");
    let corridor = item("tr-corridor");
    assert_eq!(corridor["who"]["targets"], serde_json::json!(["AZ", "GE"]));
    assert_eq!(corridor["sources"], serde_json::json!([1]));
    assert_eq!(corridor["confidence"], "single-source");
    let wto = item("tr-supports-az-wto");
    assert_eq!(wto["who"]["about"], serde_json::json!(["wto"]));
    assert_eq!(wto["who"]["within"], serde_json::json!([]));
    // Known from the day its only source, undated, was retrieved: never from the document's
    // date, before anyone could have read it.
    assert_eq!(wto["known"], "2021-06-20");
    assert_eq!(item("az-applies")["date"], "[2022-02-11..2022-02-14]");
    assert_eq!(item("ots-renames")["who"]["actor"], "ots");
    assert_eq!(item("ots-renames")["action"], "approve");
    let undated = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["publisher"] == "A regional forum")
        .unwrap();
    assert!(undated["published"].is_null());
    assert_eq!(undated["retrieved"], "2021-06-20");
    assert_eq!(undated["reliability"], "user-generated");
    let docs: Vec<&serde_json::Value> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["documents"].as_array().unwrap())
        .collect();
    let letter = docs.iter().find(|d| d["kind"] == "letter").unwrap();
    assert_eq!(letter["speaker"]["name"], "Recep Tayyip Erdoğan");
    assert_eq!(letter["speaker"]["role"], "president");
    let shusha = docs
        .iter()
        .find(|d| d["id"] == "shusha-declaration")
        .unwrap();
    assert_eq!(shusha["place"], "Shusha");
    assert!(shusha["note"].as_str().unwrap().starts_with("Signed by"));
    assert_eq!(
        docs.iter()
            .find(|d| d["kind"] == "entry-into-force")
            .unwrap()["commitments"],
        0
    );
    let views = &v["views"][0]["views"][0];
    assert_eq!(views["sources"], serde_json::json!([2]));
    assert_eq!(views["quotes"][0]["by"], "outlet");
}

/// Each commitment is listed in full exactly once; other sections name it by number, and the
/// number is the same in the Markdown, the PDF, the HTML and the JSON.
#[test]
fn each_commitment_is_listed_once_with_one_number_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let stem = render(Path::new(RICH), dir.path());
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    let v = json(&stem);
    let items = listed(&v);
    let mut numbers: Vec<u64> = items
        .iter()
        .map(|c| c["number"].as_u64().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=12).collect::<Vec<u64>>(),
        "every commitment numbered once"
    );
    let pdf = tools::pdftotext(&stem.with_extension("pdf")).map(|t| flat(&t));
    let html = std::fs::read_to_string(stem.with_extension("html")).unwrap();
    for c in &items {
        let n = c["number"].as_u64().unwrap();
        let summary = c["summary"].as_str().unwrap();
        // Listed in full once: its line with its number and the full summary's scoring.
        let full = format!("- <a id=\"c{n}\"></a>**C{n} · ");
        assert_eq!(
            md.matches(&full).count(),
            1,
            "C{n} listed in full once:\n{md}"
        );
        let line = md[md.find(&full).unwrap()..].lines().next().unwrap();
        assert!(line.contains(summary.trim_end_matches('.')), "{line}");
        // Nothing lost: its status, confidence, sources and every quote are where it is listed.
        let status = c["status"].as_str().unwrap().replace('-', " ");
        let confidence = c["confidence"].as_str().unwrap().replace('-', " ");
        assert!(line.contains(&format!("*({status}")), "{line}");
        assert!(line.contains(&format!("; {confidence}; ")), "{line}");
        for q in c["quotes"].as_array().unwrap() {
            assert_eq!(md.matches(q["text"].as_str().unwrap()).count(), 1, "{q}");
        }
        for n in c["sources"].as_array().unwrap() {
            assert!(
                md.contains(&format!("\n{n}. <a id=\"source-{n}\"></a>")),
                "source {n} not listed"
            );
        }
        assert!(html.contains(&format!("C{n} · ")), "HTML lacks C{n}");
        if let Some(pdf) = &pdf {
            assert!(pdf.contains(&format!("C{n} · ")), "PDF lacks C{n}");
        }
    }
    // Elsewhere, references: number, who and a short summary, nothing more.
    let reciprocity = md.split("## Reciprocity").nth(1).unwrap();
    let reciprocity = reciprocity.split("\n## ").next().unwrap();
    assert!(reciprocity.contains("- **[C2](#c2)** · Türkiye → Azerbaijan and Georgia: Türkiye will develop the corridor with Azerbaijan and the other countries on…\n"), "{reciprocity}");
    assert!(
        !reciprocity.contains("> “"),
        "no quotes in references: {reciprocity}"
    );
    assert!(!reciprocity.contains("Follow-through:"), "{reciprocity}");
}

/// Numbers stay put when an unrelated document is added at the end of the period.
#[test]
fn numbers_are_stable_when_a_later_document_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("rich");
    tools::copy_dir(Path::new(RICH), &data);
    let numbers = |data: &Path| -> Vec<(String, u64)> {
        let out = bilateral()
            .arg("brief")
            .arg(data)
            .args(["--as-of", AS_OF, "--format", "json", "-o", "-"])
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let mut list: Vec<(String, u64)> = listed(&v)
            .into_iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["number"].as_u64().unwrap(),
                )
            })
            .collect();
        list.sort();
        list
    };
    let before = numbers(&data);
    std::fs::write(
        data.join("docs/2022-11-later.toml"),
        "id = \"later\"\ntitle = \"A later readout\"\nkind = \"readout\"\ndate = \"2022-11-30\"\nparties = [\"AZ\", \"TR\"]\n\n[[sources]]\npublisher = \"Trend\"\npublished = \"2022-11-30\"\nlanguage = \"en\"\nreliability = \"independent-media\"\n\n[[commitments]]\nid = \"later-one\"\nmutual = true\nfield = \"energy\"\naction = \"cooperate\"\nsummary = \"Later cooperation.\"\n",
    )
    .unwrap();
    let after = numbers(&data);
    for (id, n) in &before {
        assert!(
            after.contains(&(id.clone(), *n)),
            "{id} moved from C{n}: {after:?}"
        );
    }
    assert!(after.contains(&("later-one".to_string(), 13)), "{after:?}");
}
