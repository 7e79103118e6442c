//! genpdf elements that genpdf lacks or gets wrong for this job.
//!
//! - [`Flow`]: wrapped text that never loses a word. genpdf's `Paragraph` wraps only at spaces and
//!   silently drops a word wider than the line (and, if such a word starts a line, the rest of the
//!   paragraph). `Flow` breaks such a word between grapheme clusters instead, and lays each line
//!   out in the order of the Unicode bidirectional algorithm, a right-to-left paragraph aligned
//!   right.
//! - [`KeepWithNext`]: a heading that moves to the next page rather than end one.
//! - [`BarChart`]: commitments by field as bars.
//! - [`Table`]: a table with horizontal rules only, in the manner of printed reports, whose
//!   header row repeats on every page it continues on and whose columns are sized from their
//!   content.
//! - [`Decorator`]: margins, a running header, and a footer whose page total is a placeholder
//!   that `finish` replaces once the page count is known.
//! - [`HorizontalRule`]: a thin line across the page.

use genpdf::error::Error;

use super::blocks::Bar;
use crate::base::lang::unspaced;
use genpdf::render::Area;
use genpdf::style::{Color, Style};
use genpdf::{Context, Element, Margins, Mm, PageDecorator, Position, RenderResult, Size};

/// The character printed where the page total goes; `finish` swaps it for the digits.
pub const PAGE_TOTAL_PLACEHOLDER: char = '\u{2007}';

use super::tags::{Artifact, Role, Tags};

pub const INK: Color = Color::Rgb(33, 37, 41);
pub const ACCENT: Color = Color::Rgb(22, 60, 110);
pub const MUTED: Color = Color::Rgb(96, 103, 112);
pub const RULE: Color = Color::Rgb(170, 176, 184);
pub const BAR: Color = Color::Rgb(70, 110, 160);
/// The reference line of a chart (a target): a dark red, apart from the bars.
pub const TARGET: Color = Color::Rgb(170, 40, 40);

/// Which characters print in a fallback font instead of the style's family.
#[derive(Debug, Clone, Default)]
pub struct Router {
    route: std::collections::HashMap<char, usize>,
    families: Vec<genpdf::fonts::FontFamily<genpdf::fonts::Font>>,
}

impl Router {
    pub fn new(
        route: impl IntoIterator<Item = (char, usize)>,
        families: Vec<genpdf::fonts::FontFamily<genpdf::fonts::Font>>,
    ) -> Self {
        Self {
            route: route.into_iter().collect(),
            families,
        }
    }

    /// `text` in `style`, split into runs so that each character a fallback prints is set in it.
    pub fn runs(&self, text: &str, style: Style) -> Vec<Run> {
        if self.route.is_empty() || !text.chars().any(|c| self.route.contains_key(&c)) {
            return vec![Run::new(text, style)];
        }
        let mut out: Vec<Run> = Vec::new();
        let mut current: Option<usize> = None;
        let mut shaping = false;
        for c in text.chars() {
            // A space between words of a script that is shaped (Arabic, Hebrew) stays in their
            // font's run, so that the words are ordered and shaped as one text.
            let font = match self.route.get(&c) {
                None if c == ' ' && shaping => current,
                route => route.copied(),
            };
            shaping = super::fonts::needs_shaping(c) || (shaping && c == ' ');
            match out.last_mut() {
                Some(last) if current == font => last.text.push(c),
                _ => {
                    let s = match font.and_then(|k| self.families.get(k)) {
                        Some(f) => style.with_font_family(*f),
                        None => style,
                    };
                    out.push(Run::new(c.to_string(), s));
                }
            }
            current = font;
        }
        out
    }

    /// Prints `text` at `pos`; returns its width.
    fn print(
        &self,
        fc: &genpdf::fonts::FontCache,
        area: &Area<'_>,
        pos: Position,
        style: Style,
        text: &str,
    ) -> Result<Mm, Error> {
        let mut x = pos.x;
        for r in self.runs(text, style) {
            area.print_str(fc, Position::new(x, pos.y), r.style, &r.text)?;
            x += r.style.str_width(fc, &r.text);
        }
        Ok(x - pos.x)
    }

    fn width(&self, fc: &genpdf::fonts::FontCache, style: Style, text: &str) -> Mm {
        self.runs(text, style)
            .iter()
            .map(|r| r.style.str_width(fc, &r.text))
            .fold(Mm::from(0), |a, b| a + b)
    }
}

/// A run of text in one style (and one link, if any).
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub style: Style,
    pub inline: Option<Inline>,
}

impl Run {
    pub fn new(text: impl Into<String>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
            inline: None,
        }
    }
}

/// Text inside an inline structure node: a link (with its target: an address, or `#anchor`),
/// or a span in another language.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    pub node: u32,
    pub target: Option<std::rc::Rc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Wrapped text in styled runs, with an optional hanging bullet and left indent.
pub struct Flow {
    runs: Vec<Run>,
    indent: Mm,
    bullet: Option<Run>,
    /// Structure nodes for the bullet and for the text (a list item's label and body).
    nodes: (Option<u32>, Option<u32>),
    /// Anchors named at the top of the text.
    anchors: Vec<String>,
    align: Align,
    space_after: Mm,
    /// Laid-out lines, computed on the first call (when the width is known).
    lines: Option<Vec<Line>>,
    next: usize,
}

impl Flow {
    pub fn new(runs: Vec<Run>) -> Self {
        Self {
            runs,
            indent: Mm::from(0),
            bullet: None,
            nodes: (None, None),
            anchors: Vec::new(),
            align: Align::Left,
            space_after: Mm::from(0),
            lines: None,
            next: 0,
        }
    }

    pub fn indent(mut self, mm: f64) -> Self {
        self.indent = Mm::from(mm);
        self
    }

