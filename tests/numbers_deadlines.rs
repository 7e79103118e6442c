//! Permanent commitment numbers and deadlines, as a desk relies on them. A commitment's number
//! (C12) is how analysts cite it across briefings, so it must never depend on the briefing: every
//! as-of date, period, field and party filter, detail level and format (Markdown, JSON, CSV
//! ledger), and every scheduled `since-last-run` run, must give each commitment the number the
//! register (`numbers.toml`, written by `bilateral number`) holds, and never give one number to
//! two commitments; a commitment the register lacks gets a provisional number after the highest
//! registered one (and `bilateral check` warns), which `bilateral number` then keeps. Deadlines:
//! due dates of every precision (year, half, quarter, month, day) are "due soon" from 90 days
//! before their last day and overdue the day after it, and an event that moves a deadline counts
//! only once it is both known and dated.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

const MANIFEST: &str = "[[parties]]\ncode = \"AZ\"\nname = \"Azerbaijan\"\n\n[[parties]]\ncode = \"CN\"\nname = \"China\"\n";

/// A document of the pair, with one source per `(id, published)`.
fn document(id: &str, date: &str, sources: &[(&str, &str)], body: &str) -> String {
    let mut text = format!(
        "id = \"{id}\"\ntitle = \"Document {id}\"\nkind = \"joint-statement\"\ndate = \"{date}\"\nparties = [\"AZ\", \"CN\"]\n\n"
    );
    for (source, published) in sources {
        text.push_str(&format!(
            "[[sources]]\nid = \"{source}\"\npublisher = \"Agency {source}\"\npublished = \"{published}\"\nlanguage = \"en\"\nreliability = \"official\"\n\n"
        ));
    }
    text + body
}

/// The commitment id of a token ("Alpha" is `nd-alpha`); its summary is "Pledge Alpha.", so the
/// token finds it in any rendering.
fn id_of(token: &str) -> String {
    format!("nd-{}", token.to_lowercase())
}

