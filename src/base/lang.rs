//! Language tags (BCP 47), parsed by ICU4X's `icu_locale_core`, already in the tree through `url`,
//! rather than by a hand-written pattern: `zh-Hans-CN`, `sr-Latn`, `de-CH-1996` and `en-u-ca-gregory`
//! are tags, `english`, `en_` and `zh--Hans` are not.

use icu_locale_core::Locale;

/// Whether `s` is a well-formed BCP 47 language tag.
pub fn is_tag(s: &str) -> bool {
    Locale::try_from_str(s).is_ok()
}

/// A tag's language subtag, lower case ("en-GB" → "en", "zh_Hans" → "zh"); a string that is not
/// a tag gives its text up to the first `-` or `_`, lower case.
pub fn primary(s: &str) -> String {
    match Locale::try_from_str(&s.replace('_', "-")) {
        Ok(l) => l.id.language.as_str().to_string(),
        Err(_) => s.split(['-', '_']).next().unwrap_or(s).to_lowercase(),
    }
}

/// Whether a character is written without spaces around it: Han ideographs, kana, CJK
/// punctuation and full-width forms. Chinese and Japanese text breaks lines between them, and a
/// line break in the source between two of them is no space.
pub fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{303f}' | '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ffef}' | '\u{20000}'..='\u{3134f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_by_bcp_47() {
        for ok in [
            "en",
            "az",
            "zh-Hans",
            "zh-Hans-CN",
            "sr-Latn",
            "de-CH-1996",
            "en-u-ca-gregory",
            "az-Latn-AZ",
        ] {
            assert!(is_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "english language",
            "english",
            "en_",
            "zh--Hans",
            "e",
            "en-",
        ] {
            assert!(!is_tag(bad), "{bad}");
        }
        assert_eq!(primary("en-GB"), "en");
        assert_eq!(primary("ZH_Hans"), "zh");
        assert_eq!(primary("??"), "??");
    }
}
