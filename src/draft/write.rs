//! A draft → the dataset format's TOML, every proposed value beside the cue that proposed it,
//! every value left out beside a TODO; and `--explain`'s sentence-by-sentence account.

use std::fmt::Write;

use super::document::{DocumentDraft, SourceDraft};
use super::{describe_actor, Actor, Draft, Guess, Record, Voice};

/// The draft as a document file.
pub fn toml(d: &Draft, generator: &str) -> String {
    let mut out = String::new();
    header(&mut out, d, generator);
    document(&mut out, &d.document);
    source(&mut out, &d.document.source);
    let mut n = 0;
    for r in d.records.iter().filter(|r| !r.assessment) {
        n += 1;
        commitment(&mut out, d, r, n);
    }
    for r in d.records.iter().filter(|r| r.assessment) {
        assessment(&mut out, d, r);
    }
    out
}

fn header(out: &mut String, d: &Draft, generator: &str) {
    let _ = writeln!(
        out,
        "# Drafted by {generator}. Every record below is a draft: check each value against the"
    );
    let _ = writeln!(out, "# article, correct what the cues got wrong, fill in each TODO, write the summaries in your");
    let _ = writeln!(
        out,
        "# own words, then remove `draft = true`. Briefings leave drafts out until then."
    );
    for n in &d.notes {
        let _ = writeln!(out, "# Note: {n}.");
    }
    out.push('\n');
}

fn document(out: &mut String, doc: &DocumentDraft) {
    field(out, "id", Some(&doc.id), "");
    match &doc.title.value {
        Some(t) => field(out, "title", Some(t), &doc.title.cue),
        None => {
            // A title is required: the opening words stand in until the analyst gives one.
            let _ = writeln!(out, "# TODO: {}", doc.title.cue);
            field(out, "title", Some(&doc.title_stand_in), "");
        }
    }
    guess(out, "kind", &doc.kind, |k| k.to_string());
    guess(out, "date", &doc.date, |d| d.to_string());
    guess(out, "place", &doc.place, |p| p.clone());
    let _ = writeln!(
        out,
        "parties = [{}]{}",
        doc.parties
            .iter()
            .map(|p| quoted(p))
            .collect::<Vec<_>>()
            .join(", "),
        cue_comment(&doc.parties_cue)
    );
    if let Some(s) = &doc.speaker {
        let _ = writeln!(out, "\n[speaker]{}", cue_comment(&s.cue));
        field(out, "name", Some(&s.name), "");
        field(out, "role", s.role.as_ref(), "");
        field(out, "affiliation", s.affiliation.as_ref(), "");
    }
}

fn source(out: &mut String, s: &SourceDraft) {
    out.push_str("\n[[sources]]\n");
    match &s.publisher.value {
        Some(p) => field(out, "publisher", Some(p), &s.publisher.cue),
        None => {
            let _ = writeln!(out, "# TODO: {}", s.publisher.cue);
            field(out, "publisher", Some(&"Unknown publisher".to_string()), "");
        }
    }
    field(out, "title", s.title.as_ref(), "");
    field(out, "url", s.url.as_ref(), "");
    match (&s.published.value, &s.retrieved) {
        (Some(p), _) => field(out, "published", Some(&p.to_string()), &s.published.cue),
        (None, Some(r)) => {
            let _ = writeln!(out, "# TODO: {}", s.published.cue);
            field(
                out,
                "retrieved",
                Some(&r.to_string()),
                "the day the article was saved",
            );
        }
        (None, None) => {
            let _ = writeln!(out, "# TODO: {}", s.published.cue);
        }
    }
    match &s.language.value {
        Some(l) => field(out, "language", Some(l), &s.language.cue),
        None => {
            let _ = writeln!(out, "# TODO: {}", s.language.cue);
            field(out, "language", Some(&"und".to_string()), "");
        }
    }
    match s.reliability.value {
        Some(r) => field(out, "reliability", Some(&r.to_string()), &s.reliability.cue),
        None => {
            let _ = writeln!(out, "# TODO: {}", s.reliability.cue);
            field(out, "reliability", Some(&"unverified".to_string()), "");
        }
    }
    if let Some((path, sha)) = &s.archive {
        field(out, "archive", Some(path), "");
        field(out, "sha256", Some(sha), "");
    }
}

fn commitment(out: &mut String, d: &Draft, r: &Record, n: usize) {
    out.push_str("\n[[commitments]]\n");
    let _ = writeln!(
        out,
        "# cue: {}{}",
        r.action_cue,
        match &r.actor.value {
            Some(a) => format!("; actor {} from {}", describe_actor(a), r.actor.cue),
            None => String::new(),
        }
    );
    if let Some(f) = &r.fields.value {
        let _ = writeln!(out, "# fields: {}", r.fields.cue);
        let _ = f;
    }
    if !r.org_cue.is_empty() {
        let _ = writeln!(out, "# organisations: {}", r.org_cue);
    }
    field(out, "id", Some(&format!("{}-c{n}", d.document.id)), "");
    out.push_str("draft = true\n");
    match &r.actor.value {
        Some(Actor::Mutual) => out.push_str("mutual = true\n"),
        Some(a) => field(out, "actor", Some(&describe_actor(a)), ""),
        None => {
            let _ = writeln!(
                out,
                "# TODO: who commits ({}): actor = \"…\", or mutual = true",
                r.actor.cue
            );
        }
    }
    targets(out, d, r);
    list(out, "within", &r.within);
    list(out, "about", &r.about);
    fields(out, &r.fields);
    field(out, "action", Some(&action_id(r)), "");
    if let Some(date) = &r.date {
        guess(out, "date", date, |d| d.to_string());
    }
    let clause = &d.text[r.start..r.end];
    let _ = writeln!(out, "# TODO: the summary in your own words");
    field(out, "summary", Some(&summary(clause)), "");
    quote(out, d, r, clause);
}

