//! After genpdf: the page total, metadata, a stable id, and compression (lopdf).
//!
//! genpdf writes "now" into the file, an /ID that depends on the process, a title that garbles
//! non-ASCII text, and stores every stream uncompressed; and it cannot print "of M" before it
//! knows M. This pass fixes all of that on the finished file, so the same briefing always gives
//! the same bytes.

use chrono::NaiveDate;
use lopdf::{Dictionary, Document, Object, StringFormat};

use super::elements::Bookmark;

/// What goes into the document information dictionary.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub keywords: String,
    pub creator: String,
    pub producer: String,
    /// Creation and modification date: the briefing's as-of date, at midnight UTC.
    pub date: NaiveDate,
    /// The document's language (the catalog's /Lang).
    pub lang: Option<String>,
    /// Bytes the document id is derived from (the briefing and the options).
    pub id_seed: Vec<u8>,
}

/// An embedded font program and the PostScript name to give it ("ABCDEF+NotoSans-Bold" for a
/// subset, as PDF readers expect).
#[derive(Debug, Clone)]
pub struct FontName {
    pub file: Vec<u8>,
    pub name: String,
}

/// The glyphs to swap: the placeholder's glyph id in the regular font, and the digits'.
#[derive(Debug, Clone)]
pub struct PageTotal {
    pub regular_font_file: Vec<u8>,
    pub placeholder: u16,
    pub digits: [u16; 10],
}

/// Rewrites a genpdf PDF; returns the new bytes and the page count.
pub fn finish(
    raw: Vec<u8>,
    total: &PageTotal,
    fonts: &[FontName],
    meta: &Metadata,
    outline: &[Bookmark],
) -> Result<(Vec<u8>, usize), String> {
    let mut doc = Document::load_mem(&raw).map_err(|e| format!("cannot re-read the PDF: {e}"))?;
    // The parsed document holds everything from here: genpdf's uncompressed bytes go now, not
    // at the end (tens of MB for a long briefing).
    drop(raw);
    name_fonts(&mut doc, fonts);
    fix_unicode_maps(&mut doc);
    share_font_files(&mut doc);
    let pages = doc.get_pages();
    let count = pages.len();

    fill_page_totals(&mut doc, &pages, total)?;
    set_metadata(&mut doc, meta);
    set_outline(&mut doc, &pages, outline, meta.lang.as_deref())?;
    doc.prune_objects();
    doc.renumber_objects();
    compress(&mut doc);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok((out, count))
}

/// Replaces the page-total placeholder on every page with the digits of the page count.
fn fill_page_totals(
    doc: &mut Document,
    pages: &std::collections::BTreeMap<u32, lopdf::ObjectId>,
    total: &PageTotal,
) -> Result<(), String> {
    let count = pages.len();
    let digits: Vec<u16> = count
        .to_string()
        .bytes()
        .map(|b| total.digits[(b - b'0') as usize])
        .collect();
    for &page_id in pages.values() {
        // The resource names under which the regular font is used on this page.
        let regular: Vec<Vec<u8>> = page_fonts(doc, page_id)
            .into_iter()
            .filter(|(_, font)| {
                font_file(doc, font).is_some_and(|f| f == total.regular_font_file.as_slice())
            })
            .map(|(name, _)| name)
            .collect();
        let raw_content = doc.get_page_content(page_id).map_err(|e| e.to_string())?;
        if let Some(bytes) = swap_placeholder(&raw_content, &regular, total.placeholder, &digits) {
            // lopdf's `change_page_content` also compresses the stream at zlib's slowest level;
            // `compress` below does every stream at once.
            match doc.get_page_contents(page_id).as_slice() {
                [id] => doc
                    .get_object_mut(*id)
                    .and_then(Object::as_stream_mut)
                    .map_err(|e| e.to_string())?
                    .set_plain_content(bytes),
                _ => doc
                    .change_page_content(page_id, bytes)
                    .map_err(|e| e.to_string())?,
            }
        }
    }

    Ok(())
}

