// SPDX-FileCopyrightText: 2020 Robin Krahl <robin.krahl@ireas.org>
// SPDX-License-Identifier: Apache-2.0 or MIT

//! Fonts, font families and a font cache.
//!
//! Before you can use a font in a document, you have to load the [`FontData`][] for it, either
//! from a file ([`FontData::load`][]) or from bytes ([`FontData::new`][]).  Use the
//! [`from_files`][] function to load a font family from a set of files following the default
//! naming conventions.
//!
//! The [`FontCache`][] caches all loaded fonts.  A [`Font`][] is a reference to a cached font in
//! the [`FontCache`][].  A [`FontFamily`][] is a collection of a regular, a bold, an italic and a
//! bold italic font (raw data or cached).
//!
//! bilateral: fonts are always embedded (the built-in PDF fonts went with printpdf) and read
//! with skrifa; the writer gets their programs from [`FontCache::font_programs`][].
//!
//! **Note:**  The [`Font`][] and [`FontFamily<Font>`][`FontFamily`] structs are only valid for the
//! [`FontCache`][] they have been created with.
//!
//! [`FontCache`]: struct.FontCache.html
//! [`FontCache::font_programs`]: struct.FontCache.html#method.font_programs
//! [`FontData`]: struct.FontData.html
//! [`FontData::new`]: struct.FontData.html#method.new
//! [`FontData::load`]: struct.FontData.html#method.load
//! [`from_files`]: fn.from_files.html
//! [`Font`]: struct.Font.html
//! [`FontFamily`]: struct.FontFamily.html

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path;
use std::sync::Arc;

use skrifa::raw::TableProvider as _;
use skrifa::{FontRef, MetadataProvider as _};

use crate::display::PlacedGlyph;
use crate::error::{Context as _, Error, ErrorKind};
use crate::style::Style;
use crate::Mm;

/// Stores font data that can be referenced by a [`Font`][] or [`FontFamily`][].
///
/// If you use the high-level interface provided by [`Document`][], you don’t have to access this
/// type.  See the [module documentation](index.html) for details on the internals.
///
/// [`Document`]: ../struct.Document.html
/// [`Font`]: struct.Font.html
/// [`FontFamily`]: struct.FontFamily.html
#[derive(Debug)]
pub struct FontCache {
    fonts: Vec<FontData>,
    // We have to use an option because we first have to construct the FontCache before we can load
    // a font, but the default font is always loaded in new, so this options is always some
    // (outside of new).
    default_font_family: Option<FontFamily<Font>>,
}

impl FontCache {
    /// Creates a new font cache with the given default font family.
    pub fn new(default_font_family: FontFamily<FontData>) -> FontCache {
        let mut font_cache = FontCache {
            fonts: Vec::new(),
            default_font_family: None,
        };
        font_cache.default_font_family = Some(font_cache.add_font_family(default_font_family));
        font_cache
    }

    /// Adds the given font to the cache and returns a reference to it.
    pub fn add_font(&mut self, font_data: FontData) -> Font {
        let font = Font::new(self.fonts.len(), &font_data);
        self.fonts.push(font_data);
        font
    }

    /// Adds the given font family to the cache and returns a reference to it.
    pub fn add_font_family(&mut self, family: FontFamily<FontData>) -> FontFamily<Font> {
        FontFamily {
            regular: self.add_font(family.regular),
            bold: self.add_font(family.bold),
            italic: self.add_font(family.italic),
            bold_italic: self.add_font(family.bold_italic),
        }
    }

    /// Returns the default font family for this font cache.
    pub fn default_font_family(&self) -> FontFamily<Font> {
        self.default_font_family
            .expect("Invariant violated: no default font family for FontCache")
    }

    /// bilateral: the font programs, in the order of [`Font::index`], for the writer to embed.
    pub fn font_programs(&self) -> Vec<Arc<Vec<u8>>> {
        self.fonts.iter().map(|f| f.data.clone()).collect()
    }

