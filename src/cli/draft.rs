//! `bilateral draft`: an article → a draft document for an analyst to review, and
//! `bilateral dictionaries init`: the drafter's dictionaries written out for a desk to correct.
//!
//! With `--dataset DIR` the article is archived under `DIR/sources/` (with its SHA-256) and the
//! draft written under `DIR/documents/`, never over an existing file; the pair, the
//! organisations and the fields come from the dataset's manifest, and `DIR/dictionaries/`
//! overrides the shipped dictionaries file by file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use bilateral::article::{self, Kind};
use bilateral::dataset::archives::{sha256_hex, SOURCES_DIR};
use bilateral::draft::{self, Dictionaries, Options};
use bilateral::PartialDate;

use super::EXIT_DATA;

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The article: a .txt, .md or .html file (a saved web page), or - for standard input.
    #[arg(value_name = "ARTICLE")]
    article: PathBuf,
    /// A dataset folder: take the pair, organisations and fields from its manifest, archive the
    /// article under its sources/, and write the draft under its documents/.
    #[arg(long, value_name = "DIR")]
    dataset: Option<PathBuf>,
    /// The pair's ISO codes (without --dataset): default, the two countries the article names
    /// most.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    parties: Vec<String>,
    /// Where the draft goes (without --dataset): a file, or - for standard output (the default).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The article's address.
    #[arg(long)]
    url: Option<String>,
    /// Who published it.
    #[arg(long)]
    publisher: Option<String>,
    /// When it was published (2025-04-28, 2025-04 or 2025).
    #[arg(long, value_name = "DATE")]
    published: Option<PartialDate>,
    /// Its headline.
    #[arg(long)]
    title: Option<String>,
    /// Its language (a BCP 47 tag: en, ru, zh-Hans).
    #[arg(long, value_name = "TAG")]
    language: Option<String>,
    /// The draft document's id. Default: from the date, publisher and headline.
    #[arg(long)]
    id: Option<String>,
    /// Print, per sentence, what matched and why it was or was not made a record (the draft is
    /// still written where -o or --dataset says).
    #[arg(long)]
    explain: bool,
}

/// What went wrong, for the user.
type Fail = String;

pub fn run(args: DraftArgs) -> ExitCode {
    match draft_cmd(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::from(EXIT_DATA)
        }
    }
}

fn draft_cmd(args: &DraftArgs) -> Result<(), Fail> {
    let (bytes, kind) = read_article(&args.article)?;
    let shown = args.article.display().to_string();
    // The page is read on one core while the dictionaries are built on the other.
    let (article, dict) = std::thread::scope(|s| {
        let dict = s.spawn(|| match &args.dataset {
            Some(dir) => dictionaries_of(dir),
            None => Ok(Dictionaries::defaults()),
        });
        let article = article::read(&bytes, kind);
        let dict = dict
            .join()
            .unwrap_or_else(|_| Err("the dictionaries could not be built".to_string()));
        (article, dict)
    });
    let article = article.map_err(|e| {
        format!("{shown}: {e}; give an article saved as UTF-8 text, Markdown or a web page (.html)")
    })?;
    let dict = dict?;
    let today = PartialDate::from_naive(super::now()?.date_naive());
    let mut opts = Options {
        url: args.url.clone(),
        publisher: args.publisher.clone(),
        published: args.published,
        title: args.title.clone(),
        language: args.language.clone(),
        retrieved: Some(today),
        id: args.id.clone(),
        ..Options::default()
    };
    match &args.parties[..] {
        [] => {}
        [a, b] => opts.parties = Some([a.trim().to_uppercase(), b.trim().to_uppercase()]),
        _ => return Err("--parties takes two ISO codes: --parties CN,AZ".into()),
    }
    let dict = match &args.dataset {
        Some(dir) => {
            let (orgs, aliases) = dataset_options(dir, &mut opts)?;
            dict.with_dataset(&orgs, &aliases)
        }
        None => dict,
    };
    if let Some(dir) = &args.dataset {
        // The id (and so the archive's name) needs the draft's guesses: draft once to learn it.
        let id = draft::draft(&article, &dict, &opts).document.id;
        let ext = ext_of(&args.article, kind);
        let rel = format!("{SOURCES_DIR}/{id}.{ext}");
        archive(dir, &rel, &bytes)?;
        opts.archive = Some((rel, sha256_hex(&bytes)));
        opts.id = Some(id);
    }
    let d = draft::draft(&article, &dict, &opts);
    for n in &d.notes {
        tracing::warn!("{n}");
    }
    if args.explain {
        print!("{}", draft::write::explain(&d));
    }
    let toml = draft::write::toml(&d, bilateral::briefing::aggregate::GENERATOR);
    let commitments = d.records.iter().filter(|r| !r.assessment).count();
    let summary = format!(
        "drafted {commitments} commitment{}, {} assessment{} from {} sentences",
        if commitments == 1 { "" } else { "s" },
        d.records.len() - commitments,
        if d.records.len() - commitments == 1 {
            ""
        } else {
            "s"
        },
        d.explained.len()
    );
    write_draft(args, &d.document.id, &toml, &summary)
}

