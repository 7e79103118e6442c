//! An archived file → the article's text and what the page says about itself.
//!
//! Plain text is taken as it is; Markdown loses its markup; a saved web page is reduced to its
//! article with `dom_smoothie` (a port of Firefox's Reader View: navigation, captions, share
//! buttons and related links go, paragraphs stay), and its metadata are read from the title, the
//! Open Graph and `article:` tags and JSON-LD.

use std::path::Path;

/// What kind of file an archive is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Markdown,
    Html,
}

impl Kind {
    /// `.txt`, `.md`/`.markdown`, `.html`/`.htm`; anything else is not an article file.
    pub fn from_path(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Kind::Text),
            "md" | "markdown" => Some(Kind::Markdown),
            "html" | "htm" | "xhtml" => Some(Kind::Html),
            _ => None,
        }
    }

    /// A guess from the content, for standard input: markup makes it a page.
    pub fn sniff(text: &str) -> Kind {
        let head = text
            .get(..text.len().min(2048))
            .unwrap_or(text)
            .trim_start();
        let lower = head.to_ascii_lowercase();
        if lower.starts_with("<!doctype html")
            || lower.starts_with("<html")
            || lower.contains("<body")
        {
            Kind::Html
        } else {
            Kind::Text
        }
    }
}

/// What a page says about itself (each value as the page gives it; nothing is guessed here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub publisher: Option<String>,
    /// As the page writes it (usually ISO 8601 with a time).
    pub published: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
}

/// An article's text, paragraphs separated by a blank line, and its metadata.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub text: String,
    pub meta: Metadata,
}

/// Why an archived file yields no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("the file is empty")]
    Empty,
    #[error("binary data, not text (a NUL byte at byte {0})")]
    Binary(usize),
    #[error("invalid UTF-8 at byte {0}")]
    Utf8(usize),
    #[error("the page has no article text (readability found none: {0})")]
    NoArticle(String),
}

/// Reads an archived file's bytes as an article of the given kind.
pub fn read(bytes: &[u8], kind: Kind) -> Result<Article, ArticleError> {
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    match kind {
        Kind::Text => Ok(Article {
            text: paragraphs(text.lines()),
            meta: Metadata::default(),
        }),
        Kind::Markdown => Ok(markdown(text)),
        Kind::Html => html(text),
    }
}

/// UTF-8 text, a byte-order mark dropped; binary and invalid UTF-8 refused.
fn decode(bytes: &[u8]) -> Result<&str, ArticleError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes.is_empty() {
        return Err(ArticleError::Empty);
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(ArticleError::Binary(pos));
    }
    std::str::from_utf8(bytes).map_err(|e| ArticleError::Utf8(e.valid_up_to()))
}

/// Lines joined into paragraphs: a blank line ends one, and the lines of one paragraph are joined
/// with a space (hard-wrapped text reads as the sentences it holds).
fn paragraphs<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut open = false;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        if open {
            out.push(' ');
        } else if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(line);
        open = true;
    }
    out
}

/// Markdown's text, block by block; the first heading is the title.
fn markdown(text: &str) -> Article {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut title = None;
    let mut in_heading = false;
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => {
                let block = std::mem::take(&mut current).trim().to_string();
                if in_heading && title.is_none() {
                    title = Some(block.clone());
                }
                in_heading = false;
                if !block.is_empty() {
                    blocks.push(block);
                }
            }
            _ => {}
        }
    }
    Article {
        text: blocks.join("\n\n"),
        meta: Metadata {
            title,
            ..Metadata::default()
        },
    }
}

