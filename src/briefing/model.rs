//! The briefing model: everything a renderer shows, decided once.
//!
//! Renderers (Markdown through templates, PDF, JSON) only lay this out; they make no choices about
//! what is in the briefing. The model serialises to stable JSON (`--format json`): field order is
//! fixed by these declarations, absent values are `null` rather than missing (so templates in strict
//! mode can test them), and dates keep their precision as "2025", "2025-04" or "2025-04-28".

use chrono::NaiveDate;
use serde::Serialize;

use crate::base::date::PartialDate;
use crate::dataset::format::{
    Action, Basis, Confidence, DocumentKind, EntityKind, QuoteBy, SourceKind, Status, Strength,
};

/// The version of this JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 6;

#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    pub schema_version: u32,
    /// "bilateral 0.1.0".
    pub generator: String,
    pub header: Header,
    /// The facts the bottom line is worded from (by the `bottom-line` template).
    pub bottom_line: BottomLine,
    /// Commitments overdue or falling due soon, among all those known by the as-of date.
    pub deadlines: Deadlines,
    /// Follow-through events of the period: what happened to commitments (of any date).
    pub follow_through: FollowThrough,
    /// The follow-through score of the period's commitments, by field and by party.
    pub scores: Scores,
    /// Targets with figures: each with the latest figures known by the as-of date.
    pub targets: Targets,
    /// Fields with at least one commitment, in vocabulary order.
    pub fields: Vec<FieldSection>,
    /// Month buckets (year buckets for year-precision items), oldest first.
    pub timeline: Vec<TimelineBucket>,
    pub reciprocity: Reciprocity,
    /// Commitments that target an organisation or are made within one, by organisation.
    pub multilateral: Vec<OrganisationSection>,
    /// Chains of commitments linked by `repeats` and `upgrades`, each touching the period.
    pub lineage: Vec<Chain>,
    /// Expert views, grouped by author and document.
    pub views: Vec<ViewGroup>,
    /// Numbered from 1 in order of first citation; items cite these numbers. Only sources that
    /// something in the briefing cites.
    pub sources: Vec<SourceEntry>,
    /// The numbers of the commitments listed in full under their fields, ascending: a number
    /// elsewhere links to its entry when it is here.
    pub listed: Vec<usize>,
    /// Display names, for helpers and renderers.
    pub vocabulary: Vocabulary,
    /// What is new since the last delivered briefing (scheduled runs only; null otherwise).
    pub changes: Option<Changes>,
    /// Every record in scope, complete even in a summary: what the next briefing compares with.
    /// In the JSON output (see `render::json`), not in what templates see: it is for machines,
    /// and 100,000 records would weigh on every template render.
    #[serde(skip)]
    pub ledger: Ledger,
    /// The ledger as a spreadsheet's rows, when one was asked for (`Options::table`); not in the
    /// JSON nor in what templates see.
    #[serde(skip)]
    pub table: Option<Table>,
}

/// The ledger as a spreadsheet's rows (`--format xlsx` and `csv`): every commitment and event of
/// the period, never cut by a summary, and the sources they cite, numbered as in the full
/// briefing (a summary renumbers its own short list).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub commitments: Vec<CommitmentRow>,
    pub events: Vec<EventRow>,
    /// Every figure known by the as-of date, revisions included, by measure and period.
    pub measurements: Vec<MeasurementRow>,
    pub sources: Vec<SourceEntry>,
}

