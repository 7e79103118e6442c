//! The `bilateral` command: one client of the library. Argument parsing and deciding where bytes
//! go live here; everything else is in `bilateral::`.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

// The allocator: a check and briefing of 100,000 commitments make about seven million allocations
// (strings, lists, map entries), many on the loader's threads and freed on the main one. jemalloc
// takes a sixth less time over the run than the system's allocator and peaks a tenth lower
// (docs/performance.md, "Large datasets"). Not on MSVC, which it does not build for; off with
// `--no-default-features`.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
