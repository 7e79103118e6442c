//! One sentence → the records it states: a record per clause that takes a position or
//! undertakes something, with the cue that proposed each value.
//!
//! A clause opens at a verb cue ("supports", "signed") or at an opener followed by a pledge
//! verb ("agreed to build", "will invest"; never "will meet"). Further pledge verbs joined by
//! "and" or a comma to an opener's clause open clauses of their own. A clause is dropped when a
//! negation, an expectation or a prediction stands before its cue, when its actor is a third
//! country, and the whole sentence when it opens with a condition or tells of the past.

use crate::dataset::format::Action;

use super::dictionaries::{Cue, Dictionaries, Hit, Name};
use super::sentences::Sentence;
use super::Actor;

/// A clause found in a sentence, before its fields and addressees are read.
#[derive(Debug, Clone)]
pub struct Clause {
    pub start: usize,
    pub end: usize,
    /// Where its cue begins, and the cue's words.
    pub cue_at: usize,
    pub cue: String,
    pub action: Action,
    pub actor: Option<Actor>,
    pub actor_cue: String,
}

/// A cue that may open a clause.
struct Candidate {
    hit: Hit,
    cue: String,
    action: Action,
    /// For a further pledge joined to an opener's clause: that clause (it falls with it).
    parent: Option<usize>,
}

/// What a sentence gave: its clauses, and why other cues made none.
#[derive(Debug, Default)]
pub struct Found {
    pub clauses: Vec<Clause>,
    pub rejected: Vec<String>,
}

/// The context a sentence is read in.
pub struct Context<'a> {
    pub dict: &'a Dictionaries,
    pub text: &'a str,
    pub pair: &'a [String; 2],
    /// The actor of the previous sentence's last clause (for "He said", "It will").
    pub previous: Option<Actor>,
    /// The country the quoted speaker speaks for, if a party's official.
    pub speaker_country: Option<String>,
    /// The article's year, below which a year in a sentence makes it background.
    pub year: Option<i32>,
}

/// The records a sentence states.
pub fn clauses(cx: &Context<'_>, s: &Sentence) -> Found {
    let text = &cx.text[s.start..s.end];
    let mut found = Found::default();
    if let Some(why) = sentence_blocked(cx, text) {
        if !cx.dict.verbs.find(text).is_empty() {
            found.rejected.push(why);
        }
        return found;
    }
    let candidates = candidates(cx, text, &mut found.rejected);
    let mut previous: Option<Actor> = None;
    let mut clause_start = 0;
    let mut dropped = vec![false; candidates.len()];
    for i in 0..candidates.len() {
        let (cue_at, cue_end) = (candidates[i].hit.start, candidates[i].hit.end);
        let start = if i == 0 {
            0
        } else {
            joint_before(text, clause_start, cue_at)
        };
        let end = candidates
            .get(i + 1)
            .map_or(text.len(), |n| joint_before(text, cue_end, n.hit.start));
        let region = &text[start..cue_at];
        let blocked = match candidates[i].parent {
            Some(p) if dropped[p] => Some("joined to a clause that is not a record".to_string()),
            Some(_) => None,
            None => blocked_before(cx, region, &text[cue_at..cue_end])
                .or_else(|| condition(cx, &text[start..end]))
                .or_else(|| participle(text, cue_at, cue_end))
                .or_else(|| past(cx, text, start, cue_end, end)),
        };
        if let Some(why) = blocked {
            found
                .rejected
                .push(format!("“{}”: {why}", &text[cue_at..cue_end]));
            dropped[i] = true;
            clause_start = start;
            continue;
        }
        let (actor, actor_cue) = actor(cx, text, start, cue_at, previous.as_ref(), i == 0);
        if let Some(why) = foreign(cx, actor.as_ref(), &text[start..end]) {
            found
                .rejected
                .push(format!("“{}”: {why}", &text[cue_at..cue_end]));
            dropped[i] = true;
            clause_start = start;
            continue;
        }
        previous = actor.clone();
        // The quote begins at the subject when the clause names it ("…, it is noted that
        // Azerbaijan supports …" → "Azerbaijan supports …").
        let subject = actor_cue
            .strip_prefix('“')
            .and_then(|w| w.strip_suffix('”'))
            .map(|w| w.trim_end_matches("’s"))
            .and_then(|w| region.rfind(w))
            .map_or(start, |i| start + i);
        let (s0, e0) = trim(text, subject, end);
        found.clauses.push(Clause {
            start: s.start + s0,
            end: s.start + e0,
            cue_at: s.start + cue_at,
            cue: candidates[i].cue.clone(),
            action: candidates[i].action,
            actor,
            actor_cue,
        });
        clause_start = start;
    }
    found
}