/// One commitment as a row: what [`CommitmentItem`] says, without its quotes and events (the
/// events have their own sheet).
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentRow {
    /// Its number in the briefing (C1 …).
    pub number: usize,
    pub id: String,
    pub date: PartialDate,
    pub known: PartialDate,
    pub mutual: bool,
    pub who: Who,
    /// Every field it concerns, the primary one first.
    pub fields: Vec<String>,
    pub action: Action,
    pub summary: String,
    /// As of the as-of date.
    pub status: Status,
    pub confidence: Confidence,
    /// How binding it is as of the as-of date.
    pub strength: Strength,
    pub due: Option<PartialDate>,
    pub overdue: bool,
    pub due_soon: bool,
    pub score: i8,
    /// Its target figure, if it sets one.
    pub target: Option<TargetFigure>,
    /// The earlier commitment it repeats or upgrades.
    pub earlier: Option<RowLink>,
    /// Later commitments, known by the as-of date, that repeat or upgrade it.
    pub later: Vec<RowLink>,
    pub document: String,
    pub document_title: String,
    pub sources: Vec<usize>,
}

/// A commitment a row links to: its number when the briefing numbers it, and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowLink {
    pub relation: Relation,
    pub id: String,
    pub number: Option<usize>,
}

/// One follow-through event of the period as a row.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub commitment: String,
    /// The commitment's number, when the briefing numbers it.
    pub commitment_number: Option<usize>,
    pub date: PartialDate,
    pub known: PartialDate,
    pub from: Status,
    pub status: Status,
    pub summary: String,
    pub document: String,
    pub document_title: String,
    pub sources: Vec<usize>,
}

/// One figure as a row of the Measurements sheet.
#[derive(Debug, Clone, Serialize)]
pub struct MeasurementRow {
    pub measure: String,
    pub label: String,
    pub unit: String,
    pub period: PartialDate,
    pub value: f64,
    pub known: PartialDate,
    /// The commitment it counts for, when it counts for one only.
    pub commitment: Option<String>,
    /// A later report of the same period replaces it (known by the as-of date).
    pub superseded: bool,
    pub document: String,
    pub document_title: String,
    pub sources: Vec<usize>,
}

/// The records of a briefing, compact: ids, dates and statuses, never cut by a summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ledger {
    pub commitments: Vec<LedgerCommitment>,
    pub events: Vec<LedgerEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerCommitment {
    pub id: String,
    pub date: PartialDate,
    pub known: PartialDate,
    pub status: Status,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerEvent {
    pub commitment: String,
    pub document: String,
    pub date: PartialDate,
    pub known: PartialDate,
    pub status: Status,
    pub summary: String,
}

/// What changed since the last delivered briefing of the same job, by content: records it did
/// not have, statuses it showed otherwise, records the dataset no longer holds. Each list is in
/// date order.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// The as-of date of that briefing.
    pub since: NaiveDate,
    pub new_documents: Vec<TimelineDocument>,
    /// Commitments dated after that briefing.
    pub new_commitments: Vec<CommitmentItem>,
    /// Follow-through events dated after that briefing.
    pub new_events: Vec<EventItem>,
    /// Commitments dated on or before that briefing's day but first known after it.
    pub late_commitments: Vec<CommitmentItem>,
    /// Events dated on or before that briefing's day but first known after it.
    pub late_events: Vec<EventItem>,
    /// Statuses that moved without a new event (the dataset was corrected).
    pub status_changes: Vec<StatusChange>,
    /// Figures of the targets that briefing did not show: a new period, or a revised value.
    pub new_figures: Vec<NewFigure>,
    /// Records that briefing showed and the dataset no longer holds.
    pub removed: Vec<RemovedRecord>,
    /// That briefing called the same commitments overdue as this one: the deadlines say so in
    /// one line instead of repeating the list.
    pub overdue_unchanged: bool,
}

/// A figure new since the last briefing.
#[derive(Debug, Clone, Serialize)]
pub struct NewFigure {
    pub measure: String,
    pub label: String,
    pub unit: String,
    pub period: PartialDate,
    pub value: f64,
    /// Whether it revises a value the last briefing showed for the same period, and that value.
    pub revised: bool,
    pub previous: Option<f64>,
    /// When it was first published.
    pub known: PartialDate,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub commitment: CommitmentItem,
    pub from: Status,
    pub to: Status,
}

