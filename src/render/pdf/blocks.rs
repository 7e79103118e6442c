//! The Markdown briefing as a sequence of blocks: what the PDF lays out.
//!
//! The PDF is laid out from the Markdown the templates rendered, so the templates are the one
//! source of its words and order. Markdown's own structure maps to blocks (the `#` heading is the
//! title, `##` a section, `###` a subsection; paragraphs with bold and italic; lists; quotes;
//! tables; rules). What only a printed page has comes from HTML comments, which Markdown viewers
//! do not show:
//!
//! - `<!-- pdf:running LEFT | RIGHT -->`: the running header of pages after the first;
//! - `<!-- pdf:footer LEFT | RIGHT -->`: the footer; `{page}` and `{pages}` are filled in;
//! - `<!-- pdf:lang TAG -->`: the document's language (`en`, `az`, `zh-Hans`), also the HTML
//!   page's;
//! - `<!-- pdf:meta -->`: the next list is a label–value table (items `**Label:** value`);
//! - `<!-- pdf:chart -->`: a bar chart of the table before it (its first column against its
//!   first column of numbers), kept on one page; `<!-- pdf:chart 3 line 100 -->` charts the third
//!   column and draws a reference line at 100 (a target);
//! - `<!-- pdf:caption TEXT -->`: a caption under the chart or table just before it;
//! - `<!-- pdf:marking TEXT -->`: a protective marking in the header and footer of every page;
//! - `<!-- pdf:image NAME [HEIGHT] [left|center|right] | ALT -->`: an image of the templates
//!   folder (`logo` for `logo.png`), HEIGHT millimetres tall (default 15), with its alternative
//!   text; without one it is decoration, which a screen reader skips.
//!
//! Fenced `mermaid` blocks are left out (a page cannot draw them; the same facts are in the text).
//! Building blocks first, instead of genpdf elements straight away, lets the renderer see every
//! character before it chooses and subsets the fonts, and keeps the parsing testable without PDF.

use crate::base::lang::unspaced;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A piece of text in one style. A text of `"\n"` is a line break.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Where the text links to: an address, or `#name` for an anchor in the briefing.
    pub link: Option<String>,
    /// An anchor named here (`<a id="c3"></a>`), with no text of its own.
    pub anchor: Option<String>,
    /// The text's language where it differs from the document's (`<span lang="zh">`).
    pub lang: Option<String>,
}

impl Span {
    pub fn plain(t: impl Into<String>) -> Self {
        Self {
            text: t.into(),
            ..Self::default()
        }
    }

    pub fn bold(t: impl Into<String>) -> Self {
        Self {
            bold: true,
            ..Self::plain(t)
        }
    }