/// A fresh information dictionary (the old one, with genpdf's "now", and the XMP go) and a
/// document id derived from the content.
fn set_metadata(doc: &mut Document, meta: &Metadata) {
    if let Ok(old) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        doc.objects.remove(&old);
    }
    if let Ok(catalog) = doc.catalog().cloned() {
        if let Ok(xmp) = catalog.get(b"Metadata").and_then(Object::as_reference) {
            doc.objects.remove(&xmp);
            if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
                if let Ok(Object::Dictionary(d)) = doc.get_object_mut(root) {
                    d.remove(b"Metadata");
                }
            }
        }
    }
    let date = format!("D:{}000000Z", meta.date.format("%Y%m%d"));
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    info.set("Subject", text_string(&meta.subject));
    info.set("Author", text_string(&meta.author));
    info.set("Keywords", text_string(&meta.keywords));
    info.set("Creator", text_string(&meta.creator));
    info.set("Producer", text_string(&meta.producer));
    info.set(
        "CreationDate",
        Object::String(date.clone().into_bytes(), StringFormat::Literal),
    );
    info.set(
        "ModDate",
        Object::String(date.into_bytes(), StringFormat::Literal),
    );
    let info_id = doc.add_object(Object::Dictionary(info));
    doc.trailer.set("Info", Object::Reference(info_id));
    let id = document_id(&meta.id_seed);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
}

/// The bookmarks as the document's outline (sections, with their subsections as children), each
/// pointing at its page; the catalog opens with the outline shown, and names the language.
fn set_outline(
    doc: &mut Document,
    pages: &std::collections::BTreeMap<u32, lopdf::ObjectId>,
    marks: &[Bookmark],
    lang: Option<&str>,
) -> Result<(), String> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    let outlines = doc.new_object_id();
    // (id, level, dictionary) of every entry, in order.
    let mut items: Vec<(lopdf::ObjectId, u8, Dictionary)> = Vec::new();
    for m in marks {
        let Some(page) = pages.get(&(m.page as u32)) else {
            continue;
        };
        let mut d = Dictionary::new();
        d.set("Title", text_string(&m.title));
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*page),
                Object::Name(b"Fit".to_vec()),
            ]),
        );
        // A subsection before any section hangs at the top level.
        let level = if m.level > 1 && items.iter().any(|i| i.1 == 1) {
            2
        } else {
            1
        };
        items.push((doc.new_object_id(), level, d));
    }
    link_outline(&mut items, outlines);
    let top: Vec<lopdf::ObjectId> = items.iter().filter(|i| i.1 == 1).map(|i| i.0).collect();
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (top.first(), top.last()) {
        dict.set("First", Object::Reference(*first));
        dict.set("Last", Object::Reference(*last));
    }
    dict.set("Count", Object::Integer(items.len() as i64));
    for (id, _, d) in items {
        doc.objects.insert(id, Object::Dictionary(d));
    }
    doc.objects.insert(outlines, Object::Dictionary(dict));
    if let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(root) {
        if !marks.is_empty() {
            catalog.set("Outlines", Object::Reference(outlines));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if let Some(lang) = lang {
            catalog.set("Lang", text_string(lang));
        }
    }
    Ok(())
}