/// A commitment by `actor` (jointly when None) in `fields` (the first is the primary one).
fn pledge(token: &str, actor: Option<&str>, fields: &[&str], extra: &str) -> String {
    let who = match actor {
        Some(code) => format!("actor = \"{code}\""),
        None => "mutual = true".to_string(),
    };
    let field = match fields {
        [one] => format!("field = \"{one}\""),
        many => format!(
            "fields = [{}]",
            many.iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "[[commitments]]\nid = \"{}\"\n{who}\n{field}\naction = \"cooperate\"\nsummary = \"Pledge {token}.\"\n{extra}\n",
        id_of(token)
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

const TOKENS: [&str; 12] = [
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
    "Kilo", "Lima",
];

/// The last document of the first dataset, with India (dated on the document's day) before
/// Juliett (dated earlier, known the same day), and follow-through on Alpha; `with_india =
/// false` deletes India.
fn march_2025(with_india: bool) -> String {
    let india = if with_india {
        pledge("India", None, &["security"], "")
    } else {
        String::new()
    };
    document(
        "d-2025-03",
        "2025-03-15",
        &[("march", "2025-03-15")],
        &(india
            + &pledge("Juliett", Some("CN"), &["economy-trade"], "date = \"2025-03-01\"")
            + "[[events]]\ncommitment = \"nd-alpha\"\nstatus = \"in-progress\"\nsummary = \"Work began.\"\n"),
    )
}

/// Four documents, ten commitments, known from March 2024 to March 2025. The register's order
/// (by first known date, then date, then dataset order) differs from date order: the
/// "backfilled" document is dated January 2024 (the earliest) but first published in February
/// 2025; Foxtrot rests on a source published three months after its document; Juliett is dated
/// before India but listed after it, and both are known the same day. Alpha and Charlie fall
/// due, so later briefings list them as overdue whatever their period.
fn numbers_dataset(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    write(&data.join("dataset.toml"), MANIFEST);
    write(
        &data.join("documents/a-2024-03.toml"),
        &document(
            "d-2024-03",
            "2024-03-10",
            &[("first", "2024-03-10")],
            &[
                pledge("Alpha", Some("AZ"), &["economy-trade"], "due = \"2024-12\""),
                pledge("Bravo", None, &["energy"], ""),
                pledge("Charlie", Some("CN"), &["security"], "due = \"2025-Q1\""),
            ]
            .concat(),
        ),
    );
    write(
        &data.join("documents/b-2024-09.toml"),
        &document(
            "d-2024-09",
            "2024-09-05",
            &[("wire", "2024-09-06"), ("late", "2024-12-01")],
            &[
                pledge("Delta", Some("CN"), &["energy"], ""),
                pledge(
                    "Echo",
                    None,
                    &["transport-connectivity", "energy"],
                    "repeats = \"nd-bravo\"",
                ),
                pledge(
                    "Foxtrot",
                    Some("AZ"),
                    &["people-to-people"],
                    "sources = [\"late\"]",
                ),
            ]
            .concat(),
        ),
    );
    write(
        &data.join("documents/c-backfilled.toml"),
        &document(
            "d-backfilled",
            "2024-01-20",
            &[("archive", "2025-02-01")],
            &[
                pledge("Golf", None, &["economy-trade"], ""),
                pledge("Hotel", Some("AZ"), &["energy"], ""),
            ]
            .concat(),
        ),
    );
    write(&data.join("documents/d-2025-03.toml"), &march_2025(true));
    data
}

/// A second backfilled document: dated November 2023, first published June 2025. Lima is dated
/// before Kilo, so comes first although listed second.
fn add_second_backfilled(data: &Path) {
    write(
        &data.join("documents/e-backfilled.toml"),
        &document(
            "d-backfilled-2",
            "2023-11-01",
            &[("found", "2025-06-01")],
            &[
                pledge("Kilo", Some("CN"), &["energy"], ""),
                pledge("Lima", None, &["security"], "date = \"2023-10-15\""),
            ]
            .concat(),
        ),
    );
}

fn expected(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(t, n)| (id_of(t), *n)).collect()
}

/// Every (commitment, number) pair seen, with where it was first seen: one number per id and one
/// id per number, across every output checked.
#[derive(Default)]
struct Seen {
    by_id: BTreeMap<String, (u64, String)>,
    by_number: BTreeMap<u64, (String, String)>,
}

impl Seen {
    fn record(&mut self, id: &str, number: u64, whence: &str) {
        if let Some((n, first)) = self.by_id.get(id) {
            assert_eq!(
                *n, number,
                "`{id}` is C{n} in {first} but C{number} in {whence}"
            );
        } else {
            self.by_id
                .insert(id.to_string(), (number, whence.to_string()));
        }
        if let Some((other, first)) = self.by_number.get(&number) {
            assert_eq!(
                other, id,
                "C{number} is `{other}` in {first} but `{id}` in {whence}"
            );
        } else {
            self.by_number
                .insert(number, (id.to_string(), whence.to_string()));
        }
    }

    fn record_all(&mut self, pairs: &[(String, u64)], whence: &str) {
        for (id, n) in pairs {
            self.record(id, *n, whence);
        }
    }

    fn numbers(&self) -> BTreeMap<String, u64> {
        self.by_id
            .iter()
            .map(|(id, (n, _))| (id.clone(), *n))
            .collect()
    }
}

/// Every (commitment id, number) the JSON names: commitment items, references and links (`id`
/// with a non-null `number`) and events (`commitment` with a non-null `commitment_number`).
fn json_numbers(v: &Value, ids: &BTreeSet<String>, out: &mut Vec<(String, u64)>) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(id)), Some(Value::Number(n))) =
                (map.get("id"), map.get("number"))
            {
                if ids.contains(id) {
                    out.push((id.clone(), n.as_u64().expect("a whole number")));
                }
            }
            if let (Some(Value::String(id)), Some(Value::Number(n))) =
                (map.get("commitment"), map.get("commitment_number"))
            {
                out.push((id.clone(), n.as_u64().expect("a whole number")));
            }
            map.values().for_each(|x| json_numbers(x, ids, out));
        }
        Value::Array(items) => items.iter().for_each(|x| json_numbers(x, ids, out)),
        _ => {}
    }
}

fn all_ids() -> BTreeSet<String> {
    TOKENS.iter().map(|t| id_of(t)).collect()
}

/// The commitments listed under the fields, by id, in a briefing's JSON.
fn field_items(v: &Value) -> BTreeMap<String, Value> {
    v["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .flat_map(|f| f["commitments"].as_array().expect("commitments").iter())
        .map(|c| (c["id"].as_str().unwrap().to_string(), c.clone()))
        .collect()
}

/// (id, number) of every row of a commitments CSV, by its "No." (or "number") and "ID" columns.
fn csv_numbers(csv: &[u8]) -> Vec<(String, u64)> {
    let mut reader = csv::ReaderBuilder::new().from_reader(csv);
    let headers = reader.headers().unwrap().clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
            .unwrap_or_else(|| panic!("no {names:?} column in {headers:?}"))
    };
    let (number, id) = (col(&["No.", "number"]), col(&["ID"]));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let n = r[number]
                .parse()
                .unwrap_or_else(|_| panic!("not a number: {:?}", &r[number]));
            (r[id].to_string(), n)
        })
        .collect()
}

