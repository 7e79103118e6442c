//! What is in the briefing: the commitments, events, views and documents of the period that pass
//! the filters and were known by the as-of date, the overdue and soon-due commitments, the chains
//! that touch the period, and the sources they cite, numbered in order of first citation. Every
//! section is built from this alone.
//!
//! A record is in the period when its date overlaps it, or (for `since-last-run`) when it was
//! first known after the previous run, whatever its date: a late report is news in the next
//! briefing. Only sources published by the as-of date are cited.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;

use super::history::{known_by, History, Record};
use super::Options;
use crate::base::date::PartialDate;
use crate::briefing::model::{SourceEntry, Speaker, TimelineDocument, View, ViewGroup};
use crate::dataset::format::{cites, Assessment, Commitment, Document, Source};
use crate::dataset::Dataset;

/// A commitment in scope, by reference into the dataset.
pub(super) type Entry<'a> = Record<'a>;

/// What makes two sources one: publisher, title, address and publication date (documents cite
/// the same article each in its own file).
type SourceKey<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<PartialDate>,
);

pub(super) struct Scope<'a> {
    pub ds: &'a Dataset,
    pub since: Option<NaiveDate>,
    pub until: NaiveDate,
    pub opts: &'a Options,
    pub history: History<'a>,
    /// Commitments of the period in date order (document order within a date).
    pub entries: Vec<Entry<'a>>,
    /// Indices into `entries` of each field's commitments, in the vocabulary's order.
    pub by_field: Vec<Vec<usize>>,
    /// Events of the period, as indices into `history.events`, oldest first.
    pub events: Vec<usize>,
    /// Overdue or soon-due commitments known by the as-of date (any date), by due date.
    pub deadlines: Vec<Entry<'a>>,
    /// Chains of linked commitments touching the period: ids, oldest first.
    pub chains: Vec<Vec<&'a str>>,
    /// Commitments with a target figure known by the as-of date (any date), passing the
    /// filters, by date.
    pub targets: Vec<Entry<'a>>,
    /// The figures each target's series is drawn from.
    pub figures: super::targets::Figures<'a>,
    /// The number (C1 …) of every commitment the briefing shows, by date then dataset order.
    numbers: HashMap<&'a str, usize>,
    pub sources: Vec<SourceEntry>,
    pub views: Vec<ViewGroup>,
    pub timeline_docs: Vec<TimelineDocument>,
    /// Source numbers of each cited document, one per source in file order (None for a source
    /// no record shown cites, or one published after the as-of date).
    doc_numbers: HashMap<&'a str, Vec<Option<usize>>>,
    /// Source numbers of each cited event, by index into `history.events`.
    event_numbers: Vec<Option<Box<[usize]>>>,
    /// Sources are one entry when publisher, title, address and date agree.
    source_index: HashMap<SourceKey<'a>, usize>,
    view_group: HashMap<(&'a str, String), usize>,
    /// Relationship levels (see [`level_key`]) and when each was first named.
    levels: HashMap<String, PartialDate>,
}

/// A relationship level as compared: trimmed, in lower case ("Comprehensive strategic
/// partnership " and "comprehensive strategic partnership" are one level).
fn level_key(level: &str) -> String {
    level.trim().to_lowercase()
}

/// Whether two texts name the same relationship level.
pub(super) fn same_level(a: &str, b: &str) -> bool {
    level_key(a) == level_key(b)
}