    /// Which of the four font styles: Regular, Bold, Italic, BoldItalic.
    pub fn style_index(&self) -> usize {
        match (self.bold, self.italic) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// Label–value lines under the title.
    Meta(Vec<(String, String)>),
    /// Level 1: a section; level 2: a subsection.
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph; `muted` when all of it is in italics (an aside such as "None in the period").
    Para {
        spans: Vec<Span>,
        muted: bool,
    },
    /// A list item: its bullet ("•", "3."), its text, and its nesting depth (0 at the top).
    Item {
        bullet: String,
        spans: Vec<Span>,
        depth: usize,
    },
    /// A quote, indented and in italics, at a list depth.
    Quote {
        spans: Vec<Span>,
        depth: usize,
    },
    Table {
        right: Vec<bool>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Bars, and the caption under them.
    Chart {
        bars: Vec<Bar>,
        caption: Option<String>,
        /// A reference value drawn as a line across the bars (a target: 100%).
        line: Option<f64>,
    },
    /// A caption under a table.
    Caption(String),
    Rule,
    /// An image of the templates folder (a logo).
    Image(Picture),
}

/// An image placed by `pdf:image`.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// What names it in the templates folder: `logo` or `logo.png`.
    pub name: String,
    /// Its height, in millimetres.
    pub height: f64,
    pub align: Align,
    /// Its alternative text; None: decoration.
    pub alt: Option<String>,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

impl Picture {
    /// Heights outside these bounds, in millimetres, are brought within them.
    pub const HEIGHTS: (f64, f64) = (4.0, 80.0);

    /// `NAME [HEIGHT] [left|center|right] | ALT`, as the directive gives it.
    pub fn parse(args: &str) -> Option<Self> {
        let (spec, alt) = args.split_once(" | ").unwrap_or((args, ""));
        let mut words = spec.split_whitespace();
        let name = unescape(words.next()?);
        let mut picture = Picture {
            name,
            height: 15.0,
            align: Align::Left,
            alt: Some(unescape(alt.trim())).filter(|a| !a.is_empty()),
        };
        for w in words {
            match w.to_ascii_lowercase().as_str() {
                "left" => picture.align = Align::Left,
                "center" | "centre" => picture.align = Align::Center,
                "right" => picture.align = Align::Right,
                other => {
                    if let Some(h) = number(other.trim_end_matches("mm")) {
                        picture.height = h.clamp(Self::HEIGHTS.0, Self::HEIGHTS.1);
                    }
                }
            }
        }
        Some(picture)
    }
}

/// One bar of a chart: its label, its value, and the value as the table printed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// Page furniture the templates ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chrome {
    pub running: [String; 2],
    pub footer: [String; 2],
    /// The document's language (a BCP 47 tag), for readers and screen readers.
    pub lang: Option<String>,
    /// A protective marking, printed in the header and the footer of every page.
    pub marking: String,
}

/// The blocks of a Markdown text, and the page furniture its directives set.
pub fn parse(markdown: &str) -> (Vec<Block>, Chrome) {
    let mut b = Builder::default();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, opts) {
        b.event(event);
    }
    (b.blocks, b.chrome)
}

impl Block {
    /// Every span of text in the block, for font coverage and subsetting.
    pub fn spans(&self) -> Vec<Span> {
        match self {
            Block::Title(t) => vec![Span::bold(t.clone())],
            Block::Meta(rows) => rows
                .iter()
                .flat_map(|(k, v)| [Span::bold(k.clone()), Span::plain(v.clone())])
                .collect(),
            Block::Heading { text, .. } => vec![Span::bold(text.clone())],
            Block::Para { spans, .. } => spans.clone(),
            Block::Item { bullet, spans, .. } => std::iter::once(Span::plain(bullet.clone()))
                .chain(spans.iter().cloned())
                .collect(),
            Block::Quote { spans, .. } => spans
                .iter()
                .map(|s| Span {
                    italic: true,
                    ..s.clone()
                })
                .collect(),
            Block::Table { header, rows, .. } => header
                .iter()
                .map(|h| Span::bold(h.clone()))
                .chain(rows.iter().flatten().map(|c| Span::plain(c.clone())))
                .collect(),
            Block::Chart { bars, caption, .. } => bars
                .iter()
                .flat_map(|b| [Span::plain(b.label.clone()), Span::bold(b.text.clone())])
                .chain(caption.iter().map(|c| Span {
                    italic: true,
                    ..Span::plain(c.clone())
                }))
                .collect(),
            Block::Caption(c) => vec![Span {
                italic: true,
                ..Span::plain(c.clone())
            }],
            Block::Rule | Block::Image(_) => Vec::new(),
        }
    }

    /// The block with every text passed through `f(text, style index)`.
    pub fn map_text(&mut self, f: &impl Fn(&str, usize) -> String) {
        let spans = |v: &mut Vec<Span>, italic: bool| {
            for s in v {
                let i = s.style_index() | if italic { 2 } else { 0 };
                s.text = f(&s.text, i);
            }
        };
        match self {
            Block::Title(t) | Block::Heading { text: t, .. } => *t = f(t, 1),
            Block::Meta(rows) => {
                for (k, v) in rows {
                    *k = f(k, 1);
                    *v = f(v, 0);
                }
            }
            Block::Para { spans: s, .. } | Block::Item { spans: s, .. } => spans(s, false),
            Block::Quote { spans: s, .. } => spans(s, true),
            Block::Table { header, rows, .. } => {
                header.iter_mut().for_each(|h| *h = f(h, 1));
                rows.iter_mut().flatten().for_each(|c| *c = f(c, 0));
            }
            Block::Chart { bars, caption, .. } => {
                bars.iter_mut().for_each(|b| b.label = f(&b.label, 0));
                if let Some(c) = caption {
                    *c = f(c, 2);
                }
            }
            Block::Caption(c) => *c = f(c, 2),
            Block::Rule | Block::Image(_) => {}
        }
    }
}