/// Parent, sibling and child links of outline entries: level-1 entries under `root`, each
/// level-2 entry under the level-1 entry before it.
fn link_outline(items: &mut [(lopdf::ObjectId, u8, Dictionary)], root: lopdf::ObjectId) {
    let parent_of: Vec<lopdf::ObjectId> = items
        .iter()
        .enumerate()
        .map(|(i, it)| match it.1 {
            1 => root,
            _ => items[..i]
                .iter()
                .rev()
                .find(|p| p.1 == 1)
                .map_or(root, |p| p.0),
        })
        .collect();
    let ids: Vec<lopdf::ObjectId> = items.iter().map(|i| i.0).collect();
    for i in 0..items.len() {
        let siblings: Vec<usize> = (0..items.len())
            .filter(|&j| parent_of[j] == parent_of[i] && items[j].1 == items[i].1)
            .collect();
        let at = siblings.iter().position(|&j| j == i).unwrap_or(0);
        let children: Vec<usize> = (0..items.len())
            .filter(|&j| parent_of[j] == ids[i] && items[j].1 > items[i].1)
            .collect();
        let d = &mut items[i].2;
        d.set("Parent", Object::Reference(parent_of[i]));
        if at > 0 {
            d.set("Prev", Object::Reference(ids[siblings[at - 1]]));
        }
        if let Some(&next) = siblings.get(at + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        if let (Some(&first), Some(&last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            // Negative: closed, so the panel shows the sections first.
            d.set("Count", Object::Integer(-(children.len() as i64)));
        }
    }
}

/// A fallback font is one program in four styles, so genpdf embeds it four times: keep one copy,
/// which every descriptor points to (the others are pruned).
fn share_font_files(doc: &mut Document) {
    let mut first: std::collections::HashMap<Vec<u8>, lopdf::ObjectId> = Default::default();
    let mut repoint: Vec<(lopdf::ObjectId, lopdf::ObjectId)> = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(file) = obj
            .as_dict()
            .and_then(|d| d.get(b"FontFile2"))
            .and_then(Object::as_reference)
        else {
            continue;
        };
        let Ok(stream) = doc.get_object(file).and_then(Object::as_stream) else {
            continue;
        };
        let keep = *first.entry(stream.content.clone()).or_insert(file);
        if keep != file {
            repoint.push((*id, keep));
        }
    }
    for (descriptor, keep) in repoint {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(descriptor) {
            d.set("FontFile2", Object::Reference(keep));
        }
    }
}

/// genpdf names its fonts F0…F3; give each its real name (with a subset tag) in the font
/// dictionary, its descendant and its descriptor.
fn name_fonts(doc: &mut Document, fonts: &[FontName]) {
    let mut renames: Vec<(lopdf::ObjectId, String)> = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        if let Some(file) = font_file(doc, dict) {
            if let Some(f) = fonts.iter().find(|f| f.file == file) {
                renames.push((*id, f.name.clone()));
            }
        }
    }
    for (id, name) in renames {
        let name_obj = Object::Name(name.clone().into_bytes());
        let mut descriptor = None;
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(id) {
            d.set("BaseFont", name_obj.clone());
            if let Ok(Object::Array(desc)) = d.get_mut(b"DescendantFonts") {
                if let Some(Object::Dictionary(cid)) = desc.first_mut() {
                    cid.set("BaseFont", name_obj.clone());
                    descriptor = cid
                        .get(b"FontDescriptor")
                        .and_then(Object::as_reference)
                        .ok();
                }
            }
        }
        if let Some(Ok(Object::Dictionary(fd))) = descriptor.map(|d| doc.get_object_mut(d)) {
            fd.set("FontName", name_obj);
        }
    }
}

/// printpdf writes each glyph's character into the font's ToUnicode map as `<{:04x}>`, which is
/// right inside the Basic Multilingual Plane only: `𝐀` (U+1D400) became `<1d400>`, which readers
/// take for the bytes 1D 40 0… and extract as `ᵀ`. The map's destinations are UTF-16BE, so a
/// character above U+FFFF is rewritten as its surrogate pair (`<d835dc00>`).
fn fix_unicode_maps(doc: &mut Document) {
    let maps: Vec<lopdf::ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0"))
        .filter_map(|d| d.get(b"ToUnicode").and_then(Object::as_reference).ok())
        .collect();
    for id in maps {
        if let Ok(Object::Stream(s)) = doc.get_object_mut(id) {
            // printpdf may have compressed it already.
            let plain = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            if let Some(fixed) = utf16_destinations(&plain) {
                s.set_plain_content(fixed);
            }
        }
    }
}

/// A ToUnicode map with every `<gid> <code point>` line whose code point lies above U+FFFF
/// rewritten as UTF-16BE; `None` when no line needs it.
fn utf16_destinations(map: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(map).ok()?;
    let mut changed = false;
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let astral = line
            .trim_end()
            .strip_prefix('<')
            .and_then(|l| l.split_once("> <"))
            .and_then(|(gid, dest)| Some((gid, dest.strip_suffix('>')?)))
            .filter(|(_, dest)| dest.len() > 4)
            .and_then(|(gid, dest)| {
                Some((gid, char::from_u32(u32::from_str_radix(dest, 16).ok()?)?))
            });
        match astral {
            Some((gid, c)) => {
                let mut units = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("{u:04x}"))
                    .collect();
                out.push_str(&format!("<{gid}> <{hex}>\n"));
                changed = true;
            }
            None => out.push_str(line),
        }
    }
    changed.then(|| out.into_bytes())
}