/// Whether `word` occurs in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The numbers of every "C<n>" in `text` (a C not inside a word, followed by digits).
fn c_numbers(text: &str) -> Vec<u64> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices('C') {
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let next = text[i + 1 + digits.len()..].chars().next();
        if !digits.is_empty() && !next.is_some_and(char::is_alphanumeric) {
            found.push(digits.parse().unwrap());
        }
    }
    found
}

/// (id, number) wherever the Markdown shows one commitment's summary beside one "C<n>": each
/// line, cut at "; " (the bottom line lists several commitments in one sentence).
fn markdown_numbers(md: &str) -> Vec<(String, u64)> {
    let mut pairs = Vec::new();
    for line in md.lines() {
        for segment in line.split("; ") {
            let tokens: Vec<&str> = TOKENS
                .iter()
                .copied()
                .filter(|t| has_word(segment, t))
                .collect();
            let numbers = c_numbers(segment);
            if let ([token], [n]) = (tokens.as_slice(), numbers.as_slice()) {
                pairs.push((id_of(token), *n));
            }
        }
    }
    pairs
}

/// What one briefing (or one job's run) wrote: Markdown, JSON and the commitments CSV.
struct Outputs {
    md: String,
    json: Value,
    csv: Vec<u8>,
}

/// Reads the `.md`, `.json` and `.csv` file of `stem`.
fn read_outputs(stem: &Path) -> Outputs {
    let read = |ext: &str| {
        let path = stem.with_extension(ext);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    Outputs {
        md: String::from_utf8(read("md")).unwrap(),
        json: serde_json::from_slice(&read("json")).unwrap(),
        csv: read("csv"),
    }
}

/// Runs `bilateral brief DATA ARGS --format md,json,csv` into a fresh folder under `out`.
fn brief(data: &Path, out: &Path, args: &[&str]) -> Outputs {
    let dir = tempfile::tempdir_in(out).unwrap();
    bilateral()
        .arg("brief")
        .arg(data)
        .args(args)
        .args(["--format", "md,json,csv", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let json = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON file");
    read_outputs(&json)
}

/// Records the numbers of every format of one briefing, and checks that the formats agree on
/// which commitments are listed: every commitment under the fields has its "C<n>" beside its
/// summary in the Markdown, and (in a full briefing) the CSV has exactly those commitments.
fn check_outputs(seen: &mut Seen, o: &Outputs, whence: &str, full: bool) -> BTreeSet<String> {
    let ids = all_ids();
    let mut from_json = Vec::new();
    json_numbers(&o.json, &ids, &mut from_json);
    seen.record_all(&from_json, &format!("{whence} (JSON)"));
    let from_csv = csv_numbers(&o.csv);
    seen.record_all(&from_csv, &format!("{whence} (CSV)"));
    let from_md = markdown_numbers(&o.md);
    seen.record_all(&from_md, &format!("{whence} (Markdown)"));

    let listed: BTreeSet<String> = field_items(&o.json).into_keys().collect();
    let in_md: BTreeSet<String> = from_md.iter().map(|(id, _)| id.clone()).collect();
    assert!(
        listed.is_subset(&in_md),
        "{whence}: listed {listed:?}, but the Markdown numbers only {in_md:?}:\n{}",
        o.md
    );
    if full {
        let in_csv: BTreeSet<String> = from_csv.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(
            listed, in_csv,
            "{whence}: the CSV rows differ from the JSON"
        );
    }
    listed
}

fn register(data: &Path) -> (String, BTreeMap<String, u64>) {
    let text = std::fs::read_to_string(data.join("numbers.toml")).expect("numbers.toml");
    let table: toml::Table = toml::from_str(&text).expect("numbers.toml is TOML");
    let numbers = table["numbers"]
        .as_table()
        .expect("a [numbers] table")
        .iter()
        .map(|(id, n)| {
            let n = n.as_integer().expect("a number") as u64;
            (id.clone(), n)
        })
        .collect();
    (text, numbers)
}

fn number(data: &Path) {
    bilateral().arg("number").arg(data).assert().success();
}

/// `bilateral check`'s standard error (the dataset must check).
fn check_stderr(data: &Path) -> String {
    let out = bilateral().arg("check").arg(data).assert().success();
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

fn run_job(jobs: &Path, as_of: &str) {
    bilateral()
        .arg("run")
        .arg(jobs)
        .args(["--job", "weekly", "--as-of", as_of])
        .assert()
        .success();
}

/// What one run of the `since-last-run` job wrote, and its archived model; checked like a
/// briefing.
fn check_job_run(seen: &mut Seen, root: &Path, as_of: &str) -> Outputs {
    let outputs = read_outputs(&root.join(format!("out/{as_of}.md")));
    check_outputs(seen, &outputs, &format!("job run of {as_of}"), true);
    let archive = root.join(format!(".bilateral-state/history/weekly/{as_of}.json"));
    let archived: Value =
        serde_json::from_slice(&std::fs::read(&archive).expect("the archived model")).unwrap();
    let mut pairs = Vec::new();
    json_numbers(&archived, &all_ids(), &mut pairs);
    seen.record_all(&pairs, &format!("archive of {as_of}"));
    outputs
}

fn ids_in(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_commitment_keeps_its_number_in_every_briefing_and_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = numbers_dataset(dir.path());
    let out = dir.path().join("out-briefs");
    std::fs::create_dir_all(&out).unwrap();

    // The register: by first known date, then date, then dataset order.
    number(&data);
    let (first_register, registered) = register(&data);
    let want = expected(&[
        ("Alpha", 1),
        ("Bravo", 2),
        ("Charlie", 3),
        ("Delta", 4),
        ("Echo", 5),
        ("Foxtrot", 6),
        ("Golf", 7),
        ("Hotel", 8),
        ("Juliett", 9),
        ("India", 10),
    ]);
    assert_eq!(registered, want, "{first_register}");
    let stderr = check_stderr(&data);
    assert!(
        stderr.is_empty(),
        "every commitment is registered: {stderr}"
    );
    // Numbering again changes nothing.
    number(&data);
    assert_eq!(
        register(&data).0,
        first_register,
        "a second `number` changed the register"
    );

    // The sweep: as-of dates, periods, filters, detail levels; every format.
    let mut seen = Seen::default();
    let as_ofs = [
        "2024-03-10",
        "2024-09-30",
        "2024-12-15",
        "2025-02-15",
        "2025-04-01",
    ];
    let periods: [(Option<&str>, Option<&str>); 4] = [
        (None, None),
        (Some("2024-09-01"), None),
        (None, Some("2024-06-30")),
        (Some("2024-02"), Some("2024-12")),
    ];
    let filters: [&[&str]; 5] = [
        &[],
        &["--field", "energy"],
        &["--field", "security"],
        &["--party", "AZ"],
        &["--field", "economy-trade", "--party", "CN"],
    ];
    let details: [&[&str]; 2] = [
        &["--detail", "full"],
        &["--detail", "summary", "--per-list", "1"],
    ];
    let mut briefings = 0;
    for as_of in as_ofs {
        for (since, until) in periods {
            // A period starting after its end is refused: not a case of this test.
            let end = until.map_or(as_of, |u| if u < as_of { u } else { as_of });
            if since.is_some_and(|s| s > end) {
                continue;
            }
            for filter in filters {
                for detail in details {
                    let mut args = vec!["--as-of", as_of];
                    if let Some(s) = since {
                        args.extend(["--since", s]);
                    }
                    if let Some(u) = until {
                        args.extend(["--until", u]);
                    }
                    args.extend_from_slice(filter);
                    args.extend_from_slice(detail);
                    let outputs = brief(&data, &out, &args);
                    let full = detail[1] == "full";
                    check_outputs(&mut seen, &outputs, &args.join(" "), full);
                    briefings += 1;
                    if as_of == "2025-04-01" && since.is_some() && filter.is_empty() && full {
                        // Overdue, though made before the period: numbered as everywhere.
                        let overdue: BTreeMap<String, Value> = outputs.json["deadlines"]["overdue"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|c| (c["id"].as_str().unwrap().to_string(), c["number"].clone()))
                            .collect();
                        assert_eq!(
                            overdue,
                            BTreeMap::from([
                                (id_of("Alpha"), Value::from(1)),
                                (id_of("Charlie"), Value::from(3)),
                            ]),
                            "{}",
                            args.join(" ")
                        );
                    }
                }
            }
        }
    }
    assert!(briefings > 120, "only {briefings} briefings");
    assert_eq!(
        seen.numbers(),
        want,
        "the numbers the briefings showed are not the register's"
    );

    // The scheduled job: runs one and two (the third follows the changes below).
    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[jobs]]\nname = \"weekly\"\ndataset = \"data\"\nschedule = \"0 7 * * MON\"\nperiod = \"since-last-run\"\nformats = [\"md\", \"json\", \"csv\"]\noutput = \"out/{as_of}\"\n",
    )
    .unwrap();
    let mut job_seen = Seen::default();
    run_job(&jobs, "2024-10-01");
    let first = check_job_run(&mut job_seen, dir.path(), "2024-10-01");
    assert_eq!(
        field_items(&first.json)
            .into_keys()
            .collect::<BTreeSet<_>>(),
        ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
            .iter()
            .map(|t| id_of(t))
            .collect(),
        "what is known by 1 October 2024"
    );
    run_job(&jobs, "2025-02-20");
    let second = check_job_run(&mut job_seen, dir.path(), "2025-02-20");
    // Only what is new or reported late since 1 October 2024, under its register number.
    let late: BTreeMap<String, u64> = second.json["changes"]["late_commitments"]
        .as_array()
        .expect("a changes section")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["number"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        late,
        expected(&[("Foxtrot", 6), ("Golf", 7), ("Hotel", 8)]),
        "reported late, with their numbers"
    );
    let changes = second
        .md
        .split("## Changes since the last briefing")
        .nth(1)
        .expect("a changes section");
    let changes = changes.split("\n## ").next().unwrap();
    let in_changes: BTreeMap<String, u64> = markdown_numbers(changes).into_iter().collect();
    assert_eq!(
        in_changes,
        expected(&[("Foxtrot", 6), ("Golf", 7), ("Hotel", 8)]),
        "{changes}"
    );

    // A second backfilled document arrives, and India (the highest number) is deleted; the
    // register is not updated.
    add_second_backfilled(&data);
    write(&data.join("documents/d-2025-03.toml"), &march_2025(false));
    let provisional = expected(&[
        ("Alpha", 1),
        ("Bravo", 2),
        ("Charlie", 3),
        ("Delta", 4),
        ("Echo", 5),
        ("Foxtrot", 6),
        ("Golf", 7),
        ("Hotel", 8),
        ("Juliett", 9),
        ("Lima", 11),
        ("Kilo", 12),
    ]);
    let stderr = check_stderr(&data);
    assert!(
        stderr.contains("warning"),
        "`check` does not warn about the unregistered commitments: {stderr}"
    );
    let mut seen = Seen::default();
    let filters_after: [&[&str]; 4] = [
        &[],
        &["--field", "energy"],
        &["--field", "security"],
        &["--party", "CN"],
    ];
    let sweep_after = |seen: &mut Seen, label: &str| {
        for as_of in ["2025-04-01", "2025-07-01"] {
            for filter in filters_after {
                for detail in details {
                    let mut args = vec!["--as-of", as_of];
                    args.extend_from_slice(filter);
                    args.extend_from_slice(detail);
                    let outputs = brief(&data, &out, &args);
                    let whence = format!("{label}: {}", args.join(" "));
                    check_outputs(seen, &outputs, &whence, detail[1] == "full");
                }
            }
        }
    };
    sweep_after(&mut seen, "before `number`");
    assert_eq!(
        seen.numbers(),
        provisional,
        "provisional numbers follow the highest registered one (10, now a hole)"
    );

    // The job's third run reports the new document late, under the provisional numbers.
    run_job(&jobs, "2025-07-01");
    let third = check_job_run(&mut job_seen, dir.path(), "2025-07-01");
    let late = ids_in(&third.json["changes"]["late_commitments"]);
    assert!(
        late.contains("nd-kilo") && late.contains("nd-lima"),
        "{late:?}"
    );
    let mut job_want = provisional.clone();
    job_want.insert(id_of("India"), 10);
    for (id, (n, whence)) in &job_seen.by_id {
        assert_eq!(
            job_want.get(id),
            Some(n),
            "`{id}` is C{n} in the job's {whence}"
        );
    }

    // `number` registers them as they were shown, and changes no existing line.
    number(&data);
    let (text, registered) = register(&data);
    let mut lines = text.lines();
    for old in first_register.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            lines.any(|l| l == old),
            "the line {old:?} changed or moved:\n{text}"
        );
    }
    let mut want = provisional.clone();
    want.insert(id_of("India"), 10);
    assert_eq!(registered, want, "{text}");
    let stderr = check_stderr(&data);
    assert!(
        stderr.is_empty(),
        "still warned about after `number`: {stderr}"
    );
    sweep_after(&mut seen, "after `number`");
    assert_eq!(seen.numbers(), provisional);
}

