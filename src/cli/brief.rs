//! `bilateral brief`: load, aggregate, render every requested format, then write them all.
//!
//! Every format is rendered before anything is written, and each file is written atomically, so
//! a failure leaves no output at all rather than some of it.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use bilateral::briefing::aggregate::{self, Detail, Options};
use bilateral::email::{Addressing, FileAttachment};
use bilateral::render::markdown::MarkdownRenderer;
use bilateral::render::pdf::{self, fonts::FontSet, Paper, PdfOptions};
use bilateral::render::templates::Templates;
use bilateral::render::{json, Format};
use bilateral::PartialDate;

use super::{print_stdout, report, EXIT_DATA};

#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The dataset folder (holds dataset.toml).
    #[arg(value_name = "DATASET")]
    dataset: PathBuf,
    /// Formats to write, comma-separated: md, pdf, json.
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
    #[arg(long, value_name = "DATE")]
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
    /// How much to list: `full` lists every commitment under its field, party and organisation;
    /// `summary` keeps every count and tally but lists only the most recent entries of each list;
    /// `auto` is full up to 500 commitments, else a summary.
    #[arg(long, value_name = "DETAIL", default_value = "auto", value_parser = ["auto", "full", "summary"])]
    detail: String,
    /// Entries per list in a summary.
    #[arg(long, value_name = "N", default_value_t = aggregate::DEFAULT_PER_LIST as u64,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    per_list: u64,
    /// Paper size of the PDF: a4 or letter.
    #[arg(long, value_name = "SIZE", default_value = "a4", value_parser = parse_paper)]
    paper: Paper,
    /// Folder with a font family (NAME-Regular.ttf, -Bold, -Italic, -BoldItalic) for the PDF,
    /// instead of the built-in Noto Sans.
    #[arg(long, value_name = "DIR")]
    fonts_dir: Option<PathBuf>,
    /// Author written into the PDF's metadata. Default: the generator.
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
    /// Also write the briefing as an email message (RFC 5322 .eml) with the PDF attached.
    #[arg(long, value_name = "FILE")]
    eml: Option<PathBuf>,
    /// Attach the Markdown to the --eml message too.
    #[arg(long, requires = "eml")]
    eml_markdown: bool,
    /// Sender of the --eml message.
    #[arg(
        long,
        value_name = "ADDRESS",
        default_value = "bilateral <bilateral@localhost>",
        requires = "eml"
    )]
    mail_from: String,
    /// Recipient of the --eml message (repeatable).
    #[arg(long, value_name = "ADDRESS", requires = "eml")]
    mail_to: Vec<String>,
    /// Folder of templates overriding the built-in ones file by file (see `bilateral templates init`).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    s.parse()
}

/// The as-of date: the flag, else SOURCE_DATE_EPOCH (for reproducible builds), else today in UTC.
pub fn resolve_as_of(flag: Option<NaiveDate>) -> Result<NaiveDate, String> {
    if let Some(d) = flag {
        return Ok(d);
    }
    Ok(super::now()?.date_naive())
}