/// A list being read: ordered lists count their items.
struct List {
    next: Option<u64>,
    /// The current item has had its first text (later paragraphs continue it, unbulleted).
    started: bool,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    chrome: Chrome,
    /// Inline text being collected.
    spans: Vec<Span>,
    bold: usize,
    italic: usize,
    lists: Vec<List>,
    quote: usize,
    /// Inside a table: its alignment, the header, the rows, the cell being read.
    table: Option<(Vec<bool>, Vec<Vec<String>>)>,
    cell: String,
    /// Inside a code block: whether it is left out.
    code: Option<bool>,
    /// `pdf:meta` was seen: the next list is a label–value table.
    meta_next: bool,
    meta: Option<Vec<(String, String)>>,
    /// A source line break is pending: a space, or nothing between Chinese characters.
    soft: bool,
    /// Inside a link: its target.
    link: Option<String>,
    /// Inside `<span lang="…">`: its language.
    lang: Option<String>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => {
                self.soft_break_before(&t);
                self.text(&t)
            }
            // A line break in the source is a space, except between Chinese characters.
            Event::SoftBreak => self.soft = true,
            Event::HardBreak => self.text("\n"),
            Event::Html(h) | Event::InlineHtml(h) => self.directive(&h),
            Event::Rule => self.blocks.push(Block::Rule),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            Tag::List(first) => {
                if let Some(item) = self.lists.last_mut() {
                    // A nested list ends its parent item's first text.
                    if !item.started {
                        self.flush_item();
                    }
                }
                if self.meta_next && self.lists.is_empty() {
                    self.meta_next = false;
                    self.meta = Some(Vec::new());
                }
                self.lists.push(List {
                    next: first,
                    started: false,
                });
            }
            Tag::Item => {
                if let Some(l) = self.lists.last_mut() {
                    l.started = false;
                }
            }
            Tag::BlockQuote(_) => {
                self.flush_item();
                self.quote += 1;
            }
            Tag::Table(align) => {
                let right = align.iter().map(|a| *a == Alignment::Right).collect();
                self.table = Some((right, Vec::new()));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((_, rows)) = &mut self.table {
                    rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell.clear(),
            Tag::Link { dest_url, .. } => self.link = Some(dest_url.to_string()),
            Tag::CodeBlock(kind) => {
                let skip = matches!(&kind, CodeBlockKind::Fenced(info) if info.trim() == "mermaid");
                self.code = Some(skip);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => self.link = None,
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Heading(level) => {
                let text: String = self.take_spans().into_iter().map(|s| s.text).collect();
                self.blocks.push(match level {
                    HeadingLevel::H1 => Block::Title(text),
                    HeadingLevel::H2 => Block::Heading { level: 1, text },
                    _ => Block::Heading { level: 2, text },
                });
            }
            TagEnd::Paragraph => self.paragraph(),
            TagEnd::Item => self.flush_item(),
            TagEnd::List(_) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    if let Some(rows) = self.meta.take() {
                        self.blocks.push(Block::Meta(rows));
                    }
                }
            }
            TagEnd::BlockQuote(_) => self.quote = self.quote.saturating_sub(1),
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.cell);
                if let Some(row) = self.table.as_mut().and_then(|(_, rows)| rows.last_mut()) {
                    row.push(cell.trim().to_string());
                }
            }
            TagEnd::Table => {
                if let Some((right, mut rows)) = self.table.take() {
                    let header = if rows.is_empty() {
                        Vec::new()
                    } else {
                        rows.remove(0)
                    };
                    self.blocks.push(Block::Table {
                        right,
                        header,
                        rows,
                    });
                }
            }
            TagEnd::CodeBlock => {
                let spans = self.take_spans();
                if self.code.take() == Some(false) && !spans.is_empty() {
                    self.blocks.push(Block::Para {
                        spans,
                        muted: false,
                    });
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        if self.table.is_some() {
            self.cell.push_str(t);
            return;
        }
        if self.code == Some(true) {
            return;
        }
        let span = Span {
            text: t.to_string(),
            bold: self.bold > 0,
            italic: self.italic > 0,
            link: self.link.clone(),
            anchor: None,
            lang: self.lang.clone(),
        };
        match self.spans.last_mut() {
            Some(last)
                if last.bold == span.bold
                    && last.italic == span.italic
                    && last.link == span.link
                    && last.lang == span.lang
                    && last.anchor.is_none()
                    && t != "\n"
                    && last.text != "\n" =>
            {
                last.text.push_str(t)
            }
            _ => self.spans.push(span),
        }
    }

    /// The space a pending source line break stands for, before `next`: none between two
    /// unspaced (Chinese) character and any other.
    fn soft_break_before(&mut self, next: &str) {
        if !std::mem::take(&mut self.soft) {
            return;
        }
        let before = match self.table {
            Some(_) => self.cell.chars().last(),
            None => self.spans.last().and_then(|s| s.text.chars().last()),
        };
        let joined = before.is_some_and(unspaced) || next.chars().next().is_some_and(unspaced);
        if !joined {
            self.text(" ");
        }
    }

    fn take_spans(&mut self) -> Vec<Span> {
        self.soft = false;
        std::mem::take(&mut self.spans)
    }

    /// The end of a paragraph: a quote, the text of a list item, or a paragraph of its own.
    fn paragraph(&mut self) {
        if self.quote > 0 {
            let spans = self.take_spans();
            let depth = self.lists.len();
            self.blocks.push(Block::Quote { spans, depth });
        } else if !self.lists.is_empty() {
            self.flush_item();
        } else {
            let spans = self.take_spans();
            let muted =
                !spans.is_empty() && spans.iter().all(|s| s.italic || s.text.trim().is_empty());
            self.blocks.push(Block::Para { spans, muted });
        }
    }

    /// Emits the text collected for the current list item, if any.
    fn flush_item(&mut self) {
        if self.spans.is_empty() || self.quote > 0 {
            return;
        }
        let spans = self.take_spans();
        let depth = self.lists.len().saturating_sub(1);
        let Some(list) = self.lists.last_mut() else {
            return;
        };
        if let Some(rows) = self.meta.as_mut() {
            rows.push(label_value(spans));
            return;
        }
        let bullet = if list.started {
            String::new()
        } else {
            match &mut list.next {
                Some(n) => {
                    *n += 1;
                    format!("{}.", *n - 1)
                }
                None => "•".to_string(),
            }
        };
        list.started = true;
        self.blocks.push(Block::Item {
            bullet,
            spans,
            depth,
        });
    }

    fn directive(&mut self, html: &str) {
        let tag = html.trim();
        if let Some(lang) = tag
            .strip_prefix("<span lang=\"")
            .and_then(|t| t.strip_suffix("\">"))
        {
            self.lang = language_tag(lang);
            return;
        }
        if tag == "</span>" {
            self.lang = None;
            return;
        }
        if let Some(name) = anchor_name(html) {
            if self.table.is_none() {
                self.spans.push(Span {
                    anchor: Some(name),
                    ..Span::default()
                });
            }
            return;
        }
        let Some(body) = html
            .trim()
            .strip_prefix("<!--")
            .and_then(|h| h.strip_suffix("-->"))
            .map(str::trim)
            .and_then(|h| h.strip_prefix("pdf:"))
        else {
            return;
        };
        let (name, args) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        let pair = || {
            let mut it = args.splitn(2, " | ").map(|a| unescape(a.trim()));
            [it.next().unwrap_or_default(), it.next().unwrap_or_default()]
        };
        match name {
            "running" => self.chrome.running = pair(),
            "footer" => self.chrome.footer = pair(),
            "meta" => self.meta_next = true,
            "lang" => self.chrome.lang = language_tag(args),
            "marking" => self.chrome.marking = unescape(args.trim()),
            "image" => self.blocks.extend(Picture::parse(args).map(Block::Image)),
            "chart" => {
                // The table just before, or before its caption; a column number picks the
                // column (counted from 1), else the first of whole numbers; `line N` draws a
                // reference line at N.
                let words: Vec<&str> = args.split_whitespace().collect();
                let column = words
                    .first()
                    .and_then(|w| w.parse::<usize>().ok())
                    .filter(|&c| c > 1);
                let line = words
                    .windows(2)
                    .find(|w| w[0] == "line")
                    .and_then(|w| number(w[1]));
                let table = self
                    .blocks
                    .iter()
                    .rev()
                    .take(2)
                    .find_map(|b| chart_of(b, column, line));
                if let Some(chart) = table {
                    self.blocks.push(chart);
                }
            }
            "caption" => {
                let text = unescape(args.trim());
                match self.blocks.last_mut() {
                    Some(Block::Chart { caption, .. }) => *caption = Some(text),
                    _ => self.blocks.push(Block::Caption(text)),
                }
            }
            _ => {}
        }
    }
}