    pub fn bullet(mut self, bullet: Run) -> Self {
        self.bullet = Some(bullet);
        self
    }

    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    /// What comes before the first line: its anchors, and the bullet (in its label node).
    fn print_head(&self, context: &Context, area: &Area<'_>) -> Result<(), Error> {
        for name in &self.anchors {
            area.anchor(name.clone(), Mm::from(0));
        }
        if let Some(b) = &self.bullet {
            let _label = self.nodes.0.map(|n| Mark::open(area, n));
            let at = Position::new(self.indent, 0);
            area.print_str(&context.font_cache, at, b.style, &b.text)?;
        }
        Ok(())
    }

    /// Draws the bullet in the structure node `label` and the text in `body`.
    pub fn tagged(mut self, label: u32, body: u32) -> Self {
        self.nodes = (Some(label), Some(body));
        self
    }

    /// Names places at the top of the text, which links may point at.
    pub fn anchors(mut self, names: Vec<String>) -> Self {
        self.anchors = names;
        self
    }

    pub fn space_after(mut self, mm: f64) -> Self {
        self.space_after = Mm::from(mm);
        self
    }

    fn layout(&self, context: &Context, width: Mm) -> Vec<Line> {
        let mut l = Lines {
            fc: &context.font_cache,
            width,
            lines: Vec::new(),
            line: Vec::new(),
            used: Mm::from(0),
            rtl: false,
        };
        for (i, paragraph) in self.runs.split(|r| r.text == "\n").enumerate() {
            if i > 0 {
                l.newline();
            }
            let text: String = paragraph.iter().map(|r| r.text.as_str()).collect();
            // The paragraph's direction is its first strong character's (UAX #9, P2 and P3).
            l.rtl = unicode_bidi::get_base_direction(text.as_str()) == unicode_bidi::Direction::Rtl;
            for word in split_keep_spaces(&text) {
                for part in breakable_parts(word) {
                    let start = part.as_ptr() as usize - text.as_ptr() as usize;
                    l.piece(&styled(paragraph, start..start + part.len()));
                }
            }
        }
        trim_end(&mut l.line);
        if !l.line.is_empty() {
            let runs = visual(std::mem::take(&mut l.line), l.rtl);
            l.lines.push(Line { runs, rtl: l.rtl });
        }
        l.lines
    }
}

/// A laid-out line: its runs in visual order, and whether its paragraph runs right to left.
#[derive(Debug, Clone)]
struct Line {
    runs: Vec<Run>,
    rtl: bool,
}

/// A line's runs in visual order by the Unicode bidirectional algorithm (UAX #9) with the
/// paragraph's direction as its base: right-to-left text that spans runs of several styles or
/// links reads right to left across them, and a right-to-left paragraph's runs go from the
/// right. Each run is cut to one embedding level; genpdf orders the characters within it as it
/// shapes them. A line with no right-to-left text in a left-to-right paragraph is unchanged.
fn visual(line: Vec<Run>, rtl: bool) -> Vec<Run> {
    use unicode_bidi::BidiClass::{AL, AN, R};
    let right_to_left = |c: char| matches!(unicode_bidi::bidi_class(c), R | AL | AN);
    // Nothing before U+0590 (whose UTF-8 starts with 0xD6) runs right to left.
    let any_rtl = |r: &Run| r.text.bytes().any(|b| b >= 0xD6) && r.text.chars().any(right_to_left);
    if !rtl && !line.iter().any(any_rtl) {
        return line;
    }
    let text: String = line.iter().map(|r| r.text.as_str()).collect();
    let base = match rtl {
        true => unicode_bidi::Level::rtl(),
        false => unicode_bidi::Level::ltr(),
    };
    let info = unicode_bidi::BidiInfo::new(&text, Some(base));
    let Some(para) = info.paragraphs.first() else {
        return line;
    };
    let (levels, runs) = info.visual_runs(para, para.range.clone());
    let mut out = Vec::with_capacity(line.len() + runs.len());
    for range in runs {
        let mut pieces: Vec<Run> = styled(&line, range.clone())
            .into_iter()
            .map(|(text, style, inline)| Run {
                text: text.to_string(),
                style,
                inline: inline.cloned(),
            })
            .collect();
        if levels[range.start].is_rtl() {
            pieces.reverse();
        }
        out.extend(pieces);
    }
    out
}

/// The text of `range` of the runs' joined text, in the runs' styles: a word may change style
/// (or font) in its middle and still never break there.
fn styled(runs: &[Run], range: std::ops::Range<usize>) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in runs {
        let (start, end) = (at, at + r.text.len());
        at = end;
        let (a, b) = (range.start.max(start), range.end.min(end));
        if a < b {
            out.push((&r.text[a - start..b - start], r.style, r.inline.as_ref()));
        }
    }
    out
}

/// Text in one style, inside one inline node or none.
type Piece<'a> = (&'a str, Style, Option<&'a Inline>);

/// Characters after which a word too wide for its line (an address) may break.
const BREAK_AFTER: [char; 6] = ['/', '.', '-', '?', '&', '='];

/// Lines being filled: words go on the current line while they fit.
struct Lines<'a> {
    fc: &'a genpdf::fonts::FontCache,
    width: Mm,
    lines: Vec<Line>,
    line: Vec<Run>,
    used: Mm,
    /// The paragraph being set runs right to left.
    rtl: bool,
}