/// The page without the contents of its scripts and style sheets, which are never article
/// text and are often most of a saved page's bytes (a JSON-LD script is kept: it holds the
/// metadata). A scan for the closing tag, not a parse: html5ever would only skip them too.
fn without_raw_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(rel) = lower[at..].find('<').map(|i| at + i) {
        let tag = ["script", "style"].into_iter().find(|t| {
            lower[rel + 1..].starts_with(t)
                && lower[rel + 1 + t.len()..]
                    .starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        });
        let Some(tag) = tag else {
            out.push_str(&html[at..=rel]);
            at = rel + 1;
            continue;
        };
        let Some(open_end) = lower[rel..].find('>').map(|i| rel + i + 1) else {
            break;
        };
        let close = format!("</{tag}");
        let Some(close_at) = lower[open_end..].find(&close).map(|i| open_end + i) else {
            break;
        };
        out.push_str(&html[at..open_end]);
        if lower[rel..open_end].contains("ld+json") {
            out.push_str(&html[open_end..close_at]);
        }
        at = close_at;
    }
    out.push_str(&html[at..]);
    out
}

/// Page furniture, by element and by the class and id names sites give it.
const RESIDUE: &str = "nav, aside, footer, header, form, button, figure, figcaption, noscript, \
    iframe, svg, [class*=share], [class*=social], [class*=cookie], [id*=cookie], \
    [class*=related], [class*=newsletter], [class*=subscribe], [class*=advert], [class*=promo], \
    [class*=caption], [class*=breadcrumb], [role=navigation], [aria-hidden=true]";

/// A saved page reduced to its article.
fn html(text: &str) -> Result<Article, ArticleError> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let text = without_raw_text(text);
    let mut r = dom_smoothie::Readability::new(text.as_str(), None, Some(cfg))
        .map_err(|e| ArticleError::NoArticle(e.to_string()))?;
    // What is never the article, gone before scoring: the scorer keeps a sibling that looks
    // like text (a cookie notice, a caption), and a smaller tree scores faster.
    r.doc.select(RESIDUE).remove();
    let a = r
        .parse()
        .map_err(|e| ArticleError::NoArticle(e.to_string()))?;
    let body = paragraphs(a.text_content.lines());
    if body.trim().is_empty() {
        return Err(ArticleError::NoArticle("no paragraphs".into()));
    }
    let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Article {
        text: body,
        meta: Metadata {
            title: some(a.title.to_string()),
            publisher: a.site_name.and_then(some),
            published: a.published_time.and_then(some),
            language: a.lang.and_then(some),
            url: a.url.and_then(some),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_paragraphs_join_wrapped_lines() {
        let a = read(b"One line\nwrapped.\n\n\nTwo.\n", Kind::Text).unwrap();
        assert_eq!(a.text, "One line wrapped.\n\nTwo.");
    }

    #[test]
    fn markdown_loses_markup() {
        let a = read(
            b"# Title\n\nSome **bold** text.\n\n- item\n",
            Kind::Markdown,
        )
        .unwrap();
        assert_eq!(a.meta.title.as_deref(), Some("Title"));
        assert_eq!(a.text, "Title\n\nSome bold text.\n\nitem");
    }

    #[test]
    fn bad_bytes_are_refused() {
        assert_eq!(read(b"", Kind::Text).unwrap_err(), ArticleError::Empty);
        assert_eq!(read(b"  \n", Kind::Text).unwrap_err(), ArticleError::Empty);
        assert_eq!(
            read(b"ab\0c", Kind::Text).unwrap_err(),
            ArticleError::Binary(2)
        );
        assert_eq!(
            read(b"ab\xffc", Kind::Html).unwrap_err(),
            ArticleError::Utf8(2)
        );
    }

    #[test]
    fn scripts_and_styles_are_emptied_but_json_ld_kept() {
        let page = "<html><head><STYLE>p{}</STYLE><script type=\"application/ld+json\">{\"a\":1}</script><script>var x = '<p>no</p>';</script></head><body><p>yes</p></body></html>";
        assert_eq!(
            without_raw_text(page),
            "<html><head><STYLE></STYLE><script type=\"application/ld+json\">{\"a\":1}</script><script></script></head><body><p>yes</p></body></html>"
        );
        assert_eq!(
            without_raw_text("<p>a < b</p><scripts>"),
            "<p>a < b</p><scripts>"
        );
    }

    #[test]
    fn sniffing_finds_pages() {
        assert_eq!(Kind::sniff("  <!DOCTYPE html><html>"), Kind::Html);
        assert_eq!(Kind::sniff("BAKU, April 28. China and"), Kind::Text);
    }
}
