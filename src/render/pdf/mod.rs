//! The PDF briefing, through genpdf.
//!
//! The pipeline: the briefing becomes blocks (`story`); their characters decide which glyphs each
//! font style needs, missing ones are replaced and reported, and the fonts are subset (`fonts`);
//! genpdf lays the blocks out with our elements (`elements`) into memory; `finish` then fills in
//! the page totals, the metadata and a stable id, and compresses. Nothing touches the disk or the
//! clock: the caller gets bytes, or an error and no bytes.

pub mod elements;
pub mod finish;
pub mod fonts;
pub mod story;

use std::collections::{BTreeMap, BTreeSet};

use genpdf::elements::{LinearLayout, PaddedElement, TableLayout};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::Style;
use genpdf::{Element, Margins, Mm, Size};

use crate::briefing::model::Briefing;
use elements::{
    Align, BarChart, Decorator, Flow, KeepWithNext, Rules, Run, ACCENT, INK, MUTED,
    PAGE_TOTAL_PLACEHOLDER,
};
use fonts::{FontError, FontSet, REPLACEMENT, REPLACEMENT_FALLBACK, STYLES};
use story::{Block, Span};

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

impl std::str::FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" => Ok(Paper::Letter),
            o => Err(format!("unknown paper size `{o}`; expected a4 or letter")),
        }
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub paper: Paper,
    /// The document's author in its metadata. Default: the generator.
    pub author: Option<String>,
    pub fonts: FontSet,
    /// Subset the fonts (default). Off only to measure what subsetting saves.
    pub subset: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        Self {
            paper: Paper::A4,
            author: None,
            fonts: FontSet::embedded(),
            subset: true,
        }
    }
}

/// A rendered PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Characters the fonts lack, by document; each was printed as a replacement mark.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("PDF layout failed: {0}")]
    Layout(String),
    #[error("PDF post-processing failed: {0}")]
    Finish(String),
}

const MARGIN_X: f64 = 20.0;
const MARGIN_TOP: f64 = 14.0;
const MARGIN_BOTTOM: f64 = 12.0;
const BODY: u8 = 10;
const BULLET: &str = "•";

/// Newlines and tabs become spaces, other control characters and the page-total placeholder a
/// replacement: genpdf prints them as boxes.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' | PAGE_TOTAL_PLACEHOLDER => ' ',
            c if c.is_control() => REPLACEMENT,
            c => c,
        })
        .collect()
}