impl Lines<'_> {
    fn add(&mut self, s: &str, style: Style, link: Option<&Inline>, w: Mm) {
        match self.line.last_mut() {
            Some(last) if last.style == style && last.inline.as_ref() == link => {
                last.text.push_str(s)
            }
            _ => self.line.push(Run {
                inline: link.cloned(),
                ..Run::new(s, style)
            }),
        }
        self.used += w;
    }

    fn newline(&mut self) {
        trim_end(&mut self.line);
        let runs = visual(std::mem::take(&mut self.line), self.rtl);
        self.lines.push(Line {
            runs,
            rtl: self.rtl,
        });
        self.used = Mm::from(0);
    }

    /// A word (in one style or several) or a run of spaces.
    fn piece(&mut self, parts: &[Piece<'_>]) {
        let w = parts.iter().fold(Mm::from(0), |w, (t, style, _)| {
            w + style.str_width(self.fc, t)
        });
        let add_all = |l: &mut Self| {
            for (t, style, link) in parts {
                let w = style.str_width(l.fc, t);
                l.add(t, *style, *link, w);
            }
        };
        if parts.first().is_some_and(|(t, _, _)| t.starts_with(' ')) {
            // Spaces never start a line.
            if !self.line.is_empty() && self.used + w <= self.width {
                add_all(self);
            }
        } else if self.used + w <= self.width {
            add_all(self);
        } else if w <= self.width {
            self.newline();
            add_all(self);
        } else {
            for (t, style, link) in parts {
                self.long_word(t, *style, *link);
            }
        }
    }

    /// A word wider than a line: broken where [`long_word_segments`] allows, a segment still too
    /// wide between its grapheme clusters (never between a letter and its marks); never dropped.
    fn long_word(&mut self, word: &str, style: Style, link: Option<&Inline>) {
        for segment in long_word_segments(word) {
            let w = style.str_width(self.fc, segment);
            if self.used + w > self.width && !self.line.is_empty() {
                self.newline();
            }
            if w <= self.width {
                self.add(segment, style, link, w);
            } else {
                self.clusters(segment, style, link);
            }
        }
    }

    fn clusters(&mut self, segment: &str, style: Style, link: Option<&Inline>) {
        use unicode_segmentation::UnicodeSegmentation;
        for cluster in segment.graphemes(true) {
            let w = style.str_width(self.fc, cluster);
            if self.used + w > self.width && !self.line.is_empty() {
                self.newline();
            }
            self.add(cluster, style, link, w);
        }
    }
}

/// Where a word too wide for any line may break: at its UAX #14 opportunities (after a hyphen,
/// a dash or a slash before a letter); an address (`https://…`, `www.…`), which UAX #14 hardly
/// breaks, after each `/`, `.`, `-`, `?`, `&` or `=`.
fn long_word_segments(word: &str) -> Vec<&str> {
    let address = word.contains("://") || word.starts_with("www.");
    match address {
        true => word.split_inclusive(BREAK_AFTER).collect(),
        false => uax14_parts(word),
    }
}

/// A text split at its UAX #14 line-break opportunities.
fn uax14_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, _) in unicode_linebreak::linebreaks(text) {
        if at > start && at < text.len() {
            parts.push(&text[start..at]);
            start = at;
        }
    }
    parts.push(&text[start..]);
    parts
}

fn trim_end(line: &mut Vec<Run>) {
    while let Some(last) = line.last_mut() {
        let t = last.text.trim_end().len();
        last.text.truncate(t);
        if last.text.is_empty() {
            line.pop();
        } else {
            break;
        }
    }
}

/// A word split where lines may break inside it: between Chinese characters, by the rules of
/// UAX #14 (never before "。", "，" or "）", never after "（"). A word of a script written with
/// spaces stays whole, so its lines break at spaces, as before; only a word wider than a line
/// breaks at its other opportunities (`Lines::long_word`).
fn breakable_parts(word: &str) -> Vec<&str> {
    match word.chars().any(unspaced) {
        true => uax14_parts(word),
        false => vec![word],
    }
}

/// "a  b c" → ["a", "  ", "b", " ", "c"].
fn split_keep_spaces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in s.char_indices() {
        let sp = c == ' ';
        if in_space.is_some_and(|prev| prev != sp) {
            out.push(&s[start..i]);
            start = i;
        }
        in_space = Some(sp);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn line_height(context: &Context, line: &[Run], fallback: Style) -> Mm {
    line.iter()
        .map(|r| r.style.line_height(&context.font_cache))
        .fold(fallback.line_height(&context.font_cache), |a, b| {
            if b > a {
                b
            } else {
                a
            }
        })
}

/// A structure mark held open on an area until dropped.
struct Mark<'a, 'b> {
    area: &'a Area<'b>,
}

impl<'a, 'b> Mark<'a, 'b> {
    fn open(area: &'a Area<'b>, node: u32) -> Self {
        area.begin_mark(node);
        Self { area }
    }
}

impl Drop for Mark<'_, '_> {
    fn drop(&mut self) {
        self.area.end_mark();
    }
}

/// Prints one laid-out line at `at`; each run of a link or a span inside its node, a link with
/// an annotation over it as high as the line (`h`). False when the line does not fit.
fn print_line(
    context: &Context,
    area: &Area<'_>,
    at: Position,
    line: &[Run],
    tallest: Style,
    h: Mm,
) -> Result<bool, Error> {
    let fc = &context.font_cache;
    let Some(mut section) = area.text_section(fc, at, tallest) else {
        return Ok(false);
    };
    let mut x = at.x;
    let linked = line.iter().any(|r| r.inline.is_some());
    for r in line {
        match &r.inline {
            None => section.print_str(&r.text, r.style)?,
            Some(inline) => {
                area.begin_mark(inline.node);
                section.print_str(&r.text, r.style)?;
                if let Some(target) = &inline.target {
                    let w = r.style.str_width(fc, &r.text);
                    area.link(Position::new(x, 0), Size::new(w, h), target.to_string());
                }
                area.end_mark();
            }
        }
        if linked {
            x += r.style.str_width(fc, &r.text);
        }
    }
    Ok(true)
}

impl Element for Flow {
    fn render(
        &mut self,
        context: &Context,
        mut area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let mut result = RenderResult::default();
        let bullet_width = self
            .bullet
            .as_ref()
            .map(|b| b.style.str_width(&context.font_cache, &b.text) + Mm::from(1.5))
            .unwrap_or(Mm::from(0));
        let offset = self.indent + bullet_width;
        let width = area.size().width - offset;
        if self.lines.is_none() {
            let base = self.runs.first().map(|r| r.style).unwrap_or(style);
            let mut lines = self.layout(context, width);
            if lines.is_empty() {
                lines.push(Line {
                    runs: vec![Run::new("", base)],
                    rtl: false,
                });
            }
            self.lines = Some(lines);
        }
        let lines = self.lines.as_ref().expect("laid out above");
        let fallback = self.runs.first().map(|r| r.style).unwrap_or(style);
        while self.next < lines.len() {
            let Line { runs: line, rtl } = &lines[self.next];
            let h = line_height(context, line, fallback);
            // `area` shrinks as lines are set: compare with what is left of it.
            if h > area.size().height {
                result.has_more = true;
                break;
            }
            // Only a right-aligned line (a right-to-left paragraph's) needs its width measured
            // again.
            let x = match (self.align, rtl) {
                (Align::Left, false) => offset,
                _ => {
                    let line_width: Mm = line
                        .iter()
                        .map(|r| r.style.str_width(&context.font_cache, &r.text))
                        .fold(Mm::from(0), |a, b| a + b);
                    area.size().width - line_width
                }
            };
            let tallest = line
                .iter()
                .map(|r| r.style)
                .max_by_key(|s| s.font_size())
                .unwrap_or(fallback);
            if self.next == 0 {
                self.print_head(context, &area)?;
            }
            if let Some(n) = self.nodes.1 {
                area.begin_mark(n);
            }
            let fits = print_line(context, &area, Position::new(x, 0), line, tallest, h)?;
            if self.nodes.1.is_some() {
                area.end_mark();
            }
            if !fits {
                result.has_more = true;
                break;
            }
            area.add_offset(Position::new(0, h));
            result.size = result.size.stack_vertical(Size::new(area.size().width, h));
            self.next += 1;
        }
        if !result.has_more && self.space_after <= area.size().height {
            result.size.height += self.space_after;
        }
        Ok(result)
    }
}

/// One entry of the PDF's outline: a heading's level (1 a section, 2 a subsection), its text,
/// and the page (from 1) it was set on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    pub level: u8,
    pub title: String,
    pub page: usize,
    /// The anchor at the heading, which the entry points at.
    pub anchor: String,
}

