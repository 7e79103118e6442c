//! `bilateral run`: scheduled briefings. Shows a progress bar on a terminal and plain log lines
//! otherwise (cron, systemd), then a summary table; the exit status says whether every job that
//! ran succeeded.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use bilateral::jobs::runner::{run, Event, JobOutcome, RunOptions, Selection, Status};
use bilateral::jobs::schedule::Shard;

use super::{report, EXIT_DATA};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["due", "job", "all"])))]
pub struct RunArgs {
    /// The jobs file (see docs/jobs.md).
    #[arg(value_name = "JOBS")]
    jobs: PathBuf,
    /// Run every job whose schedule fired since its last success (once, however many firings
    /// were missed).
    #[arg(long)]
    due: bool,
    /// Run this job now, due or not (repeatable).
    #[arg(long, value_name = "NAME")]
    job: Vec<String>,
    /// Run every job now.
    #[arg(long)]
    all: bool,
    /// The as-of date of every briefing. Default: the date of the firing (in the job's time zone).
    #[arg(long, value_name = "DATE", value_parser = bilateral::base::date::parse_as_of)]
    as_of: Option<NaiveDate>,
    /// The time to judge schedules against (RFC 3339). Default: now; also SOURCE_DATE_EPOCH.
    #[arg(long, value_name = "TIME")]
    now: Option<DateTime<Utc>>,
    /// Run only shard I of N (0 ≤ I < N): a stable split by job name, for N machines or an
    /// indexed Kubernetes job or Slurm array.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Wait for another run holding the lock instead of refusing.
    #[arg(long)]
    wait: bool,
    /// Jobs to run at once. Default: the number of cores.
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
}

pub fn run_cmd(args: RunArgs) -> ExitCode {
    let jobs = match bilateral::jobs::file::load_jobs(&args.jobs) {
        Ok(j) => j,
        Err(ds) => {
            report(&ds);
            tracing::error!(
                "{}: {} problem(s); nothing ran",
                args.jobs.display(),
                ds.errors().max(1)
            );
            return ExitCode::from(EXIT_DATA);
        }
    };
    let opts = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::from(EXIT_DATA);
        }
    };
    let progress = Progress::new(std::io::stderr().is_terminal());
    let sleep = std::sync::Arc::new(std::thread::sleep);
    let outcomes = match run(&jobs, &opts, &|e| progress.event(e), sleep) {
        Ok(o) => o,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::from(EXIT_DATA);
        }
    };
    progress.finish();
    for o in &outcomes {
        for w in &o.warnings {
            tracing::warn!("[{}] {w}", o.name);
        }
    }
    print_summary(&outcomes);
    exit_status(&outcomes)
}

fn options(args: &RunArgs) -> Result<RunOptions, String> {
    let now = args.now.map(Ok).unwrap_or_else(super::now)?;
    let selection = if args.due {
        Selection::Due
    } else if args.all {
        Selection::All
    } else {
        Selection::Named(args.job.clone())
    };
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    Ok(RunOptions {
        selection,
        now,
        as_of: args.as_of,
        shard: args.shard,
        wait: args.wait,
        threads,
    })
}

/// A progress bar on a terminal, log lines otherwise.
struct Progress {
    terminal: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress {
    fn new(terminal: bool) -> Self {
        Self {
            terminal,
            bar: Mutex::new(None),
        }
    }

    fn event(&self, e: Event) {
        match e {
            Event::Planned(n) if self.terminal && n > 0 => {
                let b = ProgressBar::new(n as u64);
                b.set_style(
                    ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} jobs  {msg}")
                        .expect("valid template")
                        .progress_chars("=> "),
                );
                *self.bar.lock().expect("bar") = Some(b);
            }
            Event::Planned(n) => tracing::info!("bilateral run: {n} job(s) to run"),
            Event::Started(name) => match self.bar.lock().expect("bar").as_ref() {
                Some(b) => b.set_message(name),
                None => tracing::info!("[{name}] started"),
            },
            Event::Finished(o) => {
                let line = match &o.status {
                    Status::Ok => format!("[{}] ok: {}", o.name, o.delivery),
                    Status::Unchanged => {
                        format!("[{}] ok: nothing changed, delivery skipped", o.name)
                    }
                    Status::NotDue => format!("[{}] not due", o.name),
                    Status::Failed(e) => format!("[{}] FAILED: {e}", o.name),
                };
                match self.bar.lock().expect("bar").as_ref() {
                    Some(b) => {
                        b.inc(1);
                        if o.failed() {
                            b.println(line);
                        }
                    }
                    None => tracing::info!("{line}"),
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.lock().expect("bar").take() {
            b.finish_and_clear();
        }
    }
}

/// The summary table, on standard output.
fn print_summary(outcomes: &[JobOutcome]) {
    let rows: Vec<[String; 5]> = outcomes
        .iter()
        .map(|o| {
            [
                o.name.clone(),
                match &o.status {
                    Status::Ok => "ok".into(),
                    Status::Unchanged => "unchanged".into(),
                    Status::NotDue => "not due".into(),
                    Status::Failed(_) => "FAILED".into(),
                },
                o.as_of.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                o.delivery.to_string(),
                format!("{:.2}s", o.elapsed.as_secs_f64()),
            ]
        })
        .collect();
    let header = ["job", "status", "as of", "delivery", "time"];
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    println!("{}", line(&header.map(String::from)));
    for r in &rows {
        println!("{}", line(r));
    }
}

/// 0 when every job that ran succeeded; each failure repeated on standard error.
fn exit_status(outcomes: &[JobOutcome]) -> ExitCode {
    let failed: Vec<&JobOutcome> = outcomes.iter().filter(|o| o.failed()).collect();
    for o in &failed {
        if let Status::Failed(e) = &o.status {
            tracing::error!("[{}] {e}", o.name);
        }
    }
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    let ran = outcomes
        .iter()
        .filter(|o| o.status != Status::NotDue)
        .count();
    tracing::error!("{} of {ran} job(s) failed", failed.len());
    ExitCode::from(EXIT_DATA)
}
