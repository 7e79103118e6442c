//! Archived sources and verified quotes, as `bilateral check` and `bilateral brief` treat them:
//! an archive changed, missing or outside the dataset folder is an error that names the source;
//! a quote that is not in its archive is an error that shows the closest passage and where the
//! two first differ; verified quotes are marked and counted in every briefing; drafts stay out
//! of briefings until reviewed.

use std::path::Path;

use assert_cmd::Command;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

const MANIFEST: &str = "[[parties]]\ncode = \"AZ\"\nname = \"Azerbaijan\"\n\n[[parties]]\ncode = \"CN\"\nname = \"China\"\n";

const ARTICLE: &str = "BAKU, April 28. Azerbaijan supports China\u{2019}s chairmanship of the SCO, the statement says.\n\n\u{201C}We will build roads, bridges and ports across the region by 2030,\u{201D} the minister said.\n";

fn sha(bytes: &[u8]) -> String {
    bilateral::dataset::archives::sha256_hex(bytes)
}

/// A dataset whose one document quotes `quote` from an archived `ARTICLE`; `sha` overrides the
/// recorded hash, `archive` the path; `extra` is appended to the document.
fn dataset(
    quote: &str,
    sha_override: Option<&str>,
    archive: &str,
    extra: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("dataset.toml"), MANIFEST).unwrap();
    std::fs::create_dir_all(p.join("sources")).unwrap();
    std::fs::write(p.join("sources/article.txt"), ARTICLE).unwrap();
    let hash = sha_override
        .map(str::to_string)
        .unwrap_or_else(|| sha(ARTICLE.as_bytes()));
    let doc = format!(
        "id = \"d1\"\ntitle = \"Report\"\nkind = \"news-report\"\ndate = \"2025-04-28\"\nparties = [\"AZ\", \"CN\"]\n\n\
         [[sources]]\npublisher = \"Agency\"\npublished = \"2025-04-28\"\nlanguage = \"en\"\nreliability = \"independent-media\"\n\
         archive = \"{archive}\"\nsha256 = \"{hash}\"\n\n\
         [[commitments]]\nid = \"c1\"\nactor = \"AZ\"\nfield = \"multilateral\"\naction = \"support\"\nsummary = \"Support.\"\n\
         quotes = [{{ text = {q}, by = \"outlet\" }}]\n\n{extra}",
        q = toml::Value::String(quote.to_string())
    );
    std::fs::write(p.join("d1.toml"), doc).unwrap();
    dir
}

fn check(dir: &Path) -> (bool, String) {
    let out = bilateral().arg("check").arg(dir).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_quote_typed_with_other_typography_verifies() {
    // Straight apostrophe for the archive's typographic one, a dash, no final comma.
    let ds = dataset(
        "Azerbaijan supports China's chairmanship of the SCO",
        None,
        "sources/article.txt",
        "",
    );
    let (ok, err) = check(ds.path());
    assert!(ok, "{err}");
    let ds = dataset(
        "Azerbaijan supports China\u{2019}s chairmanship of the SCO",
        None,
        "sources/article.txt",
        "[[commitments]]\nid = \"c2\"\nactor = \"AZ\"\nfield = \"transport-connectivity\"\naction = \"develop\"\nsummary = \"Roads.\"\n\
         quotes = [{ text = \"We will build roads \u{2026} by 2030.\", by = \"outlet\" }]\n",
    );
    let (ok, err) = check(ds.path());
    assert!(ok, "an omission marked with … verifies: {err}");
}

#[test]
fn a_mistyped_quote_shows_the_closest_passage_and_the_first_difference() {
    let ds = dataset(
        "Azerbaijan supports China's presidency of the SCO",
        None,
        "sources/article.txt",
        "",
    );
    let (ok, err) = check(ds.path());
    assert!(!ok);
    assert!(
        err.contains("the quote is not in the archived text of its source (sources/article.txt)"),
        "{err}"
    );
    assert!(
        err.contains("the quote has “presidency of the SCO”"),
        "{err}"
    );
    assert!(
        err.contains("the archive “chairmanship of the SCO"),
        "{err}"
    );
    assert!(err.contains("d1.toml:"), "names the file and line: {err}");
}

#[test]
fn a_changed_missing_or_outside_archive_is_an_error() {
    let ds = dataset(
        "Azerbaijan supports",
        Some(&"0".repeat(64)),
        "sources/article.txt",
        "",
    );
    let (ok, err) = check(ds.path());
    assert!(!ok);
    assert!(
        err.contains("the archive has changed since it was recorded"),
        "{err}"
    );
    assert!(
        err.contains(&sha(ARTICLE.as_bytes())),
        "gives the new hash: {err}"
    );

    let ds = dataset("Azerbaijan supports", None, "sources/gone.txt", "");
    let (ok, err) = check(ds.path());
    assert!(!ok);
    assert!(err.contains("cannot read the archive"), "{err}");

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), ARTICLE).unwrap();
    let rel = format!(
        "../{}/secret.txt",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    let ds = dataset("Azerbaijan supports", None, &rel, "");
    let (ok, err) = check(ds.path());
    assert!(!ok);
    assert!(err.contains("outside the dataset folder"), "{err}");

    #[cfg(unix)]
    {
        let ds = dataset("Azerbaijan supports", None, "sources/link.txt", "");
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            ds.path().join("sources/link.txt"),
        )
        .unwrap();
        let (ok, err) = check(ds.path());
        assert!(!ok);
        assert!(
            err.contains("outside the dataset folder"),
            "a link out is refused: {err}"
        );
    }
}

