//! Checks that need more than one value at a time: codes against the ISO list, references against
//! the manifest, ids across files, dates against each other, text that must not be empty.
//!
//! Every check reports and moves on, so one `bilateral check` lists every problem; the dataset is
//! returned only if none was an error. On success the documents are normalised (see `dataset`).

use std::collections::{HashMap, HashSet};

use crate::base::country;
use crate::base::diag::{is_bidi_control, Diagnostic, Diagnostics};
use crate::dataset::format::{Document, Manifest, DEFAULT_FIELDS};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};
use crate::dataset::{Dataset, Field, LoadedDocument, PartyInfo};

/// The longest id accepted.
pub const MAX_ID_LEN: usize = 128;
/// The longest single text value accepted (a long quote fits many times over).
pub const MAX_TEXT_LEN: usize = 20_000;
/// The most commitments one dataset may hold.
pub const MAX_COMMITMENTS: usize = 1_000_000;

/// What a piece of text is, for the checks that apply to it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// A name or title: one line, no direction controls.
    Name,
    /// Prose: a summary, a quote, a note; line breaks allowed.
    Prose,
}

struct Checker<'a> {
    out: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn text<T>(&mut self, p: &Parsed<T>, path: &str, value: &str, kind: TextKind) {
        if value.trim().is_empty() {
            self.out.push(
                p.error_at(path, format!("`{}` is empty", last_key(path)))
                    .help("write the text, or remove the key if it is optional"),
            );
            return;
        }
        if value.chars().count() > MAX_TEXT_LEN {
            self.out.push(
                p.error_at(
                    path,
                    format!(
                        "`{}` is longer than {MAX_TEXT_LEN} characters",
                        last_key(path)
                    ),
                )
                .help("quote the relevant passage, not the whole document"),
            );
        }
        let bad_control = value.chars().find(|&c| {
            c.is_control() && !(kind == TextKind::Prose && matches!(c, '\n' | '\t' | '\r'))
        });
        if let Some(c) = bad_control {
            self.out.push(
                p.error_at(
                    path,
                    format!(
                        "`{}` holds the control character U+{:04X}",
                        last_key(path),
                        c as u32
                    ),
                )
                .help(if kind == TextKind::Name {
                    "names and titles are one line of printable text"
                } else {
                    "remove it; only line breaks and tabs are allowed in prose"
                }),
            );
        }
        if kind == TextKind::Name {
            if let Some(c) = value.chars().find(|&c| is_bidi_control(c)) {
                self.out.push(
                    p.error_at(
                        path,
                        format!(
                            "`{}` holds the text-direction control U+{:04X}",
                            last_key(path),
                            c as u32
                        ),
                    )
                    .help(
                        "direction controls can make a name display as something else; remove it",
                    ),
                );
            }
        }
    }

    fn id<T>(&mut self, p: &Parsed<T>, path: &str, value: &str) -> bool {
        let ok = is_id(value);
        if !ok {
            self.out.push(
                p.error_at(path, format!("`{}` is not a valid id", value.escape_debug()))
                    .help(format!(
                        "an id is 1 to {MAX_ID_LEN} characters: lower-case letters, digits, `-`, `_` and `.`, starting with a letter or digit"
                    )),
            );
        }
        ok
    }
}

/// Lower-case letters, digits, `-`, `_` and `.`; starts with a letter or digit; no `..`.
fn is_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_ID_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        && value.as_bytes()[0].is_ascii_alphanumeric()
        && !value.contains("..")
}

