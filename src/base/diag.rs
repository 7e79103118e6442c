//! Diagnostics in the style of rustc: what is wrong, where (file, line, column, with the line and a
//! caret under the value), and what to do about it.
//!
//! A diagnostic carries its own copy of the offending line, so it can be printed long after the
//! source text is gone and compared in snapshot tests without touching the disk.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file: 1-based line and column (in characters), and the line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// How many characters the caret covers (at least one).
    pub width: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub location: Option<Box<Location>>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            location: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points at a byte range of `src`.
    pub fn at_span(mut self, src: &str, span: Range<usize>) -> Self {
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.min(src.len())).max(start);
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let line = src[..start].matches('\n').count() + 1;
        let column = src[line_start..start].chars().count() + 1;
        let width = src[start..end.min(line_end)].chars().count().max(1);
        self.location = Some(Box::new(Location {
            line,
            column,
            width,
            text: src[line_start..line_end].trim_end_matches('\r').to_string(),
        }));
        self
    }

    /// Points at a 1-based line and column, as serde_json reports them.
    pub fn at_line_col(self, src: &str, line: usize, column: usize) -> Self {
        let mut offset = 0;
        for (i, l) in src.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let col_bytes: usize = l
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                offset += col_bytes;
                return self.at_span(src, offset..offset);
            }
            offset += l.len();
        }
        self.at_span(src, src.len()..src.len())
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Makes a line printable: tabs become spaces and control characters a visible `?`, so the caret
/// lines up and a hostile file cannot drive the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() || is_bidi_control(c) => '?',
            c => c,
        })
        .collect()
}

/// Right-to-left marks and embeddings, which can make a printed line read differently from its bytes.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{word}: ")?;
        self.fmt_body(f)
    }
}

impl Diagnostic {
    /// The report without its first word ("error", "warning"): the message, where, and the help,
    /// for a logger that writes the word itself.
    pub fn body(&self) -> String {
        struct Body<'a>(&'a Diagnostic);
        impl fmt::Display for Body<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt_body(f)
            }
        }
        Body(self).to_string()
    }

    fn fmt_body(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", printable(&self.message))?;
        let pad = " ".repeat(
            self.location
                .as_ref()
                .map_or(1, |l| l.line.to_string().len()),
        );
        match &self.location {
            Some(loc) => {
                writeln!(
                    f,
                    "{pad}--> {}:{}:{}",
                    printable(&self.file.display().to_string()),
                    loc.line,
                    loc.column
                )?;
                writeln!(f, "{pad} |")?;
                let text = printable(&loc.text);
                // Very long lines (minified JSON) are cut around the caret.
                let (shown, col) = window(&text, loc.column);
                writeln!(f, "{} | {}", loc.line, shown)?;
                let (indent, width) = caret(&shown, col, loc.width);
                writeln!(f, "{pad} | {}{}", " ".repeat(indent), "^".repeat(width))?;
            }
            None => writeln!(
                f,
                "{pad}--> {}",
                printable(&self.file.display().to_string())
            )?,
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// Where the caret starts and how wide it is, in terminal columns: a Chinese character takes two,
/// a combining mark none. `col` (1-based) and `chars` count characters.
fn caret(shown: &str, col: usize, chars: usize) -> (usize, usize) {
    let before: String = shown.chars().take(col - 1).collect();
    let covered: String = shown.chars().skip(col - 1).take(chars.max(1)).collect();
    (before.width(), covered.width().max(1))
}

/// At most 100 characters of a line, keeping the column in view; returns the text and the new column.
fn window(text: &str, column: usize) -> (String, usize) {
    const MAX: usize = 100;
    let n = text.chars().count();
    if n <= MAX {
        return (text.to_string(), column.min(n + 1).max(1));
    }
    let start = column.saturating_sub(MAX / 2).min(n.saturating_sub(MAX));
    let body: String = text.chars().skip(start).take(MAX).collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if start + MAX < n { "…" } else { "" };
    (
        format!("{prefix}{body}{suffix}"),
        column - start + prefix.chars().count(),
    )
}

/// Everything a run found, in the order files were read.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// Orders by file, then by line, keeping the order of diagnostics on the same line.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            a.file.cmp(&b.file).then_with(|| {
                a.location
                    .as_ref()
                    .map(|l| l.line)
                    .cmp(&b.location.as_ref().map(|l| l.line))
            })
        });
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_value() {
        let src = "id = \"a\"\ncode = \"XX\"\n";
        let d = Diagnostic::error("m.toml", "unknown country code `XX`")
            .at_span(src, 16..20)
            .help("use an ISO 3166-1 alpha-2 code");
        assert_eq!(
            d.to_string(),
            "error: unknown country code `XX`\n --> m.toml:2:8\n  |\n2 | code = \"XX\"\n  |        ^^^^\n  = help: use an ISO 3166-1 alpha-2 code\n"
        );
    }

    #[test]
    fn caret_counts_terminal_columns_under_wide_characters() {
        // Two Chinese characters take four columns, so the caret starts four columns later
        // than their count, and covers the wide value with two carets per character.
        let src = "name = \"中国\" code = \"上合\"\n";
        let start = src.find("\"上合").unwrap();
        let d = Diagnostic::error("m.toml", "m").at_span(src, start..start + "\"上合\"".len());
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[3], "1 | name = \"中国\" code = \"上合\"");
        assert_eq!(lines[4], format!("  | {}^^^^^^", " ".repeat(21)));
        assert!(shown.contains("m.toml:1:20"), "{shown}");
    }

    #[test]
    fn line_col_and_multibyte() {
        let src = "{\n  \"t\": \"Bakı ə\", \"x\": 1\n}";
        let d = Diagnostic::error("d.json", "m").at_line_col(src, 2, 17);
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 17));
    }
}
