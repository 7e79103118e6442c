//! The ledger as a spreadsheet: every commitment, event and source of a briefing as rows a desk
//! can filter, sort and annotate. One description of the sheets and their columns (here) feeds
//! two writers: the workbook (`xlsx`) and CSV (`csv`), so the two never disagree on a column.
//!
//! Cells keep the briefing's facts honest: a date known to the day is a date, one known only to
//! the month or year is text beside a sort key that never invents a day; numbers and flags are
//! numbers and flags. Text from the dataset that a spreadsheet would read as a formula (it starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised by each writer as its format
//! allows (OWASP's advice on CSV injection). The words (sheet names, headings) come from
//! `templates/<lang>/ledger.toml`.

#[cfg(feature = "ledger")]
pub mod csv;
pub(crate) mod words;
#[cfg(feature = "ledger")]
pub mod xlsx;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rustc_hash::FxHashMap as HashMap;

use crate::base::date::PartialDate;
use crate::briefing::model::{
    Briefing, CommitmentRow, EventRow, MeasurementRow, Relation, RowLink, SourceEntry,
};
pub use words::Words;

/// The sheets, in the workbook's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sheet {
    #[default]
    Commitments,
    Events,
    Measurements,
    Sources,
    About,
}

impl Sheet {
    pub const ALL: [Sheet; 5] = [
        Sheet::Commitments,
        Sheet::Events,
        Sheet::Measurements,
        Sheet::Sources,
        Sheet::About,
    ];

    /// Its key in `ledger.toml` and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Sheet::Commitments => "commitments",
            Sheet::Events => "events",
            Sheet::Measurements => "measurements",
            Sheet::Sources => "sources",
            Sheet::About => "about",
        }
    }
}

impl FromStr for Sheet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sheet::ALL
            .into_iter()
            .find(|x| x.key() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown sheet `{s}`; expected commitments, events, measurements, sources or about")
            })
    }
}

impl fmt::Display for Sheet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The CSV's sheet, and whether to start with Excel's byte-order mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    pub sheet: Sheet,
    pub bom: bool,
}

/// A briefing built without its rows (`Options::table` false) cannot be written as a ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("the briefing was built without its ledger rows; build it with `Options::table`")]
    NoRows,
    #[cfg(feature = "ledger")]
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[cfg(feature = "ledger")]
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("this build of bilateral has no ledger formats (XLSX, CSV): build it with the `ledger` feature")]
    NotBuilt,
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Int(i64),
    /// A figure (a measurement, a target).
    Float(f64),
    Bool(bool),
    /// A date cell when the date is one known day, else its ISO 8601 text ("2025-04").
    Date(PartialDate),
    /// An address, a link in the workbook.
    Url(&'a str),
}

impl Cell<'_> {
    /// Whether a spreadsheet could take this text for a formula: it starts with a control
    /// character (tab, carriage return, line feed), or its first character after any white
    /// space is `=`, `+`, `-` or `@`, in ASCII or full width (`＝ ＋ － ＠`, which some
    /// spreadsheets fold to ASCII on entry).
    pub fn is_formula_like(text: &str) -> bool {
        text.starts_with(['\t', '\r', '\n'])
            || text
                .trim_start()
                .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
    }
}

/// How a column is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Short text: the column is as wide as its widest cell, within bounds.
    Text,
    /// Long text, wrapped in a fixed width.
    Long,
    Number,
    Bool,
    Date,
    Url,
}

/// One sheet, ready to write: its name, its columns' headings and kinds, and its rows.
pub struct SheetData<'a> {
    pub sheet: Sheet,
    pub name: &'a str,
    pub columns: Vec<(&'a str, Kind)>,
    pub rows: Box<dyn Iterator<Item = Vec<Cell<'a>>> + 'a>,
}

/// One column: its key in `ledger.toml`, its kind, and its value in a row.
struct Column<R: 'static> {
    key: &'static str,
    kind: Kind,
    value: for<'a> fn(&Names<'a>, &'a R) -> Cell<'a>,
}

