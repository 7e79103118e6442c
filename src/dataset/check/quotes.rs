//! Sources against their archives, and quotes against the archived text.
//!
//! An archive must be where the source says, inside the dataset folder, with the hash recorded
//! when it was archived. A quote is verified when an archived source it may come from holds it
//! (its own `source`, else any of its record's sources); it is an error when every source it may
//! come from is archived and none holds it. A quote that may come from an unarchived source stays
//! valid, and unverified.

use crate::article::Mismatch;
use crate::dataset::archives::{ArchiveState, Archives};
use crate::dataset::format::{cites, Document, Quote, Source};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};

use super::text::Checker;

/// Checks the document's archives and its quotes; returns, for each quote in document order
/// (per record its single `quote`, then `quotes`; commitments, assessments, events,
/// measurements), whether it
/// was verified. Empty when archives were not read.
pub(super) fn quotes(ck: &mut Checker<'_>, p: &Parsed<Document>, archives: &Archives) -> Vec<bool> {
    if !archives.is_read() {
        return Vec::new();
    }
    let d = &p.value;
    for (i, s) in d.sources.iter().enumerate() {
        source(ck, p, &index("sources", i), s, archives);
    }
    let mut verified = Vec::new();
    let mut record = |ck: &mut Checker<'_>,
                      path: String,
                      single: &Option<String>,
                      list: &[Quote],
                      ids: &[String]| {
        if let Some(text) = single {
            verified.push(quote(
                ck,
                p,
                &key(&path, "quote"),
                text,
                None,
                ids,
                archives,
            ));
        }
        for (i, q) in list.iter().enumerate() {
            let at = key(&index(&key(&path, "quotes"), i), "text");
            verified.push(quote(
                ck,
                p,
                &at,
                &q.text,
                q.source.as_deref(),
                ids,
                archives,
            ));
        }
    };
    for (i, c) in d.commitments.iter().enumerate() {
        record(ck, index("commitments", i), &c.quote, &c.quotes, &c.sources);
    }
    for (i, a) in d.assessments.iter().enumerate() {
        record(ck, index("assessments", i), &a.quote, &a.quotes, &a.sources);
    }
    for (i, e) in d.events.iter().enumerate() {
        record(ck, index("events", i), &e.quote, &e.quotes, &e.sources);
    }
    for (i, m) in d.measurements.iter().enumerate() {
        record(
            ck,
            index("measurements", i),
            &m.quote,
            &m.quotes,
            &m.sources,
        );
    }
    verified
}

/// One source's archive: inside the folder, readable, its hash as recorded.
fn source(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, s: &Source, archives: &Archives) {
    let Some(rel) = &s.archive else {
        if s.sha256.is_some() {
            ck.out.push(
                p.error_at(&key(path, "sha256"), "`sha256` without an `archive`")
                    .help("add `archive = \"sources/…\"`, or remove `sha256`"),
            );
        }
        return;
    };
    let at = key(path, "archive");
    let problem = match archives.get(rel) {
        Some(ArchiveState::Read(a)) => return hash(ck, p, path, s, &a.sha256),
        Some(ArchiveState::Outside) => (
            "the archive is outside the dataset folder; not read".to_string(),
            "keep archived articles inside the dataset folder, under sources/".to_string(),
        ),
        Some(ArchiveState::NotArticle) => (
            "not an article file".to_string(),
            "archive the article as .txt, .md or .html".to_string(),
        ),
        Some(ArchiveState::Unreadable(why)) => (
            format!("cannot read the archive: {why}"),
            "restore the archived file (from version control or a backup), or remove `archive`"
                .to_string(),
        ),
        None => return,
    };
    ck.out.push(p.error_at(&at, problem.0).help(problem.1));
}

/// The archive's hash against the one recorded.
fn hash(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, s: &Source, actual: &str) {
    match &s.sha256 {
        None => ck.out.push(
            p.error_at(&key(path, "archive"), "the archive's hash is not recorded")
                .help(format!("add `sha256 = \"{actual}\"` beside `archive`, so a change to the file is noticed")),
        ),
        Some(recorded) if !recorded.eq_ignore_ascii_case(actual) => ck.out.push(
            p.error_at(
                &key(path, "sha256"),
                format!("the archive has changed since it was recorded: its SHA-256 is now {actual}"),
            )
            .help("if the new file is the same article (a cleaner copy), record its hash and run check again to verify the quotes; otherwise restore the archived file"),
        ),
        Some(_) => {}
    }
}

/// One quote against the archives it may come from: verified, or an error if it cannot come
/// from anywhere else.
fn quote(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    at: &str,
    text: &str,
    own: Option<&str>,
    record: &[String],
    archives: &Archives,
) -> bool {
    let own: Vec<String> = own.map(str::to_string).into_iter().collect();
    let ids = if own.is_empty() { record } else { &own[..] };
    let candidates: Vec<&Source> = p.value.sources.iter().filter(|s| cites(ids, s)).collect();
    let mut first_miss: Option<(&str, Mismatch)> = None;
    let mut unarchived = false;
    for s in &candidates {
        let archived = s
            .archive
            .as_deref()
            .and_then(|rel| match archives.get(rel) {
                Some(ArchiveState::Read(a)) => Some((rel, a)),
                _ => None,
            });
        let Some((rel, a)) = archived else {
            unarchived = true;
            continue;
        };
        match a.folded.find(text, &a.text) {
            Ok(()) => return true,
            Err(m) => {
                first_miss.get_or_insert((rel, m));
            }
        }
    }
    if let (Some((rel, m)), false) = (first_miss, unarchived) {
        ck.out.push(mismatch(p, at, rel, &m));
    }
    false
}

fn mismatch(
    p: &Parsed<Document>,
    at: &str,
    rel: &str,
    m: &Mismatch,
) -> crate::base::diag::Diagnostic {
    let detail = if m.agreed.is_empty() {
        format!(
            "no passage of the archive begins like it; the closest is “{}”",
            m.passage
        )
    } else {
        format!(
            "the two agree as far as “{}”, then the quote has “{}” and the archive “{}” (in “{}”)",
            tail(&m.agreed, 40),
            m.quote_has,
            m.source_has,
            m.passage
        )
    };
    p.error_at(at, format!("the quote is not in the archived text of its source ({rel}): {detail}"))
        .help("copy the words from the archive exactly (quotes, dashes and spacing may differ), and mark a cut with …")
}

/// The last `n` characters of `s`, with an ellipsis when cut.
fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        return s.to_string();
    }
    let rest: String = s.chars().skip(count - n).collect();
    format!("…{rest}")
}
