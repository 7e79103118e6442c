//! What was known by the as-of date, and where each commitment stood then.
//!
//! Time has two axes: when something happened (its date) and when it was known (the earliest
//! publication among its sources). A record is known by the as-of date when its known date ends on
//! or before it, so "2025" counts as known only from 31 December 2025: a briefing never leans on
//! something that may not have been published yet. An event moves its commitment's status once it
//! is known and has happened; a commitment's status is that of its latest such event, else the
//! status it was given when made.

use rustc_hash::FxHashMap as HashMap;

use chrono::{Days, NaiveDate};

use crate::base::date::PartialDate;
use crate::briefing::model::Relation;
use crate::dataset::format::{Commitment, Document, Event, Measurement, Status, Strength};
use crate::dataset::Dataset;

/// A commitment known by the as-of date.
#[derive(Clone, Copy)]
pub(super) struct Record<'a> {
    pub doc: &'a Document,
    pub c: &'a Commitment,
    pub known: PartialDate,
    /// Where it stands on the as-of date.
    pub standing: Standing,
}

impl Record<'_> {
    pub fn date(&self) -> PartialDate {
        self.c.date.unwrap_or(self.doc.date)
    }
}

/// An event known and happened by the as-of date.
pub(super) struct EventRecord<'a> {
    pub doc: &'a Document,
    pub e: &'a Event,
    /// The commitment it concerns (known by the as-of date too), and when that was made.
    pub c: &'a Commitment,
    pub made: PartialDate,
    pub known: PartialDate,
    /// The commitment's status just before it, and from it on (the same when the event only
    /// moves the deadline).
    pub from: Status,
    pub to: Status,
    /// The commitment's due date just before it (when the event moves the deadline).
    pub previous_due: Option<PartialDate>,
    /// How binding the commitment is from this event on.
    pub strength: Strength,
}

/// A figure known by the as-of date.
pub(super) struct MeasurementRecord<'a> {
    pub doc: &'a Document,
    pub m: &'a Measurement,
    pub known: PartialDate,
}

impl EventRecord<'_> {
    pub fn date(&self) -> PartialDate {
        self.e.date.unwrap_or(self.doc.date)
    }

    /// The commitment's due date from this event on: the one it moves to, else the one before.
    pub fn due_after(&self) -> Option<PartialDate> {
        self.e.due.or(self.previous_due)
    }
}

/// Where a commitment stands on the as-of date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Standing {
    pub status: Status,
    /// Its deadline: the latest one known by the as-of date (an event may have moved it).
    pub due: Option<PartialDate>,
    pub overdue: bool,
    pub due_soon: bool,
    /// The G20 compliance scale: +1 implemented; 0 in progress, or stated and not yet due; −1
    /// stalled, withdrawn or overdue.
    pub score: i8,
    /// How binding it is: its own strength, raised (or set) by its latest event that says.
    pub strength: Strength,
}

pub(super) struct History<'a> {
    pub as_of: NaiveDate,
    /// Commitments known by the as-of date, by id.
    pub known: HashMap<&'a str, Record<'a>>,
    /// Events known and happened by the as-of date, oldest first (file order within a date).
    pub events: Vec<EventRecord<'a>>,
    /// Figures known by the as-of date, by measure, then period, then when they were known.
    pub measurements: Vec<MeasurementRecord<'a>>,
    /// Indices into `events`, per commitment id, oldest first.
    by_commitment: HashMap<&'a str, Vec<usize>>,
    /// Known commitments that repeat or upgrade each id, oldest first.
    later: HashMap<&'a str, Vec<(Relation, &'a str)>>,
    due_soon_days: u32,
}

/// Whether a date is certainly past on `as_of`.
pub(super) fn known_by(d: PartialDate, as_of: NaiveDate) -> bool {
    d.end() <= as_of
}

impl<'a> History<'a> {
    pub fn new(ds: &'a Dataset, as_of: NaiveDate, due_soon_days: u32) -> Self {
        let commitments = ds.documents().iter().map(|d| d.doc.commitments.len()).sum();
        let mut known: HashMap<&'a str, Record<'a>> =
            HashMap::with_capacity_and_hasher(commitments, Default::default());
        let mut events: Vec<(&'a Document, &'a Event, PartialDate)> = Vec::new();
        let mut measurements: Vec<MeasurementRecord<'a>> = Vec::new();
        for ld in ds.documents() {
            let doc = &ld.doc;
            let Some(doc_known) = doc.known().filter(|k| known_by(*k, as_of)) else {
                continue;
            };
            for c in &doc.commitments {
                // A commitment resting on some of the document's sources is known from theirs.
                let k = if c.sources.is_empty() {
                    Some(doc_known)
                } else {
                    doc.known_from(&c.sources)
                };
                let Some(k) = k.filter(|k| known_by(*k, as_of)) else {
                    continue;
                };
                known.insert(
                    c.id.as_str(),
                    Record {
                        doc,
                        c,
                        known: k,
                        standing: Standing::default(),
                    },
                );
            }
            for m in &doc.measurements {
                if let Some(known) = doc.known_from(&m.sources).filter(|k| known_by(*k, as_of)) {
                    measurements.push(MeasurementRecord { doc, m, known });
                }
            }
            for e in &doc.events {
                let Some(k) = doc.known_from(&e.sources) else {
                    continue;
                };
                let date = e.date.unwrap_or(doc.date);
                if known_by(k, as_of) && date.start() <= as_of {
                    events.push((doc, e, k));
                }
            }
        }
        // Documents come in date order, not their events: sort, keeping file order within a date.
        events.sort_by_key(|(doc, e, _)| e.date.unwrap_or(doc.date));
        let (events, by_commitment) = index_events(events, &known);
        let later = later_links(&known);
        // Stable: reports of one period known the same day keep dataset order.
        measurements.sort_by(|a, b| {
            (a.m.measure.as_str(), a.m.period, a.known.end()).cmp(&(
                b.m.measure.as_str(),
                b.m.period,
                b.known.end(),
            ))
        });
        let mut history = Self {
            as_of,
            known,
            events,
            measurements,
            by_commitment,
            later,
            due_soon_days,
        };
        let mut known = std::mem::take(&mut history.known);
        for r in known.values_mut() {
            r.standing = history.standing(r.c);
        }
        history.known = known;
        history
    }

