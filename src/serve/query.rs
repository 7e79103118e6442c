//! A briefing request's query string, parsed strictly: the same parameters as `brief`'s flags,
//! each checked with the same parser and reported with a message a user can act on.
//!
//! Parsing is by hand over `percent-encoding` because the query has a repeatable key (`field`)
//! and because invalid UTF-8 must be an error, not silently replaced. An empty value counts as
//! absent: an HTML form sends every input, filled or not.

use chrono::NaiveDate;
use percent_encoding::percent_decode;

use crate::base::date::PartialDate;
use crate::briefing::aggregate::{Detail, Options, DEFAULT_DUE_SOON_DAYS, DEFAULT_PER_LIST};
use crate::render::pdf::Paper;
use crate::render::Format;

/// The parameters a briefing URL takes.
pub const PARAMETERS: [&str; 12] = [
    "as_of", "since", "until", "field", "party", "entity", "detail", "per_list", "due_soon",
    "paper", "format", "lang",
];
/// At most this many `field` parameters (a dataset with more fields than this is unusual).
pub const MAX_FIELDS: usize = 64;
/// At most this many parameters in all.
pub const MAX_PARAMETERS: usize = 128;

/// What a briefing URL answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// The HTML briefing as a page, with links back and to the downloads.
    Page,
    /// A file, as `brief --format` writes it.
    File(Format),
    /// The email message `brief --eml` writes (a draft without recipients).
    Eml,
}

impl Answer {
    /// The `format` parameter's value.
    pub fn name(self) -> &'static str {
        match self {
            Answer::Page => "html",
            Answer::File(f) => f.extension(),
            Answer::Eml => "eml",
        }
    }
}

/// A parsed briefing query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefingQuery {
    pub as_of: Option<NaiveDate>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub fields: Vec<String>,
    pub party: Option<String>,
    /// An entity id: only the commitments it makes or is addressed.
    pub entity: Option<String>,
    /// The reader's language (a shipped one: en, zh-Hans, ru, az); None for the server's.
    pub lang: Option<String>,
    pub detail: DetailParam,
    pub per_list: usize,
    /// Days ahead a due date counts as "due soon".
    pub due_soon: u32,
    pub paper: Paper,
    pub answer: Answer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailParam {
    Auto,
    Full,
    Summary,
}

impl Default for BriefingQuery {
    fn default() -> Self {
        Self {
            as_of: None,
            since: None,
            until: None,
            fields: Vec::new(),
            party: None,
            entity: None,
            lang: None,
            detail: DetailParam::Auto,
            per_list: DEFAULT_PER_LIST,
            due_soon: DEFAULT_DUE_SOON_DAYS,
            paper: Paper::A4,
            answer: Answer::Page,
        }
    }
}