/// The page being set (kept by the [`Decorator`]) and the bookmarks of the headings set so far.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    page: std::rc::Rc<std::cell::Cell<usize>>,
    marks: std::rc::Rc<std::cell::RefCell<Vec<Bookmark>>>,
}

impl Outline {
    pub fn bookmarks(&self) -> Vec<Bookmark> {
        self.marks.borrow().clone()
    }
}

/// An element (a heading) that records a bookmark on the page where it is first drawn.
pub struct Marked<E: Element> {
    inner: E,
    mark: Option<(u8, String)>,
    outline: Outline,
}

impl<E: Element> Marked<E> {
    pub fn new(inner: E, level: u8, title: String, outline: Outline) -> Self {
        Self {
            inner,
            mark: Some((level, title)),
            outline,
        }
    }
}

impl<E: Element> Element for Marked<E> {
    fn render(
        &mut self,
        context: &Context,
        area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let result = self.inner.render(context, area.clone(), style)?;
        if result.size.height > Mm::from(0) {
            if let Some((level, title)) = self.mark.take() {
                let page = self.outline.page.get();
                let mut marks = self.outline.marks.borrow_mut();
                // The outline entry points at the heading itself.
                let anchor = format!("outline-{}", marks.len());
                area.anchor(anchor.clone(), Mm::from(0));
                marks.push(Bookmark {
                    level,
                    title,
                    page,
                    anchor,
                });
            }
        }
        Ok(result)
    }
}

/// Renders its element only if `min` of height is left on the page (a heading with the start of
/// its section); otherwise asks for a new page. On a fresh page it always renders.
pub struct KeepWithNext<E: Element> {
    inner: E,
    min: Mm,
    page_height: Mm,
}

impl<E: Element> KeepWithNext<E> {
    pub fn new(inner: E, min: f64, page_height: Mm) -> Self {
        Self {
            inner,
            min: Mm::from(min),
            page_height,
        }
    }
}

impl<E: Element> Element for KeepWithNext<E> {
    fn render(
        &mut self,
        context: &Context,
        area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let fresh = area.size().height + Mm::from(1) >= self.page_height;
        if !fresh && area.size().height < self.min {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        self.inner.render(context, area, style)
    }
}

/// Horizontal bars, one per label, with the value after the bar. When any value is signed
/// (a score from −1 to +1), the bars grow left and right of a zero axis in the middle.
pub struct BarChart {
    bars: Vec<Bar>,
    /// A reference value drawn as a line across every bar (a target).
    line: Option<f64>,
    diverging: bool,
    caption: Option<(String, Style)>,
    next: usize,
    style: Style,
    router: Router,
    page_height: Mm,
}

impl BarChart {
    pub const ROW: f64 = 6.5;
    pub const LABEL: f64 = 58.0;
    const CAPTION: f64 = 7.0;

    pub fn new(
        bars: Vec<Bar>,
        caption: Option<(String, Style)>,
        style: Style,
        router: Router,
        page_height: Mm,
    ) -> Self {
        let diverging = bars
            .iter()
            .any(|b| b.value < 0.0 || b.text.starts_with(['+', '-', '−']));
        Self {
            bars,
            line: None,
            diverging,
            caption,
            next: 0,
            style,
            router,
            page_height,
        }
    }

    /// Draws a reference line at `line` (on the bars' scale) across the chart.
    pub fn with_line(mut self, line: Option<f64>) -> Self {
        self.line = line.filter(|l| l.is_finite() && *l > 0.0);
        self
    }

    /// The chart and its caption, whole, unless even a fresh page cannot hold them.
    fn height(&self) -> Mm {
        let caption = if self.caption.is_some() {
            Self::CAPTION
        } else {
            0.0
        };
        Mm::from(Self::ROW * self.bars.len() as f64 + caption)
    }

