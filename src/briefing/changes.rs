//! "Changes since the last briefing": what a delivered briefing did not yet show.
//!
//! The previous briefing is read back from the archive as a [`Snapshot`] (only what the
//! comparison needs, ignoring the rest of the JSON, so older archives stay readable).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::briefing::model::{Briefing, Changes, StatusChange};
use crate::dataset::format::Status;

/// The parts of an archived briefing that changes are computed from.
#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    pub header: SnapshotHeader,
    pub timeline: Vec<SnapshotBucket>,
    pub fields: Vec<SnapshotField>,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapshotCommitment {
    pub id: String,
    pub status: Status,
}

/// Compares the current briefing with the previous one.
pub fn changes(previous: &Snapshot, current: &Briefing) -> Changes {
    let old_docs: std::collections::HashSet<&str> = previous
        .timeline
        .iter()
        .flat_map(|b| b.documents.iter().map(|d| d.id.as_str()))
        .collect();
    let old_status: BTreeMap<&str, Status> = previous
        .fields
        .iter()
        .flat_map(|f| f.commitments.iter().map(|c| (c.id.as_str(), c.status)))
        .collect();
    let new_documents = current
        .timeline
        .iter()
        .flat_map(|b| b.documents.iter())
        .filter(|d| !old_docs.contains(d.id.as_str()))
        .cloned()
        .collect();
    let mut new_commitments = Vec::new();
    let mut status_changes = Vec::new();
    for c in current.fields.iter().flat_map(|f| f.commitments.iter()) {
        match old_status.get(c.id.as_str()) {
            None => new_commitments.push(c.clone()),
            Some(&old) if old != c.status => status_changes.push(StatusChange {
                commitment: c.clone(),
                from: old,
                to: c.status,
            }),
            Some(_) => {}
        }
    }
    Changes {
        since: previous.header.as_of,
        new_documents,
        new_commitments,
        status_changes,
    }
}

impl Changes {
    /// Nothing new and nothing changed.
    pub fn is_empty(&self) -> bool {
        self.new_documents.is_empty()
            && self.new_commitments.is_empty()
            && self.status_changes.is_empty()
    }
}
