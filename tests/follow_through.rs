//! Commitments over time, as a user meets them: statuses follow the events known by the as-of
//! date, overdue and soon-due pledges are flagged and listed, linked commitments read as chains,
//! the follow-through score is in every format (Markdown, JSON, PDF text, HTML in Chromium), and a
//! scheduled `since-last-run` job reports late news, new follow-through and removed records.

mod tools;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

const MANIFEST: &str = r#"[[parties]]
code = "AZ"
name = "Azerbaijan"
[[parties]]
code = "CN"
name = "China"
[[organisations]]
id = "sco"
name = "Shanghai Cooperation Organisation"
short = "SCO"
"#;

fn source(date: &str) -> String {
    format!("[[sources]]\npublisher = \"Agency {date}\"\npublished = \"{date}\"\nlanguage = \"en\"\nreliability = \"official\"\n")
}

fn doc(id: &str, date: &str, published: &str, body: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"Document {id}\"\nkind = \"joint-statement\"\ndate = \"{date}\"\nparties = [\"AZ\", \"CN\"]\n{}{body}",
        source(published)
    )
}

fn commitment(id: &str, field: &str, extra: &str) -> String {
    format!("[[commitments]]\nid = \"{id}\"\nmutual = true\nfield = \"{field}\"\naction = \"cooperate\"\nsummary = \"Pledge {id}.\"\n{extra}\n")
}

fn event(commitment: &str, status: &str, extra: &str) -> String {
    format!("[[events]]\ncommitment = \"{commitment}\"\nstatus = \"{status}\"\nsummary = \"Event on {commitment}: {status}.\"\n{extra}\n")
}

/// A dataset from July 2024 to August 2025, with a late report (dated March 2025, first
/// published in August 2025).
fn dataset(dir: &Path) -> PathBuf {
    let root = dir.join("data");
    let docs = root.join("documents");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(root.join("dataset.toml"), MANIFEST).unwrap();
    let files = [
        (
            "2024-07",
            doc(
                "d2024",
                "2024-07-03",
                "2024-07-03",
                &[
                    commitment(
                        "partnership-2024",
                        "political-dialogue",
                        "partnership = \"strategic partnership\"",
                    ),
                    "[[commitments]]\nid = \"sco-2024\"\nactor = \"CN\"\nwithin = \"sco\"\nfield = \"multilateral\"\naction = \"support\"\nsummary = \"China supports Azerbaijan's status in the SCO.\"\n".to_string(),
                    commitment("railway", "transport-connectivity", "due = \"2025-06\""),
                    commitment("trade", "economy-trade", "due = \"2024\""),
                    commitment("visa", "people-to-people", ""),
                ]
                .concat(),
            ),
        ),
        (
            "2025-04",
            doc(
                "d2025-04",
                "2025-04-23",
                "2025-04-24",
                &[
                    commitment(
                        "partnership-2025",
                        "political-dialogue",
                        "partnership = \"comprehensive strategic partnership\"\nupgrades = \"partnership-2024\"",
                    ),
                    "[[commitments]]\nid = \"sco-2025\"\nactor = \"CN\"\nwithin = \"sco\"\nfield = \"multilateral\"\naction = \"support\"\nsummary = \"China again supports Azerbaijan's status in the SCO.\"\nrepeats = \"sco-2024\"\n".to_string(),
                    commitment("soon", "energy", "due = \"2025-09-15\""),
                ]
                .concat(),
            ),
        ),
        (
            "2025-05-30",
            doc("d2025-05-30", "2025-05-30", "2025-05-30", &event("visa", "in-progress", "")),
        ),
        (
            "2025-07-16",
            doc(
                "d2025-07-16",
                "2025-07-16",
                "2025-07-16",
                &event("visa", "implemented", "quote = \"The agreement entered into force today.\""),
            ),
        ),
        (
            "2025-08-31",
            doc(
                "d2025-08-31",
                "2025-08-31",
                "2025-08-31",
                &[
                    "[[commitments]]\nid = \"sco-join\"\nactor = \"CN\"\nwithin = \"sco\"\nfield = \"multilateral\"\naction = \"support\"\nsummary = \"China supports Azerbaijan joining the SCO.\"\nupgrades = \"sco-2025\"\n".to_string(),
                    event("railway", "stalled", "date = \"2025-08-20\""),
                ]
                .concat(),
            ),
        ),
        (
            "2025-03-late",
            doc(
                "d2025-03-late",
                "2025-03-10",
                "2025-08-05",
                &commitment("late-pledge", "science-technology", ""),
            ),
        ),
    ];
    for (name, text) in files {
        std::fs::write(docs.join(format!("{name}.toml")), text).unwrap();
    }
    root
}

