//! The ledger as a spreadsheet (`--format xlsx` and `csv`), read back by real clients: openpyxl
//! for the workbook and Python's `csv` for the CSV (`tests/tools/read_ledger.py`). Every
//! commitment, event and source of the examples, the rich fixture and a generated dataset is
//! checked against the briefing's own JSON, with its type (numbers, dates, flags, text); the
//! layout (frozen header, autofilter, widths, wrap), the byte-for-byte reproducibility, the
//! formula-injection defence, the words from `ledger.toml` and the email attachment too.

mod tools;

#[allow(dead_code)]
#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Writes `formats` of the dataset into `out`; returns the file stem.
fn brief(data: &Path, as_of: &str, formats: &str, out: &Path, extra: &[&str]) -> PathBuf {
    let output = bilateral()
        .arg("brief")
        .arg(data)
        .args(["--as-of", as_of, "--format", formats, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let name = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("briefing-"))
        .unwrap();
    out.join(name.split('.').next().unwrap())
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// A sheet's rows as maps from heading to cell.
fn rows(sheet: &Value) -> Vec<HashMap<String, Value>> {
    let all = sheet["rows"].as_array().unwrap();
    let headings: Vec<String> = all[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["v"].as_str().unwrap().to_string())
        .collect();
    all[1..]
        .iter()
        .map(|r| {
            headings
                .iter()
                .cloned()
                .zip(r.as_array().unwrap().iter().cloned())
                .collect()
        })
        .collect()
}

/// The sort key the ledger writes for a date in the dataset's written form.
fn sort_key(written: &str) -> String {
    written
        .trim_matches(['[', ']'])
        .replace("..", "/")
        .replace(',', "/")
}

/// A date cell: a real date for a day, else the written form as text; and its sort key.
fn assert_date(row: &HashMap<String, Value>, column: &str, key: &str, written: &Value) {
    let cell = &row[column];
    match written.as_str() {
        None => assert_eq!(cell["v"], Value::Null, "{column}: {row:?}"),
        Some(w) => {
            let day = w.len() == 10 && !w.contains(['/', '[']);
            let kind = if day { "d" } else { "s" };
            assert_eq!(
                (cell["t"].as_str(), cell["v"].as_str()),
                (Some(kind), Some(w)),
                "{column}"
            );
            assert_eq!(row[key]["v"].as_str(), Some(sort_key(w).as_str()), "{key}");
        }
    }
}

/// Checks the workbook against the full briefing's JSON: every commitment (with its number),
/// event and source, with its values and types.
fn check_against_json(book: &Value, json: &Value) {
    let commitments = rows(sheet(book, "Commitments"));
    let ledger = &json["ledger"];
    let expected = ledger["commitments"].as_array().unwrap();
    assert_eq!(commitments.len(), expected.len(), "one row per commitment");
    let listed: HashMap<&str, &Value> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["commitments"].as_array().unwrap())
        .map(|c| (c["id"].as_str().unwrap(), c))
        .collect();
    // Rows come in the briefing's order (by date); numbers are the permanent ones, each once.
    let mut seen = std::collections::HashSet::new();
    for (row, c) in commitments.iter().zip(expected) {
        assert_eq!(row["ID"]["v"], c["id"]);
        assert_eq!(row["Summary"]["v"], c["summary"]);
        assert_eq!(row["Status"]["v"], c["status"]);
        assert_date(row, "Date", "Date (sort key)", &c["date"]);
        assert_date(row, "Known", "Known (sort key)", &c["known"]);
        let number = row["No."]["v"].as_u64().unwrap();
        assert_eq!(row["No."]["t"], "n");
        assert!(seen.insert(number), "C{number} names one commitment");
        let id = c["id"].as_str().unwrap();
        let item = listed[id];
        assert_eq!(item["number"], number, "{id}: C-number as in the briefing");
        let sources: Vec<String> = item["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let cell = row["Sources"]["v"].as_str().unwrap_or_default();
        assert_eq!(cell, sources.join(", "), "{id}: its sources");
        assert_eq!(row["Confidence"]["v"], item["confidence"], "{id}");
        assert_eq!(row["Action"]["v"], item["action"], "{id}");
        for flag in ["Joint", "Overdue", "Due soon"] {
            assert_eq!(row[flag]["t"], "b", "{flag}");
        }
        assert_eq!(row["Score"]["t"], "n");
        assert!(row["Summary"]["wrap"].as_bool().unwrap(), "long text wraps");
    }
    let events = rows(sheet(book, "Events"));
    let expected = ledger["events"].as_array().unwrap();
    assert_eq!(events.len(), expected.len(), "one row per event");
    for (row, e) in events.iter().zip(expected) {
        assert_eq!(row["Commitment ID"]["v"], e["commitment"]);
        assert_eq!(row["Summary"]["v"], e["summary"]);
        assert_eq!(row["Status"]["v"], e["status"]);
        assert_eq!(row["Document ID"]["v"], e["document"]);
        assert_date(row, "Date", "Date (sort key)", &e["date"]);
        assert_date(row, "Known", "Known (sort key)", &e["known"]);
    }
    let sources = rows(sheet(book, "Sources"));
    let numbers: Vec<u64> = sources
        .iter()
        .map(|s| s["No."]["v"].as_u64().unwrap())
        .collect();
    for row in commitments.iter().chain(&events) {
        if let Some(cited) = row["Sources"]["v"].as_str() {
            for n in cited.split(", ") {
                assert!(numbers.contains(&n.parse().unwrap()), "source {n} listed");
            }
        }
    }
    let expected = json["sources"].as_array().unwrap();
    assert_eq!(sources.len(), expected.len(), "every source");
    for (row, s) in sources.iter().zip(expected) {
        assert_eq!(row["No."]["v"], s["number"]);
        assert_eq!(row["Publisher"]["v"], s["publisher"]);
        assert_eq!(row["Reliability"]["v"], s["reliability"]);
        assert_date(row, "Published", "Published (sort key)", &s["published"]);
        assert_eq!(row["URL"]["link"], s["url"], "the address is a link");
    }
}

/// The layout every sheet has: the header row frozen, an autofilter over all of it, widths set.
fn check_layout(book: &Value) {
    let names: Vec<&str> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Commitments", "Events", "Measurements", "Sources", "About"]
    );
    for s in book["sheets"].as_array().unwrap() {
        assert_eq!(s["freeze"], "A2", "{}: header frozen", s["name"]);
        let filter = s["filter"].as_str().unwrap_or_default();
        assert!(
            filter.starts_with("A1:"),
            "{}: autofilter {filter}",
            s["name"]
        );
        // openpyxl gives ranges of columns of one width: [first, last, width].
        let columns = s["rows"][0].as_array().unwrap().len() as u64;
        let mut sized = vec![false; columns as usize + 1];
        for w in s["widths"].as_array().unwrap() {
            let (first, last) = (w[0].as_u64().unwrap(), w[1].as_u64().unwrap());
            assert!(w[2].as_f64().unwrap() > 0.0);
            for c in first..=last.min(columns) {
                sized[c as usize] = true;
            }
        }
        assert!(
            sized[1..].iter().all(|s| *s),
            "{}: every column sized",
            s["name"]
        );
    }
    assert_eq!(book["formulas"], 0, "no formula anywhere");
}

/// A CSV cell as the workbook's cell reads in text.
fn as_text(cell: &Value) -> String {
    match (&cell["v"], cell["t"].as_str()) {
        (Value::Null, _) => String::new(),
        (Value::Bool(b), _) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        (Value::Number(n), _) => n.to_string(),
        (Value::String(s), _) if cell["qp"] == true => format!("'{s}"),
        (Value::String(s), _) => s.clone(),
        (v, _) => v.to_string(),
    }
}

/// The CSV of a sheet is the workbook's sheet, cell for cell, as text.
fn check_csv(csv: &Value, book_sheet: &Value) {
    let expected: Vec<Vec<String>> = book_sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(as_text).collect())
        .collect();
    let got: Vec<Vec<String>> = serde_json::from_value(csv["rows"].clone()).unwrap();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
    assert_eq!(csv["crlf"], true, "RFC 4180 line ends");
}

