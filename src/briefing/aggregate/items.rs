//! The items sections list: a commitment with where it stands and its history, an event, a
//! commitment named in running text. Built from the scope, whose sources are all numbered by now.

use super::history::{known_by, link_of, Record};
use super::scope::Scope;
use crate::briefing::model::*;
use crate::dataset::format::{
    cites, publishers, Commitment, Confidence, Document, Note, Quote, QuoteBy, Source, SourceKind,
};
use crate::dataset::Target;

impl Scope<'_> {
    /// A commitment as the briefing lists it.
    pub fn item(&self, e: &Record<'_>) -> CommitmentItem {
        let c = e.c;
        let h = &self.history;
        let standing = e.standing;
        CommitmentItem {
            id: c.id.clone(),
            number: self.number_of(&c.id).unwrap_or_default(),
            date: e.date(),
            known: e.known,
            mutual: c.mutual,
            who: who(self, c),
            field: c.field.clone(),
            fields: c.all_fields().to_vec(),
            action: c.action,
            summary: c.summary.clone(),
            untranslated: c.untranslated,
            quotes: self.quotes(e.doc, &c.sources, &c.quotes),
            draft: c.draft,
            confidence: self.confidence_of(e),
            strength: standing.strength,
            stated_strength: c.made_strength(),
            target: self.target_figure(e),
            due: standing.due,
            status: standing.status,
            stated_status: c.status,
            overdue: standing.overdue,
            due_soon: standing.due_soon,
            score: standing.score,
            partnership: c.partnership.clone(),
            partnership_since: c
                .partnership
                .as_deref()
                .and_then(|l| self.established_before(l, e.date())),
            note: self.note(c.note.as_ref()),
            document: e.doc.id.clone(),
            document_title: e.doc.title.clone(),
            sources: self.record_numbers(e.doc, &c.sources),
            earlier: self.earlier(c),
            later: self.later(c),
            events: h
                .events_of(&c.id)
                .iter()
                .map(|&i| self.event_item(i))
                .collect(),
        }
    }

    /// An event, by index into `history.events`.
    pub fn event_item(&self, i: usize) -> EventItem {
        let r = &self.history.events[i];
        EventItem {
            commitment: r.c.id.clone(),
            commitment_number: self.number_of(&r.c.id),
            commitment_date: r.made,
            commitment_summary: r.c.summary.clone(),
            date: r.date(),
            known: r.known,
            from: r.from,
            status: r.to,
            due: r.e.due,
            previous_due: r.e.due.and(r.previous_due),
            strength: r.e.strength,
            actor: r.e.actor.clone(),
            summary: r.e.summary.clone(),
            untranslated: r.e.untranslated,
            quotes: self.quotes(r.doc, &r.e.sources, &r.e.quotes),
            note: self.note(r.e.note.as_ref()),
            document: r.doc.id.clone(),
            document_title: r.doc.title.clone(),
            sources: self.event_numbers(i),
        }
    }

    /// A commitment's target figure, with its measure's label and unit. A target with no `by`
    /// of its own is due when the commitment is, as events have moved that date by the as-of
    /// date.
    pub fn target_figure(&self, e: &Record<'_>) -> Option<TargetFigure> {
        let q = e.c.quantity.as_ref()?;
        let m = self.ds.measure(&q.measure)?;
        Some(TargetFigure {
            measure: m.id.clone(),
            label: m.label.clone(),
            unit: m.unit.clone(),
            note: m.note.clone(),
            value: q.value,
            by: q.by.or(e.standing.due),
            basis: q.basis,
        })
    }

    /// A commitment named in running text.
    pub fn commitment_ref(&self, e: &Record<'_>) -> CommitmentRef {
        CommitmentRef {
            id: e.c.id.clone(),
            number: self.number_of(&e.c.id),
            date: e.date(),
            summary: e.c.summary.clone(),
            due: e.standing.due,
            sources: self.record_numbers(e.doc, &e.c.sources),
        }
    }

    /// A commitment's confidence: as the dataset gives it, else derived from its sources.
    pub(super) fn confidence_of(&self, e: &Record<'_>) -> Confidence {
        e.c.confidence
            .unwrap_or_else(|| self.confidence(e.doc, &e.c.sources))
    }

    /// How well the sources a record of `doc` rests on (`ids`, all when empty), among those out
    /// by the as-of date, establish it.
    fn confidence(&self, doc: &Document, ids: &[String]) -> Confidence {
        let as_of = self.as_of();
        let out: Vec<&Source> = doc
            .sources
            .iter()
            .filter(|s| cites(ids, s) && known_by(s.available_or(doc.date), as_of))
            .collect();
        derived_confidence(&out)
    }

    /// An editorial note's text, when it was written by the as-of date.
    pub fn note(&self, note: Option<&Note>) -> Option<String> {
        note.and_then(|n| n.by(self.as_of())).map(str::to_string)
    }

    /// A record's quotes known by the as-of date (its single `quote` is the first of them since
    /// checking). A quote is known once its own source is out; one that names no source, once
    /// every source of its record (`ids`, all when empty) is.
    pub fn quotes(&self, doc: &Document, ids: &[String], list: &[Quote]) -> Vec<QuoteItem> {
        let as_of = self.as_of();
        let out = |source: Option<&String>| {
            doc.quote_known(source.map(String::as_str), ids)
                .is_some_and(|k| known_by(k, as_of))
        };
        list.iter()
            .filter(|q| out(q.source.as_ref()))
            .map(|q| QuoteItem {
                text: q.text.clone(),
                by: q.by,
                speaker: match q.by {
                    Some(QuoteBy::Speaker) => q
                        .speaker
                        .clone()
                        .or_else(|| doc.speaker.as_ref().map(|s| s.name.clone())),
                    _ => q.speaker.clone(),
                },
                language: q.language.clone(),
                translation: q.translation.clone(),
                sources: q
                    .source
                    .as_ref()
                    .map(|id| self.record_numbers(doc, std::slice::from_ref(id)))
                    .unwrap_or_default(),
                verified: q.verified,
            })
            .collect()
    }

    /// The earlier commitment `c` repeats or upgrades, if known by the as-of date.
    pub(super) fn earlier(&self, c: &Commitment) -> Option<LinkRef> {
        let (relation, id) = link_of(c)?;
        self.link(relation, id)
    }

    /// Later commitments, known by the as-of date, that repeat or upgrade `c`, oldest first.
    pub(super) fn later(&self, c: &Commitment) -> Vec<LinkRef> {
        self.history
            .later_of(&c.id)
            .iter()
            .filter_map(|(relation, id)| self.link(*relation, id))
            .collect()
    }

    /// A link to a known commitment (one not yet known by the as-of date is not shown).
    fn link(&self, relation: Relation, id: &str) -> Option<LinkRef> {
        let r = self.history.known.get(id)?;
        Some(LinkRef {
            relation,
            id: r.c.id.clone(),
            number: self.number_of(&r.c.id),
            date: r.date(),
            summary: r.c.summary.clone(),
        })
    }
}

