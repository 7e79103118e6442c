//! No output format leaks the future: a briefing as of a day shows no text that was not known by
//! that day, in Markdown, HTML, JSON, CSV, the PDF's text (pdftotext) or the workbook (read back
//! with openpyxl). Generated datasets (proptest) give every piece of text its own marker word, with
//! random publication lags, undated sources known from their retrieval date, notes written later
//! than their record, quotes (and their translations) from a source published long after the
//! record, events and views known later, figures (measurements, with their quotes and notes)
//! published later, and dates of every precision (year, half, quarter, month, day). For an as-of day near the edges of those dates, the test works out from the
//! format's rules alone which markers may not appear yet, and searches every output for them;
//! and, so it cannot pass by showing nothing, it requires the JSON to show every marker that is
//! known and on show by then, and every format to show every known commitment.
//!
//! Why: the as-of rule is applied in the model, but each renderer reads the model its own way,
//! and one field carried past the filter (a note, a quote, a translation, a source's publisher)
//! would put a later fact into an earlier briefing without any other test noticing.

mod tools;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use bilateral::briefing::aggregate::Detail;
use bilateral::dataset::load::{parse_files, SourceText};
use bilateral::publish::{BriefingRequest, Publisher};
use bilateral::render::ledger::Sheet;
use bilateral::render::templates::Templates;
use bilateral::render::Format;
use chrono::{Datelike, Days, NaiveDate, TimeDelta};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestRunner;

const FIELDS: [&str; 5] = [
    "economy-trade",
    "energy",
    "security",
    "multilateral",
    "people-to-people",
];

const STATUSES: [&str; 4] = ["in-progress", "implemented", "stalled", "withdrawn"];

