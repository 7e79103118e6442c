//! Properties over generated datasets (proptest): whatever `check` accepts renders to Markdown
//! and PDF; aggregate counts equal the commitments in the period; filters only remove; the text
//! of every commitment in the period appears in both outputs; and a briefing as of any day uses
//! nothing published after it (documents with random publication lags and follow-up events).

mod tools;

use std::collections::BTreeSet;

use bilateral::briefing::aggregate::{aggregate, Detail, Options};
use bilateral::dataset::load::{parse_files, SourceText};
use chrono::NaiveDate;
use proptest::prelude::*;

const FIELDS: [&str; 6] = [
    "economy-trade",
    "energy",
    "green-energy",
    "security",
    "multilateral",
    "people-to-people",
];

#[derive(Debug, Clone)]
struct C {
    actor: bool,
    field: usize,
    summary: String,
    month: u32,
    within: bool,
}

#[derive(Debug, Clone)]
struct D {
    title: String,
    year: i32,
    month: Option<u32>,
    commitments: Vec<C>,
    /// Years between the document and its first source, and that source's precision (0 year,
    /// 1 month, 2 day).
    lag: i32,
    precision: u8,
    /// A follow-up event on an earlier document's commitment, picked by this number.
    event: Option<usize>,
}

/// Text the way analysts write it: Latin with Azerbaijani and Turkish letters, Cyrillic, digits,
/// punctuation and Markdown metacharacters; long words now and then.
fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[A-Za-zəğışçöüİƏĞŞÇÖÜЖжМосква0-9 ,.;:()'\"*_|#<>&\\[\\]`-]{1,60}",
    )
    .unwrap()
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn dataset() -> impl Strategy<Value = Vec<D>> {
    let c = (
        any::<bool>(),
        0..FIELDS.len(),
        text(),
        1u32..=12,
        any::<bool>(),
    )
        .prop_map(|(actor, field, summary, month, within)| C {
            actor,
            field,
            summary,
            month,
            within,
        });
    let d = (
        text(),
        2019i32..2026,
        proptest::option::of(1u32..=12),
        proptest::collection::vec(c, 0..6),
        (0i32..4, 0u8..3, proptest::option::of(0usize..1000)),
    )
        .prop_map(
            |(title, year, month, commitments, (lag, precision, event))| D {
                title,
                year,
                month,
                commitments,
                lag,
                precision,
                event,
            },
        );
    proptest::collection::vec(d, 1..5)
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

const STATUSES: [&str; 4] = ["in-progress", "implemented", "stalled", "withdrawn"];

/// The first source's publication: `lag` years after the document, at the chosen precision, never
/// before the document's date (the checker refuses that).
fn published(d: &D) -> String {
    let month = d.month.unwrap_or(12);
    match (d.lag, d.precision) {
        (0, _) => format!("{}-{month:02}-28", d.year),
        (lag, 0) => (d.year + lag).to_string(),
        (lag, 1) => format!("{}-{month:02}", d.year + lag),
        (lag, _) => format!("{}-{month:02}-15", d.year + lag),
    }
}

/// Commitments of documents from years before `year`: (id number, status for its events).
fn earlier_commitments(docs: &[D], year: i32) -> Vec<usize> {
    let mut n = 0;
    let mut out = Vec::new();
    for d in docs {
        for _ in &d.commitments {
            if d.year < year {
                out.push(n);
            }
            n += 1;
        }
    }
    out
}

fn files(docs: &[D]) -> (SourceText, Vec<SourceText>) {
    let manifest = SourceText {
        path: "dataset.toml".into(),
        text: "[[parties]]\ncode = \"AZ\"\n[[parties]]\ncode = \"CN\"\n[[organisations]]\nid = \"sco\"\nname = \"Shanghai Cooperation Organisation\"\nshort = \"SCO\"\n".into(),
    };
    let mut n = 0;
    let docs = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let date = match d.month {
                Some(m) => format!("{}-{m:02}", d.year),
                None => d.year.to_string(),
            };
            let mut t = format!(
                "id = \"d{i}\"\ntitle = {}\nkind = \"readout\"\ndate = \"{date}\"\nparties = [\"AZ\", \"CN\"]\n[[sources]]\nid = \"first\"\npublisher = \"P{i}\"\npublished = \"{}\"\nlanguage = \"en\"\nreliability = \"official\"\n[[sources]]\nid = \"later\"\npublisher = \"Later\"\npublished = \"2029\"\nlanguage = \"en\"\nreliability = \"official\"\n",
                q(&d.title),
                published(d)
            );
            // One status per commitment, so two events of a day never disagree.
            let earlier = earlier_commitments(docs, d.year);
            if let Some(pick) = d.event.filter(|_| !earlier.is_empty()) {
                let c = earlier[pick % earlier.len()];
                t.push_str(&format!(
                    "[[events]]\ncommitment = \"c{c}\"\nstatus = \"{}\"\nsummary = \"event on c{c}\"\n",
                    STATUSES[c % 4]
                ));
            }
            for c in &d.commitments {
                // A commitment's own month, inside its document's year when the document has none.
                let cdate = match d.month {
                    Some(_) => date.clone(),
                    None => format!("{}-{:02}", d.year, c.month),
                };
                // Now and then several fields, or resting on the later source only.
                let fields = if c.month % 2 == 0 {
                    format!("fields = [\"{}\", \"{}\"]", FIELDS[c.field], FIELDS[(c.field + 3) % FIELDS.len()])
                } else {
                    format!("field = \"{}\"", FIELDS[c.field])
                };
                let sources = if c.month % 3 == 0 { "sources = [\"later\"]\n" } else { "" };
                t.push_str(&format!(
                    "[[commitments]]\nid = \"c{n}\"\nactor = \"{}\"\n{fields}\naction = \"support\"\nsummary = {}\ndate = \"{cdate}\"\n{}{sources}",
                    if c.actor { "AZ" } else { "CN" },
                    q(&c.summary),
                    if c.within { "within = \"sco\"\n" } else { "" }
                ));
                n += 1;
            }
            SourceText {
                path: format!("d{i}.toml").into(),
                text: t,
            }
        })
        .collect();
    (manifest, docs)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Plain text of rendered Markdown: what a reader sees, whitespace folded.
fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut s = String::new();
    for e in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            _ => s.push(' '),
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value as JSON with every `sources` list removed.
fn without_sources(v: &impl serde::Serialize) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("sources");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(v).unwrap();
    strip(&mut v);
    v
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn counts_filters_and_markdown(docs in dataset(), since in 2019i32..2027, span in 0i32..4, field in 0..FIELDS.len()) {
        let (m, d) = files(&docs);
        let ds = parse_files(m, d).dataset.expect("generated datasets are valid");
        let as_of = day(2030, 1, 1);
        let opts = Options { since: Some(day(since, 1, 1)), until: Some(day(since + span, 12, 31)), ..Options::default() };
        let b = aggregate(&ds, &opts, as_of).unwrap();

        // Counts equal the commitments whose (partial) date overlaps the period.
        let expected: Vec<&str> = ds.commitments()
            .filter(|(_, c)| {
                let date = c.date.unwrap();
                date.end() >= day(since, 1, 1) && date.start() <= day(since + span, 12, 31)
            })
            .map(|(_, c)| c.summary.as_str())
            .collect();
        prop_assert_eq!(b.header.counts.commitments, expected.len());
        prop_assert_eq!(b.fields.iter().map(|f| f.count).sum::<usize>(), expected.len());

        // Filters only remove.
        let all = aggregate(&ds, &Options::default(), as_of).unwrap();
        let ids = |b: &bilateral::Briefing| -> BTreeSet<String> {
            b.fields.iter().flat_map(|f| f.commitments.iter().map(|c| c.id.clone())).collect()
        };
        prop_assert!(ids(&b).is_subset(&ids(&all)));
        let by_field = aggregate(&ds, &Options { fields: vec![FIELDS[field].to_string()], ..opts.clone() }, as_of).unwrap();
        prop_assert!(ids(&by_field).is_subset(&ids(&b)));
        let by_party = aggregate(&ds, &Options { party: Some("AZ".into()), ..opts.clone() }, as_of).unwrap();
        prop_assert!(ids(&by_party).is_subset(&ids(&b)));

        // Every commitment in the period appears, literally, in the Markdown.
        let md = String::from_utf8(bilateral::render::markdown::render(&b).unwrap()).unwrap();
        let text = markdown_text(&md);
        for s in expected {
            let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert!(text.contains(&folded), "missing from the Markdown: {}", s);
        }
    }

    #[test]
    fn a_summary_keeps_every_count_and_lists_the_latest(docs in dataset(), per_list in 1usize..4) {
        let (m, d) = files(&docs);
        let ds = parse_files(m, d).dataset.expect("generated datasets are valid");
        let as_of = day(2030, 1, 1);
        let full = aggregate(&ds, &Options::default(), as_of).unwrap();
        let sum = aggregate(&ds, &Options { detail: Detail::Summary(per_list), ..Options::default() }, as_of).unwrap();
        prop_assert!(sum.header.detail.summary && !full.header.detail.summary);
        // The same facts; only the source numbers differ (a summary renumbers what it cites).
        prop_assert_eq!(without_sources(&sum.bottom_line), without_sources(&full.bottom_line));
        prop_assert_eq!(sum.header.counts.commitments, full.header.counts.commitments);
        prop_assert_eq!(sum.header.counts.documents, full.header.counts.documents);
        prop_assert_eq!(sum.fields.len(), full.fields.len());
        for (s, f) in sum.fields.iter().zip(&full.fields) {
            prop_assert_eq!(s.count, f.count);
            prop_assert_eq!(s.commitments.len() + s.omitted, f.commitments.len());
            prop_assert!(s.commitments.len() <= per_list);
            // The shown ones are the full list's last (most recent) ones.
            let tail: Vec<&str> = f.commitments[f.commitments.len() - s.commitments.len()..].iter().map(|c| c.id.as_str()).collect();
            let shown: Vec<&str> = s.commitments.iter().map(|c| c.id.as_str()).collect();
            prop_assert_eq!(shown, tail);
        }
        for (s, f) in sum.reciprocity.parties.iter().zip(&full.reciprocity.parties) {
            prop_assert_eq!(s.to_other_count, f.to_other.len());
            prop_assert_eq!(s.to_organisations_count, f.to_organisations.len());
            prop_assert_eq!(s.to_other.len() + s.to_organisations.len() + s.omitted, f.to_other.len() + f.to_organisations.len());
        }
        prop_assert_eq!(sum.reciprocity.mutual.len() + sum.reciprocity.mutual_omitted, full.reciprocity.mutual.len());
        let listed: usize = sum.timeline.iter().map(|b| b.documents.len()).sum();
        prop_assert!(listed <= per_list);
        for b in &sum.timeline {
            prop_assert_eq!(b.documents.len() + b.omitted, b.document_count);
        }
        // Sources: only cited ones, numbered 1..n, and every citation resolves.
        let numbers: Vec<usize> = sum.sources.iter().map(|s| s.number).collect();
        prop_assert_eq!(numbers, (1..=sum.sources.len()).collect::<Vec<_>>());
        prop_assert_eq!(sum.sources.len() + sum.header.detail.sources_omitted, full.sources.len());
        for c in sum.fields.iter().flat_map(|f| &f.commitments) {
            for n in &c.sources {
                prop_assert!(*n >= 1 && *n <= sum.sources.len());
            }
        }
        // And it renders.
        let md = String::from_utf8(bilateral::render::markdown::render(&sum).unwrap()).unwrap();
        prop_assert!(md.contains("counts cover everything"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn every_valid_dataset_renders_to_pdf_with_its_text(docs in dataset()) {
        let (m, d) = files(&docs);
        let ds = parse_files(m, d).dataset.expect("generated datasets are valid");
        let b = aggregate(&ds, &Options::default(), day(2030, 1, 1)).unwrap();
        let pdf = bilateral::render::render_with_defaults(&b, bilateral::render::Format::Pdf, &Default::default()).unwrap();
        prop_assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
        let Some(tool) = tools::find("pdftotext", "apt-get install poppler-utils") else { return Ok(()) };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.pdf");
        std::fs::write(&path, &pdf.bytes).unwrap();
        let out = std::process::Command::new(tool).args(["-raw", "-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        let text = squeeze(&String::from_utf8_lossy(&out.stdout));
        for (_, c) in ds.commitments() {
            prop_assert!(text.contains(&squeeze(&c.summary)), "missing from the PDF: {}", c.summary);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, .. ProptestConfig::default() })]

    /// Time has two axes: a briefing as of a day cites no source published after it, shows no
    /// record first known after it, applies no event that had not happened or was not known, and
    /// its data cut-off is on or before it.
    #[test]
    fn a_briefing_as_of_a_day_knows_only_what_was_published_by_then(
        docs in dataset(), year in 2019i32..2031, month in 1u32..=12, dom in 1u32..=28,
    ) {
        let (m, d) = files(&docs);
        let ds = parse_files(m, d).dataset.expect("generated datasets are valid");
        let as_of = day(year, month, dom);
        let b = aggregate(&ds, &Options::default(), as_of).unwrap();
        for s in &b.sources {
            let published = s.published.expect("generated sources are dated");
            prop_assert!(published.end() <= as_of, "source {} published {published} after {as_of}", s.number);
        }
        if let Some(cut) = b.header.data_cutoff {
            prop_assert!(cut.end() <= as_of);
        }
        // Exactly the commitments one of whose sources was out by then.
        let expected: BTreeSet<String> = ds
            .documents()
            .iter()
            .flat_map(|d| d.doc.commitments.iter().map(move |c| (d, c)))
            .filter(|(d, c)| {
                d.doc.sources.iter().any(|s| {
                    (c.sources.is_empty() || c.sources.contains(s.id.as_ref().unwrap()))
                        && s.published.unwrap().end() <= as_of
                })
            })
            .map(|(_, c)| c.id.clone())
            .collect();
        let shown: BTreeSet<String> = b.ledger.commitments.iter().map(|c| c.id.clone()).collect();
        prop_assert_eq!(&shown, &expected);
        for c in &b.ledger.commitments {
            prop_assert!(c.known.end() <= as_of);
        }
        for e in b.fields.iter().flat_map(|f| &f.commitments).flat_map(|c| &c.events) {
            prop_assert!(e.known.end() <= as_of && e.date.start() <= as_of);
        }
        for e in &b.follow_through.events {
            prop_assert!(e.known.end() <= as_of && e.date.start() <= as_of);
        }
        // A commitment without a known event keeps the status it was made with.
        for c in b.fields.iter().flat_map(|f| &f.commitments) {
            match c.events.last() {
                Some(e) => prop_assert_eq!(c.status, e.status),
                None => prop_assert_eq!(c.status, c.stated_status),
            }
        }
        // The timeline lists only documents known by then.
        for d in b.timeline.iter().flat_map(|t| &t.documents) {
            prop_assert!(d.known.end() <= as_of);
        }
    }
}
