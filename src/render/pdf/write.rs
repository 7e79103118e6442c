//! The PDF file, written with krilla from genpdf's display lists.
//!
//! genpdf lays the briefing out and records each page as a list of placed glyphs, lines and
//! marks; this writes them with krilla (typst's PDF writer), which embeds and subsets the fonts,
//! maps every glyph back to its text, and checks the result against the standards asked for
//! (PDF/UA-1, PDF/A-2): a file that fails them is not written. Here the marks become the
//! structure tree (see `tags`), links become annotations, the footer's page-total placeholder
//! becomes the page count, and the metadata, the outline and a stable document id are set. The
//! as-of date is the file's date; nothing reads the clock.

use std::collections::HashMap;
use std::num::NonZeroU16;

use chrono::Datelike;
use genpdf::display::{Op, PageList, PlacedGlyph};
use genpdf::style::Color;
use krilla::color::{luma, rgb};
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata as PdfMeta};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Paint, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::SerializeSettings;

use super::elements::Bookmark;
use super::tags::{Artifact, Role};
use super::{PdfError, PdfStandard};

/// What goes into the document's metadata.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub keywords: Vec<String>,
    pub creator: String,
    pub producer: String,
    /// Creation and modification date: the briefing's as-of date, at midnight UTC.
    pub date: chrono::NaiveDate,
    /// The document's language.
    pub lang: Option<String>,
    /// Bytes the document id is derived from (the briefing and the options).
    pub id_seed: Vec<u8>,
}

/// The digits' glyphs in the regular font (font 0), which print the page total in place of the
/// footer's placeholder.
#[derive(Debug, Clone)]
pub struct PageTotal {
    pub digits: [u16; 10],
}

/// Everything the writer needs besides the pages.
pub(super) struct Job<'a> {
    pub meta: &'a Metadata,
    pub outline: &'a [Bookmark],
    pub roles: Vec<Role>,
    pub total: PageTotal,
    pub standard: PdfStandard,
    /// The images the pages place, by name.
    pub images: &'a super::images::Images,
}

/// Writes the laid-out pages as a PDF file.
pub(super) fn write(r: genpdf::Rendered, job: Job<'_>) -> Result<Vec<u8>, PdfError> {
    let fonts = r
        .fonts
        .iter()
        .enumerate()
        .map(|(i, data)| {
            Font::new(data.clone().into(), 0)
                .ok_or_else(|| PdfError::Finish(format!("font {i} cannot be read")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut doc = krilla::Document::new_with(settings(job.standard)?);
    let anchors = anchors(&r.pages);
    let count = r.pages.len();
    let mut tree = Tree::new(job.roles);
    for (index, page) in r.pages.iter().enumerate() {
        let mut painter = Painter {
            fonts: &fonts,
            total: &job.total,
            count,
            anchors: &anchors,
            tree: &mut tree,
            images: job.images,
        };
        painter.page(&mut doc, index, page)?;
    }
    doc.set_outline(outline(job.outline, &anchors));
    doc.set_metadata(metadata(job.meta));
    doc.set_tag_tree(tree.finish(job.meta.lang.clone()));
    let bytes = doc.finish().map_err(|e| PdfError::Finish(explain(e)))?;
    Ok(super::pack::pack(&bytes).unwrap_or(bytes))
}

fn settings(standard: PdfStandard) -> Result<SerializeSettings, PdfError> {
    let mut config = ConfigurationBuilder::new();
    if standard.ua1 {
        config = config.with_accessibility_validator(Accessibility::UA1);
    }
    if let Some(a) = standard.archival {
        config = config.with_archival_validator(match a {
            super::Archive::A2b => Archival::A2_B,
            super::Archive::A2u => Archival::A2_U,
            super::Archive::A2a => Archival::A2_A,
        });
    }
    let configuration = config
        .finish()
        .map_err(|e| PdfError::Finish(format!("{e:?}")))?;
    Ok(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    })
}

/// Where each named anchor is: (page index, y in points).
fn anchors(pages: &[PageList]) -> HashMap<String, (usize, f32)> {
    let mut out = HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        for op in &page.ops {
            if let Op::Anchor { name, y } = op {
                out.entry(name.clone()).or_insert((index, *y));
            }
        }
    }
    out
}

/// One page's painting: the pages' shared state, borrowed.
struct Painter<'a> {
    fonts: &'a [Font],
    total: &'a PageTotal,
    count: usize,
    anchors: &'a HashMap<String, (usize, f32)>,
    tree: &'a mut Tree,
    images: &'a super::images::Images,
}

/// The marked-content section open on a surface: for a node's content, or an artifact.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Content(Option<u32>, bool),
    Artifact(Artifact),
}

