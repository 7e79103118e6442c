//! A validated dataset: the only form later stages see.
//!
//! Validation resolves what the files leave implicit (aliases become codes, a commitment's missing
//! date becomes its document's, a missing target becomes the other party), so aggregation never
//! re-checks or guesses.

pub mod archives;
pub mod check;
pub mod format;
pub mod load;
pub mod numbers;
pub mod parse;
pub(crate) mod spans;
pub mod translate;

use std::path::PathBuf;

use crate::base::date::PartialDate;
use crate::dataset::format::{Commitment, Document, Entity, Measure, Organisation};

/// A party with its display name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyInfo {
    pub code: String,
    pub name: String,
    /// Its name in other languages (the manifest's `names`).
    pub names: std::collections::BTreeMap<String, String>,
}

/// A field of the vocabulary in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: String,
    pub label: String,
    /// Its label in other languages (the manifest's `names`).
    pub names: std::collections::BTreeMap<String, String>,
    /// Whether the label is the built-in one, which the templates' `words.toml` translates.
    pub built_in: bool,
}

/// A document with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    pub file: PathBuf,
    pub doc: Document,
}

/// A checked, normalised dataset. Only [`check`](check::check) builds one, and it cannot be
/// changed afterwards, so every later stage can rely on what checking established (a date on
/// every commitment, canonical party codes, known fields and organisations).
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(crate) title: String,
    /// The two parties, in manifest order.
    pub(crate) parties: [PartyInfo; 2],
    pub(crate) organisations: Vec<Organisation>,
    pub(crate) fields: Vec<Field>,
    /// The measures targets and figures are in, in manifest order.
    pub(crate) measures: Vec<Measure>,
    /// Companies, agencies and regions, in manifest order.
    pub(crate) entities: Vec<Entity>,
    /// Sorted by date, then id.
    pub(crate) documents: Vec<LoadedDocument>,
    /// Which commitments have provisional numbers (see [`numbers`]).
    pub(crate) numbering: numbers::Numbering,
    /// The language of the dataset's own text (the manifest's `language`, "en" by default).
    pub(crate) language: String,
    /// Whether the manifest gives the title (else it is the parties' names joined).
    pub(crate) title_given: bool,
    /// The manifest's title in other languages.
    pub(crate) titles: std::collections::BTreeMap<String, String>,
    /// In a dataset translated for a briefing ([`Dataset::in_language`]), what kept its
    /// original text.
    pub(crate) untranslated: translate::Untranslated,
}

/// What a commitment is addressed to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Party(&'a PartyInfo),
    Organisation(&'a Organisation),
}

/// Counts and dates for `check`'s report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub commitments: usize,
    pub assessments: usize,
    pub events: usize,
    pub first: Option<PartialDate>,
    pub last: Option<PartialDate>,
}

impl Dataset {
    /// The manifest's title, or "A–B" from the parties' names.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The two parties, in manifest order.
    pub fn parties(&self) -> &[PartyInfo; 2] {
        &self.parties
    }

    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    /// The fields in force, in vocabulary order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The documents, by date then id.
    pub fn documents(&self) -> &[LoadedDocument] {
        &self.documents
    }

    pub fn party(&self, code: &str) -> Option<&PartyInfo> {
        self.parties.iter().find(|p| p.code == code)
    }

    pub fn other_party(&self, code: &str) -> Option<&PartyInfo> {
        self.parties.iter().find(|p| p.code != code)
    }

    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    pub fn target(&self, id: &str) -> Option<Target<'_>> {
        self.party(id)
            .map(Target::Party)
            .or_else(|| self.organisation(id).map(Target::Organisation))
    }

    /// The measures, in manifest order.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// The entities, in manifest order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// Every commitment with its document, in document order.
    pub fn commitments(&self) -> impl Iterator<Item = (&Document, &Commitment)> {
        self.documents
            .iter()
            .flat_map(|d| d.doc.commitments.iter().map(move |c| (&d.doc, c)))
    }

    /// The newest publication date of any source (a briefing's cut-off counts only the sources
    /// published by its as-of date).
    pub fn data_cutoff(&self) -> Option<PartialDate> {
        self.documents
            .iter()
            .flat_map(|d| d.doc.sources.iter().filter_map(|s| s.available()))
            .max()
    }

    /// Records proposed by `bilateral draft` and not yet reviewed (commitments, assessments).
    pub fn drafts(&self) -> usize {
        self.documents
            .iter()
            .map(|d| {
                d.doc.commitments.iter().filter(|c| c.draft).count()
                    + d.doc.assessments.iter().filter(|a| a.draft).count()
            })
            .sum()
    }

    /// Draft records a briefing cannot show even when asked to: a commitment whose actor or
    /// field the reviewer has yet to give.
    pub fn incomplete_drafts(&self) -> usize {
        self.commitments().filter(|(_, c)| incomplete(c)).count()
    }

    /// The dataset without its draft records (`complete`: only without the incomplete ones):
    /// what a briefing may use. Links to a dropped commitment are cut and its events dropped, so
    /// nothing refers to what is gone.
    pub fn without_drafts(&self, keep_complete: bool) -> Dataset {
        let drop = |c: &Commitment| c.draft && (!keep_complete || incomplete(c));
        let dropped: std::collections::HashSet<&str> = self
            .commitments()
            .filter(|(_, c)| drop(c))
            .map(|(_, c)| c.id.as_str())
            .collect();
        let mut out = self.clone();
        for d in &mut out.documents {
            let doc = &mut d.doc;
            doc.commitments.retain(|c| !drop(c));
            doc.assessments.retain(|a| keep_complete || !a.draft);
            doc.events
                .retain(|e| !dropped.contains(e.commitment.as_str()));
            for c in &mut doc.commitments {
                if c.repeats.as_deref().is_some_and(|id| dropped.contains(id)) {
                    c.repeats = None;
                }
                if c.upgrades.as_deref().is_some_and(|id| dropped.contains(id)) {
                    c.upgrades = None;
                }
            }
        }
        out
    }

    pub fn summary(&self) -> Summary {
        let dates = self.documents.iter().flat_map(|d| {
            std::iter::once(d.doc.date).chain(d.doc.commitments.iter().filter_map(|c| c.date))
        });
        Summary {
            documents: self.documents.len(),
            commitments: self.documents.iter().map(|d| d.doc.commitments.len()).sum(),
            assessments: self.documents.iter().map(|d| d.doc.assessments.len()).sum(),
            events: self.documents.iter().map(|d| d.doc.events.len()).sum(),
            first: dates.clone().min(),
            last: dates.max(),
        }
    }
}

/// A draft commitment still missing what every briefing needs.
fn incomplete(c: &Commitment) -> bool {
    c.draft && ((c.actor.is_none() && !c.mutual) || c.field.is_empty())
}

impl Target<'_> {
    /// The name used in running text: a party's name, an organisation's abbreviation.
    pub fn name(&self) -> &str {
        match self {
            Target::Party(p) => &p.name,
            Target::Organisation(o) => o.short.as_deref().unwrap_or(&o.name),
        }
    }
}
