//! The drafter, measured and used as an analyst uses it.
//!
//! `gold_set_meets_its_targets` scores `bilateral draft` on the hand-annotated gold set in
//! `tests/drafting/gold/` (annotated by the rules in `tests/drafting/RULES.md`, written before
//! the drafter was tuned): clause detection F1 ≥ 0.85; of the matched records, actor ≥ 0.90,
//! field ≥ 0.80, action ≥ 0.75; at most 20% of the annotated non-commitments drafted; every
//! quote verbatim. The held-out texts in `tests/drafting/heldout/` (written by someone who never
//! saw the drafter) are scored and reported, not held to the targets. The other tests run the
//! binary: every gold draft checks and its quotes verify against the archive it wrote; the seed
//! article's draft against the hand-made example; bad input; and a briefing's handling of
//! drafts and verified quotes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::Deserialize;

use bilateral::article::{self, Kind};
use bilateral::draft::{self, Actor, Dictionaries, Options};

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Debug, Deserialize)]
struct Annotation {
    text: String,
    pair: [String; 2],
    #[serde(default)]
    commitment: Vec<Gold>,
    #[serde(default)]
    non_commitment: Vec<Tempting>,
}

#[derive(Debug, Deserialize)]
struct Gold {
    clause: String,
    actor: String,
    field: String,
    #[serde(default)]
    also_fields: Vec<String>,
    action: String,
}

#[derive(Debug, Deserialize)]
struct Tempting {
    clause: String,
    kind: String,
}

/// Counts over a set of texts.
#[derive(Debug, Default, Clone, Copy)]
struct Score {
    gold: usize,
    drafted: usize,
    matched: usize,
    actor: usize,
    field: usize,
    action: usize,
    tempting: usize,
    tempting_drafted: usize,
    quotes: usize,
    quotes_verbatim: usize,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.gold += o.gold;
        self.drafted += o.drafted;
        self.matched += o.matched;
        self.actor += o.actor;
        self.field += o.field;
        self.action += o.action;
        self.tempting += o.tempting;
        self.tempting_drafted += o.tempting_drafted;
        self.quotes += o.quotes;
        self.quotes_verbatim += o.quotes_verbatim;
    }

    fn precision(&self) -> f64 {
        self.matched as f64 / self.drafted.max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.matched as f64 / self.gold.max(1) as f64
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn rate(n: usize, of: usize) -> f64 {
        n as f64 / of.max(1) as f64
    }

    fn line(&self) -> String {
        format!(
            "precision {:.2}, recall {:.2}, F1 {:.2}; actor {:.2}, field {:.2}, action {:.2} of {} matched; {} of {} tempting non-commitments drafted ({:.2}); {} of {} quotes verbatim",
            self.precision(),
            self.recall(),
            self.f1(),
            Self::rate(self.actor, self.matched),
            Self::rate(self.field, self.matched),
            Self::rate(self.action, self.matched),
            self.matched,
            self.tempting_drafted,
            self.tempting,
            Self::rate(self.tempting_drafted, self.tempting),
            self.quotes_verbatim,
            self.quotes,
        )
    }
}

/// `s` with every run of white space one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where `clause` sits in the squashed text, as a character range.
fn span_in(text: &str, clause: &str) -> Option<(usize, usize)> {
    let c = squash(clause);
    text.find(&c).map(|i| (i, i + c.len()))
}

/// How much two spans overlap, as a share of the shorter.
fn overlap(a: Option<(usize, usize)>, b: Option<(usize, usize)>) -> f64 {
    let (Some(a), Some(b)) = (a, b) else {
        return 0.0;
    };
    let o = a.1.min(b.1) as f64 - a.0.max(b.0) as f64;
    if o <= 0.0 {
        0.0
    } else {
        o / ((a.1 - a.0).min(b.1 - b.0)) as f64
    }
}

fn actor_id(a: &Actor) -> String {
    match a {
        Actor::Party(c) => c.clone(),
        Actor::Mutual => "mutual".into(),
        Actor::Organisation(o) => o.clone(),
    }
}

