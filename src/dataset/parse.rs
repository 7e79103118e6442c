//! Parsing one file's text into a typed value, keeping the text for pointing at its parts.
//!
//! Pure: text in, value or located diagnostics out. Loading (`load`) and checking (`check`) both
//! build on it, and the jobs file uses it too.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::base::diag::Diagnostic;
use crate::dataset::format::{Document, Manifest};
use crate::dataset::spans::Spans;

/// A file format, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format of a file named `*.toml` or `*.json`, in any case (`Statement.TOML` is read,
    /// not silently left out).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("toml") {
            Some(Format::Toml)
        } else if ext.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// A file's text, as read (or given).
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
}

/// A parsed file: the value, and the text for pointing at its parts.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub value: T,
    pub source: SourceText,
    format: Format,
    /// Where each value sits: built on the first diagnostic that needs it, since a valid file
    /// never does (indexing every file up front was a quarter of `check`'s time).
    spans: OnceLock<Spans>,
    /// Whether the text holds an empty list anywhere (`[]`, `[ ]`), found on first asking.
    empty_list: OnceLock<bool>,
    /// Set when the text was let go after parsing ([`Parsed::release_text`]).
    released: Option<Released>,
}

/// A text let go after parsing: how to read it again, and what it was, so that a file changed
/// since is never pointed into.
#[derive(Debug, Clone)]
struct Released {
    reread: fn(&Path) -> Option<String>,
    len: usize,
    hash: u64,
    text: OnceLock<Option<String>>,
}

/// Whether `text` has a `[` followed by nothing but white space and a `]`.
fn holds_empty_list(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'[' && b[i + 1..].iter().find(|x| !x.is_ascii_whitespace()) == Some(&b']')
    })
}

fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

impl<T> Parsed<T> {
    fn new(value: T, source: SourceText, format: Format) -> Self {
        Parsed {
            value,
            source,
            format,
            spans: OnceLock::new(),
            empty_list: OnceLock::new(),
            released: None,
        }
    }

    /// Lets the text go: a valid file never needs it again, and a dataset of 100,000
    /// commitments holds 80 MB of it. A diagnostic reads it again with `reread` (from disk),
    /// and points into it only if it is still the text that was parsed.
    pub fn release_text(&mut self, reread: fn(&Path) -> Option<String>) {
        let text = std::mem::take(&mut self.source.text);
        // Asked of every record by the checks: answered now, so the text is not read again.
        let _ = self.empty_list.set(holds_empty_list(&text));
        self.released = Some(Released {
            reread,
            len: text.len(),
            hash: fingerprint(&text),
            text: OnceLock::new(),
        });
    }

    /// The text, if it is at hand or can be read again unchanged.
    pub fn text(&self) -> Option<&str> {
        let Some(r) = &self.released else {
            return Some(&self.source.text);
        };
        r.text
            .get_or_init(|| {
                (r.reread)(&self.source.path)
                    .filter(|t| t.len() == r.len && fingerprint(t) == r.hash)
            })
            .as_deref()
    }

    /// The span index of the file (the text has already parsed, so indexing it cannot fail).
    pub fn spans(&self) -> &Spans {
        self.spans.get_or_init(|| {
            let Some(text) = self.text() else {
                return Spans::default();
            };
            match self.format {
                Format::Toml => match toml::de::DeTable::parse(text) {
                    Ok(table) => Spans::from_toml(&table),
                    Err(_) => Spans::default(),
                },
                Format::Json => Spans::from_json(text),
            }
        })
    }

    /// Whether the list at `path` is written out empty (`within = []`), which the parsed value
    /// cannot tell from a key left out. Only a file with an empty list somewhere is indexed
    /// (indexing every file for this doubled `check`'s time and quadrupled its memory).
    pub fn empty_list_at(&self, path: &str) -> bool {
        let any = *self
            .empty_list
            .get_or_init(|| self.text().is_some_and(holds_empty_list));
        any && self.spans().has(path)
    }

    /// A diagnostic pointing at the value at `path` (or its nearest enclosing value).
    pub fn error_at(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(&self.source.path, message);
        match (self.spans().find(path), self.text()) {
            (Some(span), Some(text)) => d.at_span(text, span),
            _ => d,
        }
    }

    /// The same, pointing at the key of `path`.
    pub fn error_at_key(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(&self.source.path, message);
        match (self.spans().find_key(path), self.text()) {
            (Some(span), Some(text)) => d.at_span(text, span),
            _ => d,
        }
    }
}

/// Parses one file's text. Syntax errors are all reported (TOML recovers and goes on); a file
/// that parses but does not fit the format reports the first mismatch serde meets.
pub fn parse<T: DeserializeOwned>(
    source: SourceText,
    format: Format,
) -> Result<Parsed<T>, Vec<Diagnostic>> {
    let text = source.text.as_str();
    let path = source.path.as_path();
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(path, "the file is empty")
            .help("a document needs at least id, title, kind, date, parties and sources; see docs/format.md")]);
    }
    match format {
        Format::Toml => {
            let (table, errors) = toml::de::DeTable::parse_recoverable(text);
            if !errors.is_empty() {
                return Err(errors
                    .iter()
                    .map(|e| toml_diagnostic(path, text, e))
                    .collect());
            }
            let de = toml::de::Deserializer::from(table);
            match T::deserialize(de) {
                Ok(value) => Ok(Parsed::new(value, source, format)),
                Err(e) => Err(vec![toml_diagnostic(path, text, &e)]),
            }
        }
        Format::Json => match serde_json::from_str::<T>(text) {
            Ok(value) => Ok(Parsed::new(value, source, format)),
            Err(e) => {
                let mut msg = e.to_string();
                // serde_json appends " at line L column C"; the location is shown separately.
                if let Some(cut) = msg.rfind(" at line ") {
                    msg.truncate(cut);
                }
                let d = Diagnostic::error(path, tidy_serde_message(&msg));
                let d = if e.line() > 0 {
                    d.at_line_col(text, e.line(), e.column())
                } else {
                    d
                };
                Err(vec![with_schema_help(d)])
            }
        },
    }
}