/// The sheet `sheet` of the briefing's ledger.
pub fn sheet<'a>(
    b: &'a Briefing,
    words: &'a Words,
    sheet: Sheet,
) -> Result<SheetData<'a>, LedgerError> {
    let table = b.table.as_ref().ok_or(LedgerError::NoRows)?;
    let names = Names::new(b, words);
    let name = words.get("sheets", sheet.key());
    Ok(match sheet {
        Sheet::Commitments => rows(sheet, name, names, COMMITMENTS, &table.commitments),
        Sheet::Events => rows(sheet, name, names, EVENTS, &table.events),
        Sheet::Measurements => rows(sheet, name, names, MEASUREMENTS, &table.measurements),
        Sheet::Sources => rows(sheet, name, names, SOURCES, &table.sources),
        Sheet::About => SheetData {
            sheet,
            name,
            columns: vec![
                (words.get("about", "item"), Kind::Text),
                (words.get("about", "value"), Kind::Long),
            ],
            rows: Box::new(about(b, &names).into_iter()),
        },
    })
}

fn rows<'a, R>(
    sheet: Sheet,
    name: &'a str,
    names: Names<'a>,
    columns: &'static [Column<R>],
    items: &'a [R],
) -> SheetData<'a> {
    let words = names.words;
    SheetData {
        sheet,
        name,
        columns: columns
            .iter()
            .map(|c| (words.get(sheet.key(), c.key), c.kind))
            .collect(),
        rows: Box::new(
            items
                .iter()
                .map(move |r| columns.iter().map(|c| (c.value)(&names, r)).collect()),
        ),
    }
}

/// Display names by id, from the briefing's vocabulary.
struct Names<'a> {
    words: &'a Words,
    fields: HashMap<&'a str, &'a str>,
    parties: HashMap<&'a str, &'a str>,
    /// The pair's names, first party first.
    pair: Vec<&'a str>,
    organisations: HashMap<&'a str, &'a str>,
    /// Entities by id: their names and countries' codes.
    entities: HashMap<&'a str, (&'a str, &'a str)>,
}

impl<'a> Names<'a> {
    fn new(b: &'a Briefing, words: &'a Words) -> Self {
        let v = &b.vocabulary;
        let pairs = |list: &'a [crate::briefing::model::Named]| {
            list.iter()
                .map(|n| (n.id.as_str(), n.name.as_str()))
                .collect()
        };
        Self {
            words,
            fields: pairs(&v.fields),
            parties: pairs(&v.parties),
            pair: v.parties.iter().map(|p| p.name.as_str()).collect(),
            organisations: v
                .organisations
                .iter()
                .map(|o| (o.id.as_str(), o.short.as_deref().unwrap_or(&o.name)))
                .collect(),
            entities: v
                .entities
                .iter()
                .map(|e| (e.id.as_str(), (e.name.as_str(), e.country.as_str())))
                .collect(),
        }
    }

    /// A party's, an organisation's (short) or a third country's name, or an entity's with its
    /// country's ("SOCAR (Azerbaijan)"); else the code itself.
    fn target(&self, id: &'a str) -> Cow<'a, str> {
        if let Some(n) = self.parties.get(id).or_else(|| self.organisations.get(id)) {
            return Cow::Borrowed(n);
        }
        if let Some((name, country)) = self.entities.get(id) {
            return Cow::Owned(format!("{name} ({})", self.target(country)));
        }
        crate::base::country::lookup(id).map_or(Cow::Borrowed(id), |c| Cow::Borrowed(c.name))
    }

    fn field(&self, id: &'a str) -> &'a str {
        self.fields.get(id).copied().unwrap_or(id)
    }

    fn list<I: IntoIterator<Item = Cow<'a, str>>>(&self, items: I) -> Cell<'a> {
        let parts: Vec<Cow<'a, str>> = items.into_iter().collect();
        match parts.len() {
            0 => Cell::Empty,
            1 => Cell::Text(parts.into_iter().next().unwrap_or_default()),
            _ => Cell::Text(Cow::Owned(parts.join(self.words.get("words", "separator")))),
        }
    }

    /// "C12" for a numbered commitment, else its id.
    fn link(&self, l: &RowLink) -> String {
        match l.number {
            Some(n) => format!("{}{n}", self.words.get("words", "number_prefix")),
            None => l.id.clone(),
        }
    }

    fn links(&self, links: &[&'a RowLink]) -> Cell<'a> {
        self.list(links.iter().map(|l| Cow::Owned(self.link(l))))
    }
}

fn text(s: &str) -> Cell<'_> {
    match s.is_empty() {
        true => Cell::Empty,
        false => Cell::Text(Cow::Borrowed(s)),
    }
}

fn opt_text(s: &Option<String>) -> Cell<'_> {
    s.as_deref().map_or(Cell::Empty, text)
}

fn key(d: &PartialDate) -> Cell<'static> {
    Cell::Text(Cow::Owned(d.sort_key()))
}