fn assessment(out: &mut String, d: &Draft, r: &Record) {
    out.push_str("\n[[assessments]]\n");
    let _ = writeln!(
        out,
        "# cue: an expert's view in quotation marks; fields: {}",
        r.fields.cue
    );
    out.push_str("draft = true\n");
    match &r.fields.value {
        Some(f) => {
            let _ = writeln!(
                out,
                "fields = [{}]",
                f.iter().map(|x| quoted(x)).collect::<Vec<_>>().join(", ")
            );
        }
        None => out.push_str("# TODO: the fields it concerns\n"),
    }
    let clause = &d.text[r.start..r.end];
    let _ = writeln!(out, "# TODO: the summary in your own words");
    field(out, "summary", Some(&summary(clause)), "");
    quote(out, d, r, clause);
}

/// Addressees beyond the pair: a party's commitment keeps the other party first.
fn targets(out: &mut String, d: &Draft, r: &Record) {
    if r.targets.is_empty() {
        return;
    }
    let other = match &r.actor.value {
        Some(Actor::Party(a)) => d.document.parties.iter().find(|p| *p != a).cloned(),
        _ => None,
    };
    let mut all: Vec<String> = other.into_iter().collect();
    all.extend(r.targets.iter().cloned());
    field(out, "target", all.first(), "");
    if all.len() > 1 {
        let _ = writeln!(
            out,
            "targets = [{}]",
            all[1..]
                .iter()
                .map(|x| quoted(x))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

fn fields(out: &mut String, f: &Guess<Vec<String>>) {
    match &f.value {
        Some(v) if v.len() == 1 => field(out, "field", v.first(), ""),
        Some(v) => {
            let _ = writeln!(
                out,
                "fields = [{}]",
                v.iter().map(|x| quoted(x)).collect::<Vec<_>>().join(", ")
            );
        }
        None => {
            let _ = writeln!(out, "# TODO: the field ({})", f.cue);
        }
    }
}

fn quote(out: &mut String, d: &Draft, r: &Record, clause: &str) {
    let by = match r.voice {
        Voice::Text => Some("text"),
        Voice::Outlet => Some("outlet"),
        Voice::Speaker if d.document.speaker.is_some() => Some("speaker"),
        Voice::Speaker => {
            let _ = writeln!(
                out,
                "# TODO: whose words: by = \"speaker\", speaker = \"…\""
            );
            None
        }
    };
    let lang = d.document.source.language.value.as_deref();
    let _ = writeln!(
        out,
        "quotes = [{{ text = {}{}{} }}]",
        quoted(clause),
        by.map(|b| format!(", by = {}", quoted(b)))
            .unwrap_or_default(),
        lang.map(|l| format!(", language = {}", quoted(l)))
            .unwrap_or_default(),
    );
}

fn action_id(r: &Record) -> String {
    serde_json::to_value(r.action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The clause as a sentence: a capital first, a full stop last.
fn summary(clause: &str) -> String {
    let mut cs = clause.chars();
    let first = cs
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let s = format!("{first}{}", cs.as_str());
    if s.ends_with(['.', '!', '?']) {
        s
    } else {
        format!("{s}.")
    }
}

fn guess<T>(out: &mut String, key: &str, g: &Guess<T>, show: impl Fn(&T) -> String) {
    match &g.value {
        Some(v) => field(out, key, Some(&show(v)), &g.cue),
        None => {
            let _ = writeln!(out, "# TODO: {}", g.cue);
        }
    }
}

fn field(out: &mut String, key: &str, value: Option<&String>, cue: &str) {
    if let Some(v) = value {
        let _ = writeln!(out, "{key} = {}{}", quoted(v), cue_comment(cue));
    }
}

fn list(out: &mut String, key: &str, items: &[String]) {
    match items {
        [] => {}
        [one] => field(out, key, Some(one), ""),
        many => {
            let _ = writeln!(
                out,
                "{key} = [{}]",
                many.iter()
                    .map(|x| quoted(x))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
}

fn cue_comment(cue: &str) -> String {
    if cue.is_empty() {
        String::new()
    } else {
        format!("  # {}", cue.replace('\n', " "))
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `--explain`: each sentence, and what the drafter made of it.
pub fn explain(d: &Draft) -> String {
    let mut out = String::new();
    for (i, e) in d.explained.iter().enumerate() {
        let text: String = d.text[e.start..e.end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(out, "[{}] {text}", i + 1);
        for l in &e.lines {
            let _ = writeln!(out, "    {l}");
        }
    }
    out
}
