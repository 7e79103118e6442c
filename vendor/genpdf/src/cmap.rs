//! bilateral's patch: font data for printpdf that finds a font's characters from the code point
//! ranges its `cmap` table declares (formats 4 and 12), instead of trying every code point.
//!
//! printpdf asks each embedded font for the map from glyph ids to characters (for the text
//! extraction map and the widths). Its default answer looks up all 1.1 million code points;
//! a font's cmap already lists the ranges it maps, usually a few hundred code points for a
//! subset font. The glyph lookups themselves still go through rusttype, as before.

use std::collections::HashMap;

use printpdf::types::plugins::graphics::two_dimensional::font::{FontMetrics, GlyphMetrics};
use printpdf::FontData;

pub struct CmapFont {
    pub font: rusttype::Font<'static>,
    /// Inclusive code point ranges the cmap declares; empty when it could not be read (then
    /// every code point is tried, as printpdf does).
    pub ranges: Vec<(u32, u32)>,
}

impl std::fmt::Debug for CmapFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CmapFont")
            .field("ranges", &self.ranges.len())
            .finish()
    }
}

impl Clone for CmapFont {
    fn clone(&self) -> Self {
        CmapFont {
            font: self.font.clone(),
            ranges: self.ranges.clone(),
        }
    }
}

impl FontData for CmapFont {
    fn font_metrics(&self) -> FontMetrics {
        FontData::font_metrics(&self.font)
    }

    fn glyph_id(&self, c: char) -> Option<u16> {
        FontData::glyph_id(&self.font, c)
    }

    fn glyph_ids(&self) -> HashMap<u16, char> {
        if self.ranges.is_empty() {
            return FontData::glyph_ids(&self.font);
        }
        let mut map = HashMap::new();
        for &(start, end) in &self.ranges {
            for c in (start..=end).filter_map(std::char::from_u32) {
                // A glyph that several code points share (年 U+5E74 and its compatibility
                // twin U+F98E) extracts as the first: the unified character, not the twin.
                if let Some(g) = self.glyph_id(c) {
                    map.entry(g).or_insert(c);
                }
            }
        }
        map
    }

    fn glyph_metrics(&self, glyph_id: u16) -> Option<GlyphMetrics> {
        FontData::glyph_metrics(&self.font, glyph_id)
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

/// The code point ranges of the font's Unicode cmap subtables; empty if there is none readable.
pub fn ranges(font: &[u8]) -> Vec<(u32, u32)> {
    cmap_ranges(font).unwrap_or_default()
}

fn cmap_ranges(font: &[u8]) -> Option<Vec<(u32, u32)>> {
    let tables = u16_at(font, 4)? as usize;
    let cmap = (0..tables).find_map(|i| {
        let rec = 12 + 16 * i;
        (font.get(rec..rec + 4)? == b"cmap").then(|| u32_at(font, rec + 8))?
    })? as usize;
    let cmap = font.get(cmap..)?;
    let mut out = Vec::new();
    for i in 0..u16_at(cmap, 2)? as usize {
        let rec = 4 + 8 * i;
        let (platform, encoding) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if !unicode {
            continue;
        }
        let sub = cmap.get(u32_at(cmap, rec + 4)? as usize..)?;
        match u16_at(sub, 0)? {
            4 => {
                let segs = u16_at(sub, 6)? as usize / 2;
                for s in 0..segs {
                    let end = u16_at(sub, 14 + 2 * s)?;
                    let start = u16_at(sub, 16 + 2 * segs + 2 * s)?;
                    if start <= end && end != 0xFFFF {
                        out.push((start, end));
                    }
                }
            }
            12 => {
                let groups = u32_at(sub, 12)? as usize;
                for g in 0..groups {
                    let at = 16 + 12 * g;
                    out.push((u32_at(sub, at)?, u32_at(sub, at + 4)?.min(0x10FFFF)));
                }
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    (!out.is_empty()).then_some(out)
}
