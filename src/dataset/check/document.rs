//! What needs only one document and the manifest: its own fields, its sources, and each
//! commitment and assessment against the pair, the organisations and the fields.

use crate::dataset::format::{
    cites, publishers, Assessment, Commitment, Confidence, Document, Event, Note, Quote, QuoteBy,
    Source,
};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};

use super::manifest::Vocabulary;
use super::measures;
use super::text::{check_url, is_language_tag, list_or_none, unknown_party, Checker, TextKind};

pub(super) fn document(ck: &mut Checker<'_>, p: &Parsed<Document>, v: &Vocabulary) {
    let d = &p.value;
    ck.id(p, "id", &d.id);
    ck.text(p, "title", &d.title, TextKind::Name);
    if let Some(place) = &d.place {
        ck.text(p, "place", place, TextKind::Name);
    }
    if let Some(n) = &d.note {
        note(ck, p, "note", n);
    }
    super::translations::document(ck, p);
    if d.parties.is_empty() {
        ck.out.push(
            p.error_at("parties", "`parties` is empty")
                .help("name at least one party of the pair"),
        );
    }
    for (i, code) in d.parties.iter().enumerate() {
        if v.parties_ok && !v.party_refs.contains_key(code) {
            ck.out
                .push(unknown_party(p, &index("parties", i), code, &v.parties));
        }
    }
    measures::co_parties(ck, p, "co_parties", &d.co_parties, v);
    if d.sources.is_empty() {
        ck.out
            .push(p.error_at("sources", "`sources` is empty").help(
                "cite at least one source: publisher, published date, language, reliability",
            ));
    }
    for (i, s) in d.sources.iter().enumerate() {
        source(ck, p, &index("sources", i), s);
    }
    source_ids(ck, p);
    if let Some(sp) = &d.speaker {
        ck.text(p, "speaker.name", &sp.name, TextKind::Name);
        if let Some(a) = &sp.affiliation {
            ck.text(p, "speaker.affiliation", a, TextKind::Name);
        }
        if let Some(r) = &sp.role {
            ck.text(p, "speaker.role", r, TextKind::Name);
        }
    }
    for (ci, c) in d.commitments.iter().enumerate() {
        commitment(ck, p, &index("commitments", ci), c, v);
    }
    for (ai, a) in d.assessments.iter().enumerate() {
        assessment(ck, p, &index("assessments", ai), a, v);
    }
    for (ei, e) in d.events.iter().enumerate() {
        event(ck, p, &index("events", ei), e, v);
    }
    for (mi, m) in d.measurements.iter().enumerate() {
        let path = index("measurements", mi);
        measures::measurement(ck, p, &path, m, v);
        quotes(ck, p, &path, &m.quotes);
        if let Some(q) = &m.quote {
            ck.text(p, &key(&path, "quote"), q, TextKind::Prose);
        }
        source_refs(ck, p, &path, &m.sources);
    }
    let empty = d.commitments.is_empty() && d.assessments.is_empty() && d.events.is_empty();
    if empty && d.measurements.is_empty() {
        let mut w = p.error_at(
            "",
            "the document records no commitments, assessments, events or measurements",
        );
        w.severity = crate::base::diag::Severity::Warning;
        w.location = None;
        ck.out
            .push(w.help("add what the document says, or remove the file"));
    }
}

