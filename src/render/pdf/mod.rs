//! The PDF briefing, laid out from the Markdown briefing with genpdf.
//!
//! The pipeline: the Markdown becomes blocks (`blocks`); their characters decide which glyphs
//! each font style needs, missing ones are replaced and reported (`glyphs`), and the fonts are
//! subset (`fonts`); genpdf lays the blocks out with our elements (`layout`, `elements`), each
//! wrapped in its structure node (`tags`), into display lists; krilla writes them (`write`):
//! tagged, with links, the outline, the page totals, the metadata and a stable id, checked
//! against PDF/UA-1 and the PDF/A level asked for. Nothing touches the disk or the clock: the
//! caller gets bytes, or an error and no bytes.

pub mod blocks;
pub(crate) mod elements;
pub mod fonts;
mod glyphs;
mod images;
mod layout;
mod pack;
pub(crate) mod tags;
mod write;

use genpdf::fonts::{FontData, FontFamily};

use crate::briefing::model::Briefing;
use fonts::{Fallback, FontError, FontSet, STYLES};
use glyphs::Glyphs;

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

    /// "a4", "letter": the name `FromStr` reads.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
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

/// The PDF/A level of an archival copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    /// PDF/A-2b: looks the same in every reader, for ever.
    A2b,
    /// PDF/A-2u: and every character's text can be extracted.
    A2u,
    /// PDF/A-2a: and it is tagged, with its language and alternative texts.
    A2a,
}

/// The standards a PDF is written to and checked against (`--pdf-standard`). Every briefing is
/// tagged; the default is PDF/UA-1, as public bodies publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfStandard {
    /// PDF/UA-1 (ISO 14289-1): accessible to screen readers.
    pub ua1: bool,
    /// PDF/A-2 (ISO 19005-2): for archives.
    pub archival: Option<Archive>,
}

impl Default for PdfStandard {
    fn default() -> Self {
        Self {
            ua1: true,
            archival: None,
        }
    }
}

impl PdfStandard {
    /// "ua-1,a-2a", as `FromStr` reads it back ("none" for neither).
    pub fn name(self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.ua1 {
            parts.push("ua-1");
        }
        parts.extend(self.archival.map(|a| match a {
            Archive::A2b => "a-2b",
            Archive::A2u => "a-2u",
            Archive::A2a => "a-2a",
        }));
        match parts.is_empty() {
            true => "none".to_string(),
            false => parts.join(","),
        }
    }
}

impl std::str::FromStr for PdfStandard {
    type Err = String;
    /// A comma-separated list of `ua-1`, `a-2b`, `a-2u`, `a-2a`; or `none`.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut out = PdfStandard {
            ua1: false,
            archival: None,
        };
        for part in s.split(',').map(|p| p.trim().to_ascii_lowercase()) {
            let archive = match part.as_str() {
                "none" => continue,
                "ua-1" | "ua1" | "pdf/ua-1" => {
                    out.ua1 = true;
                    continue;
                }
                "a-2b" | "a2b" | "pdf/a-2b" => Archive::A2b,
                "a-2u" | "a2u" | "pdf/a-2u" => Archive::A2u,
                "a-2a" | "a2a" | "pdf/a-2a" => Archive::A2a,
                other => {
                    return Err(format!(
                        "unknown PDF standard `{other}`; expected ua-1, a-2b, a-2u, a-2a \
                         (several separated by commas), or none"
                    ))
                }
            };
            if out.archival.is_some_and(|a| a != archive) {
                return Err("name one PDF/A level, not two".to_string());
            }
            out.archival = Some(archive);
        }
        Ok(out)
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub paper: Paper,
    /// The document's author in its metadata. Default: the generator.
    pub author: Option<String>,
    pub fonts: FontSet,
    /// Fonts for the characters the family lacks, tried in order.
    pub fallbacks: Vec<Fallback>,
    /// Then the system's fonts (found with fontdb), for characters none of those has.
    pub system_fonts: bool,
    /// Subset the fonts to the briefing's characters before layout (default). The writer
    /// subsets what it embeds either way; off, it starts from the whole fonts (a larger file),
    /// to measure what subsetting first saves.
    pub subset: bool,
    /// The standards the file meets (default: PDF/UA-1).
    pub standard: PdfStandard,
}