/// A language tag from a directive's text: letters, digits and `-` only (it lands in the PDF
/// catalog and an HTML attribute).
fn language_tag(args: &str) -> Option<String> {
    let tag = unescape(args.trim());
    // A well-formed tag has only letters, digits and `-`, so it can land in the PDF as it is.
    (tag.len() <= 35 && crate::base::lang::is_tag(&tag)).then_some(tag)
}

/// The name of an empty anchor, `<a id="c3"></a>` (or `<a id="c3">` alone).
fn anchor_name(html: &str) -> Option<String> {
    let rest = html.trim().strip_prefix("<a id=\"")?;
    let (name, tail) = rest.split_once('"')?;
    let tail = tail.trim();
    let ok = (tail == ">" || tail == "></a>") && !name.is_empty();
    ok.then(|| name.to_string())
}

/// The language a Markdown briefing declares with `<!-- pdf:lang TAG -->`, if any.
pub fn parse_lang(markdown: &str) -> Option<String> {
    markdown.lines().find_map(|l| {
        let body = l
            .trim()
            .strip_prefix("<!-- pdf:lang")?
            .strip_suffix("-->")?;
        language_tag(body)
    })
}

/// `**Period:** all dates` → ("Period", "all dates").
fn label_value(spans: Vec<Span>) -> (String, String) {
    let mut it = spans.into_iter().peekable();
    let label = match it.peek() {
        Some(s) if s.bold => it.next().map(|s| s.text).unwrap_or_default(),
        _ => String::new(),
    };
    let value: String = it.map(|s| s.text).collect();
    (
        label.trim().trim_end_matches(':').to_string(),
        value.trim().to_string(),
    )
}