/// The fonts a page's resources name (lopdf's own lookup misses a /Font entry that is a reference,
/// which is how printpdf writes it).
fn page_fonts(doc: &Document, page_id: lopdf::ObjectId) -> Vec<(Vec<u8>, &Dictionary)> {
    let (inline, ids) = doc.get_page_resources(page_id);
    let mut out = Vec::new();
    for resources in inline
        .into_iter()
        .chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()))
    {
        let Ok(fonts) = resources.get(b"Font") else {
            continue;
        };
        let Some(fonts) = doc
            .dereference(fonts)
            .ok()
            .and_then(|(_, o)| o.as_dict().ok())
        else {
            continue;
        };
        for (name, font) in fonts.iter() {
            if let Some(dict) = doc
                .dereference(font)
                .ok()
                .and_then(|(_, o)| o.as_dict().ok())
            {
                out.push((name.clone(), dict));
            }
        }
    }
    out
}

/// The embedded font program of a Type0 font dictionary, if any.
fn font_file<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a [u8]> {
    let deref = |o: &'a Object| -> Option<&'a Object> { doc.dereference(o).ok().map(|(_, o)| o) };
    let descendants = font.get(b"DescendantFonts").ok()?;
    let descendants = doc.dereference(descendants).ok()?.1.as_array().ok()?;
    let cid = deref(descendants.first()?)?.as_dict().ok()?;
    let descriptor = deref(cid.get(b"FontDescriptor").ok()?)?.as_dict().ok()?;
    let file = deref(descriptor.get(b"FontFile2").ok()?)?
        .as_stream()
        .ok()?;
    Some(&file.content)
}

/// Compresses every stream that is not yet compressed, on every core.
///
/// lopdf's own `compress` uses zlib's best level on one thread; on a 300-page briefing that was a
/// third of the PDF time. The default level is several times faster for about 2% more bytes on
/// these streams (text operators and subset fonts). Deterministic: the same bytes every run.
fn compress(doc: &mut Document) {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| o.as_stream_mut().ok())
        .filter(|s| s.allows_compression && s.dict.get(b"Filter").is_err())
        .collect();
    crate::base::parallel::for_each_mut(&mut streams, |s| deflate(s));
}

fn deflate(s: &mut lopdf::Stream) {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(s.content.len() / 3),
        flate2::Compression::default(),
    );
    // Writing to a Vec cannot fail; on the impossible error the stream stays uncompressed.
    let Ok(compressed) = e.write_all(&s.content).and_then(|()| e.finish()) else {
        return;
    };
    if compressed.len() + 19 < s.content.len() {
        s.dict.set("Filter", "FlateDecode");
        s.set_content(compressed);
    }
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with a byte-order mark.
fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Swaps each `<placeholder> Tj` (or `[<placeholder>] TJ`) shown in a regular-font resource for the digits of the page
/// total; `None` if the page has none.
///
/// A line scan of printpdf's content stream, not a parse: printpdf writes one operator per line
/// and each glyph as its own `<hhhh>` string, and parsing every page with lopdf's content parser
/// cost more than laying the pages out (half the PDF time of a 5-page briefing).
fn swap_placeholder(
    content: &[u8],
    regular: &[Vec<u8>],
    placeholder: u16,
    digits: &[u16],
) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(content.len() + 16);
    let mut font: &[u8] = b"";
    let mut changed = false;
    for line in content.split_inclusive(|&b| b == b'\n') {
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if let Some(operands) = text.strip_suffix(b" Tf") {
            font = operands
                .split(|&b| b == b' ')
                .next()
                .and_then(|n| n.strip_prefix(b"/"))
                .unwrap_or(b"");
        } else if regular.iter().any(|r| r.as_slice() == font)
            && single_glyph(text) == Some(placeholder)
        {
            out.push(b'[');
            for d in digits {
                out.extend_from_slice(format!("<{d:04x}>").as_bytes());
            }
            out.extend_from_slice(b"] TJ");
            out.extend_from_slice(&line[text.len()..]);
            changed = true;
            continue;
        }
        out.extend_from_slice(line);
    }
    changed.then_some(out)
}