    /// Prints bar `i`: its label (cut with an ellipsis if it would run into the bar; the table
    /// shows it whole), the bar, scaled to `max` over `full` mm (from the middle when the chart
    /// diverges), and the value as the table printed it.
    fn bar(
        &self,
        context: &Context,
        area: &Area<'_>,
        i: usize,
        max: f64,
        full: f64,
    ) -> Result<(), Error> {
        let fc = &context.font_cache;
        let label_w = Self::LABEL;
        let bar = &self.bars[i];
        let label = &bar.label;
        let fits = |t: &str| self.router.width(fc, self.style, t) <= Mm::from(label_w - 3.0);
        let mut shown = label.clone();
        if !fits(&shown) {
            let mut chars: Vec<char> = label.chars().collect();
            while !chars.is_empty() && !fits(&format!("{}…", chars.iter().collect::<String>())) {
                chars.pop();
            }
            shown = format!("{}…", chars.iter().collect::<String>().trim_end());
        }
        self.router
            .print(fc, area, Position::new(0, 1.0), self.style, &shown)?;
        let bar_style = Style::new().with_color(BAR);
        let (from, to, value_at) = if self.diverging {
            let axis = label_w + full / 2.0;
            let len = full / 2.0 * bar.value / max;
            let axis_line = vec![Position::new(axis, 0.6), Position::new(axis, 5.6)];
            area.draw_line(axis_line, Style::new().with_color(MUTED));
            (
                axis.min(axis + len),
                axis.max(axis + len),
                label_w + full + 2.0,
            )
        } else {
            let len = full * bar.value / max;
            // With a reference line, the values stand right of it, clear of its dashes.
            let line_at = self.line.map_or(0.0, |l| full * l / max);
            (
                label_w,
                label_w + len.max(0.4),
                label_w + len.max(line_at) + 2.0,
            )
        };
        // From 1.6 to 4.6 mm and half a stroke (1 pt) beyond, as the lines it was drawn with.
        let half_stroke = 25.4 / 72.0 / 2.0;
        area.fill_rect(
            Position::new(from, 1.6 - half_stroke),
            Size::new(to.max(from + 0.4) - from, 3.0 + 2.0 * half_stroke),
            bar_style,
        );
        if let (Some(line), false) = (self.line, self.diverging) {
            // Dashed, over the whole row, so the rows join into one line down the chart.
            let x = label_w + full * line / max;
            let mut y = 0.0;
            while y < Self::ROW {
                let dash = vec![
                    Position::new(x, y),
                    Position::new(x, (y + 1.2).min(Self::ROW)),
                ];
                area.draw_line(dash, Style::new().with_color(TARGET));
                y += 2.0;
            }
        }
        let at = Position::new(value_at, 1.0);
        self.router
            .print(fc, area, at, self.style.bold(), &bar.text)?;
        Ok(())
    }

    /// Prints the caption under the bars.
    fn caption(&self, context: &Context, area: &Area<'_>) -> Result<Mm, Error> {
        let Some((text, style)) = &self.caption else {
            return Ok(Mm::from(0));
        };
        self.router.print(
            &context.font_cache,
            area,
            Position::new(0, 1.5),
            *style,
            text,
        )?;
        Ok(Mm::from(Self::CAPTION))
    }
}

impl Element for BarChart {
    fn render(
        &mut self,
        context: &Context,
        mut area: Area<'_>,
        _: Style,
    ) -> Result<RenderResult, Error> {
        let mut result = RenderResult::default();
        // Kept on one page with its caption: start on the next page if this one cannot hold it.
        let fresh = area.size().height + Mm::from(1) >= self.page_height;
        if self.next == 0 && !fresh && area.size().height < self.height() {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        let max = self.bars.iter().map(|b| b.value.abs()).fold(0.0, f64::max);
        let max = max.max(self.line.unwrap_or(0.0));
        // Counts against the largest; scores (at most 1 either way) on their whole scale.
        let max = max.max(1.0);
        let row = Mm::from(Self::ROW);
        let full: f64 = f64::from(area.size().width) - Self::LABEL - 12.0;
        while self.next < self.bars.len() {
            // `area` shrinks as rows are added: compare with what is left.
            if row > area.size().height {
                result.has_more = true;
                break;
            }
            self.bar(context, &area, self.next, max, full)?;
            area.add_offset(Position::new(0, row));
            result.size = result
                .size
                .stack_vertical(Size::new(area.size().width, row));
            self.next += 1;
        }
        if !result.has_more && self.caption.is_some() {
            if area.size().height < Mm::from(Self::CAPTION) {
                result.has_more = true;
            } else {
                let h = self.caption(context, &area)?;
                result.size = result.size.stack_vertical(Size::new(area.size().width, h));
                self.caption = None;
            }
        }
        Ok(result)
    }
}

/// A table whose header row is printed again at the top of every page it continues on, and
/// whose columns are sized from their content: a column of short cells (at most three words:
/// dates, counts, labels) keeps its natural width, so a date never wraps, as does any column whose
/// longest cell fits in its share; the others share the rest, in proportion to their longest
/// cells. Cells wrap like [`Flow`]; a row never splits across pages.
pub struct Table {
    header: Vec<Vec<Run>>,
    rows: Vec<Vec<Vec<Run>>>,
    right: Vec<bool>,
    widths: Option<Vec<Mm>>,
    next: usize,
    /// Structure nodes: the header's (head, row) once set, the body's; new rows' and cells'
    /// come from `tags`.
    tags: Tags,
    nodes: Option<TableNodes>,
}

/// A table's structure nodes.
struct TableNodes {
    head: u32,
    body: u32,
    /// The header repeated on a continuation page: an artifact.
    repeated: u32,
    header_set: bool,
}

/// Padding inside a cell: left and right, top and bottom.
const CELL_X: f64 = 1.5;
const CELL_Y: f64 = 1.2;

impl Table {
    pub fn new(
        header: Vec<Vec<Run>>,
        rows: Vec<Vec<Vec<Run>>>,
        right: Vec<bool>,
        tags: Tags,
    ) -> Self {
        Self {
            header,
            rows,
            right,
            widths: None,
            next: 0,
            tags,
            nodes: None,
        }
    }

