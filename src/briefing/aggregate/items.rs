//! The items sections list: a commitment with where it stands and its history, an event, a
//! commitment named in running text. Built from the scope, whose sources are all numbered by now.

use super::history::{link_of, Record};
use super::scope::Scope;
use crate::briefing::model::*;
use crate::dataset::format::Commitment;
use crate::dataset::Target;

impl Scope<'_> {
    /// A commitment as the briefing lists it.
    pub fn item(&self, e: &Record<'_>) -> CommitmentItem {
        let c = e.c;
        let h = &self.history;
        let standing = e.standing;
        CommitmentItem {
            id: c.id.clone(),
            date: e.date(),
            known: e.known,
            mutual: c.mutual,
            who: who(self, c),
            field: c.field.clone(),
            action: c.action,
            summary: c.summary.clone(),
            quote: c.quote.clone(),
            due: c.due,
            status: standing.status,
            stated_status: c.status,
            overdue: standing.overdue,
            due_soon: standing.due_soon,
            score: standing.score,
            partnership: c.partnership.clone(),
            note: c.note.clone(),
            document: e.doc.id.clone(),
            document_title: e.doc.title.clone(),
            sources: self.numbers(e.doc),
            earlier: self.earlier(c),
            later: h
                .later_of(&c.id)
                .iter()
                .filter_map(|(relation, id)| self.link(*relation, id))
                .collect(),
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
            commitment_date: r.made,
            commitment_summary: r.c.summary.clone(),
            date: r.date(),
            known: r.known,
            from: r.from,
            status: r.e.status.status(),
            summary: r.e.summary.clone(),
            quote: r.e.quote.clone(),
            note: r.e.note.clone(),
            document: r.doc.id.clone(),
            document_title: r.doc.title.clone(),
            sources: self.event_numbers(i),
        }
    }

    /// A commitment named in running text.
    pub fn commitment_ref(&self, e: &Record<'_>) -> CommitmentRef {
        CommitmentRef {
            id: e.c.id.clone(),
            date: e.date(),
            summary: e.c.summary.clone(),
            due: e.c.due,
            sources: self.numbers(e.doc),
        }
    }

    fn earlier(&self, c: &Commitment) -> Option<LinkRef> {
        let (relation, id) = link_of(c)?;
        self.link(relation, id)
    }

    /// A link to a known commitment (one not yet known by the as-of date is not shown).
    fn link(&self, relation: Relation, id: &str) -> Option<LinkRef> {
        let r = self.history.known.get(id)?;
        Some(LinkRef {
            relation,
            id: r.c.id.clone(),
            date: r.date(),
            summary: r.c.summary.clone(),
        })
    }
}

/// Who commits to whom: a joint commitment names its target only when it is an organisation.
fn who(scope: &Scope<'_>, c: &Commitment) -> Who {
    let target = c
        .target
        .clone()
        .filter(|t| !c.mutual || matches!(scope.ds.target(t), Some(Target::Organisation(_))));
    Who {
        actor: c.actor.clone().filter(|_| !c.mutual),
        target,
        within: c.within.clone(),
    }
}
