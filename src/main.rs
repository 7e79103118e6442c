//! The `bilateral` command: one client of the library. Argument parsing and deciding where bytes
//! go live here; everything else is in `bilateral::`.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
