//! "Changes since the last briefing", by content: what a delivered briefing did not have.
//!
//! The previous briefing is read back from the archive as a [`Snapshot`]: its ledger (every
//! record it had, with dates and statuses) and its timeline, ignoring the rest of the JSON, so
//! older archives stay readable (one without a ledger is compared by its listed commitments).
//! A record it lacked is new when dated after its as-of date, and "reported late" when dated on
//! or before it: it happened before that briefing but was not yet known.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::base::date::PartialDate;
use crate::briefing::model::{
    Briefing, Changes, CommitmentItem, EventItem, NewFigure, RemovedRecord, StatusChange,
};
use crate::dataset::format::Status;
use crate::dataset::Dataset;

/// The parts of an archived briefing that changes are computed from.
#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    pub header: SnapshotHeader,
    pub timeline: Vec<SnapshotBucket>,
    pub fields: Vec<SnapshotField>,
    /// Absent in archives written before schema version 4.
    #[serde(default)]
    pub ledger: Option<SnapshotLedger>,
    /// Its deadlines: which commitments it called overdue.
    #[serde(default)]
    pub deadlines: Option<SnapshotDeadlines>,
    /// Its targets and their figures. Absent before schema version 6.
    #[serde(default)]
    pub targets: Option<SnapshotTargets>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotTargets {
    pub items: Vec<SnapshotTarget>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotTarget {
    pub target: SnapshotMeasure,
    pub measurements: Vec<SnapshotFigure>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotMeasure {
    pub measure: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotFigure {
    pub period: PartialDate,
    pub value: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotDeadlines {
    pub overdue: Vec<SnapshotId>,
    pub overdue_count: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotHeader {
    pub as_of: NaiveDate,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotBucket {
    pub documents: Vec<SnapshotId>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotField {
    pub commitments: Vec<SnapshotCommitment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotId {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotCommitment {
    pub id: String,
    pub date: PartialDate,
    pub status: Status,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotLedger {
    pub commitments: Vec<SnapshotCommitment>,
    pub events: Vec<SnapshotEvent>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SnapshotEvent {
    pub commitment: String,
    pub document: String,
    pub date: PartialDate,
    pub status: Status,
    #[serde(default)]
    pub summary: String,
}

/// An event's identity across briefings: its commitment, document, date and status.
type EventKey = (String, String, PartialDate, Status);

/// Compares the current briefing (built with complete lists) with the previous one; `ds` tells
/// records that left the dataset from those that only left the period.
pub fn changes(previous: &Snapshot, current: &Briefing, ds: &Dataset) -> Changes {
    let since = previous.header.as_of;
    let before = |d: &PartialDate| d.end() <= since;
    let old_docs: HashSet<&str> = previous
        .timeline
        .iter()
        .flat_map(|b| b.documents.iter().map(|d| d.id.as_str()))
        .collect();
    let (old_commitments, old_events) = old_records(previous);
    let old_status: HashMap<&str, Status> = old_commitments
        .iter()
        .map(|c| (c.id.as_str(), c.status))
        .collect();
    let old_event_keys: HashSet<EventKey> = old_events.iter().map(event_key).collect();

    let items: HashMap<&str, &CommitmentItem> = current
        .fields
        .iter()
        .flat_map(|f| f.commitments.iter().map(|c| (c.id.as_str(), c)))
        .collect();
    // New, or reported late when dated on or before that briefing's day.
    let (late_commitments, new_commitments): (Vec<CommitmentItem>, Vec<CommitmentItem>) = current
        .ledger
        .commitments
        .iter()
        .filter(|c| !old_status.contains_key(c.id.as_str()))
        .filter_map(|c| items.get(c.id.as_str()).map(|item| (*item).clone()))
        .partition(|c| before(&c.date));
    let (late_events, new_events): (Vec<EventItem>, Vec<EventItem>) = current
        .follow_through
        .events
        .iter()
        .filter(|e| {
            !old_event_keys.contains(&(e.commitment.clone(), e.document.clone(), e.date, e.status))
        })
        .cloned()
        .partition(|e| before(&e.date));
    let explained: HashSet<&str> = new_events
        .iter()
        .chain(&late_events)
        .map(|e| e.commitment.as_str())
        .collect();
    let status_changes = current
        .ledger
        .commitments
        .iter()
        .filter(|c| !explained.contains(c.id.as_str()))
        .filter_map(|c| {
            let from = *old_status.get(c.id.as_str())?;
            let item = items.get(c.id.as_str())?;
            (from != c.status).then(|| StatusChange {
                commitment: (*item).clone(),
                from,
                to: c.status,
            })
        })
        .collect();
    let new_documents = current
        .timeline
        .iter()
        .flat_map(|b| b.documents.iter())
        .filter(|d| !old_docs.contains(d.id.as_str()))
        .cloned()
        .collect();
    // The ledger and the follow-through list are in date order already.
    Changes {
        since,
        new_documents,
        new_commitments,
        new_events,
        late_commitments,
        late_events,
        status_changes,
        new_figures: new_figures(previous, current),
        removed: removed(&old_commitments, &old_events, ds),
        overdue_unchanged: overdue_unchanged(previous, current),
    }
}

/// Figures the previous briefing's targets did not show: a new period, or a revised value (with
/// the value it showed). Each measure and period once, whatever the number of targets it counts
/// for; by measure in the briefing's order, then period. An archive from before targets existed
/// (schema 5) had none, so every figure is new.
fn new_figures(previous: &Snapshot, current: &Briefing) -> Vec<NewFigure> {
    let old: HashMap<(&str, PartialDate), f64> = previous
        .targets
        .iter()
        .flat_map(|t| &t.items)
        .flat_map(|t| {
            t.measurements
                .iter()
                .map(|m| ((t.target.measure.as_str(), m.period), m.value))
        })
        .collect();
    let mut seen: HashSet<(&str, PartialDate)> = HashSet::new();
    let mut out = Vec::new();
    for t in &current.targets.items {
        for m in &t.measurements {
            let key = (t.target.measure.as_str(), m.period);
            let before = old.get(&key).copied();
            if before == Some(m.value) || !seen.insert(key) {
                continue;
            }
            out.push(NewFigure {
                measure: t.target.measure.clone(),
                label: t.target.label.clone(),
                unit: t.target.unit.clone(),
                period: m.period,
                value: m.value,
                revised: before.is_some(),
                previous: before,
                known: m.known,
                sources: m.sources.clone(),
            });
        }
    }
    out
}

/// Whether the previous briefing called the same commitments overdue as this one (and some).
fn overdue_unchanged(previous: &Snapshot, current: &Briefing) -> bool {
    let Some(old) = &previous.deadlines else {
        return false;
    };
    let now = &current.deadlines;
    // Both lists complete (not cut by a summary), of the same length.
    if now.overdue_count == 0
        || old.overdue_count != now.overdue_count
        || old.overdue.len() != old.overdue_count
        || now.overdue.len() != now.overdue_count
    {
        return false;
    }
    let old_ids: HashSet<&str> = old.overdue.iter().map(|d| d.id.as_str()).collect();
    now.overdue.iter().all(|c| old_ids.contains(c.id.as_str()))
}

/// The previous briefing's commitments and events: its ledger, or its listed commitments.
fn old_records(previous: &Snapshot) -> (Vec<SnapshotCommitment>, Vec<SnapshotEvent>) {
    match &previous.ledger {
        Some(l) => (l.commitments.clone(), l.events.clone()),
        None => (
            previous
                .fields
                .iter()
                .flat_map(|f| f.commitments.iter().cloned())
                .collect(),
            Vec::new(),
        ),
    }
}

fn event_key(e: &SnapshotEvent) -> EventKey {
    (e.commitment.clone(), e.document.clone(), e.date, e.status)
}

/// What the previous briefing had that the dataset no longer holds, by date.
fn removed(
    commitments: &[SnapshotCommitment],
    events: &[SnapshotEvent],
    ds: &Dataset,
) -> Vec<RemovedRecord> {
    let ids: HashSet<&str> = ds.commitments().map(|(_, c)| c.id.as_str()).collect();
    // An event is still there when its commitment, document and date are (its status may be
    // its commitment's, for an event that only moves a deadline).
    let event_keys: HashSet<(&str, &str, PartialDate)> = ds
        .documents()
        .iter()
        .flat_map(|d| {
            d.doc.events.iter().map(|e| {
                (
                    e.commitment.as_str(),
                    d.doc.id.as_str(),
                    e.date.unwrap_or(d.doc.date),
                )
            })
        })
        .collect();
    let mut out: Vec<RemovedRecord> = commitments
        .iter()
        .filter(|c| !ids.contains(c.id.as_str()))
        .map(|c| RemovedRecord {
            commitment: c.id.clone(),
            event: false,
            date: c.date,
            summary: c.summary.clone(),
        })
        .chain(
            events
                .iter()
                .filter(|e| {
                    !event_keys.contains(&(e.commitment.as_str(), e.document.as_str(), e.date))
                })
                .map(|e| RemovedRecord {
                    commitment: e.commitment.clone(),
                    event: true,
                    date: e.date,
                    summary: e.summary.clone(),
                }),
        )
        .collect();
    out.sort_by_key(|r| r.date);
    out
}

impl Changes {
    /// Nothing new and nothing changed.
    pub fn is_empty(&self) -> bool {
        self.new_documents.is_empty()
            && self.new_commitments.is_empty()
            && self.new_events.is_empty()
            && self.late_commitments.is_empty()
            && self.late_events.is_empty()
            && self.status_changes.is_empty()
            && self.new_figures.is_empty()
            && self.removed.is_empty()
    }
}