/// Checks the ledger of a dataset (written with the default detail, which is a summary when
/// `summary`) against the full briefing's JSON: every row, value and type, the numbers included.
fn check_dataset(python: &Path, data: &Path, as_of: &str, summary: bool) {
    let full_out = tempfile::tempdir().unwrap();
    let full = brief(data, as_of, "json", full_out.path(), &["--detail", "full"]);
    let json: Value =
        serde_json::from_slice(&std::fs::read(full.with_extension("json")).unwrap()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let stem = brief(data, as_of, "json,xlsx,csv", out.path(), &[]);
    let shown: Value =
        serde_json::from_slice(&std::fs::read(stem.with_extension("json")).unwrap()).unwrap();
    assert_eq!(shown["header"]["detail"]["summary"], summary);
    let book = tools::read_ledger(python, "xlsx", &stem.with_extension("xlsx"));
    check_layout(&book);
    check_against_json(&book, &json);
    let csv = tools::read_ledger(python, "csv", &stem.with_extension("csv"));
    assert_eq!(csv["bom"], false, "no byte-order mark unless asked");
    check_csv(&csv, sheet(&book, "Commitments"));
    for name in ["events", "sources", "about"] {
        let dir = tempfile::tempdir().unwrap();
        let args = ["--csv-sheet", name, "--csv-bom"];
        let stem = brief(data, as_of, "csv", dir.path(), &args);
        let csv = tools::read_ledger(python, "csv", &stem.with_extension("csv"));
        assert_eq!(csv["bom"], true, "--csv-bom");
        let mut title = name.to_string();
        title[..1].make_ascii_uppercase();
        check_csv(&csv, sheet(&book, &title));
    }
}

#[test]
fn every_commitment_event_and_source_of_the_examples_is_in_the_workbook_and_the_csv() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    check_dataset(
        &python,
        Path::new("examples/china-azerbaijan"),
        "2025-05-01",
        false,
    );
    check_dataset(
        &python,
        Path::new("examples/china-azerbaijan-history"),
        "2025-12-31",
        false,
    );
    // Spans, uncertain days, an undated source, third countries, organisations within and about.
    check_dataset(
        &python,
        Path::new("tests/fixtures/rich"),
        "2022-12-31",
        false,
    );
}