impl Painter<'_> {
    fn page(
        &mut self,
        doc: &mut krilla::Document,
        index: usize,
        list: &PageList,
    ) -> Result<(), PdfError> {
        let (w, h) = list.size;
        let settings = PageSettings::from_wh(w, h)
            .ok_or_else(|| PdfError::Finish(format!("page {} has no size", index + 1)))?;
        let mut page = doc.start_page_with(settings);
        let mut links = Vec::new();
        {
            let mut surface = page.surface();
            let mut stack: Vec<u32> = Vec::new();
            let mut open: Option<Section> = None;
            for op in &list.ops {
                match op {
                    Op::Begin(id) => stack.push(*id),
                    Op::End => {
                        stack.pop();
                    }
                    Op::Anchor { .. } => {}
                    Op::Link { rect, target } => links.push((stack.clone(), *rect, target)),
                    Op::Glyphs { .. } | Op::Line { .. } | Op::Rect { .. } | Op::Image { .. } => {
                        let graphic = !matches!(op, Op::Glyphs { .. });
                        let section = self.tree.section(&stack, graphic);
                        if open != Some(section) {
                            if open.is_some() {
                                surface.end_tagged();
                            }
                            self.start(&mut surface, section, &stack);
                            open = Some(section);
                        }
                        self.draw(&mut surface, op);
                    }
                }
            }
            if open.is_some() {
                surface.end_tagged();
            }
            surface.finish();
        }
        for (stack, rect, target) in links {
            if let Some(annotation) = self.link(rect, target, &stack) {
                let id = page.add_tagged_annotation(annotation);
                self.tree.leaf(&stack, id);
            }
        }
        page.finish();
        Ok(())
    }

    fn start(&mut self, surface: &mut Surface<'_>, section: Section, stack: &[u32]) {
        match section {
            Section::Artifact(kind) => {
                let kind = match kind {
                    Artifact::Header => ArtifactType::Header,
                    Artifact::Footer => ArtifactType::Footer,
                    Artifact::Layout => ArtifactType::Layout,
                    Artifact::Pagination => ArtifactType::PaginationOther,
                };
                surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::with_kind(
                    kind,
                )));
            }
            Section::Content(_, path) => {
                let tag = match path {
                    true => ContentTag::Other,
                    false => ContentTag::Span(SpanTag::empty()),
                };
                let id = surface.start_tagged(tag);
                self.tree.leaf(stack, id);
            }
        }
    }

    fn draw(&self, surface: &mut Surface<'_>, op: &Op) {
        match op {
            Op::Glyphs {
                font,
                size,
                color,
                stroke,
                origin,
                glyphs,
                text,
            } => {
                let (glyphs, text) = self.page_total(*font, glyphs, text);
                let paint = paint(*color);
                surface.set_fill(Some(Fill {
                    paint: paint.clone(),
                    opacity: NormalizedF32::ONE,
                    rule: FillRule::NonZero,
                }));
                surface.set_stroke(stroke.then(|| Stroke {
                    paint,
                    width: size / 30.0,
                    ..Stroke::default()
                }));
                let glyphs: Vec<KrillaGlyph> = glyphs.iter().map(krilla_glyph).collect();
                let start = Point::from_xy(origin.0, origin.1);
                let font = self.fonts[*font].clone();
                surface.draw_glyphs(start, &glyphs, font, &text, *size, false);
                surface.set_stroke(None);
            }
            Op::Line { points, color } => {
                let mut path = PathBuilder::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    match i {
                        0 => path.move_to(*x, *y),
                        _ => path.line_to(*x, *y),
                    }
                }
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(*color),
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Op::Rect { rect, color } => {
                if let Some(r) = Rect::from_xywh(rect.0, rect.1, rect.2, rect.3) {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(*color),
                        opacity: NormalizedF32::ONE,
                        rule: FillRule::NonZero,
                    }));
                    let mut path = PathBuilder::new();
                    path.push_rect(r);
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
            }
            Op::Image { rect, name } => {
                let size = krilla::geom::Size::from_wh(rect.2, rect.3);
                if let (Some(image), Some(size)) = (self.images.get(name), size) {
                    let at = krilla::geom::Transform::from_translate(rect.0, rect.1);
                    surface.push_transform(&at);
                    surface.draw_image(image.clone(), size);
                    surface.pop();
                }
            }
            _ => {}
        }
    }

    /// The footer's placeholder in the regular font, replaced by the digits of the page count
    /// (each as wide as the placeholder, a figure space).
    fn page_total(
        &self,
        font: usize,
        glyphs: &[PlacedGlyph],
        text: &str,
    ) -> (Vec<PlacedGlyph>, String) {
        let placeholder = super::elements::PAGE_TOTAL_PLACEHOLDER;
        let is_total = font == 0 && text.chars().eq([placeholder]);
        if !is_total {
            return (glyphs.to_vec(), text.to_string());
        }
        let advance = glyphs.first().map_or(0.5, |g| g.advance);
        let digits = self.count.to_string();
        let glyphs = digits
            .bytes()
            .enumerate()
            .map(|(i, b)| PlacedGlyph {
                id: self.total.digits[usize::from(b - b'0')],
                advance,
                offset: (0.0, 0.0),
                text: (i, i + 1),
            })
            .collect();
        (glyphs, digits)
    }

    /// A link annotation for the rectangle: to a URL, or to an anchor's place.
    fn link(
        &self,
        rect: (f32, f32, f32, f32),
        target: &str,
        stack: &[u32],
    ) -> Option<krilla::annotation::Annotation> {
        use krilla::action::LinkAction;
        use krilla::annotation::{Annotation, LinkAnnotation, Target};
        let target_text = target;
        let rect = Rect::from_xywh(rect.0, rect.1, rect.2.max(0.1), rect.3.max(0.1))?;
        let target = match target.strip_prefix('#') {
            Some(name) => {
                let (page, y) = self.anchors.get(name)?;
                Target::Destination(XyzDestination::new(*page, Point::from_xy(0.0, *y)).into())
            }
            None => Target::Action(LinkAction::new(target.to_string()).into()),
        };
        let alt = stack
            .iter()
            .rev()
            .find_map(|id| match self.tree.role(*id) {
                Role::Link(alt) => Some(alt.clone()),
                _ => None,
            })
            .unwrap_or_else(|| target_text.to_string());
        Some(Annotation::new_link(
            LinkAnnotation::new(rect, target),
            Some(alt),
        ))
    }
}