    fn data(&self, font: Font) -> &FontData {
        &self.fonts[font.idx]
    }
}

/// The data for a font that is cached by a [`FontCache`][].
///
/// bilateral: read with skrifa instead of rusttype: the program, its vertical metrics from
/// `hhea` (as rusttype read them, so that lines stay where they were) and, for every character
/// its `cmap` maps, the glyph and its advance.  Kerning is not applied (genpdf only read the
/// legacy `kern` table, which none of bilateral's fonts keeps once subset).
///
/// [`FontCache`]: struct.FontCache.html
#[derive(Clone, Debug)]
pub struct FontData {
    data: Arc<Vec<u8>>,
    /// harfrust's tables for this font, made the first time text needs shaping.
    shaping: Arc<Shaping>,
    /// (glyph id, advance in em) by character.
    glyphs: HashMap<char, (u16, f32)>,
    notdef_advance: f32,
    /// Ascent, descent (negative) and line gap, in em.
    v_metrics: (f32, f32, f32),
}

impl FontData {
    /// Loads a font from the given data (TrueType or OpenType, the first font of a collection).
    pub fn new(data: Vec<u8>) -> Result<FontData, Error> {
        let invalid = |what: &str| Error::new(format!("Invalid font: {}", what), ErrorKind::InvalidFont);
        let font = FontRef::new(&data).map_err(|e| invalid(&e.to_string()))?;
        let upem = f32::from(font.head().map_err(|e| invalid(&e.to_string()))?.units_per_em());
        if upem == 0.0 {
            return Err(Error::new("The font is not scalable", ErrorKind::InvalidFont));
        }
        let hhea = font.hhea().map_err(|e| invalid(&e.to_string()))?;
        let v_metrics = (
            f32::from(hhea.ascender().to_i16()) / upem,
            f32::from(hhea.descender().to_i16()) / upem,
            f32::from(hhea.line_gap().to_i16()) / upem,
        );
        let metrics = font.glyph_metrics(skrifa::instance::Size::unscaled(), skrifa::instance::LocationRef::default());
        let advance = |gid: skrifa::GlyphId| metrics.advance_width(gid).unwrap_or(0.0) / upem;
        let glyphs = font
            .charmap()
            .mappings()
            .filter_map(|(c, gid)| {
                let id = std::convert::TryFrom::try_from(gid.to_u32()).ok()?;
                Some((char::from_u32(c)?, (id, advance(gid))))
            })
            .collect();
        let notdef_advance = advance(skrifa::GlyphId::new(0));
        Ok(FontData {
            glyphs,
            notdef_advance,
            v_metrics,
            data: Arc::new(data),
            shaping: Arc::default(),
        })
    }

    /// Loads the font at the given path.
    pub fn load(path: impl AsRef<path::Path>) -> Result<FontData, Error> {
        let data = fs::read(path.as_ref())
            .with_context(|| format!("Failed to open font file {}", path.as_ref().display()))?;
        FontData::new(data)
    }

    /// The glyph id and advance (in em) of a character; glyph 0 for one the font lacks.
    fn glyph(&self, c: char) -> (u16, f32) {
        self.glyphs.get(&c).copied().unwrap_or((0, self.notdef_advance))
    }

    /// `s` shaped: its runs in visual order by the bidirectional algorithm (the direction of its
    /// first strong character is the base), each shaped by harfrust in its direction. Glyphs
    /// carry the byte range of their cluster in `s`.
    fn shape(&self, s: &str) -> Option<Vec<PlacedGlyph>> {
        let font = harfrust::FontRef::new(&self.data).ok()?;
        let data = self.shaping.0.get_or_init(|| harfrust::ShaperData::new(&font));
        let shaper = data.shaper(&font).build();
        let upem = f32::from(font.head().ok()?.units_per_em());
        let bidi = unicode_bidi::BidiInfo::new(s, None);
        let mut out = Vec::with_capacity(s.len());
        for para in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(para, para.range.clone());
            for run in runs {
                let rtl = levels[run.start].is_rtl();
                let mut buffer = harfrust::UnicodeBuffer::new();
                buffer.push_str(&s[run.clone()]);
                buffer.set_direction(match rtl {
                    true => harfrust::Direction::RightToLeft,
                    false => harfrust::Direction::LeftToRight,
                });
                buffer.guess_segment_properties();
                let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
                out.extend(placed(&shaped, run.start, run.end, upem));
            }
        }
        Some(out)
    }
}