fn source(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, s: &Source) {
    let d = &p.value;
    ck.text(p, &key(path, "publisher"), &s.publisher, TextKind::Name);
    if let Some(t) = &s.title {
        ck.text(p, &key(path, "title"), t, TextKind::Name);
    }
    if let Some(n) = &s.note {
        note(ck, p, &key(path, "note"), n);
    }
    if let Some(Err(why)) = s.url.as_deref().map(check_url) {
        ck.out.push(
            p.error_at(
                &key(path, "url"),
                format!("`url` is not a usable address: {why}"),
            )
            .help("give the full http or https address, as a browser shows it"),
        );
    }
    if !is_language_tag(&s.language) {
        ck.out.push(
            p.error_at(
                &key(path, "language"),
                format!("`{}` is not a language tag", s.language.escape_debug()),
            )
            .help("use a BCP 47 tag: \"en\", \"az\", \"ru\", \"zh-Hans\""),
        );
    }
    // Neither date of a source can come before the document it reports.
    for (name, date) in [("published", s.published), ("retrieved", s.retrieved)] {
        if let Some(date) = date.filter(|x| x.end() < d.date.start()) {
            ck.out.push(
                p.error_at(
                    &key(path, name),
                    format!("{name} {date} is before the document's date {}", d.date),
                )
                .help("a source cannot report a document before it exists; check both dates"),
            );
        }
    }
    if s.published.is_none() && s.retrieved.is_none() {
        ck.out.push(
            p.error_at(path, "this source has no date: neither `published` nor `retrieved`")
                .help(format!(
                    "add the day you read it, `retrieved = \"YYYY-MM-DD\"`, under this source (or \
                     `published`, if it shows one): without either, a record resting on it would \
                     count as known from the document's date ({}), before anyone could have read it",
                    d.date
                )),
        );
    }
}

/// An editorial note: its text, as any prose.
fn note(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, n: &Note) {
    ck.text(p, path, &n.text, TextKind::Prose);
}

fn commitment(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    c: &Commitment,
    v: &Vocabulary,
) {
    let at = |k: &str| key(path, k);
    ck.id(p, &at("id"), &c.id);
    let actor = actor(ck, p, path, c, v);
    // Paths are built only for a problem: a valid commitment allocates none here.
    let actor = (actor, c.actor.as_deref());
    if let Some(t) = &c.target {
        target(ck, p, (path, "target", None), t, actor, c.mutual, v);
    }
    for (i, t) in c.targets.iter().enumerate() {
        target(ck, p, (path, "targets", Some(i)), t, actor, c.mutual, v);
    }
    organisations(ck, p, path, "within", &c.within, v);
    organisations(ck, p, path, "about", &c.about, v);
    if let Some(list) = &c.co_parties {
        measures::co_parties(ck, p, &at("co_parties"), list, v);
    }
    measures::quantity(ck, p, path, c, v);
    contradictions(ck, p, path, c);
    fields(ck, p, path, c, v);
    addressees_once(ck, p, path, c, v);
    for (k, list) in [
        ("within", &c.within),
        ("about", &c.about),
        ("fields", &c.fields),
    ] {
        no_repeats(ck, p, (path, k), list);
    }
    ck.text(p, &at("summary"), &c.summary, TextKind::Prose);
    if let Some(q) = &c.quote {
        ck.text(p, &at("quote"), q, TextKind::Prose);
    }
    quotes(ck, p, path, &c.quotes);
    source_refs(ck, p, path, &c.sources);
    confidence(ck, p, path, c);
    if let Some(n) = &c.note {
        note(ck, p, &at("note"), n);
    }
    if let Some(level) = &c.partnership {
        ck.text(p, &at("partnership"), level, TextKind::Name);
    }
    dates_and_links(ck, p, path, c);
}

/// `field` or `fields`: one of them, every id known.
fn fields(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, c: &Commitment, v: &Vocabulary) {
    let at = |k: &str| key(path, k);
    match (c.field.is_empty(), c.fields.is_empty()) {
        (true, true) if c.draft => {
            let mut d = p.error_at(
                path,
                "a draft with no field yet: it stays out of every briefing",
            );
            d.severity = crate::base::diag::Severity::Warning;
            ck.out
                .push(d.help(format!("give the field it concerns; {}", v.field_help())));
        }
        (true, true) => ck
            .out
            .push(p.error_at(path, "missing key `field`").help(format!(
                "give the field it concerns, or `fields` for several; {}",
                v.field_help()
            ))),
        (false, false) => ck.out.push(
            p.error_at(&at("fields"), "`field` and `fields` are both given")
                .help("keep `fields` (the first is the primary field) and remove `field`"),
        ),
        _ => {}
    }
    let single = (!c.field.is_empty()).then_some((None, &c.field));
    let list = c.fields.iter().enumerate().map(|(i, f)| (Some(i), f));
    for (i, f) in single.into_iter().chain(list) {
        if !v.fields.iter().any(|x| &x.id == f) {
            let fpath = i.map_or_else(|| at("field"), |i| index(&at("fields"), i));
            ck.out.push(
                p.error_at(&fpath, format!("unknown field `{}`", f.escape_debug()))
                    .help(v.field_help()),
            );
        }
    }
}