/// Who commits to whom: a joint commitment names its targets only when they are not the pair
/// (an entity of the pair is named); an entity stands in its country's place.
pub(super) fn who(scope: &Scope<'_>, c: &Commitment) -> Who {
    let entities = c.entities.as_deref();
    let entity_at =
        |i: usize| entities.and_then(|e| e.targets.iter().find(|(j, _)| *j == i).map(|(_, id)| id));
    let targets: Vec<String> = c
        .all_targets()
        .enumerate()
        .filter_map(|(i, t)| match entity_at(i) {
            Some(id) => Some(id.clone()),
            None if c.mutual && matches!(scope.ds.target(t), Some(Target::Party(_))) => None,
            None => Some(t.clone()),
        })
        .collect();
    Who {
        actor: c.actor.clone().filter(|_| !c.mutual),
        actor_entity: c.actor_entity().map(str::to_string),
        target: targets.first().cloned(),
        targets,
        with: c.co_parties().to_vec(),
        within: c.within.clone(),
        about: c.about.clone(),
    }
}

/// How well sources establish a record: two publishers confirm; only unverified or
/// user-generated ones leave it unconfirmed.
fn derived_confidence(sources: &[&Source]) -> Confidence {
    let weak = sources.iter().all(|s| {
        matches!(
            s.reliability,
            SourceKind::Unverified | SourceKind::UserGenerated
        )
    });
    match publishers(sources.iter().copied()).len() {
        0 => Confidence::Unconfirmed,
        _ if weak => Confidence::Unconfirmed,
        1 => Confidence::SingleSource,
        _ => Confidence::Confirmed,
    }
}
