//! Targets with numbers, companies and third countries (#32), on `tests/fixtures/targets`: a
//! trade target with figures over four years (one published late, one revised), an
//! entity-to-entity commitment, a trilateral memorandum and commitments of each strength. The
//! briefing is read as a user gets it: Markdown, the PDF's text, the JSON, the page as headless
//! Chromium renders it, and the workbook as openpyxl reads it.

mod tools;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const DATA: &str = "tests/fixtures/targets";

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// `brief` as of `as_of` in `format`, written to standard output.
fn brief(as_of: &str, format: &str, args: &[&str]) -> Vec<u8> {
    let out = bilateral()
        .args([
            "brief", DATA, "--as-of", as_of, "--format", format, "-o", "-",
        ])
        .args(args)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

fn markdown(as_of: &str) -> String {
    String::from_utf8(brief(as_of, "md", &[])).unwrap()
}

#[test]
fn the_markdown_words_targets_entities_co_parties_and_strength() {
    let md = markdown("2026-12-01");
    for needle in [
        "## Targets",
        "### [C1](#c1) · Trade turnover: 1 billion USD a year by 2026",
        "Latest figure: 900 million USD, 90% of the target. Up 20% on the figure before. **On track:** the trend gives 1\\.07 billion USD by 2026.",
        "| 2024 | 750 million USD (revised from 700 million USD) | 75 | 20 June 2025 \\[[5](#source-5)\\] |",
        "- **2024** · 750 million USD. Note: Revised after re-exports were counted. \\[[5](#source-5)\\]",
        "  > “Trade turnover reached 900 million dollars in 2025.”",
        "Figures in USD as reported for each period, never converted (goods only, customs statistics, current prices).",
        "**Missed:** the deadline, 2025, has passed short of the target.",
        "<!-- pdf:chart 3 line 100 -->",
        // An entity to an entity, counted under its country.
        "KazMunayGas (Kazakhstan) → SOCAR (Azerbaijan): KazMunayGas will ship oil",
        "| Kazakhstan | 2 | 0 |",
        // A trilateral memorandum: the commitment says so, the document too, and reciprocity
        // counts it and says it is not the pair's alone.
        "Both sides (with Uzbekistan): Both sides will build a green energy corridor.",
        "*Memorandum on the green energy corridor*, with Uzbekistan",
        "Counted here though made together with third countries: 1 jointly.",
        // `co_parties = []` in a trilateral document: the pair's alone.
        "Azerbaijan → Kazakhstan: Azerbaijan will fund the corridor's feasibility study. *(stated; signed;",
        // Every strength, from the document's kind and the action, or set.
        "*(stated; political commitment;",
        "*(stated; proposal;",
        "*(stated; readiness expressed;",
        "*(in progress; in force;",
        "Stated, now ratified: Parliament ratified",
        "now in force (by KazMunayGas)",
        "By how binding they are now: 1 in force, 2 signed, 1 political commitment, 1 expression of readiness and 1 proposal; 1 binds the parties in law.",
        "Of 2 targets set in figures, 1 is on track and 1 was missed (see Targets).",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in:\n{md}");
    }
}

#[test]
fn a_figure_is_shown_only_from_its_publication() {
    // Before the 2025 figure was published (late, in September 2026): the revised 2024 one.
    let spring = markdown("2026-03-01");
    assert!(!spring.contains("900 million"), "{spring}");
    assert!(!spring.contains("Trade turnover reached 900"), "{spring}");
    assert!(spring.contains("Latest figure: 750 million USD, 75% of the target."));
    // Before the revision was published: the first report of 2024, not yet revised.
    let early = markdown("2025-03-01");
    assert!(early.contains("| 2024 | 700 million USD | 70 |"), "{early}");
    assert!(!early.contains("750 million") && !early.contains("revised from"));
    // Before the ratification: the agreement is signed, not yet binding.
    assert!(early.contains("*(stated; ratified;") || early.contains("now ratified"));
    let before = markdown("2025-01-01");
    assert!(before.contains(
        "KazMunayGas will ship oil through SOCAR's pipeline to Ceyhan. *(stated; signed;"
    ));
    assert!(before.contains("none is yet binding in law"), "{before}");
    // Before any figure: the target stands alone.
    let first = markdown("2022-12-31");
    assert!(first.contains("No figure reported yet."), "{first}");
}

#[test]
fn a_summary_lists_each_targets_latest_figures_and_judges_on_all() {
    let md = String::from_utf8(brief(
        "2026-12-01",
        "md",
        &["--detail", "summary", "--per-list", "2"],
    ))
    .unwrap();
    assert!(
        md.contains("*And 2 earlier figures, not listed in this summary.*"),
        "{md}"
    );
    assert!(!md.contains("| 2022 | 400 million USD"), "{md}");
    // The share, the change and the projection still rest on all four years.
    assert!(md.contains("**On track:** the trend gives 1\\.07 billion USD by 2026."));
}

#[test]
fn the_json_carries_the_facts() {
    let json: Value = serde_json::from_slice(&brief("2026-12-01", "json", &[])).unwrap();
    let items = json["targets"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let trade = &items[0];
    assert_eq!(trade["target"]["measure"], "trade-turnover");
    assert_eq!(trade["target"]["basis"], "annual");
    assert_eq!(trade["reached"], 900_000_000.0);
    assert_eq!(trade["share"], 90.0);
    assert_eq!(trade["trend"], "rising");
    assert_eq!(trade["track"], "on-track");
    let periods: Vec<&str> = trade["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2022", "2023", "2024", "2025"]);
    assert_eq!(trade["measurements"][2]["revised_from"], 700_000_000.0);
    assert_eq!(items[1]["track"], "missed");
    let c3 = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["commitments"].as_array().unwrap())
        .find(|c| c["number"] == 3)
        .unwrap();
    assert_eq!(c3["who"]["actor"], "KZ");
    assert_eq!(c3["who"]["actor_entity"], "kmg");
    assert_eq!(c3["who"]["targets"], serde_json::json!(["socar"]));
    assert_eq!(
        (c3["stated_strength"].as_str(), c3["strength"].as_str()),
        (Some("signed"), Some("in-force"))
    );
    assert_eq!(json["bottom_line"]["binding"], 1);
    assert_eq!(json["reciprocity"]["mutual_with_others"], 1);
    // Weighted: the in-force commitment counts twice, the proposal half.
    assert!(json["scores"]["overall"]["weighted"].is_number());
}