// ---------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------

/// Commitments made in June 2023 with due dates of every precision, and three later documents:
/// January 2026 implements `dl-done` and stalls `dl-slow`; a document dated 10 February 2026 but
/// first published on the 12th moves `dl-moved` (the move itself dated November 2025) from
/// 2025-Q4 to 2026-Q3 without a status, pulls `dl-pulled` forward from 2027 to March 2026, and
/// announces that `dl-ahead` moves from 2026-Q1 to 2026-H2 on 1 March 2026 (a move known before
/// it is dated); November 2026 moves `dl-moved` again, to 2027-H1.
fn deadlines_dataset(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    write(&data.join("dataset.toml"), MANIFEST);
    let due = |id: &str, due: &str| {
        format!("[[commitments]]\nid = \"{id}\"\nmutual = true\nfield = \"economy-trade\"\naction = \"implement\"\nsummary = \"Deadline case {id}.\"\ndue = \"{due}\"\n\n")
    };
    let event = |id: &str, extra: &str| {
        format!("[[events]]\ncommitment = \"{id}\"\nsummary = \"Follow-up on {id}.\"\n{extra}\n\n")
    };
    write(
        &data.join("documents/a-2023-06.toml"),
        &document(
            "dl-2023-06",
            "2023-06-01",
            &[("pledge", "2023-06-01")],
            &[
                due("dl-y2025", "2025"),
                due("dl-y2026", "2026"),
                due("dl-h1", "2026-H1"),
                due("dl-h2", "2025-H2"),
                due("dl-q1", "2026-Q1"),
                due("dl-q3", "2026-Q3"),
                due("dl-m", "2024-02"),
                due("dl-d", "2026-05-15"),
                due("dl-done", "2026-05-15"),
                due("dl-moved", "2025-Q4"),
                due("dl-pulled", "2027"),
                due("dl-slow", "2026-Q2"),
                due("dl-ahead", "2026-Q1"),
            ]
            .concat(),
        ),
    );
    write(
        &data.join("documents/b-2026-01.toml"),
        &document(
            "dl-2026-01",
            "2026-01-10",
            &[("report", "2026-01-10")],
            &[
                event("dl-done", "status = \"implemented\""),
                event("dl-slow", "status = \"stalled\""),
            ]
            .concat(),
        ),
    );
    write(
        &data.join("documents/c-2026-02.toml"),
        &document(
            "dl-2026-02",
            "2026-02-10",
            &[("news", "2026-02-12")],
            &[
                event("dl-moved", "date = \"2025-11-20\"\ndue = \"2026-Q3\""),
                event("dl-pulled", "status = \"in-progress\"\ndue = \"2026-03\""),
                event("dl-ahead", "date = \"2026-03-01\"\ndue = \"2026-H2\""),
            ]
            .concat(),
        ),
    );
    write(
        &data.join("documents/d-2026-11.toml"),
        &document(
            "dl-2026-11",
            "2026-11-01",
            &[("again", "2026-11-01")],
            &event("dl-moved", "due = \"2027-H1\""),
        ),
    );
    bilateral().arg("check").arg(&data).assert().success();
    data
}

