//! The PDF briefing, checked as a reader would: by the text `pdftotext` extracts, by `qpdf
//! --check`, by poppler rendering every page, and by its bytes (reproducible, small).

mod tools;

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Renders `dataset` to PDF in a temp dir; returns (dir, pdf path, stderr).
fn render(dataset: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("b.pdf");
    let out = bilateral()
        .arg("brief")
        .arg(dataset)
        .args(["--as-of", "2025-05-01", "--format", "pdf", "-o"])
        .arg(&pdf)
        .args(extra)
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    (dir, pdf, stderr)
}

use tools::pdftotext;

/// Text with all whitespace removed, for checking that wrapped words survive whole.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn example_pdf_tells_the_story() {
    let (_dir, pdf, stderr) = render(Path::new("examples/china-azerbaijan"), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let Some(text) = pdftotext(&pdf) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // The title block (in content order the footer comes first: the page decorator draws it).
    assert!(
        flat.contains("China–Azerbaijan briefing As of 1 May 2025; only what was published by then Period all dates to 1 May 2025"),
        "{flat}"
    );
    for heading in tools::SECTIONS {
        assert!(flat.contains(heading), "missing section {heading}");
    }
    for field in [
        "Green energy",
        "Transport and connectivity",
        "Industry",
        "Science and technology",
        "Multilateral cooperation",
        "People-to-people",
    ] {
        assert!(
            text.lines().any(|l| l.trim() == field),
            "missing field heading {field}"
        );
    }
    // An entry may run over a page break: read the body without the running header and footer.
    let body = text
        .lines()
        .filter(|l| {
            l.trim() != "China–Azerbaijan briefing As of 1 May 2025"
                && !(l.starts_with("bilateral ") && l.contains(" Page "))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    for sco in [
        "C2 · April 2025 · Azerbaijan → China (within the SCO): Azerbaijan supports China's chairmanship of the SCO.",
        "C6 · April 2025 · China → Azerbaijan (concerning the SCO): China supports enhancing Azerbaijan's legal status within the SCO.",
        "C4 · April 2025 · Azerbaijan → SCO: Azerbaijan is ready to take an active part in the activities of the SCO's \"Year of Sustainable Development\".",
        "Shanghai Cooperation Organisation (SCO)",
        "Shi Jing",
        "28 April 2025",
    ] {
        assert!(body.contains(sco), "missing: {sco}");
    }
    assert!(!flat.contains("2025-04-01"));
    let pages = flat.matches("Page ").count();
    assert!(pages >= 3, "{pages} pages");
    for n in 1..=pages {
        assert!(
            flat.contains(&format!("Page {n} of {pages}")),
            "no 'Page {n} of {pages}'"
        );
    }
}

/// The PDF is laid out from the Markdown: its headings are the Markdown's, one for one, in order.
#[test]
fn pdf_headings_match_the_markdown() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("bilateral")
        .unwrap()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args(["--format", "md,pdf", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let stem = dir.path().join("briefing-cn-az-2025-05-01");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    let mut headings: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for e in pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES) {
        match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. }) => {
                current = Some(String::new())
            }
            pulldown_cmark::Event::Text(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&t)
                }
            }
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                headings.extend(current.take())
            }
            _ => {}
        }
    }
    assert!(headings.len() > 15, "{headings:?}");
    let Some(text) = pdftotext(&stem.with_extension("pdf")) else {
        return;
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut at = 0;
    for h in &headings {
        match lines[at..].iter().position(|l| l == h) {
            Some(i) => at += i + 1,
            None => panic!("heading {h:?} is not a line of the PDF after line {at}:\n{text}"),
        }
    }
}

