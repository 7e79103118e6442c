//! `bilateral draft`: an article → one draft document in the dataset format.
//!
//! The drafter proposes; the analyst decides. It reads the article sentence by sentence with
//! the dictionaries a desk can correct (`dictionaries`), proposes a record per clause that takes
//! a position or undertakes something (`clauses`), and keeps for every value the cue that
//! proposed it, so the draft can say why (`write`, and `--explain`). Each record quotes its
//! clause verbatim, so its quote verifies against the archived article. What it cannot tell is
//! left out with a TODO, never guessed: the article's "April" stays a month. Every record is
//! marked `draft = true`, and briefings leave drafts out until a person removes the mark.
//!
//! This stage reads articles (`article`) and writes the dataset format (`dataset`); it never
//! touches briefings or renderers.

pub mod clauses;
pub mod dictionaries;
mod document;
pub mod sentences;
pub mod write;

use crate::article::Article;
use crate::base::date::PartialDate;
use crate::dataset::format::Action;

pub use dictionaries::Dictionaries;
pub use document::{DocumentDraft, SourceDraft};

/// Who commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Party(String),
    Mutual,
    Organisation(String),
}

/// A value the drafter proposes, with the cue that proposed it; `None` is a TODO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess<T> {
    pub value: Option<T>,
    pub cue: String,
}

impl<T> Guess<T> {
    pub fn found(value: T, cue: impl Into<String>) -> Self {
        Guess {
            value: Some(value),
            cue: cue.into(),
        }
    }

    pub fn todo(why: impl Into<String>) -> Self {
        Guess {
            value: None,
            cue: why.into(),
        }
    }
}

/// Whose words a drafted quote gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// The document's own text (a statement, a readout).
    Text,
    /// A speaker, in quotation marks.
    Speaker,
    /// The outlet's narration.
    Outlet,
}

/// A proposed commitment or assessment.
#[derive(Debug, Clone)]
pub struct Record {
    /// An expert's view rather than a commitment.
    pub assessment: bool,
    /// The clause, a byte span of the article's text: its quote.
    pub start: usize,
    pub end: usize,
    pub actor: Guess<Actor>,
    pub action: Action,
    pub action_cue: String,
    pub fields: Guess<Vec<String>>,
    pub targets: Vec<String>,
    pub within: Vec<String>,
    pub about: Vec<String>,
    pub org_cue: String,
    pub voice: Voice,
    /// When it was made, when its paragraph says otherwise than the document's date: a day
    /// or month it names, or a visit's month (a statement "signed during the visit" has the
    /// visit's precision, not the report's day).
    pub date: Option<Guess<PartialDate>>,
}

/// What the drafter made of one sentence, for `--explain`.
#[derive(Debug, Clone)]
pub struct Explained {
    pub start: usize,
    pub end: usize,
    /// One line per finding: what matched and what it led to.
    pub lines: Vec<String>,
}

/// What the drafter knows beyond the article: the pair, the dataset's vocabulary, and what the
/// analyst says about the source.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The pair's ISO codes; default: the two countries the article names most.
    pub parties: Option<[String; 2]>,
    /// Organisation ids the dataset knows (with `--dataset`); `None`: every dictionary one.
    pub organisations: Option<Vec<String>>,
    /// Field ids in vocabulary order (ties go to the earlier); empty: the built-in ones.
    pub fields: Vec<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    pub title: Option<String>,
    pub language: Option<String>,
    /// When the article was saved: the source's `retrieved` when no publication date is known.
    pub retrieved: Option<PartialDate>,
    /// The archive's path in the dataset and its SHA-256.
    pub archive: Option<(String, String)>,
    /// The document id; default: from the date, publisher and title.
    pub id: Option<String>,
}

/// A draft document.
#[derive(Debug, Clone)]
pub struct Draft {
    pub document: DocumentDraft,
    pub records: Vec<Record>,
    pub explained: Vec<Explained>,
    /// The article's text the spans point into.
    pub text: String,
    /// Notes for the analyst (a language the dictionaries do not cover, no pair found).
    pub notes: Vec<String>,
}

/// An action id from the dictionaries as the format's action.
pub fn action(id: &str) -> Option<Action> {
    serde_json::from_value(serde_json::Value::String(id.to_string())).ok()
}

