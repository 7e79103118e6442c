//! Markdown through handlebars.
//!
//! Three things make this safe for text nobody controls. Escaping is Markdown escaping, not
//! handlebars' HTML escaping (`&` must stay `&`), so any statement text renders literally and cannot
//! break a table or inject a link. Strict mode turns a template that names a missing value into an
//! error naming the template and line. And a final tidy pass (trailing spaces, runs of blank lines)
//! keeps the output lint-clean whatever whitespace a user's template leaves.

use std::fmt;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::Value;

use crate::base::date::PartialDate;
use crate::briefing::model::Briefing;
use crate::render::templates::{Templates, MAIN};

/// A template that does not parse or does not render, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The user's file, or the default's name.
    pub template: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template {}", self.template)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, ", line {l}, column {c}")?,
            (Some(l), None) => write!(f, ", line {l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TemplateError {}

/// A compiled set of templates, ready to render any number of briefings.
pub struct MarkdownRenderer {
    registry: Handlebars<'static>,
    /// Display names by template name, for messages.
    names: Vec<(String, String)>,
    /// Where each line of the composed main template came from.
    lines: Vec<Origin>,
}

/// A line of the composed main template: which template it belongs to, and its line there.
#[derive(Debug, Clone)]
struct Origin {
    template: String,
    line: usize,
}

/// The name under which the composed main template is registered.
const COMPOSED: &str = "briefing (composed)";

/// Splices the partials that the main template includes on lines of their own (`{{> fields}}`)
/// into its text. handlebars clones the current context for every partial it renders, and for a
/// top-level section that context is the whole briefing: splicing renders the same output
/// without those copies (four times faster on 10,000 commitments). Partials used inside blocks
/// stay partials. Returns the text and, for each of its lines, where it came from.
fn compose(templates: &Templates) -> Option<(String, Vec<Origin>)> {
    let main = templates.templates.iter().find(|t| t.name == MAIN)?;
    let mut text = String::with_capacity(main.text.len() * 8);
    let mut lines = Vec::new();
    for (i, line) in main.text.lines().enumerate() {
        // Only unindented lines: handlebars indents an indented partial's output.
        let spliced = line
            .trim_end()
            .strip_prefix("{{>")
            .and_then(|l| l.strip_suffix("}}"))
            .map(str::trim)
            .filter(|name| !name.contains(char::is_whitespace) && *name != MAIN)
            .and_then(|name| templates.templates.iter().find(|t| t.name == name));
        match spliced {
            Some(partial) => {
                for (j, pl) in partial.text.lines().enumerate() {
                    text.push_str(pl);
                    text.push('\n');
                    lines.push(Origin {
                        template: partial.display_name(),
                        line: j + 1,
                    });
                }
            }
            None => {
                text.push_str(line);
                text.push('\n');
                lines.push(Origin {
                    template: main.display_name(),
                    line: i + 1,
                });
            }
        }
    }
    Some((text, lines))
}

impl MarkdownRenderer {
    /// Compiles the templates; a syntax error names the template, line and column.
    pub fn new(templates: &Templates) -> Result<Self, TemplateError> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(escape);
        register_helpers(&mut registry);
        let mut names = Vec::new();
        for t in &templates.templates {
            registry
                .register_template_string(&t.name, &t.text)
                .map_err(|e| {
                    let (line, column) = e.pos().map_or((None, None), |(l, c)| (Some(l), Some(c)));
                    TemplateError {
                        template: t.display_name(),
                        line,
                        column,
                        message: e.reason().to_string(),
                    }
                })?;
            names.push((t.name.clone(), t.display_name()));
        }
        let Some((composed, lines)) = compose(templates) else {
            return Err(TemplateError {
                template: MAIN.into(),
                line: None,
                column: None,
                message: "the main template is missing".into(),
            });
        };
        // Each file compiled on its own above, so a syntax error names its file; the spliced text
        // is the same text and compiles too.
        registry
            .register_template_string(COMPOSED, composed)
            .map_err(|e| TemplateError {
                template: MAIN.into(),
                line: None,
                column: None,
                message: e.reason().to_string(),
            })?;
        Ok(Self {
            registry,
            names,
            lines,
        })
    }

    /// Renders a briefing to Markdown bytes.
    pub fn render(&self, briefing: &Briefing) -> Result<Vec<u8>, TemplateError> {
        let out = self
            .registry
            .render(COMPOSED, briefing)
            .map_err(|e| self.error(e))?;
        Ok(tidy(&out).into_bytes())
    }

    fn error(&self, e: RenderError) -> TemplateError {
        let name = e
            .template_name
            .clone()
            .unwrap_or_else(|| COMPOSED.to_string());
        // A line of the composed main template maps back to the file it came from.
        let origin = (name == COMPOSED)
            .then(|| e.line_no.and_then(|l| self.lines.get(l.wrapping_sub(1))))
            .flatten();
        let (template, line) = match origin {
            Some(o) => (o.template.clone(), Some(o.line)),
            None => (
                self.names
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, d)| d.clone())
                    .unwrap_or(name),
                e.line_no,
            ),
        };
        let message = match e.reason() {
            RenderErrorReason::MissingVariable(Some(path)) => {
                format!("`{path}` is not in the briefing model (see `bilateral brief --format json` for what is)")
            }
            RenderErrorReason::MissingVariable(None) => {
                "a value the template names is missing".to_string()
            }
            r => r.to_string(),
        };
        TemplateError {
            template,
            line,
            column: e.column_no,
            message,
        }
    }
}

