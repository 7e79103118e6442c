//! Checks that need more than one value at a time: codes against the ISO list, references against
//! the manifest, ids across files, dates against each other, text that must not be empty.
//!
//! Every check reports and moves on, so one `bilateral check` lists every problem; the dataset is
//! returned only if none was an error. On success the documents are normalised (see `dataset`).
//! One file per concern: single values (`text`), the manifest (`manifest`), each document
//! (`document`, on every core), ids across files (`ids`), links between commitments (`links`),
//! and the normalised dataset (`normalise`).

mod document;
mod ids;
mod links;
mod manifest;
mod measures;
mod normalise;
mod quotes;
mod text;
mod translations;

use crate::base::diag::Diagnostics;
use crate::dataset::archives::Archives;
use crate::dataset::format::{Document, Manifest};
use crate::dataset::parse::Parsed;
use crate::dataset::Dataset;
use text::Checker;

/// The longest id accepted.
pub const MAX_ID_LEN: usize = 128;
/// The longest single text value accepted (a long quote fits many times over).
pub const MAX_TEXT_LEN: usize = 20_000;
/// The most commitments one dataset may hold.
pub const MAX_COMMITMENTS: usize = 1_000_000;

/// Checks a parsed manifest and documents; pushes every problem found, and returns the
/// normalised dataset if none was an error.
pub fn check(
    manifest: Parsed<Manifest>,
    documents: Vec<Parsed<Document>>,
    archives: &Archives,
    out: &mut Diagnostics,
) -> Option<Dataset> {
    let mut ck = Checker { out };
    let vocabulary = manifest::manifest(&mut ck, &manifest);
    // What needs only the document and the manifest, on every core (each chunk collects its own
    // diagnostics, merged in document order) ...
    // Quotes are verified against the archives here too; which were is kept for the briefing.
    let local = crate::base::parallel::map_chunks(&documents, |chunk| {
        let mut verified = Vec::with_capacity(chunk.len());
        let out = apart(|ck| {
            for p in chunk {
                document::document(ck, p, &vocabulary);
                verified.push(quotes::quotes(ck, p, archives));
            }
        });
        (out, verified)
    });
    let mut verified = Vec::with_capacity(documents.len());
    for (d, v) in local {
        ck.out.extend(d.0);
        verified.extend(v);
    }
    // ... then ids across all of them, in order, and the links between commitments.
    let commitment_at = ids::ids(&mut ck, &manifest, &documents);
    // The links and the events read the same index and nothing else: one core each.
    let (linked, evented) = crate::base::parallel::join(
        || {
            apart(|ck| {
                links::links(ck, &documents, &commitment_at);
                links::cycles(ck, &documents, &commitment_at);
            })
        },
        || {
            apart(|ck| {
                links::events(ck, &documents, &commitment_at);
                links::measurements(ck, &documents, &commitment_at);
            })
        },
    );
    ck.out.extend(linked.0);
    ck.out.extend(evented.0);
    if ck.out.has_errors() || vocabulary.parties.len() != 2 {
        return None;
    }
    drop(commitment_at);
    normalise::normalise(&manifest, documents, verified, &vocabulary)
}

/// Runs checks with a list of problems of their own, to be merged in a fixed order.
fn apart(f: impl FnOnce(&mut Checker<'_>)) -> Diagnostics {
    let mut out = Diagnostics::default();
    f(&mut Checker { out: &mut out });
    out
}