const RELIABILITY: [&str; 4] = ["official", "state-media", "independent-media", "expert"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A partial date as the test sees it, computed here and not by the library: its last day is
/// what the as-of rule compares.
#[derive(Debug, Clone, Copy)]
enum Pd {
    Year(i32),
    Half(i32, u32),
    Quarter(i32, u32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl Pd {
    /// The date of precision `precision` (0 year, 1 half, 2 quarter, 3 month, 4 day) that holds
    /// `d`: it ends on or after `d`, so it is never before a date that starts by `d`.
    fn containing(d: NaiveDate, precision: u8) -> Pd {
        let (y, m) = (d.year(), d.month());
        match precision % 5 {
            0 => Pd::Year(y),
            1 => Pd::Half(y, (m - 1) / 6 + 1),
            2 => Pd::Quarter(y, (m - 1) / 3 + 1),
            3 => Pd::Month(y, m),
            _ => Pd::Day(d),
        }
    }

    /// Year, first month, last month.
    fn months(self) -> (i32, u32, u32) {
        match self {
            Pd::Year(y) => (y, 1, 12),
            Pd::Half(y, h) => (y, 6 * h - 5, 6 * h),
            Pd::Quarter(y, q) => (y, 3 * q - 2, 3 * q),
            Pd::Month(y, m) => (y, m, m),
            Pd::Day(d) => (d.year(), d.month(), d.month()),
        }
    }

    fn start(self) -> NaiveDate {
        match self {
            Pd::Day(d) => d,
            _ => {
                let (y, first, _) = self.months();
                day(y, first, 1)
            }
        }
    }

    fn end(self) -> NaiveDate {
        match self {
            Pd::Day(d) => d,
            _ => match self.months() {
                (y, _, 12) => day(y, 12, 31),
                (y, _, last) => day(y, last + 1, 1).pred_opt().unwrap(),
            },
        }
    }

    fn text(self) -> String {
        match self {
            Pd::Year(y) => format!("{y}"),
            Pd::Half(y, h) => format!("{y}-H{h}"),
            Pd::Quarter(y, q) => format!("{y}-Q{q}"),
            Pd::Month(y, m) => format!("{y}-{m:02}"),
            Pd::Day(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// A date `lag` days after `from`, at a precision.
fn after(from: NaiveDate, lag: u32, precision: u8) -> Pd {
    Pd::containing(from + Days::new(lag.into()), precision)
}

// ---- What the strategy generates: shapes, no text (the text is all markers, given when built).

#[derive(Debug, Clone)]
struct NoteSpec {
    /// 0 none, 1 a plain note, 2 a dated note.
    kind: u8,
    /// Days after the document's date that it was written, and at what precision.
    lag: u32,
    precision: u8,
}

#[derive(Debug, Clone)]
struct SourceSpec {
    /// Days after the document's date that it was out, and at what precision.
    lag: u32,
    precision: u8,
    /// 0 published, 1 retrieved only (undated), 2 published and retrieved later.
    dating: u8,
    title: bool,
    url: bool,
    reliability: usize,
    note: NoteSpec,
}

#[derive(Debug, Clone)]
struct QuoteSpec {
    /// A source of the document, by index (modulo their number); None: no `source`.
    source: Option<usize>,
    translation: bool,
    /// 0 no `by`, 1 text, 2 outlet, 3 speaker (named on the quote).
    by: u8,
}

#[derive(Debug, Clone)]
struct RecordSpec {
    /// Which of the document's sources it names (a bit mask, modulo); 0: no `sources`, all.
    cites: u8,
    single_quote: bool,
    quotes: Vec<QuoteSpec>,
    note: NoteSpec,
}

#[derive(Debug, Clone)]
struct CommitmentSpec {
    rec: RecordSpec,
    /// 0 AZ, 1 CN, 2 mutual.
    actor: u8,
    field: usize,
    within: bool,
    partnership: bool,
    /// An earlier commitment it repeats, picked among those allowed.
    repeats: Option<usize>,
    /// Days after the document's date it is due, and at what precision.
    due: Option<(u32, u8)>,
}

#[derive(Debug, Clone)]
struct EventSpec {
    rec: RecordSpec,
    /// The commitment it concerns, picked among those made by the document's date.
    target: usize,
}

#[derive(Debug, Clone)]
struct AssessmentSpec {
    rec: RecordSpec,
    /// Its own `author`; else the document's speaker (when it has one).
    author: bool,
    field: usize,
}

#[derive(Debug, Clone)]
struct DocSpec {
    /// Days after 2019-01-01, and the date's precision.
    offset: u32,
    precision: u8,
    place: bool,
    speaker: bool,
    note: NoteSpec,
    sources: Vec<SourceSpec>,
    commitments: Vec<CommitmentSpec>,
    events: Vec<EventSpec>,
    assessments: Vec<AssessmentSpec>,
}

fn note() -> impl Strategy<Value = NoteSpec> {
    (0u8..3, 0u32..2600, 0u8..5).prop_map(|(kind, lag, precision)| NoteSpec {
        kind,
        lag,
        precision,
    })
}

fn source(lag: impl Strategy<Value = u32>) -> impl Strategy<Value = SourceSpec> {
    (
        lag,
        0u8..5,
        prop_oneof![3 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8)],
        any::<bool>(),
        any::<bool>(),
        0..RELIABILITY.len(),
        note(),
    )
        .prop_map(
            |(lag, precision, dating, title, url, reliability, note)| SourceSpec {
                lag,
                precision,
                dating,
                title,
                url,
                reliability,
                note,
            },
        )
}

fn quote() -> impl Strategy<Value = QuoteSpec> {
    (
        proptest::option::weighted(0.7, 0usize..3),
        any::<bool>(),
        0u8..4,
    )
        .prop_map(|(source, translation, by)| QuoteSpec {
            source,
            translation,
            by,
        })
}

fn record() -> impl Strategy<Value = RecordSpec> {
    (
        any::<u8>(),
        any::<bool>(),
        proptest::collection::vec(quote(), 0..3),
        note(),
    )
        .prop_map(|(cites, single_quote, quotes, note)| RecordSpec {
            cites,
            single_quote,
            quotes,
            note,
        })
}

fn commitment() -> impl Strategy<Value = CommitmentSpec> {
    (
        record(),
        0u8..3,
        0..FIELDS.len(),
        any::<bool>(),
        proptest::bool::weighted(0.2),
        proptest::option::weighted(0.3, any::<usize>()),
        proptest::option::weighted(0.3, (0u32..1500, 0u8..5)),
    )
        .prop_map(
            |(rec, actor, field, within, partnership, repeats, due)| CommitmentSpec {
                rec,
                actor,
                field,
                within,
                partnership,
                repeats,
                due,
            },
        )
}

fn document() -> impl Strategy<Value = DocSpec> {
    // The first source comes out soon after the document; the others soon, or years later.
    let later = prop_oneof![0u32..120, 600u32..2600];
    (
        (0u32..2600, 0u8..5, any::<bool>(), any::<bool>(), note()),
        source(0u32..120),
        proptest::collection::vec(source(later), 0..3),
        proptest::collection::vec(commitment(), 0..4),
        proptest::collection::vec(
            (record(), any::<usize>()).prop_map(|(rec, target)| EventSpec { rec, target }),
            0..3,
        ),
        proptest::collection::vec(
            (record(), any::<bool>(), 0..FIELDS.len())
                .prop_map(|(rec, author, field)| AssessmentSpec { rec, author, field }),
            0..2,
        ),
    )
        .prop_map(
            |(
                (offset, precision, place, speaker, note),
                first,
                rest,
                commitments,
                events,
                assessments,
            )| DocSpec {
                offset,
                precision,
                place,
                speaker,
                note,
                sources: std::iter::once(first).chain(rest).collect(),
                commitments,
                events,
                assessments,
            },
        )
}

fn dataset() -> impl Strategy<Value = Vec<DocSpec>> {
    proptest::collection::vec(document(), 1..5)
}

/// An as-of day: one of the dataset's edges (a source out, a note written), or near it.
fn as_of_pick() -> impl Strategy<Value = (Index, i64)> {
    (
        any::<Index>(),
        prop_oneof![Just(-1i64), Just(0i64), Just(1i64), -400i64..400],
    )
}

// ---- The built dataset: its files, and every marker with the day from which it may be shown.

/// A piece of text: its marker, what it is, the first day a briefing may show it (`from`), and the
/// first day the JSON must show it (`shown`, for markers whose record is on show then).
#[derive(Debug, Clone)]
struct Mark {
    token: String,
    what: String,
    from: NaiveDate,
    shown: NaiveDate,
    /// A commitment's summary: every format lists it.
    summary: bool,
}

/// Marker words: "Zqx" and four lower-case letters (no f, i or l, which PDF fonts may join
/// into ligatures), all the same length, so no marker is found inside another.
struct Tokens(usize);

impl Tokens {
    fn next(&mut self) -> String {
        const LETTERS: &[u8] = b"abcdeghjkmnopqrstuvwxyz";
        let base = LETTERS.len();
        let mut n = self.0;
        self.0 += 1;
        let mut s = String::from("Zqx");
        let mut tail = [0u8; 4];
        for t in tail.iter_mut().rev() {
            *t = LETTERS[n % base];
            n /= base;
        }
        s.push_str(std::str::from_utf8(&tail).unwrap());
        s
    }
}

struct Built {
    manifest: SourceText,
    docs: Vec<SourceText>,
    marks: Vec<Mark>,
    /// The days records and notes become known: where an as-of day is most telling.
    edges: Vec<NaiveDate>,
}

/// What pass one knows of a document's dates.
struct DocDates {
    date: Pd,
    /// Each source's `published`, `retrieved`, and the day it counts as out (end of the first).
    sources: Vec<(Option<Pd>, Option<Pd>, NaiveDate)>,
}

impl DocDates {
    /// The indices of the sources a record naming `cites` rests on.
    fn cited(&self, cites: u8) -> Vec<usize> {
        let n = self.sources.len();
        let mask = usize::from(cites) % (1 << n);
        (0..n)
            .filter(|i| mask == 0 || mask & (1 << i) != 0)
            .collect()
    }

    /// When a record resting on `cited` is known: the earliest of them out.
    fn known(&self, cited: &[usize]) -> NaiveDate {
        cited.iter().map(|&i| self.sources[i].2).min().unwrap()
    }

    /// When all of `cited` are out.
    fn all_known(&self, cited: &[usize]) -> NaiveDate {
        cited.iter().map(|&i| self.sources[i].2).max().unwrap()
    }
}

struct Builder {
    tokens: Tokens,
    marks: Vec<Mark>,
}

impl Builder {
    fn mark(&mut self, what: String, from: NaiveDate, shown: NaiveDate) -> String {
        let token = self.tokens.next();
        self.marks.push(Mark {
            token: token.clone(),
            what,
            from,
            shown: shown.max(from),
            summary: false,
        });
        token
    }

    /// A `note = …` line: none, plain (shown with its record), or written `n.lag` days after the
    /// document (shown once its record is and that date is over).
    fn note(
        &mut self,
        n: &NoteSpec,
        doc_start: NaiveDate,
        what: &str,
        known: NaiveDate,
        shown: NaiveDate,
        edges: &mut Vec<NaiveDate>,
    ) -> String {
        match n.kind {
            1 => {
                let t = self.mark(format!("note of {what}"), known, shown);
                format!("note = \"{t}\"\n")
            }
            2 => {
                let written = after(doc_start, n.lag, n.precision);
                edges.push(written.end());
                let from = known.max(written.end());
                let t = self.mark(
                    format!("note of {what}, written {}", written.text()),
                    from,
                    shown,
                );
                format!(
                    "note = {{ text = \"{t}\", written = \"{}\" }}\n",
                    written.text()
                )
            }
            _ => String::new(),
        }
    }

    /// The lines a record's sources, quotes and note take. `shown`: the day the record is on show
    /// (for an event, once its commitment is known too).
    fn record(
        &mut self,
        r: &RecordSpec,
        dd: &DocDates,
        what: &str,
        known: NaiveDate,
        shown: NaiveDate,
        edges: &mut Vec<NaiveDate>,
    ) -> String {
        let cited = dd.cited(r.cites);
        let mut t = String::new();
        if usize::from(r.cites) % (1 << dd.sources.len()) != 0 {
            let ids: Vec<String> = cited.iter().map(|i| format!("\"s{i}\"")).collect();
            writeln!(t, "sources = [{}]", ids.join(", ")).unwrap();
        }
        // A quote without its own source: once all the record's sources are out.
        let all = dd.all_known(&cited);
        if r.single_quote {
            let m = self.mark(format!("single quote of {what}"), all, shown);
            writeln!(t, "quote = \"{m}\"").unwrap();
        }
        let mut quotes = Vec::new();
        for (i, q) in r.quotes.iter().enumerate() {
            let source = q.source.map(|s| s % dd.sources.len());
            let (from, whence) = match source {
                Some(s) => (
                    known.max(dd.sources[s].2),
                    format!("from source s{s}, out {}", dd.sources[s].2),
                ),
                None => (all, "without a source".to_string()),
            };
            let qwhat = format!("quote {i} of {what} ({whence})");
            let text = self.mark(qwhat.clone(), from, shown);
            let mut items = vec![format!("text = \"{text}\"")];
            match q.by {
                1 => items.push("by = \"text\"".into()),
                2 => items.push("by = \"outlet\"".into()),
                3 => {
                    let sp = self.mark(format!("speaker of {qwhat}"), from, shown);
                    items.push("by = \"speaker\"".into());
                    items.push(format!("speaker = \"{sp}\""));
                }
                _ => {}
            }
            if q.translation {
                let tr = self.mark(format!("translation of {qwhat}"), from, shown);
                items.push("language = \"az\"".into());
                items.push(format!("translation = \"{tr}\""));
            }
            if let Some(s) = source {
                items.push(format!("source = \"s{s}\""));
            }
            quotes.push(format!("{{ {} }}", items.join(", ")));
        }
        if !quotes.is_empty() {
            writeln!(t, "quotes = [{}]", quotes.join(", ")).unwrap();
        }
        t.push_str(&self.note(&r.note, dd.date.start(), what, known, shown, edges));
        t
    }
}

fn build(specs: &[DocSpec]) -> Built {
    // Pass one: dates, and every commitment's number, document and known day.
    let dates: Vec<DocDates> = specs
        .iter()
        .map(|d| {
            let date = after(day(2019, 1, 1), d.offset, d.precision);
            let sources = d
                .sources
                .iter()
                .map(|s| {
                    let out = after(date.start(), s.lag, s.precision);
                    match s.dating {
                        0 => (Some(out), None, out.end()),
                        1 => (None, Some(out), out.end()),
                        _ => {
                            let read = after(out.end(), 30, s.precision.wrapping_add(1));
                            (Some(out), Some(read), out.end())
                        }
                    }
                })
                .collect();
            DocDates { date, sources }
        })
        .collect();
    // (document, known day) of commitment `c{n}`.
    let mut commitments: Vec<(usize, NaiveDate)> = Vec::new();
    for (i, d) in specs.iter().enumerate() {
        for c in &d.commitments {
            commitments.push((i, dates[i].known(&dates[i].cited(c.rec.cites))));
        }
    }

    let mut b = Builder {
        tokens: Tokens(0),
        marks: Vec::new(),
    };
    let mut edges: Vec<NaiveDate> = Vec::new();
    let mut next_commitment = 0;
    let mut docs = Vec::new();
    for (i, (d, dd)) in specs.iter().zip(&dates).enumerate() {
        edges.extend(dd.sources.iter().map(|s| s.2));
        let all: Vec<usize> = (0..dd.sources.len()).collect();
        let doc_known = dd.known(&all);
        let start = dd.date.start();
        let what = format!("document d{i}");
        let title = b.mark(format!("title of {what}"), doc_known, doc_known);
        let mut t = format!(
            "id = \"d{i}\"\ntitle = \"{title}\"\nkind = \"readout\"\ndate = \"{}\"\nparties = [\"AZ\", \"CN\"]\n",
            dd.date.text()
        );
        if d.place {
            let place = b.mark(format!("place of {what}"), doc_known, doc_known);
            writeln!(t, "place = \"{place}\"").unwrap();
        }
        t.push_str(&b.note(&d.note, start, &what, doc_known, doc_known, &mut edges));
        let speaker = d.speaker.then(|| {
            let name = b.mark(format!("speaker of {what}"), doc_known, doc_known);
            let role = b.mark(format!("speaker's role in {what}"), doc_known, doc_known);
            let aff = b.mark(
                format!("speaker's affiliation in {what}"),
                doc_known,
                doc_known,
            );
            format!("[speaker]\nname = \"{name}\"\nrole = \"{role}\"\naffiliation = \"{aff}\"\n")
        });
        t.push_str(speaker.as_deref().unwrap_or_default());

        for (j, (s, &(published, retrieved, out))) in d.sources.iter().zip(&dd.sources).enumerate()
        {
            let swhat = format!("source s{j} of {what} (out {out})");
            let publisher = b.mark(format!("publisher of {swhat}"), out, out);
            write!(
                t,
                "[[sources]]\nid = \"s{j}\"\npublisher = \"{publisher}\"\nlanguage = \"en\"\nreliability = \"{}\"\n",
                RELIABILITY[s.reliability]
            )
            .unwrap();
            if s.title {
                let title = b.mark(format!("title of {swhat}"), out, out);
                writeln!(t, "title = \"{title}\"").unwrap();
            }
            if s.url {
                let page = b.mark(format!("address of {swhat}"), out, out);
                writeln!(t, "url = \"https://example.org/{page}\"").unwrap();
            }
            if let Some(p) = published {
                writeln!(t, "published = \"{}\"", p.text()).unwrap();
            }
            if let Some(r) = retrieved {
                writeln!(t, "retrieved = \"{}\"", r.text()).unwrap();
            }
            t.push_str(&b.note(&s.note, start, &swhat, out, out, &mut edges));
        }

        for c in &d.commitments {
            let n = next_commitment;
            next_commitment += 1;
            let known = commitments[n].1;
            let cwhat = format!("commitment c{n}");
            let summary = b.mark(format!("summary of {cwhat}"), known, known);
            b.marks.last_mut().unwrap().summary = true;
            write!(
                t,
                "[[commitments]]\nid = \"c{n}\"\n{}\nfield = \"{}\"\naction = \"support\"\nsummary = \"{summary}\"\n",
                match c.actor {
                    0 => "actor = \"AZ\"",
                    1 => "actor = \"CN\"",
                    _ => "mutual = true",
                },
                FIELDS[c.field]
            )
            .unwrap();
            if c.within {
                t.push_str("within = \"sco\"\n");
            }
            if c.partnership {
                let p = b.mark(format!("partnership of {cwhat}"), known, known);
                writeln!(t, "partnership = \"{p}\"").unwrap();
            }
            // An earlier commitment (a lower number, so no circles) made by this one's date.
            let earlier: Vec<usize> = (0..n)
                .filter(|&m| dates[commitments[m].0].date.start() <= dd.date.end())
                .collect();
            if let Some(pick) = c.repeats.filter(|_| !earlier.is_empty()) {
                writeln!(t, "repeats = \"c{}\"", earlier[pick % earlier.len()]).unwrap();
            }
            if let Some((lag, precision)) = c.due {
                writeln!(t, "due = \"{}\"", after(start, lag, precision).text()).unwrap();
            }
            // Every other commitment sets a target, so the figures below are shown.
            if n % 2 == 0 {
                writeln!(t, "quantity = {{ measure = \"m\", value = 100 }}").unwrap();
            }
            t.push_str(&b.record(&c.rec, dd, &cwhat, known, known, &mut edges));
        }

        // Events on commitments made by this document's date (its own, or other documents').
        let targets: Vec<usize> = (0..commitments.len())
            .filter(|&m| dates[commitments[m].0].date.start() <= start)
            .collect();
        for (k, e) in d.events.iter().enumerate() {
            if targets.is_empty() {
                break;
            }
            let c = targets[e.target % targets.len()];
            let cited = dd.cited(e.rec.cites);
            let known = dd.known(&cited);
            // On show once its commitment is known too.
            let shown = known.max(commitments[c].1);
            let ewhat = format!("event {k} of {what}, on c{c}");
            let summary = b.mark(format!("summary of {ewhat}"), known, shown);
            write!(
                t,
                "[[events]]\ncommitment = \"c{c}\"\nstatus = \"{}\"\nsummary = \"{summary}\"\n",
                STATUSES[c % STATUSES.len()]
            )
            .unwrap();
            t.push_str(&b.record(&e.rec, dd, &ewhat, known, shown, &mut edges));
        }

        // A figure for the document's year beside each event, resting on the same sources, with
        // the same quotes and note: never shown before its sources are out (and not required
        // after: a later report of the year replaces it).
        for (k, e) in d.events.iter().enumerate() {
            let known = dd.known(&dd.cited(e.rec.cites));
            let mwhat = format!("figure {k} of {what}");
            write!(
                t,
                "[[measurements]]\nmeasure = \"m\"\nvalue = {}\nperiod = \"{}\"\n",
                10 + k,
                start.year()
            )
            .unwrap();
            let never = day(9999, 12, 31);
            t.push_str(&b.record(&e.rec, dd, &mwhat, known, never, &mut edges));
        }

        for (k, a) in d.assessments.iter().enumerate() {
            let known = dd.known(&dd.cited(a.rec.cites));
            let awhat = format!("assessment {k} of {what}");
            let summary = b.mark(format!("summary of {awhat}"), known, known);
            write!(
                t,
                "[[assessments]]\nfields = [\"{}\"]\nsummary = \"{summary}\"\n",
                FIELDS[a.field]
            )
            .unwrap();
            if a.author || !d.speaker {
                let author = b.mark(format!("author of {awhat}"), known, known);
                writeln!(t, "author = \"{author}\"").unwrap();
            }
            // Assessments take no note; the record's note spec is left unused.
            let rec = RecordSpec {
                note: NoteSpec {
                    kind: 0,
                    ..a.rec.note.clone()
                },
                ..a.rec.clone()
            };
            t.push_str(&b.record(&rec, dd, &awhat, known, known, &mut edges));
        }

        docs.push(SourceText {
            path: format!("d{i}.toml").into(),
            text: t,
        });
    }
    edges.sort_unstable();
    edges.dedup();
    Built {
        manifest: SourceText {
            path: "dataset.toml".into(),
            text: "[[parties]]\ncode = \"AZ\"\n[[parties]]\ncode = \"CN\"\n[[organisations]]\nid = \"sco\"\nname = \"Shanghai Cooperation Organisation\"\nshort = \"SCO\"\n[[measures]]\nid = \"m\"\nlabel = \"Measured\"\nunit = \"t\"\n".into(),
        },
        docs,
        marks: b.marks,
        edges,
    }
}

// ---- Rendering and reading back.

fn publisher() -> &'static Publisher {
    static P: OnceLock<Publisher> = OnceLock::new();
    P.get_or_init(|| Publisher::new(&Templates::defaults()).unwrap())
}

/// Lower case (a renderer may change a marker's first letter's case), for searching.
fn folded(s: &str) -> String {
    s.to_lowercase()
}

/// Lower case, without whitespace: the PDF's text breaks lines anywhere.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The external readers of the PDF and the workbook (absent only when skipping missing tools).
struct Readers {
    pdftotext: bool,
    python: Option<PathBuf>,
}

/// Every output of the briefing as of `as_of`, as searchable text: (format, text). With
/// `readers`, also the PDF (pdftotext) and the workbook (openpyxl), which are slow.
fn outputs(
    ds: &bilateral::Dataset,
    as_of: NaiveDate,
    readers: Option<&Readers>,
) -> Vec<(String, String)> {
    let mut formats = vec![Format::Markdown, Format::Html, Format::Json, Format::Csv];
    if let Some(r) = readers {
        if r.pdftotext {
            formats.push(Format::Pdf);
        }
        if r.python.is_some() {
            formats.push(Format::Xlsx);
        }
    }
    let req = BriefingRequest::new(as_of)
        .formats(formats)
        .detail(Detail::Full);
    let publication = publisher().publish(ds, &req).unwrap();
    let mut out = Vec::new();
    for o in &publication.outputs {
        match o.format {
            Format::Pdf => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join(&o.file_name);
                std::fs::write(&path, &o.bytes).unwrap();
                if let Some(text) = tools::pdftotext(&path) {
                    out.push(("PDF".to_string(), squeezed(&text)));
                }
            }
            Format::Xlsx => {
                let Some(python) = readers.and_then(|r| r.python.as_ref()) else {
                    continue;
                };
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join(&o.file_name);
                std::fs::write(&path, &o.bytes).unwrap();
                let book = tools::read_ledger(python, "xlsx", &path);
                out.push(("XLSX".to_string(), folded(&book.to_string())));
            }
            // The CSV of every sheet, not only the default one.
            Format::Csv => {
                for sheet in Sheet::ALL {
                    let mut one = req.clone().formats(vec![Format::Csv]);
                    one.csv.sheet = sheet;
                    let p = publisher()
                        .render(publication.briefing.clone(), &one)
                        .unwrap();
                    let text = String::from_utf8(p.outputs[0].bytes.clone()).unwrap();
                    out.push((format!("CSV ({sheet:?})"), folded(&text)));
                }
            }
            f => {
                let text = String::from_utf8(o.bytes.clone()).unwrap();
                out.push((f.label().to_string(), folded(&text)));
            }
        }
    }
    out
}

/// What the outputs as of `as_of` get wrong: a marker not known by then that appears (a leak), a
/// marker on show that the JSON lacks, a known commitment that a format lacks.
fn problems(marks: &[Mark], outputs: &[(String, String)], as_of: NaiveDate) -> Vec<String> {
    let mut found = Vec::new();
    for (format, text) in outputs {
        for m in marks {
            let token = folded(&m.token);
            let present = text.contains(&token);
            if present && m.from > as_of {
                found.push(format!(
                    "LEAK into {format}: {} ({}), known only from {}",
                    m.token, m.what, m.from
                ));
            }
            // The JSON shows everything on show; the other formats at least every commitment
            // (the CSV's other sheets list events, sources and the briefing's details).
            let required = match format.as_str() {
                "JSON" => m.shown <= as_of,
                "CSV (Events)" | "CSV (Measurements)" | "CSV (Sources)" | "CSV (About)" => false,
                _ => m.summary && m.from <= as_of,
            };
            if required && !present {
                found.push(format!(
                    "MISSING from {format}: {} ({}), on show from {}",
                    m.token, m.what, m.shown
                ));
            }
        }
    }
    found
}

fn dump(built: &Built) -> String {
    let mut s = String::new();
    for d in &built.docs {
        writeln!(s, "--- {}\n{}", d.path.display(), d.text).unwrap();
    }
    s
}

/// Every format of a briefing as of a day shows nothing known only after it, and shows what was
/// known.
#[test]
fn no_format_shows_what_was_not_yet_known() {
    // The readers, found before any case runs: a missing one fails here (unless
    // BILATERAL_SKIP_MISSING_TOOLS=1), not in every case proptest would shrink.
    let readers = Readers {
        pdftotext: tools::find("pdftotext", "apt-get install poppler-utils").is_some(),
        python: tools::python_with_openpyxl(),
    };
    let config = ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let cases = (dataset(), proptest::collection::vec(as_of_pick(), 4));
    let result = TestRunner::new(config).run(&cases, |(docs, picks)| {
        let built = build(&docs);
        let loaded = parse_files(built.manifest.clone(), built.docs.clone());
        let Some(ds) = loaded.dataset else {
            panic!(
                "a generated dataset is refused:\n{}\n{}",
                loaded.diagnostics,
                dump(&built)
            );
        };
        for (i, (pick, shift)) in picks.iter().enumerate() {
            let edge = built.edges[pick.index(built.edges.len())];
            let as_of = edge + TimeDelta::days(*shift);
            // The PDF and the workbook (slow) for the first day, the rest for every one.
            let outs = outputs(&ds, as_of, (i == 0).then_some(&readers));
            let found = problems(&built.marks, &outs, as_of);
            prop_assert!(
                found.is_empty(),
                "as of {as_of}:\n{}\n\ndataset:\n{}",
                found.join("\n"),
                dump(&built)
            );
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The test's own dates agree with the format's: a half ends with June or December, a quarter
/// with its third month, and a date holding a day never ends before it.
#[test]
fn partial_dates_end_where_the_format_says() {
    assert_eq!(Pd::Half(2026, 1).end(), day(2026, 6, 30));
    assert_eq!(Pd::Half(2026, 2).start(), day(2026, 7, 1));
    assert_eq!(Pd::Quarter(2026, 3).end(), day(2026, 9, 30));
    assert_eq!(Pd::Quarter(2024, 1).end(), day(2024, 3, 31));
    assert_eq!(Pd::Month(2024, 2).end(), day(2024, 2, 29));
    assert_eq!(Pd::Half(2026, 2).text(), "2026-H2");
    assert_eq!(Pd::Quarter(2026, 3).text(), "2026-Q3");
    let d = day(2025, 8, 14);
    for p in 0..5 {
        let pd = Pd::containing(d, p);
        assert!(pd.start() <= d && d <= pd.end(), "{pd:?}");
    }
    let mut t = Tokens(0);
    let (a, b) = (t.next(), t.next());
    assert_eq!((a.as_str(), b.as_str()), ("Zqxaaaa", "Zqxaaab"));
}