fn brief(data: &Path, as_of: &str, format: &str) -> String {
    let out = bilateral()
        .arg("brief")
        .arg(data)
        .args(["--as-of", as_of, "--format", format, "-o", "-"])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn json(data: &Path, as_of: &str) -> serde_json::Value {
    serde_json::from_str(&brief(data, as_of, "json")).unwrap()
}

/// The commitment `id` as the briefing lists it under its field.
fn item<'v>(v: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["commitments"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not listed"))
}

fn section<'m>(md: &'m str, heading: &str) -> &'m str {
    let start = md
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading}:\n{md}"));
    let rest = &md[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

#[test]
fn a_status_follows_the_events_known_by_the_as_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    bilateral().arg("check").arg(&data).assert().success();

    // Before the entry into force: in progress, with one event in its history.
    let v = json(&data, "2025-07-01");
    let visa = item(&v, "visa");
    assert_eq!(visa["status"], "in-progress");
    assert_eq!(visa["stated_status"], "stated");
    assert_eq!(visa["events"].as_array().unwrap().len(), 1);
    assert_eq!(visa["score"], 0);
    // The late report is not known yet, and nothing published later is cited.
    assert!(v["ledger"]["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != "late-pledge"));
    assert_eq!(v["header"]["data_cutoff"], "2025-05-30");
    for s in v["sources"].as_array().unwrap() {
        assert!(s["published"].as_str().unwrap() <= "2025-07-01", "{s}");
    }

    // After it: implemented, scored +1, and its history shows both events with their dates.
    let v = json(&data, "2025-07-20");
    let visa = item(&v, "visa");
    assert_eq!(visa["status"], "implemented");
    assert_eq!(visa["score"], 1);
    let events = visa["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (&events[1]["date"], &events[1]["known"], &events[1]["from"]),
        (
            &serde_json::json!("2025-07-16"),
            &serde_json::json!("2025-07-16"),
            &serde_json::json!("in-progress")
        )
    );
    let md = brief(&data, "2025-07-20", "md");
    assert!(
        md.contains("Follow-through: 30 May 2025, in progress: Event on visa: in-progress.")
            && md.contains("Then: 16 July 2025, implemented: Event on visa: implemented."),
        "{md}"
    );
    let follow = section(&md, "Follow-through");
    assert!(
        follow.contains("**16 July 2025** · Implemented (was in progress)"),
        "{follow}"
    );
    assert!(
        follow.contains("> “The agreement entered into force today.”"),
        "{follow}"
    );
    // The bottom line leads with what moved.
    let bottom = section(&md, "Bottom line up front");
    assert!(
        bottom.contains("The relationship was raised from a strategic partnership (3 July 2024) to a comprehensive strategic partnership (23 April 2025)"),
        "{bottom}"
    );
    assert!(
        bottom.contains("1 pledge was implemented in the period: Pledge visa (16 July 2025)"),
        "{bottom}"
    );
    let moved = bottom.find("was raised from").unwrap();
    let counts = bottom.find("documents record").unwrap();
    assert!(moved < counts, "upgrades come before the counts: {bottom}");
}

#[test]
fn overdue_and_due_soon_are_flagged_in_place_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    // "Due 2024" is not overdue on the last day of 2024, and is from 1 January 2025.
    let v = json(&data, "2024-12-31");
    assert_eq!(item(&v, "trade")["overdue"], false);
    assert_eq!(v["deadlines"]["overdue_count"], 0);
    let v = json(&data, "2025-01-01");
    assert_eq!(item(&v, "trade")["overdue"], true);
    assert_eq!(item(&v, "trade")["score"], -1);

    let v = json(&data, "2025-07-01");
    let ids = |list: &str| -> Vec<String> {
        v["deadlines"][list]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids("overdue"),
        ["trade", "railway"],
        "longest overdue first"
    );
    assert_eq!(ids("due_soon"), ["soon"]);
    assert_eq!(v["bottom_line"]["overdue"]["count"], 2);

    let md = brief(&data, "2025-07-01", "md");
    let deadlines = section(&md, "Deadlines");
    assert!(
        deadlines.contains("2 are overdue") && deadlines.contains("1 falls due within 90 days"),
        "{deadlines}"
    );
    assert!(
        deadlines.contains("- **Due 2024** · [C4](#c4) · Both sides: Pledge trade."),
        "{deadlines}"
    );
    assert!(deadlines.contains("### Due soon"), "{deadlines}");
    // The Deadlines section comes right after the bottom line.
    assert!(md.find("## Deadlines").unwrap() < md.find("## Follow-through").unwrap());
    // Flagged where listed.
    assert!(
        md.contains(
            "Pledge railway. *(stated, due June 2025; political commitment; single source; score −1)* **Overdue.**"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "Pledge soon. *(stated, due 15 September 2025; political commitment; single source; score 0)* **Due soon.**"
        ),
        "{md}"
    );
    // A shorter horizon leaves it out.
    let short = bilateral()
        .arg("brief")
        .arg(&data)
        .args([
            "--as-of",
            "2025-07-01",
            "--due-soon",
            "30",
            "--format",
            "json",
            "-o",
            "-",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&short.get_output().stdout).unwrap();
    assert_eq!(v["deadlines"]["due_soon_count"], 0);
    assert_eq!(v["deadlines"]["horizon_days"], 30);
    // A stalled railway is no longer "overdue": it is stalled, and scores −1 for that.
    let v = json(&data, "2025-09-01");
    assert_eq!(item(&v, "railway")["status"], "stalled");
    assert_eq!(item(&v, "railway")["overdue"], true);
}

#[test]
fn linked_commitments_read_as_chains_and_say_they_were_followed_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let md = brief(&data, "2025-09-01", "md");
    let lineage = section(&md, "Lineage");
    // One chain, oldest first: each step on its own line, dated, related and cited.
    let steps = [
        "- **[C2](#c2) · 3 July 2024** · China → Azerbaijan (within the SCO): China supports Azerbaijan's status in the SCO. *(stated)* \\[[1](#source-1)\\]\\",
        "  → **[C7](#c7) · 23 April 2025** · Repeats: China → Azerbaijan (within the SCO): China again supports Azerbaijan's status in the SCO. *(stated)* \\[",
        "  → **[C10](#c10) · 31 August 2025** · Upgrades: China → Azerbaijan (within the SCO): China supports Azerbaijan joining the SCO. *(stated)* \\[",
    ];
    let at = lineage
        .find(steps[0])
        .unwrap_or_else(|| panic!("{lineage}"));
    let lines: Vec<&str> = lineage[at..].lines().take(3).collect();
    for (line, step) in lines.iter().zip(steps) {
        assert!(line.starts_with(step), "{line}\n  is not\n{step}");
    }
    // Each step names what followed it where it is listed.
    assert!(md.contains("China supports Azerbaijan's status in the SCO. *(stated; political commitment; single source; score 0)* \\[[1](#source-1)\\]\\\n  Later repeated on 23 April 2025 ([C7](#c7))."), "{md}");
    // A period after the first step marks it as outside the period.
    let out = bilateral()
        .arg("brief")
        .arg(&data)
        .args(["--as-of", "2025-09-01", "--since", "2025-01", "-o", "-"])
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lineage = section(&md, "Lineage");
    assert!(
        lineage.contains("China supports Azerbaijan's status in the SCO. *(stated)* \\[")
            && lineage.contains("*(outside the period)*"),
        "{lineage}"
    );
    let v: serde_json::Value = serde_json::from_str(&brief(&data, "2025-09-01", "json")).unwrap();
    let steps = v["lineage"][0]["steps"].as_array().unwrap();
    assert_eq!(
        steps.len(),
        2,
        "the partnership chain first (3 July 2024, id order)"
    );
    let sco = v["lineage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["steps"][0]["commitment"]["id"] == "sco-2024")
        .unwrap();
    let relations: Vec<&serde_json::Value> = sco["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["relation"])
        .collect();
    assert_eq!(
        relations,
        [
            &serde_json::Value::Null,
            &serde_json::json!("repeats"),
            &serde_json::json!("upgrades")
        ]
    );
    assert_eq!(v["bottom_line"]["most_repeated"]["times"], 2);
}

#[test]
fn the_score_and_the_follow_through_are_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let v = json(&data, "2025-09-01");
    let field_score = |field: &str| -> serde_json::Value {
        let fields = v["scores"]["by_field"].as_array().unwrap();
        fields.iter().find(|f| f["field"] == field).unwrap()["score"].clone()
    };
    let people = field_score("people-to-people");
    assert_eq!(people["average"], 1.0);
    assert_eq!(people["count"], 1);
    assert_eq!(field_score("transport-connectivity")["average"], -1.0);

    let out = dir.path().join("out");
    bilateral()
        .arg("brief")
        .arg(&data)
        .args(["--as-of", "2025-09-01", "--format", "md,pdf,html", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stem = out.join("briefing-az-cn-2025-09-01");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    assert!(
        md.contains("| People-to-people | +1.00 | 1 | 1 | 0 | 0 |"),
        "{md}"
    );
    assert!(
        md.contains("| Transport and connectivity | −1.00 | 1 | 0 | 0 | 1 |"),
        "{md}"
    );
    let wanted = [
        "Follow-through score",
        "+1.00",
        "−1.00",
        "Pledge railway.",
        "Overdue.",
        "Event on visa: implemented.",
        "Repeats:",
    ];
    if let Some(pdf) = tools::pdftotext(&stem.with_extension("pdf")) {
        let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        for w in wanted {
            assert!(flat.contains(w), "PDF lacks {w}: {flat}");
        }
        // The chart of the scores prints each field with its average.
        assert!(
            flat.contains("Average follow-through score in each field"),
            "{flat}"
        );
        assert!(flat.contains("People-to-people +1.00"), "{flat}");
    }
    let url = format!("file://{}", stem.with_extension("html").display());
    if let Some(dom) = tools::chromium_dom(&url) {
        for w in wanted {
            assert!(dom.contains(w), "HTML lacks {w}");
        }
        assert!(
            dom.contains("Deadlines") && dom.contains("Lineage"),
            "{dom}"
        );
    }
}

fn run_job(jobs: &Path, as_of: &str) {
    bilateral()
        .arg("run")
        .arg(jobs)
        .args(["--job", "weekly", "--as-of", as_of])
        .assert()
        .success();
}

#[test]
fn a_since_last_run_job_reports_late_news_new_follow_through_and_removed_records() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[jobs]]\nname = \"weekly\"\ndataset = \"data\"\nschedule = \"0 7 * * MON\"\nperiod = \"since-last-run\"\nformats = [\"md\", \"json\"]\noutput = \"out/{as_of}\"\n",
    )
    .unwrap();
    run_job(&jobs, "2025-07-01");
    let first = std::fs::read_to_string(dir.path().join("out/2025-07-01.md")).unwrap();
    assert!(!first.contains("Pledge late-pledge"), "not known yet");

    run_job(&jobs, "2025-08-10");
    let md = std::fs::read_to_string(dir.path().join("out/2025-08-10.md")).unwrap();
    let changes = section(&md, "Changes since the last briefing");
    // The implemented event, dated after the last briefing: new follow-through.
    let follow = &changes[changes.find("### New follow-through").expect(changes)..];
    assert!(
        follow.contains("**16 July 2025** · Implements: Pledge visa. (3 July 2024)"),
        "{changes}"
    );
    // The late report, dated March but first published in August: reported late, and listed.
    let late = &changes[changes.find("### Reported late").expect(changes)..];
    assert!(late.contains("Pledge late-pledge."), "{changes}");
    assert!(
        md.contains("### Science and technology"),
        "the late pledge is in the briefing: {md}"
    );
    assert!(
        md.contains("and what was first published after 1 July 2025"),
        "the header says so: {md}"
    );

    // A document removed from the dataset: its records are reported as gone.
    std::fs::remove_file(data.join("documents/2025-03-late.toml")).unwrap();
    run_job(&jobs, "2025-08-20");
    let md = std::fs::read_to_string(dir.path().join("out/2025-08-20.md")).unwrap();
    let changes = section(&md, "Changes since the last briefing");
    assert!(
        changes.contains("### No longer in the dataset")
            && changes.contains("Commitment `late-pledge`: Pledge late-pledge."),
        "{changes}"
    );
}
