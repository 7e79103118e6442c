//! The `bilateral` command: one client of the library. Argument parsing and deciding where bytes
//! go live here; everything else is in `bilateral::`.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

// The allocator: a check and briefing of 100,000 commitments make some fifteen million small
// allocations (strings, lists, map entries), many on the loader's threads and freed on the main
// one. jemalloc does that work about a fifth faster than the system's and holds a tenth less memory
// at the peak (docs/performance.md, "The allocator"). Not on MSVC, which it does not build for.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