/// A commitment or event the previous briefing showed that the dataset no longer holds.
#[derive(Debug, Clone, Serialize)]
pub struct RemovedRecord {
    /// The commitment's id (for an event: the commitment it concerned).
    pub commitment: String,
    /// True for an event, false for a commitment.
    pub event: bool,
    pub date: PartialDate,
    pub summary: String,
}

/// Commitments past their due date without being implemented, and those due within the horizon.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Deadlines {
    /// How far ahead "due soon" looks, in days.
    pub horizon_days: u32,
    pub overdue: Vec<CommitmentItem>,
    pub due_soon: Vec<CommitmentItem>,
    pub overdue_count: usize,
    pub due_soon_count: usize,
    /// Left out of the two lists (summary only).
    pub omitted: usize,
    /// The last briefing of the same scheduled job called the same commitments overdue: the
    /// list is named in one line instead of repeated.
    pub overdue_unchanged: bool,
}

/// The period's follow-through events, oldest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FollowThrough {
    pub events: Vec<EventItem>,
    pub count: usize,
    /// Left out of `events` (summary only).
    pub omitted: usize,
}

/// What happened to a commitment, as a later source reports it.
#[derive(Debug, Clone, Serialize)]
pub struct EventItem {
    /// The commitment's id, number in this briefing (null when it is not listed), date and
    /// summary.
    pub commitment: String,
    pub commitment_number: Option<usize>,
    pub commitment_date: PartialDate,
    pub commitment_summary: String,
    /// When it happened.
    pub date: PartialDate,
    /// When it was first reported: the earliest publication among its sources.
    pub known: PartialDate,
    /// The commitment's status before the event, and from it on (the same when the event only
    /// moves the deadline).
    pub from: Status,
    pub status: Status,
    /// The new due date, when the event moves the deadline; null otherwise.
    pub due: Option<PartialDate>,
    /// The due date it replaces (null when the commitment had none, or the event moves none).
    pub previous_due: Option<PartialDate>,
    /// How binding the commitment is from this event on, when the event changes it (a
    /// ratification); null otherwise.
    pub strength: Option<Strength>,
    /// Who acted, when the dataset says: a party code, an organisation or an entity id.
    pub actor: Option<String>,
    pub summary: String,
    /// Shown in its original text: it has no translation into the briefing's language.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub untranslated: bool,
    pub quotes: Vec<QuoteItem>,
    pub note: Option<String>,
    pub document: String,
    pub document_title: String,
    pub sources: Vec<usize>,
}

/// Words quoted verbatim, with whose words they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteItem {
    pub text: String,
    /// The document's text, a speaker, or the outlet's narration; null when the dataset does
    /// not say.
    pub by: Option<QuoteBy>,
    /// Who said it, for a speaker's words.
    pub speaker: Option<String>,
    pub language: Option<String>,
    pub translation: Option<String>,
    /// The source it is taken from, when the dataset names one.
    pub sources: Vec<usize>,
    /// Found in the archived text of its source.
    pub verified: bool,
}

/// The G20 Research Group's compliance scale applied to what the dataset records: +1
/// implemented; 0 in progress, or stated and not yet due; −1 stalled, withdrawn or overdue.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub overall: Score,
    /// Fields with commitments in the period, in vocabulary order.
    pub by_field: Vec<FieldScore>,
    /// Each party that made commitments, then joint ones (`party` null).
    pub by_party: Vec<PartyScore>,
}

