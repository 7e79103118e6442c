//! Briefings in Chinese, Russian and Azerbaijani, checked as a reader in Beijing, Moscow or Baku
//! would read them: the history example in Markdown, PDF, HTML and the workbook carries no English
//! month, connective or heading the templates write; dates and plurals follow CLDR on the
//! boundary counts; every language has every template and section; Chinese lines never start
//! with closing punctuation; and bad input (an unknown language, a missing template, a
//! translation in no language) is refused or warned about as everything else is.

mod tools;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const LANGS: [&str; 3] = ["zh-Hans", "ru", "az"];
const HISTORY: &str = "examples/china-azerbaijan-history";
const AS_OF: &str = "2026-12-01";

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Renders the history example in `lang` and `formats` into a new folder; returns its file of
/// each format by extension.
fn render(lang: &str, formats: &str, dir: &Path) -> impl Fn(&str) -> PathBuf {
    bilateral()
        .args(["brief", HISTORY, "--as-of", AS_OF, "--lang", lang])
        .args(["--format", formats, "--out"])
        .arg(dir)
        .assert()
        .success();
    let dir = dir.to_path_buf();
    move |ext: &str| dir.join(format!("briefing-cn-az-{AS_OF}.{ext}"))
}

/// What the dataset itself says in its own words and a briefing prints as it is: publishers,
/// publication titles, quotes, addresses. Taken from the briefing's JSON in that language.
fn originals(lang: &str) -> Vec<String> {
    let out = bilateral()
        .args(["brief", HISTORY, "--as-of", AS_OF, "--lang", lang])
        .args(["--format", "json", "-o", "-"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found = Vec::new();
    collect(&json, &mut found);
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found
}

fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let original = ["publisher", "url", "text", "translation", "speaker"];
                match (k.as_str(), v) {
                    (k, serde_json::Value::String(s)) if original.contains(&k) => {
                        out.push(s.clone())
                    }
                    ("title", serde_json::Value::String(s)) if m.contains_key("publisher") => {
                        out.push(s.clone())
                    }
                    _ => collect(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// English words the templates would print: months and the connectives and nouns of their
/// sentences. Whole words, any case.
fn english_words(text: &str) -> Vec<String> {
    const WORDS: [&str; 32] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "and",
        "the",
        "of",
        "with",
        "between",
        "since",
        "to",
        "commitment",
        "commitments",
        "briefing",
        "source",
        "sources",
        "due",
        "overdue",
        "page",
        "field",
        "fields",
        "implemented",
        "stated",
        "signed",
    ];
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// The text without HTML comments and tags (the PDF's directives, anchors), and with lines a
/// long address was broken over joined again.
fn without_markup(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = match rest[i..].starts_with("<!--") {
            true => rest[i..].find("-->").map(|e| i + e + 3),
            false => rest[i..].find('>').map(|e| i + e + 1),
        };
        out.push(' ');
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out.replace("-\n", "-")
        .replace("/\n", "/")
        .replace("_\n", "_")
}

/// The text with the dataset's own words, addresses and Markdown link targets taken out.
fn without_originals(text: &str, originals: &[String]) -> String {
    let mut t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for o in originals {
        let o = o.split_whitespace().collect::<Vec<_>>().join(" ");
        if !o.is_empty() {
            t = t.replace(&o, " ");
        }
    }
    t.split(' ')
        .filter(|w| !w.contains("http") && !w.contains("](#"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_no_english(what: &str, lang: &str, text: &str, originals: &[String]) {
    let text = without_markup(text);
    let left: Vec<String> = english_words(&without_originals(&text, originals))
        .into_iter()
        // Azerbaijani for May.
        .filter(|w| !(lang == "az" && w == "may"))
        .collect();
    assert!(
        left.is_empty(),
        "{what} in {lang} still prints English: {left:?}"
    );
}

#[test]
fn markdown_in_each_language_has_no_english() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let file = render(lang, "md", dir.path());
        let md = std::fs::read_to_string(file("md")).unwrap();
        // Mermaid's own keywords are syntax, not words.
        let md: String = md
            .split("```")
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, s)| s)
            .collect();
        assert_no_english("The Markdown", lang, &md, &originals(lang));
    }
}

#[test]
fn pdf_in_each_language_has_no_english_and_chinese_lines_break_as_chinese() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let file = render(lang, "pdf", dir.path());
        let Some(text) = tools::pdftotext(&file("pdf")) else {
            return;
        };
        let raw = text;
        let text = without_running_lines(&raw);
        assert_no_english("The PDF", lang, &text, &originals(lang));
        if lang == "zh-Hans" {
            let bad: Vec<&str> = raw
                .lines()
                .filter(|l| {
                    l.trim_start()
                        .starts_with(['。', '，', '）', '、', '；', '：'])
                })
                .collect();
            assert!(
                bad.is_empty(),
                "Chinese lines start with punctuation: {bad:?}"
            );
            assert!(raw.replace('\n', "").contains("2025年4月"), "{raw}");
        }
    }
}

/// The Chinese PDF embeds its CJK font once (it served four styles, embedded four times before)
/// and substitutes its bold by stroking: the bold labels are bold.
#[test]
fn the_chinese_pdf_embeds_its_cjk_font_once() {
    let Some(tool) = tools::find("pdffonts", "apt-get install poppler-utils") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = render("zh-Hans", "pdf", dir.path());
    let out = std::process::Command::new(tool)
        .arg(file("pdf"))
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&out.stdout);
    let cjk = fonts
        .lines()
        .filter(|l| l.contains("DroidSansFallback"))
        .count();
    assert_eq!(cjk, 1, "{fonts}");
    let size = std::fs::metadata(file("pdf")).unwrap().len();
    // About 117 KB with its structure tree (PDF/UA); each further copy of the CJK subset
    // would add about 30 KB.
    assert!(
        size < 130_000,
        "the Chinese history briefing is {size} bytes (a CJK font embedded more than once?)"
    );
}

