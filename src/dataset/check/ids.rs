//! Ids across files: each document id and each commitment id is used once in the whole dataset,
//! and the dataset stays under the commitment limit. Checked in file order, after the
//! per-document checks, so messages come out in a stable order.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap as HashMap;

use crate::dataset::format::{Document, Manifest};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};

use super::text::{is_id, Checker};
use super::MAX_COMMITMENTS;

/// Where each commitment id is defined: (document index, commitment index).
pub(super) type CommitmentIndex<'a> = HashMap<&'a str, (usize, usize)>;

pub(super) fn ids<'a>(
    ck: &mut Checker<'_>,
    manifest: &Parsed<Manifest>,
    documents: &'a [Parsed<Document>],
) -> CommitmentIndex<'a> {
    let mut doc_ids: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(documents.len(), Default::default());
    let total = documents.iter().map(|p| p.value.commitments.len()).sum();
    let mut commitment_at: HashMap<&str, (usize, usize)> =
        HashMap::with_capacity_and_hasher(total, Default::default());
    for (di, p) in documents.iter().enumerate() {
        let d = &p.value;
        if is_id(&d.id) {
            if let Some(other) = doc_ids.insert(&d.id, di) {
                ck.out.push(
                    p.error_at(
                        "id",
                        format!(
                            "document id `{}` is already used in {}",
                            d.id,
                            documents[other].source.path.display()
                        ),
                    )
                    .help("give each document its own id"),
                );
            }
        }
        for (ci, c) in d.commitments.iter().enumerate() {
            if !is_id(&c.id) {
                continue;
            }
            match commitment_at.entry(c.id.as_str()) {
                Entry::Occupied(first) => {
                    let other = documents[first.get().0].source.path.display();
                    ck.out.push(
                        p.error_at(
                            &key(&index("commitments", ci), "id"),
                            format!("commitment id `{}` is already used in {other}", c.id),
                        )
                        .help("commitment ids are unique across the whole dataset"),
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert((di, ci));
                }
            }
        }
    }

    limit(ck, manifest, total);
    commitment_at
}

fn limit(ck: &mut Checker<'_>, manifest: &Parsed<Manifest>, total: usize) {
    if total > MAX_COMMITMENTS {
        ck.out.push(
            manifest
                .error_at(
                    "",
                    format!(
                        "the dataset holds {total} commitments; the limit is {MAX_COMMITMENTS}"
                    ),
                )
                .help("split the dataset by period"),
        );
    }
}