/// One expectation: commitment, as-of date, the due date the JSON shows, overdue, due soon.
type Case = (&'static str, &'static str, &'static str, bool, bool);

/// Briefs the deadlines dataset once per as-of date of `cases` and checks each case's commitment
/// item (`due`, `overdue`, `due_soon`) and its place in `deadlines.overdue` / `due_soon`.
/// Returns each as-of date's JSON.
fn check_deadlines(cases: &[Case]) -> BTreeMap<&'static str, Value> {
    let dir = tempfile::tempdir().unwrap();
    let data = deadlines_dataset(dir.path());
    let mut by_date = BTreeMap::new();
    for &(id, as_of, due, overdue, due_soon) in cases {
        let v = by_date.entry(as_of).or_insert_with(|| {
            let out = bilateral()
                .arg("brief")
                .arg(&data)
                .args(["--as-of", as_of, "--format", "json", "-o", "-"])
                .assert()
                .success();
            serde_json::from_slice::<Value>(&out.get_output().stdout).unwrap()
        });
        let items = field_items(v);
        let item = items
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not listed as of {as_of}"));
        let got = (
            item["due"].as_str().unwrap_or("null"),
            item["overdue"].as_bool().unwrap(),
            item["due_soon"].as_bool().unwrap(),
        );
        assert_eq!(
            got,
            (due, overdue, due_soon),
            "{id} as of {as_of}: (due, overdue, due_soon)"
        );
        let in_overdue = ids_in(&v["deadlines"]["overdue"]).contains(id);
        let in_soon = ids_in(&v["deadlines"]["due_soon"]).contains(id);
        assert_eq!(
            (in_overdue, in_soon),
            (overdue, due_soon),
            "{id} as of {as_of}: in deadlines.overdue, in deadlines.due_soon"
        );
    }
    by_date
}