fn krilla_glyph(g: &PlacedGlyph) -> KrillaGlyph {
    KrillaGlyph::new(
        GlyphId::new(u32::from(g.id)),
        g.advance,
        g.offset.0,
        g.offset.1,
        0.0,
        g.text.0..g.text.1,
        None,
    )
}

fn paint(color: Option<Color>) -> Paint {
    match color.unwrap_or(Color::Rgb(0, 0, 0)) {
        Color::Rgb(r, g, b) => rgb::Color::new(r, g, b).into(),
        Color::Greyscale(v) => luma::Color::new(v).into(),
        // No CMYK profile is embedded (PDF/A would need one): a naive conversion.
        Color::Cmyk(c, m, y, k) => {
            let f = |v: u8| ((255 - u16::from(v)) * (255 - u16::from(k)) / 255) as u8;
            rgb::Color::new(f(c), f(m), f(y)).into()
        }
    }
}

/// The bookmarks as the outline: sections, with their subsections as children (a subsection
/// before any section at the top), each pointing at its heading.
fn outline(marks: &[Bookmark], anchors: &HashMap<String, (usize, f32)>) -> Outline {
    let mut outline = Outline::new();
    let mut section: Option<OutlineNode> = None;
    let dest = |m: &Bookmark| {
        let (page, y) = anchors
            .get(&m.anchor)
            .copied()
            .unwrap_or((m.page.saturating_sub(1), 0.0));
        XyzDestination::new(page, Point::from_xy(0.0, y))
    };
    for m in marks {
        let node = OutlineNode::new(m.title.clone(), dest(m));
        match (m.level, section.as_mut()) {
            (1, _) => {
                if let Some(done) = section.replace(node.with_open(false)) {
                    outline.push_child(done);
                }
            }
            (_, Some(open)) => open.push_child(node),
            (_, None) => outline.push_child(node),
        }
    }
    if let Some(done) = section {
        outline.push_child(done);
    }
    outline
}