#[test]
fn a_generated_dataset_is_complete_in_the_workbook_even_when_the_briefing_is_a_summary() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ds = synthetic::generate(1_500, 7);
    std::fs::create_dir_all(dir.path().join("documents")).unwrap();
    std::fs::write(dir.path().join("dataset.toml"), &ds.manifest).unwrap();
    for (name, text) in &ds.documents {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    // Over 500 commitments: `auto` makes the briefing a summary; the ledger stays complete, with
    // the full briefing's numbers.
    check_dataset(&python, dir.path(), "2026-06-30", true);
}

#[test]
fn the_rich_fixture_keeps_what_its_dates_and_names_say() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let stem = brief(
        Path::new("tests/fixtures/rich"),
        "2022-12-31",
        "xlsx",
        out.path(),
        &[],
    );
    let book = tools::read_ledger(&python, "xlsx", &stem.with_extension("xlsx"));
    let commitments = rows(sheet(&book, "Commitments"));
    let kinds: Vec<&str> = commitments
        .iter()
        .map(|r| r["Date precision"]["v"].as_str().unwrap())
        .collect();
    for kind in ["day", "span"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let column = |name: &str| -> Vec<String> {
        commitments
            .iter()
            .filter_map(|r| r[name]["v"].as_str().map(str::to_string))
            .collect()
    };
    assert!(
        column("Targets").iter().any(|t| t.contains("Georgia")),
        "a third country by name"
    );
    assert!(!column("About").is_empty() && !column("Within").is_empty());
    assert!(
        column("All fields").iter().any(|f| f.contains("; ")),
        "several fields"
    );
    let sources = rows(sheet(&book, "Sources"));
    assert!(
        sources.iter().any(|s| s["Published"]["v"].is_null()),
        "an undated source has no invented date"
    );
}

#[test]
fn a_formula_in_a_summary_stays_text_in_both_formats() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    tools::copy_dir(Path::new("examples/china-azerbaijan"), dir.path());
    let hostile = r#"=HYPERLINK("http://x","y")"#;
    let docs = dir.path().join("documents");
    let file = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("[[commitments]]")
        })
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("summary = \"").unwrap();
    let end = at + text[at..].find('\n').unwrap();
    let edited = format!("{}summary = '{hostile}'{}", &text[..at], &text[end..]);
    std::fs::write(&file, edited).unwrap();
    let out = tempfile::tempdir().unwrap();
    let stem = brief(dir.path(), "2025-05-01", "xlsx,csv", out.path(), &[]);
    let book = tools::read_ledger(&python, "xlsx", &stem.with_extension("xlsx"));
    assert_eq!(book["formulas"], 0, "no formula element in any sheet");
    let row = rows(sheet(&book, "Commitments"))
        .into_iter()
        .find(|r| r["Summary"]["v"] == hostile)
        .expect("the summary, exactly as written");
    assert_eq!(row["Summary"]["t"], "s", "text, not a formula");
    assert_eq!(
        row["Summary"]["qp"], true,
        "quote prefix: stays text when edited"
    );
    let csv = tools::read_ledger(&python, "csv", &stem.with_extension("csv"));
    let cells: Vec<Vec<String>> = serde_json::from_value(csv["rows"].clone()).unwrap();
    assert!(
        cells.iter().flatten().any(|c| c == &format!("'{hostile}")),
        "the CSV cell starts with an apostrophe"
    );
    assert!(!cells.iter().flatten().any(|c| c == hostile));
}

