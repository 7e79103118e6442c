//! Command-line interface: clap definitions and the glue from arguments to library calls.
//!
//! Exit status: 0 success, 1 bad data or a failed output, 2 bad usage (clap's own errors too).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, Parser, Subcommand, ValueEnum};

use bilateral::schema::{schema_json, SchemaKind};

mod brief;
mod check;
mod draft;
mod log;
mod man;
mod number;
mod run;
mod serve;

pub const EXIT_DATA: u8 = 1;

const AFTER_HELP: &str = "\
Examples:
  bilateral check examples/china-azerbaijan
  bilateral brief examples/china-azerbaijan --as-of 2025-05-01
  bilateral serve examples/china-azerbaijan
  bilateral schema document > document.schema.json
  bilateral completions bash > ~/.local/share/bash-completion/completions/bilateral

Exit status: 0 success, 1 data errors or a failed output, 2 usage errors.
The dataset format is described in docs/format.md.";

/// Turn structured diplomatic statements about a pair of countries into briefings.
#[derive(Debug, Parser)]
#[command(name = "bilateral", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Print less on standard error: -q only warnings and errors (and `check` no summary), -qq
    /// only errors. RUST_LOG, when set, overrides -q and -v (`RUST_LOG=bilateral::serve=debug`).
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "verbose")]
    quiet: u8,
    /// Print more on standard error: -v what each step does, -vv everything.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load and validate datasets, reporting every problem with file, line and column.
    #[command(
        after_help = "Examples:\n  bilateral check examples/china-azerbaijan\n  bilateral check data/*/ -q"
    )]
    Check(check::CheckArgs),
    /// Write a briefing (Markdown, PDF, HTML, JSON) from a dataset.
    #[command(
        after_help = "Examples:\n  bilateral brief examples/china-azerbaijan --as-of 2025-05-01\n  bilateral brief examples/china-azerbaijan --format md,pdf,html --out briefings/\n  bilateral brief examples/china-azerbaijan --format pdf --paper letter -o briefing.pdf\n  bilateral brief examples/china-azerbaijan --since 2025-04 --field multilateral -o -\n  bilateral brief examples/china-azerbaijan --templates my-templates/"
    )]
    Brief(Box<brief::BriefArgs>),
    /// Give every commitment not yet numbered its permanent number (C1 …), in numbers.toml.
    #[command(
        after_help = "Examples:\n  bilateral number examples/china-azerbaijan\n\nNumbers are appended to DATASET/numbers.toml, never changed: a commitment keeps its\nnumber in every briefing, and a deleted one leaves a hole. New commitments are numbered\nin the order they became known (earliest source), then by date."
    )]
    Number(number::NumberArgs),
    /// Run scheduled briefings from a jobs file (for cron or a systemd timer).
    #[command(
        after_help = "Examples:\n  bilateral run examples/jobs.toml --due\n  bilateral run examples/jobs.toml --job cn-az-weekly\n  bilateral run jobs.toml --due --shard $JOB_COMPLETION_INDEX/4\n\nExit status: 0 when every job that ran succeeded, 1 otherwise."
    )]
    Run(Box<run::RunArgs>),
    /// Serve briefings on demand to a browser: a form per dataset, every format as a download.
    #[command(
        after_help = "Examples:\n  bilateral serve examples/china-azerbaijan\n      then open http://127.0.0.1:8080/\n  bilateral serve data/cn-az data/az-tr --jobs jobs.toml\n  BILATERAL_TOKEN=$(openssl rand -hex 32) bilateral serve data/cn-az --bind 0.0.0.0:8080 --token-env BILATERAL_TOKEN\n\nURLs:\n  /                                 the datasets, with a form each\n  /cn-az/briefing?as_of=2025-05-01&since=2025-04&field=energy&party=AZ&detail=summary&format=pdf\n                                    a briefing (format: html, pdf, md, json, eml)\n  /archive                          briefings scheduled runs delivered (with --jobs)\n\nThe datasets reload when their files change; a change that does not check is shown on\nthe index page while the last good version is served. Stop with Ctrl-C or SIGTERM."
    )]
    Serve(Box<serve::ServeArgs>),
    /// Draft a document from an article, for review: commitments and views with the cues that
    /// proposed them, quotes verbatim, every record marked as a draft.
    #[command(
        after_help = "Examples:\n  bilateral draft saved-article.html --dataset examples/china-azerbaijan\n  bilateral draft article.txt --parties CN,AZ --publisher \"Trend News Agency\" --published 2025-04-28 -o draft.toml\n  bilateral draft article.txt --parties CN,AZ --explain\n  curl -s URL | bilateral draft - --parties TR,AZ -o -\n\nReview each record, fill in each TODO, then remove `draft = true`: briefings leave drafts out\nuntil then (`brief --include-drafts` shows them, marked)."
    )]
    Draft(Box<draft::DraftArgs>),
    /// Work with the drafter's dictionaries (countries, organisations, cues, field keywords).
    #[command(subcommand)]
    Dictionaries(DictionariesCommand),
    /// Work with the templates (the words and order of every format).
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Print the JSON Schema of a file format, for editors that validate while you type.
    #[command(
        after_help = "Examples:\n  bilateral schema document > document.schema.json\n  bilateral schema manifest"
    )]
    Schema {
        /// Which format.
        #[arg(value_enum, default_value_t = SchemaArg::Document)]
        kind: SchemaArg,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  bilateral completions bash > ~/.local/share/bash-completion/completions/bilateral\n  bilateral completions zsh > ~/.zfunc/_bilateral"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (bilateral.1, bilateral-brief.1 …) into DIR.
    #[command(
        after_help = "Examples:\n  bilateral man target/man && man -l target/man/bilateral-brief.1\n  bilateral man /usr/local/share/man/man1"
    )]
    Man {
        /// The folder to write to (created if missing).
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum TemplatesCommand {
    /// Write the built-in templates into DIR for editing; use them with `brief --templates DIR`.
    #[command(
        after_help = "Examples:\n  bilateral templates init my-templates\n  bilateral templates init --lang ru ru-templates\n  bilateral brief examples/china-azerbaijan --templates my-templates"
    )]
    Init {
        /// The folder to write to (created if missing).
        dir: PathBuf,
        /// Overwrite template files that already exist.
        #[arg(long)]
        force: bool,
        /// The language of the templates to write: en, zh-Hans, ru or az.
        #[arg(long, value_name = "TAG", default_value = "en")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
enum DictionariesCommand {
    /// Write the built-in dictionaries into DIR for editing; a dataset's dictionaries/ folder
    /// overrides them file by file.
    #[command(
        after_help = "Examples:\n  bilateral dictionaries init examples/china-azerbaijan/dictionaries"
    )]
    Init {
        /// The folder to write to (created if missing; no file is written over).
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaArg {
    /// A source document file.
    Document,
    /// The dataset's manifest (dataset.toml).
    Manifest,
    /// A jobs file for `bilateral run`.
    Jobs,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    log::init(cli.quiet, cli.verbose);
    match cli.command {
        Command::Check(args) => check::run(args, cli.quiet > 0),
        Command::Brief(args) => brief::run(*args),
        Command::Number(args) => number::run(args),
        Command::Draft(args) => draft::run(*args),
        Command::Dictionaries(DictionariesCommand::Init { dir }) => draft::init_dictionaries(&dir),
        Command::Run(args) => run::run_cmd(*args),
        Command::Serve(args) => serve::run(*args),
        Command::Templates(TemplatesCommand::Init { dir, force, lang }) => report_written(
            bilateral::render::templates::write_language(&dir, &lang, force),
        ),
        Command::Schema { kind } => {
            let kind = match kind {
                SchemaArg::Document => SchemaKind::Document,
                SchemaArg::Manifest => SchemaKind::Manifest,
                SchemaArg::Jobs => SchemaKind::Jobs,
            };
            print_stdout(schema_json(kind).as_bytes())
        }
        Command::Man { dir } => report_written(man::write_pages(&dir)),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "bilateral", &mut out);
            print_stdout(&out)
        }
    }
}

