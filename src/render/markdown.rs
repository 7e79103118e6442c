//! Markdown text: escaping for text nobody controls, Mermaid labels, and the final tidy pass
//! (trailing spaces, runs of blank lines) that keeps the output lint-clean whatever whitespace a
//! user's template leaves. The briefing itself is worded by the templates (`engine`).

use crate::briefing::model::Briefing;
use crate::render::engine::{TemplateEngine, TemplateError};
use crate::render::templates::Templates;

/// Renders with the default templates.
pub fn render(briefing: &Briefing) -> Result<Vec<u8>, TemplateError> {
    Ok(TemplateEngine::new(&Templates::defaults())?
        .markdown(briefing)?
        .into_bytes())
}

/// Escapes text for an inline Markdown context (a paragraph, a list item, a table cell) so that
/// it renders literally: no emphasis, links, HTML, headings, list markers or table breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let chars: Vec<char> = s.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // An entity (`&amp;`, `&#169;`) would be decoded; a lone `&` is fine as it is.
            '&' if is_entity(&chars[i + 1..]) => out.push_str("\\&"),
            // Line breaks would end a table row or a list item: keep the text on one line.
            '\r' | '\n' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                if c == '\r' && chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
            }
            c if c.is_control() => out.push('\u{FFFD}'),
            // GitHub turns `https://…` and `www.…` in plain text into links (and markdownlint
            // flags them as bare URLs); an escaped `:` or `.` keeps them text.
            ':' if chars[i + 1..].starts_with(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www")
                && (i == 3 || !chars[i - 4].is_alphanumeric()) =>
            {
                out.push_str("\\.")
            }
            c => out.push(c),
        }
        i += 1;
    }
    // Constructs that only mean something at the start of a line: list markers, ordered-list
    // numbers, setext underlines.
    if let Some(first) = out.chars().next() {
        if matches!(first, '-' | '+' | '=') {
            out.insert(0, '\\');
        } else if first.is_ascii_digit() {
            let digits = out.chars().take_while(char::is_ascii_digit).count();
            if let Some(next @ ('.' | ')')) = out[digits..].chars().next() {
                out.replace_range(digits..digits + 1, &format!("\\{next}"));
            }
        }
    }
    out
}

fn is_entity(rest: &[char]) -> bool {
    let n = rest
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    n > 0 && rest.get(n) == Some(&';')
}

/// Text for a Mermaid label: Mermaid has its own syntax (`:` separates events, `#` and `;` are
/// special) and no escaping that every renderer honours, so those characters are replaced.
pub fn mermaid_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ':' | ';' | '#' | '`' | '"' | '<' | '>' | '{' | '}' | '%' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Trailing spaces go, runs of blank lines become one, and the text ends in one newline.
pub fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_not_html() {
        assert_eq!(escape("R&D"), "R&D");
        assert_eq!(escape("&amp; &#169;"), "\\&amp; \\&\\#169;");
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("<script>x</script>"), "\\<script\\>x\\</script\\>");
        assert_eq!(escape("[x](y)"), "\\[x\\](y)");
        assert_eq!(
            escape("*bold* _it_ `code`"),
            "\\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(escape("# head"), "\\# head");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("1. item"), "1\\. item");
        assert_eq!(escape("2025) x"), "2025\\) x");
        assert_eq!(escape("line\nbreak\r\nthere"), "line break there");
        assert_eq!(escape("Bakı ə ğ ş — “q”"), "Bakı ə ğ ş — “q”");
        assert_eq!(
            escape("see https://x.org or www.y.org"),
            "see https\\://x.org or www\\.y.org"
        );
    }

    #[test]
    fn tidy_output() {
        assert_eq!(tidy("a  \n\n\n\nb\n\n"), "a\n\nb\n");
        assert_eq!(tidy("\n\na"), "a\n");
    }

    #[test]
    fn mermaid_labels() {
        assert_eq!(mermaid_text("A: b; #c\nd"), "A b c d");
    }
}
