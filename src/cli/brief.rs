//! `bilateral brief`: arguments to a [`BriefingRequest`], the library's one entry point, and its
//! outputs to files, standard output or an email message.
//!
//! Every format is rendered before anything is written, and the files are written all or
//! nothing, so a failure leaves no output at all rather than some of it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use bilateral::briefing::aggregate::{self, Detail, Options};
use bilateral::email::Addressing;
use bilateral::publish::{write_all, BriefingRequest, Publication, Publisher};
use bilateral::render::ledger::CsvOptions;
use bilateral::render::ledger::Sheet;
use bilateral::render::pdf::{Paper, PdfStandard};
use bilateral::render::templates::Templates;
use bilateral::render::Format;
use bilateral::{Dataset, PartialDate};

use super::{print_stdout, report, EXIT_DATA};

/// How much to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DetailArg {
    Auto,
    Full,
    Summary,
}

#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The dataset folder (holds dataset.toml).
    #[arg(value_name = "DATASET")]
    dataset: PathBuf,
    /// Formats to write, comma-separated: md, pdf, html, json, and the ledger as a workbook
    /// (xlsx) or as CSV (csv, one sheet: see --csv-sheet).
    #[arg(short, long, value_delimiter = ',', default_value = "md", value_parser = parse_format)]
    format: Vec<Format>,
    /// Folder for the briefing files, named briefing-<a>-<b>-<as-of>.<ext>.
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Write to this file instead (one format only); `-` writes to standard output.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "out"
    )]
    output: Option<PathBuf>,
    /// The briefing's as-of date (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH if set, else today (UTC).
    #[arg(long, value_name = "DATE", value_parser = bilateral::base::date::parse_as_of)]
    as_of: Option<NaiveDate>,
    /// Start of the period: a year, month or day; inclusive.
    #[arg(long, value_name = "DATE")]
    since: Option<PartialDate>,
    /// End of the period: a year, month or day; inclusive. Never later than the as-of date.
    #[arg(long, value_name = "DATE")]
    until: Option<PartialDate>,
    /// Only this field (repeatable): an id such as green-energy.
    #[arg(long = "field", value_name = "FIELD")]
    fields: Vec<String>,
    /// Only commitments by this party (and mutual ones): its code.
    #[arg(long, value_name = "CODE")]
    party: Option<String>,
    /// Only commitments this entity (a company, agency …) makes or is addressed: its id.
    #[arg(long, value_name = "ID")]
    entity: Option<String>,
    /// How much to list: `full` lists every commitment under its field, party and organisation;
    /// `summary` keeps every count and tally but lists only the most recent entries of each list;
    /// `auto` is full up to 500 commitments, else a summary.
    #[arg(long, value_name = "DETAIL", value_enum, default_value_t = DetailArg::Auto)]
    detail: DetailArg,
    /// Entries per list in a summary.
    #[arg(long, value_name = "N", default_value_t = aggregate::DEFAULT_PER_LIST as u64,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    per_list: u64,
    /// A commitment due within this many days of the as-of date is flagged "due soon".
    #[arg(long, value_name = "DAYS", default_value_t = aggregate::DEFAULT_DUE_SOON_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=aggregate::MAX_DUE_SOON_DAYS as i64))]
    due_soon: u32,
    /// Show draft records (proposed by `bilateral draft`, not yet reviewed), each marked as a
    /// draft. Without it they are left out, and counted in a warning.
    #[arg(long)]
    include_drafts: bool,
    /// A protective marking ("OFFICIAL", "FOR INTERNAL USE", any text), printed in the header
    /// and footer of every PDF page, above and below the HTML page, and in an email's subject.
    #[arg(long, value_name = "TEXT")]
    marking: Option<String>,
    /// Paper size of the PDF: a4 or letter.
    #[arg(long, value_name = "SIZE", default_value = "a4", value_parser = parse_paper)]
    paper: Paper,
    /// The standards the PDF is written to and checked against, separated by commas: ua-1
    /// (PDF/UA-1, accessible: the default), a-2b, a-2u or a-2a (PDF/A-2, for archives), or none.
    /// A file that fails them is not written.
    #[arg(long, value_name = "LIST", default_value = "ua-1", value_parser = parse_standard)]
    pdf_standard: PdfStandard,
    /// Folder of fonts for the PDF: a family (NAME-Regular.ttf, -Bold, -Italic, -BoldItalic)
    /// replaces the built-in Noto Sans; single .ttf files print the characters the built-in
    /// fonts lack.
    #[arg(long, value_name = "DIR")]
    fonts_dir: Option<PathBuf>,
    /// Do not look in the system's fonts for characters no other font has (the PDF then
    /// depends only on the binary and --fonts-dir).
    #[arg(long)]
    no_system_fonts: bool,
    /// Author written into the PDF's metadata. Default: the generator.
    #[arg(long, value_name = "NAME", value_parser = parse_author)]
    author: Option<String>,
    /// The ledger sheet the CSV holds: commitments, events, measurements, sources or about.
    #[arg(long, value_name = "SHEET", default_value = "commitments", value_parser = parse_sheet)]
    csv_sheet: Sheet,
    /// Start the CSV with a byte-order mark, which Excel needs to read UTF-8.
    #[arg(long)]
    csv_bom: bool,
    /// Also write the briefing as an email message (RFC 5322 .eml): the bottom line as text, the
    /// HTML briefing as its alternative, the PDF attached. `-` writes it to standard output.
    #[arg(long, value_name = "FILE")]
    eml: Option<PathBuf>,
    /// Attach the Markdown to the --eml message too.
    #[arg(long, requires = "eml")]
    eml_markdown: bool,
    /// Attach the ledger workbook (XLSX) to the --eml message too.
    #[arg(long, requires = "eml")]
    eml_xlsx: bool,
    /// Sender of the --eml message.
    #[arg(
        long,
        value_name = "ADDRESS",
        default_value = bilateral::email::DEFAULT_FROM,
        requires = "eml"
    )]
    mail_from: String,
    /// Recipient of the --eml message (repeatable). Without one the message is a draft with no
    /// `To` header, for a mail client to address.
    #[arg(long, value_name = "ADDRESS", requires = "eml")]
    mail_to: Vec<String>,
    /// Folder of templates overriding the built-in ones file by file (see `bilateral templates init`).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The reader's language: en, zh-Hans, ru or az ship; another BCP 47 tag needs its templates
    /// in --templates DIR (what the folder lacks comes from English, with a warning).
    #[arg(long, value_name = "TAG", default_value = "en")]
    lang: String,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_sheet(s: &str) -> Result<Sheet, String> {
    s.parse()
}

