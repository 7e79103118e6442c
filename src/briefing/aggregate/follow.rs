//! Follow-through: the period's events, the deadlines (overdue and due soon), the score on the
//! G20 compliance scale, and the ledger the next briefing compares with.

use super::scope::{Entry, Scope};
use super::sections::Shower;
use crate::briefing::model::*;

/// The period's events, oldest first; a summary keeps the most recent.
pub(super) fn follow_through(scope: &Scope<'_>, show: &Shower<'_, '_>) -> FollowThrough {
    let omitted = show.omitted(scope.events.len());
    FollowThrough {
        events: scope.events[omitted..]
            .iter()
            .map(|&i| scope.event_item(i))
            .collect(),
        count: scope.events.len(),
        omitted,
    }
}

/// Overdue commitments (longest overdue first) and those due soon (soonest first).
pub(super) fn deadlines(scope: &Scope<'_>, show: &Shower<'_, '_>) -> Deadlines {
    let (overdue, due_soon): (Vec<&Entry<'_>>, Vec<&Entry<'_>>) =
        scope.deadlines.iter().partition(|e| e.standing.overdue);
    // In a summary, each list keeps the entries due soonest (the oldest debts and the next ones).
    let keep = |list: &[&Entry<'_>]| -> Vec<CommitmentItem> {
        let n = list.len() - show.omitted(list.len());
        list[..n].iter().map(|e| scope.item(e)).collect()
    };
    Deadlines {
        horizon_days: scope.opts.due_soon_days,
        overdue: keep(&overdue),
        due_soon: keep(&due_soon),
        overdue_count: overdue.len(),
        due_soon_count: due_soon.len(),
        omitted: show.omitted(overdue.len()) + show.omitted(due_soon.len()),
        overdue_unchanged: false,
    }
}

/// The period's commitments on the scale: overall, by field (vocabulary order) and by party
/// (manifest order, then joint ones).
pub(super) fn scores(scope: &Scope<'_>) -> Scores {
    let score_of = |e: &&Entry<'_>| (e.standing.score, e.standing.strength.weight());
    let all: Vec<(i8, f64)> = scope.entries.iter().map(|e| score_of(&e)).collect();
    let by_field = scope
        .ds
        .fields()
        .iter()
        .zip(&scope.by_field)
        .filter_map(|(f, group)| {
            let list: Vec<(i8, f64)> = group
                .iter()
                .map(|&i| score_of(&&scope.entries[i]))
                .collect();
            (!list.is_empty()).then(|| FieldScore {
                field: f.id.clone(),
                label: f.label.clone(),
                score: score(&list),
            })
        })
        .collect();
    let parties = scope.ds.parties().iter().map(|p| Some(p.code.as_str()));
    let by_party = parties
        .chain(std::iter::once(None))
        .filter_map(|party| {
            let list: Vec<(i8, f64)> = scope
                .entries
                .iter()
                .filter(|e| match party {
                    Some(code) => !e.c.mutual && e.c.actor.as_deref() == Some(code),
                    None => e.c.mutual,
                })
                .map(|e| score_of(&e))
                .collect();
            (!list.is_empty()).then(|| PartyScore {
                party: party.map(str::to_string),
                score: score(&list),
            })
        })
        .collect();
    Scores {
        overall: score(&all),
        by_field,
        by_party,
    }
}

/// The average of scores, plain and weighted by strength, each rounded to two places so every
/// output shows the same figure.
fn score(list: &[(i8, f64)]) -> Score {
    let count = list.len();
    let sum: i64 = list.iter().map(|&(s, _)| i64::from(s)).sum();
    let weights: f64 = list.iter().map(|&(_, w)| w).sum();
    let weighted: f64 = list.iter().map(|&(s, w)| f64::from(s) * w).sum();
    let round = |x: f64| (x * 100.0).round() / 100.0;
    Score {
        average: if count == 0 {
            0.0
        } else {
            round(sum as f64 / count as f64)
        },
        weighted: if weights > 0.0 {
            round(weighted / weights)
        } else {
            0.0
        },
        count,
        implemented: list.iter().filter(|&&(s, _)| s > 0).count(),
        neutral: list.iter().filter(|&&(s, _)| s == 0).count(),
        negative: list.iter().filter(|&&(s, _)| s < 0).count(),
    }
}

/// Every record in scope, compact.
pub(super) fn ledger(scope: &Scope<'_>) -> Ledger {
    Ledger {
        commitments: scope
            .entries
            .iter()
            .map(|e| LedgerCommitment {
                id: e.c.id.clone(),
                date: e.date(),
                known: e.known,
                status: e.standing.status,
                summary: e.c.summary.clone(),
            })
            .collect(),
        events: scope
            .events
            .iter()
            .map(|&i| {
                let r = &scope.history.events[i];
                LedgerEvent {
                    commitment: r.e.commitment.clone(),
                    document: r.doc.id.clone(),
                    date: r.date(),
                    known: r.known,
                    status: r.to,
                    summary: r.e.summary.clone(),
                }
            })
            .collect(),
    }
}
