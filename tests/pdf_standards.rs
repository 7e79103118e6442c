//! The PDF as an archive and a screen reader meet it: tagged (PDF/UA-1 by default), PDF/A-2 on
//! request, links to sources and entries, the document's and quotes' languages, and a protective
//! marking. No validator such as veraPDF can be installed from the package registries CI reaches;
//! the writer (krilla) checks every requirement it can when it writes and refuses a file that
//! fails them, and these tests check the properties themselves: the structure tree with poppler
//! (`pdfinfo -struct-text`), the catalog, annotations and metadata with qpdf.

mod tools;

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Renders `dataset` as of 2025-05-01 into a temp dir with `extra` arguments; returns the dir
/// and the PDF's path.
fn render(dataset: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("b.pdf");
    bilateral()
        .arg("brief")
        .arg(dataset)
        .args(["--as-of", "2025-05-01", "--format", "pdf", "-o"])
        .arg(&pdf)
        .args(extra)
        .assert()
        .success();
    (dir, pdf)
}

fn example() -> &'static Path {
    Path::new("examples/china-azerbaijan")
}

/// What a tool prints for `args` and the PDF.
fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let path = tools::find(tool, "apt-get install poppler-utils qpdf").expect(tool);
    let out = Std::new(path).args(args).arg(pdf).output().unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a tool writes for `args`, the PDF and `-` (its output to standard output).