/// Why an actor's clause is not the pair's: a third country acts, or an organisation whose
/// clause names neither party.
fn foreign(cx: &Context<'_>, actor: Option<&Actor>, clause: &str) -> Option<String> {
    match actor? {
        Actor::Organisation(id) if !names_a_party(cx, clause) => {
            Some(format!("{id} acts, and the clause names neither party"))
        }
        Actor::Party(code) if !cx.pair.contains(code) => {
            Some(format!("the actor is a third country ({code})"))
        }
        _ => None,
    }
}

/// Whether a text names one of the pair (an organisation's decision counts for the pair only
/// when it concerns one of them).
fn names_a_party(cx: &Context<'_>, text: &str) -> bool {
    cx.dict.names.find(text).iter().any(
        |h| matches!(cx.dict.names.label(h), Name::Country { code, .. } if cx.pair.contains(code)),
    )
}

/// Why a whole sentence makes no record, if it does not: a condition, or the past.
fn sentence_blocked(cx: &Context<'_>, text: &str) -> Option<String> {
    let lower_first = text.split_whitespace().next().unwrap_or("").to_lowercase();
    let cond = cx.dict.list("conditions")?;
    if cond.find(text).first().is_some_and(|h| h.start == 0) || lower_first == "should" {
        return Some("the sentence opens with a condition".into());
    }
    None
}

/// A condition anywhere in the clause ("… if financing is found", "only once it enters into
/// force").
fn condition(cx: &Context<'_>, clause: &str) -> Option<String> {
    let h = *cx.dict.list("conditions")?.find(clause).last()?;
    Some(format!("a condition (“{}”)", &clause[h.start..h.end]))
}

/// Background: a cue of the past before the clause's cue (or in it: "had agreed"), or a year before the article's
/// before the cue or within a few words after it ("signed a deal in 2019"); a year further
/// on is a comparison ("…, as in the treaty of 2006").
fn past(cx: &Context<'_>, text: &str, start: usize, cue: usize, end: usize) -> Option<String> {
    let before = &text[..cue];
    if let Some(h) = cx.dict.list("background")?.find(before).last() {
        return Some(format!("background (“{}”)", &before[h.start..h.end]));
    }
    let year = cx.year?;
    let near_end = text[cue..end]
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .nth(6)
        .map_or(end, |(i, _)| cue + i);
    years(&text[start..cue])
        .into_iter()
        .chain(years(&text[cue..near_end]))
        .find(|y| *y < year)
        .map(|y| format!("background: about {y}"))
}

/// A participle after a comma ("…, signed during the visit, …") describes a noun; it is no
/// clause of its own.
fn participle(text: &str, cue: usize, cue_end: usize) -> Option<String> {
    let word = &text[cue..cue_end];
    let single = !word.contains(' ') && word.ends_with("ed");
    let next = text[cue_end..].split_whitespace().next().unwrap_or("");
    let modifier = matches!(
        next,
        "during" | "at" | "in" | "on" | "by" | "last" | "earlier" | "between" | "with" | "under"
    );
    let before = text[..cue].trim_end();
    let after_comma = before.ends_with(',');
    let prev = before.split_whitespace().next_back().unwrap_or("");
    // A noun right before: lower case, and not a pronoun or a phrase naming the parties.
    let noun = prev.chars().next().is_some_and(char::is_lowercase)
        && !matches!(
            prev,
            "they"
                | "we"
                | "sides"
                | "countries"
                | "parties"
                | "leaders"
                | "states"
                | "governments"
                | "also"
                | "jointly"
                | "today"
                | "formally"
                | "officially"
        );
    (single && modifier && (after_comma || noun))
        .then(|| "a participle describing a noun".to_string())
}

/// Four-digit years (1900–2100) in a text.
fn years(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1900..=2100).contains(y))
        .collect()
}