fn toml_diagnostic(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let msg = tidy_serde_message(e.message().trim());
    let d = Diagnostic::error(path, msg);
    let d = match e.span() {
        Some(span) => d.at_span(text, span),
        None => d,
    };
    with_schema_help(d)
}

/// serde's messages say "variant" and "field"; a person writing a file thinks in values and keys.
fn tidy_serde_message(msg: &str) -> String {
    msg.replace("unknown variant", "unknown value")
        .replace("expected one of", "expected one of:")
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("duplicate field", "duplicate key")
}

fn with_schema_help(d: Diagnostic) -> Diagnostic {
    // An event's status cannot be `stated` (one letter from `stalled`): say why, not "did you mean".
    if d.message
        .starts_with("unknown value `stated`, expected one of: `in-progress`")
    {
        return d.help(
            "an event moves a commitment on: in-progress, implemented, stalled or withdrawn; how it stood when made is the commitment's own `status`",
        );
    }
    if let Some(guess) = did_you_mean(&d.message) {
        return d.help(format!("did you mean `{guess}`?"));
    }
    let help = if d.message.starts_with("unknown key") {
        "check the spelling; `bilateral schema` prints every key the format allows"
    } else if d.message.starts_with("missing key") {
        "add the key; docs/format.md lists what each record needs"
    } else if d.message.starts_with("duplicate key") {
        "each key may appear once; remove one of them"
    } else if d.message.starts_with("unknown value") {
        "use one of the values listed"
    } else {
        "see docs/format.md for the format"
    };
    d.help(help)
}

/// For "unknown key `summery`, expected one of: `id`, `summary`, …": the closest expected word,
/// if it is close enough to be a typo.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown key `")
        .or_else(|| message.strip_prefix("unknown value `"))?;
    let (given, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected one of:")?.1;
    let given_l = given.to_lowercase();
    expected
        .split(',')
        .map(|w| w.trim().trim_matches('`'))
        .filter(|w| !w.is_empty())
        .map(|w| (strsim::levenshtein(&given_l, &w.to_lowercase()), w))
        .filter(|(d, w)| *d <= (w.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, w)| w.to_string())
}

pub fn parse_manifest(source: SourceText) -> Result<Parsed<Manifest>, Vec<Diagnostic>> {
    let format = Format::from_path(&source.path).unwrap_or(Format::Toml);
    parse(source, format)
}

pub fn parse_document(source: SourceText) -> Result<Parsed<Document>, Vec<Diagnostic>> {
    let format = Format::from_path(&source.path).unwrap_or(Format::Toml);
    let mut parsed = parse::<Document>(source, format)?;
    // serde grows lists by doubling: ten commitments sit in room for sixteen. A dataset holds
    // every document at once, so the room is given back (a third of 100,000 commitments' memory).
    let d = &mut parsed.value;
    d.commitments.shrink_to_fit();
    d.events.shrink_to_fit();
    d.assessments.shrink_to_fit();
    d.sources.shrink_to_fit();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_are_found_in_the_text() {
        assert!(holds_empty_list("within = []\n"));
        assert!(holds_empty_list("\"sources\": [ \n ]"));
        assert!(!holds_empty_list(
            "within = [\"sco\"]\n[[sources]]\nquote = \"[…]\"\n"
        ));
        assert!(!holds_empty_list("x = ["));
    }

    const TEXT: &str = "id = \"d\"\ntitle = \"T\"\nkind = \"readout\"\ndate = \"2025\"\nparties = [\"AZ\"]\n[[sources]]\npublisher = \"P\"\nlanguage = \"en\"\nreliability = \"official\"\n";

    fn parsed() -> Parsed<Document> {
        parse_document(SourceText {
            path: "d.toml".into(),
            text: TEXT.to_string(),
        })
        .unwrap()
    }

    #[test]
    fn a_released_text_is_read_again_for_a_diagnostic() {
        let mut p = parsed();
        p.release_text(|_| Some(TEXT.to_string()));
        assert!(p.source.text.is_empty(), "the text was let go");
        let d = p.error_at("title", "bad title");
        assert_eq!(d.location.expect("pointed at").line, 2);
    }

    #[test]
    fn a_file_changed_since_it_was_parsed_is_not_pointed_into() {
        let mut p = parsed();
        p.release_text(|_| Some(TEXT.replace("\"T\"", "\"Other\"")));
        assert!(p.error_at("title", "bad title").location.is_none());
        let mut gone = parsed();
        gone.release_text(|_| None);
        assert!(gone.error_at("title", "bad title").location.is_none());
    }
}