pub fn run(args: BriefArgs) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(EXIT_DATA)
    };
    let mut formats = args.format.clone();
    formats.dedup();
    // The message carries the PDF (and the Markdown on request), rendered even if not written.
    let mut render_formats = formats.clone();
    if args.eml.is_some() {
        for f in [Format::Pdf, Format::Markdown] {
            if (f == Format::Pdf || args.eml_markdown) && !render_formats.contains(&f) {
                render_formats.push(f);
            }
        }
    }
    if args.output.is_some() && formats.len() != 1 {
        return fail(
            "-o writes one format; give one --format, or use --out DIR for several".into(),
        );
    }
    let as_of = match resolve_as_of(args.as_of) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    // Templates first: a broken user template is a usage problem found before any work.
    let templates = match &args.templates {
        Some(dir) => match Templates::with_overrides(dir) {
            Ok(t) => t,
            Err(e) => return fail(e.to_string()),
        },
        None => Templates::defaults(),
    };
    let fonts = match &args.fonts_dir {
        Some(dir) => match FontSet::from_dir(dir) {
            Ok(f) => f,
            Err(e) => return fail(e.to_string()),
        },
        None => FontSet::embedded(),
    };
    let pdf_options = PdfOptions {
        paper: args.paper,
        author: args.author.clone(),
        fonts,
        subset: true,
    };
    let markdown = if render_formats.contains(&Format::Markdown) {
        match MarkdownRenderer::new(&templates) {
            Ok(r) => Some(r),
            Err(e) => return fail(e.to_string()),
        }
    } else {
        None
    };

    let loaded = bilateral::load(&args.dataset);
    report(&loaded.diagnostics);
    let Some(dataset) = loaded.dataset else {
        return fail(format!(
            "{}: {} problem(s); no briefing written (run `bilateral check {}`)",
            args.dataset.display(),
            loaded.diagnostics.errors().max(1),
            args.dataset.display()
        ));
    };
    let opts = Options {
        since: args.since.map(|d| d.start()),
        until: args.until.map(|d| d.end()),
        fields: args.fields.clone(),
        party: args.party.clone(),
        detail: match args.detail.as_str() {
            "full" => Detail::Full,
            "summary" => Detail::Summary(args.per_list as usize),
            _ => Detail::Auto(args.per_list as usize),
        },
    };
    let briefing = match aggregate::aggregate(&dataset, &opts, as_of) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };

    let mut rendered: Vec<(Format, Vec<u8>)> = Vec::new();
    for f in &render_formats {
        let bytes = match f {
            Format::Markdown => {
                match markdown.as_ref().expect("compiled above").render(&briefing) {
                    Ok(b) => b,
                    Err(e) => return fail(e.to_string()),
                }
            }
            Format::Json => json::render(&briefing),
            Format::Pdf => match pdf::render(&briefing, &pdf_options) {
                Ok(p) => {
                    for w in &p.warnings {
                        eprintln!("warning: {w}");
                    }
                    p.bytes
                }
                Err(e) => return fail(e.to_string()),
            },
        };
        rendered.push((*f, bytes));
    }

    let (a, b) = briefing.pair_codes();
    let stem = format!(
        "briefing-{}-{}-{as_of}",
        a.to_ascii_lowercase(),
        b.to_ascii_lowercase()
    );
    if let Some(eml) = &args.eml {
        let attachments: Vec<FileAttachment> = rendered
            .iter()
            .filter(|(f, _)| *f == Format::Pdf || (*f == Format::Markdown && args.eml_markdown))
            .map(|(f, bytes)| FileAttachment {
                filename: format!("{stem}.{}", f.extension()),
                content_type: f.mime_type().to_string(),
                bytes: bytes.clone(),
            })
            .collect();
        let addressing = Addressing {
            from: args.mail_from.clone(),
            to: args.mail_to.clone(),
            cc: Vec::new(),
            subject: None,
        };
        let message = match bilateral::email::compose(&briefing, &addressing, &attachments) {
            Ok(m) => m,
            Err(e) => return fail(e.to_string()),
        };
        if let Err(e) = bilateral::base::atomic::write_atomic(eml, &message.formatted()) {
            return fail(format!("{}: cannot write: {e}", eml.display()));
        }
        eprintln!("wrote {}", eml.display());
    }
    rendered.retain(|(f, _)| formats.contains(f));
    match &args.output {
        Some(p) if p.as_os_str() == "-" => print_stdout(&rendered[0].1),
        Some(p) => match bilateral::base::atomic::write_atomic(p, &rendered[0].1) {
            Ok(()) => {
                eprintln!("wrote {}", p.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(format!("{}: cannot write: {e}", p.display())),
        },
        None => {
            let (a, b) = briefing.pair_codes();
            if let Err(e) = std::fs::create_dir_all(&args.out) {
                return fail(format!(
                    "{}: cannot create the output folder: {e}",
                    args.out.display()
                ));
            }
            let stem = format!(
                "briefing-{}-{}-{as_of}",
                a.to_ascii_lowercase(),
                b.to_ascii_lowercase()
            );
            for (f, bytes) in &rendered {
                let path = args.out.join(format!("{stem}.{}", f.extension()));
                if let Err(e) = bilateral::base::atomic::write_atomic(&path, bytes) {
                    return fail(format!("{}: cannot write: {e}", path.display()));
                }
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
    }
}
