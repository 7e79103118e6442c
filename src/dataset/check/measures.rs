//! What #32 added to the format: measures and entities in the manifest; targets, figures,
//! co-parties and entity actors in documents. Kept apart from `document` so each rule reads
//! beside the others of its kind.

use std::collections::{HashMap, HashSet};

use crate::base::country;
use crate::base::date::Form;
use crate::dataset::format::{Commitment, Document, Manifest, Measurement};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};

use super::manifest::Vocabulary;
use super::text::{list_or_none, Checker, TextKind};

/// The largest figure or target accepted: a quintillion (a year's trade in the smallest currency
/// unit fits many times over), so sums and projections stay finite.
pub const MAX_FIGURE: f64 = 1e18;

/// The manifest's measures: ids once, a label and a unit.
pub(super) fn measures(ck: &mut Checker<'_>, manifest: &Parsed<Manifest>) -> HashSet<String> {
    let mut ids = HashSet::new();
    for (i, m) in manifest.value.measures.iter().enumerate() {
        let path = index("measures", i);
        let id_path = key(&path, "id");
        if ck.id(manifest, &id_path, &m.id) && !ids.insert(m.id.clone()) {
            let d = manifest.error_at(&id_path, format!("measure `{}` is declared twice", m.id));
            ck.out.push(d.help("remove one of the two declarations"));
        }
        ck.text(manifest, &key(&path, "label"), &m.label, TextKind::Name);
        ck.text(manifest, &key(&path, "unit"), &m.unit, TextKind::Name);
        if let Some(n) = &m.note {
            ck.text(manifest, &key(&path, "note"), n, TextKind::Prose);
        }
    }
    ids
}

/// The manifest's entities, each mapped to its country's code: ids once and apart from the
/// parties' and organisations', a real country.
pub(super) fn entities(
    ck: &mut Checker<'_>,
    manifest: &Parsed<Manifest>,
    party_refs: &HashMap<String, String>,
    org_ids: &HashSet<String>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (i, e) in manifest.value.entities.iter().enumerate() {
        let path = index("entities", i);
        let id_path = key(&path, "id");
        ck.text(manifest, &key(&path, "name"), &e.name, TextKind::Name);
        if let Some(n) = &e.full_name {
            ck.text(manifest, &key(&path, "full_name"), n, TextKind::Name);
        }
        let country = party_refs
            .get(&e.country)
            .cloned()
            .or_else(|| country::lookup(&e.country).map(|c| c.alpha2.to_string()));
        if country.is_none() {
            let message = format!("unknown country `{}`", e.country.escape_debug());
            let help = "give the ISO 3166-1 alpha-2 code of the entity's country (\"AZ\"), or an alias of a party";
            ck.out.push(
                manifest
                    .error_at(&key(&path, "country"), message)
                    .help(help),
            );
        }
        if !ck.id(manifest, &id_path, &e.id) {
            continue;
        }
        let clash = if party_refs.contains_key(&e.id) {
            Some("a party (its code or an alias)")
        } else if org_ids.contains(&e.id) {
            Some("an organisation")
        } else if out.contains_key(&e.id) {
            Some("another entity")
        } else {
            None
        };
        if let Some(what) = clash {
            let message = format!("entity `{}` has the id of {what}", e.id);
            ck.out.push(
                manifest
                    .error_at(&id_path, message)
                    .help("give each party, organisation and entity its own id"),
            );
            continue;
        }
        out.insert(e.id.clone(), country.unwrap_or_default());
    }
    out
}

/// Countries beyond the pair (`co_parties`, of a document or a commitment): real ISO codes, not
/// the pair, each once.
pub(super) fn co_parties(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    list: &[String],
    v: &Vocabulary,
) {
    for (i, code) in list.iter().enumerate() {
        let at = || index(path, i);
        if v.party_refs.contains_key(code) {
            let message = format!("`{code}` is one of the pair, not a co-party");
            let help = "`co_parties` names the countries beyond the pair that take part";
            ck.out.push(p.error_at(&at(), message).help(help));
        } else if country::lookup(code).is_none() {
            let help = match country::suggest(code) {
                Some(c) => format!("did you mean \"{}\" ({})?", c.alpha2, c.name),
                None => "use the country's ISO 3166-1 alpha-2 code, upper case: \"UZ\"".into(),
            };
            let message = format!("unknown country code `{}`", code.escape_debug());
            ck.out.push(p.error_at(&at(), message).help(help));
        } else if list[..i].contains(code) {
            let message = format!("`{code}` is listed twice");
            ck.out
                .push(p.error_at(&at(), message).help("name each country once"));
        }
    }
}