/// Drafts a document from an article.
pub fn draft(article: &Article, dict: &Dictionaries, opts: &Options) -> Draft {
    let text = article.text.clone();
    let sentences = sentences::split(&text);
    let mut notes = Vec::new();
    let english = document::is_english(&text);
    if !english {
        notes.push("the text does not read as English, the only language the dictionaries cover: the draft has its source filled in and no records".into());
    }
    let document = document::document(article, &sentences, dict, opts);
    if document.parties.len() < 2 {
        notes.push("the article does not name two countries: give the pair with --parties A,B or --dataset DIR".into());
    }
    let mut draft = Draft {
        document,
        records: Vec::new(),
        explained: Vec::new(),
        text,
        notes,
    };
    if english && draft.document.parties.len() == 2 {
        read_sentences(&mut draft, &sentences, dict, opts);
    }
    draft
}

/// Reads every sentence into records and explanations.
fn read_sentences(
    d: &mut Draft,
    sentences: &[sentences::Sentence],
    dict: &Dictionaries,
    opts: &Options,
) {
    let pair: [String; 2] = [d.document.parties[0].clone(), d.document.parties[1].clone()];
    let year = d.document.year();
    let speaker_country = d.document.speaker_country.clone();
    let mut previous: Option<Actor> = None;
    let headline = d.document.title.value.clone();
    for s in sentences {
        if let Some(why) = not_body(&d.text, s, headline.as_deref()) {
            d.explained.push(Explained {
                start: s.start,
                end: s.end,
                lines: vec![why.into()],
            });
            continue;
        }
        let cx = clauses::Context {
            dict,
            text: &d.text,
            pair: &pair,
            previous: previous.clone(),
            speaker_country: label_country(dict, &d.text, s)
                .or_else(|| speaker_country.clone().filter(|_| s.quoted)),
            year,
        };
        let found = clauses::clauses(&cx, s);
        let mut lines: Vec<String> = found
            .rejected
            .iter()
            .map(|r| format!("not a record: {r}"))
            .collect();
        for c in &found.clauses {
            let r = record(d, dict, opts, s, c);
            lines.push(format!(
                "record: {} · actor {} · fields {}{}",
                c.cue,
                r.actor.value.as_ref().map_or("TODO".into(), describe_actor),
                r.fields
                    .value
                    .as_ref()
                    .map_or("TODO".into(), |f| f.join(", ")),
                if r.org_cue.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", r.org_cue)
                }
            ));
            previous = r.actor.value.clone().or(previous);
            d.records.push(r);
        }
        if found.clauses.is_empty() {
            if let Some(r) = assessment(d, dict, opts, s) {
                lines.push(format!(
                    "assessment: an expert's view · fields {}",
                    r.fields
                        .value
                        .as_ref()
                        .map_or("TODO".into(), |f| f.join(", "))
                ));
                d.records.push(r);
            }
        }
        if lines.is_empty() {
            lines.push("no cue".into());
        }
        d.explained.push(Explained {
            start: s.start,
            end: s.end,
            lines,
        });
    }
}

/// In a transcript, the country of the person whose label opens the paragraph
/// ("MUDAVADI: We will …").
fn label_country(dict: &Dictionaries, text: &str, s: &sentences::Sentence) -> Option<String> {
    let paragraph = text.split("\n\n").nth(s.paragraph)?;
    let (label, _) = paragraph.split_once(':')?;
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 || !label.chars().any(char::is_uppercase) {
        return None;
    }
    let titled: Vec<String> = words
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut cs = lower.chars();
            cs.next().map_or_else(String::new, |c| {
                c.to_uppercase().collect::<String>() + cs.as_str()
            })
        })
        .collect();
    let titled = titled.join(" ");
    dict.names
        .find(&titled)
        .iter()
        .find_map(|h| match dict.names.label(h) {
            dictionaries::Name::Country { code, person: true } => Some(code.clone()),
            _ => None,
        })
}

/// Why a sentence is not the article's body: the headline (which the body then tells), or a
/// line of its own with no full stop (a standfirst, a caption, a related link, a tag list).
fn not_body(text: &str, s: &sentences::Sentence, headline: Option<&str>) -> Option<&'static str> {
    let sentence = text[s.start..s.end].trim();
    if s.paragraph == 0 && headline == Some(sentence) {
        return Some("the headline: read in the body");
    }
    let paragraph = text.split("\n\n").nth(s.paragraph).unwrap_or("").trim();
    let closed = sentence.ends_with(['.', '!', '?', '"', '”', ':']);
    let short = sentence.split_whitespace().count() <= 25;
    (paragraph == sentence && !closed && short)
        .then_some("a line with no full stop: a headline, caption or link, not the article's body")
}

