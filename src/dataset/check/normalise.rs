//! A checked dataset, normalised: canonical party codes, a date on every commitment (its
//! document's by default) and on every event, a target on every commitment that is not mutual (the other party by
//! default), documents in date order.

use std::collections::HashMap;

use super::manifest::Vocabulary;
use crate::dataset::format::{
    Commitment, Document, DocumentKind, EntityRefs, EventStatus, Manifest, Quote, Strength,
};
use crate::dataset::parse::Parsed;
use crate::dataset::{Dataset, LoadedDocument, PartyInfo};

pub(super) fn normalise(
    manifest: &Parsed<Manifest>,
    documents: Vec<Parsed<Document>>,
    verified: Vec<Vec<bool>>,
    v: &Vocabulary,
) -> Option<Dataset> {
    let m = &manifest.value;
    let party_refs = &v.party_refs;
    let [a, b]: [PartyInfo; 2] = v.parties.clone().try_into().ok()?;
    let title = m
        .title
        .clone()
        .unwrap_or_else(|| format!("{}–{}", a.name, b.name));
    let mut docs: Vec<LoadedDocument> = documents
        .into_iter()
        .zip(verified)
        .map(|(p, verified)| {
            let mut doc = p.value;
            quotes(&mut doc, &verified);
            for code in &mut doc.parties {
                *code = party_refs[code.as_str()].clone();
            }
            events(&mut doc, party_refs);
            let pair = [&a.code, &b.code];
            for c in &mut doc.commitments {
                // `co_parties = []` says "the pair alone"; left out, the document's apply.
                if c.co_parties.is_none() && !doc.co_parties.is_empty() {
                    c.co_parties = Some(doc.co_parties.clone());
                }
                entities(c, &v.entities);
                commitment(c, (doc.date, doc.kind), party_refs, pair);
            }
            LoadedDocument {
                file: p.source.path,
                doc,
            }
        })
        .collect();
    docs.sort_by(|x, y| {
        x.doc
            .date
            .cmp(&y.doc.date)
            .then_with(|| x.doc.id.cmp(&y.doc.id))
    });
    Some(Dataset {
        title,
        parties: [a, b],
        organisations: m.organisations.clone(),
        fields: v.fields.clone(),
        measures: m.measures.clone(),
        entities: m
            .entities
            .iter()
            .cloned()
            .map(|mut e| {
                if let Some(code) = party_refs.get(&e.country) {
                    e.country = code.clone();
                }
                e
            })
            .collect(),
        documents: docs,
        numbering: Default::default(),
        language: m.language.clone().unwrap_or_else(|| "en".to_string()),
        title_given: m.title.is_some(),
        titles: m.titles.clone(),
        untranslated: Default::default(),
    })
}

/// Each event's date (its document's by default), its actor's canonical code, and the strength
/// an entry-into-force notice gives what it reports going ahead (not what it stalls or
/// withdraws).
fn events(doc: &mut Document, party_refs: &HashMap<String, String>) {
    for e in &mut doc.events {
        e.date.get_or_insert(doc.date);
        if let Some(actor) = &mut e.actor {
            if let Some(code) = party_refs.get(actor.as_str()) {
                *actor = code.clone();
            }
        }
        let ahead = !matches!(
            e.status,
            Some(EventStatus::Stalled | EventStatus::Withdrawn)
        );
        if e.strength.is_none() && doc.kind == DocumentKind::EntryIntoForce && ahead {
            e.strength = Some(Strength::InForce);
        }
    }
}

/// Each record's single `quote` becomes the first of its `quotes` (a quote whose words and
/// source are not said), and each quote takes its verification (`verified`, in the order
/// [`super::quotes::quotes`] gives).
fn quotes(doc: &mut Document, verified: &[bool]) {
    fn fold(single: &mut Option<String>, list: &mut Vec<Quote>) {
        if let Some(text) = single.take() {
            list.insert(
                0,
                Quote {
                    text,
                    by: None,
                    speaker: None,
                    language: None,
                    translation: None,
                    source: None,
                    verified: false,
                },
            );
        }
    }
    doc.commitments
        .iter_mut()
        .for_each(|c| fold(&mut c.quote, &mut c.quotes));
    doc.assessments
        .iter_mut()
        .for_each(|a| fold(&mut a.quote, &mut a.quotes));
    doc.events
        .iter_mut()
        .for_each(|e| fold(&mut e.quote, &mut e.quotes));
    doc.measurements
        .iter_mut()
        .for_each(|m| fold(&mut m.quote, &mut m.quotes));
    let all = doc
        .commitments
        .iter_mut()
        .flat_map(|c| c.quotes.iter_mut())
        .chain(doc.assessments.iter_mut().flat_map(|a| a.quotes.iter_mut()))
        .chain(doc.events.iter_mut().flat_map(|e| e.quotes.iter_mut()))
        .chain(
            doc.measurements
                .iter_mut()
                .flat_map(|m| m.quotes.iter_mut()),
        );
    for (q, v) in all.zip(verified) {
        q.verified = *v;
    }
}

/// A commitment's defaults made explicit: its date, canonical codes, `field` the primary field
/// (the first of `fields` when given), `target` the first addressee, and the other party as the
/// target of a party's commitment that names none. Nothing is copied that is not needed: the
/// lists stay as written (see [`Commitment::all_fields`], [`Commitment::all_targets`]).
fn commitment(
    c: &mut Commitment,
    (doc_date, kind): (crate::PartialDate, DocumentKind),
    party_refs: &HashMap<String, String>,
    pair: [&String; 2],
) {
    c.date.get_or_insert(doc_date);
    c.strength
        .get_or_insert_with(|| Strength::default_for(kind, c.action, c.mutual));
    let canonical = |s: &mut String| {
        if let Some(code) = party_refs.get(s.as_str()).filter(|code| *code != s) {
            *s = code.clone();
        }
    };
    if let Some(actor) = &mut c.actor {
        canonical(actor);
    }
    if c.field.is_empty() {
        if let Some(first) = c.fields.first() {
            c.field = first.clone();
        }
    }
    c.target
        .iter_mut()
        .chain(c.targets.iter_mut())
        .for_each(canonical);
    if c.target.is_none() && !c.targets.is_empty() {
        c.target = Some(c.targets.remove(0));
    }
    let actor = c.actor.as_deref().unwrap_or_default();
    if c.target.is_none() && !c.mutual && pair.iter().any(|p| *p == actor) {
        let other = if actor == pair[0] { pair[1] } else { pair[0] };
        c.target = Some(other.clone());
    }
}

/// Entities named as actor or addressees give way to their countries, kept aside in
/// `entities` for the briefing's wording: tallies and reciprocity count the country.
fn entities(c: &mut Commitment, countries: &HashMap<String, String>) {
    if countries.is_empty() {
        return;
    }
    let mut refs = EntityRefs::default();
    if let Some(code) = c.actor.as_ref().and_then(|a| countries.get(a)) {
        refs.actor = c.actor.replace(code.clone());
    }
    let all = c.target.iter_mut().chain(c.targets.iter_mut());
    for (i, t) in all.enumerate() {
        if let Some(code) = countries.get(t.as_str()) {
            refs.targets.push((i, std::mem::replace(t, code.clone())));
        }
    }
    if refs != EntityRefs::default() {
        c.entities = Some(Box::new(refs));
    }
}
