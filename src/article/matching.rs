//! A quote against its source's text: the same words in the same order, whatever the typography.
//!
//! Both sides are folded the same way before comparing: Unicode compatibility decomposition
//! (NFKD: a no-break space is a space, a ligature its letters), every run of white space one
//! space, typographic quotes and apostrophes their straight forms, every dash a hyphen-minus, and
//! soft hyphens and zero-width characters gone. Letters, digits and their case are compared as
//! they are. In the quote, `…`, `...`, `[…]` and `[...]` stand for an omission: the parts around
//! it must appear in that order. The quote's closing punctuation is not compared, since a quoted
//! sentence that ends in a comma before "he said" is commonly given with a full stop. A match
//! must begin and end at word boundaries.

use unicode_normalization::char::decompose_compatible;

/// A text folded for comparison.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
}

/// Where a quote first departs from its source, to show the analyst.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The source's passage closest to the quote, as the source writes it.
    pub passage: String,
    /// The quote's words up to the first difference (empty when no passage begins like it).
    pub agreed: String,
    /// What follows in the quote, and in the source, at the first difference.
    pub quote_has: String,
    pub source_has: String,
}

const OMISSIONS: [&str; 5] = ["[…]", "[...]", "(…)", "…", "..."];

impl Folded {
    pub fn new(text: &str) -> Folded {
        let mut out = String::with_capacity(text.len());
        fold(text, |c, _| out.push(c));
        Folded { text: out }
    }

    /// Whether `quote` appears in this text (see the module's rules); where it departs if not.
    pub fn find(&self, quote: &str, original: &str) -> Result<(), Mismatch> {
        let mut from = 0;
        for segment in segments(quote) {
            match self.find_segment(&segment, from) {
                Some(end) => from = end,
                None => return Err(self.mismatch(&segment, original)),
            }
        }
        Ok(())
    }

    /// The end of the first match of `segment` at or after `from`, on word boundaries.
    fn find_segment(&self, segment: &str, from: usize) -> Option<usize> {
        let hay = &self.text[from..];
        hay.match_indices(segment).find_map(|(i, m)| {
            let start = from + i;
            let end = start + m.len();
            let before = self.text[..start].chars().next_back();
            let after = self.text[end..].chars().next();
            let edge = |outside: Option<char>, inside: Option<char>| {
                !(outside.is_some_and(char::is_alphanumeric)
                    && inside.is_some_and(char::is_alphanumeric))
            };
            (edge(before, segment.chars().next()) && edge(after, segment.chars().next_back()))
                .then_some(end)
        })
    }

    /// The closest passage to a segment that is not in the text.
    fn mismatch(&self, segment: &str, original: &str) -> Mismatch {
        let offsets = offsets(original);
        let to_original = |folded: usize| offsets.get(folded).copied().unwrap_or(original.len());
        let (agreed, at) = self.longest_prefix(segment);
        let shortest = 12.min(segment.chars().count() / 2).max(1);
        if agreed.chars().count() < shortest {
            let (start, end) = self.closest_by_words(segment);
            return Mismatch {
                passage: excerpt(original, to_original(start), to_original(end)),
                agreed: String::new(),
                quote_has: first_chars(segment, 40),
                source_has: String::new(),
            };
        }
        let differ = at + agreed.len();
        let tail = first_chars(&self.text[differ..], 30);
        Mismatch {
            passage: excerpt(
                original,
                to_original(at),
                to_original((differ + tail.len()).min(self.text.len())),
            ),
            agreed: agreed.to_string(),
            quote_has: first_chars(&segment[agreed.len()..], 30),
            source_has: tail,
        }
    }

    /// The longest beginning of `segment` that the text holds, and where (binary search: if a
    /// beginning is found, so is every shorter one).
    fn longest_prefix<'s>(&self, segment: &'s str) -> (&'s str, usize) {
        let bounds: Vec<usize> = segment
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .chain([segment.len()])
            .collect();
        let (mut lo, mut hi) = (0usize, bounds.len());
        let mut best = ("", 0);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let prefix = &segment[..bounds[mid - 1]];
            match self.text.find(prefix) {
                Some(at) => {
                    best = (prefix, at);
                    lo = mid;
                }
                None => hi = mid - 1,
            }
        }
        best
    }

    /// The window of the text, as many words long as the segment, sharing the most words with
    /// it: the passage to show when no passage begins like the quote.
    fn closest_by_words(&self, segment: &str) -> (usize, usize) {
        let wanted: std::collections::HashSet<&str> = segment.split(' ').collect();
        let words: Vec<(usize, &str)> = self
            .text
            .split(' ')
            .scan(0usize, |pos, w| {
                let at = *pos;
                *pos += w.len() + 1;
                Some((at, w))
            })
            .collect();
        let n = wanted.len().clamp(1, words.len().max(1));
        let mut best = (0usize, 0usize);
        let mut score = 0usize;
        for (i, (_, w)) in words.iter().enumerate() {
            score += usize::from(wanted.contains(w));
            if i >= n {
                score -= usize::from(wanted.contains(words[i - n].1));
            }
            if score > best.0 {
                best = (score, (i + 1).saturating_sub(n));
            }
        }
        let start = words.get(best.1).map_or(0, |w| w.0);
        let last = (best.1 + n).min(words.len()).saturating_sub(1);
        let end = words.get(last).map_or(0, |w| w.0 + w.1.len());
        (start, end)
    }
}