/// Renders the briefing to PDF bytes.
pub fn render(b: &Briefing, opts: &PdfOptions) -> Result<Pdf, PdfError> {
    let mut blocks = story::story(b);
    let chrome_regular = format!(
        "{} briefing As of {} {} Page of 0123456789{PAGE_TOTAL_PLACEHOLDER} {BULLET}…",
        b.header.title,
        crate::PartialDate::from_naive(b.header.as_of).human(),
        b.generator
    );

    // Which characters each style needs; which of them the fonts have.
    let mut used: [BTreeSet<char>; 4] = Default::default();
    for block in &blocks {
        for span in block.spans() {
            used[span.style_index()].extend(clean(&span.text).chars());
        }
    }
    used[0].extend(clean(&chrome_regular).chars());
    used[0].insert(PAGE_TOTAL_PLACEHOLDER);
    used[1].extend("0123456789".chars());
    let mut covered: Vec<BTreeSet<char>> = Vec::with_capacity(4);
    for (i, chars) in used.iter().enumerate() {
        covered.push(opts.fonts.coverage(i, chars.iter().copied())?);
    }
    let replacement = if (0..4).all(|i| {
        !opts
            .fonts
            .coverage(i, [REPLACEMENT])
            .unwrap_or_default()
            .is_empty()
    }) {
        REPLACEMENT
    } else {
        REPLACEMENT_FALLBACK
    };
    let missing: BTreeSet<char> = (0..4)
        .flat_map(|i| used[i].difference(&covered[i]).copied().collect::<Vec<_>>())
        .collect();
    let warnings = missing_warnings(b, &missing, &opts.fonts.name, replacement);

    // Replace what cannot be printed, so nothing silently disappears.
    let fix = |s: &str, i: usize| -> String {
        clean(s)
            .chars()
            .map(|c| {
                if covered[i].contains(&c) || c == ' ' {
                    c
                } else {
                    replacement
                }
            })
            .collect()
    };
    for block in &mut blocks {
        fix_block(block, &fix);
    }
    for set in &mut used {
        set.retain(|c| !missing.contains(c));
        set.insert(replacement);
        set.insert(' ');
    }

    // Fonts: subset each style to its characters (or keep it whole, to measure).
    let mut data: Vec<Vec<u8>> = Vec::with_capacity(4);
    for (i, chars) in used.iter().enumerate() {
        data.push(if opts.subset {
            opts.fonts.subset(i, chars)?
        } else {
            opts.fonts.data[i].clone()
        });
    }
    let glyphs_of = |font: &[u8], chars: &[char]| -> Result<Vec<u16>, PdfError> {
        let set = FontSet {
            name: opts.fonts.name.clone(),
            data: [font.to_vec(), Vec::new(), Vec::new(), Vec::new()],
        };
        set.glyph_ids(0, chars).map_err(PdfError::from)
    };
    let digit_chars: Vec<char> = "0123456789".chars().collect();
    let digits = glyphs_of(&data[0], &digit_chars)?;
    let placeholder = glyphs_of(&data[0], &[PAGE_TOTAL_PLACEHOLDER])?;
    let family_data = |i: usize| {
        FontData::new(data[i].clone(), None)
            .map_err(|e| PdfError::Layout(format!("font {}: {e}", STYLES[i])))
    };
    let family = FontFamily {
        regular: family_data(0)?,
        bold: family_data(1)?,
        italic: family_data(2)?,
        bold_italic: family_data(3)?,
    };

    let mut doc = genpdf::Document::new(family);
    doc.set_minimal_conformance();
    let (w, h) = opts.paper.size_mm();
    doc.set_paper_size(Size::new(w, h));
    doc.set_font_size(BODY);
    doc.set_line_spacing(1.25);
    doc.set_title(b.header.title.clone());
    let small = Style::new().with_font_size(8).with_color(MUTED);
    doc.set_page_decorator(Decorator::new(
        Margins::trbl(MARGIN_TOP, MARGIN_X, MARGIN_BOTTOM, MARGIN_X),
        fix(&format!("{} briefing", b.header.title), 0),
        fix(
            &format!(
                "As of {}",
                crate::PartialDate::from_naive(b.header.as_of).human()
            ),
            0,
        ),
        fix(&b.generator, 0),
        small,
    ));
    let body_height =
        Mm::from(h - MARGIN_TOP - MARGIN_BOTTOM - Decorator::HEADER - Decorator::FOOTER);
    for block in blocks {
        push_block(&mut doc, block, body_height);
    }
    let mut raw = Vec::new();
    doc.render(&mut raw)
        .map_err(|e| PdfError::Layout(e.to_string()))?;

    let keywords: Vec<&str> = b.fields.iter().map(|f| f.label.as_str()).collect();
    let meta = finish::Metadata {
        title: format!(
            "{} briefing, as of {}",
            b.header.title,
            crate::PartialDate::from_naive(b.header.as_of).human()
        ),
        subject: format!(
            "Commitments and expert views between {}",
            crate::briefing::aggregate::join_and(
                &b.header
                    .parties
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
            )
        ),
        author: opts.author.clone().unwrap_or_else(|| b.generator.clone()),
        keywords: keywords.join(", "),
        creator: "bilateral".to_string(),
        producer: format!("{} (genpdf 0.2, lopdf 0.26)", b.generator),
        date: b.header.as_of,
        id_seed: {
            let mut seed = serde_json::to_vec(b).map_err(|e| PdfError::Finish(e.to_string()))?;
            seed.extend_from_slice(
                format!("{:?}{:?}{}", opts.paper, opts.author, opts.fonts.name).as_bytes(),
            );
            seed
        },
    };
    let total = finish::PageTotal {
        regular_font_file: data[0].clone(),
        placeholder: placeholder[0],
        digits: digits
            .try_into()
            .map_err(|_| PdfError::Finish("digit glyphs".into()))?,
    };
    let names: Vec<finish::FontName> = data
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let base = format!("{}-{}", opts.fonts.name, STYLES[i]);
            finish::FontName {
                name: if opts.subset {
                    format!("{}+{base}", subset_tag(file))
                } else {
                    base
                },
                file: file.clone(),
            }
        })
        .collect();
    let (bytes, pages) = finish::finish(&raw, &total, &names, &meta).map_err(PdfError::Finish)?;
    Ok(Pdf {
        bytes,
        pages,
        warnings,
    })
}