fn action_id(a: bilateral::dataset::format::Action) -> String {
    serde_json::to_value(a)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// Scores the drafter on one annotated text; prints what it got wrong.
fn score_text(dir: &Path, file: &Path, dict: &Dictionaries) -> Score {
    let ann: Annotation = toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let path = dir.join(&ann.text);
    let bytes = std::fs::read(&path).unwrap();
    let article = article::read(&bytes, Kind::from_path(&path).unwrap()).unwrap();
    let opts = Options {
        parties: Some(ann.pair.clone()),
        ..Options::default()
    };
    let d = draft::draft(&article, dict, &opts);
    let text = squash(&d.text);
    let commitments: Vec<_> = d.records.iter().filter(|r| !r.assessment).collect();
    let spans: Vec<_> = commitments
        .iter()
        .map(|r| span_in(&text, &d.text[r.start..r.end]))
        .collect();
    let gold: Vec<_> = ann
        .commitment
        .iter()
        .map(|g| span_in(&text, &g.clause))
        .collect();
    // Greedy one-to-one matching, largest overlap first; at least half the shorter span.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let o = overlap(*s, *g);
            if o >= 0.5 {
                pairs.push((o, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_d, mut used_g) = (vec![false; spans.len()], vec![false; gold.len()]);
    let mut s = Score {
        gold: gold.len(),
        drafted: commitments.len(),
        tempting: ann.non_commitment.len(),
        ..Score::default()
    };
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    for (_, i, j) in pairs {
        if used_d[i] || used_g[j] {
            continue;
        }
        used_d[i] = true;
        used_g[j] = true;
        s.matched += 1;
        let (r, g) = (commitments[i], &ann.commitment[j]);
        let actor = r.actor.value.as_ref().map(actor_id).unwrap_or_default();
        let field = r
            .fields
            .value
            .as_ref()
            .and_then(|f| f.first().cloned())
            .unwrap_or_default();
        let action = action_id(r.action);
        s.actor += usize::from(actor == g.actor);
        s.field += usize::from(field == g.field || g.also_fields.contains(&field));
        s.action += usize::from(action == g.action);
        if actor != g.actor
            || action != g.action
            || !(field == g.field || g.also_fields.contains(&field))
        {
            println!(
                "  {name}: “{}”: actor {actor}/{}, field {field}/{}, action {action}/{}",
                squash(&g.clause),
                g.actor,
                g.field,
                g.action
            );
        }
    }
    for t in &ann.non_commitment {
        let sp = span_in(&text, &t.clause);
        if spans.iter().any(|s| overlap(*s, sp) >= 0.5) {
            s.tempting_drafted += 1;
            println!(
                "  {name}: drafted a tempting {} “{}”",
                t.kind,
                squash(&t.clause)
            );
        }
    }
    let folded = bilateral::article::Folded::new(&d.text);
    for r in &d.records {
        s.quotes += 1;
        s.quotes_verbatim += usize::from(folded.find(&d.text[r.start..r.end], &d.text).is_ok());
    }
    s
}

fn score_folder(dir: &Path) -> Score {
    let dict = Dictionaries::defaults();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no annotations in {}", dir.display());
    let mut total = Score::default();
    for f in &files {
        total.add(score_text(dir, f, &dict));
    }
    println!("{}: {} texts: {}", dir.display(), files.len(), total.line());
    total
}

#[test]
fn gold_set_meets_its_targets() {
    let dir = root().join("tests/drafting/gold");
    let n = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "toml")
        })
        .count();
    assert!(
        n >= 16,
        "the gold set has {n} annotated texts; it needs at least 16"
    );
    let s = score_folder(&dir);
    assert!(
        s.f1() >= 0.85,
        "clause detection F1 {:.2} < 0.85 ({})",
        s.f1(),
        s.line()
    );
    assert!(
        Score::rate(s.actor, s.matched) >= 0.90,
        "actor {}",
        s.line()
    );
    assert!(
        Score::rate(s.field, s.matched) >= 0.80,
        "field {}",
        s.line()
    );
    assert!(
        Score::rate(s.action, s.matched) >= 0.75,
        "action {}",
        s.line()
    );
    assert!(
        Score::rate(s.tempting_drafted, s.tempting) <= 0.20,
        "non-commitments {}",
        s.line()
    );
    assert_eq!(
        s.quotes,
        s.quotes_verbatim,
        "every quote verbatim: {}",
        s.line()
    );
}

