//! The briefing model: everything a renderer shows, decided once.
//!
//! Renderers (Markdown through templates, PDF, JSON) only lay this out; they make no choices about
//! what is in the briefing. The model serialises to stable JSON (`--format json`): field order is
//! fixed by these declarations, absent values are `null` rather than missing (so templates in strict
//! mode can test them), and dates keep their precision as "2025", "2025-04" or "2025-04-28".

use chrono::NaiveDate;
use serde::Serialize;

use crate::base::date::PartialDate;
use crate::dataset::format::{Action, DocumentKind, SourceKind, Status};

/// The version of this JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    pub schema_version: u32,
    /// "bilateral 0.1.0".
    pub generator: String,
    pub header: Header,
    /// The facts the bottom line is worded from (by the `bottom-line` template).
    pub bottom_line: BottomLine,
    /// Fields with at least one commitment, in vocabulary order.
    pub fields: Vec<FieldSection>,
    /// Month buckets (year buckets for year-precision items), oldest first.
    pub timeline: Vec<TimelineBucket>,
    pub reciprocity: Reciprocity,
    /// Commitments that target an organisation or are made within one, by organisation.
    pub multilateral: Vec<OrganisationSection>,
    /// Commitments that repeat or upgrade an earlier one.
    pub lineage: Vec<LineageItem>,
    /// Expert views, grouped by author and document.
    pub views: Vec<ViewGroup>,
    /// Numbered from 1; items cite these numbers.
    pub sources: Vec<SourceEntry>,
    /// Display names, for helpers and renderers.
    pub vocabulary: Vocabulary,
    /// What is new since the last delivered briefing (scheduled runs only; null otherwise).
    pub changes: Option<Changes>,
}

/// What changed since the last delivered briefing of the same job.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// The as-of date of that briefing.
    pub since: NaiveDate,
    pub new_documents: Vec<TimelineDocument>,
    pub new_commitments: Vec<CommitmentItem>,
    pub status_changes: Vec<StatusChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub commitment: CommitmentItem,
    pub from: Status,
    pub to: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub title: String,
    pub parties: Vec<Named>,
    pub period: Period,
    pub as_of: NaiveDate,
    /// The newest source publication date in the dataset.
    pub data_cutoff: Option<PartialDate>,
    pub counts: Counts,
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
    /// Lineage items, expert-view groups and sources left out of their lists.
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
    pub views: usize,
    pub sources: usize,
    pub fields: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Filters {
    pub fields: Vec<String>,
    pub party: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    pub fields: Vec<Named>,
    pub parties: Vec<Named>,
    pub organisations: Vec<Organisation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
}

/// Who commits to whom, as codes and ids; the templates word it ("Azerbaijan → China",
/// "Both sides", "Both sides → SCO").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Who {
    /// The committing party's code; null when both sides commit jointly.
    pub actor: Option<String>,
    /// The party code or organisation id addressed; null when there is none to show (a joint
    /// commitment between the two parties).
    pub target: Option<String>,
    /// The organisation within which the commitment is made, if any.
    pub within: Option<String>,
}

/// One commitment as the briefing shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentItem {
    pub id: String,
    pub date: PartialDate,
    /// Both parties commit together.
    pub mutual: bool,
    pub who: Who,
    pub field: String,
    pub action: Action,
    pub summary: String,
    pub quote: Option<String>,
    pub due: Option<PartialDate>,
    pub status: Status,
    pub note: Option<String>,
    pub document: String,
    pub document_title: String,
    /// Source numbers.
    pub sources: Vec<usize>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
}

/// A document named in running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRef {
    pub id: String,
    pub date: PartialDate,
    pub kind: DocumentKind,
    pub title: String,
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
    pub views: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineDocument {
    pub id: String,
    pub date: PartialDate,
    pub kind: DocumentKind,
    pub title: String,
    pub commitments: usize,
    pub views: usize,
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reciprocity {
    pub parties: Vec<PartyCommitments>,
    pub mutual: Vec<CommitmentItem>,
    pub mutual_count: usize,
    pub mutual_omitted: usize,
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

#[derive(Debug, Clone, Serialize)]
pub struct LineageItem {
    pub relation: Relation,
    pub commitment: CommitmentItem,
    pub earlier_id: String,
    pub earlier_date: PartialDate,
    pub earlier_summary: String,
}

/// One author's views in one document.
#[derive(Debug, Clone, Serialize)]
pub struct ViewGroup {
    pub author: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub date: PartialDate,
    pub document: String,
    pub document_title: String,
    pub sources: Vec<usize>,
    pub views: Vec<View>,
}

#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub fields: Vec<String>,
    pub summary: String,
    pub quote: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceEntry {
    pub number: usize,
    pub publisher: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: PartialDate,
    pub language: String,
    pub reliability: SourceKind,
    pub note: Option<String>,
    /// Titles of the documents that cite it.
    pub cited_by: Vec<String>,
    /// Citing documents left out of `cited_by` (summary only).
    pub cited_by_omitted: usize,
}

impl Briefing {
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
