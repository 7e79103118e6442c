//! The statement format: what a dataset's files hold, as Rust types.
//!
//! These types are the contract with people who write datasets by hand, so every struct denies
//! unknown keys (a typo must be an error, not a silently ignored line) and every doc comment here
//! becomes the description an editor shows through `bilateral schema`. Cross-references (a party
//! code, a field id, a linked commitment) are plain strings here and are checked in `validate`,
//! where the whole dataset is known.

use schemars::JsonSchema;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::base::date::PartialDate;

/// The manifest: `dataset.toml` (or `dataset.json`) at the root of a dataset folder.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// A display title for the pair, e.g. "China–Azerbaijan". Default: the two names joined by an en dash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The title in other languages, by BCP 47 tag (`titles = { ru = "Китай — Азербайджан" }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub titles: BTreeMap<String, String>,
    /// The two countries, each with its ISO 3166-1 alpha-2 code.
    pub parties: Vec<Party>,
    /// Organisations that commitments may target or be made within (the SCO, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<Organisation>,
    /// Fields to add to the built-in vocabulary, or built-in fields to relabel (same id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDef>,
    /// What the relationship is measured by (trade turnover, oil transit): the measures that
    /// commitments set targets in and documents report figures of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// Actors below the state: companies, agencies, funds, provinces. A commitment's or an
    /// event's actor or target may name one; it is counted under its country.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    /// The language the dataset's own text (titles, summaries, notes, names) is written in, a
    /// BCP 47 tag. Default: "en".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A record's text in another language: the keys its record has (`title`, `place` and `note`
/// for a document, `summary`, `partnership` and `note` for a commitment, `summary` and `note` for an
/// event, `summary` for a view).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partnership: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Something the relationship is measured by, in one unit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Identifier used by targets and measurements: lower case letters, digits and hyphens
    /// ("trade-turnover").
    pub id: String,
    /// What it is, as a heading: "Trade turnover".
    pub label: String,
    /// The unit every figure of it is in, printed after the number: an ISO 4217 currency code
    /// ("USD"), "t", "Mt", "TEU", "passengers", "%", or any text. Figures are never converted:
    /// a measure in another currency is another measure.
    pub unit: String,
    /// What the figures count and how: "goods only, customs statistics, current prices".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Its label in other languages, by BCP 47 tag: `names = { zh-Hans = "…", ru = "…" }`. A
    /// briefing in one of them uses it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// A company, agency, fund or region acting for (or in) a country.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Identifier used in documents: lower case letters, digits and hyphens ("socar").
    pub id: String,
    /// Its name in running text: "SOCAR".
    pub name: String,
    /// Its full name, if the short one is an abbreviation: "State Oil Company of Azerbaijan
    /// Republic".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// The ISO 3166-1 alpha-2 code of its country: a party of the pair (or an alias of one), or
    /// a third country.
    pub country: String,
    /// What sort of body it is.
    pub kind: EntityKind,
    /// Its name in other languages, by BCP 47 tag: `names = { zh-Hans = "…", ru = "…" }`. A
    /// briefing in one of them uses it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// What sort of body an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// A company, state-owned or not.
    Company,
    /// A ministry's agency, a regulator, a state committee.
    Agency,
    /// An investment or sovereign fund.
    Fund,
    /// A bank, development bank included.
    Bank,
    /// A province, region or autonomous republic.
    Province,
    /// A city or municipality.
    City,
    /// A university or research institute.
    University,
    /// Anything else.
    Other,
}

