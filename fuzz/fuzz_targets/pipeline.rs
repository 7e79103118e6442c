//! The whole pipeline on generated datasets: structured input becomes a manifest and documents
//! (TOML text, as a user would write them); whatever `check` accepts must aggregate and render to
//! Markdown, JSON and PDF, with the counts the data implies, and cite nothing published after the
//! as-of date (sources published late, follow-through events, due dates).
#![no_main]

use arbitrary::Arbitrary;
use bilateral::dataset::load::{parse_files, SourceText};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    title: String,
    org: String,
    docs: Vec<Doc>,
    since: Option<u8>,
    until: Option<u8>,
    field_filter: Option<u8>,
    /// Some: a summary with this many entries per list (mod 4, plus 1); None: full.
    summary: Option<u8>,
    /// The as-of year (2000 + this mod 32).
    as_of: u8,
}

#[derive(Debug, Arbitrary)]
struct Doc {
    title: String,
    kind: u8,
    date: (u8, u8, u8),
    commitments: Vec<Commitment>,
    views: Vec<(u8, String, Option<String>)>,
    url: Option<String>,
    /// Years between the document and its source's publication (mod 4).
    lag: u8,
    /// Events on earlier commitments: (which, status).
    events: Vec<(u8, u8)>,
}

#[derive(Debug, Arbitrary)]
struct Commitment {
    actor: u8,
    field: u8,
    action: u8,
    status: u8,
    due: Option<(u8, u8, u8)>,
    summary: String,
    quote: Option<String>,
    within: bool,
    link: Option<u8>,
}

const FIELDS: [&str; 10] = [
    "political-dialogue",
    "economy-trade",
    "energy",
    "green-energy",
    "transport-connectivity",
    "industry",
    "science-technology",
    "security",
    "multilateral",
    "people-to-people",
];
const KINDS: [&str; 4] = [
    "joint-statement",
    "readout",
    "expert-commentary",
    "news-report",
];
const ACTIONS: [&str; 4] = ["support", "cooperate", "invest", "sign"];
const STATUSES: [&str; 5] = [
    "stated",
    "in-progress",
    "implemented",
    "stalled",
    "withdrawn",
];

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn date((y, m, d): (u8, u8, u8)) -> String {
    let year = 2000 + u32::from(y % 30);
    match d % 3 {
        0 => format!("{year}"),
        1 => format!("{year}-{:02}", m % 12 + 1),
        _ => format!("{year}-{:02}-{:02}", m % 12 + 1, d % 28 + 1),
    }
}