    fn widths(&self, fc: &genpdf::fonts::FontCache, total: Mm) -> Vec<Mm> {
        let width = |runs: &[Run]| -> Mm {
            runs.iter()
                .map(|r| r.style.str_width(fc, &r.text))
                .fold(Mm::from(0), |a, b| a + b)
        };
        // A header may wrap between its words; a cell's natural width is its whole text.
        let longest_word = |runs: &[Run]| -> Mm {
            runs.iter()
                .flat_map(|r| {
                    (r.text.split(' ').flat_map(breakable_parts))
                        .map(move |w| r.style.str_width(fc, w))
                })
                .fold(Mm::from(0), |a, b| if b > a { b } else { a })
        };
        let pad = Mm::from(2.0 * CELL_X + 0.5);
        let natural: Vec<Mm> = (0..self.header.len())
            .map(|c| {
                let cells = self.rows.iter().filter_map(|r| r.get(c)).map(|r| width(r));
                cells.fold(
                    longest_word(&self.header[c]),
                    |a, b| if b > a { b } else { a },
                ) + pad
            })
            .collect();
        // Short cells: every one at most three words ("28 September 2025", "12", "+0.50").
        let rigid: Vec<bool> = (0..self.header.len())
            .map(|c| {
                self.rows.iter().filter_map(|r| r.get(c)).all(|runs| {
                    runs.iter()
                        .map(|r| r.text.split_whitespace().count())
                        .sum::<usize>()
                        <= 3
                })
            })
            .collect();
        share(&natural, &rigid, total)
    }

    fn row_height(&self, context: &Context, cells: &[Vec<Run>], widths: &[Mm]) -> Mm {
        cells
            .iter()
            .zip(widths)
            .map(|(runs, w)| {
                let inner = *w - Mm::from(2.0 * CELL_X);
                let flow = Flow::new(runs.clone());
                let lines = flow.layout(context, inner);
                lines
                    .iter()
                    .map(|l| {
                        line_height(
                            context,
                            &l.runs,
                            runs.first().map(|r| r.style).unwrap_or_default(),
                        )
                    })
                    .fold(Mm::from(0), |a, b| a + b)
            })
            .fold(Mm::from(0), |a, b| if b > a { b } else { a })
            + Mm::from(2.0 * CELL_Y)
    }

    /// Prints one row at the top of `area`; returns its height.
    fn print_row(
        &self,
        context: &Context,
        area: &Area<'_>,
        cells: &[Vec<Run>],
        widths: &[Mm],
        height: Mm,
        cell_role: Option<&dyn Fn(usize) -> Role>,
    ) -> Result<(), Error> {
        let mut x = Mm::from(0);
        let row = cell_role.map(|_| Mark::open(area, self.tags.node(Role::Row)));
        for (c, (runs, w)) in cells.iter().zip(widths).enumerate() {
            let _cell = cell_role.map(|role| Mark::open(area, self.tags.node(role(c))));
            let mut cell = area.clone();
            cell.add_offset(Position::new(x + Mm::from(CELL_X), Mm::from(CELL_Y)));
            cell.set_size(Size::new(*w - Mm::from(2.0 * CELL_X), height));
            let align = if self.right.get(c).copied().unwrap_or(false) {
                Align::Right
            } else {
                Align::Left
            };
            let mut flow = Flow::new(runs.clone()).align(align);
            flow.render(context, cell, Style::new())?;
            x += *w;
        }
        drop(row);
        Ok(())
    }

    /// Sets the header: the first time inside the table's head, on later pages as an artifact.
    fn print_header(
        &mut self,
        context: &Context,
        area: &Area<'_>,
        widths: &[Mm],
        height: Mm,
    ) -> Result<(), Error> {
        let tags = &self.tags;
        let nodes = self.nodes.get_or_insert_with(|| TableNodes {
            head: tags.node(Role::TableHead),
            body: tags.node(Role::TableBody),
            repeated: tags.node(Role::Artifact(Artifact::Pagination)),
            header_set: false,
        });
        let header = |_: usize| Role::HeaderCell { row: false };
        let (node, role): (u32, Option<&dyn Fn(usize) -> Role>) = match nodes.header_set {
            false => (nodes.head, Some(&header)),
            true => (nodes.repeated, None),
        };
        nodes.header_set = true;
        let _mark = Mark::open(area, node);
        self.print_row(context, area, &self.header, widths, height, role)
    }