fn opt_date(d: &Option<PartialDate>) -> Cell<'static> {
    d.map_or(Cell::Empty, Cell::Date)
}

fn opt_key(d: &Option<PartialDate>) -> Cell<'static> {
    d.as_ref().map_or(Cell::Empty, key)
}

/// A vocabulary keyword as the dataset writes it ("in-progress").
fn keyword<T: serde::Serialize>(v: &T) -> Cell<'static> {
    let json = serde_json::to_string(v).unwrap_or_default();
    Cell::Text(Cow::Owned(json.trim_matches('"').to_string()))
}

fn numbers(list: &[usize]) -> Cell<'static> {
    if list.is_empty() {
        return Cell::Empty;
    }
    let parts: Vec<String> = list.iter().map(usize::to_string).collect();
    Cell::Text(Cow::Owned(parts.join(", ")))
}

fn linked(r: &CommitmentRow, relation: Relation, later: bool) -> Vec<&RowLink> {
    match later {
        true => r.later.iter().filter(|l| l.relation == relation).collect(),
        false => r
            .earlier
            .iter()
            .filter(|l| l.relation == relation)
            .collect(),
    }
}

/// Who acts: a party (or its entity), an organisation, or for a joint commitment both parties.
fn actor<'a>(n: &Names<'a>, r: &'a CommitmentRow) -> Cell<'a> {
    match (&r.who.actor_entity, &r.who.actor) {
        (Some(e), _) => Cell::Text(n.target(e)),
        (None, Some(a)) => Cell::Text(n.target(a)),
        (None, None) => n.list(n.pair.iter().map(|p| Cow::Borrowed(*p))),
    }
}

fn opt_float(x: Option<f64>) -> Cell<'static> {
    x.map_or(Cell::Empty, Cell::Float)
}

macro_rules! col {
    ($key:literal, $kind:ident, $value:expr) => {
        Column {
            key: $key,
            kind: Kind::$kind,
            value: $value,
        }
    };
}