#[test]
fn an_entity_filter_keeps_what_it_makes_or_is_addressed() {
    let md = String::from_utf8(brief("2026-12-01", "md", &["--entity", "socar"])).unwrap();
    assert!(md.contains("- **Entity:** commitments SOCAR makes or is addressed"));
    assert!(md.contains("KazMunayGas (Kazakhstan) → SOCAR"));
    assert!(!md.contains("green energy corridor"));
    let out = bilateral()
        .args([
            "brief",
            DATA,
            "--as-of",
            "2026-12-01",
            "--entity",
            "cnpc",
            "-o",
            "-",
        ])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("unknown entity `cnpc`; known entities: socar, kmg"),
        "{err}"
    );
}

#[test]
fn the_pdf_text_has_the_targets_and_their_chart() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("b.pdf");
    bilateral()
        .args([
            "brief",
            DATA,
            "--as-of",
            "2026-12-01",
            "--format",
            "pdf",
            "-o",
        ])
        .arg(&pdf)
        .assert()
        .success();
    let Some(text) = tools::pdftotext(&pdf) else {
        return;
    };
    for needle in [
        "Targets",
        "C1 · Trade turnover: 1 billion USD a year by 2026",
        "On track:",
        "750 million USD (revised from 700 million USD)",
        // The chart's caption, under it.
        "Trade turnover against the target of C1",
        "KazMunayGas (Kazakhstan) → SOCAR (Azerbaijan)",
        "Both sides (with Uzbekistan)",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn the_page_shows_the_targets_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("b.html");
    std::fs::write(&page, brief("2026-12-01", "html", &[])).unwrap();
    let Some(dom) = tools::chromium_dom(&format!("file://{}", page.display())) else {
        return;
    };
    let doc = scraper::Html::parse_document(&dom);
    let h2: Vec<String> = doc
        .select(&scraper::Selector::parse("h2").unwrap())
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(h2.iter().any(|h| h == "Targets"), "{h2:?}");
    let cells: Vec<String> = doc
        .select(&scraper::Selector::parse("td").unwrap())
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(cells.iter().any(|c| c == "900 million USD"), "{cells:?}");
}