#[test]
fn year_deadlines_are_due_soon_90_days_before_the_year_ends_and_overdue_after_it() {
    check_deadlines(&[
        ("dl-y2025", "2025-10-01", "2025", false, false),
        ("dl-y2025", "2025-10-02", "2025", false, true),
        ("dl-y2025", "2025-12-31", "2025", false, true),
        ("dl-y2025", "2026-01-01", "2025", true, false),
        ("dl-y2026", "2025-10-15", "2026", false, false),
        ("dl-y2026", "2026-10-01", "2026", false, false),
        ("dl-y2026", "2026-10-02", "2026", false, true),
        ("dl-y2026", "2026-12-31", "2026", false, true),
        ("dl-y2026", "2027-01-01", "2026", true, false),
    ]);
}

#[test]
fn half_year_deadlines_end_on_30_june_and_31_december() {
    check_deadlines(&[
        ("dl-h1", "2026-03-31", "2026-H1", false, false),
        ("dl-h1", "2026-04-01", "2026-H1", false, true),
        ("dl-h1", "2026-06-30", "2026-H1", false, true),
        ("dl-h1", "2026-07-01", "2026-H1", true, false),
        ("dl-h2", "2025-10-01", "2025-H2", false, false),
        ("dl-h2", "2025-10-02", "2025-H2", false, true),
        ("dl-h2", "2025-12-31", "2025-H2", false, true),
        ("dl-h2", "2026-01-01", "2025-H2", true, false),
    ]);
}

