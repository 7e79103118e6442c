//! The timeline: documents by month, or by year when only the year is known.

use std::collections::BTreeMap;

use crate::base::date::PartialDate;
use crate::briefing::model::{TimelineBucket, TimelineDocument};

/// Buckets the documents, oldest first. A summary lists the `per_list` most recent documents of
/// the whole timeline; every bucket keeps its counts.
pub(super) fn timeline(
    docs: Vec<TimelineDocument>,
    per_list: Option<usize>,
) -> Vec<TimelineBucket> {
    let mut buckets: BTreeMap<PartialDate, TimelineBucket> = BTreeMap::new();
    for d in docs {
        let b = buckets
            .entry(d.date.bucket())
            .or_insert_with(|| TimelineBucket {
                period: d.date.bucket(),
                documents: Vec::new(),
                document_count: 0,
                omitted: 0,
                commitments: 0,
                events: 0,
                views: 0,
            });
        b.commitments += d.commitments;
        b.events += d.events;
        b.views += d.views;
        b.document_count += 1;
        b.documents.push(d);
    }
    let mut timeline: Vec<TimelineBucket> = buckets.into_values().collect();
    if let Some(n) = per_list {
        keep_most_recent(&mut timeline, n);
    }
    timeline
}

fn keep_most_recent(timeline: &mut [TimelineBucket], n: usize) {
    let mut all: Vec<(PartialDate, usize, usize)> = timeline
        .iter()
        .enumerate()
        .flat_map(|(bi, b)| {
            b.documents
                .iter()
                .enumerate()
                .map(move |(di, d)| (d.date, bi, di))
        })
        .collect();
    all.sort_by_key(|&(date, _, _)| date);
    let mut keep: Vec<Vec<bool>> = timeline
        .iter()
        .map(|b| vec![false; b.documents.len()])
        .collect();
    for &(_, bi, di) in &all[all.len().saturating_sub(n)..] {
        keep[bi][di] = true;
    }
    for (b, keep) in timeline.iter_mut().zip(keep) {
        let mut k = keep.into_iter();
        b.documents.retain(|_| k.next().unwrap_or(false));
        b.documents.sort_by_key(|d| d.date);
        b.omitted = b.document_count - b.documents.len();
    }
}