impl BriefingQuery {
    /// Parses a raw query string (without the `?`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut q = Self::default();
        let mut seen: Vec<&'static str> = Vec::new();
        let pairs: Vec<&str> = raw.split('&').filter(|p| !p.is_empty()).collect();
        if pairs.len() > MAX_PARAMETERS {
            return Err(format!(
                "too many parameters ({}); a briefing takes at most {MAX_PARAMETERS}",
                pairs.len()
            ));
        }
        for (i, pair) in pairs.into_iter().enumerate() {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key, i)?;
            let value = decode(value, i)?;
            let Some(&known) = PARAMETERS.iter().find(|k| **k == key) else {
                return Err(format!(
                    "unknown parameter `{}`; a briefing takes {}",
                    key.escape_debug(),
                    PARAMETERS.join(", ")
                ));
            };
            if known != "field" {
                if seen.contains(&known) {
                    return Err(format!("`{known}` is given twice; give it once"));
                }
                seen.push(known);
            }
            let value = value.trim();
            if !value.is_empty() {
                q.set(known, value)?;
            }
        }
        Ok(q)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let invalid = |why: String| {
            format!(
                "invalid value '{}' for '{key}': {why}",
                value.escape_debug()
            )
        };
        match key {
            "as_of" => self.as_of = Some(parse_day(value).map_err(invalid)?),
            "since" => self.since = Some(value.parse().map_err(|e| invalid(format!("{e}")))?),
            "until" => self.until = Some(value.parse().map_err(|e| invalid(format!("{e}")))?),
            "field" => {
                if self.fields.len() == MAX_FIELDS {
                    return Err(format!(
                        "too many `field` parameters; give at most {MAX_FIELDS}"
                    ));
                }
                if !self.fields.iter().any(|f| f == value) {
                    self.fields.push(value.to_string());
                }
            }
            "party" => self.party = Some(value.to_string()),
            "entity" => self.entity = Some(value.to_string()),
            "lang" => {
                let shipped = crate::render::templates::LANGUAGES.iter().map(|(t, _)| *t);
                match shipped.clone().find(|t| t.eq_ignore_ascii_case(value)) {
                    Some(t) => self.lang = Some(t.to_string()),
                    None => {
                        let all: Vec<&str> = shipped.collect();
                        return Err(invalid(format!("use one of {}", all.join(", "))));
                    }
                }
            }
            "detail" => {
                self.detail = match value {
                    "auto" => DetailParam::Auto,
                    "full" => DetailParam::Full,
                    "summary" => DetailParam::Summary,
                    _ => return Err(invalid("use auto, full or summary".into())),
                }
            }
            "per_list" => {
                self.per_list = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| invalid("give a number from 1 to 1000".into()))?
            }
            "due_soon" => {
                self.due_soon = value
                    .parse()
                    .ok()
                    .filter(|n| *n <= 36_500)
                    .ok_or_else(|| invalid("give a number of days from 0 to 36500".into()))?
            }
            "paper" => self.paper = value.parse().map_err(invalid)?,
            "format" => self.answer = parse_answer(value).map_err(invalid)?,
            _ => unreachable!("only known parameters reach here"),
        }
        Ok(())
    }

    /// The scope `brief` would use for the same flags.
    pub fn scope(&self) -> Options {
        Options {
            since: self.since.map(|d| d.start()),
            until: self.until.map(|d| d.end()),
            known_after: None,
            fields: self.fields.clone(),
            party: self.party.clone(),
            entity: self.entity.clone(),
            detail: match self.detail {
                DetailParam::Full => Detail::Full,
                DetailParam::Summary => Detail::Summary(self.per_list),
                DetailParam::Auto => Detail::Auto(self.per_list),
            },
            due_soon_days: self.due_soon,
            table: false,
            include_drafts: false,
            marking: None,
        }
    }

    /// The query string that asks for the same briefing as of `as_of` in another format: every
    /// parameter spelled out, so a download link names exactly what the page shows.
    pub fn canonical(&self, as_of: NaiveDate, answer: Answer) -> String {
        let mut out = format!("as_of={as_of}");
        let mut push = |k: &str, v: &str| {
            out.push('&');
            out.push_str(k);
            out.push('=');
            out.extend(percent_encoding::utf8_percent_encode(v, COMPONENT));
        };
        if let Some(d) = self.since {
            push("since", &d.to_string());
        }
        if let Some(d) = self.until {
            push("until", &d.to_string());
        }
        for f in &self.fields {
            push("field", f);
        }
        if let Some(p) = &self.party {
            push("party", p);
        }
        if let Some(e) = &self.entity {
            push("entity", e);
        }
        if let Some(l) = &self.lang {
            push("lang", l);
        }
        let detail = match self.detail {
            DetailParam::Auto => "auto",
            DetailParam::Full => "full",
            DetailParam::Summary => "summary",
        };
        push("detail", detail);
        if self.due_soon != DEFAULT_DUE_SOON_DAYS {
            push("due_soon", &self.due_soon.to_string());
        }
        if self.per_list != DEFAULT_PER_LIST {
            push("per_list", &self.per_list.to_string());
        }
        if self.paper != Paper::A4 {
            push("paper", self.paper.name());
        }
        push("format", answer.name());
        out
    }
}

/// Everything but unreserved characters is encoded in a parameter value.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn decode(s: &str, index: usize) -> Result<String, String> {
    let plus = s.replace('+', " ");
    percent_decode(plus.as_bytes())
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            format!(
                "parameter {} of the query is not UTF-8 text once decoded",
                index + 1
            )
        })
}

/// As `brief --as-of` parses it (a day within 1800–2200), so the message is the same.
fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::base::date::parse_as_of(s)
}

fn parse_answer(s: &str) -> Result<Answer, String> {
    match s {
        "html" => Ok(Answer::Page),
        "eml" => Ok(Answer::Eml),
        other => other
            .parse::<Format>()
            .map(Answer::File)
            .map_err(|_| "use html, pdf, md, json, xlsx, csv or eml".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_submission_with_empty_inputs_is_the_default_briefing() {
        let q =
            BriefingQuery::parse("as_of=&since=&until=&party=&detail=auto&format=html").unwrap();
        assert_eq!(q, BriefingQuery::default());
    }

    #[test]
    fn fields_repeat_and_values_decode() {
        let q = BriefingQuery::parse("field=green-energy&field=multilateral&field=green-energy&since=2025-04&party=AZ&format=pdf&as_of=2025-05-01").unwrap();
        assert_eq!(q.fields, ["green-energy", "multilateral"]);
        assert_eq!(q.since.unwrap().to_string(), "2025-04");
        assert_eq!(q.answer, Answer::File(Format::Pdf));
        assert_eq!(q.as_of, NaiveDate::from_ymd_opt(2025, 5, 1));
        let again = BriefingQuery::parse(&q.canonical(q.as_of.unwrap(), q.answer)).unwrap();
        assert_eq!(again, q);
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = |q: &str| BriefingQuery::parse(q).unwrap_err();
        assert!(err("as_of=2025-13-01").starts_with("invalid value '2025-13-01' for 'as_of'"));
        assert!(err("since=April").contains("for 'since'"));
        assert!(err("format=docx").contains("use html, pdf, md, json, xlsx, csv or eml"));
        assert!(err("colour=red").starts_with("unknown parameter `colour`"));
        assert!(err("as_of=2025-01-01&as_of=2025-01-02").contains("given twice"));
        assert!(err("party=%FF%FE").contains("not UTF-8"));
        assert!(err("per_list=0").contains("1 to 1000"));
        let many: String = (0..65).map(|i| format!("field=f{i}&")).collect();
        assert!(err(&many).contains("too many `field`"));
        let lots: String = (0..200).map(|_| "detail=&").collect();
        assert!(err(&lots).contains("too many parameters"));
    }
}
