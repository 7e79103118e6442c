//! Names and text in other languages: every key a BCP 47 tag, every translation a text like the
//! original's, and only the keys the record has (a commitment's translation has no title).

use std::collections::BTreeMap;

use crate::dataset::format::{Document, Manifest, Translation};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};

use super::text::{is_language_tag, Checker, TextKind};

const TAG_HELP: &str = "use a BCP 47 tag: \"zh-Hans\", \"ru\", \"az\"";

/// The manifest's `language` and the `names` of its parties, organisations, fields, measures
/// and entities.
pub(super) fn manifest(ck: &mut Checker<'_>, p: &Parsed<Manifest>) {
    let m = &p.value;
    if let Some(l) = m.language.as_ref().filter(|l| !is_language_tag(l)) {
        let message = format!("`{}` is not a language tag", l.escape_debug());
        ck.out.push(p.error_at("language", message).help(TAG_HELP));
    }
    for (tag, title) in &m.titles {
        if check_tag(ck, p, "titles", tag) {
            ck.text(p, &key("titles", tag), title, TextKind::Name);
        }
    }
    let lists: [(&str, Vec<&BTreeMap<String, String>>); 5] = [
        ("parties", m.parties.iter().map(|x| &x.names).collect()),
        (
            "organisations",
            m.organisations.iter().map(|x| &x.names).collect(),
        ),
        ("fields", m.fields.iter().map(|x| &x.names).collect()),
        ("measures", m.measures.iter().map(|x| &x.names).collect()),
        ("entities", m.entities.iter().map(|x| &x.names).collect()),
    ];
    for (list, all) in lists {
        for (i, names) in all.into_iter().enumerate() {
            let path = key(&index(list, i), "names");
            for (tag, name) in names {
                if check_tag(ck, p, &path, tag) {
                    ck.text(p, &key(&path, tag), name, TextKind::Name);
                }
            }
        }
    }
}

/// The `translations` of a document and of its commitments, events and views.
pub(super) fn document(ck: &mut Checker<'_>, p: &Parsed<Document>) {
    let d = &p.value;
    record(
        ck,
        p,
        "translations",
        &d.translations,
        &["title", "place", "note"],
    );
    for (i, s) in d.sources.iter().enumerate() {
        let path = key(&index("sources", i), "translations");
        record(ck, p, &path, &s.translations, &["note"]);
    }
    for (i, c) in d.commitments.iter().enumerate() {
        let path = key(&index("commitments", i), "translations");
        record(
            ck,
            p,
            &path,
            &c.translations,
            &["summary", "partnership", "note"],
        );
    }
    for (i, e) in d.events.iter().enumerate() {
        let path = key(&index("events", i), "translations");
        record(ck, p, &path, &e.translations, &["summary", "note"]);
    }
    for (i, a) in d.assessments.iter().enumerate() {
        let path = key(&index("assessments", i), "translations");
        record(ck, p, &path, &a.translations, &["summary"]);
    }
}

fn record<T>(
    ck: &mut Checker<'_>,
    p: &Parsed<T>,
    path: &str,
    translations: &BTreeMap<String, Translation>,
    keys: &[&str],
) {
    for (tag, t) in translations {
        if !check_tag(ck, p, path, tag) {
            continue;
        }
        let at = key(path, tag);
        let given = [
            ("title", &t.title),
            ("place", &t.place),
            ("summary", &t.summary),
            ("partnership", &t.partnership),
            ("note", &t.note),
        ];
        for (name, text) in given {
            let Some(text) = text else { continue };
            if keys.contains(&name) {
                let kind = match name {
                    "summary" | "note" => TextKind::Prose,
                    _ => TextKind::Name,
                };
                ck.text(p, &key(&at, name), text, kind);
            } else {
                let message = format!("this record has no `{name}` to translate");
                let help = format!("a translation here has {}", keys.join(" and "));
                ck.out.push(p.error_at(&key(&at, name), message).help(help));
            }
        }
    }
}

/// Whether `tag` is a language tag; reports it if not.
fn check_tag<T>(ck: &mut Checker<'_>, p: &Parsed<T>, path: &str, tag: &str) -> bool {
    if is_language_tag(tag) {
        return true;
    }
    let message = format!("`{}` is not a language tag", tag.escape_debug());
    ck.out
        .push(p.error_at_key(&key(path, tag), message).help(TAG_HELP));
    false
}