const COMMITMENTS: &[Column<CommitmentRow>] = &[
    col!("number", Number, |_, r| Cell::Int(r.number as i64)),
    col!("id", Text, |_, r| text(&r.id)),
    col!("date", Date, |_, r| Cell::Date(r.date)),
    col!("date_key", Text, |_, r| key(&r.date)),
    col!("date_kind", Text, |_, r| text(r.date.kind_name())),
    col!("known", Date, |_, r| Cell::Date(r.known)),
    col!("known_key", Text, |_, r| key(&r.known)),
    col!("field", Text, |n, r| {
        r.fields.first().map_or(Cell::Empty, |f| text(n.field(f)))
    }),
    col!("fields", Text, |n, r| n
        .list(r.fields.iter().map(|f| Cow::Borrowed(n.field(f))))),
    col!("actor", Text, actor),
    col!("joint", Bool, |_, r| Cell::Bool(r.mutual)),
    col!("with", Text, |n, r| n
        .list(r.who.with.iter().map(|t| n.target(t)))),
    col!("targets", Text, |n, r| n
        .list(r.who.targets.iter().map(|t| n.target(t)))),
    col!("within", Text, |n, r| n
        .list(r.who.within.iter().map(|t| n.target(t)))),
    col!("about", Text, |n, r| n
        .list(r.who.about.iter().map(|t| n.target(t)))),
    col!("action", Text, |_, r| keyword(&r.action)),
    col!("summary", Long, |_, r| text(&r.summary)),
    col!("status", Text, |_, r| keyword(&r.status)),
    col!("confidence", Text, |_, r| keyword(&r.confidence)),
    col!("strength", Text, |_, r| keyword(&r.strength)),
    col!("target_measure", Text, |_, r| r
        .target
        .as_ref()
        .map_or(Cell::Empty, |t| text(&t.label))),
    col!("target_value", Number, |_, r| opt_float(
        r.target.as_ref().map(|t| t.value)
    )),
    col!("target_unit", Text, |_, r| r
        .target
        .as_ref()
        .map_or(Cell::Empty, |t| text(&t.unit))),
    col!("target_by", Date, |_, r| opt_date(
        &r.target.as_ref().and_then(|t| t.by)
    )),
    col!("due", Date, |_, r| opt_date(&r.due)),
    col!("due_key", Text, |_, r| opt_key(&r.due)),
    col!("overdue", Bool, |_, r| Cell::Bool(r.overdue)),
    col!("due_soon", Bool, |_, r| Cell::Bool(r.due_soon)),
    col!("score", Number, |_, r| Cell::Int(r.score.into())),
    col!("repeats", Text, |n, r| n.links(&linked(
        r,
        Relation::Repeats,
        false
    ))),
    col!("upgrades", Text, |n, r| n.links(&linked(
        r,
        Relation::Upgrades,
        false
    ))),
    col!("repeated_by", Text, |n, r| n.links(&linked(
        r,
        Relation::Repeats,
        true
    ))),
    col!("upgraded_by", Text, |n, r| n.links(&linked(
        r,
        Relation::Upgrades,
        true
    ))),
    col!("document", Long, |_, r| text(&r.document_title)),
    col!("document_id", Text, |_, r| text(&r.document)),
    col!("sources", Text, |_, r| numbers(&r.sources)),
];

const EVENTS: &[Column<EventRow>] = &[
    col!("commitment", Number, |_, r| r
        .commitment_number
        .map_or(Cell::Empty, |n| Cell::Int(n as i64))),
    col!("commitment_id", Text, |_, r| text(&r.commitment)),
    col!("date", Date, |_, r| Cell::Date(r.date)),
    col!("date_key", Text, |_, r| key(&r.date)),
    col!("known", Date, |_, r| Cell::Date(r.known)),
    col!("known_key", Text, |_, r| key(&r.known)),
    col!("from", Text, |_, r| keyword(&r.from)),
    col!("status", Text, |_, r| keyword(&r.status)),
    col!("summary", Long, |_, r| text(&r.summary)),
    col!("document", Long, |_, r| text(&r.document_title)),
    col!("document_id", Text, |_, r| text(&r.document)),
    col!("sources", Text, |_, r| numbers(&r.sources)),
];

const MEASUREMENTS: &[Column<MeasurementRow>] = &[
    col!("measure", Text, |_, r| text(&r.label)),
    col!("measure_id", Text, |_, r| text(&r.measure)),
    col!("period", Date, |_, r| Cell::Date(r.period)),
    col!("period_key", Text, |_, r| key(&r.period)),
    col!("value", Number, |_, r| Cell::Float(r.value)),
    col!("unit", Text, |_, r| text(&r.unit)),
    col!("known", Date, |_, r| Cell::Date(r.known)),
    col!("known_key", Text, |_, r| key(&r.known)),
    col!("commitment_id", Text, |_, r| opt_text(&r.commitment)),
    col!("superseded", Bool, |_, r| Cell::Bool(r.superseded)),
    col!("document", Long, |_, r| text(&r.document_title)),
    col!("document_id", Text, |_, r| text(&r.document)),
    col!("sources", Text, |_, r| numbers(&r.sources)),
];

