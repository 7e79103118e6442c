//! Which characters each font style must print, which of them the family has, which fallback
//! font prints the others, and what replaces the rest: a visible mark that also survives text
//! extraction, reported in a warning that names the document holding the character.

use std::collections::{BTreeMap, BTreeSet};

use super::blocks::{Block, Chrome};
use super::elements::PAGE_TOTAL_PLACEHOLDER;
use super::fonts::{Fallback, FontSet, REPLACEMENT, REPLACEMENT_FALLBACK};
use super::PdfError;
use crate::briefing::model::{Briefing, QuoteItem};

/// The most system font files read in search of missing characters.
const SYSTEM_FONTS_READ: usize = 400;

pub(super) struct Glyphs {
    /// The characters each style of the family prints (Regular, Bold, Italic, BoldItalic).
    pub used: [BTreeSet<char>; 4],
    /// The characters each fallback font prints, in any style.
    pub fallback_used: Vec<BTreeSet<char>>,
    /// Characters the family lacks, and the fallback that prints each.
    pub route: BTreeMap<char, usize>,
    /// The fallbacks `route` refers to: those given, then any system fonts that were needed.
    pub fallbacks: Vec<Fallback>,
    covered: Vec<BTreeSet<char>>,
    missing: BTreeSet<char>,
    replacement: char,
}

/// Newlines and tabs become spaces (a line break is its own span), other control characters and
/// the page-total placeholder a replacement: genpdf prints them as boxes.
fn clean(s: &str) -> String {
    if s == "\n" {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' | PAGE_TOTAL_PLACEHOLDER => ' ',
            c if c.is_control() => REPLACEMENT,
            c => c,
        })
        .collect()
}

impl Glyphs {
    pub fn plan(
        blocks: &[Block],
        chrome: &Chrome,
        fonts: &FontSet,
        given: &[Fallback],
        system_fonts: bool,
    ) -> Result<Self, PdfError> {
        let mut used: [BTreeSet<char>; 4] = Default::default();
        for block in blocks {
            for span in block.spans() {
                used[span.style_index()].extend(clean(&span.text).chars().filter(|&c| c != '\n'));
            }
        }
        for t in chrome.running.iter().chain(&chrome.footer) {
            used[0].extend(clean(t).chars());
        }
        // The marking prints in bold.
        used[1].extend(clean(&chrome.marking).chars());
        // The footer's page numbers, the total's placeholder, the chart's counts, the ellipsis.
        used[0].extend("0123456789…".chars());
        used[0].insert(PAGE_TOTAL_PLACEHOLDER);
        used[1].extend("0123456789".chars());
        let covered: Vec<BTreeSet<char>> = (0..4)
            .map(|i| fonts.coverage(i, used[i].iter().copied()))
            .collect::<Result<_, _>>()?;
        let has_replacement = (0..4).all(|i| {
            fonts
                .coverage(i, [REPLACEMENT])
                .is_ok_and(|c| !c.is_empty())
        });
        let replacement = if has_replacement {
            REPLACEMENT
        } else {
            REPLACEMENT_FALLBACK
        };
        let lacking: BTreeSet<char> = (0..4)
            .flat_map(|i| used[i].difference(&covered[i]).copied().collect::<Vec<_>>())
            .collect();
        let mut fallbacks = given.to_vec();
        let (mut route_map, mut fallback_used) = route(&lacking, &fallbacks)?;
        let left: BTreeSet<char> = lacking
            .iter()
            .copied()
            .filter(|c| !route_map.contains_key(c))
            .collect();
        if system_fonts && !left.is_empty() {
            // The system's fonts, only for what the given ones lack.
            fallbacks.extend(super::fonts::system_fallbacks(&left, SYSTEM_FONTS_READ));
            (route_map, fallback_used) = route(&lacking, &fallbacks)?;
        }
        let route = route_map;
        let missing: BTreeSet<char> = lacking
            .into_iter()
            .filter(|c| !route.contains_key(c))
            .collect();
        for set in &mut used {
            set.retain(|c| !missing.contains(c) && !route.contains_key(c));
            set.insert(replacement);
            set.insert(' ');
        }
        Ok(Self {
            used,
            fallback_used,
            route,
            fallbacks,
            covered,
            missing,
            replacement,
        })
    }

    /// Text for style `i` with what cannot be printed replaced, so nothing silently disappears.
    pub fn fix(&self, s: &str, i: usize) -> String {
        if s == "\n" {
            return s.to_string();
        }
        clean(s)
            .chars()
            .map(|c| {
                if self.covered[i].contains(&c)
                    || self.route.contains_key(&c)
                    || c == ' '
                    || c == PAGE_TOTAL_PLACEHOLDER
                {
                    c
                } else {
                    self.replacement
                }
            })
            .collect()
    }

