//! A checked dataset, normalised: canonical party codes, a date on every commitment (its
//! document's by default) and on every event, a target on every commitment that is not mutual (the other party by
//! default), documents in date order.

use std::collections::HashMap;

use crate::dataset::format::{Document, Manifest};
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
                c.date.get_or_insert(doc.date);
                if let Some(actor) = &mut c.actor {
                    *actor = party_refs[actor.as_str()].clone();
                }
                match &mut c.target {
                    Some(t) => {
                        if let Some(code) = party_refs.get(t.as_str()) {
                            *t = code.clone();
                        }
                    }
                    None if !c.mutual => {
                        let actor = c.actor.as_deref().unwrap_or_default();
                        c.target = Some(if actor == a.code {
                            b.code.clone()
                        } else {
                            a.code.clone()
                        });
                    }
                    None => {}
                }
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