/// Each addressee once, whatever name (code or alias) it is given by.
fn addressees_once(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    c: &Commitment,
    v: &Vocabulary,
) {
    fn canon<'a>(v: &'a Vocabulary, t: &'a str) -> &'a str {
        v.party_refs.get(t).map_or(t, String::as_str)
    }
    let first = c.target.as_deref().map(|t| canon(v, t));
    for (i, t) in c.targets.iter().enumerate() {
        let name = canon(v, t);
        if first == Some(name) || c.targets[..i].iter().any(|e| canon(v, e) == name) {
            ck.out.push(
                p.error_at(
                    &index(&key(path, "targets"), i),
                    format!("`{}` names an addressee already given", t.escape_debug()),
                )
                .help("name each addressee once, in `target` or `targets`"),
            );
        }
    }
}

/// A list names each id once.
fn no_repeats(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    (path, k): (&str, &str),
    list: &[String],
) {
    for (i, id) in list.iter().enumerate() {
        if list[..i].contains(id) {
            ck.out.push(
                p.error_at(
                    &index(&key(path, k), i),
                    format!("`{}` is listed twice", id.escape_debug()),
                )
                .help("name each once"),
            );
        }
    }
}

/// Keys that say nothing or contradict each other: `within = []`, one organisation both
/// `within` and `about`, `mutual = true` beside an `actor`.
fn contradictions(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, c: &Commitment) {
    let within = key(path, "within");
    if c.within.is_empty() && p.empty_list_at(&within) {
        let d = p.error_at(&within, "`within = []` names no organisation");
        ck.out
            .push(d.help("name the organisation, or leave `within` out"));
    }
    if let Some(both) = c.about.iter().find(|a| c.within.contains(a)) {
        let message = format!(
            "`{}` is both `within` and `about`: a commitment is made within an organisation or is about it",
            both.escape_debug()
        );
        let help = "keep `within` for the framework it is made in, `about` for an organisation it concerns from outside";
        ck.out
            .push(p.error_at(&key(path, "about"), message).help(help));
    }
    if c.mutual && c.actor.is_some() {
        let d = p.error_at(&key(path, "mutual"), "`mutual = true` beside an `actor`");
        let help = "with `mutual = true` both parties commit: remove `actor`, or drop `mutual` if one party commits";
        ck.out.push(d.help(help));
    }
}

/// Organisation ids under `within` or `about`, each declared in the manifest.
fn organisations(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    k: &str,
    ids: &[String],
    v: &Vocabulary,
) {
    for (i, w) in ids.iter().enumerate() {
        if v.org_ids.contains(w) || !v.parties_ok {
            continue;
        }
        let at = if ids.len() == 1 {
            key(path, k)
        } else {
            index(&key(path, k), i)
        };
        let mut diag = p.error_at(&at, format!("unknown organisation `{}`", w.escape_debug()));
        diag = if v.party_refs.contains_key(w) {
            diag.help(format!(
                "`{k}` names organisations; `{w}` is a party: put it in `target`"
            ))
        } else {
            diag.help(format!(
                "declare it under [[organisations]] in the manifest (declared: {})",
                list_or_none(v.org_ids.iter())
            ))
        };
        ck.out.push(diag);
    }
}

/// A stated `confirmed` needs two publishers among the sources the record rests on.
fn confidence(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, c: &Commitment) {
    if c.confidence != Some(Confidence::Confirmed) {
        return;
    }
    let publishers = publishers(p.value.sources.iter().filter(|s| cites(&c.sources, s)));
    if publishers.len() < 2 {
        ck.out.push(
            p.error_at(
                &key(path, "confidence"),
                format!(
                    "`confirmed` needs two publishers; this commitment rests on {}",
                    if publishers.is_empty() {
                        "none".to_string()
                    } else {
                        publishers.join(", ")
                    }
                ),
            )
            .help("cite a second, independent source, or say `single-source`"),
        );
    }
}

