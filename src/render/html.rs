//! The HTML briefing: the Markdown briefing through pulldown-cmark's HTML writer, inside the page
//! template (`page.html.hbs`: the language, one small stylesheet, no scripts, no external
//! requests).
//!
//! Statement text reaches the Markdown escaped, so it is text here too. The writer would pass raw
//! HTML through; none is let through but the empty anchors citations link to (`<a id="source-3">
//! </a>`, `<a id="c12"></a>`, exactly that shape): other HTML in the Markdown (the PDF's
//! directives, or anything a user's template writes) becomes escaped text, and comments are
//! dropped, but for `<!-- pdf:image … -->`: the templates folder's image (a logo) goes in the page
//! itself, as a `data:` address, so the file stays one file that makes no request.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::briefing::model::Briefing;
use crate::render::engine::{TemplateEngine, TemplateError};
use crate::render::templates::Image;

#[derive(Serialize)]
struct Page<'a, N: Serialize> {
    /// The briefing's title (its first heading).
    title: String,
    /// The language the templates declare (`<!-- pdf:lang TAG -->`), else "en".
    lang: String,
    generator: &'a str,
    /// The protective marking, if any, shown above and below the briefing.
    #[serde(skip_serializing_if = "Option::is_none")]
    marking: Option<&'a str>,
    /// The briefing as HTML.
    body: String,
    /// `bilateral serve`'s links above the briefing (back to the form, downloads); absent in a
    /// file, so the page is the same as `brief` writes but for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    nav: Option<&'a N>,
}

/// Renders the Markdown briefing `markdown` (from `briefing`) as an HTML page.
pub fn render(
    engine: &TemplateEngine,
    markdown: &str,
    briefing: &Briefing,
) -> Result<Vec<u8>, TemplateError> {
    render_with_nav(engine, markdown, briefing, None::<&()>)
}

/// [`render`], with navigation links above the briefing (the template's `nav`).
pub fn render_with_nav<N: Serialize>(
    engine: &TemplateEngine,
    markdown: &str,
    briefing: &Briefing,
    nav: Option<&N>,
) -> Result<Vec<u8>, TemplateError> {
    let (title, body) = body(markdown, engine.images());
    let lang = crate::render::pdf::blocks::parse_lang(markdown).unwrap_or_else(|| "en".into());
    let page = Page {
        title,
        lang,
        generator: &briefing.generator,
        marking: briefing.header.marking.as_deref(),
        body,
        nav,
    };
    Ok(engine.page(&page)?.into_bytes())
}

