//! Blocks to genpdf elements: type sizes, spacing, indents, tables and the page furniture.

use genpdf::elements::{LinearLayout, PaddedElement, TableLayout};
use genpdf::fonts::FontData;
use genpdf::fonts::FontFamily;
use genpdf::style::{Color, Style};
use genpdf::{Element, Margins, Mm, Size};

use super::blocks::{Align, Block, Chrome, Span};
use super::elements::{
    BarChart, Bookmark, Decorator, Flow, Inline, KeepWithNext, Marked, Outline, Picture, Router,
    Run, Table, ACCENT, INK, MUTED, RULE,
};
use super::images::Images;
use super::tags::{Artifact, Role, Tagged, Tags};
use super::{Paper, PdfError};

const MARGIN_X: f64 = 20.0;
const MARGIN_TOP: f64 = 14.0;
const MARGIN_BOTTOM: f64 = 12.0;
const BODY: u8 = 10;
/// Indent per list level, in mm.
const LEVEL: f64 = 5.0;

/// What is laid out: the title, the blocks, the page furniture and the images the blocks place.
pub(super) struct Content<'a> {
    pub title: &'a str,
    pub blocks: Vec<Block>,
    pub chrome: &'a Chrome,
    pub images: &'a Images,
}

/// Lays the blocks out on pages; returns genpdf's display lists, the bookmarks of its headings
/// and the structure nodes' roles. `fallbacks` are the fonts (one per fallback, used in every
/// style) that `route` sends characters to.
pub(super) fn lay_out(
    family: FontFamily<FontData>,
    fallbacks: Vec<(usize, FontData)>,
    route: impl IntoIterator<Item = (char, usize)>,
    content: Content<'_>,
    paper: Paper,
) -> Result<(genpdf::Rendered, Vec<Bookmark>, Vec<Role>), PdfError> {
    let Content {
        title,
        blocks,
        chrome,
        images,
    } = content;
    let mut doc = genpdf::Document::new(family);
    let mut families = Vec::new();
    for (k, data) in fallbacks {
        // One font for every style: embedded once; its bold is substituted (genpdf strokes it).
        let font = doc.add_font(data);
        let f = FontFamily {
            regular: font,
            bold: font,
            italic: font,
            bold_italic: font,
        };
        families.resize(k + 1, f);
        families[k] = f;
    }
    let lay = Layout {
        images,
        router: Router::new(route, families),
        outline: Outline::default(),
        tags: Tags::default(),
        lists: Default::default(),
        last_table: Default::default(),
    };
    let (w, h) = paper.size_mm();
    doc.set_paper_size(Size::new(w, h));
    doc.set_font_size(BODY);
    doc.set_line_spacing(1.25);
    doc.set_title(title.to_string());
    let small = Style::new().with_font_size(8).with_color(MUTED);
    doc.set_page_decorator(Decorator::new(
        Margins::trbl(MARGIN_TOP, MARGIN_X, MARGIN_BOTTOM, MARGIN_X),
        chrome,
        small,
        lay.router.clone(),
        lay.outline.clone(),
        lay.tags.clone(),
    ));
    let body_height =
        Mm::from(h - MARGIN_TOP - MARGIN_BOTTOM - Decorator::HEADER - Decorator::FOOTER);
    for block in blocks {
        lay.push_block(&mut doc, block, body_height);
    }
    let rendered = doc.render().map_err(|e| PdfError::Layout(e.to_string()))?;
    Ok((rendered, lay.outline.bookmarks(), lay.tags.roles()))
}

fn style(bold: bool, italic: bool, size: u8, color: Color) -> Style {
    let mut s = Style::new().with_font_size(size).with_color(color);
    if bold {
        s.set_bold();
    }
    if italic {
        s.set_italic();
    }
    s
}

/// A vertical space.
struct Space(f64);

impl Element for Space {
    fn render(
        &mut self,
        _: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        _: Style,
    ) -> Result<genpdf::RenderResult, genpdf::error::Error> {
        let wanted = Mm::from(self.0);
        let h = if wanted > area.size().height {
            area.size().height
        } else {
            wanted
        };
        Ok(genpdf::RenderResult {
            size: Size::new(area.size().width, h),
            has_more: false,
        })
    }
}

/// Sets blocks as genpdf elements, every text through the fallback router.
struct Layout<'a> {
    /// The images the blocks place.
    images: &'a Images,
    router: Router,
    outline: Outline,
    tags: Tags,
    /// The lists open at the block being set, outermost first.
    lists: std::cell::RefCell<Vec<OpenList>>,
    /// The table just set (a caption under it joins it).
    last_table: std::cell::Cell<Option<u32>>,
}

/// A list being set: its depth, its node, and its last item's nodes (item, body).
struct OpenList {
    depth: usize,
    node: u32,
    item: Option<(u32, u32)>,
}

