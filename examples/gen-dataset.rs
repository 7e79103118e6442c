//! Writes a synthetic dataset of N commitments, for benchmarks and load tests (see
//! `benches/support/synthetic.rs` for what it holds).
//!
//! ```sh
//! cargo run --release --example gen-dataset -- 10000 /tmp/ds-10k [SEED]
//! ```

use std::path::PathBuf;

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(out)) = (
        args.first().and_then(|s| s.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen-dataset N OUT_DIR [SEED]");
        std::process::exit(2);
    };
    let seed = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_u64);
    let out = PathBuf::from(out);
    std::fs::create_dir_all(out.join("documents")).expect("create the output folder");
    let ds = synthetic::generate(n, seed);
    std::fs::write(out.join("dataset.toml"), &ds.manifest).expect("write the manifest");
    std::fs::write(out.join("numbers.toml"), &ds.numbers).expect("write the number register");
    for (name, text) in &ds.documents {
        std::fs::write(out.join(name), text).expect("write a document");
    }
    eprintln!(
        "wrote {} documents, {n} commitments into {}",
        ds.documents.len(),
        out.display()
    );
}