/// Quotes: text, language tags, a speaker for a speaker's words, sources the document has.
fn quotes(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, list: &[Quote]) {
    for (i, q) in list.iter().enumerate() {
        let qpath = index(&key(path, "quotes"), i);
        let at = |k: &str| key(&qpath, k);
        ck.text(p, &at("text"), &q.text, TextKind::Prose);
        if let Some(t) = &q.translation {
            ck.text(p, &at("translation"), t, TextKind::Prose);
        }
        if let Some(s) = &q.speaker {
            ck.text(p, &at("speaker"), s, TextKind::Name);
        }
        if let Some(lang) = q.language.as_ref().filter(|l| !is_language_tag(l)) {
            ck.out.push(
                p.error_at(
                    &at("language"),
                    format!("`{}` is not a language tag", lang.escape_debug()),
                )
                .help("use a BCP 47 tag: \"en\", \"az\", \"ru\", \"zh-Hans\""),
            );
        }
        if q.by == Some(QuoteBy::Speaker) && q.speaker.is_none() && p.value.speaker.is_none() {
            ck.out.push(
                p.error_at(&at("by"), "a speaker's words, but no speaker is named")
                    .help("add `speaker = \"…\"` to the quote, or a [speaker] to the document"),
            );
        }
        if let Some(id) = &q.source {
            source_refs_at(ck, p, std::slice::from_ref(id), false, |_| at("source"));
        }
    }
}

/// The actor's code, if it names a party; reports what it names otherwise.
fn actor<'v>(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    c: &Commitment,
    v: &'v Vocabulary,
) -> Option<&'v String> {
    let entity = c
        .actor
        .as_ref()
        .and_then(|a| measures::entity_country(v, a));
    let actor = c
        .actor
        .as_ref()
        .and_then(|a| v.party_refs.get(a))
        .or_else(|| entity.filter(|code| v.party_refs.contains_key(*code)));
    match (&c.actor, actor) {
        // An organisation may act on its own decision (the SCO grants a status).
        (Some(a), None) if v.org_ids.contains(a) => {}
        (Some(a), None) if entity.is_some() => {
            let message = format!(
                "the actor `{a}` is an entity of a third country ({})",
                entity.map_or("", |c| c.as_str())
            );
            let help = "a commitment is made by one of the pair (or one of its entities): name the third country's entity as a target, or its country in `co_parties`";
            ck.out
                .push(p.error_at(&key(path, "actor"), message).help(help));
        }
        (Some(a), None) if v.parties_ok => {
            ck.out
                .push(unknown_party(p, &key(path, "actor"), a, &v.parties));
        }
        (None, _) if !c.mutual => {
            // A draft may wait for its reviewer to say who commits; it is then not shown even
            // with --include-drafts.
            let mut d = p.error_at(path, "missing key `actor`");
            if c.draft {
                d.severity = crate::base::diag::Severity::Warning;
                d.message = "a draft with no actor yet: it stays out of every briefing".into();
            }
            ck.out
                .push(d.help("say which party commits, or set `mutual = true` if both do"));
        }
        _ => {}
    }
    actor
}