/// An average on the scale, and the commitments it rests on.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Score {
    /// From −1 to +1; 0 when `count` is 0.
    pub average: f64,
    /// The same average with each commitment weighted by how binding it is (½ for a proposal
    /// or readiness, 1 political, 1½ signed, 2 ratified or in force).
    pub weighted: f64,
    pub count: usize,
    pub implemented: usize,
    pub neutral: usize,
    pub negative: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldScore {
    pub field: String,
    pub label: String,
    pub score: Score,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyScore {
    pub party: Option<String>,
    pub score: Score,
}

/// Commitments linked by `repeats` and `upgrades`, oldest first, as known by the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct Chain {
    pub steps: Vec<ChainStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainStep {
    /// How it relates to the step it links to; null for the first.
    pub relation: Option<Relation>,
    /// The id of the commitment it links to; null for the first.
    pub links_to: Option<String>,
    /// Whether the step is in the briefing's period.
    pub in_period: bool,
    pub commitment: CommitmentItem,
}

/// Another commitment this one links to, or that links to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    pub relation: Relation,
    pub id: String,
    /// Its number in this briefing, when it is listed.
    pub number: Option<usize>,
    pub date: PartialDate,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub title: String,
    pub parties: Vec<Named>,
    pub period: Period,
    pub as_of: NaiveDate,
    /// The newest publication date among the sources known by the as-of date.
    pub data_cutoff: Option<PartialDate>,
    /// Records first known after this day are in the period whatever their date (a scheduled
    /// `since-last-run` briefing: the previous run's as-of date).
    pub known_after: Option<NaiveDate>,
    pub counts: Counts,
    /// What a briefing in another language than the dataset's shows in the original.
    #[serde(skip_serializing_if = "crate::dataset::translate::Untranslated::is_empty")]
    pub untranslated: crate::dataset::translate::Untranslated,
    /// The protective marking asked for ("OFFICIAL"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    /// Filters applied, if any.
    pub filters: Filters,
    /// Whether lists are complete or cut to their most recent entries.
    pub detail: DetailInfo,
}