/// One side of the pair.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// ISO 3166-1 alpha-2 code, upper case: "AZ", "CN", "TR".
    pub code: String,
    /// Display name. Default: the ISO short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Other names documents may use for this party as actor or target ("PRC", "Türkiye").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Its name in other languages, by BCP 47 tag. Default: CLDR's name of the country in
    /// Chinese, Russian and Azerbaijani.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// A multilateral body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Identifier used in documents: lower case letters, digits and hyphens ("sco").
    pub id: String,
    /// Full name: "Shanghai Cooperation Organisation".
    pub name: String,
    /// Abbreviation used in running text: "SCO".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    /// Whether running text puts "the" before its name: true for "the SCO", false for "BRICS".
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub article: bool,
    /// Names it had before, each with the date it stopped using it, oldest first
    /// (the Organization of Turkic States was the Turkic Council until 2021-11-12).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former: Vec<FormerName>,
    /// Its name in running text in other languages, by BCP 47 tag (`names = { zh-Hans =
    /// "上海合作组织", ru = "ШОС" }`); it stands for both the name and the abbreviation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// A name an organisation used until a date.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormerName {
    /// The full name then: "Cooperation Council of Turkic-Speaking States".
    pub name: String,
    /// The abbreviation then, if any: "Turkic Council".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    /// The date of the change: records dated before it use this name.
    pub until: PartialDate,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A field of cooperation: a new one, or a new label for a built-in one.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Identifier used in documents: lower case letters, digits and hyphens.
    pub id: String,
    /// Heading used in briefings.
    pub label: String,
    /// Its label in other languages, by BCP 47 tag: `names = { zh-Hans = "…", ru = "…" }`. A
    /// briefing in one of them uses it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// The built-in field vocabulary, in briefing order.
pub const DEFAULT_FIELDS: &[(&str, &str)] = &[
    ("political-dialogue", "Political dialogue"),
    ("economy-trade", "Economy and trade"),
    ("energy", "Energy"),
    ("green-energy", "Green energy"),
    ("transport-connectivity", "Transport and connectivity"),
    ("industry", "Industry"),
    ("science-technology", "Science and technology"),
    ("security", "Security"),
    ("multilateral", "Multilateral cooperation"),
    ("people-to-people", "People-to-people"),
];

/// One source document: a file in the dataset folder (`*.toml` or `*.json`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Stable identifier, unique in the dataset: lower case letters, digits, `-`, `_` and `.`.
    pub id: String,
    /// The document's title as the source gives it, or a plain description.
    pub title: String,
    /// What sort of document this is.
    pub kind: DocumentKind,
    /// When it was issued, with the precision the source gives: "2025", "2025-04" or "2025-04-28".
    pub date: PartialDate,
    /// Where it was issued or said, if the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The parties it concerns: codes (or aliases) from the manifest.
    pub parties: Vec<String>,
    /// Countries beyond the pair that are parties to it too, by ISO 3166-1 alpha-2 code: a
    /// trilateral statement or a plurilateral agreement (`["UZ"]`). Its commitments share them
    /// unless they give their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_parties: Vec<String>,
    /// Where the document's content comes from; at least one.
    pub sources: Vec<Source>,
    /// For commentary, speeches and readouts: who is speaking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// Editorial note: what the sources do and do not say about this document. A text, or
    /// `{ text, written }` to say when it was written: it is shown only from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
    /// Its text in other languages, by BCP 47 tag: `translations.ru = { title = "…", note = "…" }`. A briefing
    /// in one of them uses it; without one it shows the original, marked as untranslated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
    /// Whether a briefing shows its original text because it has no translation into the
    /// briefing's language. Set by translating, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub untranslated: bool,
    /// What the parties commit to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    /// Expert views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<Assessment>,
    /// What happened to earlier commitments (of any file): follow-through the sources report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Figures the sources report for the manifest's measures (trade turnover in 2024).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measurements: Vec<Measurement>,
}

/// A reported value of a measure over a period. Known, like every record, from its sources'
/// publication; a later report of the same measure and period revises it from then on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// Id of a measure declared in the manifest.
    pub measure: String,
    /// The figure, in the measure's unit: `1_200_000_000` for USD 1.2 billion.
    pub value: f64,
    /// The period the figure covers, with the precision the source gives: "2024" for a year,
    /// "2025-Q1", "2025-03".
    pub period: PartialDate,
    /// Id of the commitment whose target the figure is measured against, when it counts only for
    /// that one (oil shipped under one agreement). Default: every target of the measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<String>,
    /// Ids of the document's sources that report it (each source's `id`). Default: all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The source's own words, verbatim, when it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Further quotes, each with whose words they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    /// Editorial note: how the source reports it (a text, or `{ text, written }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

