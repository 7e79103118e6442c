//! Fonts for the PDF: a family of four styles, embedded by default, subset before genpdf sees them.
//!
//! A character the family lacks is printed in the first fallback font that has it (compiled in:
//! Noto Sans Math for arrows and mathematical symbols, DejaVu Sans Symbols for check marks,
//! dingbats and other signs, Droid Sans Fallback for Chinese and Japanese, NanumSquare for
//! Korean),
//! so Latin text keeps its font and only that character switches. Scripts that need shaping or
//! run right to left (Arabic, Hebrew, the Indic scripts …) are never set from a fallback: genpdf
//! lays out characters one by one, which would print them wrong, so they stay reported as
//! missing.
//!
//! genpdf embeds every style whole and uncompressed (about 2 MB for Noto Sans), so each style is
//! cut down to the glyphs the document uses (allsorts) and only then handed to genpdf. Coverage is
//! checked first: a character the family lacks is replaced by a visible mark and reported, because
//! genpdf would otherwise print an empty box that also vanishes from text extraction.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use allsorts::binary::read::ReadScope;
use allsorts::font::MatchingPresentation;
use allsorts::font_data::{DynamicFontTableProvider, FontData};
use allsorts::subset::{subset, CmapTarget, SubsetProfile};

/// The four styles, in the order genpdf's `FontFamily` names them.
pub const STYLES: [&str; 4] = ["Regular", "Bold", "Italic", "BoldItalic"];

/// Noto Sans 2.004 (SIL Open Font License 1.1; see fonts/OFL.txt).
const EMBEDDED: [&[u8]; 4] = [
    include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../../fonts/NotoSans-BoldItalic.ttf"),
];

/// Noto Sans Math (Debian fonts-noto-core 20201225; SIL Open Font License 1.1, fonts/OFL.txt): the fallback for the
/// arrows and mathematical symbols Noto Sans lacks.
const EMBEDDED_MATH: &[u8] = include_bytes!("../../../fonts/NotoSansMath-Regular.ttf");
/// DejaVu Sans Symbols, a subset of DejaVu Sans 2.37 (Bitstream Vera licence, DejaVu changes in
/// the public domain; fonts/LICENSE-DejaVu.txt): arrows, technical signs, geometric shapes,
/// miscellaneous symbols and dingbats (the ✓ of a verified quote).
const EMBEDDED_SYMBOLS: &[u8] = include_bytes!("../../../fonts/DejaVuSansSymbols.ttf");
/// Droid Sans Fallback Full (Apache License 2.0; see fonts/LICENSE-Apache-2.0.txt): Han (Simplified
/// and Traditional Chinese, Japanese kanji, CJK Extension A), kana and Hangul jamo, in TrueType
/// outlines genpdf's rasteriser reads. It has no Hangul syllables.
const EMBEDDED_CJK: &[u8] = include_bytes!("../../../fonts/DroidSansFallbackFull.ttf");
/// NanumSquare Regular 1.000, unmodified (SIL Open Font License 1.1, fonts/OFL-Nanum.txt): the
/// 11,172 Hangul syllables of Korean.
const EMBEDDED_HANGUL: &[u8] = include_bytes!("../../../fonts/NanumSquareR.ttf");

/// What replaces a character the fonts lack: visible in print and in extracted text.
pub const REPLACEMENT: char = '\u{FFFD}';
/// The fallback when the family has no U+FFFD either.
pub const REPLACEMENT_FALLBACK: char = '?';

/// A font family: TrueType data for each of the four styles.
#[derive(Clone)]
pub struct FontSet {
    pub name: String,
    /// Regular, Bold, Italic, BoldItalic: the built-in family borrowed from the binary (not
    /// copied: 2 MB on every run, PDF or not), a user's read from files.
    pub data: [Cow<'static, [u8]>; 4],
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// One font used, in every style, for the characters the family lacks.
#[derive(Clone)]
pub struct Fallback {
    pub name: String,
    pub data: std::borrow::Cow<'static, [u8]>,
}

impl std::fmt::Debug for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fallback")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Fallback {
    /// The fallbacks compiled into the binary, in the order they are tried.
    pub fn embedded() -> Vec<Fallback> {
        vec![
            Fallback {
                name: "NotoSansMath".to_string(),
                data: Cow::Borrowed(EMBEDDED_MATH),
            },
            Fallback {
                name: "DejaVuSansSymbols".to_string(),
                data: Cow::Borrowed(EMBEDDED_SYMBOLS),
            },
            Fallback {
                name: "DroidSansFallback".to_string(),
                data: Cow::Borrowed(EMBEDDED_CJK),
            },
            Fallback {
                name: "NanumSquare".to_string(),
                data: Cow::Borrowed(EMBEDDED_HANGUL),
            },
        ]
    }

    /// A single font file given by the user (`--fonts-dir`) or found on the system, checked to
    /// be usable.
    pub fn from_file(path: &Path) -> Result<Fallback, FontError> {
        let data = read_font(path)?;
        let name: String = path
            .file_stem()
            .map(|s| {
                s.to_string_lossy()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "")
            })
            .unwrap_or_default();
        let f = Fallback {
            name,
            data: Cow::Owned(data),
        };
        if !has_glyf(&f.name, &f.data)? {
            return Err(FontError::Parse {
                what: path.display().to_string(),
                why: "its outlines are not TrueType (glyf), which the PDF renderer needs".into(),
            });
        }
        Ok(f)
    }