#[test]
fn pdf_is_valid_and_renders() {
    let (dir, pdf, _) = render(Path::new("examples/china-azerbaijan"), &[]);
    if let Some(qpdf) = tools::find("qpdf", "apt-get install qpdf") {
        let out = Std::new(qpdf).arg("--check").arg(&pdf).output().unwrap();
        assert!(
            out.status.success(),
            "qpdf --check: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    if let Some(ppm) = tools::find("pdftoppm", "apt-get install poppler-utils") {
        let out = Std::new(ppm)
            .args(["-r", "30", "-png"])
            .arg(&pdf)
            .arg(dir.path().join("page"))
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "poppler complained: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pngs = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "png")
            })
            .count();
        assert!(pngs >= 3);
    }
}

#[test]
fn pdf_bytes_are_reproducible_and_small() {
    let (_a, first, _) = render(Path::new("examples/china-azerbaijan"), &[]);
    let (_b, second, _) = render(Path::new("examples/china-azerbaijan"), &[]);
    let a = std::fs::read(&first).unwrap();
    let b = std::fs::read(second).unwrap();
    assert!(a == b, "two runs differ");
    // Six pages with the follow-through sections, the score chart and the ✓ of verified quotes
    // from the built-in symbol font (five pages and 49 KB before the follow-through).
    assert!(
        a.len() <= 62_000,
        "the example PDF is {} bytes, over the 62 KB target",
        a.len()
    );
    // The dates come from the as-of date, never the clock.
    let info = pdfinfo(&first, &["-isodates"]).expect("pdfinfo");
    for key in ["CreationDate:", "ModDate:"] {
        let line = info
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default();
        assert!(line.ends_with(" 2025-05-01T00:00:00Z"), "{info}");
    }
}