/// The quote's parts between omissions, folded, their edges' punctuation trimmed.
fn segments(quote: &str) -> Vec<String> {
    let mut parts = vec![quote.to_string()];
    for mark in OMISSIONS {
        parts = parts
            .iter()
            .flat_map(|p| p.split(mark).map(str::to_string))
            .collect();
    }
    parts
        .iter()
        .map(|p| {
            let mut f = String::with_capacity(p.len());
            fold(p, |c, _| f.push(c));
            let trimmed = f.trim_matches(|c: char| c == ' ' || matches!(c, '.' | ',' | ';' | ':'));
            trimmed.to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// For each byte of the folded text, the byte of the original it came from.
fn offsets(original: &str) -> Vec<usize> {
    let mut map = Vec::with_capacity(original.len());
    fold(original, |c, at| {
        map.extend(std::iter::repeat_n(at, c.len_utf8()))
    });
    map
}

/// Folds `text`, calling `push` with each folded character and the byte offset of the original
/// character it comes from.
fn fold(text: &str, mut push: impl FnMut(char, usize)) {
    let mut space = false;
    let mut started = false;
    for (at, c) in text.char_indices() {
        decompose_compatible(c, |d| {
            if d.is_whitespace() {
                space = started;
                return;
            }
            let Some(d) = unify(d) else { return };
            if space {
                push(' ', at);
                space = false;
            }
            push(d, at);
            started = true;
        });
    }
}

/// One character's comparison form; None for the invisible ones.
fn unify(c: char) -> Option<char> {
    Some(match c {
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        c => c,
    })
}

/// The original text from `start` to `end`, widened to whole words and capped in length.
fn excerpt(original: &str, start: usize, end: usize) -> String {
    let start = original[..start.min(original.len())]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let end = end.clamp(start, original.len());
    let end = original[end..]
        .find(char::is_whitespace)
        .map_or(original.len(), |i| end + i);
    let text: String = original[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() > 200 {
        format!("{}…", first_chars(&text, 200))
    } else {
        text
    }
}

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str, quote: &str) -> Result<(), Mismatch> {
        Folded::new(source).find(quote, source)
    }

    #[test]
    fn typography_is_forgiven() {
        let src = "China\u{2019}s support \u{2014} \u{201C}firm\u{201D}\u{00A0}and  co\u{00AD}operation,\u{201D} he said.";
        assert!(check(src, "China's support - \"firm\" and cooperation.").is_ok());
        assert!(check(src, "support — “firm”").is_ok());
    }

    #[test]
    fn omissions_keep_order() {
        let src = "We will build roads, bridges and ports across the region by 2030.";
        assert!(check(src, "We will build roads … by 2030").is_ok());
        assert!(check(src, "We will build roads [...] ports").is_ok());
        assert!(check(src, "by 2030 … We will build").is_err());
    }

    #[test]
    fn words_are_not_forgiven() {
        let src = "Azerbaijan supports China's chairmanship of the SCO.";
        let m = check(src, "Azerbaijan supports China's presidency of the SCO").unwrap_err();
        assert_eq!(m.agreed, "Azerbaijan supports China's ");
        assert!(m.quote_has.starts_with("presidency"));
        assert!(m.source_has.starts_with("chairmanship"));
        assert!(m.passage.contains("chairmanship"), "{m:?}");
        assert!(check(src, "supports china's").is_err(), "case counts");
        assert!(
            check(src, "ports China's").is_err(),
            "a match starts at a word"
        );
    }

    #[test]
    fn an_unrelated_quote_shows_the_closest_passage() {
        let src = "First paragraph about trade.\n\nThe sides agreed to expand energy cooperation next year.";
        let m = check(src, "Both sides agreed to expand energy ties").unwrap_err();
        assert!(m.passage.contains("agreed to expand energy"), "{m:?}");
    }
}