/// How much of each list the briefing shows.
///
/// A full briefing lists every commitment (under its field, its party and its organisation); a
/// summary keeps every count, tally and the bottom line, but lists only the most recent entries of
/// each list, says how many it left out, and cites only the sources of what it shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DetailInfo {
    pub summary: bool,
    /// Entries shown per list in a summary; null in a full briefing.
    pub per_list: Option<usize>,
    /// Lineage chains, expert-view groups and sources left out of their lists.
    pub lineage_omitted: usize,
    pub views_omitted: usize,
    pub sources_omitted: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub since: Option<NaiveDate>,
    /// The last day covered: `--until`, or the as-of date if that is earlier.
    pub until: NaiveDate,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub documents: usize,
    pub commitments: usize,
    /// Follow-through events in the period.
    pub events: usize,
    pub views: usize,
    pub sources: usize,
    pub fields: usize,
    /// Quotes the briefing prints (each once), and how many of them were found in the
    /// archived text of their source.
    pub quotes: usize,
    pub quotes_verified: usize,
    /// Draft records (not yet reviewed) left out of the briefing; 0 with `--include-drafts`.
    pub drafts_left_out: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Filters {
    pub fields: Vec<String>,
    pub party: Option<String>,
    /// An entity id: only commitments it makes or is addressed.
    pub entity: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    pub fields: Vec<Named>,
    pub parties: Vec<Named>,
    pub organisations: Vec<Organisation>,
    /// Companies, agencies and regions, for helpers (`target_name`, `country_of`).
    pub entities: Vec<EntityName>,
    pub measures: Vec<MeasureName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityName {
    pub id: String,
    pub name: String,
    pub full_name: Option<String>,
    /// Its country's code.
    pub country: String,
    pub kind: EntityKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureName {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    /// Whether running text says "the SCO" (true) or "BRICS" (false).
    pub article: bool,
    /// Names it had before, oldest first, each with the date it stopped using it.
    pub former: Vec<FormerName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormerName {
    pub name: String,
    pub short: Option<String>,
    pub until: PartialDate,
}

/// Who commits to whom, as codes and ids; the templates word it ("Azerbaijan → China",
/// "Both sides", "Both sides → SCO").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Who {
    /// The committing party's code; null when both sides commit jointly.
    pub actor: Option<String>,
    /// The entity that commits for it, when the dataset names one ("socar").
    pub actor_entity: Option<String>,
    /// The party code or organisation id addressed; null when there is none to show (a joint
    /// commitment between the two parties).
    pub target: Option<String>,
    /// Every party code, organisation id, third country's code or entity id addressed,
    /// `target` first (an entity in its country's place).
    pub targets: Vec<String>,
    /// Countries beyond the pair that commit with it (trilateral, plurilateral).
    pub with: Vec<String>,
    /// The organisations within which the commitment is made.
    pub within: Vec<String>,
    /// The organisations it concerns without acting inside them (an accession, a status).
    pub about: Vec<String>,
}

/// One commitment as the briefing shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentItem {
    pub id: String,
    /// Its permanent number (shown as C1, C2 …): the same in every briefing of the dataset.
    pub number: usize,
    /// When it was made.
    pub date: PartialDate,
    /// When it was first reported: the earliest publication among its document's sources.
    pub known: PartialDate,
    /// Both parties commit together.
    pub mutual: bool,
    pub who: Who,
    /// The primary field, under which it is listed and counted.
    pub field: String,
    /// Every field it concerns, the primary one first.
    pub fields: Vec<String>,
    pub action: Action,
    pub summary: String,
    /// Shown in its original text: it has no translation into the briefing's language.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub untranslated: bool,
    pub quotes: Vec<QuoteItem>,
    /// Proposed by the drafter and not yet reviewed (shown only with `--include-drafts`).
    pub draft: bool,
    /// How well its sources establish it (given, or derived from them).
    pub confidence: Confidence,
    /// How binding it is as of the as-of date (events may have raised it).
    pub strength: Strength,
    /// How binding it was when made.
    pub stated_strength: Strength,
    /// Its target figure, if it sets one (the targets section follows it up).
    pub target: Option<TargetFigure>,
    /// Its deadline as of the as-of date: the latest one known (events may move it).
    pub due: Option<PartialDate>,
    /// Where it stands as of the as-of date: its latest event's status, else its own.
    pub status: Status,
    /// The status it was given when made.
    pub stated_status: Status,
    /// Due before the as-of date and not implemented (nor withdrawn).
    pub overdue: bool,
    /// Not overdue, not done, and due within the deadlines' horizon.
    pub due_soon: bool,
    /// On the G20 scale: +1, 0 or −1 (see [`Scores`]).
    pub score: i8,
    /// The relationship it establishes or raises the pair to, if any.
    pub partnership: Option<String>,
    /// When that relationship was first established, if before this commitment: it reaffirms
    /// the level rather than establishing it.
    pub partnership_since: Option<PartialDate>,
    pub note: Option<String>,
    pub document: String,
    pub document_title: String,
    /// Source numbers.
    pub sources: Vec<usize>,
    /// The earlier commitment it repeats or upgrades.
    pub earlier: Option<LinkRef>,
    /// Later commitments, known by the as-of date, that repeat or upgrade it.
    pub later: Vec<LinkRef>,
    /// Its follow-through events known by the as-of date, oldest first.
    pub events: Vec<EventItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldSection {
    pub id: String,
    pub label: String,
    pub count: usize,
    pub first: PartialDate,
    pub latest: PartialDate,
    /// Commitments by actor, largest first.
    pub parties: Vec<PartyTally>,
    /// Commitments by status, largest first.
    pub statuses: Vec<StatusTally>,
    pub commitments: Vec<CommitmentItem>,
    /// Commitments of the field left out of `commitments` (summary only).
    pub omitted: usize,
}

/// A count of commitments by one party (`party` null: both sides jointly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyTally {
    pub party: Option<String>,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusTally {
    pub status: Status,
    pub count: usize,
}

/// A count of commitments in one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldTally {
    pub field: String,
    pub label: String,
    pub count: usize,
}

/// What the bottom line says, as facts; the `bottom-line` template words them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BottomLine {
    /// No commitments and no expert views in the period.
    pub empty: bool,
    /// Commitments by each party that made any (to the other party or to organisations).
    pub by_party: Vec<PartyTally>,
    /// Commitments made jointly.
    pub jointly: usize,
    /// The field or fields with the most commitments (several when tied).
    pub leading: Vec<FieldTally>,
    /// The other fields, largest first, when there are at most five of them.
    pub rest: Vec<FieldTally>,
    /// How many other fields there are when there are more than five (else 0).
    pub rest_fields: usize,
    /// The organisation most commitments concern, if any.
    pub organisation: Option<OrganisationTally>,
    /// The newest document in the period.
    pub newest: Option<DocumentRef>,
    /// The period's main events: the one or two documents that weigh most (a relationship
    /// raised, the most commitments, the kind of document).
    pub main_documents: Vec<MainDocument>,
    /// The relationships the period's commitments establish, raise or reaffirm, each level once,
    /// oldest first.
    pub partnerships: Vec<PartnershipFact>,
    /// Events of the period that implemented a commitment: the count and the latest three.
    pub implemented: FactList<EventItem>,
    /// Events of the period that stalled or withdrew a commitment.
    pub setbacks: FactList<EventItem>,
    /// Commitments overdue as of the as-of date (of any date).
    pub overdue: FactList<CommitmentRef>,
    /// Fields with commitments in the period and none known before it (only with a start).
    pub new_fields: Vec<FieldTally>,
    /// The commitment of the period repeated most often, counting its whole chain.
    pub most_repeated: Option<Repeated>,
    /// The period's commitments by how binding they are as of the as-of date, strongest
    /// first (levels with none left out).
    pub strengths: Vec<StrengthTally>,
    /// Of the period's commitments, those binding in law (ratified or in force).
    pub binding: usize,
    /// The targets' standing, counted.
    pub targets: TargetTally,
    /// The same, as the non-zero counts in the order a sentence gives them (reached first).
    pub target_tracks: Vec<TrackTally>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackTally {
    pub track: Track,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrengthTally {
    pub strength: Strength,
    pub count: usize,
}

/// How many targets stand where, as of the as-of date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TargetTally {
    pub count: usize,
    pub reached: usize,
    /// Reached, but only after the deadline.
    pub late: usize,
    pub on_track: usize,
    pub off_track: usize,
    pub missed: usize,
    /// Too few figures, or no deadline, to say.
    pub unknown: usize,
}

/// The targets section: commitments with a target figure known by the as-of date (any date,
/// passing the filters), most recent first in a summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Targets {
    pub items: Vec<TargetItem>,
    pub count: usize,
    pub omitted: usize,
}