    /// Which of `chars` the font has.
    pub fn coverage(
        &self,
        chars: impl IntoIterator<Item = char>,
    ) -> Result<BTreeSet<char>, FontError> {
        coverage(&self.name, &self.data, chars)
    }

    /// A copy holding only the glyphs for `chars` (and .notdef).
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<Vec<u8>, FontError> {
        subset_font(&self.name, &self.data, chars)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("{dir}: no fonts found; expected a family (NAME-Regular.ttf, NAME-Bold.ttf, NAME-Italic.ttf and NAME-BoldItalic.ttf) or single .ttf files")]
    NoFamily { dir: PathBuf },
    #[error("{dir}: several font families ({names}); keep one")]
    Ambiguous { dir: PathBuf, names: String },
    #[error("{path}: cannot read the font: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what}: not a usable TrueType font: {why}")]
    Parse { what: String, why: String },
    #[error("font {font}: subsetting failed: {why}")]
    Subset { font: String, why: String },
}

impl Default for FontSet {
    fn default() -> Self {
        Self::embedded()
    }
}

impl FontSet {
    /// The family compiled into the binary.
    pub fn embedded() -> Self {
        Self {
            name: "NotoSans".to_string(),
            data: EMBEDDED.map(Cow::Borrowed),
        }
    }

    /// The one family in `dir`: `NAME-Regular.ttf`, `NAME-Bold.ttf`, `NAME-Italic.ttf`,
    /// `NAME-BoldItalic.ttf`.
    pub fn from_dir(dir: &Path) -> Result<Self, FontError> {
        let entries = std::fs::read_dir(dir).map_err(|source| FontError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut names: BTreeSet<String> = BTreeSet::new();
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().to_string();
            if let Some(name) = file.strip_suffix("-Regular.ttf") {
                if STYLES
                    .iter()
                    .all(|s| dir.join(format!("{name}-{s}.ttf")).is_file())
                {
                    names.insert(name.to_string());
                }
            }
        }
        let name = match names.len() {
            0 => {
                return Err(FontError::NoFamily {
                    dir: dir.to_path_buf(),
                })
            }
            1 => names.into_iter().next().expect("one"),
            _ => {
                return Err(FontError::Ambiguous {
                    dir: dir.to_path_buf(),
                    names: names.into_iter().collect::<Vec<_>>().join(", "),
                })
            }
        };
        let mut data: [Cow<'static, [u8]>; 4] = Default::default();
        for (i, style) in STYLES.iter().enumerate() {
            let path = dir.join(format!("{name}-{style}.ttf"));
            data[i] = Cow::Owned(read_font(&path)?);
        }
        let set = Self { name, data };
        for i in 0..4 {
            set.coverage(i, std::iter::once('a'))?;
        }
        Ok(set)
    }

    fn style_name(&self, i: usize) -> String {
        format!("{}-{}", self.name, STYLES[i])
    }

    /// Which of `chars` style `i` has.
    pub fn coverage(
        &self,
        i: usize,
        chars: impl IntoIterator<Item = char>,
    ) -> Result<BTreeSet<char>, FontError> {
        coverage(&self.style_name(i), &self.data[i], chars)
    }

    /// The glyph ids of `chars` in style `i` (0 where the font lacks one).
    pub fn glyph_ids(&self, i: usize, chars: &[char]) -> Result<Vec<u16>, FontError> {
        glyph_ids(&self.style_name(i), &self.data[i], chars)
    }

    /// A copy of style `i` holding only the glyphs for `chars` (and .notdef).
    pub fn subset(&self, i: usize, chars: &BTreeSet<char>) -> Result<Vec<u8>, FontError> {
        subset_font(&self.style_name(i), &self.data[i], chars)
    }
}

/// Whether a character needs shaping or runs right to left (genpdf shapes such text with
/// harfrust; a font that prints it is embedded whole, for its layout tables and contextual forms).
pub use genpdf::fonts::needs_shaping;

/// The largest font file read (the largest CJK fonts are about 30 MB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a font file given by the user: a regular file (a link is followed to one) of at most
/// [`MAX_FONT_BYTES`]. A named pipe would block the run, and a link to a device would be read
/// without end, so neither is opened.
fn read_font(path: &Path) -> Result<Vec<u8>, FontError> {
    use std::io::Read;
    let refuse = |why: String| FontError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, why),
    };
    let meta = std::fs::metadata(path).map_err(|source| FontError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(refuse(
            "not a regular file (a pipe, a device or a folder)".into(),
        ));
    }
    if meta.len() > MAX_FONT_BYTES {
        let why = format!("larger than {} MiB", MAX_FONT_BYTES / (1024 * 1024));
        return Err(refuse(why));
    }
    let mut data = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FONT_BYTES + 1).read_to_end(&mut data))
        .map_err(|source| FontError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if data.len() as u64 > MAX_FONT_BYTES {
        let why = format!("larger than {} MiB", MAX_FONT_BYTES / (1024 * 1024));
        return Err(refuse(why));
    }
    Ok(data)
}

