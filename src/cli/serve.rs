//! `bilateral serve`: arguments to a [`serve::Config`]; the clock and the token are read here,
//! the library gets them passed in.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use bilateral::publish::BriefingRequest;
use bilateral::serve::{self, Config, Limits};

use super::EXIT_DATA;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Dataset folders to serve, each under its pair (`cn-az`).
    #[arg(required = true, value_name = "DATASET")]
    datasets: Vec<PathBuf>,
    /// Address and port to listen on. Anything but loopback reaches other machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// A jobs file: /archive lists the briefings its scheduled runs delivered.
    #[arg(long, value_name = "JOBS")]
    jobs: Option<PathBuf>,
    /// Name of an environment variable holding an access token: every request must then send
    /// `Authorization: Bearer TOKEN`. The token itself never goes on the command line.
    #[arg(long, value_name = "VAR")]
    token_env: Option<String>,
    /// Folder of templates overriding the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The pages' default language (a request's `lang` parameter picks another shipped one).
    #[arg(long, value_name = "TAG", default_value = "en")]
    lang: String,
    /// Folder of fonts for the PDF (as for `brief`).
    #[arg(long, value_name = "DIR")]
    fonts_dir: Option<PathBuf>,
    /// Do not look in the system's fonts for characters no other font has.
    #[arg(long)]
    no_system_fonts: bool,
    /// Seconds to read a request's headers, and to answer it.
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Open connections at most.
    #[arg(long, value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(1..=65536))]
    max_connections: u64,
    /// Briefings rendered at once at most. Default: one per core.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    max_renders: Option<u64>,
    /// Memory for rendered briefings kept for repeat requests, in MiB; 0 turns it off.
    #[arg(long, value_name = "MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(0..=65536))]
    cache_mib: u64,
    /// Commitments listed in full that one PDF or email answer may hold; a larger one is refused
    /// (ask `detail=summary`, narrow the period or field, or use `brief`). The PDF's memory grows
    /// with it: about 430 MiB for 2,000.
    #[arg(long, value_name = "N", default_value_t = bilateral::serve::DEFAULT_PDF_COMMITMENTS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_pdf_commitments: u64,
}

fn fail(msg: String) -> ExitCode {
    tracing::error!("{msg}");
    ExitCode::from(EXIT_DATA)
}

pub fn run(args: ServeArgs) -> ExitCode {
    let config = match config(&args) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if !serve::is_loopback(&config.bind) && config.token.is_none() {
        tracing::warn!(
            "listening on {} without --token-env: anyone who can reach this address can \
             read every briefing; put it behind a proxy that authenticates, or set a token",
            config.bind
        );
    }
    let count = config.datasets.len();
    let ready = |addr: SocketAddr| {
        tracing::info!("serving {count} dataset(s) on http://{addr}/ (Ctrl-C to stop)");
    };
    match serve::run(config, ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e.to_string()),
    }
}

fn config(args: &ServeArgs) -> Result<Config, String> {
    let templates = super::brief::language_templates(&args.lang, args.templates.as_deref())?;
    let today = super::brief::resolve_as_of(None)?;
    let mut request = BriefingRequest::new(today);
    if let Some(dir) = &args.fonts_dir {
        request = request.fonts_dir(dir).map_err(|e| e.to_string())?;
    }
    request.system_fonts = !args.no_system_fonts;
    let mut limits = Limits {
        timeout: Duration::from_secs(args.timeout),
        connections: args.max_connections as usize,
        cache_bytes: (args.cache_mib as usize).saturating_mul(1024 * 1024),
        pdf_commitments: args.max_pdf_commitments as usize,
        ..Limits::default()
    };
    if let Some(n) = args.max_renders {
        limits.renders = n as usize;
    }
    if limits.cache_bytes == 0 {
        limits.cache_entries = 0;
    }
    Ok(Config {
        bind: args.bind,
        datasets: args.datasets.clone(),
        jobs: args.jobs.clone(),
        templates,
        request,
        token: token(args.token_env.as_deref())?,
        limits,
        today: Arc::new(today_fn),
    })
}

/// Today in the server's time zone, or SOURCE_DATE_EPOCH's day (in UTC) when set, as `brief`.
fn today_fn() -> chrono::NaiveDate {
    if std::env::var_os("SOURCE_DATE_EPOCH").is_some() {
        if let Ok(t) = super::now() {
            return t.date_naive();
        }
    }
    chrono::Local::now().date_naive()
}

fn token(var: Option<&str>) -> Result<Option<String>, String> {
    let Some(var) = var else { return Ok(None) };
    match std::env::var(var) {
        Ok(t) if t.trim().len() >= 16 => Ok(Some(t.trim().to_string())),
        Ok(_) => Err(format!(
            "the token in ${var} is shorter than 16 characters; use a long random one \
             (for example `openssl rand -hex 32`)"
        )),
        Err(_) => Err(format!(
            "--token-env {var}: the environment variable ${var} is not set (or not UTF-8)"
        )),
    }
}