fn parse_standard(s: &str) -> Result<PdfStandard, String> {
    s.parse()
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    s.parse()
}

/// A name for the PDF's metadata: one line of printable text (a control character would reach
/// every viewer's document properties, and a bidirectional control could reorder them).
fn parse_author(s: &str) -> Result<String, String> {
    if let Some(c) = s
        .chars()
        .find(|c| c.is_control() || bilateral::base::diag::is_bidi_control(*c))
    {
        return Err(format!(
            "contains the control character U+{:04X}; give the name as plain text",
            c as u32
        ));
    }
    if s.trim().is_empty() || s.chars().count() > 200 {
        return Err("give a name of 1 to 200 characters".into());
    }
    Ok(s.trim().to_string())
}

/// The as-of date: the flag, else SOURCE_DATE_EPOCH (for reproducible builds), else today in UTC.
pub fn resolve_as_of(flag: Option<NaiveDate>) -> Result<NaiveDate, String> {
    if let Some(d) = flag {
        return Ok(d);
    }
    bilateral::base::date::check_as_of(super::now()?.date_naive())
        .map_err(|e| format!("SOURCE_DATE_EPOCH: {e}"))
}

fn fail(msg: String) -> ExitCode {
    tracing::error!("{msg}");
    ExitCode::from(EXIT_DATA)
}