    fn rules(&self, area: &Area<'_>, widths: &[Mm], y: Mm, strong: bool) {
        let w = widths.iter().fold(Mm::from(0), |a, b| a + *b);
        let style = Style::new().with_color(if strong { ACCENT } else { RULE });
        area.draw_line(vec![Position::new(0, y), Position::new(w, y)], style);
    }
}

/// Column widths from natural widths: all of them if they fit (the slack shared out); else the
/// columns that fit in an equal share keep their width and the others share what is left.
fn share(natural: &[Mm], rigid: &[bool], total: Mm) -> Vec<Mm> {
    let sum = natural.iter().fold(Mm::from(0), |a, b| a + *b);
    let fixed = natural
        .iter()
        .zip(rigid)
        .filter(|(_, r)| **r)
        .fold(Mm::from(0), |a, (w, _)| a + *w);
    let flexible = rigid.iter().filter(|r| !**r).count();
    // Short columns keep their width when the rest still gets a quarter of the page.
    if sum > total && flexible > 0 && flexible < rigid.len() && fixed < total * 0.75 {
        let others: Vec<Mm> = natural
            .iter()
            .zip(rigid)
            .filter(|(_, r)| !**r)
            .map(|(w, _)| *w)
            .collect();
        let mut shared = share(&others, &vec![false; others.len()], total - fixed).into_iter();
        return natural
            .iter()
            .zip(rigid)
            .map(|(w, r)| if *r { *w } else { shared.next().unwrap_or(*w) })
            .collect();
    }
    let n = natural.len().max(1) as f64;
    if sum <= total {
        let extra = (total - sum) / n;
        return natural.iter().map(|w| *w + extra).collect();
    }
    let equal = total / n;
    let kept = natural
        .iter()
        .filter(|w| **w <= equal)
        .fold(Mm::from(0), |a, b| a + *b);
    let wide = natural
        .iter()
        .filter(|w| **w > equal)
        .fold(Mm::from(0), |a, b| a + *b);
    let left = total - kept;
    natural
        .iter()
        .map(|w| {
            if *w <= equal {
                *w
            } else {
                left * (f64::from(*w) / f64::from(wide))
            }
        })
        .collect()
}

impl Element for Table {
    fn render(
        &mut self,
        context: &Context,
        mut area: Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, Error> {
        let widths = match &self.widths {
            Some(w) => w.clone(),
            None => {
                let w = self.widths(&context.font_cache, area.size().width);
                self.widths = Some(w.clone());
                w
            }
        };
        let mut result = RenderResult::default();
        let header = self.row_height(context, &self.header, &widths);
        let first = self
            .rows
            .get(self.next)
            .map(|r| self.row_height(context, r, &widths));
        if header + first.unwrap_or(Mm::from(0)) > area.size().height
            && result.size.height == Mm::from(0)
            && self.next < self.rows.len()
        {
            // Not even the header and one row fit: start on the next page.
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        // The header, on every page the table is on.
        self.rules(&area, &widths, Mm::from(0), true);
        self.print_header(context, &area, &widths, header)?;
        self.rules(&area, &widths, header, true);
        area.add_offset(Position::new(0, header));
        result.size = result
            .size
            .stack_vertical(Size::new(area.size().width, header));
        let mut set = 0;
        let body = self.nodes.as_ref().map(|n| n.body);
        if let Some(b) = body {
            area.begin_mark(b);
        }
        while self.next < self.rows.len() {
            let h = self.row_height(context, &self.rows[self.next], &widths);
            if h > area.size().height && set > 0 {
                result.has_more = true;
                break;
            }
            let row = &self.rows[self.next];
            self.print_row(context, &area, row, &widths, h, Some(&|_| Role::Cell))?;
            let last = self.next + 1 == self.rows.len();
            self.rules(&area, &widths, h, last);
            area.add_offset(Position::new(0, h));
            result.size = result.size.stack_vertical(Size::new(area.size().width, h));
            self.next += 1;
            set += 1;
        }
        if body.is_some() {
            area.end_mark();
        }
        Ok(result)
    }
}

/// Page furniture: margins, a running header from page 2 (left and right), and a footer (left
/// and right) where `{page}` is the page number and `{pages}` a placeholder for the total that
/// `finish` replaces once the page count is known.
pub struct Decorator {
    pub margins: Margins,
    pub running: [String; 2],
    pub footer: [String; 2],
    /// A protective marking, centred in the header and the footer of every page.
    pub marking: String,
    pub style: Style,
    router: Router,
    outline: Outline,
    page: usize,
    /// Artifact nodes: the running header and the footer.
    artifacts: (u32, u32),
}

impl Decorator {
    /// Height taken by the header band and by the footer band, below and above the margins.
    pub const HEADER: f64 = 9.0;
    pub const FOOTER: f64 = 9.0;

    pub fn new(
        margins: Margins,
        chrome: &super::blocks::Chrome,
        style: Style,
        router: Router,
        outline: Outline,
        tags: Tags,
    ) -> Self {
        let artifacts = (
            tags.node(Role::Artifact(Artifact::Header)),
            tags.node(Role::Artifact(Artifact::Footer)),
        );
        Self {
            margins,
            running: chrome.running.clone(),
            footer: chrome.footer.clone(),
            marking: chrome.marking.clone(),
            style,
            router,
            outline,
            page: 0,
            artifacts,
        }
    }

    /// Prints the marking, if any, centred at height `y`, in bold.
    fn print_marking(
        &self,
        fc: &genpdf::fonts::FontCache,
        area: &Area<'_>,
        y: Mm,
    ) -> Result<(), Error> {
        if self.marking.is_empty() {
            return Ok(());
        }
        let s = self.style.bold().with_color(INK);
        let width = self.router.width(fc, s, &self.marking);
        let x = (area.size().width - width) / 2.0;
        self.router
            .print(fc, area, Position::new(x, y), s, &self.marking)?;
        Ok(())
    }

    /// Prints `text` at height `y`, left-aligned or right-aligned, with `{page}` filled in and
    /// `{pages}` printed as the placeholder.
    fn print(
        &self,
        fc: &genpdf::fonts::FontCache,
        area: &Area<'_>,
        y: Mm,
        text: &str,
        right: bool,
    ) -> Result<(), Error> {
        let s = self.style;
        let text = text.replace("{page}", &self.page.to_string());
        let placeholder = PAGE_TOTAL_PLACEHOLDER.to_string();
        let width = self
            .router
            .width(fc, s, &text.replace("{pages}", &placeholder));
        let mut x = if right {
            area.size().width - width
        } else {
            Mm::from(0)
        };
        let mut pieces = text.split("{pages}").peekable();
        while let Some(piece) = pieces.next() {
            x += self.router.print(fc, area, Position::new(x, y), s, piece)?;
            if pieces.peek().is_some() {
                area.print_str(fc, Position::new(x, y), s, &placeholder)?;
                x += s.str_width(fc, &placeholder);
            }
        }
        Ok(())
    }
}

impl PageDecorator for Decorator {
    fn decorate_page<'a>(
        &mut self,
        context: &Context,
        mut area: Area<'a>,
        _style: Style,
    ) -> Result<Area<'a>, Error> {
        self.page += 1;
        self.outline.page.set(self.page);
        area.add_margins(self.margins);
        let fc = &context.font_cache;
        let w = area.size().width;
        let h = area.size().height;
        let rule = Style::new().with_color(RULE);
        let header = Mark::open(&area, self.artifacts.0);
        self.print_marking(fc, &area, Mm::from(0))?;
        if self.page > 1 {
            self.print(fc, &area, Mm::from(0), &self.running[0], false)?;
            self.print(fc, &area, Mm::from(0), &self.running[1], true)?;
            area.draw_line(vec![Position::new(0, 5.5), Position::new(w, 5.5)], rule);
        }
        drop(header);
        let footer = Mark::open(&area, self.artifacts.1);
        let y = h - Mm::from(4.5);
        self.print_marking(fc, &area, y)?;
        area.draw_line(
            vec![
                Position::new(0, y - Mm::from(1.5)),
                Position::new(w, y - Mm::from(1.5)),
            ],
            rule,
        );
        self.print(fc, &area, y, &self.footer[0], false)?;
        self.print(fc, &area, y, &self.footer[1], true)?;
        drop(footer);
        area.add_margins(Margins::trbl(Self::HEADER, 0, Self::FOOTER, 0));
        Ok(area)
    }
}

/// A thin rule across the text width (Markdown's `---`).
pub struct HorizontalRule {
    color: Color,
    done: bool,
}

impl HorizontalRule {
    pub fn new(color: Color) -> Self {
        Self { color, done: false }
    }
}

impl Element for HorizontalRule {
    fn render(&mut self, _: &Context, area: Area<'_>, _: Style) -> Result<RenderResult, Error> {
        let h = Mm::from(5.0);
        if self.done || area.size().height < h {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: !self.done,
            });
        }
        let w = area.size().width;
        area.draw_line(
            vec![Position::new(0, 2.5), Position::new(w, 2.5)],
            Style::new().with_color(self.color),
        );
        self.done = true;
        Ok(RenderResult {
            size: Size::new(w, h),
            has_more: false,
        })
    }
}