/// The HTML of a Markdown text, and the text of its first heading; `images` are those the text
/// may place (`pdf:image`).
pub fn body(markdown: &str, images: &[Image]) -> (String, String) {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut title = String::new();
    let mut in_title = false;
    let mut in_mermaid = false;
    let mut in_anchor = false;
    let mut spans = 0usize;
    let events = Parser::new_ext(markdown, opts).filter_map(|e| {
        match &e {
            Event::Start(Tag::Heading { .. }) if title.is_empty() => in_title = true,
            Event::End(TagEnd::Heading(_)) => in_title = false,
            Event::Text(t) if in_title => title.push_str(t),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.as_ref() == "mermaid" =>
            {
                in_mermaid = true;
                return None;
            }
            Event::End(TagEnd::CodeBlock) if in_mermaid => {
                in_mermaid = false;
                return None;
            }
            _ if in_mermaid => return None,
            _ => {}
        }
        Some(match e {
            Event::Html(h) if h.trim_start().starts_with("<!--") => {
                return image(&h, images).map(|i| Event::Html(i.into()))
            }
            Event::InlineHtml(h) if h.trim_start().starts_with("<!--") => return None,
            Event::InlineHtml(h) if is_anchor(&h) => {
                in_anchor = true;
                Event::InlineHtml(h)
            }
            Event::InlineHtml(h) if in_anchor && h.as_ref() == "</a>" => {
                in_anchor = false;
                Event::InlineHtml(h)
            }
            // A quote's language (`<span lang="ru">`), as the templates write it.
            Event::InlineHtml(h) if is_lang_span(&h) => {
                spans += 1;
                Event::InlineHtml(h)
            }
            Event::InlineHtml(h) if spans > 0 && h.as_ref() == "</span>" => {
                spans -= 1;
                Event::InlineHtml(h)
            }
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(CowStr::from(h.into_string())),
            e => {
                in_anchor = false;
                e
            }
        })
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    (title, html)
}

/// The `<img>` a `<!-- pdf:image NAME [HEIGHT] [ALIGN] | ALT -->` directive stands for, if
/// `images` has the image: HEIGHT millimetres tall, its alternative text empty for decoration.
fn image(comment: &str, images: &[Image]) -> Option<String> {
    use crate::render::pdf::blocks::{Align, Picture};
    use base64::Engine;
    let args = comment
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("pdf:image")
        .filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))?;
    let picture = Picture::parse(args)?;
    let file = images.iter().find(|i| i.is_named(&picture.name))?;
    let mime = match file.extension().as_str() {
        "jpg" | "jpeg" => "jpeg".to_string(),
        "svg" => "svg+xml".to_string(),
        other => other.to_string(),
    };
    let align = match picture.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    };
    let alt = crate::render::engine::html_escape(picture.alt.as_deref().unwrap_or(""));
    let data = base64::engine::general_purpose::STANDARD.encode(&file.bytes);
    Some(format!(
        "<p class=\"image\" style=\"text-align: {align}\"><img src=\"data:image/{mime};base64,{data}\" \
         alt=\"{alt}\" style=\"height: {}mm; max-width: 100%\"></p>\n",
        picture.height
    ))
}

/// `<span lang="…">` with a well-formed language tag.
fn is_lang_span(h: &str) -> bool {
    h.strip_prefix("<span lang=\"")
        .and_then(|r| r.strip_suffix("\">"))
        .is_some_and(|tag| tag.len() <= 35 && crate::base::lang::is_tag(tag))
}

/// `<a id="…">` with an id of lower-case letters, digits and hyphens: the targets of the
/// briefing's links to its sources and commitments.
fn is_anchor(h: &str) -> bool {
    h.strip_prefix("<a id=\"")
        .and_then(|r| r.strip_suffix("\">"))
        .is_some_and(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_pass_and_nothing_else() {
        let (_, html) = body(
            "1. <a id=\"source-3\"></a>Trend [x](#source-3) <a id=\"x\" onclick=\"y\"></a> </a>\n",
            &[],
        );
        assert!(html.contains("<a id=\"source-3\"></a>Trend"), "{html}");
        assert!(html.contains("<a href=\"#source-3\">x</a>"), "{html}");
        assert!(html.contains("&lt;a id=\"x\" onclick"), "{html}");
        assert!(html.contains("&lt;/a&gt;"), "{html}");
    }

    #[test]
    fn an_image_directive_is_the_image_inline() {
        let mut set = crate::render::templates::Templates::defaults();
        assert!(set.set_image("logo.png", vec![0x89, b'P', b'N', b'G'], None));
        let md = "<!-- pdf:image logo 12 right | The \"Ministry\" -->\n\n# T\n\n<!-- pdf:image gone -->\n\n<!-- pdf:images logo -->\n";
        let (_, html) = body(md, &set.images);
        assert!(
            html.contains("<p class=\"image\" style=\"text-align: right\"><img src=\"data:image/png;base64,iVBORw==\" alt=\"The &quot;Ministry&quot;\" style=\"height: 12mm; max-width: 100%\"></p>"),
            "{html}"
        );
        assert_eq!(html.matches("<img").count(), 1, "{html}");
    }

    #[test]
    fn raw_html_is_text_and_comments_go() {
        let (title, html) = body("# T & co\n\n<!-- pdf:meta -->\n\n<script>alert(1)</script>\n\nx <b>y</b>\n\n```mermaid\ntimeline\n```\n", &[]);
        assert_eq!(title, "T & co");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            !html.contains("<!--") && !html.contains("timeline"),
            "{html}"
        );
        assert!(html.contains("x &lt;b&gt;y&lt;/b&gt;"), "{html}");
    }
}