fn metadata(meta: &Metadata) -> PdfMeta {
    let d = meta.date;
    let date = DateTime::new(d.year() as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let mut m = PdfMeta::new()
        .title(meta.title.clone())
        .description(meta.subject.clone())
        .authors(vec![meta.author.clone()])
        .keywords(meta.keywords.clone())
        .creator(meta.creator.clone())
        .producer(meta.producer.clone())
        .creation_date(date)
        .document_id(document_id(&meta.id_seed));
    if let Some(lang) = &meta.lang {
        m = m.language(lang.clone());
    }
    m
}

/// 16 bytes from the seed (FNV-1a, two seeds), as hex.
fn document_id(seed: &[u8]) -> String {
    use crate::base::hash::{fnv1a, FNV_OFFSET};
    let a = fnv1a(seed, FNV_OFFSET);
    let b = fnv1a(seed, a ^ 0x9e37_79b9_7f4a_7c15);
    format!("{a:016x}{b:016x}")
}

/// A failed write, explained: each failed requirement of the standards on its own line.
fn explain(e: KrillaError) -> String {
    match e {
        KrillaError::Validation(errors) => {
            let lines: Vec<String> = errors.iter().map(|(e, _)| requirement(e)).collect();
            format!(
                "the PDF does not meet the standard asked for (--pdf-standard):\n  {}",
                lines.join("\n  ")
            )
        }
        other => other.to_string(),
    }
}

fn requirement(e: &ValidationError) -> String {
    match e {
        ValidationError::ContainsNotDefGlyph(_, _, text) => {
            format!("a font has no glyph for {text:?}; give a font that has it (--fonts-dir)")
        }
        ValidationError::RestrictedLicense(_) => {
            "a font's licence forbids embedding it; use another font (--fonts-dir)".into()
        }
        ValidationError::NoDocumentTitle => "the briefing has no title".into(),
        other => format!("{other:?}"),
    }
}

/// The structure tree as the pages reveal it: which node each marked section and annotation
/// belongs to, and each node's place under the node open around it where it first drew.
struct Tree {
    roles: Vec<Role>,
    children: Vec<Vec<Child>>,
    attached: Vec<bool>,
    root: Vec<Child>,
}

enum Child {
    Node(u32),
    Leaf(Identifier),
}

impl Tree {
    fn new(roles: Vec<Role>) -> Self {
        let n = roles.len();
        Self {
            roles,
            children: (0..n).map(|_| Vec::new()).collect(),
            attached: vec![false; n],
            root: Vec::new(),
        }
    }

    fn role(&self, id: u32) -> &Role {
        &self.roles[id as usize]
    }

    /// Where content drawn with `stack` open goes: an artifact if any open node is one; a path
    /// or an image is content only in a figure, else decoration.
    fn section(&self, stack: &[u32], path: bool) -> Section {
        for id in stack.iter().rev() {
            if let Role::Artifact(kind) = self.role(*id) {
                return Section::Artifact(*kind);
            }
        }
        let top = stack.last().copied();
        if path
            && !stack
                .iter()
                .any(|id| matches!(self.role(*id), Role::Figure(_)))
        {
            return Section::Artifact(Artifact::Layout);
        }
        Section::Content(top, path)
    }

    /// Records a leaf under the innermost open node (attaching the open nodes first).
    fn leaf(&mut self, stack: &[u32], id: Identifier) {
        for (i, node) in stack.iter().enumerate() {
            let n = *node as usize;
            if !self.attached[n] {
                self.attached[n] = true;
                match i {
                    0 => self.root.push(Child::Node(*node)),
                    _ => self.children[stack[i - 1] as usize].push(Child::Node(*node)),
                }
            }
        }
        match stack.last() {
            Some(top) => self.children[*top as usize].push(Child::Leaf(id)),
            None => self.root.push(Child::Leaf(id)),
        }
    }

    fn finish(mut self, lang: Option<String>) -> TagTree {
        let mut tree = TagTree::new().with_lang(lang);
        for child in std::mem::take(&mut self.root) {
            match child {
                Child::Node(id) => tree.push(self.group(id)),
                // Text outside any node: a paragraph of its own.
                Child::Leaf(leaf) => {
                    let mut p = TagGroup::new(Tag::P);
                    p.push(leaf);
                    tree.push(p);
                }
            }
        }
        tree
    }

    fn group(&mut self, id: u32) -> Node {
        let mut group = TagGroup::new(kind(&self.roles[id as usize]));
        for child in std::mem::take(&mut self.children[id as usize]) {
            match child {
                Child::Node(c) => group.push(self.group(c)),
                Child::Leaf(leaf) => group.push(leaf),
            }
        }
        group.into()
    }
}

fn kind(role: &Role) -> TagKind {
    match role {
        Role::Heading(level, title) => {
            let level = NonZeroU16::new(u16::from(*level).max(1)).unwrap_or(NonZeroU16::MIN);
            Tag::Hn(level, Some(title.clone())).into()
        }
        Role::Paragraph => Tag::P.into(),
        Role::BlockQuote => Tag::BlockQuote.into(),
        Role::List { numbered } => Tag::L(match numbered {
            true => ListNumbering::Decimal,
            false => ListNumbering::Disc,
        })
        .into(),
        Role::Item => Tag::LI.into(),
        Role::Label => Tag::Lbl.into(),
        Role::Body => Tag::LBody.into(),
        Role::Table => Tag::Table.into(),
        Role::TableHead => Tag::THead.into(),
        Role::TableBody => Tag::TBody.into(),
        Role::Row => Tag::TR.into(),
        Role::HeaderCell { row } => Tag::TH(match row {
            true => TableHeaderScope::Row,
            false => TableHeaderScope::Column,
        })
        .into(),
        Role::Cell => Tag::TD.into(),
        Role::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
        Role::Caption => Tag::Caption.into(),
        Role::Link(_) => Tag::Link.into(),
        Role::Span { lang } => Tag::Span.with_lang(Some(lang.clone())).into(),
        // Artifacts never reach the tree; a stray one reads as a paragraph.
        Role::Artifact(_) => Tag::P.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genpdf::display::{Op, PageList, PlacedGlyph};

    /// One page with one run of `glyphs` in the built-in regular font.
    fn rendered(glyphs: Vec<PlacedGlyph>, text: &str) -> genpdf::Rendered {
        let font = crate::render::pdf::fonts::FontSet::embedded().data[0].to_vec();
        genpdf::Rendered {
            pages: vec![PageList {
                size: (595.0, 842.0),
                ops: vec![Op::Glyphs {
                    font: 0,
                    size: 10.0,
                    color: None,
                    stroke: false,
                    origin: (50.0, 50.0),
                    glyphs,
                    text: text.to_string(),
                }],
            }],
            fonts: vec![std::sync::Arc::new(font)],
            title: "T".into(),
        }
    }

    fn job(meta: &Metadata, standard: PdfStandard) -> Job<'_> {
        Job {
            meta,
            outline: &[],
            roles: Vec::new(),
            total: PageTotal { digits: [0; 10] },
            standard,
            images: &NO_IMAGES,
        }
    }

    static NO_IMAGES: std::sync::LazyLock<crate::render::pdf::images::Images> =
        std::sync::LazyLock::new(Default::default);

    fn meta() -> Metadata {
        Metadata {
            title: "T".into(),
            subject: String::new(),
            author: "a".into(),
            keywords: Vec::new(),
            creator: "c".into(),
            producer: "p".into(),
            date: chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap(),
            lang: Some("en".into()),
            id_seed: Vec::new(),
        }
    }

    #[test]
    fn a_glyph_the_font_lacks_fails_the_standards_with_a_readable_reason() {
        let notdef = vec![PlacedGlyph {
            id: 0,
            advance: 0.5,
            offset: (0.0, 0.0),
            text: (0, 3),
        }];
        let meta = meta();
        let err = write(
            rendered(notdef.clone(), "ꙮ"),
            job(&meta, PdfStandard::default()),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("has no glyph for \"ꙮ\""), "{err}");
        assert!(err.contains("--fonts-dir"), "{err}");
        // Without a standard the file is written (with the font's empty box).
        let none = PdfStandard {
            ua1: false,
            archival: None,
        };
        assert!(write(rendered(notdef, "ꙮ"), job(&meta, none)).is_ok());
    }

    #[test]
    fn standards_read_back_as_they_are_named() {
        for name in [
            "ua-1",
            "ua-1,a-2b",
            "ua-1,a-2u",
            "ua-1,a-2a",
            "a-2b",
            "none",
        ] {
            let s: PdfStandard = name.parse().unwrap();
            assert_eq!(s.name(), name);
        }
        assert!("a-2b,a-2u".parse::<PdfStandard>().is_err());
        assert!("pdf/x".parse::<PdfStandard>().is_err());
    }
}
