//! One builder per list section of the briefing: by field, reciprocity, multilateral.
//! Each reads only the scope, and lists its commitments through a [`Shower`], which in a summary
//! keeps the most recent entries of a list and counts the rest.

use std::collections::{BTreeMap, HashMap};

use super::scope::{Entry, Scope};
use super::{named, org};
use crate::briefing::model::*;
use crate::dataset::format::Status;
use crate::dataset::Target;

/// Makes the items of a list: every entry, or in a summary the most recent `per_list`.
pub(super) struct Shower<'s, 'a> {
    scope: &'s Scope<'a>,
    pub per_list: Option<usize>,
}

impl<'s, 'a> Shower<'s, 'a> {
    pub fn new(scope: &'s Scope<'a>, per_list: Option<usize>) -> Self {
        Self { scope, per_list }
    }

    /// The items shown of a date-ordered list, and how many were left out.
    pub fn show(&self, list: &[&Entry<'_>]) -> (Vec<CommitmentItem>, usize) {
        let skip = self.omitted(list.len());
        (list[skip..].iter().map(|e| self.item(e)).collect(), skip)
    }

    pub fn omitted(&self, len: usize) -> usize {
        self.per_list.map_or(0, |n| len.saturating_sub(n))
    }

    pub fn item(&self, e: &Entry<'_>) -> CommitmentItem {
        self.scope.item(e)
    }
}

/// Commitments by field, in vocabulary order, with tallies by party and status.
pub(super) fn fields(scope: &Scope<'_>, show: &Shower<'_, '_>) -> Vec<FieldSection> {
    scope
        .ds
        .fields
        .iter()
        .zip(&scope.by_field)
        .filter_map(|(f, group)| {
            let list: Vec<&Entry<'_>> = group.iter().map(|&i| &scope.entries[i]).collect();
            let (first, latest) = (list.first()?.date(), list.last()?.date());
            let (commitments, omitted) = show.show(&list);
            Some(FieldSection {
                id: f.id.clone(),
                label: f.label.clone(),
                count: list.len(),
                first,
                latest,
                parties: party_tallies(scope, &list),
                statuses: status_tallies(&list),
                commitments,
                omitted,
            })
        })
        .collect()
}

/// Largest first; ties in manifest order (the parties, then organisations acting on their own),
/// joint commitments last.
pub(super) fn party_tallies(scope: &Scope<'_>, list: &[&Entry<'_>]) -> Vec<PartyTally> {
    let ds = scope.ds;
    let mut counts: BTreeMap<usize, (Option<&str>, usize)> = BTreeMap::new();
    for e in list {
        let actor = e.c.actor.as_deref().filter(|_| !e.c.mutual);
        let rank = actor.map_or(usize::MAX, |a| {
            ds.parties
                .iter()
                .position(|p| p.code == a)
                .or_else(|| {
                    ds.organisations
                        .iter()
                        .position(|o| o.id == a)
                        .map(|i| i + 2)
                })
                .unwrap_or(usize::MAX - 1)
        });
        counts.entry(rank).or_insert((actor, 0)).1 += 1;
    }
    let mut v: Vec<(usize, (Option<&str>, usize))> = counts.into_iter().collect();
    v.sort_by_key(|&(rank, (_, n))| (std::cmp::Reverse(n), rank));
    v.into_iter()
        .map(|(_, (party, count))| PartyTally {
            party: party.map(str::to_string),
            count,
        })
        .collect()
}

/// Largest first; ties by label, so the order never depends on anything but the data.
fn status_tallies(list: &[&Entry<'_>]) -> Vec<StatusTally> {
    let mut counts: HashMap<Status, usize> = HashMap::new();
    for e in list {
        *counts.entry(e.standing.status).or_default() += 1;
    }
    let mut v: Vec<StatusTally> = counts
        .into_iter()
        .map(|(status, count)| StatusTally { status, count })
        .collect();
    v.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.status.label().cmp(b.status.label()))
    });
    v
}

/// What each party committed to the other or to organisations, and what both made jointly.
pub(super) fn reciprocity(scope: &Scope<'_>, show: &Shower<'_, '_>) -> Reciprocity {
    let ds = scope.ds;
    let parties = ds
        .parties
        .iter()
        .map(|p| {
            let (to_other, to_organisations): (Vec<&Entry<'_>>, Vec<&Entry<'_>>) = scope
                .entries
                .iter()
                .filter(|e| !e.c.mutual && e.c.actor.as_deref() == Some(p.code.as_str()))
                .partition(|e| {
                    e.c.target
                        .as_deref()
                        .is_some_and(|t| matches!(ds.target(t), Some(Target::Party(_))))
                });
            let (other_items, other_omitted) = show.show(&to_other);
            let (org_items, org_omitted) = show.show(&to_organisations);
            PartyCommitments {
                party: named(p),
                to_other: other_items,
                to_organisations: org_items,
                to_other_count: to_other.len(),
                to_organisations_count: to_organisations.len(),
                with_others: with_others(to_other.iter().chain(&to_organisations).copied()),
                omitted: other_omitted + org_omitted,
            }
        })
        .collect();
    let mutual: Vec<&Entry<'_>> = scope.entries.iter().filter(|e| e.c.mutual).collect();
    let parties: Vec<PartyCommitments> = parties;
    let mutual_with_others = with_others(mutual.iter().copied());
    let (items, omitted) = show.show(&mutual);
    Reciprocity {
        mutual: items,
        mutual_count: mutual.len(),
        mutual_omitted: omitted,
        with_others: mutual_with_others + parties.iter().map(|p| p.with_others).sum::<usize>(),
        mutual_with_others,
        parties,
    }
}

/// How many of these commitments were made together with third countries: the pair's ledger
/// counts them, and says so.
fn with_others<'e, 'a: 'e>(list: impl Iterator<Item = &'e Entry<'a>>) -> usize {
    list.filter(|e| !e.c.co_parties().is_empty()).count()
}

/// Commitments that target an organisation or are made within one, in manifest order.
pub(super) fn multilateral(scope: &Scope<'_>, show: &Shower<'_, '_>) -> Vec<OrganisationSection> {
    scope
        .ds
        .organisations
        .iter()
        .filter_map(|o| {
            let list: Vec<&Entry<'_>> = scope
                .entries
                .iter()
                .filter(|e| e.c.concerns(&o.id))
                .collect();
            if list.is_empty() {
                return None;
            }
            let (commitments, omitted) = show.show(&list);
            Some(OrganisationSection {
                organisation: org(o),
                commitments,
                count: list.len(),
                omitted,
            })
        })
        .collect()
}