fn to_stdout(tool: &str, args: &[&str], pdf: &Path) -> String {
    let path = tools::find(tool, "apt-get install poppler-utils qpdf").expect(tool);
    let out = Std::new(path)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's objects as text: qpdf's QDF form, every object out of its object stream.
fn objects_of(pdf: &Path) -> String {
    to_stdout("qpdf", &["--qdf", "--object-streams=disable"], pdf)
}

/// A dataset of the minimal fixture's manifest and one document: one source (in `source_lang`,
/// with `source_extra` lines) and one commitment by Azerbaijan saying `summary` (with
/// `commitment_extra` lines).
fn one_document(
    source_lang: &str,
    source_extra: &str,
    summary: &str,
    commitment_extra: &str,
) -> tempfile::TempDir {
    let doc = format!(
        "id = \"d1\"\ntitle = \"A test document\"\nkind = \"readout\"\ndate = \"2025-04-10\"\nparties = [\"AZ\", \"CN\"]\n\n[[sources]]\npublisher = \"Test\"\npublished = \"2025-04-10\"\nlanguage = \"{source_lang}\"\nreliability = \"official\"\n{source_extra}\n[[commitments]]\nid = \"c1\"\nactor = \"AZ\"\nfield = \"economy-trade\"\naction = \"support\"\nsummary = \"{summary}\"\n{commitment_extra}"
    );
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string("tests/fixtures/minimal/dataset.toml").unwrap();
    std::fs::write(dir.path().join("dataset.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("doc.toml"), doc).unwrap();
    dir
}

/// The example's structure tree holds every kind of element the briefing has, in reading order,
/// with the running header, the footer and the rules left out as artifacts.
#[test]
fn the_structure_tree_follows_the_briefing() {
    let (_dir, pdf) = render(example(), &[]);
    let tree = run("pdfinfo", &["-struct-text"], &pdf);
    let elements = [
        "H1",
        "H2",
        "H3",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "THead",
        "TBody",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Caption",
        "Link",
        "BlockQuote",
    ];
    for element in elements {
        assert!(
            tree.lines().any(|l| l
                .split_whitespace()
                .next()
                .is_some_and(|w| w.trim_end_matches(':') == element)),
            "no {element} in\n{tree}"
        );
    }
    assert!(tree.contains("/Scope /Column") && tree.contains("/Scope /Row"));
    // Reading order: the title, the bottom line, then the commitments by field.
    let at = |s: &str| tree.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("China–Azerbaijan briefing") < at("Bottom line up front"));
    assert!(at("Bottom line up front") < at("Commitments by field"));
    // The running header and footer print, but are not content.
    let text = tools::pdftotext(&pdf).expect("pdftotext");
    assert!(text.contains("Page 2 of 6"), "{text}");
    assert!(
        !tree.contains("Page 2 of"),
        "the footer is tagged as content"
    );
}

/// The catalog declares a tagged document in English, shows its title, opens with its outline;
/// the metadata says PDF/UA-1.
#[test]
fn the_catalog_and_metadata_declare_an_accessible_document() {
    let (_dir, pdf) = render(example(), &[]);
    let info = run("pdfinfo", &[], &pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let objects = objects_of(&pdf);
    let catalog = objects
        .split("endobj")
        .find(|o| o.contains("/Type /Catalog"))
        .unwrap();
    for key in [
        "/Lang (en)",
        "/Marked true",
        "/StructTreeRoot",
        "/DisplayDocTitle true",
        "/PageMode /UseOutlines",
        "/Outlines",
    ] {
        assert!(catalog.contains(key), "{key} missing in {catalog}");
    }
    assert!(objects.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(!objects.contains("<pdfaid:part>"), "PDF/A only on request");
}

/// Citations link to their sources, commitment numbers to their entries, a source's address to
/// the page it names; each link says where it goes.
#[test]
fn links_go_to_sources_entries_and_addresses() {
    let dir = one_document(
        "en",
        "url = \"https://example.org/statement\"\n",
        "Azerbaijan supports trade.",
        "",
    );
    let (_out, pdf) = render(dir.path(), &[]);
    let objects = objects_of(&pdf);
    assert!(
        objects.contains("/URI (https://example.org/statement)"),
        "no link to the source's address"
    );
    assert!(objects.contains("/Contents (https://example.org/statement)"));
    // The citation [1] goes to the source's entry: a destination in the file.
    assert!(objects.contains("/Contents (1)\n  /Dest "), "{objects}");
    assert!(objects.matches("/Subtype /Link").count() >= 2);
    // In the example, commitment numbers link to their entries too.
    let (_out, example_pdf) = render(example(), &[]);
    assert!(objects_of(&example_pdf).contains("/Contents (C6)\n  /Dest "));
}

/// Each PDF/A-2 level renders (with PDF/UA-1, or alone), says so in its metadata, and embeds the
/// sRGB output intent; a level that does not exist is refused before anything is written.
#[test]
fn archival_standards_are_written_and_declared() {
    for (arg, part) in [
        ("ua-1,a-2b", "<pdfaid:conformance>B</pdfaid:conformance>"),
        ("a-2u,ua-1", "<pdfaid:conformance>U</pdfaid:conformance>"),
        ("ua-1,a-2a", "<pdfaid:conformance>A</pdfaid:conformance>"),
    ] {
        let (_dir, pdf) = render(example(), &["--pdf-standard", arg]);
        let objects = objects_of(&pdf);
        assert!(objects.contains("<pdfaid:part>2</pdfaid:part>"), "{arg}");
        assert!(objects.contains(part), "{arg}");
        assert!(objects.contains("<pdfuaid:part>1</pdfuaid:part>"), "{arg}");
        assert!(
            objects.contains("/OutputIntents"),
            "{arg}: no output intent"
        );
        let check = run("qpdf", &["--check"], &pdf);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
    }
    let (_dir, pdf) = render(example(), &["--pdf-standard", "a-2b"]);
    assert!(!objects_of(&pdf).contains("pdfuaid"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.pdf");
    let failed = bilateral()
        .args(["brief", "examples/china-azerbaijan", "--format", "pdf"])
        .args(["--pdf-standard", "a-3x", "-o"])
        .arg(&out)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(
        stderr.contains("a-3x") && stderr.contains("ua-1, a-2b, a-2u, a-2a"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// A marking is on every page (header and footer), not content for a screen reader; above and
/// below the HTML page; and first in an email's subject.
#[test]
fn a_protective_marking_is_on_every_page_the_page_and_the_subject() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("b.eml");
    bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args([
            "--format",
            "pdf,html",
            "--marking",
            "OFFICIAL-SENSITIVE",
            "--out",
        ])
        .arg(dir.path())
        .arg("--eml")
        .arg(&eml)
        .assert()
        .success();
    let pdf = dir.path().join("briefing-cn-az-2025-05-01.pdf");
    let text = tools::pdftotext(&pdf).expect("pdftotext");
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), 6);
    for page in &pages {
        assert_eq!(page.matches("OFFICIAL-SENSITIVE").count(), 2, "{page}");
    }
    assert!(!run("pdfinfo", &["-struct-text"], &pdf).contains("OFFICIAL-SENSITIVE"));
    let html = std::fs::read_to_string(dir.path().join("briefing-cn-az-2025-05-01.html")).unwrap();
    assert_eq!(
        html.matches(r#"<p class="marking" role="note">OFFICIAL-SENSITIVE</p>"#)
            .count(),
        2
    );
    let message = std::fs::read_to_string(&eml).unwrap();
    assert!(
        message.contains("\nSubject: [OFFICIAL-SENSITIVE] "),
        "{message}"
    );
}

/// A quote in another language than the briefing's is marked with its language, in the
/// Markdown, the HTML and the PDF's structure.
#[test]
fn a_quote_in_another_language_carries_it() {
    let dir = one_document(
        "ru",
        "",
        "Azerbaijan supports trade.",
        "quotes = [{ text = \"Азербайджан поддерживает торговлю\", by = \"text\", language = \"ru\" }]\n",
    );
    let out = tempfile::tempdir().unwrap();
    bilateral()
        .arg("brief")
        .arg(dir.path())
        .args(["--as-of", "2025-05-01", "--format", "md,html,pdf", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let file = |ext: &str| {
        std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap()
    };
    let md = std::fs::read_to_string(file("md")).unwrap();
    assert!(
        md.contains(r#"<span lang="ru">“Азербайджан поддерживает торговлю”</span>"#),
        "{md}"
    );
    let html = std::fs::read_to_string(file("html")).unwrap();
    assert!(html.contains(r#"<span lang="ru">"#), "{html}");
    let objects = objects_of(&file("pdf"));
    assert!(objects.contains("/S /Span") && objects.contains("/Lang (ru)"));
    let text = tools::pdftotext(&file("pdf")).expect("pdftotext");
    assert!(text.contains("Азербайджан поддерживает торговлю"), "{text}");
}

/// The same briefing gives the same bytes with every standard.
#[test]
fn every_standard_is_reproducible() {
    for standard in ["ua-1", "ua-1,a-2a", "none"] {
        let (_a, first) = render(example(), &["--pdf-standard", standard]);
        let (_b, second) = render(example(), &["--pdf-standard", standard]);
        assert!(
            std::fs::read(first).unwrap() == std::fs::read(second).unwrap(),
            "{standard}: two runs differ"
        );
    }
}

/// Arabic and Hebrew are shaped (joined letters, their own order) from a font that has them, and
/// extract in logical order; no character is replaced.
#[test]
fn arabic_and_hebrew_are_shaped_and_extract_in_logical_order() {
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    assert!(
        dejavu.is_file(),
        "{} is missing: apt-get install fonts-dejavu-core",
        dejavu.display()
    );
    let fonts = tempfile::tempdir().unwrap();
    std::fs::copy(dejavu, fonts.path().join("DejaVuSans.ttf")).unwrap();
    // (Not a word with the lam-alef ligature: poppler reverses the two letters of that one glyph
    // when it reorders right-to-left text, "السلام" extracting as "السالم".)
    let summary = "Both sides quoted «مرحبا بكم» and «שלום עולם» in the statement.";
    let dir = one_document("en", "", summary, "");
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("b.pdf");
    let run = bilateral()
        .arg("brief")
        .arg(dir.path())
        .args([
            "--as-of",
            "2025-05-01",
            "--format",
            "pdf",
            "--no-system-fonts",
        ])
        .arg("--fonts-dir")
        .arg(fonts.path())
        .arg("-o")
        .arg(&pdf)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(!stderr.contains("warning"), "{stderr}");
    let text = reading_order(&pdf);
    for words in ["مرحبا بكم", "שלום עולם"] {
        assert!(
            text.contains(words),
            "{words} not in logical order in\n{text}"
        );
    }
    // The fallback that printed them is embedded (subset by the glyphs drawn, its joining forms
    // among them: src/render/pdf/fonts.rs tests the shaping itself).
    assert!(run_fonts(&pdf).contains("+DejaVuSans "));
}

fn run_fonts(pdf: &Path) -> String {
    run("pdffonts", &[], pdf)
}

/// How many figures the structure tree holds.
fn figures(pdf: &Path) -> usize {
    let tree = run("pdfinfo", &["-struct-text"], pdf);
    tree.lines()
        .filter(|l| l.trim_start().starts_with("Figure"))
        .count()
}

/// pdftotext's reading order (not -raw, the order of drawing, in which right-to-left words are
/// drawn from their left).
fn reading_order(pdf: &Path) -> String {
    to_stdout("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// A templates folder holding `logo.png` with the built-in templates and `header` (if any) over
/// them.
fn logo_templates(header: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("tests/fixtures/logo.png", dir.path().join("logo.png")).unwrap();
    if let Some(text) = header {
        std::fs::write(dir.path().join("header.md.hbs"), text).unwrap();
    }
    dir
}

/// A logo in the templates folder prints on the first page above the title, as decoration (the
/// built-in header gives it no alternative text); an archival PDF takes it; the HTML page
/// carries it inline.
#[test]
fn a_logo_in_the_templates_folder_heads_the_first_page() {
    let templates = logo_templates(None);
    let folder = templates.path().to_str().unwrap();
    let (dir, pdf) = render(
        example(),
        &["--templates", folder, "--pdf-standard", "ua-1,a-2a"],
    );
    let images = run("pdfimages", &["-list"], &pdf);
    let rows: Vec<Vec<&str>> = images
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    // page, num, type, width, height: the picture and its transparency, both on page 1.
    assert_eq!(rows.len(), 2, "{images}");
    assert_eq!(rows[0][..5], ["1", "0", "image", "400", "120"], "{images}");
    assert_eq!(rows[1][..3], ["1", "1", "smask"], "{images}");
    // Decoration: not in the structure tree (only the two charts are figures).
    assert_eq!(figures(&pdf), 2);
    // The text is the same as without the logo.
    let (_plain_dir, plain) = render(example(), &["--pdf-standard", "ua-1,a-2a"]);
    assert_eq!(
        tools::pdftotext(&pdf).expect("pdftotext"),
        tools::pdftotext(&plain).expect("pdftotext")
    );
    let html = dir.path().join("b.html");
    bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args(["--format", "html", "--templates", folder, "-o"])
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(logo_bytes());
    assert!(
        page.contains(&format!(
            "<img src=\"data:image/png;base64,{data}\" alt=\"\""
        )),
        "{page}"
    );
    // In an email, the HTML part refers to the logo as an inline part: mail readers refuse
    // `data:` images.
    let eml = dir.path().join("b.eml");
    bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args(["--templates", folder, "--eml"])
        .arg(&eml)
        .assert()
        .success();
    let raw = std::fs::read(&eml).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    let mut parts = vec![&mail];
    let mut all = Vec::new();
    while let Some(part) = parts.pop() {
        all.push(part);
        parts.extend(part.subparts.iter());
    }
    let html_part = all
        .iter()
        .find(|p| p.ctype.mimetype == "text/html")
        .expect("an HTML part");
    let body = html_part.get_body().unwrap();
    assert!(
        body.contains("<img src=\"cid:image-1@bilateral\" alt=\"\""),
        "{body}"
    );
    assert!(!body.contains("data:image"));
    let image = all
        .iter()
        .find(|p| p.ctype.mimetype == "image/png")
        .expect("the logo as a part");
    assert_eq!(image.get_body_raw().unwrap(), logo_bytes());
    assert!(all.iter().any(|p| p.ctype.mimetype == "multipart/related"));
}

fn logo_bytes() -> Vec<u8> {
    std::fs::read("tests/fixtures/logo.png").unwrap()
}

/// With alternative text, the logo is a figure a screen reader reads, where the template puts
/// it and as large as it says.
#[test]
fn a_logo_with_alternative_text_is_a_figure() {
    let header = std::fs::read_to_string("templates/en/header.md.hbs")
        .unwrap()
        .replace(
            "<!-- pdf:image logo 15 left -->",
            "<!-- pdf:image logo 30 right | Ministry of Examples -->",
        );
    let templates = logo_templates(Some(&header));
    let (_dir, pdf) = render(
        example(),
        &["--templates", templates.path().to_str().unwrap()],
    );
    let objects = objects_of(&pdf);
    assert!(
        objects.contains("/Alt (Ministry of Examples)") && objects.contains("/S /Figure"),
        "no figure with the logo's text"
    );
    assert_eq!(figures(&pdf), 3);
    // 30 mm (85.04 pt) tall, so 100 mm (283.46 pt) wide, its right edge at the right margin
    // (20 mm from A4's 595.28 pt): the image's matrix in the content stream.
    assert!(
        objects.contains("283.46457 0 0 85.03937 255.1181 "),
        "the image is not 100 x 30 mm at the right margin"
    );
}

/// An image a template names but the folder lacks, an SVG, or a file that is no image: an
/// error naming it and what to do, and no file.
#[test]
fn a_missing_or_unusable_image_is_an_error_that_says_what_to_do() {
    let cases: [(&str, Option<&[u8]>, &str); 3] = [
        ("none", None, "has no image of that name"),
        (
            "logo.svg",
            Some(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            "rsvg-convert",
        ),
        ("logo.png", Some(b"not a png"), "cannot read the image"),
    ];
    for (file, bytes, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let header = std::fs::read_to_string("templates/en/header.md.hbs")
            .unwrap()
            .replace("{{#if (has_image \"logo\")}}", "{{#if true}}");
        std::fs::write(dir.path().join("header.md.hbs"), header).unwrap();
        if let Some(bytes) = bytes {
            std::fs::write(dir.path().join(file), bytes).unwrap();
        }
        let pdf = dir.path().join("b.pdf");
        let out = bilateral()
            .args([
                "brief",
                "examples/china-azerbaijan",
                "--as-of",
                "2025-05-01",
            ])
            .args(["--format", "pdf", "--templates"])
            .arg(dir.path())
            .arg("-o")
            .arg(&pdf)
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(says), "{file}: {stderr}");
        assert!(!pdf.exists(), "{file}: a PDF was written");
    }
}

/// A word wider than a line breaks between grapheme clusters (UAX #29), never between a letter
/// and its mark: Latin with combining accents (Noto Sans), and Devanagari, whose vowel sign
/// "ि" is drawn before its consonant (Lohit Devanagari, `fonts-lohit-deva`, given with
/// `--fonts-dir`). Measured by cluster, the Devanagari word fills its lines (measured letter by
/// letter, a lone vowel sign came out as wide as a dotted circle and the word took twice the
/// lines), and it extracts whole, in logical order.
#[test]
fn a_word_wider_than_a_line_breaks_between_clusters() {
    let lohit = Path::new("/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf");
    assert!(
        lohit.exists(),
        "Lohit Devanagari is missing: apt-get install fonts-lohit-deva (.ci/test does)"
    );
    let fonts = tempfile::tempdir().unwrap();
    std::fs::copy(lohit, fonts.path().join("Lohit-Devanagari.ttf")).unwrap();
    let fonts_dir = fonts.path().to_str().unwrap();
    let cases = [
        ("e\u{301}", 120, 'e', 2..=2),
        ("\u{915}\u{93f}", 90, '\u{915}', 2..=2),
    ];
    for (cluster, n, first, lines_each) in cases {
        let summary = format!("Agreed {} today", cluster.repeat(n));
        let dataset = one_document("en", "", &summary, "");
        let (_dir, pdf) = render(dataset.path(), &["--fonts-dir", fonts_dir]);
        let text = tools::pdftotext(&pdf).expect("pdftotext");
        let mark = cluster.chars().nth(1).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(mark)).collect();
        let marks = text.matches(mark).count();
        assert!(
            marks >= n && marks % n == 0,
            "{marks} marks for {n} clusters"
        );
        let occurrences = marks / n;
        assert!(
            lines.iter().all(|l| l.starts_with(first)),
            "a line starts inside a cluster: {lines:?}"
        );
        assert!(
            lines_each.contains(&(lines.len() / occurrences)),
            "{n} × {cluster}: {} lines for {occurrences} occurrences",
            lines.len()
        );
        let joined: String = lines.concat();
        assert_eq!(joined.matches(cluster).count(), n * occurrences, "{joined}");
    }
}

/// An Arabic quote in an English briefing is a right-to-left paragraph (its first letter is
/// Arabic, UAX #9 P2): aligned right, and its English attribution, another run, to the left of
/// the quote, as Chromium lays out the HTML page (`unicode-bidi: plaintext`).
#[test]
fn an_arabic_quote_runs_right_to_left_across_its_runs() {
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    assert!(dejavu.is_file(), "apt-get install fonts-dejavu-core");
    let fonts = tempfile::tempdir().unwrap();
    std::fs::copy(dejavu, fonts.path().join("DejaVuSans.ttf")).unwrap();
    let quote = "quotes = [{ text = \"مرحبا بكم في باكو\", by = \"text\", language = \"ar\" }]";
    let dataset = one_document("en", "", "Both sides spoke of Baku", quote);
    let (_dir, pdf) = render(
        dataset.path(),
        &["--fonts-dir", fonts.path().to_str().unwrap()],
    );
    // Words with their boxes: (text, xMin, xMax, yMin).
    let boxes = to_stdout("pdftotext", &["-bbox"], &pdf);
    let words: Vec<(String, f64, f64, f64)> = boxes
        .lines()
        .filter_map(|l| {
            let attr = |name: &str| -> Option<f64> {
                let at = l.find(&format!("{name}=\""))? + name.len() + 2;
                l[at..].split('"').next()?.parse().ok()
            };
            let text = l.split('>').nth(1)?.split('<').next()?.to_string();
            Some((text, attr("xMin")?, attr("xMax")?, attr("yMin")?))
        })
        .collect();
    let arabic = |w: &str| w.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c));
    let quoted: Vec<_> = words.iter().filter(|w| arabic(&w.0)).collect();
    assert_eq!(quoted.len(), 4, "{quoted:?}");
    let y = quoted[0].3;
    let line: Vec<_> = words.iter().filter(|w| (w.3 - y).abs() < 4.0).collect();
    let right = line.iter().map(|w| w.2).fold(0.0, f64::max);
    // A4 is 595.28 pt wide, the margins 20 mm (56.69 pt).
    assert!((right - 538.58).abs() < 0.5, "not aligned right: {line:?}");
    let english = line
        .iter()
        .find(|w| w.0 == "document’s")
        .expect("attribution");
    assert!(
        quoted.iter().all(|w| w.1 > english.2),
        "the attribution is not left of the quote: {line:?}"
    );
    let text = reading_order(&pdf);
    assert!(text.contains("مرحبا بكم في باكو"), "{text}");
}

/// What a validator would check, checked directly: every text drawn inside marked content (a
/// structure element's or an artifact's), every font embedded with its Unicode map, and the file
/// sound by qpdf, for the example and the Chinese history example as an archival copy.
#[test]
fn every_text_is_marked_and_every_font_embedded_with_its_map() {
    let history = Path::new("examples/china-azerbaijan-history");
    let zh = ["--lang", "zh-Hans", "--pdf-standard", "ua-1,a-2a"];
    for (dataset, args) in [(example(), &[][..]), (history, &zh[..])] {
        let (_dir, pdf) = render(dataset, args);
        let objects = objects_of(&pdf);
        let mut texts = 0;
        // qpdf's QDF form marks each page's content stream with a comment.
        for stream in objects.split("%% Contents for page ").skip(1) {
            let content = stream
                .split_once("stream\n")
                .and_then(|(_, s)| s.split("\nendstream").next())
                .unwrap_or("");
            let mut depth = 0usize;
            for token in operators(content) {
                match token {
                    "BDC" | "BMC" => depth += 1,
                    "EMC" => depth = depth.checked_sub(1).expect("EMC without BDC"),
                    "BT" => {
                        texts += 1;
                        assert!(
                            depth > 0,
                            "{}: text outside marked content",
                            dataset.display()
                        );
                    }
                    _ => {}
                }
            }
            assert_eq!(depth, 0, "{}: marked content left open", dataset.display());
        }
        assert!(texts > 100, "{}: only {texts} texts", dataset.display());
        let fonts = run_fonts(&pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty());
        for row in rows {
            // name type encoding emb sub uni object ID: emb, sub and uni are "yes".
            let cols: Vec<&str> = row.split_whitespace().collect();
            let flags = &cols[cols.len() - 5..cols.len() - 2];
            assert_eq!(flags, ["yes", "yes", "yes"], "{row}");
        }
        let check = run("qpdf", &["--check"], &pdf);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
    }
}

/// The operators of a content stream, in order: the words outside strings, names and
/// dictionaries that are made of letters alone (`BT`, `BDC`, `EMC`, `Tf` …).
fn operators(content: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = content.as_bytes();
    let (mut i, mut string) = (0, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' if string > 0 => i += 1,
            b'(' => string += 1,
            b')' if string > 0 => string -= 1,
            b'/' if string == 0 => {
                // A name: skip it.
                i += 1;
                while i < bytes.len() && !b" \n\r\t/<>[]()".contains(&bytes[i]) {
                    i += 1;
                }
                continue;
            }
            _ if string == 0 && b.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                out.push(&content[start..i]);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}