/// The article's bytes (at most the file limit) and kind.
fn read_article(path: &Path) -> Result<(Vec<u8>, Kind), Fail> {
    let limit = bilateral::dataset::load::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    let shown = path.display();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
        if !meta.is_file() {
            return Err(format!("{shown}: not a regular file"));
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("{shown}: {e}"))?;
    }
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{shown}: larger than the limit of {} MiB; save the article alone (File → Save Page As…, \"Web Page, HTML only\")",
            limit / 1024 / 1024
        ));
    }
    let kind = Kind::from_path(path)
        .unwrap_or_else(|| Kind::sniff(&String::from_utf8_lossy(&bytes[..bytes.len().min(2048)])));
    Ok((bytes, kind))
}

fn ext_of(path: &Path, kind: Kind) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if Kind::from_path(path).is_some() => e.to_ascii_lowercase(),
        _ => match kind {
            Kind::Html => "html".into(),
            Kind::Markdown => "md".into(),
            Kind::Text => "txt".into(),
        },
    }
}

/// A dataset's dictionaries: the shipped ones, overridden by its dictionaries/ folder.
fn dictionaries_of(dir: &Path) -> Result<Dictionaries, Fail> {
    Dictionaries::with_overrides(&dir.join("dictionaries")).map_err(|e| e.to_string())
}

/// What the dataset's manifest names, to add to the dictionaries'.
type DatasetNames = (
    Vec<draft::dictionaries::Organisation>,
    Vec<(String, String)>,
);

/// The pair, organisations and fields from the dataset's manifest; its organisations and its
/// parties' aliases, to add to the dictionaries'.
fn dataset_options(dir: &Path, opts: &mut Options) -> Result<DatasetNames, Fail> {
    let path = dir.join("dataset.toml");
    let text = bilateral::dataset::load::read_text(&path).map_err(|d| d.to_string())?;
    let manifest = bilateral::dataset::parse::parse_manifest(text)
        .map_err(|ds| {
            ds.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?
        .value;
    if let [a, b] = &manifest.parties[..] {
        opts.parties.get_or_insert([a.code.clone(), b.code.clone()]);
    }
    opts.organisations = Some(
        manifest
            .organisations
            .iter()
            .map(|o| o.id.clone())
            .collect(),
    );
    let builtin = bilateral::dataset::format::DEFAULT_FIELDS
        .iter()
        .map(|f| f.0.to_string());
    opts.fields = builtin
        .chain(manifest.fields.iter().map(|f| f.id.clone()))
        .collect();
    let orgs: Vec<draft::dictionaries::Organisation> = manifest
        .organisations
        .iter()
        .map(|o| draft::dictionaries::Organisation {
            id: o.id.clone(),
            name: o.name.clone(),
            names: std::iter::once(o.name.clone())
                .chain(o.short.clone())
                .collect(),
        })
        .collect();
    let aliases = manifest
        .parties
        .iter()
        .flat_map(|p| {
            let name = p.name.iter().map(move |n| (p.code.clone(), n.clone()));
            name.chain(p.aliases.iter().map(move |a| (p.code.clone(), a.clone())))
        })
        .collect();
    Ok((orgs, aliases))
}

/// Copies the article into the dataset's sources/ (an identical copy there already is kept).
fn archive(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Fail> {
    let path = dir.join(rel);
    if let Ok(existing) = std::fs::read(&path) {
        if existing == bytes {
            return Ok(());
        }
        return Err(format!(
            "{} exists and differs from this article; give the draft another --id",
            path.display()
        ));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    bilateral::base::atomic::write_atomic(&path, bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    tracing::info!("archived {}", path.display());
    Ok(())
}

/// Writes the draft: under the dataset's documents/ (never over a file), to -o, or to
/// standard output.
fn write_draft(args: &DraftArgs, id: &str, toml: &str, summary: &str) -> Result<(), Fail> {
    let target: Option<PathBuf> = match (&args.dataset, &args.output) {
        (Some(dir), _) => Some(dir.join("documents").join(format!("{id}.toml"))),
        (None, Some(p)) if p.as_os_str() != "-" => Some(p.clone()),
        (None, Some(_)) => None,
        (None, None) if args.explain => {
            tracing::info!("{summary}");
            return Ok(());
        }
        (None, None) => None,
    };
    let Some(path) = target else {
        tracing::info!("{summary}");
        super::print_stdout(toml.as_bytes());
        return Ok(());
    };
    if args.dataset.is_some() && path.exists() {
        return Err(format!(
            "{} exists; a draft is never written over a file (give another --id)",
            path.display()
        ));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    bilateral::base::atomic::write_atomic(&path, toml.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    tracing::info!("{summary} → {}", path.display());
    Ok(())
}

/// `bilateral dictionaries init DIR`.
pub fn init_dictionaries(dir: &Path) -> ExitCode {
    super::report_written(draft::dictionaries::write_defaults(dir))
}