impl Document {
    /// When the document became known: the earliest publication among its sources (the one
    /// whose span ends first). None only for a document without sources, which checking refuses.
    pub fn known(&self) -> Option<PartialDate> {
        earliest(self.sources.iter().map(|s| s.available_or(self.date)))
    }

    /// When a record of this document citing `ids` (all sources when empty) became known.
    pub fn known_from(&self, ids: &[String]) -> Option<PartialDate> {
        earliest(self.available(ids))
    }

    /// When every source of a record citing `ids` (all when empty) was out: the latest
    /// availability among them. A quote that names no source could come from any of them.
    pub fn all_known_from(&self, ids: &[String]) -> Option<PartialDate> {
        self.available(ids).max_by_key(|d| (d.end(), d.start()))
    }

    /// When each source a record citing `ids` (all when empty) rests on was out.
    fn available<'s>(&'s self, ids: &'s [String]) -> impl Iterator<Item = PartialDate> + 's {
        self.sources
            .iter()
            .filter(move |s| cites(ids, s))
            .map(|s| s.available_or(self.date))
    }

    /// When a quote of a record citing `ids` was out: its own source's availability, else that
    /// of all the record's sources.
    pub fn quote_known(&self, q_source: Option<&str>, ids: &[String]) -> Option<PartialDate> {
        match q_source.and_then(|id| self.sources.iter().find(|s| s.id.as_deref() == Some(id))) {
            Some(s) => Some(s.available_or(self.date)),
            None => self.all_known_from(ids),
        }
    }
}

/// An editorial note: a text, and when it was written if the dataset says. Written as a plain
/// string, or as `{ text = "…", written = "2025-01-20" }`: a note written with hindsight ("this
/// was delayed until 2026") is shown only in briefings as of its date or later.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
#[schemars(with = "NoteForm")]
pub struct Note {
    /// The note.
    pub text: String,
    /// When it was written; a note without one is shown whenever its record is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<PartialDate>,
}

impl Note {
    /// Its text, when it was written by `as_of` (an undated note always).
    pub fn by(&self, as_of: chrono::NaiveDate) -> Option<&str> {
        self.written
            .is_none_or(|w| w.end() <= as_of)
            .then_some(self.text.as_str())
    }
}

/// The two ways a note is written, for the JSON Schema.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum NoteForm {
    /// The note's text.
    Text(String),
    /// The note and when it was written.
    Dated(DatedNote),
}

/// A note written as a table.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DatedNote {
    text: String,
    #[serde(default)]
    written: Option<PartialDate>,
}