    /// Warnings for characters the fonts lack, naming the documents whose text holds them.
    pub fn warnings(&self, b: &Briefing, font: &str) -> Vec<String> {
        if self.missing.is_empty() {
            return Vec::new();
        }
        let mut by_doc: BTreeMap<String, BTreeSet<char>> = BTreeMap::new();
        for (doc, text) in texts_by_document(b) {
            for c in text.chars().filter(|c| self.missing.contains(c)) {
                by_doc.entry(doc.clone()).or_default().insert(c);
            }
        }
        let attributed: BTreeSet<char> = by_doc.values().flatten().copied().collect();
        let rest: BTreeSet<char> = self.missing.difference(&attributed).copied().collect();
        if !rest.is_empty() {
            by_doc.insert("the templates or the dataset manifest".to_string(), rest);
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
                    "{whose}: no font ({font} or its fallbacks) has a glyph for {}; printed as {} in the PDF",
                    list.join(", "),
                    self.replacement
                )
            })
            .collect()
    }
}

/// The first fallback that has each character the family lacks, and each fallback's characters.
#[allow(clippy::type_complexity)]
fn route(
    lacking: &BTreeSet<char>,
    fallbacks: &[Fallback],
) -> Result<(BTreeMap<char, usize>, Vec<BTreeSet<char>>), PdfError> {
    let mut route = BTreeMap::new();
    let mut used = vec![BTreeSet::new(); fallbacks.len()];
    let mut left: BTreeSet<char> = lacking.clone();
    for (k, f) in fallbacks.iter().enumerate() {
        if left.is_empty() {
            break;
        }
        for c in f.coverage(left.iter().copied())? {
            route.insert(c, k);
            used[k].insert(c);
            left.remove(&c);
        }
    }
    Ok((route, used))
}

/// Every text of the briefing, with the document (or source) it comes from.
fn texts_by_document(b: &Briefing) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    fn push<'b>(out: &mut Vec<(String, &'b str)>, doc: &str, texts: &[Option<&'b String>]) {
        for t in texts.iter().flatten() {
            out.push((doc.to_string(), t.as_str()));
        }
    }

    fn push_quotes<'b>(out: &mut Vec<(String, &'b str)>, doc: &str, quotes: &'b [QuoteItem]) {
        for q in quotes {
            push(
                out,
                doc,
                &[Some(&q.text), q.translation.as_ref(), q.speaker.as_ref()],
            );
        }
    }
    for c in b.fields.iter().flat_map(|f| &f.commitments) {
        push(
            &mut out,
            &c.document,
            &[Some(&c.summary), c.note.as_ref(), Some(&c.document_title)],
        );
        push_quotes(&mut out, &c.document, &c.quotes);
        for e in &c.events {
            push(&mut out, &e.document, &[Some(&e.summary), e.note.as_ref()]);
            push_quotes(&mut out, &e.document, &e.quotes);
        }
    }
    for g in &b.views {
        push(
            &mut out,
            &g.document,
            &[
                Some(&g.author),
                g.role.as_ref(),
                g.affiliation.as_ref(),
                Some(&g.document_title),
            ],
        );
        for v in &g.views {
            push(&mut out, &g.document, &[Some(&v.summary)]);
            push_quotes(&mut out, &g.document, &v.quotes);
        }
    }
    for d in b.timeline.iter().flat_map(|t| &t.documents) {
        let speaker = d.speaker.as_ref();
        push(
            &mut out,
            &d.id,
            &[
                Some(&d.title),
                d.place.as_ref(),
                d.note.as_ref(),
                speaker.map(|s| &s.name),
                speaker.and_then(|s| s.role.as_ref()),
                speaker.and_then(|s| s.affiliation.as_ref()),
            ],
        );
    }
    for s in &b.sources {
        push(
            &mut out,
            &format!("source {}", s.number),
            &[
                Some(&s.publisher),
                s.title.as_ref(),
                s.note.as_ref(),
                s.url.as_ref(),
            ],
        );
    }
    out
}

/// The glyphs the writer prints the page total with, in place of the footer's placeholder: the
/// digits of the (subset) regular font.
pub(super) fn page_total(regular: &[u8], name: &str) -> Result<super::write::PageTotal, PdfError> {
    let set = FontSet {
        name: name.to_string(),
        data: [regular.to_vec(), Vec::new(), Vec::new(), Vec::new()].map(std::borrow::Cow::Owned),
    };
    let digit_chars: Vec<char> = "0123456789".chars().collect();
    let digits = set.glyph_ids(0, &digit_chars)?;
    Ok(super::write::PageTotal {
        digits: digits
            .try_into()
            .map_err(|_: Vec<u16>| PdfError::Finish("digit glyphs".into()))?,
    })
}