/// A bar chart of a table: its first column against column `column` (counted from 1), whose
/// cells are numbers (signed decimals allowed: "+0.50", "−1.00"), or by default against its
/// first column of whole numbers.
fn chart_of(block: &Block, column: Option<usize>, line: Option<f64>) -> Option<Block> {
    let Block::Table { rows, .. } = block else {
        return None;
    };
    let width = rows.first()?.len();
    let column = match column {
        Some(c) => {
            let i = c - 1;
            (i < width
                && rows
                    .iter()
                    .all(|r| r.get(i).and_then(|c| number(c)).is_some()))
            .then_some(i)?
        }
        None => (1..width).find(|&i| {
            rows.iter()
                .all(|r| r.get(i).is_some_and(|c| c.parse::<usize>().is_ok()))
        })?,
    };
    Some(Block::Chart {
        bars: rows
            .iter()
            .map(|r| Bar {
                label: r[0].clone(),
                value: number(&r[column]).unwrap_or(0.0),
                text: r[column].clone(),
            })
            .collect(),
        caption: None,
        line,
    })
}

/// A table cell as a number: digits with an optional sign (`+`, `-` or `−`) and decimals.
fn number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let (negative, digits) = match t.chars().next()? {
        '−' => (true, &t['−'.len_utf8()..]),
        '-' => (true, &t[1..]),
        '+' => (false, &t[1..]),
        _ => (false, t),
    };
    let ok = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1;
    let n: f64 = digits.parse().ok().filter(|_| ok)?;
    Some(if negative { -n } else { n })
}

