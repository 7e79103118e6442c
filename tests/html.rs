//! The HTML briefing: structure checked with a real HTML parser (html5ever, through scraper),
//! hostile text rendered as text and never as markup, and the page as headless Chromium renders
//! it. One story: a heading renamed and a sentence reworded through `--templates` reach the
//! Markdown, the PDF and the HTML alike.

mod tools;

use assert_cmd::Command;
use scraper::{Html, Selector};

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Runs `brief` with `args` and `--format html -o -`; returns the page.
fn html(dataset: &str, args: &[&str]) -> String {
    let out = bilateral()
        .arg("brief")
        .arg(dataset)
        .args(["--as-of", "2025-05-01", "--format", "html", "-o", "-"])
        .args(args)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The DOM headless Chromium builds from a page (its serialisation), or None if not installed.
fn chromium_dom(page: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("briefing.html");
    std::fs::write(&file, page).unwrap();
    tools::chromium_dom(&format!("file://{}", file.display()))
}

#[test]
fn example_page_is_valid_accessible_and_self_contained() {
    let page = html("examples/china-azerbaijan", &[]);
    let doc = Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("en"));
    assert!(
        !select(&doc, "meta[name=viewport]").is_empty(),
        "works on a phone"
    );
    assert!(select(&doc, "script").is_empty(), "no scripts");
    for css in ["link", "img", "iframe", "object", "[src]"] {
        assert!(select(&doc, css).is_empty(), "no external requests: {css}");
    }
    assert_eq!(text(&select(&doc, "title")[0]), "China–Azerbaijan briefing");
    assert_eq!(text(&select(&doc, "h1")[0]), "China–Azerbaijan briefing");
    // Tables have header cells.
    let tables = select(&doc, "table");
    assert!(!tables.is_empty());
    for t in &tables {
        let th = t.select(&Selector::parse("thead th").unwrap()).count();
        assert!(th > 0, "a table without header cells");
    }
    let h2: Vec<String> = select(&doc, "h2").iter().map(text).collect();
    assert_eq!(h2, tools::SECTIONS);
    // The Mermaid block and the PDF's directives are not shown.
    assert!(
        !page.contains("mermaid") && !page.contains("pdf:"),
        "{page}"
    );
    let body = text(&select(&doc, "main")[0]);
    assert!(body.contains("Azerbaijan → China (within the SCO): Azerbaijan supports China's chairmanship of the SCO."), "{body}");
    // Every citation links to its source, every commitment number to its entry, and each link
    // lands on an element of the page.
    let ids: std::collections::HashSet<&str> = select(&doc, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let links: Vec<(&str, String)> = select(&doc, "a[href^='#']")
        .iter()
        .map(|a| (a.value().attr("href").unwrap(), text(a)))
        .collect();
    assert!(links.contains(&("#source-1", "1".to_string())), "{links:?}");
    assert!(links.contains(&("#c2", "C2".to_string())), "{links:?}");
    for (href, _) in &links {
        assert!(ids.contains(&href[1..]), "{href} leads nowhere");
    }
}

#[test]
fn hostile_text_is_text_in_html() {
    let page = html("tests/fixtures/hostile", &[]);
    let doc = Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    assert!(select(&doc, "script").is_empty(), "{page}");
    assert!(select(&doc, "img").is_empty(), "{page}");
    assert!(
        select(&doc, "em").iter().all(|e| !text(e).contains("html")),
        "{page}"
    );
    for a in select(&doc, "a") {
        let internal = |s: &str, prefix: &str| {
            s.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        match (a.value().attr("href"), a.value().attr("id")) {
            // An anchor a citation links to, empty.
            (None, Some(id)) => assert!(
                (internal(id, "source-") || internal(id, "c")) && text(&a).is_empty(),
                "an anchor was injected: {id}"
            ),
            (Some(href), None) => assert!(
                href.starts_with("https://example.org/")
                    || internal(href, "#source-")
                    || internal(href, "#c"),
                "a link was injected: {href}"
            ),
            other => panic!("a link was injected: {other:?}"),
        }
    }
    let body = text(&select(&doc, "main")[0]);
    for literal in [
        "# Not a heading | pipe *star* _under_ `tick` <script>alert(1)</script>",
        "1. Looks like a list | has a pipe and a line break *bold* __strong__ ~~strike~~ $math$ ![img](x.png) <img src=x onerror=alert(1)> &copy; \\escaped",
        "> quoted | `code` [ref][1] <https://evil.example>",
        "- starts with a dash; Bakı, Gəncə, Şəki, Ağdam, İsmayıllı, Quba, Göyçay, Xaçmaz, Москва",
        "R&D &amp; Co. [link](javascript:alert(1))",
        "#hashtag and <em>html</em> & entities &lt;",
    ] {
        assert!(body.contains(literal), "missing {literal:?} in {body}");
    }
}

#[test]
fn chromium_renders_the_briefing() {
    let page = html("examples/china-azerbaijan", &[]);
    let Some(dom) = chromium_dom(&page) else {
        return;
    };
    let doc = Html::parse_document(&dom);
    let body = text(&select(&doc, "body")[0]);
    for s in [
        "China–Azerbaijan briefing",
        "Up to 1 May 2025, 2 documents record 11 commitments between China and Azerbaijan",
        "C6 · April 2025 · China → Azerbaijan (concerning the SCO): China supports enhancing Azerbaijan's legal status within the SCO.",
        "Shi Jing",
    ] {
        assert!(body.contains(s), "Chromium's DOM lacks {s:?}: {body}");
    }
    // Chromium saw the same structure: the hostile page too keeps its text as text.
    let hostile = chromium_dom(&html("tests/fixtures/hostile", &[])).unwrap();
    let doc = Html::parse_document(&hostile);
    assert!(select(&doc, "script").is_empty() && select(&doc, "img").is_empty());
    assert!(text(&select(&doc, "body")[0]).contains("<script>alert(1)</script>"));
}

use tools::pdftotext;

#[test]
fn a_template_edit_reaches_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t");
    bilateral()
        .args(["templates", "init"])
        .arg(&templates)
        .assert()
        .success();
    let edit = |file: &str, from: &str, to: &str| {
        let path = templates.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} lacks {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "fields.md.hbs",
        "## Commitments by field",
        "## Pledges by area of cooperation",
    );
    edit(
        "bottom-line-text.md.hbs",
        "made jointly",
        "undertaken together",
    );
    let out = dir.path().join("out");
    bilateral()
        .arg("brief")
        .arg("examples/china-azerbaijan")
        .args(["--as-of", "2025-05-01", "--format", "md,pdf,html", "--out"])
        .arg(&out)
        .arg("--templates")
        .arg(&templates)
        .assert()
        .success();
    let stem = out.join("briefing-cn-az-2025-05-01");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    let page = std::fs::read_to_string(stem.with_extension("html")).unwrap();
    for (what, text) in [("Markdown", &md), ("HTML", &page)] {
        assert!(
            text.contains("Pledges by area of cooperation"),
            "{what}: {text}"
        );
        assert!(text.contains("6 undertaken together"), "{what}: {text}");
        assert!(
            !text.contains("## Commitments by field")
                && !text.contains(">Commitments by field<")
                && !text.contains("6 made jointly"),
            "{what}"
        );
    }
    let Some(pdf) = pdftotext(&stem.with_extension("pdf")) else {
        return;
    };
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Pledges by area of cooperation"), "{flat}");
    assert!(flat.contains("6 undertaken together"), "{flat}");
    // The old heading is no line of the PDF (its outline too comes from the headings).
    assert!(
        !pdf.lines().any(|l| l.trim() == "Commitments by field"),
        "{pdf}"
    );
    assert!(!flat.contains("6 made jointly"), "{flat}");
}