/// What a commitment aims at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetFigure {
    pub measure: String,
    pub label: String,
    pub unit: String,
    /// What the measure's figures count and how (prices, coverage), as the manifest says.
    pub note: Option<String>,
    pub value: f64,
    pub by: Option<PartialDate>,
    /// Null: the latest figure counts, whatever period it covers.
    pub basis: Option<Basis>,
}

/// A target and how far the figures known by the as-of date have come.
#[derive(Debug, Clone, Serialize)]
pub struct TargetItem {
    pub commitment: CommitmentRef,
    pub target: TargetFigure,
    /// The figures that count towards it (the latest report of each period), oldest first.
    pub measurements: Vec<MeasurementItem>,
    /// Whether any of those figures has a note or quotes to list under the table.
    pub annotated: bool,
    /// Earlier figures left out of `measurements` (summary only).
    pub omitted: usize,
    /// How many of `measurements` are `compared`, and how many not.
    pub compared: usize,
    pub others: usize,
    /// The figure compared with the target: the latest (annual: the latest whole year's;
    /// cumulative: the sum).
    pub reached: Option<f64>,
    /// `reached` as a percentage of the target, to one decimal.
    pub share: Option<f64>,
    /// The latest figure against the one before, in percent (null with fewer than two).
    pub change: Option<f64>,
    pub trend: Trend,
    pub track: Track,
    /// The figure the trend gives by the deadline (null when it cannot be projected).
    pub projected: Option<f64>,
}

