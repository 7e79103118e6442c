//! What a summary trims after the sections are built: expert views to the most recent groups,
//! and the sources to those that the listed entries cite, renumbered.

use crate::briefing::model::{Briefing, CommitmentItem, EventItem, ViewGroup};

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
        for c in &mut f.commitments {
            commitment(&mut numbers, c);
        }
    }
    for p in &mut b.reciprocity.parties {
        for c in p.to_other.iter_mut().chain(&mut p.to_organisations) {
            commitment(&mut numbers, c);
        }
    }
    for c in &mut b.reciprocity.mutual {
        commitment(&mut numbers, c);
    }
    for o in &mut b.multilateral {
        for c in &mut o.commitments {
            commitment(&mut numbers, c);
        }
    }
    for chain in &mut b.lineage {
        for step in &mut chain.steps {
            commitment(&mut numbers, &mut step.commitment);
        }
    }
    for c in b
        .deadlines
        .overdue
        .iter_mut()
        .chain(&mut b.deadlines.due_soon)
    {
        commitment(&mut numbers, c);
    }
    for e in &mut b.follow_through.events {
        event(&mut numbers, e);
    }
    for t in &mut b.targets.items {
        numbers.push(&mut t.commitment.sources);
        for m in &mut t.measurements {
            numbers.push(&mut m.sources);
            numbers.extend(m.quotes.iter_mut().map(|q| &mut q.sources));
        }
    }
    let bl = &mut b.bottom_line;
    for p in &mut bl.partnerships {
        numbers.push(&mut p.commitment.sources);
        numbers.extend(p.reaffirmed.iter_mut().map(|r| &mut r.sources));
    }
    numbers.extend(bl.main_documents.iter_mut().map(|d| &mut d.sources));
    for e in bl
        .implemented
        .items
        .iter_mut()
        .chain(&mut bl.setbacks.items)
    {
        event(&mut numbers, e);
    }
    numbers.extend(bl.overdue.items.iter_mut().map(|c| &mut c.sources));
    if let Some(d) = &mut bl.newest {
        numbers.push(&mut d.sources);
    }
    if let Some(r) = &mut bl.most_repeated {
        numbers.push(&mut r.first.sources);
        numbers.push(&mut r.latest.sources);
    }
    for g in &mut b.views {
        numbers.push(&mut g.sources);
        for v in &mut g.views {
            numbers.push(&mut v.sources);
            numbers.extend(v.quotes.iter_mut().map(|q| &mut q.sources));
        }
    }
    for t in &mut b.timeline {
        numbers.extend(t.documents.iter_mut().map(|d| &mut d.sources));
    }
    numbers
}

/// A commitment's citations, its quotes' and its events'.
fn commitment<'b>(numbers: &mut Vec<&'b mut Vec<usize>>, c: &'b mut CommitmentItem) {
    numbers.push(&mut c.sources);
    numbers.extend(c.quotes.iter_mut().map(|q| &mut q.sources));
    for e in &mut c.events {
        event(numbers, e);
    }
}

/// An event's citations and its quotes'.
fn event<'b>(numbers: &mut Vec<&'b mut Vec<usize>>, e: &'b mut EventItem) {
    numbers.push(&mut e.sources);
    numbers.extend(e.quotes.iter_mut().map(|q| &mut q.sources));
}