#[test]
fn html_in_each_language_has_no_english_in_chromium() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let file = render(lang, "html", dir.path());
        let Some(dom) = tools::chromium_dom(&format!("file://{}", file("html").display())) else {
            return;
        };
        assert!(
            dom.contains(&format!("lang=\"{lang}\"")),
            "{lang}: no lang attribute"
        );
        let body = dom.split("<body").nth(1).unwrap_or(&dom);
        let text: String = strip_tags(body);
        let md = text.split("```").next().unwrap_or(&text);
        assert_no_english("The HTML page", lang, md, &originals(lang));
    }
}

/// The PDF's text without each page's running header and footer (the first and last line of
/// most pages, page numbers aside), which may fall inside a title broken over two pages.
fn without_running_lines(text: &str) -> String {
    let pages: Vec<Vec<&str>> = text
        .split('\u{c}')
        .map(|p| p.lines().filter(|l| !l.trim().is_empty()).collect())
        .collect();
    let shape = |l: &str| l.replace(|c: char| c.is_ascii_digit(), "");
    // The header and footer are drawn first or last: among a page's first or last two lines.
    let edge = |p: &Vec<&str>, i: usize| i < 2 || i + 2 >= p.len();
    let edges: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p.iter()
                .enumerate()
                .filter(|(i, _)| edge(p, *i))
                .map(|(_, l)| shape(l))
        })
        .collect();
    let running = |l: &str| edges.iter().filter(|s| **s == shape(l)).count() > 2;
    let mut out = Vec::new();
    for page in &pages {
        for (i, line) in page.iter().enumerate() {
            if !(edge(page, i) && running(line)) {
                out.push(*line);
            }
        }
    }
    out.join("\n")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut in_code = false;
    let lower = html.to_string();
    for (i, c) in lower.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                let rest = &lower[i..];
                if rest.starts_with("<pre") || rest.starts_with("<code") {
                    in_code = true;
                }
                if rest.starts_with("</pre") {
                    in_code = false;
                }
            }
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag && !in_code => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
}

#[test]
fn workbook_sheets_and_headings_are_in_each_language() {
    let Some(python) = tools::python_with_openpyxl() else {
        return;
    };
    let english = {
        let dir = tempfile::tempdir().unwrap();
        let file = render("en", "xlsx", dir.path());
        headings(&tools::read_ledger(&python, "xlsx", &file("xlsx")))
    };
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let file = render(lang, "xlsx", dir.path());
        let book = headings(&tools::read_ledger(&python, "xlsx", &file("xlsx")));
        assert_eq!(book.len(), english.len(), "{lang}: the same sheets");
        for ((name, heads), (en_name, en_heads)) in book.iter().zip(&english) {
            assert_ne!(name, en_name, "{lang}: sheet {en_name} untranslated");
            for h in heads {
                let words = english_words(h);
                assert!(
                    words.is_empty(),
                    "{lang}: heading {h:?} of {name} is English"
                );
            }
            assert_eq!(heads.len(), en_heads.len(), "{lang}: columns of {name}");
        }
    }
}

