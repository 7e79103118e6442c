//! What is in the briefing: the commitments, views and documents of the period that pass the
//! filters, and the sources they cite, numbered in order of first citation. Every section is built
//! from this alone.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Options;
use crate::base::date::PartialDate;
use crate::briefing::model::{SourceEntry, TimelineDocument, View, ViewGroup};
use crate::dataset::format::{Assessment, Commitment, Document, Source};
use crate::dataset::Dataset;

/// A commitment in scope, by reference into the dataset.
pub(super) struct Entry<'a> {
    pub doc: &'a Document,
    pub c: &'a Commitment,
    /// Index of the document's source numbers in [`Scope::doc_numbers`].
    pub numbers: usize,
}

impl Entry<'_> {
    pub fn date(&self) -> PartialDate {
        // Every commitment has a date once the dataset is checked (its document's by default).
        self.c.date.unwrap_or(self.doc.date)
    }
}

pub(super) struct Scope<'a> {
    pub ds: &'a Dataset,
    pub since: Option<NaiveDate>,
    pub until: NaiveDate,
    pub opts: &'a Options,
    /// Commitments in date order (document order within a date).
    pub entries: Vec<Entry<'a>>,
    /// Each in-scope document's source numbers.
    pub doc_numbers: Vec<Vec<usize>>,
    pub sources: Vec<SourceEntry>,
    pub views: Vec<ViewGroup>,
    pub timeline_docs: Vec<TimelineDocument>,
    /// Sources are one entry when publisher, title, address and date agree.
    source_index: HashMap<String, usize>,
    view_group: HashMap<(&'a str, String), usize>,
}

impl<'a> Scope<'a> {
    pub fn new(ds: &'a Dataset, opts: &'a Options, until: NaiveDate) -> Self {
        let mut scope = Scope {
            ds,
            since: opts.since,
            until,
            opts,
            entries: Vec::new(),
            doc_numbers: Vec::new(),
            sources: Vec::new(),
            views: Vec::new(),
            timeline_docs: Vec::new(),
            source_index: HashMap::new(),
            view_group: HashMap::new(),
        };
        for ld in &ds.documents {
            scope.add_document(&ld.doc);
        }
        // A stable sort keeps document order within a date.
        scope.entries.sort_by_key(|e| e.date());
        scope
    }

    fn in_period(&self, d: &PartialDate) -> bool {
        d.start() <= self.until && self.since.is_none_or(|s| d.end() >= s)
    }

    fn keeps(&self, doc: &Document, c: &Commitment) -> bool {
        self.in_period(&c.date.unwrap_or(doc.date))
            && (self.opts.fields.is_empty() || self.opts.fields.contains(&c.field))
            && self
                .opts
                .party
                .as_ref()
                .is_none_or(|p| c.mutual || c.actor.as_ref() == Some(p))
    }

    fn keeps_view(&self, doc: &Document, fields: &[String]) -> bool {
        self.in_period(&doc.date)
            && (self.opts.fields.is_empty() || fields.iter().any(|f| self.opts.fields.contains(f)))
    }

    fn add_document(&mut self, doc: &'a Document) {
        let kept: Vec<&Commitment> = doc
            .commitments
            .iter()
            .filter(|c| self.keeps(doc, c))
            .collect();
        let kept_views: Vec<&Assessment> = doc
            .assessments
            .iter()
            .filter(|a| self.keeps_view(doc, &a.fields))
            .collect();
        let filtered = !self.opts.fields.is_empty() || self.opts.party.is_some();
        let in_scope =
            !kept.is_empty() || !kept_views.is_empty() || (!filtered && self.in_period(&doc.date));
        if !in_scope {
            return;
        }
        let numbers: Vec<usize> = doc.sources.iter().map(|s| self.cite(doc, s)).collect();
        for c in &kept {
            self.entries.push(Entry {
                doc,
                c,
                numbers: self.doc_numbers.len(),
            });
        }
        for a in &kept_views {
            self.add_view(doc, a, &numbers);
        }
        self.timeline_docs.push(TimelineDocument {
            id: doc.id.clone(),
            date: doc.date,
            kind: doc.kind,
            title: doc.title.clone(),
            commitments: kept.len(),
            views: kept_views.len(),
            sources: numbers.clone(),
        });
        self.doc_numbers.push(numbers);
    }

    /// The number of a source cited by `doc`, numbering it if it is new.
    fn cite(&mut self, doc: &Document, s: &Source) -> usize {
        let key = format!(
            "{}\u{0}{:?}\u{0}{:?}\u{0}{}",
            s.publisher, s.title, s.url, s.published
        );
        if let Some(&at) = self.source_index.get(&key) {
            let e = &mut self.sources[at];
            // The same document cites a source once; consecutive, so `last` suffices.
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
            language: s.language.clone(),
            reliability: s.reliability,
            note: s.note.clone(),
            cited_by: vec![doc.title.clone()],
            cited_by_omitted: 0,
        });
        number
    }

    /// Adds a view to its group: one author in one document.
    fn add_view(&mut self, doc: &'a Document, a: &Assessment, numbers: &[usize]) {
        let speaker = doc.speaker.as_ref();
        let author = a
            .author
            .clone()
            .or_else(|| speaker.map(|s| s.name.clone()))
            .unwrap_or_default();
        let view = View {
            fields: a.fields.clone(),
            summary: a.summary.clone(),
            quote: a.quote.clone(),
        };
        if let Some(&g) = self.view_group.get(&(doc.id.as_str(), author.clone())) {
            self.views[g].views.push(view);
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
            document: doc.id.clone(),
            document_title: doc.title.clone(),
            sources: numbers.to_vec(),
            views: vec![view],
        });
    }
}