#[test]
fn the_same_input_and_as_of_date_give_the_same_bytes() {
    let one = tempfile::tempdir().unwrap();
    let data = Path::new("examples/china-azerbaijan-history");
    let a = brief(data, "2025-12-31", "xlsx,csv", one.path(), &[]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // Then six at once: the workbook's sheets are filled on two threads, and a busy machine
    // must not change which format gets which number.
    let dirs: Vec<tempfile::TempDir> = (0..6).map(|_| tempfile::tempdir().unwrap()).collect();
    let runs: Vec<std::process::Child> = dirs
        .iter()
        .map(|d| {
            std::process::Command::new(env!("CARGO_BIN_EXE_bilateral"))
                .arg("brief")
                .arg(data)
                .args(["--as-of", "2025-12-31", "--format", "xlsx,csv", "--out"])
                .arg(d.path())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().unwrap().success());
    }
    let name = a.file_name().unwrap();
    for d in &dirs {
        for ext in ["xlsx", "csv"] {
            let x = std::fs::read(a.with_extension(ext)).unwrap();
            let y = std::fs::read(d.path().join(name).with_extension(ext)).unwrap();
            assert!(x == y, "{ext} differs between two runs");
        }
    }
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let book = tools::read_ledger(&python, "xlsx", &a.with_extension("xlsx"));
    assert_eq!(
        book["created"], "2025-12-31 00:00:00",
        "created on the as-of date"
    );
    assert_eq!(
        book["zip_times"],
        serde_json::json!([[1980, 1, 1, 0, 0, 0]])
    );
    assert_eq!(
        book["title"], "China–Azerbaijan, 2015–2025",
        "the dataset's title"
    );
}

#[test]
fn headings_come_from_ledger_toml_and_a_bad_key_is_named() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let templates = tempfile::tempdir().unwrap();
    let toml = templates.path().join("ledger.toml");
    std::fs::write(
        &toml,
        "[sheets]\ncommitments = \"Engagements\"\n[commitments]\nsummary = \"Résumé\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = templates.path().to_str().unwrap();
    let stem = brief(
        Path::new("examples/china-azerbaijan"),
        "2025-05-01",
        "xlsx",
        out.path(),
        &["--templates", dir],
    );
    let book = tools::read_ledger(&python, "xlsx", &stem.with_extension("xlsx"));
    let first = rows(sheet(&book, "Engagements"));
    assert!(first[0].contains_key("Résumé") && first[0].contains_key("Status"));

    std::fs::write(&toml, "[commitments]\nsumary = \"x\"\n").unwrap();
    let output = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args(["--format", "xlsx", "--templates", dir, "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("ledger.toml") && err.contains("unknown key `commitments.sumary`"),
        "{err}"
    );
}

#[test]
fn an_email_can_attach_the_workbook() {
    let out = tempfile::tempdir().unwrap();
    let eml = out.path().join("b.eml");
    bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args(["--format", "md", "--out"])
        .arg(out.path())
        .arg("--eml")
        .arg(&eml)
        .arg("--eml-xlsx")
        .assert()
        .success();
    let raw = std::fs::read(&eml).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    let parts: Vec<(String, Vec<u8>)> = mail
        .subparts
        .iter()
        .skip(1)
        .map(|p| (p.ctype.mimetype.clone(), p.get_body_raw().unwrap()))
        .collect();
    let xlsx = parts
        .iter()
        .find(|(t, _)| t == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .expect("the workbook attached");
    assert!(xlsx.1.starts_with(b"PK"), "a zip container");
    let text = mail.subparts[0].subparts[0].get_body().unwrap();
    assert!(
        text.contains("briefing-cn-az-2025-05-01.xlsx (XLSX"),
        "the body lists it: {text}"
    );
}
