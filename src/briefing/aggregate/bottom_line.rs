//! The facts the bottom line is worded from, in the order an analyst leads with them: what moved
//! (a relationship raised, pledges implemented, pledges stalled, withdrawn or overdue, new fields
//! of cooperation, the most repeated pledge), then the counts. Choosing and ranking happen here;
//! the words, and the order they come in, are the `bottom-line` templates'.

use super::scope::{same_level, Scope};
use crate::briefing::model::*;
use crate::dataset::format::{Status, Strength};

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
    facts.main_documents = main_documents(scope);
    facts.partnerships = partnerships(scope);
    facts.implemented = events(scope, |s| s == Status::Implemented);
    facts.setbacks = events(scope, |s| matches!(s, Status::Stalled | Status::Withdrawn));
    facts.overdue = overdue(scope);
    facts.new_fields = new_fields(scope, built.fields);
    facts.most_repeated = most_repeated(scope);
    facts.strengths = strengths(scope);
    facts.binding = scope
        .entries
        .iter()
        .filter(|e| e.standing.strength.binding())
        .count();
    facts.targets = super::targets::tally(scope);
    facts.target_tracks = tracks(&facts.targets);
    facts.empty &= facts.overdue.count == 0;
    facts
}

/// The targets' counts by track, reached first, those with none left out.
fn tracks(t: &TargetTally) -> Vec<TrackTally> {
    [
        (Track::Reached, t.reached),
        (Track::Late, t.late),
        (Track::OnTrack, t.on_track),
        (Track::OffTrack, t.off_track),
        (Track::Missed, t.missed),
        (Track::Unknown, t.unknown),
    ]
    .into_iter()
    .filter(|(_, count)| *count > 0)
    .map(|(track, count)| TrackTally { track, count })
    .collect()
}

/// The period's commitments by how binding they are now, strongest first.
fn strengths(scope: &Scope<'_>) -> Vec<StrengthTally> {
    let mut counts = [0usize; Strength::ALL.len()];
    for e in &scope.entries {
        counts[e.standing.strength as usize] += 1;
    }
    Strength::ALL
        .iter()
        .zip(counts)
        .rev()
        .filter(|(_, n)| *n > 0)
        .map(|(&strength, count)| StrengthTally { strength, count })
        .collect()
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

/// The relationships the period's commitments establish, raise or reaffirm, each level once
/// (oldest first): the first commitment of the period that names it, with the level it raises
/// when it upgrades one that named another, the date the level was first established when that
/// was before, and the period's later commitments that name it again.
fn partnerships(scope: &Scope<'_>) -> Vec<PartnershipFact> {
    let mut facts: Vec<PartnershipFact> = Vec::new();
    for e in &scope.entries {
        let Some(level) = e.c.partnership.as_deref() else {
            continue;
        };
        if let Some(f) = facts.iter_mut().find(|f| same_level(&f.level, level)) {
            f.reaffirmed.push(scope.commitment_ref(e));
            continue;
        }
        let earlier =
            e.c.upgrades
                .as_deref()
                .and_then(|id| scope.history.known.get(id))
                .filter(|r| {
                    r.c.partnership
                        .as_deref()
                        .is_some_and(|l| !same_level(l, level))
                });
        let first = scope.established_before(level, e.date());
        facts.push(PartnershipFact {
            level: level.to_string(),
            commitment: scope.commitment_ref(e),
            from: earlier.and_then(|r| r.c.partnership.clone()),
            from_date: earlier.map(|r| r.date()),
            established: first.filter(|_| earlier.is_none()),
            reaffirmed: Vec::new(),
        });
    }
    facts
}

/// How much a kind of document weighs when naming the period's main event: signed texts first,
/// then statements of both sides, then one side's, then reports about them.
fn kind_weight(kind: crate::dataset::format::DocumentKind) -> u8 {
    use crate::dataset::format::DocumentKind::*;
    match kind {
        Treaty | Agreement => 5,
        JointStatement | Declaration => 4,
        Mou => 3,
        Readout | Letter => 2,
        Speech | PressRelease => 1,
        NewsReport | ExpertCommentary | EntryIntoForce => 0,
    }
}

/// The period's main events: the documents that carry the most weight (a relationship raised,
/// then the most commitments, then the kind), the first always and a second when it weighs
/// nearly as much (at least two commitments and half the first's, or a relationship raised).
fn main_documents(scope: &Scope<'_>) -> Vec<MainDocument> {
    let raising: rustc_hash::FxHashSet<&str> = scope
        .entries
        .iter()
        .filter(|e| e.c.partnership.is_some())
        .map(|e| e.doc.id.as_str())
        .collect();
    let raises = |id: &str| raising.contains(id);
    let mut ranked: Vec<(&crate::briefing::model::TimelineDocument, bool)> = scope
        .timeline_docs
        .iter()
        .filter(|d| d.commitments > 0)
        .map(|d| (d, raises(&d.id)))
        .collect();
    ranked.sort_by(|(a, ra), (b, rb)| {
        (rb, b.commitments, kind_weight(b.kind), b.date).cmp(&(
            ra,
            a.commitments,
            kind_weight(a.kind),
            a.date,
        ))
    });
    let Some(&(top, _)) = ranked.first() else {
        return Vec::new();
    };
    ranked
        .iter()
        .take(2)
        .enumerate()
        .filter(|(i, (d, raised))| {
            *i == 0 || *raised || (d.commitments >= 2 && 2 * d.commitments >= top.commitments)
        })
        .map(|(_, (d, raised))| MainDocument {
            id: d.id.clone(),
            date: d.date,
            kind: d.kind,
            title: d.title.clone(),
            place: d.place.clone(),
            commitments: d.commitments,
            raises: *raised,
            sources: d.sources.clone(),
        })
        .collect()
}

/// The period's events whose status matches: how many, and the most recent few.
fn events(scope: &Scope<'_>, keep: impl Fn(Status) -> bool) -> FactList<EventItem> {
    let list: Vec<usize> = scope
        .events
        .iter()
        .copied()
        .filter(|&i| {
            let r = &scope.history.events[i];
            r.e.status.is_some() && keep(r.to)
        })
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