/// The glyph id of a `<hhhh> Tj` or `[<hhhh>] TJ` line.
fn single_glyph(line: &[u8]) -> Option<u16> {
    // genpdf writes `<0012> Tj`, or `[<0012>] TJ` for kerned text.
    let hex = match line.strip_prefix(b"[<") {
        Some(rest) => rest.strip_suffix(b">] TJ")?,
        None => line.strip_prefix(b"<")?.strip_suffix(b"> Tj")?,
    };
    if hex.len() != 4 {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

/// 16 bytes from two FNV-1a 64-bit hashes with different offsets: stable across runs, machines
/// and Rust versions (unlike `DefaultHasher`), which is all a PDF /ID needs.
fn document_id(seed: &[u8]) -> Vec<u8> {
    use crate::base::hash::{fnv1a, FNV_OFFSET};
    let mut id = fnv1a(seed, FNV_OFFSET).to_be_bytes().to_vec();
    id.extend_from_slice(&fnv1a(seed, 0x6c62_272e_07bb_0142).to_be_bytes());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn astral_characters_get_surrogate_pairs_in_the_unicode_map() {
        let map = b"2 beginbfchar\r\n<0003> <0041>\n<0004> <1d400>\nendbfchar\r\n<0005> <1f642>\n";
        let fixed = String::from_utf8(utf16_destinations(map).unwrap()).unwrap();
        assert_eq!(
            fixed,
            "2 beginbfchar\r\n<0003> <0041>\n<0004> <d835dc00>\nendbfchar\r\n<0005> <d83dde42>\n"
        );
        assert_eq!(utf16_destinations(b"<0003> <0041>\n<0004> <4e2d>\n"), None);
    }

    #[test]
    fn text_strings() {
        let bytes = |o: Object| match o {
            Object::String(b, f) => (b, matches!(f, StringFormat::Literal)),
            _ => panic!("not a string"),
        };
        assert_eq!(
            bytes(text_string("Bakı")),
            (
                vec![0xFE, 0xFF, 0, b'B', 0, b'a', 0, b'k', 0x01, 0x31],
                false
            )
        );
        assert_eq!(bytes(text_string("AZ")), (b"AZ".to_vec(), true));
    }

    #[test]
    fn placeholder_swapped_only_in_the_regular_font() {
        let page = b"BT\n/F0 8.00 Tf\n[<000e>] TJ\nET\nBT\n/F1 8.00 Tf\n[<000e>] TJ\nET\nBT\n/F0 8.00 Tf\n[<000e><000e>] TJ\nET\n";
        let out = swap_placeholder(page, &[b"F0".to_vec()], 0x0e, &[0x13, 0x14]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "BT\n/F0 8.00 Tf\n[<0013><0014>] TJ\nET\nBT\n/F1 8.00 Tf\n[<000e>] TJ\nET\nBT\n/F0 8.00 Tf\n[<000e><000e>] TJ\nET\n"
        );
        // The form genpdf writes for text without kerning.
        let plain = b"BT\n/F0 8.00 Tf\n<000e> Tj\nET\nBT\n/F0 8.00 Tf\n<000e000e> Tj\nET\n";
        let out = swap_placeholder(plain, &[b"F0".to_vec()], 0x0e, &[0x13, 0x14]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "BT\n/F0 8.00 Tf\n[<0013><0014>] TJ\nET\nBT\n/F0 8.00 Tf\n<000e000e> Tj\nET\n"
        );
        assert_eq!(
            swap_placeholder(
                b"BT\n/F0 8 Tf\n[<000f>] TJ\nET",
                &[b"F0".to_vec()],
                0x0e,
                &[1]
            ),
            None
        );
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(document_id(b"x"), document_id(b"x"));
        assert_ne!(document_id(b"x"), document_id(b"y"));
        assert_eq!(document_id(b"").len(), 16);
    }
}