/// A target: a party, an organisation, or a third country by its ISO code; not the actor, and
/// not a party of the pair when both commit jointly.
fn target(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    (parent, k, i): (&str, &str, Option<usize>),
    t: &str,
    (actor, actor_id): (Option<&String>, Option<&str>),
    mutual: bool,
    v: &Vocabulary,
) {
    let path = || match i {
        Some(i) => index(&key(parent, k), i),
        None => key(parent, k),
    };
    let party = v.party_refs.get(t);
    if let Some(country) = measures::entity_country(v, t) {
        let own = !mutual && actor.is_some_and(|a| a == country);
        if actor_id == Some(t) || own {
            let message = if actor_id == Some(t) {
                format!("the target `{t}` is the actor itself")
            } else {
                format!("the target `{t}` is an entity of the actor's own country ({country})")
            };
            let help = "a commitment is addressed to the other side (a party or one of its entities), an organisation or a third country";
            ck.out.push(p.error_at(&path(), message).help(help));
        }
        return;
    }
    let known =
        party.is_some() || v.org_ids.contains(t) || crate::base::country::lookup(t).is_some();
    match party {
        _ if !known && v.parties_ok => ck.out.push(
            p.error_at(&path(), format!("unknown target `{}`", t.escape_debug()))
                .help(format!(
                    "the target is a party ({}), an organisation ({}) or entity declared in the manifest, or another country's ISO 3166 code",
                    v.parties
                        .iter()
                        .map(|p| p.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    list_or_none(v.org_ids.iter())
                )),
        ),
        Some(code) if actor == Some(code) => ck.out.push(
            p.error_at(&path(), format!("the target `{t}` is the actor itself"))
                .help("a commitment is addressed to the other party or to an organisation"),
        ),
        Some(_) if mutual => ck.out.push(
            p.error_at(&path(), format!("a joint commitment cannot target `{t}`, one of the pair"))
                .help("with `mutual = true` both parties commit to each other: remove the target, or drop `mutual` and name the actor"),
        ),
        _ => {}
    }
}

/// A due date not before the commitment; at most one link.
fn dates_and_links(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, c: &Commitment) {
    let date = c.date.unwrap_or(p.value.date);
    if let Some(due) = c.due.filter(|due| due.end() < date.start()) {
        ck.out.push(
            p.error_at(
                &key(path, "due"),
                format!("due {due} is before the commitment's date {date}"),
            )
            .help("a commitment cannot fall due before it is made; check both dates"),
        );
    }
    if c.repeats.is_some() && c.upgrades.is_some() {
        ck.out.push(
            p.error_at(
                &key(path, "upgrades"),
                "a commitment either repeats or upgrades an earlier one, not both",
            )
            .help("keep the one that fits"),
        );
    }
}

fn assessment(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    path: &str,
    a: &Assessment,
    v: &Vocabulary,
) {
    let at = |k: &str| key(path, k);
    match &a.author {
        Some(author) => ck.text(p, &at("author"), author, TextKind::Name),
        None if p.value.speaker.is_none() => ck.out.push(
            p.error_at(path, "missing key `author`")
                .help("name the author, or give the document a [speaker]"),
        ),
        None => {}
    }
    if a.fields.is_empty() {
        ck.out.push(
            p.error_at(&at("fields"), "`fields` is empty")
                .help(v.field_help()),
        );
    }
    for (fi, f) in a.fields.iter().enumerate() {
        if !v.fields.iter().any(|x| &x.id == f) {
            ck.out.push(
                p.error_at(
                    &index(&at("fields"), fi),
                    format!("unknown field `{}`", f.escape_debug()),
                )
                .help(v.field_help()),
            );
        }
    }
    ck.text(p, &at("summary"), &a.summary, TextKind::Prose);
    if let Some(q) = &a.quote {
        ck.text(p, &at("quote"), q, TextKind::Prose);
    }
    quotes(ck, p, path, &a.quotes);
    source_refs(ck, p, path, &a.sources);
}

/// Source ids, where given, are ids and unique in the document.
fn source_ids(ck: &mut Checker<'_>, p: &Parsed<Document>) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in p.value.sources.iter().enumerate() {
        let Some(id) = &s.id else { continue };
        let path = key(&index("sources", i), "id");
        if !ck.id(p, &path, id) {
            continue;
        }
        if seen.contains(&id.as_str()) {
            ck.out.push(
                p.error_at(
                    &path,
                    format!("source id `{id}` is already used in this document"),
                )
                .help("give each source of a document its own id"),
            );
        }
        seen.push(id);
    }
}