/// Six capital letters derived from the font program, as PDF subset names carry.
fn subset_tag(file: &[u8]) -> String {
    let h = crate::base::hash::fnv1a(file, crate::base::hash::FNV_OFFSET);
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 8)) % 26) as u8))
        .collect()
}

fn fix_block(block: &mut Block, fix: &impl Fn(&str, usize) -> String) {
    let spans = |v: &mut Vec<Span>| {
        for s in v {
            s.text = fix(&s.text, s.style_index());
        }
    };
    match block {
        Block::Title { title, subtitle } => {
            *title = fix(title, 1);
            *subtitle = fix(subtitle, 0);
        }
        Block::Meta(rows) => {
            for (k, v) in rows {
                *k = fix(k, 1);
                *v = fix(v, 0);
            }
        }
        Block::Heading { text, .. } => *text = fix(text, 1),
        Block::Para(s) | Block::Item { spans: s, .. } => spans(s),
        Block::Quote(q) => *q = fix(q, 2),
        Block::Table { header, rows, .. } => {
            for h in header {
                *h = fix(h, 1);
            }
            for c in rows.iter_mut().flatten() {
                *c = fix(c, 0);
            }
        }
        Block::Chart(bars) => {
            for (l, _) in bars {
                *l = fix(l, 0);
            }
        }
        Block::Gap(_) => {}
    }
}

/// Warnings for characters the fonts lack, naming the documents whose text holds them.
fn missing_warnings(
    b: &Briefing,
    missing: &BTreeSet<char>,
    font: &str,
    replacement: char,
) -> Vec<String> {
    if missing.is_empty() {
        return Vec::new();
    }
    let mut by_doc: BTreeMap<String, BTreeSet<char>> = BTreeMap::new();
    let mut note = |doc: &str, t: &str| {
        for c in t.chars().filter(|c| missing.contains(c)) {
            by_doc.entry(doc.to_string()).or_default().insert(c);
        }
    };
    for f in &b.fields {
        for c in &f.commitments {
            for t in [
                Some(&c.summary),
                c.quote.as_ref(),
                c.note.as_ref(),
                Some(&c.document_title),
            ]
            .into_iter()
            .flatten()
            {
                note(&c.document, t);
            }
        }
    }
    for g in &b.views {
        for t in [
            Some(&g.author),
            g.role.as_ref(),
            g.affiliation.as_ref(),
            Some(&g.document_title),
        ]
        .into_iter()
        .flatten()
        {
            note(&g.document, t);
        }
        for v in &g.views {
            for t in [Some(&v.summary), v.quote.as_ref()].into_iter().flatten() {
                note(&g.document, t);
            }
        }
    }
    for bucket in &b.timeline {
        for d in &bucket.documents {
            note(&d.id, &d.title);
        }
    }
    for s in &b.sources {
        for t in [
            Some(&s.publisher),
            s.title.as_ref(),
            s.note.as_ref(),
            s.url.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            note(&format!("source {}", s.number), t);
        }
    }
    let attributed: BTreeSet<char> = by_doc.values().flatten().copied().collect();
    let rest: BTreeSet<char> = missing.difference(&attributed).copied().collect();
    if !rest.is_empty() {
        by_doc.insert("the dataset manifest (title or names)".to_string(), rest);
    }
    by_doc
        .into_iter()
        .map(|(doc, chars)| {
            let list: Vec<String> = chars
                .iter()
                .map(|c| format!("U+{:04X} {c}", *c as u32))
                .collect();
            let whose = if doc.starts_with("source ") || doc.starts_with("the dataset") {
                doc
            } else {
                format!("document `{doc}`")
            };
            format!(
                "{whose}: the font {font} has no glyph for {}; printed as {replacement} in the PDF",
                list.join(", ")
            )
        })
        .collect()
}

