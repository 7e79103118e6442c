//! What a summary trims after the sections are built: expert views to the most recent groups,
//! and the sources to those that the listed entries cite, renumbered.

use crate::briefing::model::{Briefing, ViewGroup};

/// In a summary, the most recent `per_list` view groups in their original order, and how many
/// were left out.
pub(super) fn recent_views(
    mut views: Vec<ViewGroup>,
    per_list: Option<usize>,
) -> (Vec<ViewGroup>, usize) {
    let Some(n) = per_list.filter(|&n| views.len() > n) else {
        return (views, 0);
    };
    let mut order: Vec<usize> = (0..views.len()).collect();
    order.sort_by_key(|&i| views[i].date);
    let mut keep = vec![false; views.len()];
    for &i in &order[order.len() - n..] {
        keep[i] = true;
    }
    let omitted = views.len() - n;
    let mut k = keep.into_iter();
    views.retain(|_| k.next().unwrap_or(false));
    (views, omitted)
}

/// A summary cites only what it shows: keep the sources its listed items cite, renumbered
/// 1, 2, 3 … in their original order, each with at most `per_list` citing titles.
pub(super) fn cite_shown_sources(b: &mut Briefing, per_list: usize) {
    let count = b.sources.len();
    let mut numbers = citations(b);
    let mut cited = vec![false; count + 1];
    for list in &numbers {
        for &n in list.iter() {
            cited[n] = true;
        }
    }
    let mut renumber = vec![0; count + 1];
    let mut next = 0;
    for (n, c) in cited.iter().enumerate().skip(1) {
        if *c {
            next += 1;
            renumber[n] = next;
        }
    }
    for list in numbers.iter_mut() {
        for n in list.iter_mut() {
            *n = renumber[*n];
        }
    }
    let before = b.sources.len();
    b.sources.retain(|s| cited[s.number]);
    for s in &mut b.sources {
        s.number = renumber[s.number];
        s.cited_by_omitted = s.cited_by.len().saturating_sub(per_list);
        s.cited_by.truncate(per_list);
    }
    b.header.detail.sources_omitted = before - b.sources.len();
}

/// Every list of source numbers the briefing shows.
fn citations(b: &mut Briefing) -> Vec<&mut Vec<usize>> {
    let mut numbers: Vec<&mut Vec<usize>> = Vec::new();
    for f in &mut b.fields {
        numbers.extend(f.commitments.iter_mut().map(|c| &mut c.sources));
    }
    for p in &mut b.reciprocity.parties {
        numbers.extend(p.to_other.iter_mut().map(|c| &mut c.sources));
        numbers.extend(p.to_organisations.iter_mut().map(|c| &mut c.sources));
    }
    numbers.extend(b.reciprocity.mutual.iter_mut().map(|c| &mut c.sources));
    for o in &mut b.multilateral {
        numbers.extend(o.commitments.iter_mut().map(|c| &mut c.sources));
    }
    numbers.extend(b.lineage.iter_mut().map(|l| &mut l.commitment.sources));
    numbers.extend(b.views.iter_mut().map(|v| &mut v.sources));
    for t in &mut b.timeline {
        numbers.extend(t.documents.iter_mut().map(|d| &mut d.sources));
    }
    numbers
}