#[test]
fn the_workbook_has_a_measurements_sheet() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    bilateral()
        .args([
            "brief",
            DATA,
            "--as-of",
            "2026-12-01",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(dir.path().join("b.xlsx"))
        .assert()
        .success();
    let book = tools::read_ledger(&python, "xlsx", &dir.path().join("b.xlsx"));
    let sheet = |name: &str| {
        book["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no sheet {name}"))
            .clone()
    };
    let m = sheet("Measurements");
    let rows = m["rows"].as_array().unwrap();
    let head: Vec<&str> = rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["v"].as_str().unwrap())
        .collect();
    let col = |h: &str| head.iter().position(|x| *x == h).unwrap();
    // Six figures, the first 2024 report superseded by the revision.
    assert_eq!(rows.len(), 7);
    let superseded: Vec<(f64, bool)> = rows[1..]
        .iter()
        .filter(|r| {
            r[col("Measure ID")]["v"] == "trade-turnover" && r[col("Period")]["v"] == "2024"
        })
        .map(|r| {
            (
                r[col("Value")]["v"].as_f64().unwrap(),
                r[col("Superseded")]["v"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(superseded, [(700_000_000.0, true), (750_000_000.0, false)]);
    assert_eq!(rows[1][col("Value")]["t"], "n", "a figure is a number");
    let c = sheet("Commitments");
    let rows = c["rows"].as_array().unwrap();
    let head: Vec<&str> = rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["v"].as_str().unwrap())
        .collect();
    let col = |h: &str| head.iter().position(|x| *x == h).unwrap();
    let c3 = rows.iter().find(|r| r[0]["v"] == 3.0).unwrap();
    assert_eq!(c3[col("Actor")]["v"], "KazMunayGas (Kazakhstan)");
    assert_eq!(c3[col("Targets")]["v"], "SOCAR (Azerbaijan)");
    assert_eq!(c3[col("Strength")]["v"], "in-force");
    assert_eq!(c3[col("Target")]["v"], 1_500_000.0);
    let c5 = rows.iter().find(|r| r[0]["v"] == 5.0).unwrap();
    assert_eq!(c5[col("With (third countries)")]["v"], "Uzbekistan");
}

#[test]
fn every_dataset_valid_before_stays_valid() {
    for data in [
        "examples/china-azerbaijan",
        "examples/china-azerbaijan-history",
        "tests/fixtures/rich",
    ] {
        bilateral().args(["check", data]).assert().success();
    }
    assert!(Path::new(DATA).join("numbers.toml").exists());
}

#[test]
fn a_scheduled_briefing_reports_new_and_revised_figures() {
    let dir = tempfile::tempdir().unwrap();
    tools::copy_dir(Path::new(DATA), &dir.path().join("data"));
    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[jobs]]\nname = \"monthly\"\ndataset = \"data\"\nschedule = \"0 7 1 * *\"\nperiod = \"since-last-run\"\nformats = [\"md\", \"json\"]\noutput = \"out/{as_of}\"\n",
    )
    .unwrap();
    let run = |as_of: &str| {
        bilateral()
            .arg("run")
            .arg(&jobs)
            .args(["--job", "monthly", "--as-of", as_of])
            .assert()
            .success();
        std::fs::read_to_string(dir.path().join(format!("out/{as_of}.md"))).unwrap()
    };
    run("2025-03-01");
    // The 2024 figure revised in June 2025.
    let md = run("2025-07-01");
    assert!(
        md.contains("- **Trade turnover, 2024** · 750 million USD (revised from 700 million USD), known from 20 June 2025"),
        "{md}"
    );
    assert!(md.contains("1 new or revised figure"), "{md}");
    run("2026-03-01");
    // The 2025 figure, published late, in September 2026.
    let md = run("2026-12-01");
    assert!(
        md.contains("- **Trade turnover, 2025** · 900 million USD, known from 1 September 2026"),
        "{md}"
    );
    assert!(
        !md.contains("Trade turnover, 2024** ·"),
        "shown before: {md}"
    );
}