fn last_key(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

/// Validates a parsed manifest and documents; pushes every problem found.
pub fn check(
    manifest: Parsed<Manifest>,
    documents: Vec<Parsed<Document>>,
    out: &mut Diagnostics,
) -> Option<Dataset> {
    let mut ck = Checker { out };
    let m = &manifest.value;

    // Parties: exactly two, real ISO codes, distinct.
    let mut parties: Vec<PartyInfo> = Vec::new();
    // Every name a document may use for a party, mapped to its code.
    let mut party_refs: HashMap<String, String> = HashMap::new();
    if m.parties.len() != 2 {
        ck.out.push(
            manifest
                .error_at(
                    "parties",
                    format!(
                        "a dataset covers a pair: found {}",
                        if m.parties.len() == 1 {
                            "1 party".to_string()
                        } else {
                            format!("{} parties", m.parties.len())
                        }
                    ),
                )
                .help("list exactly two parties, each with its ISO 3166-1 alpha-2 code"),
        );
    }
    for (i, party) in m.parties.iter().enumerate() {
        let path = index("parties", i);
        let code_path = key(&path, "code");
        match country::lookup(&party.code) {
            Some(c) => {
                if parties.iter().any(|p| p.code == party.code) {
                    ck.out.push(
                        manifest
                            .error_at(
                                &code_path,
                                format!("party `{}` is listed twice", party.code),
                            )
                            .help("a pair is two different countries"),
                    );
                    continue;
                }
                let name = party.name.clone().unwrap_or_else(|| c.name.to_string());
                if let Some(n) = &party.name {
                    ck.text(&manifest, &key(&path, "name"), n, TextKind::Name);
                }
                for (j, alias) in party.aliases.iter().enumerate() {
                    let apath = index(&key(&path, "aliases"), j);
                    ck.text(&manifest, &apath, alias, TextKind::Name);
                    if party_refs
                        .insert(alias.clone(), party.code.clone())
                        .is_some()
                    {
                        ck.out.push(
                            manifest
                                .error_at(&apath, format!("alias `{alias}` is used twice"))
                                .help("an alias must name one party only"),
                        );
                    }
                }
                party_refs.insert(party.code.clone(), party.code.clone());
                parties.push(PartyInfo {
                    code: party.code.clone(),
                    name,
                });
            }
            None => {
                let help = match country::suggest(&party.code) {
                    Some(c) => format!("did you mean \"{}\" ({})?", c.alpha2, c.name),
                    None => "use an ISO 3166-1 alpha-2 code, upper case, such as \"AZ\" or \"CN\""
                        .to_string(),
                };
                ck.out.push(
                    manifest
                        .error_at(
                            &code_path,
                            format!("unknown country code `{}`", party.code.escape_debug()),
                        )
                        .help(help),
                );
            }
        }
    }

    // With a broken party list, references to parties cannot be judged: say nothing of them.
    let parties_ok = parties.len() == 2 && m.parties.len() == 2;

    // Organisations.
    let mut org_ids: HashSet<String> = HashSet::new();
    for (i, org) in m.organisations.iter().enumerate() {
        let path = index("organisations", i);
        let id_path = key(&path, "id");
        if ck.id(&manifest, &id_path, &org.id) && !org_ids.insert(org.id.clone()) {
            ck.out.push(
                manifest
                    .error_at(
                        &id_path,
                        format!("organisation `{}` is declared twice", org.id),
                    )
                    .help("remove one of the two declarations"),
            );
        }
        if party_refs.contains_key(&org.id) {
            ck.out.push(
                manifest
                    .error_at(
                        &id_path,
                        format!("`{}` names both a party and an organisation", org.id),
                    )
                    .help("give the organisation another id"),
            );
        }
        ck.text(&manifest, &key(&path, "name"), &org.name, TextKind::Name);
        if let Some(s) = &org.short {
            ck.text(&manifest, &key(&path, "short"), s, TextKind::Name);
        }
    }

    // Fields: the defaults, relabelled or extended.
    let mut fields: Vec<Field> = DEFAULT_FIELDS
        .iter()
        .map(|(id, label)| Field {
            id: id.to_string(),
            label: label.to_string(),
        })
        .collect();
    let mut declared: HashSet<String> = HashSet::new();
    for (i, f) in m.fields.iter().enumerate() {
        let path = index("fields", i);
        let id_path = key(&path, "id");
        if !ck.id(&manifest, &id_path, &f.id) {
            continue;
        }
        if !declared.insert(f.id.clone()) {
            ck.out.push(
                manifest
                    .error_at(&id_path, format!("field `{}` is declared twice", f.id))
                    .help("remove one of the two declarations"),
            );
            continue;
        }
        ck.text(&manifest, &key(&path, "label"), &f.label, TextKind::Name);
        match fields.iter_mut().find(|x| x.id == f.id) {
            Some(existing) => existing.label = f.label.clone(),
            None => fields.push(Field {
                id: f.id.clone(),
                label: f.label.clone(),
            }),
        }
    }
    let field_ids: HashSet<&str> = fields.iter().map(|f| f.id.as_str()).collect();
    let field_help = || {
        format!(
            "known fields: {}; add new ones under [[fields]] in the manifest",
            fields
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if let Some(t) = &m.title {
        ck.text(&manifest, "title", t, TextKind::Name);
    }

    // Documents: what needs only the document and the manifest, on every core (each chunk
    // collects its own diagnostics, merged in document order) ...
    let check_chunk = |chunk: &[Parsed<Document>]| -> Diagnostics {
        let mut out = Diagnostics::default();
        let mut ck = Checker { out: &mut out };
        for p in chunk {
            let d = &p.value;
            ck.id(p, "id", &d.id);
            ck.text(p, "title", &d.title, TextKind::Name);
            if let Some(place) = &d.place {
                ck.text(p, "place", place, TextKind::Name);
            }
            if let Some(note) = &d.note {
                ck.text(p, "note", note, TextKind::Prose);
            }
            if d.parties.is_empty() {
                ck.out.push(
                    p.error_at("parties", "`parties` is empty")
                        .help("name at least one party of the pair"),
                );
            }
            for (i, code) in d.parties.iter().enumerate() {
                if parties_ok && !party_refs.contains_key(code) {
                    ck.out
                        .push(unknown_party(p, &index("parties", i), code, &parties));
                }
            }
            if d.sources.is_empty() {
                ck.out
                    .push(p.error_at("sources", "`sources` is empty").help(
                    "cite at least one source: publisher, published date, language, reliability",
                ));
            }
            for (i, s) in d.sources.iter().enumerate() {
                let path = index("sources", i);
                ck.text(p, &key(&path, "publisher"), &s.publisher, TextKind::Name);
                if let Some(t) = &s.title {
                    ck.text(p, &key(&path, "title"), t, TextKind::Name);
                }
                if let Some(n) = &s.note {
                    ck.text(p, &key(&path, "note"), n, TextKind::Prose);
                }
                if let Some(url) = &s.url {
                    if let Err(why) = check_url(url) {
                        ck.out.push(
                            p.error_at(
                                &key(&path, "url"),
                                format!("`url` is not a usable address: {why}"),
                            )
                            .help("give the full http or https address, as a browser shows it"),
                        );
                    }
                }
                if !is_language_tag(&s.language) {
                    ck.out.push(
                        p.error_at(
                            &key(&path, "language"),
                            format!("`{}` is not a language tag", s.language.escape_debug()),
                        )
                        .help("use a BCP 47 tag: \"en\", \"az\", \"ru\", \"zh-Hans\""),
                    );
                }
                if s.published.end() < d.date.start() {
                    ck.out.push(
                        p.error_at(
                            &key(&path, "published"),
                            format!(
                                "published {} is before the document's date {}",
                                s.published, d.date
                            ),
                        )
                        .help(
                            "a source cannot report a document before it exists; check both dates",
                        ),
                    );
                }
            }
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
                let path = index("commitments", ci);
                let at = |k: &str| key(&path, k);
                ck.id(p, &at("id"), &c.id);
                let actor = c.actor.as_ref().and_then(|a| party_refs.get(a));
                match (&c.actor, actor) {
                    (Some(a), None) if parties_ok => {
                        let mut diag = unknown_party(p, &at("actor"), a, &parties);
                        if org_ids.contains(a) {
                            diag.message =
                                format!("the actor `{a}` is an organisation, not a party");
                            diag.help = Some("the actor is one of the two parties; put the organisation in `target` or `within`".into());
                        }
                        ck.out.push(diag);
                    }
                    (None, _) if !c.mutual => ck.out.push(
                        p.error_at(&path, "missing key `actor`")
                            .help("say which party commits, or set `mutual = true` if both do"),
                    ),
                    _ => {}
                }
                if let Some(t) = &c.target {
                    let resolved = party_refs.get(t).or_else(|| org_ids.get(t));
                    match resolved {
                            None if !parties_ok => {}
                            None => ck.out.push(
                                p.error_at(&at("target"), format!("unknown target `{}`", t.escape_debug()))
                                    .help(format!(
                                        "the target is a party ({}) or an organisation declared in the manifest ({})",
                                        parties.iter().map(|p| p.code.as_str()).collect::<Vec<_>>().join(", "),
                                        list_or_none(org_ids.iter())
                                    )),
                            ),
                            Some(code) if actor == Some(code) => ck.out.push(
                                p.error_at(&at("target"), format!("the target `{t}` is the actor itself"))
                                    .help("a commitment is addressed to the other party or to an organisation"),
                            ),
                            _ => {}
                        }
                }
                if let Some(w) = &c.within {
                    if !org_ids.contains(w) {
                        ck.out.push(
                            p.error_at(
                                &at("within"),
                                format!("unknown organisation `{}`", w.escape_debug()),
                            )
                            .help(format!(
                                "declare it under [[organisations]] in the manifest (declared: {})",
                                list_or_none(org_ids.iter())
                            )),
                        );
                    }
                }
                if !field_ids.contains(c.field.as_str()) {
                    ck.out.push(
                        p.error_at(
                            &at("field"),
                            format!("unknown field `{}`", c.field.escape_debug()),
                        )
                        .help(field_help()),
                    );
                }
                ck.text(p, &at("summary"), &c.summary, TextKind::Prose);
                if let Some(q) = &c.quote {
                    ck.text(p, &at("quote"), q, TextKind::Prose);
                }
                if let Some(n) = &c.note {
                    ck.text(p, &at("note"), n, TextKind::Prose);
                }
                let date = c.date.unwrap_or(d.date);
                if let Some(due) = c.due {
                    if due.end() < date.start() {
                        ck.out.push(
                            p.error_at(
                                &at("due"),
                                format!("due {due} is before the commitment's date {date}"),
                            )
                            .help(
                                "a commitment cannot fall due before it is made; check both dates",
                            ),
                        );
                    }
                }
                if c.repeats.is_some() && c.upgrades.is_some() {
                    ck.out.push(
                        p.error_at(
                            &at("upgrades"),
                            "a commitment either repeats or upgrades an earlier one, not both",
                        )
                        .help("keep the one that fits"),
                    );
                }
            }
            for (ai, a) in d.assessments.iter().enumerate() {
                let path = index("assessments", ai);
                let at = |k: &str| key(&path, k);
                match &a.author {
                    Some(author) => ck.text(p, &at("author"), author, TextKind::Name),
                    None if d.speaker.is_none() => ck.out.push(
                        p.error_at(&path, "missing key `author`")
                            .help("name the author, or give the document a [speaker]"),
                    ),
                    None => {}
                }
                if a.fields.is_empty() {
                    ck.out.push(
                        p.error_at(&at("fields"), "`fields` is empty")
                            .help(field_help()),
                    );
                }
                for (fi, f) in a.fields.iter().enumerate() {
                    if !field_ids.contains(f.as_str()) {
                        ck.out.push(
                            p.error_at(
                                &index(&at("fields"), fi),
                                format!("unknown field `{}`", f.escape_debug()),
                            )
                            .help(field_help()),
                        );
                    }
                }
                ck.text(p, &at("summary"), &a.summary, TextKind::Prose);
                if let Some(q) = &a.quote {
                    ck.text(p, &at("quote"), q, TextKind::Prose);
                }
            }
            if d.commitments.is_empty() && d.assessments.is_empty() {
                let mut w =
                    p.error_at("", "the document records no commitments and no assessments");
                w.severity = crate::base::diag::Severity::Warning;
                w.location = None;
                ck.out
                    .push(w.help("add what the document says, or remove the file"));
            }
        }

        out
    };
    let local: Vec<Diagnostics> = crate::base::parallel::map_chunks(&documents, check_chunk);
    for d in local {
        ck.out.extend(d.0);
    }

    // ... then ids across all of them, in order.
    let mut doc_ids: HashMap<&str, usize> = HashMap::with_capacity(documents.len());
    let mut commitment_at: HashMap<&str, (usize, usize)> = HashMap::new();
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
            if let Some(&(odi, _)) = commitment_at.get(c.id.as_str()) {
                let other = documents[odi].source.path.display();
                ck.out.push(
                    p.error_at(
                        &key(&index("commitments", ci), "id"),
                        format!("commitment id `{}` is already used in {other}", c.id),
                    )
                    .help("commitment ids are unique across the whole dataset"),
                );
            } else {
                commitment_at.insert(&c.id, (di, ci));
            }
        }
    }

    let total: usize = documents.iter().map(|p| p.value.commitments.len()).sum();
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

    // Links between commitments, once every id is known.
    for p in &documents {
        for (ci, c) in p.value.commitments.iter().enumerate() {
            for (k, link) in [("repeats", &c.repeats), ("upgrades", &c.upgrades)] {
                let Some(link) = link else { continue };
                let path = key(&index("commitments", ci), k);
                if link == &c.id {
                    ck.out.push(
                        p.error_at(&path, format!("commitment `{link}` {k} itself"))
                            .help("link to an earlier commitment"),
                    );
                    continue;
                }
                match commitment_at.get(link.as_str()) {
                    None => ck.out.push(
                        p.error_at(
                            &path,
                            format!(
                                "`{k}` links to `{}`, which no document defines",
                                link.escape_debug()
                            ),
                        )
                        .help(
                            "check the id; links name a commitment id from any file of the dataset",
                        ),
                    ),
                    Some(&(odi, oci)) => {
                        let od = &documents[odi].value;
                        let earlier = od.commitments[oci].date.unwrap_or(od.date);
                        let this = c.date.unwrap_or(p.value.date);
                        if earlier.start() > this.end() {
                            ck.out.push(
                                p.error_at(&path, format!("`{k}` links to `{link}`, dated {earlier}, later than this commitment ({this})"))
                                    .help("a commitment repeats or upgrades an earlier one; link from the later to the earlier"),
                            );
                        }
                    }
                }
            }
        }
    }
    // Cycles (possible only among commitments of overlapping dates). Every member of a cycle has
    // a link, so only linked commitments start a walk.
    let next = |id: &str| -> Option<String> {
        let &(di, ci) = commitment_at.get(id)?;
        let c = &documents[di].value.commitments[ci];
        c.repeats.clone().or_else(|| c.upgrades.clone())
    };
    let mut linked: Vec<(&str, (usize, usize))> = commitment_at
        .iter()
        .filter(|(_, &(di, ci))| {
            let c = &documents[di].value.commitments[ci];
            c.repeats.is_some() || c.upgrades.is_some()
        })
        .map(|(id, at)| (*id, *at))
        .collect();
    linked.sort_unstable_by_key(|(id, _)| *id);
    let mut reported: HashSet<String> = HashSet::new();
    for (id, (di, ci)) in linked {
        let id = id.to_string();
        let mut seen = vec![id.clone()];
        let mut cur = id.clone();
        while let Some(n) = next(&cur) {
            if n == *id {
                if seen.iter().all(|s| !reported.contains(s)) {
                    let p = &documents[di];
                    let path = index("commitments", ci);
                    ck.out.push(
                        p.error_at(
                            &path,
                            format!("commitments link in a circle: {} → {id}", seen.join(" → ")),
                        )
                        .help("each link points to an earlier commitment; break the circle"),
                    );
                    reported.extend(seen.iter().cloned());
                }
                break;
            }
            if seen.contains(&n) || seen.len() > commitment_at.len() {
                break;
            }
            seen.push(n.clone());
            cur = n;
        }
    }

    if ck.out.has_errors() || parties.len() != 2 {
        return None;
    }

    // Normalise: canonical codes, defaulted dates and targets; documents in date order.
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

fn list_or_none<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let mut v: Vec<&str> = it.map(String::as_str).collect();
    v.sort_unstable();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn unknown_party<T>(p: &Parsed<T>, path: &str, code: &str, parties: &[PartyInfo]) -> Diagnostic {
    let codes: Vec<String> = parties
        .iter()
        .map(|p| format!("\"{}\" ({})", p.code, p.name))
        .collect();
    let message = if country::lookup(code).is_some() {
        format!("`{code}` is not a party of this dataset")
    } else {
        format!("unknown party `{}`", code.escape_debug())
    };
    p.error_at(path, message).help(format!(
        "use one of the pair's codes or aliases: {}",
        codes.join(", ")
    ))
}

fn check_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it does not start with http:// or https://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("it has no host");
    }
    if url.len() > 2048 {
        return Err("it is longer than 2048 characters");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
    {
        return Err("it holds spaces, control characters or one of < > \" `");
    }
    Ok(())
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_languages() {
        assert!(check_url("https://en.trend.az/x?y=1").is_ok());
        assert!(check_url("ftp://x").is_err());
        assert!(check_url("https://a b").is_err());
        assert!(check_url("https://").is_err());
        assert!(is_language_tag("en"));
        assert!(is_language_tag("zh-Hans"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag(""));
    }
}