#[test]
fn held_out_texts_are_scored() {
    let dir = root().join("tests/drafting/heldout");
    if !dir.exists() {
        panic!("the held-out set is missing: {}", dir.display());
    }
    let s = score_folder(&dir);
    // Reported (docs/drafting.md), not tuned on; only what must hold on any text is asserted.
    assert_eq!(
        s.quotes,
        s.quotes_verbatim,
        "every quote verbatim: {}",
        s.line()
    );
    assert!(
        s.matched > 0,
        "the drafter found nothing in the held-out texts: {}",
        s.line()
    );
}

/// A dataset folder for `pair`, its manifest naming every organisation the dictionaries know.
fn dataset_for(pair: &[String; 2]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = String::new();
    for code in pair {
        manifest.push_str(&format!("[[parties]]\ncode = \"{code}\"\n\n"));
    }
    for o in &Dictionaries::defaults().organisations {
        manifest.push_str(&format!(
            "[[organisations]]\nid = \"{}\"\nname = {}\n\n",
            o.id,
            toml::Value::String(o.name.clone())
        ));
    }
    std::fs::write(dir.path().join("dataset.toml"), manifest).unwrap();
    dir
}

#[test]
fn every_gold_draft_checks_and_its_quotes_verify() {
    let gold = root().join("tests/drafting/gold");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&gold)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for f in files {
        let ann: Annotation = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let ds = dataset_for(&ann.pair);
        bilateral()
            .arg("draft")
            .arg(gold.join(&ann.text))
            .arg("--dataset")
            .arg(ds.path())
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .assert()
            .success();
        let out = bilateral().arg("check").arg(ds.path()).output().unwrap();
        assert!(
            out.status.success(),
            "{}: the draft does not check:\n{}",
            ann.text,
            String::from_utf8_lossy(&out.stderr)
        );
        // Round trip: every quote verified against the archive the drafter wrote.
        let loaded = bilateral::load(ds.path());
        let dataset = loaded.dataset.expect("checked");
        let doc = &dataset.documents()[0].doc;
        let quotes: Vec<_> = doc
            .commitments
            .iter()
            .flat_map(|c| &c.quotes)
            .chain(doc.assessments.iter().flat_map(|a| &a.quotes))
            .collect();
        assert!(!quotes.is_empty(), "{}: no records drafted", ann.text);
        for q in quotes {
            assert!(q.verified, "{}: quote not verified: {}", ann.text, q.text);
        }
        assert!(
            doc.commitments.iter().all(|c| c.draft),
            "every record is a draft"
        );
        assert!(doc.sources[0]
            .archive
            .as_deref()
            .is_some_and(|a| a.starts_with("sources/")));
    }
}

