//! The draft's document and source: what the page says about itself, what the analyst gave
//! (flags override guesses), and what cues in the first paragraphs suggest.

use crate::article::Article;
use crate::base::date::PartialDate;

use super::dictionaries::{Dictionaries, Name};
use super::sentences::Sentence;
use super::{Guess, Options};

/// The draft's document.
#[derive(Debug, Clone)]
pub struct DocumentDraft {
    pub id: String,
    pub title: Guess<String>,
    /// What stands in for a missing title: the opening words.
    pub title_stand_in: String,
    pub kind: Guess<&'static str>,
    pub date: Guess<PartialDate>,
    pub place: Guess<String>,
    /// The pair, ISO codes.
    pub parties: Vec<String>,
    pub parties_cue: String,
    pub speaker: Option<SpeakerDraft>,
    /// The country the speaker speaks for, when a party's official.
    pub speaker_country: Option<String>,
    pub source: SourceDraft,
    /// The latest year (1900–2100) the text names.
    pub latest_year: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct SpeakerDraft {
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub cue: String,
}

#[derive(Debug, Clone)]
pub struct SourceDraft {
    pub publisher: Guess<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Guess<PartialDate>,
    pub retrieved: Option<PartialDate>,
    pub language: Guess<String>,
    pub reliability: Guess<&'static str>,
    pub archive: Option<(String, String)>,
}

impl DocumentDraft {
    /// The article's year: its publication's, else the latest year the text names (an article
    /// names its own year or earlier ones), else its date's.
    pub fn year(&self) -> Option<i32> {
        self.source
            .published
            .value
            .map(|d| d.year_value())
            .or(self.latest_year)
            .or(self.date.value.map(|d| d.year_value()))
    }
}

/// Whether the text reads as English: common English words make up a fair share of it.
pub fn is_english(text: &str) -> bool {
    const COMMON: [&str; 16] = [
        "the", "and", "of", "to", "in", "a", "is", "for", "on", "with", "that", "said", "will",
        "as", "by", "its",
    ];
    let words: Vec<String> = text
        .split_whitespace()
        .take(2000)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let common = words
        .iter()
        .filter(|w| COMMON.contains(&w.as_str()))
        .count();
    !words.is_empty() && common * 100 >= words.len() * 12
}

pub fn document(
    article: &Article,
    sentences: &[Sentence],
    dict: &Dictionaries,
    opts: &Options,
) -> DocumentDraft {
    let text = &article.text;
    let head: String = text.chars().take(1500).collect();
    let source = source(article, opts);
    let (parties, parties_cue) = parties(text, dict, opts);
    let kind = kind(&head, dict, &source);
    let speaker = if kind.value == Some("expert-commentary") {
        speaker(text, dict)
    } else {
        None
    };
    let speaker_country = speaker.as_ref().and_then(|s| person_country(dict, &s.name));
    let title = opts
        .title
        .clone()
        .map(|t| Guess::found(t, "--title"))
        .or_else(|| {
            article
                .meta
                .title
                .clone()
                .map(|t| Guess::found(t, "the page's title"))
        })
        .or_else(|| headline(text, sentences).map(|t| Guess::found(t, "the article's first line")))
        .unwrap_or_else(|| Guess::todo("the article has no title; give one (or --title)"));
    let date = date(&kind, &source, &head);
    let id = opts
        .id
        .clone()
        .unwrap_or_else(|| id(&date, &source, &title, text));
    let title_stand_in = format!(
        "Untitled: {}…",
        text.split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ")
    );
    DocumentDraft {
        id,
        title,
        title_stand_in,
        kind,
        date,
        place: place(text),
        parties,
        parties_cue,
        speaker,
        speaker_country,
        source,
        latest_year: latest_year(text),
    }
}

fn latest_year(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1900..=2100).contains(y))
        .max()
}

fn source(article: &Article, opts: &Options) -> SourceDraft {
    let meta = &article.meta;
    let publisher = opts
        .publisher
        .clone()
        .map(|p| Guess::found(p, "--publisher"))
        .or_else(|| {
            meta.publisher
                .clone()
                .map(|p| Guess::found(p, "the page's site name"))
        })
        .unwrap_or_else(|| Guess::todo("who published it (or --publisher)"));
    let published = opts
        .published
        .map(|d| Guess::found(d, "--published"))
        .or_else(|| {
            let raw = meta.published.as_deref()?;
            let day: PartialDate = raw.get(..10)?.parse().ok()?;
            Some(Guess::found(
                day,
                format!("the page's publication time “{raw}”"),
            ))
        })
        .unwrap_or_else(|| {
            Guess::todo("when it was published (or --published); `retrieved` stands in")
        });
    let language = opts
        .language
        .clone()
        .map(|l| Guess::found(l, "--language"))
        .or_else(|| {
            meta.language
                .clone()
                .map(|l| Guess::found(primary(&l), "the page's language"))
        })
        .unwrap_or_else(|| {
            if is_english(&article.text) {
                Guess::found("en".to_string(), "the text reads as English")
            } else {
                Guess::todo("the article's language (or --language)")
            }
        });
    let official = publisher.value.as_deref().is_some_and(official_name);
    let reliability = if official {
        Guess::found("official", "the publisher is a government body")
    } else {
        Guess::todo(
            "official, state-media, independent-media, expert, unverified or user-generated",
        )
    };
    SourceDraft {
        publisher,
        title: opts.title.clone().or_else(|| meta.title.clone()),
        url: opts.url.clone().or_else(|| meta.url.clone()),
        published,
        retrieved: opts.retrieved,
        language,
        reliability,
        archive: opts.archive.clone(),
    }
}