/// Every cue of the sentence that opens a clause: (span of the cue words, the cue, action).
fn candidates(cx: &Context<'_>, text: &str, rejected: &mut Vec<String>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut covered = 0;
    for hit in cx.dict.verbs.find(text) {
        if hit.start < covered {
            continue;
        }
        let words = &text[hit.start..hit.end];
        if let Some(why) = not_a_verb(cx, text, &hit) {
            rejected.push(format!("“{words}”: {why}"));
            continue;
        }
        match cx.dict.verbs.label(&hit) {
            Cue::Verb(a) => {
                if let Some(action) = super::action(a) {
                    out.push(Candidate {
                        hit,
                        cue: format!("“{words}” → {a}"),
                        action,
                        parent: None,
                    });
                    covered = hit.end;
                }
            }
            Cue::Opener => match pledge_after(cx, text, hit.end) {
                Some((verb, a, end)) => {
                    let action = super::action(&a).unwrap_or(Action::Cooperate);
                    let parent = out.len();
                    out.push(Candidate {
                        hit: Hit { end, ..hit },
                        cue: format!("“{words} … {verb}” → {a}"),
                        action,
                        parent: None,
                    });
                    covered = end;
                    covered = continuations(cx, text, end, words, parent, &mut out).max(covered);
                }
                None if cx
                    .dict
                    .list("undertakings")
                    .is_some_and(|u| u.at(text, hit.start).is_some_and(|u| u.end == hit.end)) =>
                {
                    let (action, why) = noun_pledge(cx, text, hit.end);
                    out.push(Candidate {
                        hit,
                        cue: format!("“{words}”, an undertaking {why}"),
                        action,
                        parent: None,
                    });
                    covered = hit.end;
                }
                None => {
                    let next: String = text[hit.end..]
                        .split_whitespace()
                        .take(2)
                        .collect::<Vec<_>>()
                        .join(" ");
                    rejected.push(format!("“{words} {next}”: no pledge verb after “{words}”"));
                    covered = hit.end;
                }
            },
        }
    }
    out
}

/// An undertaking's action from the words after it when no verb follows ("pledged continued
/// support" → support); cooperate when none says.
fn noun_pledge(cx: &Context<'_>, text: &str, from: usize) -> (Action, String) {
    let offset = from + (text[from..].len() - text[from..].trim_start().len());
    let window = first_words(&text[offset..], 3);
    let starts = window
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i + 1);
    for i in std::iter::once(0).chain(starts) {
        if let Some(h) = cx.dict.pledges.at(text, offset + i) {
            let a = cx.dict.pledges.label(&h);
            if let Some(action) = super::action(a) {
                return (
                    action,
                    format!("with “{}” after it → {a}", &text[h.start..h.end]),
                );
            }
        }
    }
    (
        Action::Cooperate,
        "with no known verb after it → cooperate".into(),
    )
}

/// Why a verb cue is not used as a verb here: a noun after a determiner ("its support"), or
/// a verb of saying whose clause follows ("reaffirmed that …").
fn not_a_verb(cx: &Context<'_>, text: &str, hit: &Hit) -> Option<String> {
    let words = &text[hit.start..hit.end];
    let prev = text[..hit.start]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    let single = !words.contains(' ');
    let determiner = cx.dict.list("determiners")?;
    if single && determiner.at(prev, 0).is_some_and(|h| h.end == prev.len()) {
        return Some(format!("a noun after “{prev}”"));
    }
    if single && prev.eq_ignore_ascii_case("to") && matches!(cx.dict.verbs.label(hit), Cue::Verb(_))
    {
        return Some("an infinitive of purpose (“to …”), part of the clause before".into());
    }
    if single && prev.len() > 4 && prev.ends_with("ing") {
        return Some(format!("a noun, the object of “{prev}”"));
    }
    let next = text[hit.end..].trim_start();
    if matches!(cx.dict.verbs.label(hit), Cue::Verb(a) if a == "welcome") {
        let following = first_words(next, 4);
        if !cx.dict.list("greetings")?.find(following).is_empty()
            || !people(cx, following).is_empty()
        {
            return Some("a greeting (someone welcomed), not a position".into());
        }
    }
    let reporting = cx.dict.list("reporting")?;
    if matches!(cx.dict.verbs.label(hit), Cue::Verb(_)) && reporting.at(next, 0).is_some() {
        return Some("a verb of saying: the clause after it is read on its own".into());
    }
    None
}