/// The seed article, drafted, against the hand-made example dataset: the six commitments the
/// article reports from the joint statement, each with the example's actor and action.
#[test]
fn seed_draft_matches_the_example_where_the_article_quotes() {
    let seed = root().join("tests/drafting/gold/00-trend-shi-jing.txt");
    let out = bilateral()
        .args([
            "draft",
            "--parties",
            "CN,AZ",
            "--publisher",
            "Trend News Agency",
            "--published",
            "2025-04-28",
            "-o",
            "-",
        ])
        .arg(&seed)
        .output()
        .unwrap();
    assert!(out.status.success());
    let draft: toml::Table = toml::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap();
    let drafted = draft["commitments"].as_array().unwrap();
    let who = |c: &toml::Value| {
        if c.get("mutual").and_then(|m| m.as_bool()) == Some(true) {
            "mutual".to_string()
        } else {
            c.get("actor")
                .and_then(|a| a.as_str())
                .unwrap_or("")
                .to_string()
        }
    };
    // (words of the clause, the example's actor, action) for the example's commitments.
    let expected = [
        ("supports China’s chairmanship of the SCO", "AZ", "support"),
        ("highly appreciates China’s efforts", "AZ", "appreciate"),
        (
            "participate in the activities of the SCO",
            "AZ",
            "participate",
        ),
        (
            "deepen comprehensive cooperation with member states",
            "AZ",
            "cooperate",
        ),
        (
            "support for enhancing Azerbaijan’s legal status",
            "CN",
            "support",
        ),
        (
            "reaffirmed cooperation to promote connectivity",
            "mutual",
            "reaffirm",
        ),
    ];
    for (words, actor, action) in expected {
        let found = drafted
            .iter()
            .find(|c| c["quotes"][0]["text"].as_str().unwrap().contains(words));
        let c = found.unwrap_or_else(|| panic!("no drafted record quotes “{words}”"));
        assert_eq!(who(c), actor, "{words}");
        assert_eq!(c["action"].as_str(), Some(action), "{words}");
        assert_eq!(c["draft"].as_bool(), Some(true));
    }
    // The organisation roles the example gives: within the SCO for the chairmanship, about it
    // for the legal status.
    let by = |words: &str| {
        drafted
            .iter()
            .find(|c| c["quotes"][0]["text"].as_str().unwrap().contains(words))
            .unwrap()
    };
    assert_eq!(by("chairmanship")["within"].as_str(), Some("sco"));
    assert_eq!(by("legal status")["about"].as_str(), Some("sco"));
    // The document: an expert's commentary from Baku, with its speaker, dated its publication.
    assert_eq!(draft["kind"].as_str(), Some("expert-commentary"));
    assert_eq!(draft["date"].as_str(), Some("2025-04-28"));
    assert_eq!(draft["place"].as_str(), Some("Baku"));
    assert_eq!(draft["speaker"]["name"].as_str(), Some("Shi Jing"));
}

fn draft_stdout(args: &[&str], input: Option<&[u8]>) -> std::process::Output {
    let mut cmd = bilateral();
    cmd.arg("draft")
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600");
    if let Some(bytes) = input {
        cmd.write_stdin(bytes.to_vec());
    }
    cmd.output().unwrap()
}