pub fn run(args: BriefArgs) -> ExitCode {
    if args.output.is_some() && args.format.len() != 1 {
        return fail(
            "-o writes one format; give one --format, or use --out DIR for several".into(),
        );
    }
    let dash = |p: &Option<PathBuf>| p.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if dash(&args.output) && dash(&args.eml) {
        return fail(
            "-o - and --eml - would both write to standard output; send one of them to a file"
                .into(),
        );
    }
    let as_of = match resolve_as_of(args.as_of) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    // Templates and fonts are read and compiled on one core while the dataset loads on the
    // other; a broken template is reported after the dataset's own problems, in the same run.
    let (prepared, dataset) = std::thread::scope(|scope| {
        let prepared = scope.spawn(|| prepare(&args, as_of));
        let dataset = load(&args.dataset);
        let prepared = prepared
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (prepared, dataset)
    });
    let (publisher, request) = match prepared {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let Some(dataset) = dataset else {
        return ExitCode::from(EXIT_DATA);
    };
    let started = std::time::Instant::now();
    let publication = match publisher.publish(&dataset, &request) {
        Ok(p) => p,
        Err(e) => return fail(e.to_string()),
    };
    for o in &publication.outputs {
        tracing::debug!("{}: {} bytes", o.file_name, o.bytes.len());
    }
    tracing::debug!(
        "briefing aggregated and rendered in {} ms",
        started.elapsed().as_millis()
    );
    for w in publication.warnings() {
        tracing::warn!("{w}");
    }
    let drafts = dataset.drafts();
    if drafts > 0 && !args.include_drafts {
        tracing::warn!(
            "{drafts} draft record{} left out of the briefing; review {}, then remove `draft = true` (or show {} marked with --include-drafts)",
            if drafts == 1 { "" } else { "s" },
            if drafts == 1 { "it" } else { "them" },
            if drafts == 1 { "it" } else { "them" },
        );
    }
    if let Some(eml) = &args.eml {
        if let Err(e) = write_eml(&args, &publisher, &publication, &request, eml) {
            return fail(e);
        }
    }
    let code = match write_outputs(&args, &publication) {
        Ok(code) => code,
        Err(e) => fail(e),
    };
    // The process ends here: freeing 100,000 records one by one only delays the exit (about a
    // tenth of the run at that size), and the system takes the memory back at once.
    std::mem::forget(publication);
    std::mem::forget(dataset);
    code
}

/// The templates of a language, with a user's folder over them; a warning lists the templates a
/// language that does not ship took from English.
pub(crate) fn language_templates(
    lang: &str,
    dir: Option<&std::path::Path>,
) -> Result<Templates, String> {
    let set = Templates::for_language(lang, dir).map_err(|e| e.to_string())?;
    if !set.fallbacks.is_empty() {
        tracing::warn!(
            "{} of the templates are not in {} and come from English: {}",
            set.fallbacks.len(),
            lang,
            set.fallbacks.join(", ")
        );
    }
    Ok(set)
}

/// The publisher (with the templates) and the request the arguments describe.
fn prepare(args: &BriefArgs, as_of: NaiveDate) -> Result<(Publisher, BriefingRequest), String> {
    let templates = language_templates(&args.lang, args.templates.as_deref())?;
    // One request: only the templates its formats use are compiled.
    let publisher = Publisher::lazy(&templates).map_err(|e| e.to_string())?;
    (publisher.engine())
        .prepare(&args.format, args.eml.is_some())
        .map_err(|e| e.to_string())?;
    let mut request = BriefingRequest::new(as_of)
        .formats(args.format.clone())
        .scope(Options {
            since: args.since.map(|d| d.start()),
            until: args.until.map(|d| d.end()),
            known_after: None,
            fields: args.fields.clone(),
            party: args.party.clone(),
            entity: args.entity.clone(),
            detail: match args.detail {
                DetailArg::Full => Detail::Full,
                DetailArg::Summary => Detail::Summary(args.per_list as usize),
                DetailArg::Auto => Detail::Auto(args.per_list as usize),
            },
            due_soon_days: args.due_soon,
            table: false,
            include_drafts: args.include_drafts,
            marking: args.marking.clone(),
        });
    if let Some(dir) = &args.fonts_dir {
        request = request.fonts_dir(dir).map_err(|e| e.to_string())?;
    }
    request.system_fonts = !args.no_system_fonts;
    request.paper = args.paper;
    request.pdf_standard = args.pdf_standard;
    request.author = args.author.clone();
    request.csv = CsvOptions {
        sheet: args.csv_sheet,
        bom: args.csv_bom,
    };
    request.table = args.eml_xlsx;
    Ok((publisher, request))
}

/// Loads and checks the dataset, reporting every diagnostic.
fn load(dir: &std::path::Path) -> Option<Dataset> {
    let started = std::time::Instant::now();
    let loaded = bilateral::load(dir);
    tracing::debug!(
        "{}: loaded and checked in {} ms",
        dir.display(),
        started.elapsed().as_millis()
    );
    report(&loaded.diagnostics);
    if loaded.dataset.is_none() {
        tracing::error!(
            "{}: {} problem(s); no briefing written (run `bilateral check {}`)",
            dir.display(),
            loaded.diagnostics.errors().max(1),
            dir.display()
        );
    }
    loaded.dataset
}

fn write_eml(
    args: &BriefArgs,
    publisher: &Publisher,
    publication: &Publication,
    request: &BriefingRequest,
    eml: &std::path::Path,
) -> Result<(), String> {
    let addressing = Addressing {
        from: args.mail_from.clone(),
        to: args.mail_to.clone(),
        cc: Vec::new(),
        subject: None,
        identity: None,
    };
    let mut attach = vec![Format::Pdf];
    if args.eml_markdown {
        attach.push(Format::Markdown);
    }
    if args.eml_xlsx {
        attach.push(Format::Xlsx);
    }
    let (message, warnings) = publisher
        .email(publication, &addressing, &attach, request)
        .map_err(|e| e.to_string())?;
    for w in warnings {
        tracing::warn!("{w}");
    }
    if eml.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(&message.formatted())
            .and_then(|()| out.flush())
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => Ok(()),
                _ => Err(format!("cannot write to standard output: {e}")),
            });
    }
    // Through the same checks as -o: a link, a pipe, a device or a read-only file is refused.
    bilateral::base::atomic::write_atomic(eml, &message.formatted())
        .map_err(|e| format!("{}: cannot write: {e}", eml.display()))?;
    tracing::info!("wrote {}", eml.display());
    Ok(())
}

/// Writes the outputs: to standard output, to one file, or all into the output folder.
fn write_outputs(args: &BriefArgs, publication: &Publication) -> Result<ExitCode, String> {
    let outputs = &publication.outputs;
    let files: Vec<(PathBuf, &[u8])> = match &args.output {
        Some(p) if p.as_os_str() == "-" => return Ok(print_stdout(&outputs[0].bytes)),
        Some(p) => vec![(p.clone(), outputs[0].bytes.as_slice())],
        None => {
            std::fs::create_dir_all(&args.out).map_err(|e| {
                format!(
                    "{}: cannot create the output folder: {e}",
                    args.out.display()
                )
            })?;
            outputs
                .iter()
                .map(|o| (args.out.join(&o.file_name), o.bytes.as_slice()))
                .collect()
        }
    };
    write_all(&files).map_err(|e| {
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        format!("{}: cannot write: {e}", names.join(", "))
    })?;
    for (p, _) in &files {
        tracing::info!("wrote {}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}