impl<'a> Scope<'a> {
    pub fn new(ds: &'a Dataset, opts: &'a Options, until: NaiveDate, as_of: NaiveDate) -> Self {
        let mut scope = Scope {
            ds,
            since: opts.since,
            until,
            opts,
            history: History::new(ds, as_of, opts.due_soon_days),
            entries: Vec::new(),
            by_field: Vec::new(),
            events: Vec::new(),
            deadlines: Vec::new(),
            chains: Vec::new(),
            targets: Vec::new(),
            figures: Default::default(),
            numbers: HashMap::default(),
            doc_numbers: HashMap::default(),
            event_numbers: Vec::new(),
            sources: Vec::new(),
            views: Vec::new(),
            timeline_docs: Vec::new(),
            source_index: HashMap::default(),
            view_group: HashMap::default(),
            levels: HashMap::default(),
        };
        scope.levels = scope.levels();
        let mut events_by_doc = scope.events_by_document();
        for ld in &ds.documents {
            let events = events_by_doc.remove(ld.doc.id.as_str());
            scope.add_document(&ld.doc, events.unwrap_or_default());
        }
        // A stable sort keeps document order within a date.
        scope.entries.sort_by_key(|e| e.date());
        scope.by_field = scope.group_by_field();
        // By date, in file order within a date: the order of `history.events` already, which each
        // document's list keeps (the documents come in dataset order, as the history took them).
        scope.events.sort_unstable();
        scope.deadlines = scope.deadlines();
        scope.chains = super::lineage::chains(&scope);
        scope.targets = scope.targets();
        scope.figures = super::targets::Figures::new(&scope.history.measurements);
        scope.numbers = scope.number_commitments();
        scope.cite_the_rest();
        scope
    }

    pub fn as_of(&self) -> NaiveDate {
        self.history.as_of
    }

    /// The source numbers of a record of `doc` that names the source ids `ids` (all when empty).
    pub fn record_numbers(&self, doc: &Document, ids: &[String]) -> Vec<usize> {
        let Some(all) = self.doc_numbers.get(doc.id.as_str()) else {
            return Vec::new();
        };
        doc.sources
            .iter()
            .zip(all)
            .filter(|(s, _)| cites(ids, s))
            .filter_map(|(_, n)| *n)
            .collect()
    }

    /// A shown commitment's number (C1 …).
    pub fn number_of(&self, id: &str) -> Option<usize> {
        self.numbers.get(id).copied()
    }