    /// The events of a commitment, oldest first, as indices into `events`.
    pub fn events_of(&self, id: &str) -> &[usize] {
        self.by_commitment.get(id).map_or(&[], Vec::as_slice)
    }

    /// Known commitments that repeat or upgrade `id`, oldest first.
    pub fn later_of(&self, id: &str) -> &[(Relation, &'a str)] {
        self.later.get(id).map_or(&[], Vec::as_slice)
    }

    /// Where a known commitment stands (computed once per commitment, kept in its [`Record`]).
    /// Overdue and due soon are both measured from the last day of the deadline in force: "due
    /// 2026" is overdue from 1 January 2027, and due soon from 90 days before 31 December 2026.
    fn standing(&self, c: &Commitment) -> Standing {
        let events = self.events_of(&c.id);
        let (status, due, strength) =
            events
                .last()
                .map_or((c.status, c.due, c.made_strength()), |&i| {
                    let last = &self.events[i];
                    (last.to, last.due_after(), last.strength)
                });
        let open = !matches!(status, Status::Implemented | Status::Withdrawn);
        let overdue = open && due.is_some_and(|d| d.end() < self.as_of);
        let horizon = self
            .as_of
            .checked_add_days(Days::new(self.due_soon_days.into()));
        let due_soon =
            open && !overdue && due.is_some_and(|d| horizon.is_none_or(|h| d.end() <= h));
        let score = match status {
            Status::Implemented => 1,
            Status::Stalled | Status::Withdrawn => -1,
            _ if overdue => -1,
            _ => 0,
        };
        Standing {
            status,
            due,
            overdue,
            due_soon,
            score,
            strength,
        }
    }
}

/// The events of known commitments, each with the status it moves its commitment from (the
/// commitment's own for the first, the previous event's after), and their indices by commitment.
#[allow(clippy::type_complexity)]
fn index_events<'a>(
    sorted: Vec<(&'a Document, &'a Event, PartialDate)>,
    known: &HashMap<&'a str, Record<'a>>,
) -> (Vec<EventRecord<'a>>, HashMap<&'a str, Vec<usize>>) {
    let mut events: Vec<EventRecord<'a>> = Vec::with_capacity(sorted.len());
    let mut by_commitment: HashMap<&'a str, Vec<usize>> =
        HashMap::with_capacity_and_hasher(sorted.len(), Default::default());
    for (doc, e, k) in sorted {
        let Some((&id, r)) = known.get_key_value(e.commitment.as_str()) else {
            continue;
        };
        let list = by_commitment.entry(id).or_default();
        let (from, previous_due, strength) = list
            .last()
            .map_or((r.c.status, r.c.due, r.c.made_strength()), |&j| {
                (events[j].to, events[j].due_after(), events[j].strength)
            });
        list.push(events.len());
        events.push(EventRecord {
            doc,
            e,
            c: r.c,
            made: r.date(),
            known: k,
            from,
            to: e.status_after(from),
            previous_due,
            // Events raise the strength (a ratification, an entry into force), never lower it:
            // a suspension is a status.
            strength: e.strength.map_or(strength, |s| s.max(strength)),
        });
    }
    (events, by_commitment)
}

/// The earlier commitment a commitment repeats or upgrades, and how (checking allows one link).
pub(super) fn link_of(c: &Commitment) -> Option<(Relation, &str)> {
    match (&c.repeats, &c.upgrades) {
        (Some(x), _) => Some((Relation::Repeats, x)),
        (None, Some(x)) => Some((Relation::Upgrades, x)),
        _ => None,
    }
}

/// For each known commitment, the known ones that link to it, oldest first.
fn later_links<'a>(
    known: &HashMap<&'a str, Record<'a>>,
) -> HashMap<&'a str, Vec<(Relation, &'a str)>> {
    let mut later: HashMap<&'a str, Vec<(Relation, &'a str, PartialDate)>> = HashMap::default();
    for r in known.values() {
        let Some((relation, to)) = link_of(r.c) else {
            continue;
        };
        if let Some((earlier, _)) = known.get_key_value(to) {
            later
                .entry(earlier)
                .or_default()
                .push((relation, r.c.id.as_str(), r.date()));
        }
    }
    later
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.1.cmp(b.1)));
            (k, v.into_iter().map(|(rel, id, _)| (rel, id)).collect())
        })
        .collect()
}