impl Default for PdfOptions {
    fn default() -> Self {
        Self {
            paper: Paper::A4,
            author: None,
            fonts: FontSet::embedded(),
            fallbacks: Fallback::embedded(),
            system_fonts: true,
            subset: true,
            standard: PdfStandard::default(),
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
    #[error("cannot write the PDF: {0}")]
    Finish(String),
    #[error("{0}")]
    Image(String),
}

/// Lays out the Markdown briefing `markdown` (rendered from `b` by the templates) as a PDF,
/// with the templates folder's `images` that it places. The briefing gives the metadata and
/// names the documents in warnings.
pub fn render(
    markdown: &str,
    b: &Briefing,
    opts: &PdfOptions,
    images: &[crate::render::templates::Image],
) -> Result<Pdf, PdfError> {
    let (mut blocks, mut chrome) = blocks::parse(markdown);
    let images = images::Images::load(&mut blocks, images)?;
    let glyphs = Glyphs::plan(
        &blocks,
        &chrome,
        &opts.fonts,
        &opts.fallbacks,
        opts.system_fonts,
    )?;
    for block in &mut blocks {
        block.map_text(&|t, i| glyphs.fix(t, i));
    }
    for t in chrome.running.iter_mut().chain(chrome.footer.iter_mut()) {
        *t = glyphs.fix(t, 0);
    }
    chrome.marking = glyphs.fix(&chrome.marking, 1);
    let warnings = glyphs.warnings(b, &opts.fonts.name);
    let (data, family) = family(&glyphs, opts)?;
    let title = blocks
        .iter()
        .find_map(|b| match b {
            blocks::Block::Title(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let fallback_data = fallbacks(&glyphs)?;
    let route = glyphs.route.iter().map(|(c, k)| (*c, *k));
    let content = layout::Content {
        title: &title,
        blocks,
        chrome: &chrome,
        images: &images,
    };
    let (rendered, outline, roles) =
        layout::lay_out(family, fallback_data, route, content, opts.paper)?;
    let meta = metadata(b, opts, title, &chrome)?;
    let total = glyphs::page_total(&data[0], &opts.fonts.name)?;
    let pages = rendered.pages.len();
    let job = write::Job {
        meta: &meta,
        outline: &outline,
        roles,
        total,
        standard: opts.standard,
        images: &images,
    };
    let bytes = write::write(rendered, job)?;
    Ok(Pdf {
        bytes,
        pages,
        warnings,
    })
}

/// The family's four styles, each subset to its characters (or whole, to measure), as bytes and
/// as genpdf's fonts.
fn family(
    glyphs: &Glyphs,
    opts: &PdfOptions,
) -> Result<(Vec<Vec<u8>>, FontFamily<FontData>), PdfError> {
    let data: Vec<Vec<u8>> = (0..4)
        .map(|i| match opts.subset {
            true => opts.fonts.subset(i, &glyphs.used[i]),
            false => Ok(opts.fonts.data[i].to_vec()),
        })
        .collect::<Result<_, _>>()?;
    let font = |i: usize| {
        FontData::new(data[i].clone())
            .map_err(|e| PdfError::Layout(format!("font {}: {e}", STYLES[i])))
    };
    let family = FontFamily {
        regular: font(0)?,
        bold: font(1)?,
        italic: font(2)?,
        bold_italic: font(3)?,
    };
    Ok((data, family))
}

/// Each fallback that prints anything, subset to what it prints, as genpdf's fonts (with its
/// index among the fallbacks).
fn fallbacks(glyphs: &Glyphs) -> Result<Vec<(usize, FontData)>, PdfError> {
    let mut out = Vec::new();
    for (k, chars) in glyphs.fallback_used.iter().enumerate() {
        if !chars.is_empty() {
            let f = &glyphs.fallbacks[k];
            // A font that shapes keeps its layout tables and contextual forms, which a subset by
            // characters drops: it goes in whole, and the writer subsets it by the glyphs drawn.
            let program = match chars.iter().any(|&c| fonts::needs_shaping(c)) {
                true => f.data.to_vec(),
                false => f.subset(chars)?,
            };
            let data = FontData::new(program)
                .map_err(|e| PdfError::Layout(format!("font {}: {e}", f.name)))?;
            out.push((k, data));
        }
    }
    Ok(out)
}

/// The information dictionary: words from the templates (the title and the running header),
/// labels from the briefing.
fn metadata(
    b: &Briefing,
    opts: &PdfOptions,
    title: String,
    chrome: &blocks::Chrome,
) -> Result<write::Metadata, PdfError> {
    let keywords: Vec<&str> = b.fields.iter().map(|f| f.label.as_str()).collect();
    let parties: Vec<&str> = b.header.parties.iter().map(|p| p.name.as_str()).collect();
    let mut id_seed = serde_json::to_vec(b).map_err(|e| PdfError::Finish(e.to_string()))?;
    id_seed.extend_from_slice(
        format!(
            "{:?}{:?}{}{title}{chrome:?}{:?}",
            opts.paper, opts.author, opts.fonts.name, opts.standard
        )
        .as_bytes(),
    );
    Ok(write::Metadata {
        title,
        subject: [parties.join(" – "), chrome.running[1].clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        author: opts.author.clone().unwrap_or_else(|| b.generator.clone()),
        keywords: keywords.into_iter().map(str::to_string).collect(),
        creator: "bilateral".to_string(),
        producer: format!("{} (genpdf 0.2, krilla 0.8)", b.generator),
        date: b.header.as_of,
        lang: chrome.lang.clone(),
        id_seed,
    })
}
