//! `bilateral number`: give every commitment not yet in the register its permanent number.
//!
//! Appends to `numbers.toml` and changes no existing line, so a number a memo cited keeps naming
//! the same commitment. A dataset that does not check is refused: numbering half a dataset would
//! give its later commitments numbers that its earlier ones should have had.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{report, EXIT_DATA};

#[derive(Debug, Args)]
pub struct NumberArgs {
    /// Dataset folders (each holds a dataset.toml).
    #[arg(required = true, value_name = "DATASET")]
    datasets: Vec<PathBuf>,
}

pub fn run(args: NumberArgs) -> ExitCode {
    let mut failed = false;
    for dir in &args.datasets {
        let loaded = bilateral::load(dir);
        let Some(ds) = &loaded.dataset else {
            report(&loaded.diagnostics);
            tracing::error!(
                "{}: the dataset does not check; fix it before numbering",
                dir.display()
            );
            failed = true;
            continue;
        };
        match bilateral::dataset::numbers::register(dir, ds) {
            Ok(added) if added.is_empty() => {
                println!("{}: every commitment has its number already", dir.display());
            }
            Ok(added) => {
                let (first, last) = (added[0].1, added[added.len() - 1].1);
                let range = match added.len() {
                    1 => format!("C{first}"),
                    _ => format!("C{first}–C{last}"),
                };
                println!(
                    "{}: numbered {} ({range}) in {}",
                    dir.display(),
                    super::check::plural(added.len(), "commitment"),
                    dir.join(bilateral::dataset::numbers::REGISTER_NAME)
                        .display()
                );
            }
            Err(diagnostics) => {
                report(&diagnostics);
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(EXIT_DATA)
    } else {
        ExitCode::SUCCESS
    }
}