impl<'de> Deserialize<'de> for Note {
    /// A string, or a table read in place (no untagged buffering: 100,000 notes are read fast).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Note;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a note: a text, or a table { text = \"…\", written = \"YYYY-MM-DD\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Note, E> {
                self.visit_string(v.to_string())
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Note, E> {
                Ok(Note {
                    text,
                    written: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Note, A::Error> {
                let n = DatedNote::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Note {
                    text: n.text,
                    written: n.written,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The date that is certainly past first: the smallest end, then the smallest start.
pub fn earliest(dates: impl Iterator<Item = PartialDate>) -> Option<PartialDate> {
    dates.min_by_key(|d| (d.end(), d.start()))
}

/// What a later source reports about an earlier commitment: it is under way, done, stalled or
/// dropped. A commitment's status in a briefing is that of its latest event known by the as-of
/// date; the commitment's own `status` stays what it was when made.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Id of the commitment it concerns, from any file of the dataset.
    pub commitment: String,
    /// When it happened. Default: the document's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The commitment's status from this event on. May be left out when the event only moves
    /// the deadline (`due`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EventStatus>,
    /// The commitment's new due date, when the event moves its deadline ("postponed to
    /// 2026-Q3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<PartialDate>,
    /// How binding the commitment is from this event on: a signature, a ratification, an entry
    /// into force. Default: `in-force` for an event reported by an entry-into-force notice,
    /// else unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    /// Who acted, when the source says and it is not the commitment's actor: a party (code or
    /// alias), an organisation or an entity ("kazmunaygas" shipped the first cargo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// One line, in your own words, of what happened.
    pub summary: String,
    /// The source's own words, verbatim, when it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Further quotes, each with whose words they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    /// Ids of the document's sources that report it (each source's `id`). Default: all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Editorial note: how the source reports it (a text, or `{ text, written }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
    /// Its text in other languages, by BCP 47 tag: `translations.ru = { summary = "…", note = "…" }`. A briefing
    /// in one of them uses it; without one it shows the original, marked as untranslated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
    /// Whether a briefing shows its original text because it has no translation into the
    /// briefing's language. Set by translating, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub untranslated: bool,
}

/// The different publishers of a list of sources, in order: two or more make a record
/// `confirmed`.
pub fn publishers<'s>(sources: impl Iterator<Item = &'s Source>) -> Vec<&'s str> {
    let mut seen: Vec<&str> = Vec::new();
    for s in sources {
        if !seen.contains(&s.publisher.as_str()) {
            seen.push(&s.publisher);
        }
    }
    seen
}

/// Whether a record that names the source ids `ids` rests on `s`: a source it names, or any
/// source of its document when it names none.
pub fn cites(ids: &[String], s: &Source) -> bool {
    ids.is_empty() || s.id.as_ref().is_some_and(|id| ids.contains(id))
}

/// The status an event moves a commitment to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventStatus {
    InProgress,
    Implemented,
    Stalled,
    Withdrawn,
}

impl Event {
    /// The commitment's status after the event: its own, else `before` (an event that only
    /// moves the deadline leaves the status alone).
    pub fn status_after(&self, before: Status) -> Status {
        self.status.map_or(before, EventStatus::status)
    }
}

impl EventStatus {
    pub fn status(self) -> Status {
        match self {
            Self::InProgress => Status::InProgress,
            Self::Implemented => Status::Implemented,
            Self::Stalled => Status::Stalled,
            Self::Withdrawn => Status::Withdrawn,
        }
    }
}

/// What sort of document a file records.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    JointStatement,
    Declaration,
    Agreement,
    Mou,
    Readout,
    Speech,
    PressRelease,
    ExpertCommentary,
    NewsReport,
    /// A letter or message from one side's leader or ministry to the other.
    Letter,
    /// A treaty (or agreement) as signed or ratified.
    Treaty,
    /// A notice that a treaty or agreement has entered into force.
    EntryIntoForce,
}

/// Where a document's content was published.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A short name for the source, unique in the document, that events cite it by ("xinhua").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who published it: "Trend News Agency", "Ministry of Foreign Affairs of the PRC".
    pub publisher: String,
    /// The headline or title of the published piece, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Address of the piece (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published, with the precision known. Leave it out when the source shows no
    /// date, and give `retrieved` instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
    /// When you read it ("accessed on"): required when `published` is left out. A record
    /// resting only on undated sources is known from this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<PartialDate>,
    /// Language of the piece, as a BCP 47 tag ("en", "az", "zh-Hans").
    pub language: String,
    /// What kind of publisher this is.
    pub reliability: SourceKind,
    /// The archived text of the piece, a path inside the dataset folder
    /// (`"sources/trend-2025-04-28.html"`): plain text, Markdown or a saved web page. Quotes
    /// taken from this source are verified against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// The archive's SHA-256, in hex: `check` reports an archive changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// What this source is and is not: "secondary report; does not quote the statement's text".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
    /// Its editorial `note` in other languages, by BCP 47 tag (`translations.ru = { note = "…" }`);
    /// the title stays as published.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
}

impl Source {
    /// When it was out: its publication date, else the day it was retrieved. Checking refuses a
    /// source with neither; `doc_date` only stands in for an unchecked one.
    pub fn available_or(&self, doc_date: PartialDate) -> PartialDate {
        self.published.or(self.retrieved).unwrap_or(doc_date)
    }

    /// When it was out, once checked: published, else retrieved.
    pub fn available(&self) -> Option<PartialDate> {
        self.published.or(self.retrieved)
    }
}