/// An image (a logo) `size` large, placed left, centred or right, with space under it; on the
/// next page if this one lacks the room.
pub struct Picture {
    name: String,
    size: Size,
    align: genpdf::Alignment,
    done: bool,
}

impl Picture {
    /// Space under the image, in mm.
    const AFTER: f64 = 3.0;

    pub fn new(name: String, size: Size, align: genpdf::Alignment) -> Self {
        Self {
            name,
            size,
            align,
            done: false,
        }
    }
}

impl Element for Picture {
    fn render(&mut self, _: &Context, area: Area<'_>, _: Style) -> Result<RenderResult, Error> {
        let fits = area.size().height >= self.size.height;
        if self.done || !fits {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: !self.done,
            });
        }
        let w = area.size().width;
        // Never wider than the text.
        let size = match self.size.width > w {
            true => Size::new(
                w,
                self.size.height * (f64::from(w) / f64::from(self.size.width)),
            ),
            false => self.size,
        };
        let x = match self.align {
            genpdf::Alignment::Left => Mm::from(0),
            genpdf::Alignment::Center => (w - size.width) / 2.0,
            genpdf::Alignment::Right => w - size.width,
        };
        area.image(Position::new(x, 0), size, self.name.clone());
        self.done = true;
        Ok(RenderResult {
            size: Size::new(w, size.height + Mm::from(Self::AFTER)),
            has_more: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_right_to_left_across_its_runs() {
        let plain = Style::new();
        let bold = Style::new().bold();
        let texts = |runs: &[Run]| -> Vec<(String, bool)> {
            runs.iter()
                .map(|r| (r.text.clone(), r.style.is_bold()))
                .collect()
        };
        let line = || {
            vec![
                Run::new("Said ", plain),
                Run::new("مرحبا ", plain),
                Run::new("بكم", bold),
                Run::new(" 2025.", plain),
            ]
        };
        // Left to right: the Arabic words' runs swap, and the number after them joins their
        // right-to-left run (UAX #9, W7 and N1), as a browser shows it.
        assert_eq!(
            texts(&visual(line(), false)),
            [
                ("Said ".into(), false),
                ("2025".into(), false),
                (" ".into(), false),
                ("بكم".into(), true),
                ("مرحبا ".into(), false),
                (".".into(), false),
            ]
        );
        // Right to left: what comes first stands rightmost, and the full stop leftmost.
        assert_eq!(
            texts(&visual(line(), true)),
            [
                (".".into(), false),
                ("2025".into(), false),
                (" ".into(), false),
                ("بكم".into(), true),
                ("مرحبا ".into(), false),
                (" ".into(), false),
                ("Said".into(), false),
            ]
        );
        let latin = vec![Run::new("Said ", plain), Run::new("it", bold)];
        assert_eq!(texts(&visual(latin.clone(), false)), texts(&latin));
    }

    #[test]
    fn splits_words_and_spaces() {
        assert_eq!(split_keep_spaces("a  b c"), ["a", "  ", "b", " ", "c"]);
        assert_eq!(
            breakable_parts("中国和阿塞拜疆，2025年（上半年）。"),
            [
                "中",
                "国",
                "和",
                "阿",
                "塞",
                "拜",
                "疆，",
                "2025",
                "年",
                "（上",
                "半",
                "年）。"
            ]
        );
        assert_eq!(breakable_parts("follow-through"), ["follow-through"]);
        let parts = breakable_parts("country》，2025年4月23日（en，独立媒体）。Reports");
        assert!(parts.iter().all(|p| !p.starts_with('，')), "{parts:?}");
        assert_eq!(split_keep_spaces(" x"), [" ", "x"]);
        assert_eq!(
            long_word_segments("follow-through—and/then"),
            ["follow-", "through", "—", "and/", "then"]
        );
        assert_eq!(
            long_word_segments("https://trend.az/a-b?x=1"),
            ["https:/", "/", "trend.", "az/", "a-", "b?", "x=", "1"]
        );
        assert_eq!(long_word_segments("Ilham"), ["Ilham"]);
        assert!(split_keep_spaces("").is_empty());
    }
}