/// What an event needs from its own document: its text, and sources that the document has.
/// Its commitment and its date against the commitment's are checked across files (`links`).
fn event(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, e: &Event, v: &Vocabulary) {
    let at = |k: &str| key(path, k);
    ck.id(p, &at("commitment"), &e.commitment);
    if let Some(a) = &e.actor {
        let known = v.party_refs.contains_key(a)
            || v.org_ids.contains(a)
            || measures::entity_country(v, a).is_some();
        if !known && v.parties_ok {
            let message = format!("unknown actor `{}`", a.escape_debug());
            let help = "who acted: a party (code or alias), an organisation or an entity declared in the manifest";
            ck.out.push(p.error_at(&at("actor"), message).help(help));
        }
    }
    ck.text(p, &at("summary"), &e.summary, TextKind::Prose);
    if let Some(q) = &e.quote {
        ck.text(p, &at("quote"), q, TextKind::Prose);
    }
    if let Some(n) = &e.note {
        note(ck, p, &at("note"), n);
    }
    if e.status.is_none() && e.due.is_none() && e.strength.is_none() {
        ck.out.push(
            p.error_at(path, "this event gives neither a `status`, a new `due` date nor a `strength`")
                .help("say what happened: `status = \"in-progress\"` (or implemented, stalled, withdrawn), `due = \"2026-Q3\"` for a deadline moved, or `strength = \"ratified\"` for a ratification"),
        );
    }
    quotes(ck, p, path, &e.quotes);
    source_refs(ck, p, path, &e.sources);
    reported_before_it_happened(ck, p, path, e);
}

/// An event with a status dated after every source that reports it was out: no source reports
/// what had not happened yet. An event that only moves a deadline may be dated ahead: the move
/// is announced before it takes effect.
fn reported_before_it_happened(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, e: &Event) {
    let (Some(date), Some(_)) = (e.date, e.status) else {
        return;
    };
    let cited: Vec<_> = p
        .value
        .sources
        .iter()
        .filter(|s| crate::dataset::format::cites(&e.sources, s))
        .collect();
    // Only dated sources can be compared; one without a date could be any day.
    let out: Option<Vec<_>> = cited.iter().map(|s| s.available()).collect();
    let Some(latest) = out.and_then(|d| d.into_iter().max_by_key(|d| d.end())) else {
        return;
    };
    if !cited.is_empty() && date.start() > latest.end() {
        let message = format!(
            "this event is dated {date}, after its sources were out (the latest: {latest}): a status reports what happened"
        );
        let help = "date the event when it happened, or cite the source that reported it; a deadline moved ahead of time is an event with `due` and no `status`";
        ck.out
            .push(p.error_at(&key(path, "date"), message).help(help));
    }
}

/// Source ids a record names (under `path.sources`, or a quote's `source`), each one of the
/// document's.
fn source_refs(ck: &mut Checker<'_>, p: &Parsed<Document>, path: &str, refs: &[String]) {
    let at = key(path, "sources");
    // An empty list would read as "all of the document's sources", the opposite of what it says.
    if refs.is_empty() && p.empty_list_at(&at) {
        ck.out.push(
            p.error_at(&at, "`sources = []` names no source")
                .help("name the sources that report this record, or leave `sources` out to cite all of the document's"),
        );
    }
    source_refs_at(ck, p, refs, true, |i| index(&at, i));
}

fn source_refs_at(
    ck: &mut Checker<'_>,
    p: &Parsed<Document>,
    refs: &[String],
    list: bool,
    at: impl Fn(usize) -> String,
) {
    let ids: Vec<&str> = p
        .value
        .sources
        .iter()
        .filter_map(|s| s.id.as_deref())
        .collect();
    for (si, id) in refs.iter().enumerate() {
        if ids.contains(&id.as_str()) {
            continue;
        }
        ck.out.push(
            p.error_at(
                &at(si),
                format!(
                    "this document has no source with id `{}`",
                    id.escape_debug()
                ),
            )
            .help(format!(
                "name sources of this document by their `id` (given: {}){}",
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    ids.join(", ")
                },
                if list {
                    "; or leave `sources` out to cite all of them"
                } else {
                    ""
                }
            )),
        );
    }
}