/// A commitment's target figure: a declared measure, a positive finite value, a deadline not
/// before the commitment.
pub(super) fn quantity(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    c: &Commitment,
    v: &Vocabulary,
) {
    let Some(q) = &c.quantity else { return };
    let at = |k: &str| key(&key(path, "quantity"), k);
    measure_ref(ck, p, &at("measure"), &q.measure, v);
    if !(q.value.is_finite() && q.value > 0.0 && q.value <= MAX_FIGURE) {
        let message = format!(
            "the target {} is not a positive number up to {MAX_FIGURE:e}",
            q.value
        );
        let help = "give the figure aimed at, in the measure's unit: `value = 1_000_000_000`";
        ck.out.push(p.error_at(&at("value"), message).help(help));
    }
    let made = c.date.unwrap_or(p.value.date);
    if let Some(by) = q.by.filter(|by| by.end() < made.start()) {
        let message = format!("the target is due {by}, before the commitment's date {made}");
        let help = "a target is reached after it is set; check both dates";
        ck.out.push(p.error_at(&at("by"), message).help(help));
    }
}

/// A measure id declared in the manifest.
fn measure_ref(ck: &mut Checker<'_>, p: &Parsed<Document>, at: &str, id: &str, v: &Vocabulary) {
    if v.measures.contains(id) {
        return;
    }
    let message = format!("unknown measure `{}`", id.escape_debug());
    let help = format!(
        "declare it under [[measures]] in the manifest, with `id`, `label` and `unit` (declared: {})",
        list_or_none(v.measures.iter())
    );
    ck.out.push(p.error_at(at, message).help(help));
}

/// A figure a document reports: a declared measure, a finite value not below zero, a period not
/// after every source that reports it (a source reports figures already out, not forecasts).
pub(super) fn measurement(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    m: &Measurement,
    v: &Vocabulary,
) {
    let at = |k: &str| key(path, k);
    measure_ref(ck, p, &at("measure"), &m.measure, v);
    if !(m.value.is_finite() && (0.0..=MAX_FIGURE).contains(&m.value)) {
        let message = format!(
            "the figure {} is not a number from zero to {MAX_FIGURE:e}",
            m.value
        );
        let help =
            "give the figure in the measure's unit; a fall is a smaller figure, not a negative one";
        ck.out.push(p.error_at(&at("value"), message).help(help));
    }
    if let Some(c) = &m.commitment {
        ck.id(p, &at("commitment"), c);
    }
    if matches!(m.period.form(), Some(Form::Either | Form::Between)) {
        let message = format!("the figure's period {} is not one period", m.period);
        let help = "a figure covers a year, a quarter, a month, or a span \"2022/2025\"; not one of two dates";
        ck.out.push(p.error_at(&at("period"), message).help(help));
    }
    if let Some(n) = &m.note {
        ck.text(p, &at("note"), &n.text, TextKind::Prose);
    }
    // Known from its first source out (as every record): that one must come after the period
    // began, or a briefing would show the figure before there was anything to count.
    let cited = p
        .value
        .sources
        .iter()
        .filter(|s| crate::dataset::format::cites(&m.sources, s));
    let out: Option<Vec<_>> = cited.map(|s| s.available()).collect();
    let first = out.and_then(|d| d.into_iter().min_by_key(|d| (d.end(), d.start())));
    if let Some(first) = first.filter(|f| m.period.start() > f.end()) {
        let message = format!(
            "the figure covers {}, but a source it rests on was out before that began ({first})",
            m.period
        );
        let help = "a measurement reports a period that has begun; cite only the sources that report it (`sources`), and give a forecast as a target (`quantity`) or a note";
        ck.out.push(p.error_at(&at("period"), message).help(help));
    }
}

/// An actor or addressee that names an entity: the entity's country, if `id` is one.
pub(super) fn entity_country<'v>(v: &'v Vocabulary, id: &str) -> Option<&'v String> {
    v.entities.get(id)
}