/// What `pdfinfo ARGS PDF` prints.
fn pdfinfo(pdf: &Path, args: &[&str]) -> Option<String> {
    let tool = tools::find("pdfinfo", "apt-get install poppler-utils")?;
    let out = Std::new(tool).args(args).arg(pdf).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The embedded fonts, as `pdffonts` lists them (subset names such as "ABCDEF+NotoSans-Bold").
fn pdffonts(pdf: &Path) -> String {
    let tool = tools::find("pdffonts", "apt-get install poppler-utils").expect("pdffonts");
    let out = Std::new(tool).arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn azerbaijani_turkish_and_cyrillic_survive_extraction() {
    let (_dir, pdf, stderr) = render(Path::new("tests/fixtures/hostile"), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let Some(text) = pdftotext(&pdf) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "Bakı, Gəncə, Şəki, Ağdam, İsmayıllı, Quba, Göyçay, Xaçmaz, Москва",
        "Azərbaycan_[x](y)",
        "<script>alert(1)</script>",
    ] {
        assert!(flat.contains(s), "lost: {s}\n{flat}");
    }
}

/// A dataset written into a temp dir from the minimal fixture with one document replaced.
fn dataset_with(doc: &str, manifest_extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string("tests/fixtures/minimal/dataset.toml").unwrap();
    std::fs::write(dir.path().join("dataset.toml"), manifest + manifest_extra).unwrap();
    std::fs::write(dir.path().join("doc.toml"), doc).unwrap();
    dir
}

const DOC_HEAD: &str = r#"id = "d1"
title = "A test document"
kind = "readout"
date = "2025-04-10"
parties = ["AZ", "CN"]

[[sources]]
publisher = "Test"
published = "2025-04-10"
language = "en"
reliability = "official"
"#;

/// A document with one commitment by `actor` in economy and trade.
fn one_commitment(actor: &str, summary: &str) -> String {
    format!(
        "{DOC_HEAD}\n[[commitments]]\nid = \"c1\"\nactor = \"{actor}\"\nfield = \"economy-trade\"\naction = \"support\"\nsummary = \"{summary}\"\n"
    )
}

#[test]
fn long_urls_and_words_wrap_instead_of_vanishing() {
    let url = format!("https://example.org/{}", "abcdefghij".repeat(28));
    assert!(url.len() >= 300);
    let word =
        "Transcaspianinternationaltransportroutecoordinationsecretariatworkinggroup".repeat(2);
    let doc = format!(
        "{DOC_HEAD}\n[[commitments]]\nid = \"c1\"\nactor = \"AZ\"\nfield = \"narrow\"\naction = \"support\"\nsummary = \"See {url} for the route; the {word} meets yearly.\"\n"
    );
    let dir = dataset_with(
        &doc,
        &format!("\n[[fields]]\nid = \"narrow\"\nlabel = \"{word}\"\n"),
    );
    let (_out, pdf, _) = render(dir.path(), &[]);
    let Some(text) = pdftotext(&pdf) else { return };
    let flat = squeeze(&text);
    assert!(flat.contains(&squeeze(&url)), "the URL was cut:\n{text}");
    // The word appears in the narrow table column, in the chart label (shortened there with an
    // ellipsis, since the table shows it in full), the heading and the summary: at least three
    // times whole.
    assert!(
        flat.matches(&word).count() >= 3,
        "the long word was dropped:\n{text}"
    );
}

/// A table's dates never wrap: a column of short cells keeps its width even when long labels
/// and tallies crowd the table (the fields table: First and Latest).
#[test]
fn table_dates_never_wrap() {
    let label =
        "Cooperation on ports, railways, logistics hubs and the customs of the middle route";
    let mut doc = DOC_HEAD.to_string();
    for (i, (who, date)) in [
        ("actor = \"AZ\"", "2024-09-28"),
        ("actor = \"CN\"", "2024-11-30"),
        ("mutual = true", "2024-12-30"),
    ]
    .iter()
    .enumerate()
    {
        doc.push_str(&format!(
            "\n[[commitments]]\nid = \"c{i}\"\n{who}\nfield = \"route\"\naction = \"support\"\ndate = \"{date}\"\nsummary = \"Pledge {i}.\"\n"
        ));
    }
    let dir = dataset_with(
        &doc,
        &format!("\n[[fields]]\nid = \"route\"\nlabel = \"{label}\"\n"),
    );
    let (_out, pdf, _) = render(dir.path(), &[]);
    let Some(text) = pdftotext(&pdf) else { return };
    // Each date whole on a line twice: in the table's cell and in its commitment's entry.
    for date in ["28 September 2024", "30 December 2024"] {
        assert!(
            text.lines().filter(|l| l.contains(date)).count() >= 2,
            "{date} wrapped in the table:\n{text}"
        );
    }
}

/// An address wider than a line breaks after `/`, `.`, `-`, `?`, `&` or `=`, never inside a
/// word where one of those was available.
#[test]
fn long_urls_break_at_their_punctuation() {
    let url = "https://en.trend.az/business/energy/4012345-linking-kars-to-azerbaijans-transport-route-and-the-middle-corridor-project-with-the-caspian-sea-ports/details.html?lang=en&section=transport-and-connectivity&page=2";
    let doc = format!(
        "{DOC_HEAD}\n[[commitments]]\nid = \"c1\"\nactor = \"AZ\"\nfield = \"economy-trade\"\naction = \"support\"\nsummary = \"The route.\"\n"
    )
    .replace("reliability = \"official\"", &format!("reliability = \"official\"\nurl = \"{url}\""));
    assert!(
        doc.contains(url),
        "the fixture has a source to give the address to"
    );
    let dir = dataset_with(&doc, "");
    let (_out, pdf, _) = render(dir.path(), &[]);
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(squeeze(&text).contains(url), "the address was cut:\n{text}");
    let start = text
        .find("https://en.trend.az")
        .expect("the address is printed");
    let mut rest = url;
    for line in text[start..].lines() {
        let part = line.trim();
        let Some(after) = rest.strip_prefix(part) else {
            break;
        };
        if after.is_empty() {
            break;
        }
        let last = part.chars().last().unwrap();
        assert!(
            ['/', '.', '-', '?', '&', '='].contains(&last),
            "the address breaks inside a word: {part:?} | {after:?}"
        );
        rest = after;
    }
    assert!(
        rest.len() < url.len() / 2,
        "the address did not wrap over several lines"
    );
}

#[test]
fn missing_glyphs_are_replaced_visibly_and_reported() {
    // No built-in font has Arabic, and the system's fonts are not asked: a name and a quote in
    // Arabic are reported and replaced, visibly.
    let doc =
        one_commitment("CN", "China (الصين) invests in trade.") + "quote = \"الصين وأذربيجان\"\n";
    let dir = dataset_with(&doc, "");
    let (_out, pdf, stderr) = render(dir.path(), &["--no-system-fonts"]);
    assert!(stderr.contains("warning: document `d1`"), "{stderr}");
    assert!(
        stderr.contains("U+0627 ا") && stderr.contains("U+0630 ذ"),
        "{stderr}"
    );
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(
        text.contains("China (\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}) invests in trade."),
        "{text}"
    );
    let quote = "\u{FFFD}".repeat(5) + " " + &"\u{FFFD}".repeat(9);
    assert!(
        text.contains(&quote),
        "the quote is not replaced visibly: {text}"
    );
}

/// Chinese names, titles and quotes print from the shipped fallback font, exactly, with no
/// warning; only the Chinese characters switch font.
#[test]
fn chinese_prints_from_the_shipped_fallback() {
    let doc = format!(
        "{DOC_HEAD}\n[[commitments]]\nid = \"c1\"\nactor = \"CN\"\nfield = \"economy-trade\"\naction = \"invest\"\nsummary = \"Shi Jing (石婧) says China (中国) invests in trade.\"\nquote = \"中阿全面战略伙伴关系\"\n"
    )
    .replace("title = \"A test document\"", "title = \"新华社：中阿关系\"");
    let dir = dataset_with(&doc, "");
    let (_out, pdf, stderr) = render(dir.path(), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let Some(text) = pdftotext(&pdf) else { return };
    for s in [
        "Shi Jing (石婧) says China (中国) invests in trade.",
        "中阿全面战略伙伴关系",
        "新华社：中阿关系",
    ] {
        assert!(text.contains(s), "missing {s} in {text}");
    }
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.len() < 60_000,
        "{} bytes: the CJK font is not subset",
        bytes.len()
    );
    let fonts = pdffonts(&pdf);
    assert!(fonts.contains("+DroidSansFallback"), "{fonts}");
}

#[test]
fn letter_paper_and_author() {
    let (_dir, pdf, _) = render(
        Path::new("examples/china-azerbaijan"),
        &["--paper", "letter", "--author", "Desk Ə"],
    );
    let Some(info) = tools::find("pdfinfo", "apt-get install poppler-utils") else {
        return;
    };
    let out = Std::new(info).arg(&pdf).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("612 x 792 pts (letter)"), "{s}");
    assert!(s.contains("Author:          Desk Ə"), "{s}");
    // Title and subject come from the templates: the heading and the running header.
    assert!(
        s.contains("Title:           China–Azerbaijan briefing\n"),
        "{s}"
    );
    assert!(
        s.contains("Subject:         China – Azerbaijan, As of 1 May 2025"),
        "{s}"
    );
    assert!(
        s.contains("Keywords:        ") && s.contains("Multilateral cooperation"),
        "{s}"
    );
}

#[test]
fn fonts_dir_overrides_the_family() {
    let fonts = tempfile::tempdir().unwrap();
    // A family of one font in four files: the PDF names it as the font names itself.
    for style in ["Regular", "Bold", "Italic", "BoldItalic"] {
        std::fs::copy(
            "fonts/NanumSquareR.ttf",
            fonts.path().join(format!("Desk-{style}.ttf")),
        )
        .unwrap();
    }
    let (_dir, pdf, _) = render(
        Path::new("examples/china-azerbaijan"),
        &["--fonts-dir", fonts.path().to_str().unwrap()],
    );
    let s = pdffonts(&pdf);
    assert!(
        s.contains("+NanumSquare") && !s.contains("NotoSans-Regular"),
        "{s}"
    );
}

#[test]
fn a_failed_render_writes_no_file() {
    let fonts = tempfile::tempdir().unwrap();
    for style in ["Regular", "Bold", "Italic", "BoldItalic"] {
        std::fs::write(
            fonts.path().join(format!("Bad-{style}.ttf")),
            b"not a font at all",
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let res = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--format",
            "md,pdf",
            "--out",
        ])
        .arg(out.path())
        .arg("--fonts-dir")
        .arg(fonts.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    assert!(
        stderr.contains("Bad-Regular") || stderr.contains("font"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "a file was written"
    );
}

/// What subsetting saves, through the library API (run with --nocapture to see the figures).
#[test]
fn subsetting_shrinks_the_file() {
    use bilateral::render::pdf::{render, PdfOptions};
    let loaded = bilateral::load(Path::new("examples/china-azerbaijan"));
    let ds = loaded.dataset.unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
    let b = bilateral::briefing::aggregate::aggregate(&ds, &Default::default(), as_of).unwrap();
    let md = String::from_utf8(bilateral::render::markdown::render(&b).unwrap()).unwrap();
    let subset = render(&md, &b, &PdfOptions::default(), &[]).unwrap();
    let whole = render(
        &md,
        &b,
        &PdfOptions {
            subset: false,
            ..PdfOptions::default()
        },
        &[],
    )
    .unwrap();
    println!(
        "example PDF: {} bytes subset, {} bytes with whole fonts, {} pages",
        subset.bytes.len(),
        whole.bytes.len(),
        subset.pages
    );
    // krilla subsets what it embeds either way; subsetting first (allsorts) measures against
    // the glyphs the briefing uses and leaves a smaller file.
    assert!(subset.bytes.len() < whole.bytes.len());
    assert_eq!(subset.pages, whole.pages);
    // Tagged, with its links and PDF/UA-1 metadata, the example stays under 60 KB (59,153 bytes
    // when this was written).
    assert!(subset.bytes.len() < 60_000, "{} bytes", subset.bytes.len());
}

#[test]
fn summary_pdf_says_what_it_leaves_out() {
    let (_dir, pdf, _) = render(
        Path::new("examples/china-azerbaijan"),
        &["--detail", "summary", "--per-list", "1"],
    );
    let Some(text) = pdftotext(&pdf) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("summary; each list shows its 1 most recent entries"),
        "{flat}"
    );
    // The SCO organisation has five commitments; one is listed.
    assert!(
        flat.contains(
            "And 4 earlier commitments concerning this organisation, not listed in this summary."
        ),
        "{flat}"
    );
    assert!(flat.contains("Most recent documents"), "{flat}");
    // The bottom line still counts everything.
    assert!(flat.contains("11 commitments"), "{flat}");
}

/// Bookmarks: one per section and per subsection (the fields under "Commitments by field"),
/// each on the page its heading is set on, read back by qpdf; the document language is set.
#[test]
fn outline_lists_the_sections_on_their_pages() {
    let (_dir, pdf, _) = render(Path::new("examples/china-azerbaijan"), &[]);
    let Some(qpdf) = tools::find("qpdf", "apt-get install qpdf") else {
        return;
    };
    let out = Std::new(&qpdf)
        .args(["--json", "--json-key=outlines"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sections: Vec<&str> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(sections, tools::SECTIONS);
    let fields: Vec<&str> = json["outlines"][2]["kids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"Multilateral cooperation") && fields.len() == 7,
        "{fields:?}"
    );
    // Each entry points at the page whose text holds its heading.
    let Some(text) = pdftotext(&pdf) else { return };
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let mut entries: Vec<&serde_json::Value> =
        json["outlines"].as_array().unwrap().iter().collect();
    entries.extend(json["outlines"][1]["kids"].as_array().unwrap());
    for o in entries {
        let page = o["destpageposfrom1"].as_u64().unwrap() as usize;
        let title = o["title"].as_str().unwrap();
        assert!(
            pages[page - 1].lines().any(|l| l.trim() == title),
            "{title} is not on page {page}"
        );
    }
    let catalog = Std::new(&qpdf)
        .args(["--show-object=trailer"])
        .arg(&pdf)
        .output()
        .unwrap();
    let trailer = String::from_utf8_lossy(&catalog.stdout);
    let root = trailer
        .split("/Root ")
        .nth(1)
        .unwrap()
        .split(" R")
        .next()
        .unwrap()
        .replace(' ', ",");
    let catalog = Std::new(&qpdf)
        .arg(format!("--show-object={root}"))
        .arg(&pdf)
        .output()
        .unwrap();
    let catalog = String::from_utf8_lossy(&catalog.stdout);
    assert!(
        catalog.contains("/Lang (en)") && catalog.contains("/PageMode /UseOutlines"),
        "{catalog}"
    );
}

/// A long briefing made here (28 fields, 140 commitments, some with notes and quotes): no page
/// ends with a heading, the table repeats its header row on the page it continues on, dates
/// never wrap in it, and the chart is on one page with its caption.
#[test]
fn long_briefing_layout_holds_together() {
    let mut manifest = String::new();
    let mut doc = DOC_HEAD.to_string();
    for f in 0..28 {
        manifest.push_str(&format!(
            "\n[[fields]]\nid = \"field-{f}\"\nlabel = \"Area of cooperation {f}\"\n"
        ));
        for c in 0..(1 + f % 9) {
            let extra = match c % 3 {
                0 => "note = \"A note that runs long enough to wrap onto a second line of the page, as notes in real briefings do.\"\n",
                1 => "quote = \"A quoted passage from the statement, long enough to take two lines in the printed briefing.\"\n",
                _ => "",
            };
            doc.push_str(&format!(
                "\n[[commitments]]\nid = \"c-{f}-{c}\"\nactor = \"{}\"\nfield = \"field-{f}\"\naction = \"support\"\nsummary = \"Commitment {c} in area {f}, worded at the length of a real clause in a joint statement.\"\n{extra}",
                if c % 2 == 0 { "AZ" } else { "CN" }
            ));
        }
    }
    let dir = dataset_with(&doc, &manifest);
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("bilateral")
        .unwrap()
        .arg("brief")
        .arg(dir.path())
        .args([
            "--as-of",
            "2025-05-01",
            "--detail",
            "full",
            "--format",
            "md,pdf",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let stem = out.path().join("briefing-az-cn-2025-05-01");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    let headings: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
        .collect();
    let Some(text) = pdftotext(&stem.with_extension("pdf")) else {
        return;
    };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 8, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        // In content order the footer comes first, so the last line is the body's.
        let last = page
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap();
        assert!(
            !headings.contains(&last),
            "page {} ends with the heading {last:?}",
            i + 1
        );
    }
    // The by-field table runs over two pages; each starts with its header row.
    let table_pages: Vec<&&str> = pages
        .iter()
        .filter(|p| p.contains("10 April 2025 10 April 2025"))
        .collect();
    assert!(
        table_pages.len() >= 2,
        "the table should continue on a second page"
    );
    for page in table_pages {
        let header = page
            .find("Field Commitments First Latest By Status")
            .expect("the header row on every page of the table");
        let first_row = page.find("10 April 2025 10 April 2025").unwrap();
        assert!(
            header < first_row,
            "the header row is not at the top of the table's page"
        );
    }
    let caption = "Commitments recorded in each field";
    let chart_page = pages
        .iter()
        .find(|p| p.contains(caption))
        .expect("the chart's caption");
    // Every bar's label is on the caption's page, after the table's caption: the chart is whole.
    let chart = chart_page.split("where they stand").last().unwrap();
    for f in 0..28 {
        let label = format!("Area of cooperation {f}");
        assert!(
            chart.contains(&label),
            "bar {label:?} is not on the caption's page"
        );
    }
}

/// Fonts in layers: a character no built-in font has (Georgian) is reported and replaced when
/// nothing else has it, and prints from a single font file given with `--fonts-dir`.
#[test]
fn a_single_font_in_fonts_dir_prints_what_the_built_in_ones_lack() {
    let doc = one_commitment("AZ", "Tbilisi (თბილისი) hosts the talks.");
    let dir = dataset_with(&doc, "");
    let (_out, pdf, stderr) = render(dir.path(), &["--no-system-fonts"]);
    assert!(stderr.contains("U+10D7 თ"), "{stderr}");
    let fonts = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/fonts/DejaVuSansGeorgian.ttf",
        fonts.path().join("DejaVuSansGeorgian.ttf"),
    )
    .unwrap();
    let fonts_dir = fonts.path().to_str().unwrap();
    let (_out2, pdf2, stderr2) =
        render(dir.path(), &["--no-system-fonts", "--fonts-dir", fonts_dir]);
    assert!(!stderr2.contains("warning"), "{stderr2}");
    let (Some(before), Some(after)) = (pdftotext(&pdf), pdftotext(&pdf2)) else {
        return;
    };
    assert!(!before.contains("თბილისი"), "{before}");
    assert!(
        after.contains("Tbilisi (თბილისი) hosts the talks."),
        "{after}"
    );
    // The family stays Noto Sans: only the Georgian letters switch font.
    let fonts = pdffonts(&pdf2);
    assert!(
        // The single font names itself (DejaVuSansGeorgian.ttf is DejaVu Sans cut down).
        fonts.contains("+NotoSans-Regular") && fonts.contains("+DejaVuSans "),
        "{fonts}"
    );
}

/// A named pipe or a link to a device among the fonts is refused, named, without being read
/// (before, a pipe named `p.ttf` hung `brief` and a link to /dev/zero was read to 6.9 GB).
#[test]
fn fonts_dir_refuses_pipes_and_devices_unread() {
    for (name, make) in [("p.ttf", "pipe"), ("z.ttf", "link to /dev/zero")] {
        let fonts = tempfile::tempdir().unwrap();
        let path = fonts.path().join(name);
        if make == "pipe" {
            assert!(Std::new("mkfifo").arg(&path).status().unwrap().success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let out = bilateral()
            .args([
                "brief",
                "examples/china-azerbaijan",
                "--as-of",
                "2025-05-01",
            ])
            .args(["--format", "pdf", "-o"])
            .arg(dir.path().join("b.pdf"))
            .arg("--fonts-dir")
            .arg(fonts.path())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{make}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("not a regular file"),
            "{make}: {stderr}"
        );
        assert!(!dir.path().join("b.pdf").exists());
    }
}

/// Korean, kana, CJK Extension A, a check mark and mathematical letters above U+FFFF print from
/// the built-in fonts alone and extract as written (before, Hangul printed as `�` and `𝐀𝐁𝐂`
/// extracted as `ᵀᵀᵀ`, the last hex digit of each code point dropped from the text layer).
#[test]
fn korean_kana_check_marks_and_astral_letters_print_and_extract() {
    let summary = "Seoul (대한민국), ひらがな カタカナ, 㐀㐁, ✓ verified, 𝐀𝐁𝐂 bold.";
    let dir = dataset_with(&one_commitment("AZ", summary), "");
    let (_out, pdf, stderr) = render(dir.path(), &["--no-system-fonts"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let text = pdftotext(&pdf).expect("pdftotext");
    assert!(squeeze(&text).contains(&squeeze(summary)), "{text}");
    let fonts = pdffonts(&pdf);
    assert!(
        fonts.contains("+NanumSquare") && fonts.contains("+DejaVuSansSymbols"),
        "{fonts}"
    );
}