/// The pledge verb after an opener (skipping "further", "jointly" …): its words, its action,
/// and where it ends.
fn pledge_after(cx: &Context<'_>, text: &str, mut at: usize) -> Option<(String, String, usize)> {
    let skip = cx.dict.list("skip")?;
    for _ in 0..6 {
        at += text[at..].len() - text[at..].trim_start().len();
        if let Some(h) = cx.dict.pledges.at(text, at) {
            let action = cx.dict.pledges.label(&h).clone();
            return Some((text[h.start..h.end].to_string(), action, h.end));
        }
        if let Some(found) = gerund(cx, text, at) {
            return Some(found);
        }
        match skip.at(text, at) {
            Some(h) => at = h.end,
            None => return None,
        }
    }
    None
}

/// A pledge verb in its -ing form ("committed to helping"): the verb, its action, its end.
fn gerund(cx: &Context<'_>, text: &str, at: usize) -> Option<(String, String, usize)> {
    let word: String = text[at..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let stem = word.strip_suffix("ing")?;
    let end = at + word.len();
    let doubled =
        stem.len() > 2 && stem.as_bytes()[stem.len() - 1] == stem.as_bytes()[stem.len() - 2];
    let tries = [
        stem.to_string(),
        format!("{stem}e"),
        if doubled {
            stem[..stem.len() - 1].to_string()
        } else {
            String::new()
        },
    ];
    tries.iter().filter(|t| !t.is_empty()).find_map(|t| {
        let h = cx.dict.pledges.at(t, 0).filter(|h| h.end == t.len())?;
        Some((word.clone(), cx.dict.pledges.label(&h).clone(), end))
    })
}

/// Further pledges joined to an opener's clause ("… to participate in X and to deepen Y"):
/// each opens its own clause. Returns where the last one ends.
fn continuations(
    cx: &Context<'_>,
    text: &str,
    from: usize,
    opener: &str,
    parent: usize,
    out: &mut Vec<Candidate>,
) -> usize {
    let mut end = from;
    let mut at = from;
    while let Some(rel) = text[at..]
        .find([',', ';'])
        .into_iter()
        .chain(text[at..].find(" and "))
        .min()
    {
        let joint = at + rel;
        let after = text[joint..]
            .trim_start_matches([',', ';', ' '])
            .trim_start_matches("and ")
            .trim_start_matches("to ");
        let pos = text.len() - after.len();
        match cx.dict.pledges.at(text, pos) {
            Some(h) => {
                let a = cx.dict.pledges.label(&h).clone();
                if let Some(action) = super::action(&a) {
                    let verb = &text[h.start..h.end];
                    out.push(Candidate {
                        hit: Hit {
                            start: h.start,
                            end: h.end,
                            label: 0,
                        },
                        cue: format!("“{opener} … and {verb}” → {a}"),
                        action,
                        parent: Some(parent),
                    });
                    end = h.end;
                }
                at = h.end;
            }
            _ => at = joint + 1,
        }
        if at >= text.len() {
            break;
        }
    }
    end
}

/// Where the clause of a cue at `cue` begins: after the last "and", comma or semicolon between
/// the previous clause and the cue, else at `from`.
fn joint_before(text: &str, from: usize, cue: usize) -> usize {
    let between = &text[from..cue];
    let comma = between.rfind([',', ';']).map(|i| i + 1);
    let and = between.rfind(" and ").map(|i| i + 1);
    match comma.max(and) {
        Some(i) => from + i,
        None => from,
    }
}

/// Why a cue does not make a record, from what stands before it in its clause.
fn blocked_before(cx: &Context<'_>, region: &str, cue: &str) -> Option<String> {
    let last_words = tail_words(region, 4);
    let after_comma = region.rsplit(',').next().unwrap_or(region);
    let lead = after_comma
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    if matches!(lead.as_str(), "which" | "who" | "whom" | "whose") {
        return Some(format!("a relative clause (“{lead}”) describing a noun"));
    }
    if let Some(h) = cx
        .dict
        .list("not_actors")?
        .find(tail_words(region, 6))
        .last()
    {
        let t = tail_words(region, 6);
        return Some(format!(
            "the subject is not a government (“{}”)",
            &t[h.start..h.end]
        ));
    }
    let opening = region.split_whitespace().next().unwrap_or("");
    if matches!(opening, "No" | "Neither" | "None" | "Nor") {
        return Some(format!("negated (“{opening}”)"));
    }
    for (list, why) in [
        ("negation", "negated"),
        ("expectation", "one side's expectation of the other"),
        ("prediction", "a prediction"),
        ("opinion", "an opinion"),
    ] {
        let m = cx.dict.list(list)?;
        let scope = if list == "negation" {
            last_words
        } else {
            region
        };
        let in_cue = if list == "negation" || list == "prediction" {
            cue
        } else {
            ""
        };
        // The region first, then the cue itself: each searched once.
        let found = [scope, in_cue]
            .into_iter()
            .find_map(|t| m.find(t).first().map(|h| &t[h.start..h.end]));
        if let Some(words) = found {
            return Some(format!("{why} (“{words}”)"));
        }
    }
    None
}

/// The first `n` words of `s`.
fn first_words(s: &str, n: usize) -> &str {
    s.char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .nth(n - 1)
        .map_or(s, |(i, _)| &s[..i])
}

/// People a text names.
fn people(cx: &Context<'_>, text: &str) -> Vec<Hit> {
    cx.dict
        .names
        .find(text)
        .into_iter()
        .filter(|h| matches!(cx.dict.names.label(h), Name::Country { person: true, .. }))
        .collect()
}

/// The last `n` words of `s`.
fn tail_words(s: &str, n: usize) -> &str {
    let mut count = 0;
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            count += 1;
            if count > n {
                return &s[i + 1..];
            }
        }
    }
    s
}