/// A reported figure as the briefing shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MeasurementItem {
    pub value: f64,
    pub period: PartialDate,
    pub known: PartialDate,
    /// A later report changed the figure first reported for the period.
    pub revised: bool,
    /// The figure first reported for the period, when a later report changed it.
    pub revised_from: Option<f64>,
    /// `value` as a percentage of the target, to one decimal.
    pub share: f64,
    /// Whether it is one of the figures the target is judged by (a whole year's for an annual
    /// target, one of the periods since the commitment for a cumulative one, a period like the
    /// latest's otherwise); the others (a half-year against an annual target) are listed apart.
    pub compared: bool,
    pub note: Option<String>,
    pub quotes: Vec<QuoteItem>,
    pub document: String,
    pub sources: Vec<usize>,
}

/// Which way the figures move: the latest against the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trend {
    /// No figure yet.
    None,
    /// One figure: nothing to compare.
    Single,
    Rising,
    /// Within one percent either way.
    Flat,
    Falling,
}

/// Whether the target will be met by its deadline (see docs/follow-through.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Track {
    /// The figure compared has reached the target (by the deadline, when that has passed).
    Reached,
    /// Reached, but only by a figure for a period that ended after the deadline.
    Late,
    /// Not yet, and the trend reaches it by the deadline.
    OnTrack,
    /// Not yet, and the trend falls short by the deadline.
    OffTrack,
    /// The deadline has passed and the target was not reached.
    Missed,
    /// Too few figures, or no deadline, to say.
    Unknown,
}

/// A count and the entries a sentence names (at most three, most recent first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactList<T> {
    pub count: usize,
    pub items: Vec<T>,
}

impl<T> Default for FactList<T> {
    fn default() -> Self {
        Self {
            count: 0,
            items: Vec::new(),
        }
    }
}

/// A commitment named in running text, with its sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitmentRef {
    pub id: String,
    /// Its number in this briefing, when it is listed.
    pub number: Option<usize>,
    pub date: PartialDate,
    pub summary: String,
    pub due: Option<PartialDate>,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnershipFact {
    /// The relationship established ("comprehensive strategic partnership").
    pub level: String,
    pub commitment: CommitmentRef,
    /// The relationship it raises, when the commitment upgrades one that named it.
    pub from: Option<String>,
    pub from_date: Option<PartialDate>,
    /// When the level was first established, when that was before this commitment (which then
    /// reaffirms it); null when this commitment establishes or raises it.
    pub established: Option<PartialDate>,
    /// Later commitments of the period that name the same level again.
    pub reaffirmed: Vec<CommitmentRef>,
}

/// A document named as one of the period's main events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MainDocument {
    pub id: String,
    pub date: PartialDate,
    pub kind: DocumentKind,
    pub title: String,
    pub place: Option<String>,
    /// Its commitments in the period.
    pub commitments: usize,
    /// Whether one of them establishes or raises the relationship.
    pub raises: bool,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repeated {
    /// The first statement of the pledge.
    pub first: CommitmentRef,
    /// How many later commitments repeat or upgrade it (known by the as-of date).
    pub times: usize,
    /// The latest step.
    pub latest: CommitmentRef,
}

/// A document named in running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRef {
    pub id: String,
    pub date: PartialDate,
    pub kind: DocumentKind,
    pub title: String,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationTally {
    pub organisation: Organisation,
    pub count: usize,
    /// Commitments concerning the other organisations.
    pub others: usize,
}