#[test]
fn quarter_deadlines_end_on_the_quarters_last_day() {
    check_deadlines(&[
        // 90 days before 31 March 2026 is 31 December 2025: the window crosses the year.
        ("dl-q1", "2025-12-30", "2026-Q1", false, false),
        ("dl-q1", "2025-12-31", "2026-Q1", false, true),
        ("dl-q1", "2026-03-31", "2026-Q1", false, true),
        ("dl-q1", "2026-04-01", "2026-Q1", true, false),
        ("dl-q3", "2026-07-01", "2026-Q3", false, false),
        ("dl-q3", "2026-07-02", "2026-Q3", false, true),
        ("dl-q3", "2026-09-30", "2026-Q3", false, true),
        ("dl-q3", "2026-10-01", "2026-Q3", true, false),
    ]);
}

#[test]
fn month_deadlines_end_on_the_months_last_day_leap_february_included() {
    check_deadlines(&[
        ("dl-m", "2023-11-30", "2024-02", false, false),
        ("dl-m", "2023-12-01", "2024-02", false, true),
        ("dl-m", "2024-02-29", "2024-02", false, true),
        ("dl-m", "2024-03-01", "2024-02", true, false),
    ]);
}

#[test]
fn day_deadlines_and_done_commitments() {
    let by_date = check_deadlines(&[
        ("dl-d", "2026-02-13", "2026-05-15", false, false),
        ("dl-d", "2026-02-14", "2026-05-15", false, true),
        ("dl-d", "2026-05-15", "2026-05-15", false, true),
        ("dl-d", "2026-05-16", "2026-05-15", true, false),
        // Implemented in January 2026: never due soon nor overdue after that.
        ("dl-done", "2026-03-01", "2026-05-15", false, false),
        ("dl-done", "2026-05-16", "2026-05-15", false, false),
        // Stalled is not done: still overdue.
        ("dl-slow", "2026-07-01", "2026-Q2", true, false),
    ]);
    let items = field_items(&by_date["2026-05-16"]);
    assert_eq!(items["dl-done"]["status"], "implemented");
    let events = items["dl-slow"]["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["due"],
        Value::Null,
        "a status-only event moves no deadline"
    );
}

