//! The compiled templates: one set renders the Markdown briefing, the email's plain text and the
//! HTML page around the briefing.
//!
//! Three things make this safe for text nobody controls. Escaping in the Markdown templates is
//! Markdown escaping, not handlebars' HTML escaping (`&` must stay `&`), so any statement text
//! renders literally and cannot break a table or inject a link; plain-text templates are not
//! escaped, and the HTML page escapes as HTML. Strict mode turns a template that names a missing
//! value into an error naming the template and line.

use std::fmt;
use std::sync::{Arc, OnceLock};

use handlebars::template::Template as Compiled;
use handlebars::{Handlebars, RenderError, RenderErrorReason};
use serde::Serialize;

use crate::briefing::model::Briefing;
use crate::render::bounds::{self, Capped, Overflow};
use crate::render::helpers::register_helpers;
use crate::render::ledger::Words;
use crate::render::markdown::{escape, tidy};
use crate::render::speech::Speech;
use crate::render::templates::{
    Kind, Template, Templates, EMAIL_BODY, EMAIL_SUBJECT, LEDGER, MAIN, PAGE,
};
use crate::render::Format;

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

impl TemplateError {
    fn whole(template: &str, message: impl Into<String>) -> Self {
        Self {
            template: template.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// A set of templates, ready to render any number of briefings. Each of its three registries
/// (Markdown, plain text, HTML) is compiled on first use, every file once, so a request pays only
/// for the formats it asks for (`--format json` compiles nothing); [`TemplateEngine::new`]
/// compiles them all at once, for a server or a scheduler that will use them all and should
/// report a broken template before its first request.
pub struct TemplateEngine {
    templates: Templates,
    /// Markdown templates, Markdown-escaped, with the composed main template.
    markdown: OnceLock<Result<MarkdownSet, TemplateError>>,
    /// Plain-text templates with the Markdown partials, unescaped (the email).
    text: OnceLock<Result<Handlebars<'static>, TemplateError>>,
    /// The HTML templates, HTML-escaped.
    html: OnceLock<Result<Handlebars<'static>, TemplateError>>,
    /// Display names by template name, for messages.
    names: Vec<(String, String)>,
    /// The ledger spreadsheet's words (`ledger.toml`).
    ledger: Words,
    /// The reader's language and the helpers' words (`words.toml`).
    speech: Arc<Speech>,
}

/// The Markdown registry and, for each line of the composed main template, where it came from.
struct MarkdownSet {
    registry: Handlebars<'static>,
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

/// Splices the partials that the main template includes on lines of their own (`{{> fields}}`),
/// and those that these include in turn at the top level, into its text. handlebars clones the
/// current context for every partial it renders, and for a top-level section that context is the
/// whole briefing: splicing renders the same output without those copies (four times faster on
/// 10,000 commitments). Partials used inside blocks stay partials. Returns the text and, for each
/// of its lines, where it came from.
///
/// The text comes in pieces, each a run of the main template's lines that closes every block it
/// opens, compiled one by one and joined ([`compile_composed`]). Stock handlebars found each
/// token's line by counting from the start of the text, so compiling 20 KB at once cost the
/// square of its length, which the pieces kept small; the vendored copy compiles in linear time
/// (vendor/handlebars), and compiling in pieces costs it nothing more.
fn compose(templates: &Templates) -> Option<(Vec<String>, Vec<Origin>)> {
    let markdown: Vec<&Template> = templates.of_kind(Kind::Markdown).collect();
    let main = *markdown.iter().find(|t| t.name == MAIN)?;
    let mut pieces = Vec::new();
    let mut lines = Vec::new();
    let mut text = String::new();
    let mut depth: i64 = 0;
    for (i, line) in main.text.lines().enumerate() {
        splice_line(main, (i, line), &markdown, 0, &mut text, &mut lines);
        depth += block_depth_change(line);
        if depth <= 0 {
            pieces.push(std::mem::take(&mut text));
            depth = 0;
        }
    }
    if !text.is_empty() {
        pieces.push(text);
    }
    Some((pieces, lines))
}

/// How many blocks a line of a template opens, less those it closes.
fn block_depth_change(line: &str) -> i64 {
    let count =
        |marks: &[&str]| -> i64 { marks.iter().map(|m| line.matches(m).count() as i64).sum() };
    count(&["{{#", "{{~#", "{{^", "{{~^"]) - count(&["{{/", "{{~/"])
}

/// Compiles the composed pieces and joins them into one template, each element keeping its line
/// in the whole text.
fn compile_composed(pieces: &[String]) -> Result<handlebars::Template, handlebars::TemplateError> {
    let mut whole = handlebars::Template::compile("")?;
    whole.name = Some(COMPOSED.to_string());
    let mut offset = 0;
    for piece in pieces {
        let mut t = handlebars::Template::compile(piece)?;
        for m in &mut t.mapping {
            m.0 += offset;
        }
        whole.elements.append(&mut t.elements);
        whole.mapping.append(&mut t.mapping);
        offset += piece.lines().count();
    }
    Ok(whole)
}

/// The deepest that top-level partials are spliced (a partial that includes itself stays a
/// partial, and handlebars reports it).
const SPLICE_DEPTH: usize = 4;

fn splice(
    template: &Template,
    markdown: &[&Template],
    depth: usize,
    text: &mut String,
    lines: &mut Vec<Origin>,
) {
    for numbered in template.text.lines().enumerate() {
        splice_line(template, numbered, markdown, depth, text, lines);
    }
}

/// One line of `template` (its index and text): the partial it names on its own, spliced, or the
/// line itself.
fn splice_line(
    template: &Template,
    (i, line): (usize, &str),
    markdown: &[&Template],
    depth: usize,
    text: &mut String,
    lines: &mut Vec<Origin>,
) {
    // Only unindented lines: handlebars indents an indented partial's output.
    let spliced = line
        .trim_end()
        .strip_prefix("{{>")
        .and_then(|l| l.strip_suffix("}}"))
        .map(str::trim)
        .filter(|name| !name.contains(char::is_whitespace) && *name != MAIN)
        .filter(|_| depth < SPLICE_DEPTH)
        .and_then(|name| markdown.iter().find(|t| t.name == name));
    match spliced {
        Some(partial) => splice(partial, markdown, depth + 1, text, lines),
        None => {
            text.push_str(line);
            text.push('\n');
            lines.push(Origin {
                template: template.display_name(),
                line: i + 1,
            });
        }
    }
}

/// The Markdown templates with every one-line (inline) partial written into the templates that
/// name it as `{{> name}}`: a partial clones its context, and `who` is named once per
/// commitment. The text of a line does not move to another line, so errors keep their line.
/// The longest one-line partial written into the templates that use it. A longer one stays a
/// partial: every inlined copy is compiled again on every run, while a partial call costs little
/// in the lists a briefing prints.
const INLINE_MAX: usize = 200;

fn inline_short_partials(templates: &Templates) -> Vec<Template> {
    let markdown: Vec<&Template> = templates.of_kind(Kind::Markdown).collect();
    let short: Vec<(String, &str)> = markdown
        .iter()
        .filter(|t| t.name != MAIN && t.text.len() <= INLINE_MAX && !t.text.contains('\n'))
        .map(|t| (format!("{{{{> {}}}}}", t.name), t.text.as_str()))
        .collect();
    markdown
        .into_iter()
        .map(|t| {
            let mut t = t.clone();
            for _ in 0..SPLICE_DEPTH {
                let before = t.text.len();
                for (call, body) in &short {
                    if t.text.contains(call.as_str()) {
                        t.text = t.text.replace(call.as_str(), body);
                    }
                }
                if t.text.len() == before {
                    break;
                }
            }
            t
        })
        .collect()
}

fn registry(escape_fn: Option<fn(&str) -> String>, speech: &Arc<Speech>) -> Handlebars<'static> {
    let mut r = Handlebars::new();
    r.set_strict_mode(true);
    match escape_fn {
        Some(f) => r.register_escape_fn(f),
        None => r.register_escape_fn(handlebars::no_escape),
    }
    register_helpers(&mut r, speech);
    r
}

/// HTML escaping for text and double- or single-quoted attribute values: `&`, `<`, `>`, `"` and
/// `'`. (handlebars' own also escapes `=` and `` ` ``, which turns every link's query into
/// `&#x3D;` noise without making anything safer inside quotes.)
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// The most a render may write: 64 MiB, and 64 KiB more per commitment, source and view of the
/// briefing (the full example writes 9 KiB in all); and the longest it may take: 5 s, and 1 ms
/// more per item (the full example takes about 2 ms, 2,000 commitments 0.24 s). Passing either
/// means a template multiplies.
fn ceiling(briefing: Option<&Briefing>) -> (usize, std::time::Duration) {
    let items = briefing.map_or(0, |b| {
        let c = &b.header.counts;
        c.commitments + c.sources + c.views
    });
    let bytes = (64 * 1024 * 1024usize).saturating_add(items.saturating_mul(64 * 1024));
    let millis = 5_000u64.saturating_add(items as u64);
    (bytes, std::time::Duration::from_millis(millis))
}

/// Compiles each template once (a syntax error names its file, line and column), then refuses
/// partials that include themselves among them: one registry's templates.
fn compile_group<'a>(
    group: &[&'a Template],
) -> Result<Vec<(&'a Template, Compiled)>, TemplateError> {
    let compiled = group
        .iter()
        .map(|t| {
            Compiled::compile_with_name(&t.text, t.name.clone())
                .map(|c| (*t, c))
                .map_err(|e| compile_error(t, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pairs: Vec<(&Template, &Compiled)> = compiled.iter().map(|(t, c)| (*t, c)).collect();
    bounds::check_recursion_compiled(&pairs)
        .map_err(|e| TemplateError::whole(&e.template, e.message))?;
    Ok(compiled)
}

/// A registry holding `compiled`.
fn registry_of(
    escape_fn: Option<fn(&str) -> String>,
    compiled: Vec<(&Template, Compiled)>,
    speech: &Arc<Speech>,
) -> Handlebars<'static> {
    let mut r = registry(escape_fn, speech);
    for (t, c) in compiled {
        r.register_template(&t.name, c);
    }
    r
}

/// The Markdown registry: every file, the short partials written into the templates that name
/// them, and the main template composed with its top-level partials. The files as written (for
/// their errors and the recursion check) compile on one core while the inlined and composed texts
/// compile on the other.
fn markdown_set(templates: &Templates, speech: &Arc<Speech>) -> Result<MarkdownSet, TemplateError> {
    let group: Vec<&Template> = templates.of_kind(Kind::Markdown).collect();
    let inlined = inline_short_partials(templates);
    let (originals, derived) = std::thread::scope(|scope| {
        let derived = scope.spawn(|| compile_derived(&group, &inlined));
        let originals = compile_group(&group);
        let derived = derived
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (originals, derived)
    });
    // An error in a file as written names its line there; report it first.
    let originals = originals?;
    let (changed, composed, lines) = derived?;
    let mut changed = changed.into_iter();
    let compiled = originals
        .into_iter()
        .map(|(t, original)| match changed.next().flatten() {
            Some(inlined) => (t, inlined),
            None => (t, original),
        })
        .collect();
    let mut registry = registry_of(Some(escape), compiled, speech);
    registry.register_template(COMPOSED, composed);
    Ok(MarkdownSet { registry, lines })
}

/// Compiled from the inlined texts: each template that changed (None for one that did not), and
/// the composed main template with where each of its lines came from.
type Derived = (Vec<Option<Compiled>>, Compiled, Vec<Origin>);

fn compile_derived(group: &[&Template], inlined: &[Template]) -> Result<Derived, TemplateError> {
    let changed = group
        .iter()
        .zip(inlined)
        .map(|(t, changed)| match changed.text == t.text {
            true => Ok(None),
            false => Compiled::compile_with_name(&changed.text, t.name.clone())
                .map(Some)
                .map_err(|e| compile_error(t, e)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let inlined = Templates {
        templates: inlined.to_vec(),
        images: Vec::new(),
        lang: String::new(),
        fallbacks: Vec::new(),
    };
    let Some((pieces, lines)) = compose(&inlined) else {
        return Err(TemplateError::whole(MAIN, "the main template is missing"));
    };
    let composed = compile_composed(&pieces)
        .map_err(|e| TemplateError::whole(MAIN, e.reason().to_string()))?;
    Ok((changed, composed, lines))
}

fn compile_error(t: &Template, e: handlebars::TemplateError) -> TemplateError {
    let (line, column) = e.pos().map_or((None, None), |(l, c)| (Some(l), Some(c)));
    TemplateError {
        template: t.display_name(),
        line,
        column,
        message: e.reason().to_string(),
    }
}

impl TemplateEngine {
    /// Compiles every template; a syntax error names the template, line and column.
    pub fn new(templates: &Templates) -> Result<Self, TemplateError> {
        let engine = Self::lazy(templates)?;
        engine.markdown_set()?;
        engine.text_registry()?;
        engine.html_registry()?;
        Ok(engine)
    }

    /// Checks that the templates every format needs are there, and compiles each registry when
    /// a render first needs it (its errors come then).
    pub fn lazy(templates: &Templates) -> Result<Self, TemplateError> {
        for (name, kind) in [
            (MAIN, Kind::Markdown),
            (EMAIL_BODY, Kind::Text),
            (EMAIL_SUBJECT, Kind::Text),
            (PAGE, Kind::Html),
        ] {
            if !templates.of_kind(kind).any(|t| t.name == name) {
                let message = match name {
                    MAIN => "the main template is missing",
                    _ => "the template is missing",
                };
                return Err(TemplateError::whole(name, message));
            }
        }
        let names = templates
            .templates
            .iter()
            .filter(|t| t.kind != Kind::Words)
            .map(|t| (t.name.clone(), t.display_name()))
            .collect();
        Ok(Self {
            templates: templates.clone(),
            markdown: OnceLock::new(),
            text: OnceLock::new(),
            html: OnceLock::new(),
            names,
            ledger: Words::parse(templates.of_kind(Kind::Words).find(|t| t.name == LEDGER))?,
            speech: Arc::new(Speech::of(templates)?),
        })
    }

    /// Compiles now what `formats` (and an email, with `email`) will render, so that a template
    /// error is reported before any work, and the compiling can overlap the dataset's loading.
    pub fn prepare(&self, formats: &[Format], email: bool) -> Result<(), TemplateError> {
        let laid_out = |f: &Format| matches!(f, Format::Markdown | Format::Pdf | Format::Html);
        if email || formats.iter().any(laid_out) {
            self.markdown_set()?;
        }
        if email || formats.contains(&Format::Html) {
            self.html_registry()?;
        }
        if email {
            self.text_registry()?;
        }
        Ok(())
    }

    /// The words of the ledger spreadsheet.
    pub fn ledger_words(&self) -> &Words {
        &self.ledger
    }

    /// The templates folder's images (a logo), which the PDF places where a template says.
    pub fn images(&self) -> &[crate::render::templates::Image] {
        &self.templates.images
    }

    /// The reader's language and the helpers' words.
    pub fn speech(&self) -> &Speech {
        &self.speech
    }

    /// Renders a briefing to Markdown.
    pub fn markdown(&self, briefing: &Briefing) -> Result<String, TemplateError> {
        let set = self.markdown_set()?;
        let out = self.capped(&set.registry, COMPOSED, briefing, ceiling(Some(briefing)))?;
        Ok(tidy(&out))
    }

    /// Renders a plain-text template (`email`, `email-subject`) with `context`.
    pub fn text(&self, name: &str, context: &impl Serialize) -> Result<String, TemplateError> {
        let out = self.capped(self.text_registry()?, name, context, ceiling(None))?;
        Ok(tidy(&out))
    }

    /// Renders through a writer that stops the render once it passes `limit` (bytes, time).
    fn capped(
        &self,
        registry: &Handlebars<'static>,
        name: &str,
        context: &impl Serialize,
        (bytes, time): (usize, std::time::Duration),
    ) -> Result<String, TemplateError> {
        let mut out = Capped::new(bytes, time);
        let passed = match registry.render_to_write(name, context, &mut out) {
            Ok(()) => {
                return Ok(String::from_utf8(out.bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
            }
            Err(e) => match out.overflowed() {
                None => return Err(self.error(e)),
                Some(Overflow::Bytes) => format!("passed {} MiB", bytes / (1024 * 1024)),
                Some(Overflow::Time) => format!("took longer than {} s", time.as_secs()),
            },
        };
        Err(TemplateError::whole(
            &self.display_name(name),
            format!(
                "the output {passed}; a template multiplies its loops (nested `{{{{#each}}}}`?)"
            ),
        ))
    }

    fn display_name(&self, name: &str) -> String {
        if name == COMPOSED {
            return MAIN.to_string();
        }
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| name.to_string(), |(_, d)| d.clone())
    }

    fn markdown_set(&self) -> Result<&MarkdownSet, TemplateError> {
        let set = self
            .markdown
            .get_or_init(|| markdown_set(&self.templates, &self.speech));
        set.as_ref().map_err(Clone::clone)
    }

    /// The plain-text templates with the Markdown partials, unescaped.
    fn text_registry(&self) -> Result<&Handlebars<'static>, TemplateError> {
        let text = self.text.get_or_init(|| {
            let group: Vec<&Template> = (self.templates.templates.iter())
                .filter(|t| matches!(t.kind, Kind::Markdown | Kind::Text))
                .collect();
            Ok(registry_of(None, compile_group(&group)?, &self.speech))
        });
        text.as_ref().map_err(Clone::clone)
    }

    fn html_registry(&self) -> Result<&Handlebars<'static>, TemplateError> {
        let html = self.html.get_or_init(|| {
            let group: Vec<&Template> = self.templates.of_kind(Kind::Html).collect();
            Ok(registry_of(
                Some(html_escape),
                compile_group(&group)?,
                &self.speech,
            ))
        });
        html.as_ref().map_err(Clone::clone)
    }

    /// Renders the HTML page with `context`.
    pub fn page(&self, context: &impl Serialize) -> Result<String, TemplateError> {
        self.html(PAGE, context)
    }

    /// Renders an HTML template (`page`, `serve-index`, `serve-archive`) with `context`.
    pub fn html(&self, name: &str, context: &impl Serialize) -> Result<String, TemplateError> {
        self.capped(self.html_registry()?, name, context, ceiling(None))
    }

    fn error(&self, e: RenderError) -> TemplateError {
        let name = e
            .template_name
            .clone()
            .unwrap_or_else(|| COMPOSED.to_string());
        // A line of the composed main template maps back to the file it came from.
        let origin = (name == COMPOSED)
            .then(|| {
                let lines = &self.markdown.get()?.as_ref().ok()?.lines;
                e.line_no.and_then(|l| lines.get(l.wrapping_sub(1)))
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_text_and_quoted_attributes() {
        assert_eq!(
            html_escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(
            html_escape("briefing?as_of=2025-05-01"),
            "briefing?as_of=2025-05-01"
        );
    }
}