/// How a commitment relates to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Repeats,
    Upgrades,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineBucket {
    /// "2025-04", or "2025" for items known only to the year.
    pub period: PartialDate,
    pub documents: Vec<TimelineDocument>,
    /// All documents of the period, listed or not.
    pub document_count: usize,
    /// Documents left out of `documents` (summary only).
    pub omitted: usize,
    pub commitments: usize,
    pub events: usize,
    pub views: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineDocument {
    pub id: String,
    pub date: PartialDate,
    /// When it was first reported: the earliest publication among its sources.
    pub known: PartialDate,
    pub kind: DocumentKind,
    pub title: String,
    /// Shown in its original text: it has no translation into the briefing's language.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub untranslated: bool,
    /// Where it was issued or said, if the sources say.
    pub place: Option<String>,
    /// Who speaks, for commentary, speeches and readouts.
    pub speaker: Option<Speaker>,
    /// The dataset's editorial note on it.
    pub note: Option<String>,
    /// Countries beyond the pair that are parties to it.
    pub with: Vec<String>,
    pub commitments: usize,
    pub events: usize,
    pub views: usize,
    /// Figures (measurements) it reports that were published by the as-of date.
    pub figures: usize,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reciprocity {
    pub parties: Vec<PartyCommitments>,
    pub mutual: Vec<CommitmentItem>,
    pub mutual_count: usize,
    pub mutual_omitted: usize,
    /// Joint commitments made together with third countries (counted in `mutual_count`).
    pub mutual_with_others: usize,
    /// All the period's commitments made together with third countries (the parties' and the
    /// joint ones).
    pub with_others: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyCommitments {
    pub party: Named,
    /// Addressed to the other party.
    pub to_other: Vec<CommitmentItem>,
    /// Addressed to an organisation.
    pub to_organisations: Vec<CommitmentItem>,
    pub to_other_count: usize,
    pub to_organisations_count: usize,
    /// Of its commitments, those made together with third countries (co-parties).
    pub with_others: usize,
    /// Left out of the two lists (summary only).
    pub omitted: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganisationSection {
    pub organisation: Organisation,
    pub commitments: Vec<CommitmentItem>,
    pub count: usize,
    pub omitted: usize,
}

/// One author's views in one document.
#[derive(Debug, Clone, Serialize)]
pub struct ViewGroup {
    pub author: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub date: PartialDate,
    pub known: PartialDate,
    pub document: String,
    pub document_title: String,
    pub sources: Vec<usize>,
    pub views: Vec<View>,
}

#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub fields: Vec<String>,
    pub summary: String,
    /// Shown in its original text: it has no translation into the briefing's language.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub untranslated: bool,
    pub quotes: Vec<QuoteItem>,
    /// Proposed by the drafter and not yet reviewed (shown only with `--include-drafts`).
    pub draft: bool,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceEntry {
    pub number: usize,
    pub publisher: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Null when the source shows no date.
    pub published: Option<PartialDate>,
    /// When the dataset's editor read it, for a source that shows no date (null otherwise).
    pub retrieved: Option<PartialDate>,
    pub language: String,
    pub reliability: SourceKind,
    pub note: Option<String>,
    /// Titles of the documents that cite it.
    pub cited_by: Vec<String>,
    /// Citing documents left out of `cited_by` (summary only).
    pub cited_by_omitted: usize,
}

impl Briefing {
    /// Attaches what changed since the last delivered briefing (a scheduled run).
    pub fn set_changes(&mut self, changes: Option<Changes>) {
        self.deadlines.overdue_unchanged = changes.as_ref().is_some_and(|c| c.overdue_unchanged);
        self.changes = changes;
    }

    pub fn field_label<'a>(&'a self, id: &'a str) -> &'a str {
        lookup(&self.vocabulary.fields, id)
    }

    pub fn party_name<'a>(&'a self, code: &'a str) -> &'a str {
        lookup(&self.vocabulary.parties, code)
    }

    /// The first party's code and the second's, for file names.
    pub fn pair_codes(&self) -> (&str, &str) {
        (&self.header.parties[0].id, &self.header.parties[1].id)
    }
}

fn lookup<'a>(list: &'a [Named], id: &'a str) -> &'a str {
    list.iter()
        .find(|n| n.id == id)
        .map(|n| n.name.as_str())
        .unwrap_or(id)
}