fn style(bold: bool, italic: bool, size: u8, color: genpdf::style::Color) -> Style {
    let mut s = Style::new().with_font_size(size).with_color(color);
    if bold {
        s.set_bold();
    }
    if italic {
        s.set_italic();
    }
    s
}

fn runs(spans: Vec<Span>, size: u8) -> Vec<Run> {
    spans
        .into_iter()
        .map(|s| {
            let color = if s.muted { MUTED } else { INK };
            Run::new(s.text, style(s.bold, s.italic, size, color))
        })
        .collect()
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

fn push_block(doc: &mut genpdf::Document, block: Block, body_height: Mm) {
    match block {
        Block::Title { title, subtitle } => {
            doc.push(
                Flow::new(vec![Run::new(title, style(true, false, 20, ACCENT))]).space_after(1.5),
            );
            doc.push(
                Flow::new(vec![Run::new(subtitle, style(false, false, 13, MUTED))])
                    .space_after(4.0),
            );
        }
        Block::Meta(rows) => {
            let mut t = TableLayout::new(vec![22, 78]);
            for (k, v) in rows {
                let _ = t
                    .row()
                    .element(PaddedElement::new(
                        Flow::new(vec![Run::new(k, style(true, false, 9, MUTED))]),
                        Margins::trbl(0.6, 1, 0.6, 0),
                    ))
                    .element(PaddedElement::new(
                        Flow::new(vec![Run::new(v, style(false, false, 9, INK))]),
                        Margins::trbl(0.6, 0, 0.6, 1),
                    ))
                    .push();
            }
            doc.push(t);
            doc.push(Space(3.0));
        }
        Block::Heading { level, text } => {
            let (size, before, keep) = if level == 1 {
                (14, 6.0, 40.0)
            } else {
                (11, 3.0, 25.0)
            };
            let color = if level == 1 { ACCENT } else { INK };
            let mut l = LinearLayout::vertical();
            l.push(Space(before));
            l.push(
                Flow::new(vec![Run::new(text, style(true, false, size, color))]).space_after(1.8),
            );
            doc.push(KeepWithNext::new(l, keep, body_height));
        }
        Block::Para(spans) => doc.push(Flow::new(runs(spans, BODY)).space_after(2.0)),
        Block::Item { spans, indent } => {
            let size = if indent > 0.0 { 9 } else { BODY };
            let mut f = Flow::new(runs(spans, size)).space_after(1.2).indent(indent);
            if indent == 0.0 {
                f = f.bullet(Run::new(BULLET, style(false, false, BODY, ACCENT)));
            } else {
                f = f.indent(indent + 3.2);
            }
            doc.push(f);
        }
        Block::Quote(q) => {
            doc.push(
                Flow::new(vec![Run::new(q, style(false, true, 9, MUTED))])
                    .indent(8.0)
                    .space_after(1.8),
            );
        }
        Block::Table {
            weights,
            right,
            header,
            rows,
        } => {
            let mut t = TableLayout::new(weights);
            t.set_cell_decorator(Rules::default());
            let cell = |text: String, s: Style, r: bool| {
                PaddedElement::new(
                    Flow::new(vec![Run::new(text, s)]).align(if r {
                        Align::Right
                    } else {
                        Align::Left
                    }),
                    Margins::trbl(1.2, 1.5, 1.2, 1.5),
                )
            };
            let mut row = t.row();
            for (i, h) in header.into_iter().enumerate() {
                row.push_element(cell(h, style(true, false, 9, ACCENT), right[i]));
            }
            let _ = row.push();
            for r in rows {
                let mut row = t.row();
                for (i, c) in r.into_iter().enumerate() {
                    row.push_element(cell(c, style(false, false, 9, INK), right[i]));
                }
                let _ = row.push();
            }
            doc.push(t);
            doc.push(Space(2.0));
        }
        Block::Chart(bars) => doc.push(BarChart::new(bars, style(false, false, 9, INK))),
        Block::Gap(mm) => doc.push(Space(mm)),
    }
}