/// Whether a font has TrueType outlines (genpdf's rasteriser reads no others).
fn has_glyf(name: &str, data: &[u8]) -> Result<bool, FontError> {
    use allsorts::tables::FontTableProvider;
    Ok(provider(name, data)?.has_table(allsorts::tag::GLYF))
}

/// The fonts of a `--fonts-dir` folder: a four-style family (`NAME-Regular.ttf` …), which
/// replaces the built-in one, and any other font files, which are fallbacks after the built-in
/// ones. At least one of the two.
pub fn user_fonts(dir: &Path) -> Result<(Option<FontSet>, Vec<Fallback>), FontError> {
    let family = match FontSet::from_dir(dir) {
        Ok(f) => Some(f),
        Err(FontError::NoFamily { .. }) => None,
        Err(e) => return Err(e),
    };
    let in_family = |p: &Path| {
        family.as_ref().is_some_and(|f| {
            STYLES.iter().any(|s| {
                p.file_name() == Some(std::ffi::OsStr::new(&format!("{}-{s}.ttf", f.name)))
            })
        })
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| FontError::Read {
            path: dir.to_path_buf(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
        })
        .filter(|p| !in_family(p))
        .collect();
    files.sort();
    let singles = files
        .iter()
        .map(|p| Fallback::from_file(p))
        .collect::<Result<Vec<_>, _>>()?;
    if family.is_none() && singles.is_empty() {
        return Err(FontError::NoFamily {
            dir: dir.to_path_buf(),
        });
    }
    Ok((family, singles))
}

/// The system's fonts (found with fontdb) that have TrueType outlines and some of `chars`, in
/// the order of their paths, each once; at most `limit` of them are read.
pub fn system_fallbacks(chars: &BTreeSet<char>, limit: usize) -> Vec<Fallback> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut paths: Vec<PathBuf> = db
        .faces()
        .filter_map(|f| match &f.source {
            fontdb::Source::File(p) if f.index == 0 => Some(p.clone()),
            _ => None,
        })
        .collect();
    paths.sort();
    paths.dedup();
    let mut left = chars.clone();
    let mut out = Vec::new();
    for path in paths.into_iter().take(limit) {
        if left.is_empty() {
            break;
        }
        let Ok(f) = Fallback::from_file(&path) else {
            continue;
        };
        let Ok(has) = f.coverage(left.iter().copied()) else {
            continue;
        };
        if !has.is_empty() {
            left.retain(|c| !has.contains(c));
            out.push(f);
        }
    }
    out
}

/// A font's tables, for reading and subsetting.
fn provider<'a>(name: &str, data: &'a [u8]) -> Result<DynamicFontTableProvider<'a>, FontError> {
    let parse = |e: &dyn std::fmt::Display| FontError::Parse {
        what: name.to_string(),
        why: e.to_string(),
    };
    let font_data = ReadScope::new(data)
        .read::<FontData<'_>>()
        .map_err(|e| parse(&e))?;
    font_data.table_provider(0).map_err(|e| parse(&e))
}