const SOURCES: &[Column<SourceEntry>] = &[
    col!("number", Number, |_, s| Cell::Int(s.number as i64)),
    col!("publisher", Text, |_, s| text(&s.publisher)),
    col!("title", Long, |_, s| opt_text(&s.title)),
    col!("published", Date, |_, s| opt_date(&s.published)),
    col!("published_key", Text, |_, s| opt_key(&s.published)),
    col!("language", Text, |_, s| text(&s.language)),
    col!("reliability", Text, |_, s| keyword(&s.reliability)),
    col!("url", Url, |_, s| s
        .url
        .as_deref()
        .map_or(Cell::Empty, Cell::Url)),
    col!("cited_by", Long, |n, s| n
        .list(s.cited_by.iter().map(|t| Cow::Borrowed(t.as_str())))),
    col!("note", Long, |_, s| opt_text(&s.note)),
];

/// The About sheet's rows, by their keys in `ledger.toml`.
const ABOUT: [&str; 14] = [
    "title",
    "parties",
    "since",
    "until",
    "as_of",
    "data_cutoff",
    "known_after",
    "fields",
    "party",
    "commitments",
    "events",
    "sources",
    "source_numbers",
    "generator",
];

/// The About sheet: what the ledger covers, one fact a row.
fn about<'a>(b: &'a Briefing, names: &Names<'a>) -> Vec<Vec<Cell<'a>>> {
    let (h, words) = (&b.header, names.words);
    let table = b.table.as_ref();
    let count = |n: usize| Cell::Int(n as i64);
    let parties = h
        .parties
        .iter()
        .map(|p| Cow::Owned(format!("{} ({})", p.name, p.id)));
    let values: [Cell<'a>; ABOUT.len()] = [
        text(&h.title),
        names.list(parties),
        opt_date(&h.period.since.map(PartialDate::from_naive)),
        Cell::Date(PartialDate::from_naive(h.period.until)),
        Cell::Date(PartialDate::from_naive(h.as_of)),
        opt_date(&h.data_cutoff),
        opt_date(&h.known_after.map(PartialDate::from_naive)),
        names.list(h.filters.fields.iter().map(|f| Cow::Borrowed(f.as_str()))),
        opt_text(&h.filters.party),
        count(table.map_or(0, |t| t.commitments.len())),
        count(table.map_or(0, |t| t.events.len())),
        count(table.map_or(0, |t| t.sources.len())),
        text(words.get("about", "source_numbers_note")),
        text(&b.generator),
    ];
    ABOUT
        .iter()
        .zip(values)
        .map(|(k, v)| vec![text(words.get("about", k)), v])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_heading_the_code_asks_for_has_a_word() {
        let w = Words::default();
        let tables = [
            (
                "commitments",
                COMMITMENTS.iter().map(|c| c.key).collect::<Vec<_>>(),
            ),
            ("events", EVENTS.iter().map(|c| c.key).collect()),
            ("measurements", MEASUREMENTS.iter().map(|c| c.key).collect()),
            ("sources", SOURCES.iter().map(|c| c.key).collect()),
        ];
        for (table, keys) in tables {
            for k in keys {
                assert!(!w.get(table, k).is_empty(), "{table}.{k} has no heading");
            }
        }
        for s in Sheet::ALL {
            assert!(!w.get("sheets", s.key()).is_empty());
        }
        for k in ABOUT
            .iter()
            .chain(&["item", "value", "source_numbers_note"])
        {
            assert!(!w.get("about", k).is_empty(), "about.{k} has no label");
        }
    }

    #[test]
    fn formula_like_text_is_recognised() {
        for s in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "\n=1+1",
            "  =1+1",
            "\u{3000}=x",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
        ] {
            assert!(Cell::is_formula_like(s), "{s:?}");
        }
        for s in ["Azerbaijan", "1-2", " x=1", "", "   "] {
            assert!(!Cell::is_formula_like(s), "{s:?}");
        }
    }
}