pub(crate) fn describe_actor(a: &Actor) -> String {
    match a {
        Actor::Party(c) => c.clone(),
        Actor::Mutual => "mutual".into(),
        Actor::Organisation(o) => o.clone(),
    }
}

/// A clause's record: its fields, organisations and addressees read from the clause.
fn record(
    d: &Draft,
    dict: &Dictionaries,
    opts: &Options,
    s: &sentences::Sentence,
    c: &clauses::Clause,
) -> Record {
    let clause = &d.text[c.start..c.end];
    let after = &d.text[c.cue_at..c.end];
    let (within, about, org_cue) = organisations(dict, opts, clause);
    let mut targets = Vec::new();
    for h in dict.names.find(after) {
        if let dictionaries::Name::Country {
            code,
            person: false,
        } = dict.names.label(&h)
        {
            let is_actor = matches!(&c.actor, Some(Actor::Party(a)) if a == code);
            let in_pair = d.document.parties.contains(code);
            if !is_actor && !in_pair && !targets.contains(code) {
                targets.push(code.clone());
            }
        }
    }
    let sentence = &d.text[s.start..s.end];
    let paragraph = d.text.split("\n\n").nth(s.paragraph).unwrap_or(sentence);
    Record {
        assessment: false,
        start: c.start,
        end: c.end,
        actor: match &c.actor {
            Some(a) => Guess::found(a.clone(), c.actor_cue.clone()),
            None => Guess::todo("no party named as the subject"),
        },
        action: c.action,
        action_cue: c.cue.clone(),
        fields: fields(
            dict,
            opts,
            (clause, after),
            (sentence, paragraph),
            !within.is_empty() || !about.is_empty(),
        ),
        targets,
        within,
        about,
        org_cue,
        voice: voice(&d.document, s),
        date: record_date(&d.document, paragraph),
    }
}

/// A record's own date from its paragraph (see [`Record::date`]); None: the document's.
fn record_date(doc: &DocumentDraft, paragraph: &str) -> Option<Guess<PartialDate>> {
    let published = doc.source.published.value?;
    let year = published.year_value();
    if let Some((day, words)) =
        document::day_named(paragraph, year).filter(|(d, _)| *d <= published)
    {
        return (Some(day) != doc.date.value)
            .then(|| Guess::found(day, format!("“{words}” in its paragraph")));
    }
    let lower = paragraph.to_lowercase();
    let visit = [
        "during the visit",
        "visit to",
        "state visit",
        "during his visit",
        "during her visit",
        "signed during",
        "adopted during",
    ]
    .iter()
    .find(|c| lower.contains(*c))?;
    let month = PartialDate::month(year, published.month_value()?).ok()?;
    (Some(month) != doc.date.value).then(|| {
        Guess::found(
            month,
            format!("“{visit}”, and no day given: the month of the report"),
        )
    })
}

/// An expert's quoted view, in commentary: a quoted sentence holding an opinion cue.
fn assessment(
    d: &Draft,
    dict: &Dictionaries,
    opts: &Options,
    s: &sentences::Sentence,
) -> Option<Record> {
    if !s.quoted || d.document.kind.value != Some("expert-commentary") {
        return None;
    }
    let sentence = &d.text[s.start..s.end];
    let opinion = dict.list("opinion")?.find(sentence);
    let potential = sentence.contains("potential") || sentence.contains("significant");
    if opinion.is_empty() && !potential {
        return None;
    }
    let f = fields(dict, opts, (sentence, ""), (sentence, sentence), false);
    f.value.as_ref()?;
    let end = s.end - (sentence.len() - sentence.trim_end_matches(['”', '"', ',', '.']).len());
    let start = s.start + (sentence.len() - sentence.trim_start_matches(['“', '"']).len());
    Some(Record {
        assessment: true,
        start,
        end,
        actor: Guess::todo("an expert's view"),
        action: Action::Support,
        action_cue: String::new(),
        fields: f,
        targets: Vec::new(),
        within: Vec::new(),
        about: Vec::new(),
        org_cue: String::new(),
        voice: Voice::Speaker,
        date: None,
    })
}

/// Whose words the sentence is.
fn voice(doc: &DocumentDraft, s: &sentences::Sentence) -> Voice {
    if s.quoted {
        Voice::Speaker
    } else if matches!(
        doc.kind.value,
        Some("joint-statement" | "declaration" | "readout")
    ) {
        Voice::Text
    } else {
        Voice::Outlet
    }
}