/// Markdown backslash escapes (`\|`, `\*`) in directive text, removed.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(n) if c == '\\' && n.is_ascii_punctuation() => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_directive_is_a_picture_block() {
        let md = "<!-- pdf:image logo -->\n\n# T\n\n<!-- pdf:image crest.png 22mm CENTRE | The \\| crest -->\n<!-- pdf:image seal 500 right -->\n<!-- pdf:image -->\n";
        let (blocks, _) = parse(md);
        let pictures: Vec<&Picture> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Image(p) => Some(p),
                _ => None,
            })
            .collect();
        let picture = |name: &str, height, align, alt: Option<&str>| Picture {
            name: name.into(),
            height,
            align,
            alt: alt.map(str::to_string),
        };
        assert_eq!(
            pictures,
            [
                &picture("logo", 15.0, Align::Left, None),
                &picture("crest.png", 22.0, Align::Center, Some("The | crest")),
                &picture("seal", Picture::HEIGHTS.1, Align::Right, None),
            ]
        );
        assert_eq!(
            blocks[0],
            Block::Image(picture("logo", 15.0, Align::Left, None))
        );
    }

    #[test]
    fn markdown_structure_maps_to_blocks() {
        let md = "<!-- pdf:lang en -->\n<!-- pdf:running Left \\| x | Right -->\n<!-- pdf:footer Page {page} of {pages} | gen -->\n\n# T\n\n<!-- pdf:meta -->\n\n- **As of:** 1 May\n- **Period:** all\n\n## Sec\n\n| A | N |\n| --- | ---: |\n| x | 3 |\n\n<!-- pdf:chart -->\n<!-- pdf:caption Figure -->\n\n### Sub\n\n- **1** · a *(b)* \\[1\\]\\\n  Note: n\n  > “q”\n\n*None.*\n\n1. one\n2. two\n\n```mermaid\ntimeline\n```\n";
        let (blocks, chrome) = parse(md);
        assert_eq!(
            chrome.running,
            ["Left | x".to_string(), "Right".to_string()]
        );
        assert_eq!(chrome.footer[0], "Page {page} of {pages}");
        assert_eq!(chrome.lang.as_deref(), Some("en"));
        assert_eq!(blocks[0], Block::Title("T".into()));
        assert_eq!(
            blocks[1],
            Block::Meta(vec![
                ("As of".into(), "1 May".into()),
                ("Period".into(), "all".into())
            ])
        );
        assert_eq!(
            blocks[2],
            Block::Heading {
                level: 1,
                text: "Sec".into()
            }
        );
        assert!(matches!(&blocks[3], Block::Table { right, .. } if right == &[false, true]));
        assert_eq!(
            blocks[4],
            Block::Chart {
                bars: vec![Bar {
                    label: "x".into(),
                    value: 3.0,
                    text: "3".into()
                }],
                caption: Some("Figure".into()),
                line: None
            }
        );
        assert_eq!(
            blocks[5],
            Block::Heading {
                level: 2,
                text: "Sub".into()
            }
        );
        let Block::Item {
            bullet,
            spans,
            depth,
        } = &blocks[6]
        else {
            panic!("{:?}", blocks[6])
        };
        assert_eq!((bullet.as_str(), *depth), ("•", 0));
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, "1 · a (b) [1]\nNote: n");
        assert!(matches!(&blocks[7], Block::Quote { depth: 1, .. }));
        assert!(matches!(&blocks[8], Block::Para { muted: true, .. }));
        assert!(matches!(&blocks[9], Block::Item { bullet, .. } if bullet == "1."));
        assert!(matches!(&blocks[10], Block::Item { bullet, .. } if bullet == "2."));
        assert_eq!(blocks.len(), 11, "the mermaid block is left out");
    }
}