/// The glyph ids of `chars` (0 where the font lacks one).
pub fn glyph_ids(name: &str, data: &[u8], chars: &[char]) -> Result<Vec<u16>, FontError> {
    let mut font = allsorts::Font::new(provider(name, data)?).map_err(|e| FontError::Parse {
        what: name.to_string(),
        why: e.to_string(),
    })?;
    Ok(chars
        .iter()
        .map(|&c| {
            font.lookup_glyph_index(c, MatchingPresentation::NotRequired, None)
                .0
        })
        .collect())
}

/// Which of `chars` a font has.
fn coverage(
    name: &str,
    data: &[u8],
    chars: impl IntoIterator<Item = char>,
) -> Result<BTreeSet<char>, FontError> {
    let ids: Vec<char> = chars.into_iter().collect();
    let glyphs = glyph_ids(name, data, &ids)?;
    Ok(ids
        .into_iter()
        .zip(glyphs)
        .filter(|(_, g)| *g != 0)
        .map(|(c, _)| c)
        .collect())
}

/// A copy of a font holding only the glyphs for `chars` (and .notdef).
fn subset_font(name: &str, data: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, FontError> {
    let wanted: Vec<char> = chars.iter().copied().collect();
    let mut glyphs: Vec<u16> = glyph_ids(name, data, &wanted)?
        .into_iter()
        .filter(|&g| g != 0)
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0);
    subset(
        &provider(name, data)?,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| FontError::Subset {
        font: name.to_string(),
        why: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_family_covers_azerbaijani_turkish_cyrillic_not_han() {
        let set = FontSet::embedded();
        let wanted: Vec<char> = "əğışçöüİƏĞŞÇÖÜıЖжЁё—“”·\u{2007}\u{FFFD}0123456789"
            .chars()
            .collect();
        for (i, style) in STYLES.iter().enumerate() {
            let have = set.coverage(i, wanted.iter().copied()).unwrap();
            let missing: Vec<char> = wanted
                .iter()
                .filter(|c| !have.contains(c))
                .copied()
                .collect();
            assert!(missing.is_empty(), "{style}: missing {missing:?}");
        }
        assert!(set.coverage(0, ['中', '😀']).unwrap().is_empty());
    }

    #[test]
    fn subset_is_small_and_keeps_the_cmap() {
        let set = FontSet::embedded();
        let chars: BTreeSet<char> = "Bakı əğş 2025".chars().collect();
        let sub = set.subset(0, &chars).unwrap();
        assert!(sub.len() < 20_000, "{} bytes", sub.len());
        let small = FontSet {
            name: "sub".into(),
            data: [sub.clone(), sub.clone(), sub.clone(), sub].map(Cow::Owned),
        };
        assert_eq!(small.coverage(0, chars.iter().copied()).unwrap(), chars);
    }

    /// Arabic is shaped (joining forms, not the isolated glyphs the cmap gives) and set right to
    /// left: the first glyph drawn is the last letter; Latin before it keeps its order.
    #[test]
    fn arabic_is_shaped_and_set_right_to_left() {
        use genpdf::fonts::{FontCache, FontData, FontFamily};
        let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        let data = std::fs::read(path)
            .unwrap_or_else(|e| panic!("{path}: {e} (apt-get install fonts-dejavu-core)"));
        let font = || FontData::new(data.clone()).unwrap();
        let cache = FontCache::new(FontFamily {
            regular: font(),
            bold: font(),
            italic: font(),
            bold_italic: font(),
        });
        let f = cache.default_font_family().regular;
        let word = "بيت";
        let shaped = f.place(&cache, word);
        let isolated: Vec<u16> = word
            .chars()
            .map(|c| f.place(&cache, &c.to_string())[0].id)
            .collect();
        assert_eq!(shaped.len(), 3);
        // Drawn from the left: the last letter (ت) first, the first (ب) last.
        assert_eq!(shaped[0].text, (4, 6));
        assert_eq!(shaped[2].text, (0, 2));
        let drawn: Vec<u16> = shaped.iter().rev().map(|g| g.id).collect();
        assert_ne!(drawn, isolated, "not joined");
        let mixed = f.place(&cache, "AB بيت");
        assert_eq!(mixed[0].text, (0, 1), "Latin first, in its order");
        assert_eq!(
            mixed.last().unwrap().text,
            (3, 5),
            "then the Arabic, right to left"
        );
    }
}