#[test]
fn a_moved_deadline_counts_from_the_day_the_move_is_known() {
    let by_date = check_deadlines(&[
        ("dl-moved", "2025-10-01", "2025-Q4", false, false),
        ("dl-moved", "2025-12-15", "2025-Q4", false, true),
        ("dl-moved", "2026-01-01", "2025-Q4", true, false),
        // Moved on 20 November 2025, but first reported on 12 February 2026.
        ("dl-moved", "2026-02-11", "2025-Q4", true, false),
        ("dl-moved", "2026-02-12", "2026-Q3", false, false),
        ("dl-moved", "2026-07-01", "2026-Q3", false, false),
        ("dl-moved", "2026-07-02", "2026-Q3", false, true),
        ("dl-moved", "2026-10-01", "2026-Q3", true, false),
        // Moved again: the latest known deadline counts.
        ("dl-moved", "2026-11-01", "2027-H1", false, false),
        ("dl-moved", "2027-03-31", "2027-H1", false, false),
        ("dl-moved", "2027-04-01", "2027-H1", false, true),
        ("dl-moved", "2027-07-01", "2027-H1", true, false),
        // Pulled forward from 2027 to March 2026 (with a status).
        ("dl-pulled", "2026-02-11", "2027", false, false),
        ("dl-pulled", "2026-02-12", "2026-03", false, true),
        ("dl-pulled", "2026-03-31", "2026-03", false, true),
        ("dl-pulled", "2026-04-01", "2026-03", true, false),
        // Known on 12 February, dated 1 March: the old deadline holds until then.
        ("dl-ahead", "2026-02-20", "2026-Q1", false, true),
        ("dl-ahead", "2026-02-28", "2026-Q1", false, true),
        ("dl-ahead", "2026-03-01", "2026-H2", false, false),
        ("dl-ahead", "2026-04-01", "2026-H2", false, false),
        ("dl-ahead", "2026-10-02", "2026-H2", false, true),
        ("dl-ahead", "2027-01-01", "2026-H2", true, false),
    ]);
    let moves = |as_of: &str, id: &str| -> Vec<Value> {
        field_items(&by_date[as_of])[id]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["due"].clone())
            .collect()
    };
    assert_eq!(moves("2025-12-15", "dl-moved"), Vec::<Value>::new());
    assert_eq!(moves("2026-02-11", "dl-moved"), Vec::<Value>::new());
    assert_eq!(moves("2026-02-12", "dl-moved"), ["2026-Q3"]);
    assert_eq!(moves("2026-11-01", "dl-moved"), ["2026-Q3", "2027-H1"]);
    assert_eq!(moves("2026-02-12", "dl-pulled"), ["2026-03"]);
    assert_eq!(moves("2026-03-01", "dl-ahead"), ["2026-H2"]);
    // A move without a status leaves the status as it was; one with a status sets it.
    let items = field_items(&by_date["2026-02-12"]);
    assert_eq!(items["dl-moved"]["status"], "stated");
    assert_eq!(items["dl-pulled"]["status"], "in-progress");
}

/// A scheduled `since-last-run` briefing opens with its changes, and an overdue list the same as
/// the last briefing's is named in one line of numbers, in the bottom line and the deadlines.
#[test]
fn an_unchanged_overdue_list_is_one_line_and_the_changes_come_first() {
    let dir = tempfile::tempdir().unwrap();
    deadlines_dataset(dir.path());
    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[jobs]]\nname = \"weekly\"\ndataset = \"data\"\nschedule = \"0 7 * * MON\"\nperiod = \"since-last-run\"\nformats = [\"md\"]\noutput = \"out/{as_of}\"\n",
    )
    .unwrap();
    let md = |as_of: &str| {
        run_job(&jobs, as_of);
        std::fs::read_to_string(dir.path().join(format!("out/{as_of}.md"))).unwrap()
    };
    let first = md("2026-03-10");
    assert!(first.contains("### Overdue"), "{first}");
    assert!(!first.contains("as in the last briefing"), "{first}");
    let second = md("2026-03-17");
    let changes = second.find("## Changes since the last briefing").unwrap();
    assert!(
        changes < second.find("## Bottom line up front").unwrap(),
        "the changes come first:\n{second}"
    );
    assert!(!second.contains("### Overdue"), "{second}");
    let overdue = |md: &str| -> Vec<u64> {
        let v = md
            .split("Overdue, as in the last briefing: ")
            .nth(1)
            .unwrap();
        c_numbers(v.lines().next().unwrap())
    };
    let listed = overdue(&second);
    assert!(!listed.is_empty(), "{second}");
    assert!(
        second.contains("Still overdue, as in the last briefing: "),
        "{second}"
    );
    // The numbers are those the first briefing listed as overdue.
    let before = first.split("### Overdue").nth(1).unwrap();
    let before = before.split("\n\n").nth(1).unwrap();
    let mut was = c_numbers(before);
    was.sort_unstable();
    let mut now = listed;
    now.sort_unstable();
    assert_eq!(was, now);
}