/// The clause's actor: the last subject-like name before the cue (not after a preposition, not
/// a possessive); both parties joined by "and", or a phrase like "the two sides", are mutual.
fn actor(
    cx: &Context<'_>,
    text: &str,
    start: usize,
    cue: usize,
    previous: Option<&Actor>,
    first: bool,
) -> (Option<Actor>, String) {
    let region = &text[start..cue];
    if let Some(found) = passive(cx, text, cue) {
        return found;
    }
    let named = named_subjects(cx, region);
    if let Some(found) = plural_subject(cx, region, named.best.as_ref().map(|b| b.0)) {
        return found;
    }
    let has = |code: &String| named.parties.iter().any(|c| c == code);
    if has(&cx.pair[0]) && has(&cx.pair[1]) && region.contains(" and ") {
        return (
            Some(Actor::Mutual),
            "both parties named as the subject".into(),
        );
    }
    if let Some((_, a, why)) = named.best.or(named.possessive) {
        return (Some(a), why);
    }
    if !first {
        return (previous.cloned(), "the sentence's earlier clause".into());
    }
    let lead = region
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    if matches!(
        lead.as_str(),
        "he" | "she" | "it" | "the" | "his" | "her" | "its"
    ) {
        if let Some(p) = &cx.previous {
            return (Some(p.clone()), "the previous sentence's actor".into());
        }
    }
    (None, String::new())
}

/// The names before a cue that may be its subject: the last one not after a preposition, the
/// last possessive ("Egypt's cabinet"), and every party named.
struct Named {
    best: Option<(usize, Actor, String)>,
    possessive: Option<(usize, Actor, String)>,
    parties: Vec<String>,
}

fn named_subjects(cx: &Context<'_>, region: &str) -> Named {
    let mut named = Named {
        best: None,
        possessive: None,
        parties: Vec::new(),
    };
    for h in cx.dict.names.find(region) {
        let words = &region[h.start..h.end];
        if after_preposition(cx, region, h.start) {
            continue;
        }
        let label = cx.dict.names.label(&h);
        if let Name::Country { code, .. } = label {
            named.parties.push(code.clone());
        }
        let possessive = region[h.end..].starts_with("'s") || region[h.end..].starts_with("’s");
        match (label, possessive) {
            (Name::Country { code, .. }, true) => {
                named.possessive =
                    Some((h.start, Actor::Party(code.clone()), format!("“{words}’s”")));
            }
            (_, true) => {}
            (Name::Country { code, .. }, false) => {
                named.best = Some((h.start, Actor::Party(code.clone()), format!("“{words}”")));
            }
            (Name::Organisation(id), false) => {
                named.best = Some((
                    h.start,
                    Actor::Organisation(id.clone()),
                    format!("“{words}”"),
                ));
            }
        }
    }
    named
}

