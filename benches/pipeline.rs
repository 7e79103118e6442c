//! Each stage on its own, at 100, 10,000 and 100,000 commitments: load (parse and validate, from
//! memory, so disk speed does not count), aggregate, Markdown and PDF, and the ledger (its rows,
//! the workbook, the CSV).
//!
//! A full briefing lists every commitment, so its cost follows the page count; the summary a large
//! dataset gets (`--detail auto`) lists the latest few, so its cost follows the input. Both are
//! measured where they make sense: the full PDF of 100,000 commitments would be ~15,000 pages.
//!
//! ```sh
//! cargo bench --bench pipeline                 # everything (~6 minutes)
//! cargo bench --bench pipeline -- 'load/'      # one group
//! ```
//! Figures and the machine: docs/performance.md.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use bilateral::briefing::aggregate::{aggregate, Detail, Options, DEFAULT_PER_LIST};
use bilateral::dataset::load::{parse_files_numbered, SourceText};
use bilateral::render::engine::TemplateEngine;
use bilateral::render::ledger;
use bilateral::render::pdf::{self, PdfOptions};
use bilateral::render::templates::Templates;
use bilateral::render::Format;
use bilateral::Dataset;

// The allocator the binary uses (src/main.rs), so these figures are the command's.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod support {
    pub mod synthetic;
}

const SIZES: [usize; 3] = [100, 10_000, 100_000];

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// The manifest, the documents and the number register.
type Sources = (SourceText, Vec<SourceText>, SourceText);

fn sources(n: usize) -> Sources {
    let s = support::synthetic::generate(n, 0x5eed);
    let text = |path: &str, text: String| SourceText {
        path: PathBuf::from(path),
        text,
    };
    (
        text("dataset.toml", s.manifest),
        s.documents.into_iter().map(|(p, t)| text(&p, t)).collect(),
        text("numbers.toml", s.numbers),
    )
}

fn dataset(n: usize) -> Dataset {
    let (m, d, r) = sources(n);
    parse_files_numbered(m, d, r)
        .dataset
        .expect("synthetic datasets are valid")
}

fn options(detail: Detail) -> Options {
    Options {
        detail,
        ..Options::default()
    }
}

fn summary() -> Detail {
    Detail::Summary(DEFAULT_PER_LIST)
}

fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g
}

fn load(c: &mut Criterion) {
    let mut g = group(c, "load");
    for n in SIZES {
        let (m, d, r) = sources(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(n),
            &(m, d, r),
            |b, (m, d, r)| b.iter(|| parse_files_numbered(m.clone(), d.clone(), r.clone())),
        );
    }
    g.finish();
}

fn aggregate_stage(c: &mut Criterion) {
    let mut g = group(c, "aggregate");
    for n in SIZES {
        let ds = dataset(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("summary", n), &ds, |b, ds| {
            b.iter(|| aggregate(ds, &options(summary()), as_of()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("full", n), &ds, |b, ds| {
            b.iter(|| aggregate(ds, &options(Detail::Full), as_of()).unwrap())
        });
    }
    g.finish();
}

/// Compiling the built-in templates: all of them (a server or a scheduler at start), and only the
/// Markdown ones a `--format md,pdf` run needs.
fn templates(c: &mut Criterion) {
    let mut g = group(c, "templates");
    let set = Templates::default();
    g.bench_function("all", |b| {
        b.iter(|| black_box(TemplateEngine::new(&set).unwrap()))
    });
    g.bench_function("markdown", |b| {
        b.iter(|| {
            let e = TemplateEngine::lazy(&set).unwrap();
            e.prepare(&[Format::Markdown], false).unwrap();
            black_box(e)
        })
    });
    g.finish();
}

fn markdown(c: &mut Criterion) {
    let mut g = group(c, "markdown");
    let renderer = TemplateEngine::new(&Templates::default()).unwrap();
    let renderer = &renderer;
    for n in SIZES {
        let ds = dataset(n);
        g.throughput(Throughput::Elements(n as u64));
        let sum = aggregate(&ds, &options(summary()), as_of()).unwrap();
        g.bench_with_input(BenchmarkId::new("summary", n), &sum, |b, br| {
            b.iter(|| black_box(renderer.markdown(br).unwrap()))
        });
        if n <= 10_000 {
            let full = aggregate(&ds, &options(Detail::Full), as_of()).unwrap();
            g.bench_with_input(BenchmarkId::new("full", n), &full, |b, br| {
                b.iter(|| black_box(renderer.markdown(br).unwrap()))
            });
        }
    }
    g.finish();
}

/// The PDF stage alone: laid out from Markdown rendered beforehand.
fn pdf_stage(c: &mut Criterion) {
    let mut g = group(c, "pdf");
    let opts = PdfOptions::default();
    let engine = TemplateEngine::new(&Templates::default()).unwrap();
    let md = |b: &bilateral::Briefing| (engine.markdown(b).unwrap(), b.clone());
    for n in SIZES {
        let ds = dataset(n);
        g.throughput(Throughput::Elements(n as u64));
        let sum = aggregate(&ds, &options(summary()), as_of()).unwrap();
        g.bench_with_input(BenchmarkId::new("summary", n), &md(&sum), |b, (m, br)| {
            b.iter(|| black_box(pdf::render(m, br, &opts, &[]).unwrap()))
        });
        if n <= 100 {
            let full = aggregate(&ds, &options(Detail::Full), as_of()).unwrap();
            g.bench_with_input(BenchmarkId::new("full", n), &md(&full), |b, (m, br)| {
                b.iter(|| black_box(pdf::render(m, br, &opts, &[]).unwrap()))
            });
        }
    }
    // The issue's reference point: 2,000 commitments with every list complete (~290 pages).
    let full = aggregate(&dataset(2_000), &options(Detail::Full), as_of()).unwrap();
    g.throughput(Throughput::Elements(2_000));
    g.bench_with_input(BenchmarkId::new("full", 2_000), &md(&full), |b, (m, br)| {
        b.iter(|| black_box(pdf::render(m, br, &opts, &[]).unwrap()))
    });
    g.finish();
}

/// The ledger: building its rows (aggregating with and without them), then the workbook and the
/// CSV from a briefing that has them.
fn ledger_stage(c: &mut Criterion) {
    let mut g = group(c, "ledger");
    let engine = TemplateEngine::new(&Templates::default()).unwrap();
    let words = engine.ledger_words();
    let with_rows = Options {
        table: true,
        ..options(summary())
    };
    for n in SIZES {
        let ds = dataset(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("rows", n), &ds, |b, ds| {
            b.iter(|| aggregate(ds, &with_rows, as_of()).unwrap())
        });
        let briefing = aggregate(&ds, &with_rows, as_of()).unwrap();
        g.bench_with_input(BenchmarkId::new("xlsx", n), &briefing, |b, br| {
            b.iter(|| black_box(ledger::xlsx::render(br, words, None).unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("csv", n), &briefing, |b, br| {
            b.iter(|| black_box(ledger::csv::render(br, words, Default::default()).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    load,
    aggregate_stage,
    templates,
    markdown,
    pdf_stage,
    ledger_stage
);
criterion_main!(benches);
