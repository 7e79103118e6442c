//! `bilateral check`: load and validate, say what was loaded or every problem found.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{report, EXIT_DATA};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Dataset folders (each holds a dataset.toml).
    #[arg(required = true, value_name = "DATASET")]
    datasets: Vec<PathBuf>,
}

/// Checks each dataset; `quiet` (the global `-q`) prints only problems, not the summary of what
/// was loaded.
pub fn run(args: CheckArgs, quiet: bool) -> ExitCode {
    let mut failed = false;
    for (i, dir) in args.datasets.iter().enumerate() {
        let mut loaded = bilateral::load(dir);
        if let Some(ds) = &loaded.dataset {
            // Provisional numbers are for `check` to point out, not for every briefing to repeat.
            let numbering = bilateral::dataset::numbers::warning(dir, ds.numbering());
            loaded.diagnostics.extend(numbering);
        }
        report(&loaded.diagnostics);
        match &loaded.dataset {
            Some(ds) => {
                if !quiet {
                    let s = ds.summary();
                    let range = match (s.first, s.last) {
                        (Some(a), Some(b)) if a == b => format!(", dated {}", a.human()),
                        (Some(a), Some(b)) => format!(", dated {} to {}", a.human(), b.human()),
                        _ => String::new(),
                    };
                    let warnings = match loaded.diagnostics.warnings() {
                        0 => String::new(),
                        n => format!(" ({})", plural(n, "warning")),
                    };
                    println!(
                        "ok: {} ({}): {}, {}, {}, {}{range}{warnings}",
                        dir.display(),
                        ds.title(),
                        plural(s.documents, "document"),
                        plural(s.commitments, "commitment"),
                        plural(s.assessments, "assessment"),
                        plural(s.events, "event"),
                    );
                }
            }
            None => {
                failed = true;
                tracing::error!(
                    "{}: {}; nothing loaded",
                    dir.display(),
                    plural(loaded.diagnostics.errors().max(1), "problem"),
                );
            }
        }
        // After the last dataset the process ends: freeing 100,000 records one by one would
        // only delay the exit (a twentieth of the run), and the system takes the memory back.
        if i + 1 == args.datasets.len() {
            std::mem::forget(loaded);
        }
    }
    if failed {
        ExitCode::from(EXIT_DATA)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