#[test]
fn an_archive_without_its_hash_is_an_error_that_gives_it() {
    let dir = dataset("Azerbaijan supports", None, "sources/article.txt", "");
    let path = dir.path().join("d1.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("sha256"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, without).unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(
        err.contains(&format!("add `sha256 = \"{}\"`", sha(ARTICLE.as_bytes()))),
        "{err}"
    );
}

#[test]
fn briefings_mark_and_count_verified_quotes() {
    let ds = dataset(
        "Azerbaijan supports China's chairmanship of the SCO",
        None,
        "sources/article.txt",
        "[[commitments]]\nid = \"c2\"\nactor = \"CN\"\nfield = \"energy\"\naction = \"cooperate\"\nsummary = \"Energy.\"\n\
         quotes = [{ text = \"Words from a source with no archive.\", source = \"other\" }]\n\n\
         [[sources]]\nid = \"other\"\npublisher = \"Other\"\npublished = \"2025-04-28\"\nlanguage = \"en\"\nreliability = \"expert\"\n",
    );
    // c2 quotes a source without an archive: valid, and not verified.
    let doc = ds.path().join("d1.toml");
    let text = std::fs::read_to_string(&doc).unwrap();
    // The archived source gets an id, so c2 can name the other.
    std::fs::write(
        &doc,
        text.replacen(
            "[[sources]]\npublisher = \"Agency\"",
            "[[sources]]\nid = \"agency\"\npublisher = \"Agency\"",
            1,
        ),
    )
    .unwrap();
    let (ok, err) = check(ds.path());
    assert!(ok, "{err}");
    let out = bilateral()
        .args([
            "brief",
            "--as-of",
            "2025-05-01",
            "--format",
            "md",
            "-o",
            "-",
        ])
        .arg(ds.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("1 of 2 quotes verified against the archived source"),
        "{md}"
    );
    let verified = md
        .lines()
        .find(|l| l.contains("chairmanship of the SCO”"))
        .unwrap();
    assert!(verified.ends_with('✓'), "{verified}");
    let other = md
        .lines()
        .find(|l| l.contains("Words from a source with no archive"))
        .unwrap();
    assert!(!other.contains('✓'), "{other}");
    // The JSON carries the flag and the counts.
    let out = bilateral()
        .args([
            "brief",
            "--as-of",
            "2025-05-01",
            "--format",
            "json",
            "-o",
            "-",
        ])
        .arg(ds.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["header"]["counts"]["quotes"], 2);
    assert_eq!(json["header"]["counts"]["quotes_verified"], 1);
}

#[test]
fn drafts_stay_out_of_briefings_until_reviewed() {
    let ds = dataset(
        "Azerbaijan supports China's chairmanship of the SCO",
        None,
        "sources/article.txt",
        "[[commitments]]\nid = \"c2\"\ndraft = true\nactor = \"CN\"\nfield = \"energy\"\naction = \"cooperate\"\nsummary = \"A drafted pledge.\"\n\n\
         [[commitments]]\nid = \"c3\"\ndraft = true\nfield = \"energy\"\naction = \"cooperate\"\nsummary = \"A draft with no actor yet.\"\n",
    );
    let (ok, err) = check(ds.path());
    assert!(ok, "a draft with no actor is a warning: {err}");
    assert!(err.contains("a draft with no actor yet"), "{err}");
    let brief = |extra: &[&str]| {
        let out = bilateral()
            .args([
                "brief",
                "--as-of",
                "2025-05-01",
                "--format",
                "md",
                "-o",
                "-",
            ])
            .args(extra)
            .arg(ds.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (md, err) = brief(&[]);
    assert!(!md.contains("A drafted pledge"), "{md}");
    assert!(
        md.contains("2 draft records left out, not yet reviewed"),
        "{md}"
    );
    assert!(
        err.contains("2 draft records left out of the briefing"),
        "{err}"
    );
    let (md, _) = brief(&["--include-drafts"]);
    assert!(md.contains("**Draft, not yet reviewed:**"), "{md}");
    assert!(md.contains("A drafted pledge"), "{md}");
    assert!(
        !md.contains("A draft with no actor yet"),
        "an incomplete draft is never shown: {md}"
    );
    assert!(md.contains("1 draft record left out"), "{md}");
}