/// A language tag's primary subtag, lower case ("en-GB" → "en").
fn primary(tag: &str) -> String {
    crate::base::lang::primary(tag)
}

fn official_name(p: &str) -> bool {
    [
        "Ministry",
        "Government",
        "White House",
        "President",
        "Office",
        "Embassy",
        "Kremlin",
        "Cabinet",
        "Akorda",
        "State Department",
    ]
    .iter()
    .any(|w| p.contains(w))
}

/// The pair: given, else the two countries the article names most.
fn parties(text: &str, dict: &Dictionaries, opts: &Options) -> (Vec<String>, String) {
    if let Some(p) = &opts.parties {
        return (p.to_vec(), "given".into());
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for h in dict.names.find(text) {
        if let Name::Country { code, .. } = dict.names.label(&h) {
            match counts.iter_mut().find(|(c, _)| c == code) {
                Some(e) => e.1 += 1,
                None => counts.push((code.clone(), 1)),
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let top: Vec<String> = counts.iter().take(2).map(|c| c.0.clone()).collect();
    let cue = counts
        .iter()
        .take(2)
        .map(|(c, n)| format!("{c} named {n} times"))
        .collect::<Vec<_>>()
        .join(", ");
    (top, cue)
}

/// The document kind from cues in the article's opening; a readout only from an official
/// publisher (an agency's report of talks is a news report).
fn kind(head: &str, dict: &Dictionaries, source: &SourceDraft) -> Guess<&'static str> {
    let lower = head.to_lowercase();
    let official = source.reliability.value == Some("official");
    for k in &dict.cues.kinds {
        let Some(cue) = k
            .cues
            .iter()
            .find(|c| contains_word(&lower, &c.to_lowercase()))
        else {
            continue;
        };
        let kind: &'static str = match k.kind.as_str() {
            "joint-statement" => "joint-statement",
            "declaration" => "declaration",
            "readout" if official => "readout",
            "readout" => continue,
            "expert-commentary" => "expert-commentary",
            _ => continue,
        };
        return Guess::found(kind, format!("“{cue}”"));
    }
    Guess::found("news-report", "no cue of another kind")
}

fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(i, _)| super::dictionaries::whole_word(hay, i, i + needle.len()))
}

/// The document's date: a report is dated its publication; a statement or readout reported by
/// the article takes a day the opening names, else its publication month.
fn date(kind: &Guess<&'static str>, source: &SourceDraft, head: &str) -> Guess<PartialDate> {
    let Some(published) = source.published.value else {
        return match source.retrieved {
            Some(r) => Guess::found(r, "no publication date: the day it was saved (check it)"),
            None => Guess::todo("when it was issued"),
        };
    };
    match kind.value {
        Some("joint-statement" | "declaration" | "readout") => {
            match dateline_day(head, published.year_value()) {
                Some(d) if d <= published => Guess::found(d, "a day named in the opening"),
                _ => match PartialDate::month(
                    published.year_value(),
                    published.month_value().unwrap_or(1),
                ) {
                    Ok(m) => Guess::found(
                        m,
                        "the article does not give the day: its publication month",
                    ),
                    Err(_) => Guess::found(published, "its publication date"),
                },
            }
        }
        _ => Guess::found(published, "its publication date"),
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A day a text names ("April 28", "28 April"), in the given year, with its words.
pub fn day_named(text: &str, year: i32) -> Option<(PartialDate, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let clean = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let Some(m) = MONTHS.iter().position(|m| *m == clean) else {
            continue;
        };
        let day = |j: usize| {
            let d = words.get(j)?.trim_matches(|c: char| !c.is_ascii_digit());
            d.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
        };
        let (d, first, last) = match (day(i + 1), i.checked_sub(1).and_then(day)) {
            (Some(d), _) => (d, i, i + 1),
            (None, Some(d)) => (d, i - 1, i),
            _ => continue,
        };
        if let Ok(date) = PartialDate::day(year, m as u32 + 1, d) {
            return Some((date, words[first..=last].join(" ")));
        }
    }
    None
}

/// "April 28" or "28 April" in the opening, in the given year.
fn dateline_day(head: &str, year: i32) -> Option<PartialDate> {
    let words: Vec<String> = head
        .split_whitespace()
        .take(60)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(m) = MONTHS.iter().position(|m| m == w) else {
            continue;
        };
        let day = |s: Option<&String>| {
            s.and_then(|d| d.parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d))
        };
        if let Some(d) =
            day(words.get(i + 1)).or_else(|| day(i.checked_sub(1).and_then(|j| words.get(j))))
        {
            return PartialDate::day(year, m as u32 + 1, d).ok();
        }
    }
    None
}

