//! The facts the bottom line is worded from, in the order an analyst leads with them: what moved
//! (a relationship raised, pledges implemented, pledges stalled, withdrawn or overdue, new fields
//! of cooperation, the most repeated pledge), then the counts. Choosing and ranking happen here;
//! the words, and the order they come in, are the `bottom-line` templates'.

use super::scope::Scope;
use crate::briefing::model::*;
use crate::dataset::format::Status;

/// The sections the counts come from.
pub(super) struct Built<'b> {
    pub header: &'b Header,
    pub fields: &'b [FieldSection],
    pub reciprocity: &'b Reciprocity,
    pub multilateral: &'b [OrganisationSection],
    pub timeline: &'b [TimelineBucket],
}

/// How many entries a sentence names.
const NAMED: usize = 3;

pub(super) fn facts(scope: &Scope<'_>, built: &Built<'_>) -> BottomLine {
    let mut facts = counts(built);
    if let Some(o) = &mut facts.organisation {
        o.others = other_organisations(scope, &o.organisation.id);
    }
    if !facts.empty {
        facts.by_party.extend(organisation_actors(scope));
    }
    facts.partnerships = partnerships(scope);
    facts.implemented = events(scope, |s| s == Status::Implemented);
    facts.setbacks = events(scope, |s| matches!(s, Status::Stalled | Status::Withdrawn));
    facts.overdue = overdue(scope);
    facts.new_fields = new_fields(scope, built.fields);
    facts.most_repeated = most_repeated(scope);
    facts.empty &= facts.overdue.count == 0;
    facts
}

fn counts(built: &Built<'_>) -> BottomLine {
    let Built {
        header,
        fields,
        reciprocity,
        multilateral,
        timeline,
    } = *built;
    let c = &header.counts;
    if c.commitments == 0 && c.views == 0 && c.events == 0 {
        return BottomLine {
            empty: true,
            ..BottomLine::default()
        };
    }
    let by_party = reciprocity
        .parties
        .iter()
        .map(|p| PartyTally {
            party: Some(p.party.id.clone()),
            count: p.to_other_count + p.to_organisations_count,
        })
        .filter(|t| t.count > 0)
        .collect();
    let (leading, rest, rest_fields) = rank_fields(fields);
    let organisation = multilateral.first().map(|first| OrganisationTally {
        organisation: first.organisation.clone(),
        count: first.count,
        others: multilateral[1..].iter().map(|m| m.count).sum(),
    });
    let newest = timeline
        .last()
        .and_then(|b| b.documents.iter().max_by_key(|d| d.date))
        .map(|d| DocumentRef {
            id: d.id.clone(),
            date: d.date,
            kind: d.kind,
            title: d.title.clone(),
            sources: d.sources.clone(),
        });
    BottomLine {
        empty: false,
        by_party,
        jointly: reciprocity.mutual_count,
        leading,
        rest,
        rest_fields,
        organisation,
        newest,
        ..BottomLine::default()
    }
}

/// Decisions organisations took on their own (an organisation as actor), in manifest order, so
/// the tally of who committed adds up to every commitment.
fn organisation_actors(scope: &Scope<'_>) -> Vec<PartyTally> {
    scope
        .ds
        .organisations()
        .iter()
        .filter_map(|o| {
            let count = scope
                .entries
                .iter()
                .filter(|e| !e.c.mutual && e.c.actor.as_deref() == Some(o.id.as_str()))
                .count();
            (count > 0).then(|| PartyTally {
                party: Some(o.id.clone()),
                count,
            })
        })
        .collect()
}

/// Commitments concerning an organisation other than `first` and not `first` itself (a
/// commitment naming several organisations counts once).
fn other_organisations(scope: &Scope<'_>, first: &str) -> usize {
    let orgs = scope.ds.organisations();
    scope
        .entries
        .iter()
        .filter(|e| !e.c.concerns(first) && orgs.iter().any(|o| e.c.concerns(&o.id)))
        .count()
}

/// Commitments of the period that establish or raise the relationship, oldest first, with the
/// relationship they raise when they upgrade one that named it.
fn partnerships(scope: &Scope<'_>) -> Vec<PartnershipFact> {
    scope
        .entries
        .iter()
        .filter_map(|e| {
            let level = e.c.partnership.clone()?;
            let earlier =
                e.c.upgrades
                    .as_deref()
                    .and_then(|id| scope.history.known.get(id))
                    .filter(|r| r.c.partnership.is_some());
            Some(PartnershipFact {
                level,
                commitment: scope.commitment_ref(e),
                from: earlier.and_then(|r| r.c.partnership.clone()),
                from_date: earlier.map(|r| r.date()),
            })
        })
        .collect()
}

/// The period's events whose status matches: how many, and the most recent few.
fn events(scope: &Scope<'_>, keep: impl Fn(Status) -> bool) -> FactList<EventItem> {
    let list: Vec<usize> = scope
        .events
        .iter()
        .copied()
        .filter(|&i| keep(scope.history.events[i].e.status.status()))
        .collect();
    FactList {
        count: list.len(),
        items: list
            .iter()
            .rev()
            .take(NAMED)
            .map(|&i| scope.event_item(i))
            .collect(),
    }
}

/// Overdue commitments, longest overdue first.
fn overdue(scope: &Scope<'_>) -> FactList<CommitmentRef> {
    let list: Vec<_> = scope
        .deadlines
        .iter()
        .filter(|e| e.standing.overdue)
        .collect();
    FactList {
        count: list.len(),
        items: list
            .iter()
            .take(NAMED)
            .map(|e| scope.commitment_ref(e))
            .collect(),
    }
}

/// Fields with commitments in a period that has a start, and none known before it.
fn new_fields(scope: &Scope<'_>, fields: &[FieldSection]) -> Vec<FieldTally> {
    if scope.since.is_none() {
        return Vec::new();
    }
    let before = scope.fields_before_period();
    fields
        .iter()
        .filter(|f| !before.contains(f.id.as_str()))
        .map(|f| FieldTally {
            field: f.id.clone(),
            label: f.label.clone(),
            count: f.count,
        })
        .collect()
}

/// The longest chain touching the period (the most recent when tied).
fn most_repeated(scope: &Scope<'_>) -> Option<Repeated> {
    let known = &scope.history.known;
    let chain = scope
        .chains
        .iter()
        .filter(|c| c.len() > 1)
        .max_by_key(|c| (c.len(), c.last().map(|id| known[id].date())))?;
    let (first, latest) = (&known[chain[0]], &known[chain[chain.len() - 1]]);
    Some(Repeated {
        first: scope.commitment_ref(first),
        times: chain.len() - 1,
        latest: scope.commitment_ref(latest),
    })
}

/// The leading field (several when tied), the others when at most five, else how many.
fn rank_fields(fields: &[FieldSection]) -> (Vec<FieldTally>, Vec<FieldTally>, usize) {
    let mut ranked: Vec<FieldTally> = fields
        .iter()
        .map(|f| FieldTally {
            field: f.id.clone(),
            label: f.label.clone(),
            count: f.count,
        })
        .collect();
    // Stable: ties keep vocabulary order.
    ranked.sort_by_key(|f| std::cmp::Reverse(f.count));
    let Some(top) = ranked.first().map(|f| f.count) else {
        return (Vec::new(), Vec::new(), 0);
    };
    let rest = ranked.split_off(ranked.iter().take_while(|f| f.count == top).count());
    if rest.len() > 5 {
        let n = rest.len();
        (ranked, Vec::new(), n)
    } else {
        (ranked, rest, 0)
    }
}