/// Organisations a clause names: `about` after a cue like "status" or "accession", else
/// `within`. Only those the dataset knows (with `--dataset`).
fn organisations(
    dict: &Dictionaries,
    opts: &Options,
    clause: &str,
) -> (Vec<String>, Vec<String>, String) {
    let (mut within, mut about, mut cues) = (Vec::new(), Vec::new(), Vec::new());
    let about_cues = dict.list("about");
    for h in dict.names.find(clause) {
        let dictionaries::Name::Organisation(id) = dict.names.label(&h) else {
            continue;
        };
        if opts
            .organisations
            .as_ref()
            .is_some_and(|known| !known.contains(id))
        {
            cues.push(format!(
                "“{}” is not in the dataset's organisations",
                &clause[h.start..h.end]
            ));
            continue;
        }
        let window = &clause[floor_char(clause, h.start.saturating_sub(60))..h.start];
        let is_about = about_cues.is_some_and(|m| !m.find(window).is_empty());
        if within.contains(id) || about.contains(id) {
            continue;
        }
        let (list, role) = if is_about {
            (&mut about, "about")
        } else {
            (&mut within, "within")
        };
        list.push(id.clone());
        cues.push(format!("{role} “{}”", &clause[h.start..h.end]));
    }
    (within, about, cues.join("; "))
}

/// The largest char boundary at or below `i`.
fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The fields whose keywords the clause holds most (then the sentence); several when the
/// clause lists several with about equal weight. A keyword from the cue on (the verb's object)
/// weighs three times one before it.
fn fields(
    dict: &Dictionaries,
    opts: &Options,
    (clause, object): (&str, &str),
    (sentence, paragraph): (&str, &str),
    organisation: bool,
) -> Guess<Vec<String>> {
    for (scope, name) in [
        (clause, "clause"),
        (sentence, "sentence"),
        (paragraph, "paragraph"),
    ] {
        let mut score = vec![0usize; dict.fields.len()];
        let mut words: Vec<Vec<String>> = vec![Vec::new(); dict.fields.len()];
        for h in dict.keywords.find(scope) {
            let i = *dict.keywords.label(&h);
            score[i] += 1;
            words[i].push(scope[h.start..h.end].to_lowercase());
        }
        if name == "clause" {
            // The verb's object: its first words weigh most.
            let near = object
                .char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .nth(8)
                .map_or(object.len(), |(i, _)| i);
            for h in dict.keywords.find(object) {
                score[*dict.keywords.label(&h)] += if h.start < near { 3 } else { 1 };
            }
        }
        if organisation {
            if let Some(i) = dict.fields.iter().position(|(id, _)| id == "multilateral") {
                score[i] += 3;
                words[i].push("an organisation".into());
            }
        }
        let order = field_order(dict, opts);
        let mut ranked: Vec<usize> = order.into_iter().filter(|&i| score[i] > 0).collect();
        ranked.sort_by_key(|&i| std::cmp::Reverse(score[i]));
        if let Some(&top) = ranked.first() {
            let chosen: Vec<usize> = ranked
                .iter()
                .copied()
                .take(3)
                .filter(|&i| score[i] * 2 >= score[top] && score[i] > 0)
                .collect();
            let ids = chosen.iter().map(|&i| dict.fields[i].0.clone()).collect();
            let why = chosen
                .iter()
                .map(|&i| format!("{} from “{}”", dict.fields[i].0, words[i].join("”, “")))
                .collect::<Vec<_>>()
                .join("; ");
            let cue = if name == "clause" {
                why
            } else {
                format!("{why} (in the {name})")
            };
            return Guess::found(ids, cue);
        }
    }
    Guess::todo("no field keyword in the clause, its sentence or its paragraph")
}

/// Dictionary field indexes in the dataset's vocabulary order (built-in order by default);
/// fields the dataset lacks are left out.
fn field_order(dict: &Dictionaries, opts: &Options) -> Vec<usize> {
    let order: Vec<&str> = if opts.fields.is_empty() {
        crate::dataset::format::DEFAULT_FIELDS
            .iter()
            .map(|f| f.0)
            .collect()
    } else {
        opts.fields.iter().map(String::as_str).collect()
    };
    order
        .iter()
        .filter_map(|id| dict.fields.iter().position(|(f, _)| f == id))
        .collect()
}