/// The clock: SOURCE_DATE_EPOCH (seconds, for reproducible runs) if set, else the system time.
/// The only place the tool reads either; the library gets dates and times passed in.
pub fn now() -> Result<chrono::DateTime<chrono::Utc>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"))?;
            chrono::DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| format!("SOURCE_DATE_EPOCH=`{v}` is out of range"))
        }
        Err(_) => Ok(chrono::Utc::now()),
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a message.
pub fn print_stdout(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("cannot write to standard output: {e}");
            ExitCode::from(EXIT_DATA)
        }
    }
}

/// Reports the files an `init` command wrote, or why it wrote none.
pub fn report_written<E: std::fmt::Display>(written: Result<Vec<PathBuf>, E>) -> ExitCode {
    match written {
        Ok(paths) => {
            for p in paths {
                tracing::info!("wrote {}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::from(EXIT_DATA)
        }
    }
}

/// Reports diagnostics on standard error, each at its level (`-qq` leaves out the warnings).
pub fn report(diagnostics: &bilateral::Diagnostics) {
    for d in &diagnostics.0 {
        // The body ends with a line break: a blank line between reports, as before.
        match d.severity {
            bilateral::base::diag::Severity::Error => tracing::error!("{}", d.body()),
            bilateral::base::diag::Severity::Warning => tracing::warn!("{}", d.body()),
        }
    }
}
