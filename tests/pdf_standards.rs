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

/// The PDF's objects as text: qpdf's QDF form, every object out of its object stream.
fn objects_of(pdf: &Path) -> String {
    let qpdf = tools::find("qpdf", "apt-get install qpdf").expect("qpdf");
    let out = Std::new(qpdf)
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
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
    // pdftotext's reading order (not -raw, which is the order of drawing: right-to-left words
    // are drawn from their left).
    let tool = tools::find("pdftotext", "apt-get install poppler-utils").expect("pdftotext");
    let out = Std::new(tool)
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
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