#[test]
fn bad_articles_get_a_clear_message_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (write("empty.txt", b""), "empty"),
        (write("binary.txt", b"PK\x03\x04\0\0binary"), "binary data"),
        (write("latin1.txt", b"caf\xe9 au lait"), "invalid UTF-8"),
        (
            write(
                "nav.html",
                b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            ),
            "no article text",
        ),
    ];
    for (path, message) in cases {
        let out = draft_stdout(&[&path, "--parties", "CN,AZ"], None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{path}: {err}");
        assert!(err.contains(message), "{path}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // More than 8 MiB: refused before it is parsed.
    let big = write("big.html", &vec![b'a'; 8 * 1024 * 1024 + 10]);
    let out = draft_stdout(&[&big], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than the limit"));
}

#[test]
fn a_language_the_dictionaries_do_not_cover_gives_an_empty_draft_with_its_source() {
    let text = "Президенты России и Китая подписали совместное заявление о развитии всеобъемлющего партнёрства и стратегического взаимодействия.\n\nСтороны договорились расширять торговлю.";
    let out = draft_stdout(
        &[
            "-",
            "--parties",
            "RU,CN",
            "--publisher",
            "ТАСС",
            "--published",
            "2024-05-16",
            "--language",
            "ru",
            "-o",
            "-",
        ],
        Some(text.as_bytes()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not read as English"), "{err}");
    let draft: toml::Table = toml::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert!(draft.get("commitments").is_none());
    let source = &draft["sources"][0];
    assert_eq!(source["publisher"].as_str(), Some("ТАСС"));
    assert_eq!(source["published"].as_str(), Some("2024-05-16"));
    assert_eq!(source["language"].as_str(), Some("ru"));
}

#[test]
fn a_saved_page_gives_its_metadata_and_drops_its_residue() {
    let page = root().join("tests/drafting/gold/14-cn-az-page.html");
    let out = draft_stdout(
        &[
            page.to_str().unwrap(),
            "--parties",
            "CN,AZ",
            "--explain",
            "-o",
            "-",
        ],
        None,
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    // --explain with -o -: the explanation, then the draft.
    let (explained, toml_text) = stdout.split_at(stdout.find("# Drafted by").unwrap());
    assert!(explained.contains("record: "), "{explained}");
    let draft: toml::Table = toml::from_str(toml_text).unwrap();
    let source = &draft["sources"][0];
    assert!(source.get("publisher").is_some());
    assert!(
        source["published"].as_str().is_some_and(|p| p.len() == 10),
        "{source:?}"
    );
    // No quote comes from a caption, a share button or a related link.
    let html = std::fs::read_to_string(&page).unwrap();
    for c in draft["commitments"].as_array().unwrap() {
        let q = c["quotes"][0]["text"].as_str().unwrap();
        assert!(!q.contains("Share"), "{q}");
        let in_paragraph = html.split("<p").any(|p| squash(p).contains(&squash(q)));
        assert!(in_paragraph, "not from the article's paragraphs: {q}");
    }
}

#[test]
fn a_draft_never_overwrites_and_archives_inside_the_dataset() {
    let ds = dataset_for(&["CN".to_string(), "AZ".to_string()]);
    let seed = root().join("tests/drafting/gold/00-trend-shi-jing.txt");
    let run = || {
        bilateral()
            .args([
                "draft",
                "--published",
                "2025-04-28",
                "--publisher",
                "Trend News Agency",
                "--dataset",
            ])
            .arg(ds.path())
            .arg(&seed)
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    let docs: Vec<_> = std::fs::read_dir(ds.path().join("documents"))
        .unwrap()
        .collect();
    assert_eq!(docs.len(), 1);
    let second = run();
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("never written over"));
    let archived: Vec<_> = std::fs::read_dir(ds.path().join("sources"))
        .unwrap()
        .collect();
    assert_eq!(archived.len(), 1);
}

#[test]
fn dictionaries_are_written_out_and_a_dataset_overrides_them() {
    let ds = dataset_for(&["CN".to_string(), "AZ".to_string()]);
    let dir = ds.path().join("dictionaries");
    bilateral()
        .args(["dictionaries", "init"])
        .arg(&dir)
        .assert()
        .success();
    for f in [
        "countries.toml",
        "organisations.toml",
        "cues.toml",
        "fields.toml",
    ] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    // Never over an existing file.
    let again = bilateral()
        .args(["dictionaries", "init"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    // A desk's correction: "lauded" as a cue for appreciate.
    let cues = dir.join("cues.toml");
    let text = std::fs::read_to_string(&cues).unwrap();
    std::fs::write(
        &cues,
        text.replacen("appreciate = [", "appreciate = [\"lauded\", ", 1),
    )
    .unwrap();
    let article = ds.path().join("article.txt");
    std::fs::write(
        &article,
        "BAKU, May 2. Azerbaijan lauded China's mediation in the region, the ministry said.\n",
    )
    .unwrap();
    let out = bilateral()
        .args([
            "draft",
            "--published",
            "2025-05-02",
            "--publisher",
            "Agency",
            "--dataset",
        ])
        .arg(ds.path())
        .arg(&article)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = std::fs::read_dir(ds.path().join("documents"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let draft = std::fs::read_to_string(doc).unwrap();
    assert!(draft.contains("action = \"appreciate\""), "{draft}");
    assert!(draft.contains("“lauded” → appreciate"), "{draft}");
    // A broken override is named, not a panic.
    std::fs::write(
        &cues,
        text.replacen("appreciate = [", "appreciate = [\"\", ", 1),
    )
    .unwrap();
    let out = bilateral()
        .args(["draft", "--parties", "CN,AZ", "--dataset"])
        .arg(ds.path())
        .arg(&article)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cues.toml: an empty entry"), "{err}");
}