/// Each sheet's name and its first row.
fn headings(book: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["rows"].as_array().is_some_and(|r| !r.is_empty()))
        .map(|s| {
            let first = s["rows"][0].as_array().unwrap();
            let heads = first
                .iter()
                .filter_map(|c| c["v"].as_str().map(str::to_string))
                .collect();
            (s["name"].as_str().unwrap().to_string(), heads)
        })
        .collect()
}

#[test]
fn every_language_renders_every_template_and_section() {
    use bilateral::render::templates::LANGUAGES;
    let names = |files: &[(&str, &str)]| -> Vec<String> {
        let mut n: Vec<String> = files.iter().map(|(f, _)| f.to_string()).collect();
        n.sort();
        n
    };
    let english = names(LANGUAGES[0].1);
    let headings = |lang: &str| -> Vec<String> {
        let out = bilateral()
            .args([
                "brief", HISTORY, "--as-of", AS_OF, "--lang", lang, "-o", "-",
            ])
            .output()
            .unwrap();
        let md = String::from_utf8(out.stdout).unwrap();
        md.lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect()
    };
    let en_levels = headings("en");
    for (lang, files) in &LANGUAGES[1..] {
        assert_eq!(
            names(files),
            english,
            "{lang}: the same templates as English"
        );
        assert_eq!(
            headings(lang),
            en_levels,
            "{lang}: the same sections, in order"
        );
    }
}

#[test]
fn markdown_in_each_language_passes_markdownlint() {
    let Some(lint) = tools::find("markdownlint", "npm install -g markdownlint-cli@0.48.0") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        r#"{"default": true, "MD013": false, "MD033": {"allowed_elements": ["a", "span"]}}"#,
    )
    .unwrap();
    for lang in LANGS {
        for (dataset, as_of) in [
            (HISTORY, AS_OF),
            ("examples/china-azerbaijan", "2025-05-01"),
            ("examples/kazakhstan-azerbaijan", "2026-12-07"),
            ("tests/fixtures/rich", "2025-06-01"),
        ] {
            let out = bilateral()
                .args([
                    "brief", dataset, "--as-of", as_of, "--lang", lang, "-o", "-",
                ])
                .output()
                .unwrap();
            assert!(out.status.success(), "{lang} {dataset}");
            let file = dir.path().join(format!("{lang}.md"));
            std::fs::write(&file, &out.stdout).unwrap();
            let lint = std::process::Command::new(&lint)
                .arg("-c")
                .arg(&config)
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                lint.status.success(),
                "markdownlint, {lang}, {dataset}:\n{}",
                String::from_utf8_lossy(&lint.stderr)
            );
        }
    }
}

/// A dataset of `n` commitments, one document.
fn counted(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("dataset.toml"),
        "[[parties]]\ncode = \"CN\"\n[[parties]]\ncode = \"AZ\"\n",
    )
    .unwrap();
    let mut doc = String::from(
        "id = \"d\"\ntitle = \"T\"\nkind = \"joint-statement\"\ndate = \"2025-04-28\"\nparties = [\"CN\", \"AZ\"]\n\
         [[sources]]\nid = \"s\"\npublisher = \"P\"\npublished = \"2025-04-28\"\nlanguage = \"en\"\nreliability = \"official\"\n",
    );
    for i in 0..n {
        doc.push_str(&format!(
            "[[commitments]]\nid = \"c{i}\"\nmutual = true\nfield = \"energy\"\naction = \"cooperate\"\nsummary = \"S{i}.\"\n"
        ));
    }
    std::fs::create_dir(root.join("documents")).unwrap();
    std::fs::write(root.join("documents/d.toml"), doc).unwrap();
    dir
}