/// What kind of publisher a source is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A government, ministry or the document's own signatories.
    Official,
    /// A state-owned or state-controlled outlet.
    StateMedia,
    /// A media outlet that is not state-owned.
    IndependentMedia,
    /// An expert's own publication or interview.
    Expert,
    /// A publisher whose ownership or record cannot be established.
    Unverified,
    /// A forum post, social media post or other user-generated content.
    UserGenerated,
}

/// Who speaks in commentary, a speech or a readout.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    /// Institution: "Institute for International and Area Studies, Tsinghua University".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// Position: "research fellow".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// Something a party says it will do, supports or has agreed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// Identifier, unique across the dataset.
    pub id: String,
    /// The party that commits (code or alias). May be left out when `mutual` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Whom it is addressed to: the other party, an organisation id, or the ISO code of a third
    /// country. Default: the other party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further addressees, when a commitment has several ("Azerbaijan and the other countries on
    /// the route"): as `target`, listed after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Both parties commit to it together.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mutual: bool,
    /// Countries beyond the pair that commit with it, by ISO code (`["UZ"]` for a trilateral
    /// corridor). Default: its document's `co_parties`; `[]` says the commitment is the pair's
    /// alone in a plurilateral document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_parties: Option<Vec<String>>,
    /// The organisation or organisations in whose framework it is made ("sco", or a list): the
    /// pair acts inside them.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(with = "OneOrMany")]
    pub within: Vec<String>,
    /// The organisation or organisations it is about, without acting inside them: support for
    /// an accession, a membership, a status.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(with = "OneOrMany")]
    pub about: Vec<String>,
    /// Field id from the vocabulary. Give this or `fields`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
    /// Several field ids, when a clause spans fields ("oil and gas, green energy and industry"):
    /// the first is the primary one, under which the commitment is listed and counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// What the actor does.
    pub action: Action,
    /// One line, in your own words, of what is committed.
    pub summary: String,
    /// The source's own words, verbatim, when it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Quotes, each with whose words they are, their language and a translation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    /// Ids of the document's sources that report it (each source's `id`). Default: all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// How well the sources establish it. Default: `confirmed` when two or more publishers report
    /// it, `unconfirmed` when all its sources are unverified or user-generated, else
    /// `single-source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// When it was made. Default: the document's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// When it is due, if the source gives a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<PartialDate>,
    /// Where it stands. Default: stated.
    #[serde(default)]
    pub status: Status,
    /// How binding it is when made. Default: from its document's kind and its action (see
    /// docs/follow-through.md); events may raise it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    /// A figure it aims at: `{ measure = "trade-turnover", value = 1_000_000_000, by = "2026" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// Id of an earlier commitment that this one repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<String>,
    /// Id of an earlier commitment that this one upgrades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrades: Option<String>,
    /// Editorial note: how the source reports it (a text, or `{ text, written }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
    /// The relationship this commitment establishes or raises the pair to, in the source's words
    /// ("comprehensive strategic partnership"); the bottom line leads with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partnership: Option<String>,
    /// Proposed by `bilateral draft` and not yet reviewed: left out of briefings until the
    /// analyst removes the mark (`brief --include-drafts` shows it, marked).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Its text in other languages, by BCP 47 tag: `translations.ru = { summary = "…" }`. A briefing
    /// in one of them uses it; without one it shows the original, marked as untranslated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
    /// Whether a briefing shows its original text because it has no translation into the
    /// briefing's language. Set by translating, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub untranslated: bool,
    /// Its permanent number (C1 …), from the dataset's register (`numbers.toml`), else
    /// provisional after the highest registered one. Set by loading, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub number: u32,
    /// The entities it names as actor or addressees, when it names any (their countries stand in
    /// `actor` and the targets). Set by checking, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub entities: Option<Box<EntityRefs>>,
}

/// The entities a commitment names, beside the countries it is counted under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityRefs {
    /// The acting entity.
    pub actor: Option<String>,
    /// Addressees that are entities: (index in `all_targets`, entity id).
    pub targets: Vec<(usize, String)>,
}

