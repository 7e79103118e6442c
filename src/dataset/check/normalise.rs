//! A checked dataset, normalised: canonical party codes, a date on every commitment (its
//! document's by default) and on every event, a target on every commitment that is not mutual (the other party by
//! default), documents in date order.

use std::collections::HashMap;

use crate::dataset::format::{Commitment, Document, Manifest};
use crate::dataset::parse::Parsed;
use crate::dataset::{Dataset, Field, LoadedDocument, PartyInfo};

pub(super) fn normalise(
    manifest: &Parsed<Manifest>,
    documents: Vec<Parsed<Document>>,
    parties: Vec<PartyInfo>,
    party_refs: &HashMap<String, String>,
    fields: Vec<Field>,
) -> Option<Dataset> {
    let m = &manifest.value;
    let [a, b]: [PartyInfo; 2] = parties.try_into().ok()?;
    let title = m
        .title
        .clone()
        .unwrap_or_else(|| format!("{}–{}", a.name, b.name));
    let mut docs: Vec<LoadedDocument> = documents
        .into_iter()
        .map(|p| {
            let mut doc = p.value;
            for code in &mut doc.parties {
                *code = party_refs[code.as_str()].clone();
            }
            for e in &mut doc.events {
                e.date.get_or_insert(doc.date);
            }
            for c in &mut doc.commitments {
                commitment(c, doc.date, party_refs, [&a.code, &b.code]);
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
        fields,
        documents: docs,
    })
}

/// A commitment's defaults made explicit: its date, canonical codes, `fields` with the primary
/// first (and `field` the primary), `targets` with `target` first, and the other party as the
/// target of a party's commitment that names none.
fn commitment(
    c: &mut Commitment,
    doc_date: crate::PartialDate,
    party_refs: &HashMap<String, String>,
    pair: [&String; 2],
) {
    c.date.get_or_insert(doc_date);
    let canonical = |s: &mut String| {
        if let Some(code) = party_refs.get(s.as_str()) {
            *s = code.clone();
        }
    };
    if let Some(actor) = &mut c.actor {
        canonical(actor);
    }
    if c.fields.is_empty() {
        c.fields.push(c.field.clone());
    } else {
        c.field = c.fields[0].clone();
    }
    let mut targets: Vec<String> = c
        .target
        .take()
        .into_iter()
        .chain(c.targets.drain(..))
        .collect();
    targets.iter_mut().for_each(canonical);
    let mut seen: Vec<String> = Vec::with_capacity(targets.len());
    targets.retain(|t| {
        let first = !seen.contains(t);
        if first {
            seen.push(t.clone());
        }
        first
    });
    let actor = c.actor.as_deref().unwrap_or_default();
    if targets.is_empty() && !c.mutual && pair.iter().any(|p| *p == actor) {
        let other = if actor == pair[0] { pair[1] } else { pair[0] };
        targets.push(other.clone());
    }
    c.target = targets.first().cloned();
    c.targets = targets;
}
