//! Blocks to genpdf elements: type sizes, spacing, indents, tables and the page furniture.

use genpdf::elements::{LinearLayout, PaddedElement, TableLayout};
use genpdf::fonts::FontData;
use genpdf::fonts::FontFamily;
use genpdf::style::{Color, Style};
use genpdf::{Element, Margins, Mm, Size};

use super::blocks::{Block, Chrome, Span};
use super::elements::{
    BarChart, Bookmark, Decorator, Flow, KeepWithNext, Marked, Outline, Router, Run, Table, ACCENT,
    INK, MUTED, RULE,
};
use super::{Paper, PdfError};

const MARGIN_X: f64 = 20.0;
const MARGIN_TOP: f64 = 14.0;
const MARGIN_BOTTOM: f64 = 12.0;
const BODY: u8 = 10;
/// Indent per list level, in mm.
const LEVEL: f64 = 5.0;

/// Lays the blocks out on pages; returns genpdf's PDF, before `finish`, and the bookmarks of its
/// headings. `fallbacks` are the fonts (one per fallback, used in every style) that `route` sends
/// characters to.
pub(super) fn lay_out(
    family: FontFamily<FontData>,
    fallbacks: Vec<(usize, FontData)>,
    route: impl IntoIterator<Item = (char, usize)>,
    title: &str,
    blocks: Vec<Block>,
    chrome: &Chrome,
    paper: Paper,
) -> Result<(Vec<u8>, Vec<Bookmark>), PdfError> {
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
        router: Router::new(route, families),
        outline: Outline::default(),
    };
    doc.set_minimal_conformance();
    let (w, h) = paper.size_mm();
    doc.set_paper_size(Size::new(w, h));
    doc.set_font_size(BODY);
    doc.set_line_spacing(1.25);
    doc.set_title(title.to_string());
    let small = Style::new().with_font_size(8).with_color(MUTED);
    doc.set_page_decorator(Decorator::new(
        Margins::trbl(MARGIN_TOP, MARGIN_X, MARGIN_BOTTOM, MARGIN_X),
        chrome.running.clone(),
        chrome.footer.clone(),
        small,
        lay.router.clone(),
        lay.outline.clone(),
    ));
    let body_height =
        Mm::from(h - MARGIN_TOP - MARGIN_BOTTOM - Decorator::HEADER - Decorator::FOOTER);
    for block in blocks {
        lay.push_block(&mut doc, block, body_height);
    }
    let mut raw = Vec::new();
    doc.render(&mut raw)
        .map_err(|e| PdfError::Layout(e.to_string()))?;
    Ok((raw, lay.outline.bookmarks()))
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
struct Layout {
    router: Router,
    outline: Outline,
}

impl Layout {
    fn runs(&self, spans: Vec<Span>, size: u8, color: Color, italic: bool) -> Vec<Run> {
        spans
            .into_iter()
            .flat_map(|s| {
                let st = style(s.bold, s.italic || italic, size, color);
                match s.text.as_str() {
                    "\n" => vec![Run::new(s.text, st)],
                    _ => self.router.runs(&s.text, st),
                }
            })
            .collect()
    }

    fn flow(&self, text: &str, style: Style) -> Flow {
        Flow::new(self.router.runs(text, style))
    }

    fn push_block(&self, doc: &mut genpdf::Document, block: Block, body_height: Mm) {
        match block {
            Block::Title(title) => doc.push(
                self.flow(&title, style(true, false, 20, ACCENT))
                    .space_after(4.0),
            ),
            Block::Meta(rows) => self.push_meta(doc, rows),
            Block::Heading { level, text } => doc.push(self.heading(level, &text, body_height)),
            Block::Para { spans, muted } => {
                let color = if muted { MUTED } else { INK };
                doc.push(Flow::new(self.runs(spans, BODY, color, false)).space_after(2.0))
            }
            Block::Item {
                bullet,
                spans,
                depth,
            } => doc.push(self.item(bullet, spans, depth)),
            Block::Quote { spans, depth } => doc.push(
                Flow::new(self.runs(spans, 9, MUTED, true))
                    .indent(8.0 + LEVEL * depth.saturating_sub(1) as f64)
                    .space_after(1.8),
            ),
            Block::Table {
                right,
                header,
                rows,
            } => {
                doc.push(self.table(right, header, rows));
                doc.push(Space(2.0));
            }
            Block::Chart {
                bars,
                caption,
                line,
            } => {
                doc.push(Space(1.0));
                let st = style(false, false, 9, INK);
                let caption = caption.map(|c| (c, style(false, true, 8, MUTED)));
                doc.push(
                    BarChart::new(bars, caption, st, self.router.clone(), body_height)
                        .with_line(line),
                );
            }
            Block::Caption(text) => doc.push(
                self.flow(&text, style(false, true, 8, MUTED))
                    .space_after(3.0),
            ),
            Block::Rule => doc.push(super::elements::HorizontalRule::new(RULE)),
        }
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
        KeepWithNext::new(marked, keep, body_height)
    }

    /// A list item: bulleted at the top level, smaller and indented below it; a continuation
    /// (no bullet) aligns with its item's text.
    fn item(&self, bullet: String, spans: Vec<Span>, depth: usize) -> Flow {
        let size = if depth > 0 { 9 } else { BODY };
        let indent = LEVEL * depth as f64;
        let f = Flow::new(self.runs(spans, size, INK, false)).space_after(1.2);
        if bullet.is_empty() {
            f.indent(indent + 3.2)
        } else {
            f.indent(indent)
                .bullet(Run::new(bullet, style(false, false, size, ACCENT)))
        }
    }

    fn push_meta(&self, doc: &mut genpdf::Document, rows: Vec<(String, String)>) {
        let mut t = TableLayout::new(vec![22, 78]);
        for (k, v) in rows {
            let _ = t
                .row()
                .element(PaddedElement::new(
                    self.flow(&k, style(true, false, 9, MUTED)),
                    Margins::trbl(0.6, 1, 0.6, 0),
                ))
                .element(PaddedElement::new(
                    self.flow(&v, style(false, false, 9, INK)),
                    Margins::trbl(0.6, 0, 0.6, 1),
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
        Table::new(head, body, right)
    }
}