/// harfrust's glyphs as placed glyphs (units per em to em), each with its cluster's byte range:
/// from its cluster to the next larger one in the run (`start..end` of the text).
fn placed(shaped: &harfrust::GlyphBuffer, start: usize, end: usize, upem: f32) -> Vec<PlacedGlyph> {
    let mut clusters: Vec<usize> = shaped
        .glyph_infos()
        .iter()
        .map(|i| i.cluster as usize)
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    let next = |c: usize| {
        let at = clusters.partition_point(|&x| x <= c);
        clusters.get(at).map_or(end, |&n| start + n)
    };
    shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| {
            let cluster = info.cluster as usize;
            PlacedGlyph {
                id: std::convert::TryFrom::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 / upem,
                offset: (pos.x_offset as f32 / upem, pos.y_offset as f32 / upem),
                text: (start + cluster, next(cluster)),
            }
        })
        .collect()
}

/// harfrust's tables for a font, made once (`OnceLock`), shared by the font's clones.
#[derive(Default)]
struct Shaping(std::sync::OnceLock<harfrust::ShaperData>);

impl fmt::Debug for Shaping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Shaping")
    }
}

/// Whether a character needs shaping or runs right to left: Hebrew, Arabic and the other scripts
/// of the Middle East, the Indic scripts, Tibetan, Myanmar, Khmer, Mongolian, combining marks,
/// and their presentation forms.
pub fn needs_shaping(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F      // combining diacritical marks
        | 0x0590..=0x08FF    // Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic Extended
        | 0x0900..=0x0DFF    // Devanagari … Sinhala
        | 0x0F00..=0x0FFF    // Tibetan
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x18AF    // Khmer, Mongolian
        | 0x200E..=0x200F    // left-to-right and right-to-left marks
        | 0xFB1D..=0xFDFF    // Hebrew and Arabic presentation forms
        | 0xFE70..=0xFEFF    // Arabic presentation forms B
        | 0x10800..=0x10FFF  // historic right-to-left scripts
        | 0x1E800..=0x1EFFF)
}

#[derive(Clone, Copy, Debug)]
enum FontStyle {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl FontStyle {
    fn name(&self) -> &'static str {
        match self {
            FontStyle::Regular => "Regular",
            FontStyle::Bold => "Bold",
            FontStyle::Italic => "Italic",
            FontStyle::BoldItalic => "BoldItalic",
        }
    }
}

impl fmt::Display for FontStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A collection of fonts with different styles.
///
/// See the [module documentation](index.html) for details on the internals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FontFamily<T: Clone + fmt::Debug> {
    /// The regular variant of this font family.
    pub regular: T,
    /// The bold variant of this font family.
    pub bold: T,
    /// The italic variant of this font family.
    pub italic: T,
    /// The bold italic variant of this font family.
    pub bold_italic: T,
}

impl<T: Clone + Copy + fmt::Debug + PartialEq> FontFamily<T> {
    /// Returns the font for the given style.
    pub fn get(&self, style: Style) -> T {
        if style.is_bold() && style.is_italic() {
            self.bold_italic
        } else if style.is_bold() {
            self.bold
        } else if style.is_italic() {
            self.italic
        } else {
            self.regular
        }
    }
}

/// A reference to a font cached by a [`FontCache`][].
///
/// See the [module documentation](index.html) for details on the internals.
///
/// [`FontCache`]: struct.FontCache.html
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    idx: usize,
    line_height: Mm,
    glyph_height: Mm,
}

