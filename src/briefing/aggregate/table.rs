//! The ledger as a spreadsheet's rows: every commitment and event of the period, whatever the
//! detail, with the numbers (C1 …) and source numbers of the full briefing. Built only when a
//! spreadsheet is asked for, since 100,000 rows weigh on a briefing that does not show them.

use super::history::Record;
use super::items::who;
use super::scope::Scope;
use crate::base::parallel;
use crate::briefing::model::{CommitmentRow, EventRow, LinkRef, MeasurementRow, RowLink, Table};

pub(super) fn table(scope: &Scope<'_>) -> Table {
    // On every core: 100,000 rows are mostly allocations of their strings.
    Table {
        commitments: parallel::map_ref(&scope.entries, |e| row(scope, e)),
        events: parallel::map_ref(&scope.events, |&i| event_row(scope, i)),
        measurements: measurement_rows(scope),
        sources: scope.sources.clone(),
    }
}

/// Every figure known by the as-of date, by measure, period and when it was known; a figure a
/// later report of the same period (and scope) replaces is marked superseded.
fn measurement_rows(scope: &Scope<'_>) -> Vec<MeasurementRow> {
    let all = &scope.history.measurements;
    all.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let m = scope.ds.measure(&r.m.measure)?;
            let superseded = all[i + 1..]
                .iter()
                .take_while(|n| n.m.measure == r.m.measure && n.m.period == r.m.period)
                .any(|n| n.m.commitment == r.m.commitment);
            Some(MeasurementRow {
                measure: m.id.clone(),
                label: m.label.clone(),
                unit: m.unit.clone(),
                period: r.m.period,
                value: r.m.value,
                known: r.known,
                // The commitment it counts for, once that is known: an id is news too.
                commitment: r
                    .m
                    .commitment
                    .clone()
                    .filter(|c| scope.history.known.contains_key(c.as_str())),
                superseded,
                document: r.doc.id.clone(),
                document_title: r.doc.title.clone(),
                sources: scope.record_numbers(r.doc, &r.m.sources),
            })
        })
        .collect()
}

fn row(scope: &Scope<'_>, e: &Record<'_>) -> CommitmentRow {
    let c = e.c;
    let to_row = |l: LinkRef| RowLink {
        relation: l.relation,
        id: l.id,
        number: l.number,
    };
    CommitmentRow {
        number: scope.number_of(&c.id).unwrap_or_default(),
        id: c.id.clone(),
        date: e.date(),
        known: e.known,
        mutual: c.mutual,
        who: who(scope, c),
        fields: c.all_fields().to_vec(),
        action: c.action,
        summary: c.summary.clone(),
        status: e.standing.status,
        confidence: scope.confidence_of(e),
        strength: e.standing.strength,
        due: e.standing.due,
        overdue: e.standing.overdue,
        due_soon: e.standing.due_soon,
        score: e.standing.score,
        target: scope.target_figure(e),
        earlier: scope.earlier(c).map(to_row),
        later: scope.later(c).into_iter().map(to_row).collect(),
        document: e.doc.id.clone(),
        document_title: e.doc.title.clone(),
        sources: scope.record_numbers(e.doc, &c.sources),
    }
}

fn event_row(scope: &Scope<'_>, i: usize) -> EventRow {
    let r = &scope.history.events[i];
    EventRow {
        commitment: r.c.id.clone(),
        commitment_number: scope.number_of(&r.c.id),
        date: r.date(),
        known: r.known,
        from: r.from,
        status: r.to,
        summary: r.e.summary.clone(),
        document: r.doc.id.clone(),
        document_title: r.doc.title.clone(),
        sources: scope.event_numbers(i),
    }
}