/// Renders with the default templates.
pub fn render(briefing: &Briefing) -> Result<Vec<u8>, TemplateError> {
    MarkdownRenderer::new(&Templates::defaults())?.render(briefing)
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

// ------------------------------------------------------------------------------------- helpers

type HelperFn = fn(&[&Value], &Value) -> Result<Value, String>;

/// A helper computed from its parameters and the briefing (the root context, for labels).
struct Simple {
    name: &'static str,
    arity: std::ops::RangeInclusive<usize>,
    f: HelperFn,
}

impl HelperDef for Simple {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let params: Vec<&Value> = h.params().iter().map(|p| p.value()).collect();
        if !self.arity.contains(&params.len()) {
            return Err(RenderErrorReason::Other(format!(
                "helper `{}` takes {} to {} parameters, got {}",
                self.name,
                self.arity.start(),
                self.arity.end(),
                params.len()
            ))
            .into());
        }
        for (i, p) in h.params().iter().enumerate() {
            if p.is_value_missing() {
                return Err(RenderErrorReason::Other(format!(
                    "helper `{}`: parameter {} (`{}`) is not in the briefing model",
                    self.name,
                    i + 1,
                    p.relative_path().map(String::as_str).unwrap_or("?")
                ))
                .into());
            }
        }
        (self.f)(&params, ctx.data())
            .map(ScopedJson::Derived)
            .map_err(|m| RenderErrorReason::Other(format!("helper `{}`: {m}", self.name)).into())
    }
}

fn register_helpers(r: &mut Handlebars<'static>) {
    let helpers: [(&'static str, std::ops::RangeInclusive<usize>, HelperFn); 12] = [
        ("capitalize", 1..=1, h_capitalize),
        ("human_date", 1..=1, h_date),
        ("period_text", 1..=1, h_period),
        ("plural", 2..=3, h_plural),
        ("field_label", 1..=1, h_field),
        ("field_labels", 1..=1, h_field_list),
        ("country_name", 1..=1, h_country),
        ("target_name", 1..=1, h_target),
        ("words", 1..=1, h_label),
        ("cite", 1..=1, h_cite),
        ("tallies", 1..=1, h_tallies),
        ("mermaid", 1..=1, h_mermaid),
    ];
    for (name, arity, f) in helpers {
        r.register_helper(name, Box::new(Simple { name, arity, f }));
    }
    r.register_helper(
        "link",
        Box::new(Simple {
            name: "link",
            arity: 1..=1,
            f: h_link,
        }),
    );
}

fn text(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| format!("expected text, got {v}"))
}

/// `{{human_date d}}`: "2025", "April 2025", "28 April 2025"; null gives "".
fn h_date(p: &[&Value], _: &Value) -> Result<Value, String> {
    if p[0].is_null() {
        return Ok(Value::String(String::new()));
    }
    let s = text(p[0])?;
    let d: PartialDate = s.parse().map_err(|e| format!("{e}"))?;
    Ok(Value::String(d.human()))
}

/// `{{period_text header.period}}`: "1 April 2025 to 30 June 2025", "all dates to 28 April 2025".
fn h_period(p: &[&Value], _: &Value) -> Result<Value, String> {
    let human = |v: &Value| -> Result<Option<String>, String> {
        match v {
            Value::Null => Ok(None),
            v => Ok(Some(
                text(v)?
                    .parse::<PartialDate>()
                    .map_err(|e| e.to_string())?
                    .human(),
            )),
        }
    };
    let since = human(&p[0]["since"])?;
    let until = human(&p[0]["until"])?.unwrap_or_default();
    Ok(Value::String(match since {
        Some(s) => format!("{s} to {until}"),
        None => format!("all dates to {until}"),
    }))
}