/// The Kazakhstan–Azerbaijan example, from public reports: targets, companies, a trilateral
/// agreement, figures from several sources, and pages without a date known only from the day
/// they were read.
#[test]
fn the_kazakhstan_azerbaijan_example_reads_as_its_sources_say() {
    let data = "examples/kazakhstan-azerbaijan";
    bilateral().args(["check", data]).assert().success();
    let brief_at = |as_of: &str| {
        let out = bilateral()
            .args(["brief", data, "--as-of", as_of, "--format", "md", "-o", "-"])
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let now = brief_at("2026-12-07");
    for needle in [
        "### [C3](#c3) · Trade turnover: 1 billion USD a year",
        "Latest figure: 529\\.4 million USD, 52\\.9% of the target. Up 15\\.1% on the figure before. No deadline is set.",
        "Figures for other periods, not compared with the target:",
        "- **H1 2024** · 280\\.6 million USD, known from 8 August 2024",
        "KazMunayGas (Kazakhstan) → SOCAR (Azerbaijan): KazMunayGas will ship 1.5 million tonnes",
        "Both sides (with Uzbekistan): The three governments will develop green energy",
        "Kazakhtelecom (Kazakhstan) → AzerTelecom (Azerbaijan)",
    ] {
        assert!(now.contains(needle), "missing {needle:?} in:\n{now}");
    }
    // The 2.2-million-tonne agreement rests on a page without a date, read on 7 December 2026:
    // a briefing of 2025 shows KazMunayGas's stated plan (readiness), not the agreement.
    let before = brief_at("2025-06-30");
    assert!(
        before.contains("KazMunayGas plans to sign with SOCAR"),
        "{before}"
    );
    assert!(
        before.contains("*(stated; readiness expressed;"),
        "{before}"
    );
    assert!(!before.contains("2\\.2 million t"), "{before}");
    // Nor the figure of January–April 2023, which only that undated government page gives.
    assert!(!before.contains("January–April 2023"), "{before}");
}

#[test]
fn a_job_may_follow_one_entity() {
    let dir = tempfile::tempdir().unwrap();
    tools::copy_dir(Path::new(DATA), &dir.path().join("data"));
    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[jobs]]\nname = \"socar\"\ndataset = \"data\"\nschedule = \"0 7 1 * *\"\nperiod = \"all\"\nentity = \"socar\"\nformats = [\"md\"]\noutput = \"out/{job}-{as_of}\"\n\n[[jobs]]\nname = \"cnpc\"\ndataset = \"data\"\nschedule = \"0 7 1 * *\"\nperiod = \"all\"\nentity = \"cnpc\"\nformats = [\"md\"]\noutput = \"out/{job}-{as_of}\"\n",
    )
    .unwrap();
    let out = bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--as-of", "2026-12-01"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("unknown entity `cnpc`; known entities: socar, kmg"),
        "{err}"
    );
    // The other job ran all the same, with its filter.
    let md = std::fs::read_to_string(dir.path().join("out/socar-2026-12-01.md")).unwrap();
    assert!(
        md.contains("- **Entity:** commitments SOCAR makes or is addressed"),
        "{md}"
    );
    assert!(!md.contains("green energy corridor"), "{md}");
}