/// A subject naming both sides ("the two sides"), or "we" (the speaker's country, else the one
/// the previous sentence named), when it stands after any name.
fn plural_subject(
    cx: &Context<'_>,
    region: &str,
    last_name: Option<usize>,
) -> Option<(Option<Actor>, String)> {
    let last = |list: &str| {
        cx.dict
            .list(list)?
            .find(region)
            .into_iter()
            .rfind(|h| !after_preposition(cx, region, h.start))
    };
    let (mutual, first) = (last("mutual"), last("first_person"));
    let h = match (mutual, first) {
        (Some(m), Some(f)) if f.start > m.start => f,
        (Some(m), _) => m,
        (None, Some(f)) => f,
        (None, None) => return None,
    };
    if last_name.is_some_and(|at| at > h.start) {
        return None;
    }
    let words = &region[h.start..h.end];
    if Some(h) == mutual {
        return Some((Some(Actor::Mutual), format!("“{words}”")));
    }
    if let Some(c) = &cx.speaker_country {
        return Some((
            Some(Actor::Party(c.clone())),
            format!("“{words}”, the speaker's country"),
        ));
    }
    match &cx.previous {
        Some(p @ Actor::Party(_)) => Some((
            Some(p.clone()),
            format!("“{words}”, the country the previous sentence named"),
        )),
        _ => None,
    }
}

/// A passive cue ("was signed"): its agent after "by", else both sides. The names before a
/// passive verb are what was done, not who did it.
fn passive(cx: &Context<'_>, text: &str, cue: usize) -> Option<(Option<Actor>, String)> {
    let rest = &text[cue..];
    let be = |w: &str| {
        matches!(
            w.to_lowercase().as_str(),
            "was" | "were" | "is" | "are" | "been" | "be"
        )
    };
    let participle = |w: &str| {
        w.ends_with("ed") || matches!(w, "held" | "made" | "built" | "set" | "given" | "put")
    };
    let mut words = rest.split_whitespace();
    let in_cue = words.next().is_some_and(be) && words.next().is_some_and(participle);
    let mut back = text[..cue].split_whitespace().rev();
    let last = back.next().unwrap_or("");
    let before =
        be(last) || ((last == "also" || last.ends_with("ly")) && back.next().is_some_and(be));
    let cue_word = rest.split_whitespace().next().unwrap_or("");
    if !(in_cue || (before && participle(cue_word))) {
        return None;
    }
    let clause_end = rest.find([';', '.']).unwrap_or(rest.len());
    let agent = rest[..clause_end]
        .find(" by ")
        .map(|i| &rest[i + 4..clause_end]);
    let codes: Vec<String> = agent
        .map(|a| {
            cx.dict
                .names
                .find(a)
                .iter()
                .filter_map(|h| match cx.dict.names.label(h) {
                    Name::Country { code, .. } if cx.pair.contains(code) => Some(code.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let both = cx.pair.iter().all(|p| codes.contains(p));
    Some(match codes.first() {
        Some(c) if !both => (
            Some(Actor::Party(c.clone())),
            "the agent of a passive verb".into(),
        ),
        _ => (Some(Actor::Mutual), "a passive verb: both sides".into()),
    })
}

/// Whether a preposition ("in", "with", "visit to") stands right before `at`.
fn after_preposition(cx: &Context<'_>, region: &str, at: usize) -> bool {
    let before = region[..at].trim_end();
    let before = before.strip_suffix("the").unwrap_or(before).trim_end();
    let Some(m) = cx.dict.list("prepositions") else {
        return false;
    };
    m.find(before).last().is_some_and(|h| h.end == before.len())
}

/// The clause's span without leading joints and trailing punctuation.
fn trim(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let lead_trimmed =
        s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '“' | '"'));
    let lead_trimmed = lead_trimmed.strip_prefix("and ").unwrap_or(lead_trimmed);
    let start = end - lead_trimmed.len();
    let t = text[start..end].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '.' | ':' | '”' | '"')
    });
    // A closing quotation mark stays when its opening one is in the clause.
    let rest = &text[start + t.len()..end];
    let opened = t.matches('"').count() % 2 == 1 || t.matches('“').count() > t.matches('”').count();
    let close = rest
        .chars()
        .next()
        .filter(|c| opened && matches!(c, '"' | '”'));
    (start, start + t.len() + close.map_or(0, char::len_utf8))
}