impl Layout<'_> {
    fn runs(&self, spans: Vec<Span>, size: u8, color: Color, italic: bool) -> Vec<Run> {
        spans
            .into_iter()
            .filter(|s| s.anchor.is_none())
            .flat_map(|s| {
                let st = style(s.bold, s.italic || italic, size, color);
                let inline = match (&s.link, &s.lang) {
                    (Some(target), _) => Some(Inline {
                        node: self.tags.node(Role::Link(link_text(&s.text, target))),
                        target: Some(target.as_str().into()),
                    }),
                    (None, Some(lang)) => Some(Inline {
                        node: self.tags.node(Role::Span { lang: lang.clone() }),
                        target: None,
                    }),
                    (None, None) => None,
                };
                let mut runs = match s.text.as_str() {
                    "\n" => vec![Run::new(s.text, st)],
                    _ => self.router.runs(&s.text, st),
                };
                for r in &mut runs {
                    r.inline = inline.clone();
                }
                runs
            })
            .collect()
    }

    /// A flow of `spans`, with the anchors they name.
    fn spans_flow(&self, spans: Vec<Span>, size: u8, color: Color, italic: bool) -> Flow {
        let anchors = spans.iter().filter_map(|s| s.anchor.clone()).collect();
        Flow::new(self.runs(spans, size, color, italic)).anchors(anchors)
    }

    /// `element` in a new node of `role`, inside the lists open at depth `depth` (the items of
    /// a quote or a continuation belong to).
    fn tagged<E: Element>(&self, role: Role, element: E) -> Tagged<E> {
        Tagged::new(element, vec![self.tags.node(role)])
    }

    fn flow(&self, text: &str, style: Style) -> Flow {
        Flow::new(self.router.runs(text, style))
    }

    fn push_block(&self, doc: &mut genpdf::Document, block: Block, body_height: Mm) {
        if !matches!(block, Block::Item { .. } | Block::Quote { .. }) {
            self.lists.borrow_mut().clear();
        }
        if !matches!(block, Block::Caption(_) | Block::Chart { .. }) {
            self.last_table.set(None);
        }
        match block {
            Block::Title(title) => {
                let flow = self
                    .flow(&title, style(true, false, 20, ACCENT))
                    .space_after(4.0);
                doc.push(self.tagged(Role::Heading(1, title), flow))
            }
            Block::Meta(rows) => self.push_meta(doc, rows),
            Block::Heading { level, text } => doc.push(self.heading(level, &text, body_height)),
            Block::Para { spans, muted } => {
                let color = if muted { MUTED } else { INK };
                let flow = self.spans_flow(spans, BODY, color, false).space_after(2.0);
                doc.push(self.tagged(Role::Paragraph, flow))
            }
            Block::Item {
                bullet,
                spans,
                depth,
            } => doc.push(self.item(bullet, spans, depth)),
            Block::Quote { spans, depth } => {
                let flow = self
                    .spans_flow(spans, 9, MUTED, true)
                    .indent(8.0 + LEVEL * depth.saturating_sub(1) as f64)
                    .space_after(1.8);
                let mut path = self.list_path(depth);
                path.extend([
                    self.tags.node(Role::BlockQuote),
                    self.tags.node(Role::Paragraph),
                ]);
                doc.push(Tagged::new(flow, path))
            }
            Block::Table {
                right,
                header,
                rows,
            } => {
                let node = self.tags.node(Role::Table);
                doc.push(Tagged::new(self.table(right, header, rows), vec![node]));
                self.last_table.set(Some(node));
                doc.push(Space(2.0));
            }
            Block::Chart {
                bars,
                caption,
                line,
            } => self.push_chart(doc, bars, caption, line, body_height),
            Block::Caption(text) => {
                let flow = self
                    .flow(&text, style(false, true, 8, MUTED))
                    .space_after(3.0);
                let caption = self.tags.node(Role::Caption);
                let path = match self.last_table.get() {
                    Some(table) => vec![table, caption],
                    None => vec![caption],
                };
                doc.push(Tagged::new(flow, path))
            }
            Block::Rule => doc.push(super::elements::HorizontalRule::new(RULE)),
            Block::Image(p) => doc.push(self.picture(p)),
        }
    }

    /// An image: a figure with its alternative text, or decoration without one.
    fn picture(&self, p: super::blocks::Picture) -> impl Element {
        let size = Size::new(p.height * self.images.aspect(&p.name), p.height);
        let align = match p.align {
            Align::Left => genpdf::Alignment::Left,
            Align::Center => genpdf::Alignment::Center,
            Align::Right => genpdf::Alignment::Right,
        };
        let role = match p.alt {
            Some(alt) => Role::Figure(alt),
            None => Role::Artifact(Artifact::Layout),
        };
        self.tagged(role, Picture::new(p.name, size, align))
    }

    /// A bar chart, as a figure whose alternative text reads its bars and caption.
    fn push_chart(
        &self,
        doc: &mut genpdf::Document,
        bars: Vec<super::blocks::Bar>,
        caption: Option<String>,
        line: Option<f64>,
        body_height: Mm,
    ) {
        doc.push(Space(1.0));
        let mut alt: Vec<String> = bars
            .iter()
            .map(|b| format!("{}: {}", b.label, b.text))
            .collect();
        alt.extend(caption.clone());
        let st = style(false, false, 9, INK);
        let caption = caption.map(|c| (c, style(false, true, 8, MUTED)));
        let chart =
            BarChart::new(bars, caption, st, self.router.clone(), body_height).with_line(line);
        doc.push(self.tagged(Role::Figure(alt.join("; ")), chart));
    }

    /// The structure nodes a block at list depth `depth` sits in: each open list down to that
    /// depth and its last item's body. Lists deeper than that are closed.
    fn list_path(&self, depth: usize) -> Vec<u32> {
        let mut lists = self.lists.borrow_mut();
        lists.retain(|l| l.depth < depth);
        path_of(&lists)
    }

    /// A heading kept with the start of what follows it.
    fn heading(&self, level: u8, text: &str, body_height: Mm) -> impl Element {
        let (size, before, keep) = if level == 1 {
            (14, 6.0, 40.0)
        } else {
            (11, 3.0, 25.0)
        };
        let color = if level == 1 { ACCENT } else { INK };
        let mut l = LinearLayout::vertical();
        l.push(Space(before));
        l.push(
            self.flow(text, style(true, false, size, color))
                .space_after(1.8),
        );
        let marked = Marked::new(l, level, text.to_string(), self.outline.clone());
        let heading = self.tagged(Role::Heading(level + 1, text.to_string()), marked);
        KeepWithNext::new(heading, keep, body_height)
    }

    /// A list item: bulleted at the top level, smaller and indented below it; a continuation
    /// (no bullet) aligns with its item's text, a paragraph in the item's body.
    fn item(&self, bullet: String, spans: Vec<Span>, depth: usize) -> Tagged<Flow> {
        let size = if depth > 0 { 9 } else { BODY };
        let indent = LEVEL * depth as f64;
        let f = self.spans_flow(spans, size, INK, false).space_after(1.2);
        if bullet.is_empty() {
            let mut path = self.list_path(depth + 1);
            path.push(self.tags.node(Role::Paragraph));
            return Tagged::new(f.indent(indent + 3.2), path);
        }
        let numbered = bullet.ends_with('.');
        let (item, label, body) = (
            self.tags.node(Role::Item),
            self.tags.node(Role::Label),
            self.tags.node(Role::Body),
        );
        let mut lists = self.lists.borrow_mut();
        lists.retain(|l| l.depth <= depth);
        if lists.last().is_none_or(|l| l.depth < depth) {
            lists.push(OpenList {
                depth,
                node: self.tags.node(Role::List { numbered }),
                item: None,
            });
        }
        let last = lists.len() - 1;
        let (parents, this) = lists.split_at_mut(last);
        let mut path = path_of(parents);
        path.extend([this[0].node, item]);
        this[0].item = Some((item, body));
        let f = f
            .indent(indent)
            .bullet(Run::new(bullet, style(false, false, size, ACCENT)))
            .tagged(label, body);
        Tagged::new(f, path)
    }

    fn push_meta(&self, doc: &mut genpdf::Document, rows: Vec<(String, String)>) {
        // A table of rows, each a header cell for its row and a cell.
        let mut t = TableLayout::new(vec![22, 78]);
        let table = self.tags.node(Role::Table);
        for (k, v) in rows {
            let row = self.tags.node(Role::Row);
            let head = self.tags.node(Role::HeaderCell { row: true });
            let cell = self.tags.node(Role::Cell);
            let _ = t
                .row()
                .element(Tagged::new(
                    PaddedElement::new(
                        self.flow(&k, style(true, false, 9, MUTED)),
                        Margins::trbl(0.6, 1, 0.6, 0),
                    ),
                    vec![table, row, head],
                ))
                .element(Tagged::new(
                    PaddedElement::new(
                        self.flow(&v, style(false, false, 9, INK)),
                        Margins::trbl(0.6, 0, 0.6, 1),
                    ),
                    vec![table, row, cell],
                ))
                .push();
        }
        doc.push(t);
        doc.push(Space(3.0));
    }

    fn table(&self, right: Vec<bool>, header: Vec<String>, rows: Vec<Vec<String>>) -> Table {
        let columns = header.len();
        let head = header
            .iter()
            .map(|h| self.router.runs(h, style(true, false, 9, ACCENT)))
            .collect();
        let body = rows
            .iter()
            .map(|r| {
                // Every row has as many cells as the header.
                (0..columns)
                    .map(|i| {
                        let text = r.get(i).map(String::as_str).unwrap_or_default();
                        self.router.runs(text, style(false, false, 9, INK))
                    })
                    .collect()
            })
            .collect();
        Table::new(head, body, right, self.tags.clone())
    }
}

/// What a link says where it goes, for a screen reader: the address, or, for a link inside the
/// briefing, its own text ("C3", the citation "1"): the templates word what it is.
fn link_text(text: &str, target: &str) -> String {
    match target.starts_with('#') {
        true => text.trim().to_string(),
        false => target.to_string(),
    }
}

/// The nodes of open lists, outermost first: each list, then its last item and that item's body.
fn path_of(lists: &[OpenList]) -> Vec<u32> {
    lists
        .iter()
        .flat_map(|l| match l.item {
            Some((item, body)) => vec![l.node, item, body],
            None => vec![l.node],
        })
        .collect()
}
