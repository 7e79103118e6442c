//! Checks of single values: text that must not be empty, too long or hold control characters,
//! ids, addresses, language tags; and the messages shared by the other checks.

use crate::base::country;
use crate::base::diag::{is_bidi_control, Diagnostic, Diagnostics};
use crate::dataset::parse::Parsed;
use crate::dataset::PartyInfo;

use super::{MAX_ID_LEN, MAX_TEXT_LEN};

/// The longest name, label or title, in characters.
pub const MAX_NAME_LEN: usize = 500;

/// What a piece of text is, for the checks that apply to it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    /// A name or title: one line, no direction controls.
    Name,
    /// Prose: a summary, a quote, a note; line breaks allowed.
    Prose,
}

/// Whether `value` may hold a control character (or, in a name, a direction control): a byte
/// scan that clears almost every string at once, before the character-by-character checks. Every
/// C0 control and DEL is one byte below 0x20 or 0x7F, every C1 control is 0xC2 then 0x80–0x9F;
/// the direction controls start with 0xE2 (U+200E–U+2069) or 0xD8 (U+061C).
fn may_hold_control(value: &str, kind: TextKind) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b < 0x20
            || b == 0x7F
            || (b == 0xC2 && bytes.get(i + 1).is_some_and(|&next| next < 0xA0))
            || (kind == TextKind::Name && (b == 0xE2 || b == 0xD8))
    })
}

pub(super) struct Checker<'a> {
    pub out: &'a mut Diagnostics,
}

impl Checker<'_> {
    pub fn text<T>(&mut self, p: &Parsed<T>, path: &str, value: &str, kind: TextKind) {
        if value.trim().is_empty() {
            self.out.push(
                p.error_at(path, format!("`{}` is empty", last_key(path)))
                    .help("write the text, or remove the key if it is optional"),
            );
            return;
        }
        // A name or title is a heading, a table cell or a running header: a page must hold it.
        if kind == TextKind::Name
            && value.len() > MAX_NAME_LEN
            && value.chars().count() > MAX_NAME_LEN
        {
            let message = format!(
                "`{}` is longer than {MAX_NAME_LEN} characters",
                last_key(path)
            );
            let help =
                "a name, label or title must fit a heading; put the rest in a summary or note";
            self.out.push(p.error_at(path, message).help(help));
        } else if value.len() > MAX_TEXT_LEN && value.chars().count() > MAX_TEXT_LEN {
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
        if !may_hold_control(value, kind) {
            return;
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

    pub fn id<T>(&mut self, p: &Parsed<T>, path: &str, value: &str) -> bool {
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
pub(super) fn is_id(value: &str) -> bool {
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

pub(super) fn list_or_none<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let mut v: Vec<&str> = it.map(String::as_str).collect();
    v.sort_unstable();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

pub(super) fn unknown_party<T>(
    p: &Parsed<T>,
    path: &str,
    code: &str,
    parties: &[PartyInfo],
) -> Diagnostic {
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

pub(super) fn check_url(url: &str) -> Result<(), &'static str> {
    if url.len() > 2048 {
        return Err("it is longer than 2048 characters");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
    {
        return Err("it holds spaces, control characters or one of < > \" `");
    }
    let parsed = url::Url::parse(url).map_err(|e| match e {
        url::ParseError::EmptyHost => "it has no host",
        url::ParseError::RelativeUrlWithoutBase => "it does not start with http:// or https://",
        _ => "it is not a valid web address",
    })?;
    let Some((_, rest)) = url.split_once("://") else {
        return Err("it does not start with http:// or https://");
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("it does not start with http:// or https://");
    }
    // The parser would read `https:///x` as the host `x`.
    if rest.starts_with('/') || parsed.host_str().is_none_or(str::is_empty) {
        return Err("it has no host");
    }
    // `https://gov.az@evil.example/` goes to evil.example: user information before the host
    // is how such an address passes for another site's.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("it holds a user name before the host (user@host), which hides the real host");
    }
    Ok(())
}

pub(super) fn is_language_tag(s: &str) -> bool {
    crate::base::lang::is_tag(s)
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
        assert!(check_url("https:///path").is_err());
        assert!(check_url("HTTPS://EN.TREND.AZ/x").is_ok());
        let user = check_url("https://gov.az@evil.example/").unwrap_err();
        assert!(user.contains("user name"), "{user}");
        assert!(check_url("https://u:p@example.org/").is_err());
        assert!(is_language_tag("en"));
        assert!(is_language_tag("zh-Hans"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag(""));
    }

    #[test]
    fn the_byte_scan_misses_no_control_character() {
        // Every control and direction control, checked against every character of the planes
        // text uses: whatever the character checks would flag, the byte scan lets through.
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            if c.is_control() {
                assert!(may_hold_control(&s, TextKind::Prose), "U+{:04X}", c as u32);
            }
            if c.is_control() || is_bidi_control(c) {
                assert!(may_hold_control(&s, TextKind::Name), "U+{:04X}", c as u32);
            }
        }
        assert!(!may_hold_control(
            "Azərbaycan – 中国 «Трend»",
            TextKind::Prose
        ));
    }
}