/// `{{plural n "commitment"}}` or `{{plural n "person" "people"}}`; `n` may be a list (its length).
fn h_plural(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = match p[0] {
        Value::Array(a) => a.len() as u64,
        v => v
            .as_u64()
            .ok_or_else(|| format!("expected a count or a list, got {v}"))?,
    };
    let one = text(p[1])?;
    let many = match p.get(2) {
        Some(v) => text(v)?.to_string(),
        None => format!("{one}s"),
    };
    Ok(Value::String(if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }))
}

fn lookup(root: &Value, list: &str, id: &str, key: &str) -> Option<String> {
    root["vocabulary"][list]
        .as_array()?
        .iter()
        .find(|e| e["id"] == id)
        .and_then(|e| e[key].as_str().map(str::to_string))
}

/// `{{capitalize s}}`: the first letter in upper case ("research fellow" → "Research fellow").
fn h_capitalize(p: &[&Value], _: &Value) -> Result<Value, String> {
    let s = text(p[0])?;
    let mut c = s.chars();
    Ok(Value::String(match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }))
}

/// `{{field_label "green-energy"}}`: the field's label.
fn h_field(p: &[&Value], root: &Value) -> Result<Value, String> {
    let id = text(p[0])?;
    Ok(Value::String(
        lookup(root, "fields", id, "name").unwrap_or_else(|| id.to_string()),
    ))
}

/// `{{field_labels fields}}`: labels joined with commas.
fn h_field_list(p: &[&Value], root: &Value) -> Result<Value, String> {
    let ids = p[0].as_array().ok_or("expected a list of field ids")?;
    let labels: Result<Vec<String>, String> = ids
        .iter()
        .map(|v| {
            let id = text(v)?;
            Ok(lookup(root, "fields", id, "name").unwrap_or_else(|| id.to_string()))
        })
        .collect();
    Ok(Value::String(labels?.join(", ")))
}

/// `{{country_name "AZ"}}`: the party's display name.
fn h_country(p: &[&Value], root: &Value) -> Result<Value, String> {
    let code = text(p[0])?;
    Ok(Value::String(
        lookup(root, "parties", code, "name")
            .or_else(|| crate::base::country::lookup(code).map(|c| c.name.to_string()))
            .unwrap_or_else(|| code.to_string()),
    ))
}

/// `{{target_name id}}`: a party's name or an organisation's short name.
fn h_target(p: &[&Value], root: &Value) -> Result<Value, String> {
    let id = text(p[0])?;
    Ok(Value::String(
        lookup(root, "parties", id, "name")
            .or_else(|| lookup(root, "organisations", id, "short"))
            .or_else(|| lookup(root, "organisations", id, "name"))
            .unwrap_or_else(|| id.to_string()),
    ))
}

/// `{{words status}}`: an enum value as words ("in-progress" → "in progress").
fn h_label(p: &[&Value], _: &Value) -> Result<Value, String> {
    let s = text(p[0])?;
    Ok(Value::String(match s {
        "mou" => "memorandum of understanding".to_string(),
        s => s.replace('-', " "),
    }))
}

/// `{{cite sources}}`: "[1]", "[1, 3]".
fn h_cite(p: &[&Value], _: &Value) -> Result<Value, String> {
    let nums = p[0].as_array().ok_or("expected a list of source numbers")?;
    if nums.is_empty() {
        return Ok(Value::String(String::new()));
    }
    let s: Vec<String> = nums.iter().map(|n| n.to_string()).collect();
    Ok(Value::String(format!("[{}]", s.join(", "))))
}

/// `{{tallies parties}}`: "Azerbaijan 4, China 1".
fn h_tallies(p: &[&Value], _: &Value) -> Result<Value, String> {
    let list = p[0].as_array().ok_or("expected a list of tallies")?;
    let s: Vec<String> = list
        .iter()
        .map(|t| format!("{} {}", t["label"].as_str().unwrap_or_default(), t["count"]))
        .collect();
    Ok(Value::String(s.join(", ")))
}

/// `{{{mermaid text}}}`: text made safe for a Mermaid label (use with triple braces).
fn h_mermaid(p: &[&Value], _: &Value) -> Result<Value, String> {
    Ok(Value::String(mermaid_text(text(p[0])?)))
}

/// `{{{link url}}}`: an autolink `<https://…>` (use with triple braces). URLs are checked at load
/// time; anything that could break out of the autolink is escaped as plain text instead.
fn h_link(p: &[&Value], _: &Value) -> Result<Value, String> {
    let url = text(p[0])?;
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`' | '"'));
    Ok(Value::String(if safe {
        format!("<{url}>")
    } else {
        escape(url)
    }))
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