fuzz_target!(|input: Input| {
    if input.docs.len() > 12 {
        return;
    }
    let manifest = format!(
        "title = {}\n[[parties]]\ncode = \"AZ\"\n[[parties]]\ncode = \"CN\"\n[[organisations]]\nid = \"sco\"\nname = {}\n",
        q(&input.title),
        q(&input.org)
    );
    let mut files = Vec::new();
    let mut n = 0usize;
    let mut ids: Vec<String> = Vec::new();
    for (i, d) in input.docs.iter().enumerate() {
        let mut t = format!(
            "id = \"d{i}\"\ntitle = {}\nkind = \"{}\"\ndate = \"{}\"\nparties = [\"AZ\", \"CN\"]\n[speaker]\nname = \"Expert\"\n[[sources]]\nid = \"s\"\npublisher = \"P\"\npublished = \"{}\"\nlanguage = \"en\"\nreliability = \"official\"\n",
            q(&d.title),
            KINDS[usize::from(d.kind) % KINDS.len()],
            date(d.date),
            2000 + u32::from(d.date.0 % 30) + u32::from(d.lag % 4)
        );
        if let Some(u) = &d.url {
            t.push_str(&format!(
                "url = {}\n",
                q(&format!("https://example.org/{u}"))
            ));
        }
        for c in d.commitments.iter().take(20) {
            let id = format!("c{n}");
            n += 1;
            t.push_str(&format!(
                "[[commitments]]\nid = \"{id}\"\nactor = \"{}\"\nfield = \"{}\"\naction = \"{}\"\nstatus = \"{}\"\nsummary = {}\n",
                if c.actor % 2 == 0 { "AZ" } else { "CN" },
                FIELDS[usize::from(c.field) % FIELDS.len()],
                ACTIONS[usize::from(c.action) % ACTIONS.len()],
                STATUSES[usize::from(c.status) % STATUSES.len()],
                q(&c.summary)
            ));
            // A quote as the single `quote`, or as a list entry with whose words and a translation.
            match (&c.quote, c.field % 2) {
                (Some(quote), 0) => t.push_str(&format!("quote = {}\n", q(quote))),
                (Some(quote), _) => t.push_str(&format!(
                    "quotes = [{{ text = {}, by = \"speaker\", language = \"az\", translation = {}, source = \"s\" }}]\nsources = [\"s\"]\n",
                    q(quote),
                    q(&c.summary)
                )),
                _ => {}
            }
            if let Some(due) = c.due {
                t.push_str(&format!("due = \"{}\"\n", date(due)));
            }
            if c.within {
                t.push_str(if c.action % 2 == 0 {
                    "within = \"sco\"\n"
                } else {
                    "about = [\"sco\"]\n"
                });
            }
            if let (Some(l), false) = (c.link, ids.is_empty()) {
                t.push_str(&format!(
                    "repeats = \"{}\"\n",
                    ids[usize::from(l) % ids.len()]
                ));
            }
            ids.push(id);
        }
        // Events on earlier commitments, dated as their document (check refuses the ones that
        // would come before their commitment, or contradict another of the same day).
        for (which, status) in d.events.iter().take(5).filter(|_| !ids.is_empty()) {
            t.push_str(&format!(
                "[[events]]\ncommitment = \"{}\"\nstatus = \"{}\"\nsummary = \"e\"\nsources = [\"s\"]\n",
                ids[usize::from(*which) % ids.len()],
                STATUSES[1 + usize::from(*status) % 4]
            ));
        }
        for (f, s, quote) in d.views.iter().take(5) {
            t.push_str(&format!(
                "[[assessments]]\nfields = [\"{}\"]\nsummary = {}\n",
                FIELDS[usize::from(*f) % FIELDS.len()],
                q(s)
            ));
            if let Some(quote) = quote {
                t.push_str(&format!("quote = {}\n", q(quote)));
            }
        }
        files.push(SourceText {
            path: format!("d{i}.toml").into(),
            text: t,
        });
    }
    let loaded = parse_files(
        SourceText {
            path: "dataset.toml".into(),
            text: manifest,
        },
        files,
    );
    let _ = loaded.diagnostics.to_string();
    let Some(ds) = loaded.dataset else { return };
    let day = |x: u8| chrono::NaiveDate::from_ymd_opt(2000 + i32::from(x % 30), 6, 15);
    let opts = bilateral::briefing::aggregate::Options {
        known_after: None,
        include_drafts: true,
        marking: None,
        due_soon_days: 90,
        table: true,
        since: input.since.and_then(day),
        until: input.until.and_then(day),
        fields: input
            .field_filter
            .map(|f| vec![FIELDS[usize::from(f) % FIELDS.len()].to_string()])
            .unwrap_or_default(),
        party: None,
        detail: match input.summary {
            Some(n) => bilateral::briefing::aggregate::Detail::Summary(usize::from(n % 4) + 1),
            None => bilateral::briefing::aggregate::Detail::Full,
        },
    };
    let as_of =
        chrono::NaiveDate::from_ymd_opt(2000 + i32::from(input.as_of % 32), 7, 1).expect("a date");
    let Ok(b) = bilateral::briefing::aggregate::aggregate(&ds, &opts, as_of) else {
        return;
    };
    // Nothing published after the as-of date is cited or counted.
    assert!(b
        .sources
        .iter()
        .all(|s| s.published.is_none_or(|p| p.end() <= as_of)));
    assert!(b.header.data_cutoff.is_none_or(|d| d.end() <= as_of));
    let in_fields: usize = b.fields.iter().map(|f| f.count).sum();
    assert_eq!(in_fields, b.header.counts.commitments);
    for f in &b.fields {
        assert_eq!(f.commitments.len() + f.omitted, f.count);
    }
    let cited = b.sources.len();
    for c in b.fields.iter().flat_map(|f| &f.commitments) {
        assert!(c.sources.iter().all(|&n| n >= 1 && n <= cited));
    }
    // The default templates compile once, as in a server: compiling them is a fixed cost (tens
    // of milliseconds, seconds under the fuzzer's instrumentation) that says nothing about the input.
    static ENGINE: std::sync::OnceLock<bilateral::render::engine::TemplateEngine> =
        std::sync::OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        bilateral::render::engine::TemplateEngine::new(
            &bilateral::render::templates::Templates::defaults(),
        )
        .expect("the default templates compile")
    });
    use bilateral::render::Format;
    let out = bilateral::render::render_all(
        engine,
        &b,
        &[
            Format::Markdown,
            Format::Json,
            Format::Html,
            Format::Pdf,
            Format::Xlsx,
            Format::Csv,
        ],
        &Default::default(),
    )
    .expect("every format renders");
    assert!(out[3].bytes.starts_with(b"%PDF-"));
    assert!(out[4].bytes.starts_with(b"PK"));
});