    /// The numbers of every commitment the sections show (the period's, deadlines, chain
    /// steps): each its permanent one from the dataset (see `dataset::numbers`), so a number
    /// never moves between briefings, whatever their date, period, filters or format.
    fn number_commitments(&self) -> HashMap<&'a str, usize> {
        let chained = self
            .chains
            .iter()
            .flatten()
            .filter_map(|id| self.history.known.get(id));
        self.entries
            .iter()
            .chain(&self.deadlines)
            .chain(&self.targets)
            .chain(chained)
            .map(|r| (r.c.id.as_str(), r.c.number as usize))
            .collect()
    }

    /// The source numbers of an event, by index into `history.events`.
    pub fn event_numbers(&self, i: usize) -> Vec<usize> {
        self.event_numbers
            .get(i)
            .and_then(|n| n.as_deref())
            .map(<[usize]>::to_vec)
            .unwrap_or_default()
    }

    fn in_period(&self, d: &PartialDate) -> bool {
        d.start() <= self.until && self.since.is_none_or(|s| d.end() >= s)
    }

    /// In the period by its date, or first known after the previous run.
    fn selected(&self, date: &PartialDate, known: &PartialDate) -> bool {
        self.in_period(date)
            || (date.start() <= self.until
                && self.opts.known_after.is_some_and(|k| known.end() > k))
    }

    /// Passes the field, party and entity filters (a commitment passes a field filter on any
    /// of its fields, an entity filter when the entity makes it or is addressed).
    pub fn passes(&self, c: &Commitment) -> bool {
        (self.opts.fields.is_empty() || c.all_fields().iter().any(|f| self.opts.fields.contains(f)))
            && self
                .opts
                .party
                .as_ref()
                .is_none_or(|p| c.mutual || c.actor.as_ref() == Some(p))
            && self.opts.entity.as_ref().is_none_or(|id| {
                c.entities.as_deref().is_some_and(|e| {
                    e.actor.as_ref() == Some(id) || e.targets.iter().any(|(_, t)| t == id)
                })
            })
    }

    fn keeps_view(&self, date: &PartialDate, known: &PartialDate, fields: &[String]) -> bool {
        self.selected(date, known)
            && (self.opts.fields.is_empty() || fields.iter().any(|f| self.opts.fields.contains(f)))
    }

    /// The period's events that pass the filters, grouped by the document that reports them.
    fn events_by_document(&self) -> HashMap<&'a str, Vec<usize>> {
        let mut by_doc: HashMap<&'a str, Vec<usize>> = HashMap::default();
        for (i, r) in self.history.events.iter().enumerate() {
            if self.selected(&r.date(), &r.known) && self.passes(r.c) {
                by_doc.entry(r.doc.id.as_str()).or_default().push(i);
            }
        }
        by_doc
    }

    fn add_document(&mut self, doc: &'a Document, events: Vec<usize>) {
        let Some(known) = doc.known().filter(|k| known_by(*k, self.as_of())) else {
            return;
        };
        // Every commitment known by the as-of date is in the history, with its standing.
        let kept: Vec<Entry<'a>> = doc
            .commitments
            .iter()
            .filter_map(|c| self.history.known.get(c.id.as_str()).copied())
            .filter(|r| self.selected(&r.date(), &r.known) && self.passes(r.c))
            .collect();
        let as_of = self.as_of();
        let kept_views: Vec<(&Assessment, PartialDate)> = doc
            .assessments
            .iter()
            .filter_map(|a| Some((a, doc.known_from(&a.sources)?)))
            .filter(|(a, k)| known_by(*k, as_of) && self.keeps_view(&doc.date, k, &a.fields))
            .collect();
        let filtered =
            !self.opts.fields.is_empty() || self.opts.party.is_some() || self.opts.entity.is_some();
        let in_scope = !kept.is_empty()
            || !kept_views.is_empty()
            || !events.is_empty()
            || (!filtered && self.selected(&doc.date, &known));
        if !in_scope {
            return;
        }
        let numbers = self.cite_document(doc);
        let commitments = kept.len();
        self.entries.extend(kept);
        for (a, k) in &kept_views {
            self.add_view(doc, a, *k);
        }
        for &i in &events {
            self.cite_event(i);
        }
        self.timeline_docs.push(TimelineDocument {
            id: doc.id.clone(),
            date: doc.date,
            known,
            kind: doc.kind,
            title: doc.title.clone(),
            untranslated: doc.untranslated,
            place: doc.place.clone(),
            speaker: doc.speaker.as_ref().map(|s| Speaker {
                name: s.name.clone(),
                role: s.role.clone(),
                affiliation: s.affiliation.clone(),
            }),
            note: self.note(doc.note.as_ref()),
            with: doc.co_parties.clone(),
            commitments,
            events: events.len(),
            views: kept_views.len(),
            figures: doc
                .measurements
                .iter()
                .filter(|m| {
                    doc.known_from(&m.sources)
                        .is_some_and(|k| known_by(k, as_of))
                })
                .count(),
            sources: numbers,
        });
        self.events.extend(events);
    }

    /// The entries of each field, grouped in one pass (not one pass per field).
    fn group_by_field(&self) -> Vec<Vec<usize>> {
        let fields = self.ds.fields();
        let at: HashMap<&str, usize> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i))
            .collect();
        let mut groups = vec![Vec::new(); fields.len()];
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(&f) = at.get(e.c.field.as_str()) {
                groups[f].push(i);
            }
        }
        groups
    }

    /// Overdue or soon-due commitments known by the as-of date, passing the filters, by due date.
    fn deadlines(&self) -> Vec<Entry<'a>> {
        let mut list: Vec<Entry<'a>> = self
            .history
            .known
            .values()
            .filter(|r| r.standing.due.is_some() && self.passes(r.c))
            .filter(|r| r.standing.overdue || r.standing.due_soon)
            .copied()
            .collect();
        list.sort_by(|a, b| {
            (a.standing.due, a.date(), &a.c.id).cmp(&(b.standing.due, b.date(), &b.c.id))
        });
        list
    }

    /// Commitments with a target figure known by the as-of date, passing the filters, by date.
    fn targets(&self) -> Vec<Entry<'a>> {
        let mut list: Vec<Entry<'a>> = self
            .history
            .known
            .values()
            .filter(|r| r.c.quantity.is_some() && self.passes(r.c))
            .copied()
            .collect();
        list.sort_by(|a, b| (a.date(), &a.c.id).cmp(&(b.date(), &b.c.id)));
        list
    }

    /// Numbers the sources of what the sections show beyond the period's documents: the events
    /// of listed commitments, the steps of chains, the deadlines, the targets and their figures.
    fn cite_the_rest(&mut self) {
        let targets = self.targets.clone();
        for e in &targets {
            self.cite_record(e.doc, &e.c.sources);
            let figures: Vec<_> = super::targets::series(self, e)
                .iter()
                .map(|c| (c.r.doc, c.r.m))
                .collect();
            for (doc, m) in figures {
                self.cite_record(doc, &m.sources);
                self.cite_quotes(doc, &m.quotes);
            }
        }
        // The period's documents are cited already; their commitments' earlier events may not be.
        // Only what they show is cited: a commitment's own sources and its quotes', not every
        // source of its document.
        let mut records: Vec<Entry<'a>> = self.deadlines.clone();
        let mut events: Vec<usize> = Vec::new();
        for e in self.entries.iter().chain(&self.deadlines) {
            events.extend_from_slice(self.history.events_of(&e.c.id));
        }
        for id in self.chains.iter().flatten() {
            records.push(self.history.known[id]);
            events.extend_from_slice(self.history.events_of(id));
        }
        for r in records {
            self.cite_record(r.doc, &r.c.sources);
            self.cite_quotes(r.doc, &r.c.quotes);
        }
        for i in events {
            self.cite_event(i);
        }
    }

    /// Numbers every source of `doc` known by the as-of date: the document is listed.
    fn cite_document(&mut self, doc: &'a Document) -> Vec<usize> {
        self.cite_record(doc, &[]);
        self.record_numbers(doc, &[])
    }

    /// Numbers the sources of `doc` that a record naming `ids` (all when empty) rests on, among
    /// those known by the as-of date.
    fn cite_record(&mut self, doc: &'a Document, ids: &[String]) {
        let as_of = self.as_of();
        let mut numbers = self
            .doc_numbers
            .remove(doc.id.as_str())
            .unwrap_or_else(|| vec![None; doc.sources.len()]);
        for (n, s) in numbers.iter_mut().zip(&doc.sources) {
            if n.is_none() && cites(ids, s) && known_by(s.available_or(doc.date), as_of) {
                *n = Some(self.cite(doc, s));
            }
        }
        self.doc_numbers.insert(doc.id.as_str(), numbers);
    }

    /// Numbers the sources that a record's quotes name.
    fn cite_quotes(&mut self, doc: &'a Document, quotes: &[crate::dataset::format::Quote]) {
        for q in quotes {
            if let Some(id) = &q.source {
                self.cite_record(doc, std::slice::from_ref(id));
            }
        }
    }

    /// An event cites the sources it names (all of its document's by default) that were out by
    /// the as-of date.
    fn cite_event(&mut self, i: usize) {
        if self.event_numbers.len() < self.history.events.len() {
            self.event_numbers.resize(self.history.events.len(), None);
        }
        if self.event_numbers[i].is_some() {
            return;
        }
        let r = &self.history.events[i];
        let (doc, e) = (r.doc, r.e);
        self.cite_record(doc, &e.sources);
        self.cite_quotes(doc, &e.quotes);
        let mut numbers = self.record_numbers(doc, &e.sources);
        numbers.sort_unstable();
        self.event_numbers[i] = Some(numbers.into_boxed_slice());
    }

    /// The number of a source cited by `doc`, numbering it if it is new.
    fn cite(&mut self, doc: &Document, s: &'a Source) -> usize {
        let key = (
            s.publisher.as_str(),
            s.title.as_deref(),
            s.url.as_deref(),
            s.available(),
        );
        if let Some(&at) = self.source_index.get(&key) {
            let e = &mut self.sources[at];
            if e.cited_by.last() != Some(&doc.title) && !e.cited_by.contains(&doc.title) {
                e.cited_by.push(doc.title.clone());
            }
            return e.number;
        }
        let number = self.sources.len() + 1;
        self.source_index.insert(key, self.sources.len());
        self.sources.push(SourceEntry {
            number,
            publisher: s.publisher.clone(),
            title: s.title.clone(),
            url: s.url.clone(),
            published: s.published,
            retrieved: s.retrieved.filter(|_| s.published.is_none()),
            language: s.language.clone(),
            reliability: s.reliability,
            note: self.note(s.note.as_ref()),
            cited_by: vec![doc.title.clone()],
            cited_by_omitted: 0,
        });
        number
    }

    /// Adds a view to its group: one author in one document.
    fn add_view(&mut self, doc: &'a Document, a: &Assessment, known: PartialDate) {
        let speaker = doc.speaker.as_ref();
        let author = a
            .author
            .clone()
            .or_else(|| speaker.map(|s| s.name.clone()))
            .unwrap_or_default();
        let sources = self.record_numbers(doc, &a.sources);
        let view = View {
            fields: a.fields.clone(),
            summary: a.summary.clone(),
            untranslated: a.untranslated,
            quotes: self.quotes(doc, &a.sources, &a.quotes),
            draft: a.draft,
            sources: sources.clone(),
        };
        if let Some(&g) = self.view_group.get(&(doc.id.as_str(), author.clone())) {
            let group = &mut self.views[g];
            group.known = group.known.min(known);
            for n in sources {
                if !group.sources.contains(&n) {
                    group.sources.push(n);
                }
            }
            group.sources.sort_unstable();
            group.views.push(view);
            return;
        }
        let same = speaker.filter(|s| s.name == author);
        self.view_group
            .insert((doc.id.as_str(), author.clone()), self.views.len());
        self.views.push(ViewGroup {
            author,
            role: same.and_then(|s| s.role.clone()),
            affiliation: same.and_then(|s| s.affiliation.clone()),
            date: doc.date,
            known,
            document: doc.id.clone(),
            document_title: doc.title.clone(),
            sources,
            views: vec![view],
        });
    }

    /// When a relationship level was first established among the commitments known by the
    /// as-of date (whatever the period or filters), if that was before `date`: a commitment of
    /// that date naming it reaffirms it.
    pub fn established_before(&self, level: &str, date: PartialDate) -> Option<PartialDate> {
        self.levels
            .get(&level_key(level))
            .copied()
            .filter(|first| *first < date)
    }

    /// Each relationship level named by a known commitment, with the first date it was named.
    fn levels(&self) -> HashMap<String, PartialDate> {
        let mut levels: HashMap<String, PartialDate> = HashMap::default();
        for r in self.history.known.values() {
            if let Some(l) = &r.c.partnership {
                let first = levels.entry(level_key(l)).or_insert(r.date());
                *first = (*first).min(r.date());
            }
        }
        levels
    }

    /// The newest publication date among the sources known by the as-of date.
    pub fn data_cutoff(&self) -> Option<PartialDate> {
        let as_of = self.as_of();
        self.ds
            .documents()
            .iter()
            .flat_map(|d| d.doc.sources.iter().filter_map(|s| s.available()))
            .filter(|p| known_by(*p, as_of))
            .max()
    }

    /// The fields with commitments (passing the filters) known and dated before the period.
    pub fn fields_before_period(&self) -> HashSet<&'a str> {
        let Some(since) = self.since else {
            return HashSet::default();
        };
        self.history
            .known
            .values()
            .filter(|r| r.date().end() < since && self.passes(r.c))
            .map(|r| r.c.field.as_str())
            .collect()
    }
}