/// Millimetres per point.
const MM_PER_PT: f64 = 25.4 / 72.0;

impl Font {
    fn new(idx: usize, data: &FontData) -> Font {
        let (ascent, descent, line_gap) = data.v_metrics;
        let glyph_height = ascent - descent;
        let line_height = glyph_height + line_gap;
        Font {
            idx,
            line_height: Mm(f64::from(line_height) * MM_PER_PT),
            glyph_height: Mm(f64::from(glyph_height) * MM_PER_PT),
        }
    }

    /// bilateral: the font's index in its cache, as display lists name it.
    pub fn index(&self) -> usize {
        self.idx
    }

    /// Returns the line height for text with this font and the given font size.
    pub fn get_line_height(&self, font_size: u8) -> Mm {
        self.line_height * f64::from(font_size)
    }

    /// Returns the glyph height for text with this font and the given font size.
    pub fn glyph_height(&self, font_size: u8) -> Mm {
        self.glyph_height * f64::from(font_size)
    }

    /// Returns the width of a character with this font and the given font size.
    ///
    /// The given [`FontCache`][] must be the font cache that loaded this font.
    ///
    /// [`FontCache`]: struct.FontCache.html
    pub fn char_width(&self, font_cache: &FontCache, c: char, font_size: u8) -> Mm {
        let (_, advance) = font_cache.data(*self).glyph(c);
        Mm(f64::from(advance) * f64::from(font_size) * MM_PER_PT)
    }

    /// Returns the width of a string with this font and the given font size.
    ///
    /// The given [`FontCache`][] must be the font cache that loaded this font.
    ///
    /// [`FontCache`]: struct.FontCache.html
    pub fn str_width(&self, font_cache: &FontCache, s: &str, font_size: u8) -> Mm {
        let data = font_cache.data(*self);
        let em: f32 = match s.chars().any(needs_shaping) {
            true => self.place(font_cache, s).iter().map(|g| g.advance).sum(),
            false => s.chars().map(|c| data.glyph(c).1).sum(),
        };
        Mm(f64::from(em) * f64::from(font_size) * MM_PER_PT)
    }

    /// bilateral: the glyphs that print `s`, with their advances and the byte ranges of the
    /// text they stand for: one per character, or, where a character needs shaping, as harfrust
    /// shapes it, in visual order.
    pub fn place(&self, font_cache: &FontCache, s: &str) -> Vec<PlacedGlyph> {
        let data = font_cache.data(*self);
        if s.chars().any(needs_shaping) {
            if let Some(glyphs) = data.shape(s) {
                return glyphs;
            }
        }
        s.char_indices()
            .map(|(i, c)| {
                let (id, advance) = data.glyph(c);
                PlacedGlyph {
                    id,
                    advance,
                    offset: (0.0, 0.0),
                    text: (i, i + c.len_utf8()),
                }
            })
            .collect()
    }
}

fn from_file(dir: impl AsRef<path::Path>, name: &str, style: FontStyle) -> Result<FontData, Error> {
    FontData::load(&dir.as_ref().join(format!("{}-{}.ttf", name, style)))
}

/// Loads the font family at the given path with the given name.
///
/// This method assumes that at the given path, these files exist and are valid font files:
/// - `{name}-Regular.ttf`
/// - `{name}-Bold.ttf`
/// - `{name}-Italic.ttf`
/// - `{name}-BoldItalic.ttf`
pub fn from_files(dir: impl AsRef<path::Path>, name: &str) -> Result<FontFamily<FontData>, Error> {
    let dir = dir.as_ref();
    Ok(FontFamily {
        regular: from_file(dir, name, FontStyle::Regular)?,
        bold: from_file(dir, name, FontStyle::Bold)?,
        italic: from_file(dir, name, FontStyle::Italic)?,
        bold_italic: from_file(dir, name, FontStyle::BoldItalic)?,
    })
}