/// A target figure: reach `value` of `measure` by a date.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// Id of a measure declared in the manifest.
    pub measure: String,
    /// The figure aimed at, in the measure's unit.
    pub value: f64,
    /// When it is to be reached. Default: the commitment's `due` (as events move it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<PartialDate>,
    /// How figures count towards it: `annual` (a year's figure reaches it), `cumulative` (the
    /// figures since the commitment add up to it). Default: the latest figure, whatever period
    /// it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
}

/// How figures count towards a target.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// A year's figure is compared with the target (only figures covering a whole year).
    Annual,
    /// Figures for periods since the commitment are added up.
    Cumulative,
}

/// How binding a commitment is, from a proposal to a treaty in force.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// One side proposes it; the other has not agreed.
    Proposal,
    /// A side says it is ready or willing to do it.
    Readiness,
    /// A political commitment: a joint statement, a declaration, a leader's pledge.
    #[default]
    Political,
    /// A signed agreement or memorandum.
    Signed,
    /// Ratified (or approved) by the parties.
    Ratified,
    /// In force.
    InForce,
}

impl Strength {
    /// Every level, weakest first.
    pub const ALL: [Strength; 6] = [
        Self::Proposal,
        Self::Readiness,
        Self::Political,
        Self::Signed,
        Self::Ratified,
        Self::InForce,
    ];

    /// The strength a commitment has when the dataset does not say: from its document's kind
    /// (an agreement is signed, a treaty signed or ratified, an entry-into-force notice in force)
    /// and its action (ratifying, signing), else political for a joint text and readiness for
    /// one side's word in a speech, letter, readout or report.
    pub fn default_for(kind: DocumentKind, action: Action, mutual: bool) -> Self {
        use DocumentKind as K;
        match (kind, action) {
            (K::EntryIntoForce, _) => Self::InForce,
            (_, Action::Ratify) => Self::Ratified,
            (K::Treaty | K::Agreement | K::Mou, _) | (_, Action::Sign) => Self::Signed,
            (K::JointStatement | K::Declaration, _) => Self::Political,
            _ if mutual => Self::Political,
            _ => Self::Readiness,
        }
    }

    /// Its weight in the weighted follow-through score: ½ for a proposal or readiness, 1 for a
    /// political commitment, 1½ signed, 2 ratified or in force.
    pub fn weight(self) -> f64 {
        match self {
            Self::Proposal | Self::Readiness => 0.5,
            Self::Political => 1.0,
            Self::Signed => 1.5,
            Self::Ratified | Self::InForce => 2.0,
        }
    }

    /// Binding in law: ratified or in force.
    pub fn binding(self) -> bool {
        self >= Self::Ratified
    }
}

impl Commitment {
    /// Every field it concerns, the primary one first (after checking, `field` is the primary).
    pub fn all_fields(&self) -> &[String] {
        if self.fields.is_empty() {
            std::slice::from_ref(&self.field)
        } else {
            &self.fields
        }
    }

    /// The countries beyond the pair that commit with it (after checking, its document's by
    /// default).
    pub fn co_parties(&self) -> &[String] {
        self.co_parties.as_deref().unwrap_or_default()
    }

    /// The strength it was made with (after checking, always set).
    pub fn made_strength(&self) -> Strength {
        self.strength.unwrap_or(Strength::Political)
    }

    /// The entity named as its actor, if any.
    pub fn actor_entity(&self) -> Option<&str> {
        self.entities.as_ref()?.actor.as_deref()
    }

    /// Every addressee: `target`, then `targets` (after checking, codes are canonical and the
    /// other party is the default target of a party's commitment).
    pub fn all_targets(&self) -> impl Iterator<Item = &String> {
        self.target.iter().chain(&self.targets)
    }

    /// Whether it concerns the organisation (or party) `id`: as its actor, an addressee, the
    /// framework it is made within, or what it is about.
    pub fn concerns(&self, id: &str) -> bool {
        self.actor.as_deref() == Some(id)
            || self.all_targets().any(|t| t == id)
            || self.within.iter().any(|w| w == id)
            || self.about.iter().any(|a| a == id)
    }
}