/// A dateline's place: the first word in capitals followed by a comma, among the opening
/// words ("BAKU, Azerbaijan, April 28." → "Baku").
fn place(text: &str) -> Guess<String> {
    let opening = text.split_whitespace().take(40);
    for w in opening {
        let Some(word) = w.strip_suffix(',') else {
            continue;
        };
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 3 && word.chars().all(|c| c.is_uppercase() || c == '-') {
            let lower = word.to_lowercase();
            let name: String = lower
                .split('-')
                .map(|part| {
                    let mut cs = part.chars();
                    cs.next()
                        .map(|c| c.to_uppercase().collect::<String>() + cs.as_str())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("-");
            return Guess::found(name, format!("the dateline “{word}”"));
        }
    }
    Guess::todo("where it was issued, if the article says")
}

/// A short first line without a full stop: the headline.
fn headline(text: &str, sentences: &[Sentence]) -> Option<String> {
    let first = sentences.first()?;
    let line = text[first.start..first.end].lines().next()?.trim();
    let short = line.split_whitespace().count() <= 20 && !line.ends_with('.');
    (short && first.paragraph == 0 && !line.is_empty()).then(|| line.to_string())
}

/// An interview's speaker: "NAME, ROLE at AFFILIATION, told OUTLET" in the opening.
fn speaker(text: &str, dict: &Dictionaries) -> Option<SpeakerDraft> {
    let head: String = text.chars().take(1500).collect();
    let told = ["told", "said in an interview", "said"]
        .iter()
        .filter_map(|w| {
            head.find(&format!(", {w} "))
                .or_else(|| head.find(&format!(", {w}.")))
        })
        .min()?;
    let before = &head[..told];
    let parts: Vec<&str> = before
        .rsplit(", ")
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let is_name = |p: &str| {
        let words: Vec<&str> = p.split_whitespace().collect();
        (2..=4).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && dict
                .names
                .find(p)
                .iter()
                .all(|h| !matches!(dict.names.label(h), Name::Country { person: false, .. }))
    };
    let at = parts.iter().position(|p| is_name(p))?;
    let name = parts[at].to_string();
    let rest: Vec<&str> = parts[at + 1..]
        .iter()
        .copied()
        .filter(|p| {
            !dict
                .names
                .find(p)
                .iter()
                .any(|h| h.start == 0 && h.end == p.len())
        })
        .collect();
    let joined = rest.join(", ");
    let (role, affiliation) = match joined
        .split_once(" at ")
        .or_else(|| joined.split_once(" of "))
    {
        Some((r, a)) => {
            let a = a.trim();
            let a = a.strip_prefix("the ").unwrap_or(a);
            (Some(r.trim().to_string()), Some(a.to_string()))
        }
        None if !joined.is_empty() => (Some(joined.clone()), None),
        None => (None, None),
    };
    Some(SpeakerDraft {
        cue: format!("“…{}”", tail_chars(&head[..told], 70)),
        name,
        role,
        affiliation,
    })
}

fn person_country(dict: &Dictionaries, name: &str) -> Option<String> {
    dict.names
        .find(name)
        .iter()
        .find_map(|h| match dict.names.label(h) {
            Name::Country { code, person: true } => Some(code.clone()),
            _ => None,
        })
}

/// An id from the date, the publisher and the title's first words.
fn id(
    date: &Guess<PartialDate>,
    source: &SourceDraft,
    title: &Guess<String>,
    text: &str,
) -> String {
    let mut parts = Vec::new();
    if let Some(d) = source.published.value.or(date.value) {
        parts.push(d.to_string());
    }
    if let Some(p) = &source.publisher.value {
        parts.push(slug(p, 2));
    }
    match &title.value {
        Some(t) => parts.push(slug(t, 5)),
        // No title: the opening words after the dateline.
        None => {
            let opening = text.split_once(". ").map_or(text, |(_, rest)| rest);
            parts.push(slug(opening, 5));
        }
    }
    let id = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if id.is_empty() {
        "draft".into()
    } else {
        id
    }
}

/// The first `n` words of `s`, lower case ASCII letters and digits joined by hyphens.
pub fn slug(s: &str, n: usize) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The last `n` characters of `s`.
fn tail_chars(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}