#[test]
fn russian_plurals_and_dates_on_the_boundary_counts() {
    for (n, want) in [
        (0, "0 обязательств"),
        (1, "1 обязательство"),
        (2, "2 обязательства"),
        (5, "5 обязательств"),
        (11, "11 обязательств"),
        (21, "21 обязательство"),
        (22, "22 обязательства"),
    ] {
        let ds = counted(n);
        let out = bilateral()
            .arg("brief")
            .arg(ds.path())
            .args(["--as-of", "2025-05-01", "--lang", "ru", "-o", "-"])
            .output()
            .unwrap();
        let md = String::from_utf8(out.stdout).unwrap();
        assert!(
            out.status.success(),
            "{n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let coverage = md
            .lines()
            .find(|l| l.contains("обязательств"))
            .unwrap_or("");
        assert!(
            coverage.contains(want),
            "{n} commitments: want {want:?} in {coverage:?}"
        );
        assert!(
            md.contains("1 мая 2025\u{202f}г."),
            "the as-of date in Russian"
        );
    }
}

#[test]
fn dates_in_each_language_follow_cldr() {
    for (lang, day, month) in [
        ("ru", "23 апреля 2025\u{202f}г.", "декабрь 2015\u{202f}г."),
        ("az", "23 aprel 2025", "dekabr 2015"),
        ("zh-Hans", "2025年4月23日", "2015年12月"),
    ] {
        let out = bilateral()
            .args([
                "brief", HISTORY, "--as-of", AS_OF, "--lang", lang, "-o", "-",
            ])
            .output()
            .unwrap();
        let md = String::from_utf8(out.stdout).unwrap();
        assert!(md.contains(day), "{lang}: {day}");
        assert!(md.to_lowercase().contains(month), "{lang}: {month}");
    }
}

#[test]
fn an_unknown_language_lists_the_shipped_ones() {
    let out = bilateral()
        .args(["brief", HISTORY, "--lang", "xx", "-o", "-"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("en, zh-Hans, ru, az"), "{err}");
    let out = bilateral()
        .args(["brief", HISTORY, "--lang", "not a tag", "-o", "-"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn a_language_folder_missing_templates_falls_back_to_english_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("words.toml"),
        "[dates]\nperiod = \"{since} – {until}\"\nperiod_open = \"bis {until}\"\n",
    )
    .unwrap();
    let out = bilateral()
        .args([
            "brief",
            HISTORY,
            "--as-of",
            AS_OF,
            "--lang",
            "de",
            "--templates",
        ])
        .arg(dir.path())
        .args(["-o", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("come from English") && err.contains("briefing.md.hbs"),
        "{err}"
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("1. Dezember 2026"),
        "German dates from CLDR: {md}"
    );
    assert!(
        md.contains("bis 1. Dezember 2026"),
        "the folder's own words"
    );
}

#[test]
fn a_translation_in_no_language_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    tools::copy_dir(Path::new("examples/china-azerbaijan"), dir.path());
    let file = dir.path().join("documents/2025-04-joint-statement.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen(
        "[[sources]]",
        "[translations.\"english!\"]\ntitle = \"x\"\n\n[[sources]]",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let out = bilateral().arg("check").arg(dir.path()).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`english!` is not a language tag"), "{err}");
    assert!(
        err.contains("2025-04-joint-statement.toml:"),
        "located: {err}"
    );
}

#[test]
fn an_untranslated_record_is_marked_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    tools::copy_dir(Path::new(HISTORY), dir.path());
    let out = bilateral()
        .arg("brief")
        .arg(dir.path())
        .args([
            "--as-of", AS_OF, "--lang", "ru", "--format", "json", "-o", "-",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["header"].get("untranslated").is_none(),
        "everything translated"
    );
    let file = dir
        .path()
        .join("documents/2025-08-31-xi-aliyev-tianjin.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let cut: String = text
        .split("\n[")
        .filter(|t| !t.starts_with("commitments.translations.ru]"))
        .collect::<Vec<_>>()
        .join("\n[");
    std::fs::write(&file, cut).unwrap();
    let out = bilateral()
        .arg("brief")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--lang", "ru", "-o", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("have no `ru` translation"), "{err}");
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("*(без перевода)*"),
        "the record is marked: {md}"
    );
    assert!(
        md.contains("**Без перевода:**"),
        "and counted in the header"
    );
}