/// How well a record's sources establish it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Reported by at least two sources from different publishers.
    Confirmed,
    /// Resting on one publisher's report.
    SingleSource,
    /// Reported, but not verified: the sources hedge, are anonymous, unverified or user-generated.
    Unconfirmed,
}

/// Words quoted verbatim, and whose words they are.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The words, verbatim, in the language the source gives them.
    pub text: String,
    /// Whose words: the document's own text, a speaker, or the outlet's narration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<QuoteBy>,
    /// For `by = "speaker"`: who said it. Default: the document's speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Language of `text`, as a BCP 47 tag ("az", "zh-Hans"). Default: unstated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A translation into the briefing's language, when `text` is in another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// Id of the document's source the quote is taken from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Found in the archived text of its source. Set by loading, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub verified: bool,
}

/// Whose words a quote gives.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteBy {
    /// The document's own text (the statement, the agreement).
    Text,
    /// A person speaking: the quote's `speaker`, or the document's.
    Speaker,
    /// The outlet's narration: its paraphrase, not the parties' words.
    Outlet,
}

/// One name or a list of names.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Reads `"sco"` or `["un", "osce"]` as a list.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "an id or a list of ids")]
    enum Either {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Either::deserialize(d)? {
        Either::One(s) => vec![s],
        Either::Many(v) => v,
    })
}

/// What a commitment's actor does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Support,
    Appreciate,
    Cooperate,
    Participate,
    Promote,
    Develop,
    Invest,
    Sign,
    Implement,
    Reaffirm,
    Consult,
    Host,
    Provide,
    Establish,
    Ratify,
    Negotiate,
    Welcome,
    Refrain,
    Apply,
    Open,
    Approve,
}

/// Where a commitment stands.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Stated,
    InProgress,
    Implemented,
    Stalled,
    Withdrawn,
}

/// An expert's view.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Who holds the view. Default: the document's speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Field ids the view concerns; at least one.
    pub fields: Vec<String>,
    /// One or two lines, in your own words.
    pub summary: String,
    /// The expert's own words, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Further quotes, each with whose words they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    /// Ids of the document's sources that carry the view. Default: all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Proposed by `bilateral draft` and not yet reviewed (see `Commitment::draft`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Its text in other languages, by BCP 47 tag: `translations.ru = { summary = "…" }`. A briefing
    /// in one of them uses it; without one it shows the original, marked as untranslated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
    /// Whether a briefing shows its original text because it has no translation into the
    /// briefing's language. Set by translating, never by a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub untranslated: bool,
}

macro_rules! labels {
    ($ty:ty { $($variant:ident => $label:expr),* $(,)? }) => {
        impl $ty {
            /// The word used in briefings.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),* }
            }
        }
    };
}

labels!(DocumentKind {
    JointStatement => "joint statement",
    Declaration => "declaration",
    Agreement => "agreement",
    Mou => "memorandum of understanding",
    Readout => "readout",
    Speech => "speech",
    PressRelease => "press release",
    ExpertCommentary => "expert commentary",
    NewsReport => "news report",
    Letter => "letter",
    Treaty => "treaty",
    EntryIntoForce => "entry into force",
});

labels!(SourceKind {
    Official => "official",
    StateMedia => "state media",
    IndependentMedia => "independent media",
    Expert => "expert",
    Unverified => "unverified publisher",
    UserGenerated => "user-generated",
});

labels!(Status {
    Stated => "stated",
    InProgress => "in progress",
    Implemented => "implemented",
    Stalled => "stalled",
    Withdrawn => "withdrawn",
});

labels!(Action {
    Support => "support",
    Appreciate => "appreciate",
    Cooperate => "cooperate",
    Participate => "participate",
    Promote => "promote",
    Develop => "develop",
    Invest => "invest",
    Sign => "sign",
    Implement => "implement",
    Reaffirm => "reaffirm",
    Consult => "consult",
    Host => "host",
    Provide => "provide",
    Establish => "establish",
    Ratify => "ratify",
    Negotiate => "negotiate",
    Welcome => "welcome",
    Refrain => "refrain",
    Apply => "apply",
    Open => "open",
    Approve => "approve",
});
