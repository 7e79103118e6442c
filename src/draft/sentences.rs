//! An article's text → sentences, each with its span and whether it is quoted speech.
//!
//! A sentence ends at `.`, `!` or `?` (with any closing quote or bracket) before white space and
//! a capital, a digit or an opening quote, unless the word before is an abbreviation ("U.S.",
//! "Mr.", "Dec.") or an initial. Paragraphs (blank-line separated) always end a sentence.

/// One sentence of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the article's text.
    pub start: usize,
    pub end: usize,
    /// Index of its paragraph.
    pub paragraph: usize,
    /// Inside quotation marks (a speaker's words).
    pub quoted: bool,
}

const ABBREVIATIONS: [&str; 36] = [
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "gen", "lt", "col", "jr", "sr", "inc", "ltd", "co",
    "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "h.e",
];

/// Splits `text` into sentences.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (p, para) in text.split("\n\n").enumerate() {
        split_paragraph(para, offset, p, &mut out);
        offset += para.len() + 2;
    }
    out
}

fn split_paragraph(para: &str, offset: usize, paragraph: usize, out: &mut Vec<Sentence>) {
    let mut start = 0;
    let mut quoted = false;
    let mut quoted_at_start = false;
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            '“' | '«' => quoted = true,
            '”' | '»' => quoted = false,
            '"' => quoted = !quoted,
            '.' | '!' | '?' if ends_sentence(para, &chars, i) => {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | ')' | '»' | '\'')
                {
                    if matches!(chars[j].1, '”' | '»' | '"') {
                        quoted = false;
                    }
                    j += 1;
                }
                let end = chars.get(j).map_or(para.len(), |c| c.0);
                push(para, offset, paragraph, start, end, quoted_at_start, out);
                start = end;
                i = j;
                quoted_at_start = quoted;
                continue;
            }
            _ => {}
        }
        if at == start || para[start..at].trim().is_empty() {
            quoted_at_start = quoted;
        }
        i += 1;
    }
    push(
        para,
        offset,
        paragraph,
        start,
        para.len(),
        quoted_at_start,
        out,
    );
}

fn push(
    para: &str,
    offset: usize,
    paragraph: usize,
    start: usize,
    end: usize,
    quoted: bool,
    out: &mut Vec<Sentence>,
) {
    let s = &para[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if s.trim().is_empty() {
        return;
    }
    out.push(Sentence {
        start: offset + start + lead,
        end: offset + end - trail,
        paragraph,
        quoted,
    });
}

/// Whether the punctuation at `chars[i]` ends a sentence.
fn ends_sentence(para: &str, chars: &[(usize, char)], i: usize) -> bool {
    let mut j = i + 1;
    while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | ')' | '»' | '\'') {
        j += 1;
    }
    if j >= chars.len() {
        return true;
    }
    if !chars[j].1.is_whitespace() {
        return false;
    }
    let next = chars[j..].iter().map(|c| c.1).find(|c| !c.is_whitespace());
    let starts = next
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || matches!(c, '“' | '"' | '«' | '‘'));
    if !starts || chars[i].1 != '.' {
        return starts;
    }
    let word_start = para[..chars[i].0]
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |k| k + 1);
    let word = para[word_start..chars[i].0].to_lowercase();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    !(initial || ABBREVIATIONS.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t).iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn splits_at_sentence_ends_only() {
        let t = "BAKU, Azerbaijan, April 28. The U.S. and Mr. Li met. “We agree. We will act,” he said.\n\nNew one";
        assert_eq!(
            texts(t),
            vec![
                "BAKU, Azerbaijan, April 28.",
                "The U.S. and Mr. Li met.",
                "“We agree.",
                "We will act,” he said.",
                "New one"
            ]
        );
        let s = split(t);
        assert!(!s[1].quoted && s[2].quoted && s[3].quoted);
    }
}
