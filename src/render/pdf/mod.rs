//! The PDF briefing, laid out from the Markdown briefing with genpdf.
//!
//! The pipeline: the Markdown becomes blocks (`blocks`); their characters decide which glyphs
//! each font style needs, missing ones are replaced and reported (`glyphs`), and the fonts are
//! subset (`fonts`); genpdf lays the blocks out with our elements (`layout`, `elements`) into
//! memory; `finish` then fills in the page totals, the metadata and a stable id, and compresses.
//! Nothing touches the disk or the clock: the caller gets bytes, or an error and no bytes.

pub mod blocks;
pub(crate) mod elements;
pub(crate) mod finish;
pub mod fonts;
mod glyphs;
mod layout;

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
    /// Subset the fonts (default). Off only to measure what subsetting saves.
    pub subset: bool,
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

/// Lays out the Markdown briefing `markdown` (rendered from `b` by the templates) as a PDF.
/// The briefing gives the metadata and names the documents in warnings.
pub fn render(markdown: &str, b: &Briefing, opts: &PdfOptions) -> Result<Pdf, PdfError> {
    let (mut blocks, mut chrome) = blocks::parse(markdown);
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
    let warnings = glyphs.warnings(b, &opts.fonts.name);
    let (data, family) = family(&glyphs, opts)?;
    let title = blocks
        .iter()
        .find_map(|b| match b {
            blocks::Block::Title(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let (fallbacks, fallback_data) = fallbacks(&glyphs)?;
    let route = glyphs.route.iter().map(|(c, k)| (*c, *k));
    let (raw, outline) = layout::lay_out(
        family,
        fallback_data,
        route,
        &title,
        blocks,
        &chrome,
        opts.paper,
    )?;
    let meta = metadata(b, opts, title, &chrome)?;
    let mut names = font_names(&data, opts);
    names.extend(
        fallbacks
            .into_iter()
            .map(|(_, file, name)| finish::FontName {
                name: format!("{}+{name}", subset_tag(&file)),
                file,
            }),
    );
    let total = glyphs::page_total(&data[0], &opts.fonts.name)?;
    let (bytes, pages) =
        finish::finish(raw, &total, &names, &meta, &outline).map_err(PdfError::Finish)?;
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
        FontData::new(data[i].clone(), None)
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

/// Each fallback that prints anything, subset to what it prints: (index, bytes, name), and as
/// genpdf's fonts.
#[allow(clippy::type_complexity)]
fn fallbacks(
    glyphs: &Glyphs,
) -> Result<(Vec<(usize, Vec<u8>, String)>, Vec<(usize, FontData)>), PdfError> {
    let mut out: Vec<(usize, Vec<u8>, String)> = Vec::new();
    for (k, chars) in glyphs.fallback_used.iter().enumerate() {
        if !chars.is_empty() {
            let f = &glyphs.fallbacks[k];
            out.push((k, f.subset(chars)?, f.name.clone()));
        }
    }
    let data = out
        .iter()
        .map(|(k, d, name)| {
            FontData::new(d.clone(), None)
                .map(|fd| (*k, fd))
                .map_err(|e| PdfError::Layout(format!("font {name}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((out, data))
}

/// The information dictionary: words from the templates (the title and the running header),
/// labels from the briefing.
fn metadata(
    b: &Briefing,
    opts: &PdfOptions,
    title: String,
    chrome: &blocks::Chrome,
) -> Result<finish::Metadata, PdfError> {
    let keywords: Vec<&str> = b.fields.iter().map(|f| f.label.as_str()).collect();
    let parties: Vec<&str> = b.header.parties.iter().map(|p| p.name.as_str()).collect();
    let mut id_seed = serde_json::to_vec(b).map_err(|e| PdfError::Finish(e.to_string()))?;
    id_seed.extend_from_slice(
        format!(
            "{:?}{:?}{}{title}{chrome:?}",
            opts.paper, opts.author, opts.fonts.name
        )
        .as_bytes(),
    );
    Ok(finish::Metadata {
        title,
        subject: [parties.join(" – "), chrome.running[1].clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        author: opts.author.clone().unwrap_or_else(|| b.generator.clone()),
        keywords: keywords.join(", "),
        creator: "bilateral".to_string(),
        producer: format!("{} (genpdf 0.2, lopdf 0.26)", b.generator),
        date: b.header.as_of,
        lang: chrome.lang.clone(),
        id_seed,
    })
}

fn font_names(data: &[Vec<u8>], opts: &PdfOptions) -> Vec<finish::FontName> {
    data.iter()
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
        .collect()
}

/// Six capital letters derived from the font program, as PDF subset names carry.
fn subset_tag(file: &[u8]) -> String {
    let h = crate::base::hash::fnv1a(file, crate::base::hash::FNV_OFFSET);
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 8)) % 26) as u8))
        .collect()
}
