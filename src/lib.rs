//! `bilateral` turns structured diplomatic statements about a pair of countries into briefings.
//!
//! Data flows one way, one folder per stage, each importing only from the stages below it:
//!
//! ```text
//! base      partial dates, countries, diagnostics, hashing, threads, atomic writes
//! article   archived source texts: a saved page → its article; quotes matched against it
//! dataset   files → statements: format, parse, load, check          → Dataset
//! draft     an article → a draft document for review (dictionaries, clauses, write)
//! briefing  Dataset + scope + as-of → the briefing model, changes    → Briefing
//! render    Briefing → Markdown (templates) → PDF, HTML; JSON        → bytes
//! email     rendered briefing → RFC 5322 message; SMTP delivery
//! publish   one request → every format rendered and named            → Publication
//! jobs      scheduled runs: jobs file, schedule, state, runner
//! serve     briefings on demand over HTTP (a second client of publish), the jobs' archive
//! schema    JSON Schemas of the file formats
//! ```
//!
//! Renderers are pure functions of their input: the as-of date is passed in and nothing reads the
//! clock or the environment, so the same input gives byte-identical output.
//!
//! Cargo features (all on by default) leave subsystems out of a program that does not need them:
//! `ledger` (the XLSX and CSV formats), `email` (the `email` module and
//! [`Publisher::email`](publish::Publisher::email)), `jobs` (scheduled runs; needs `email`),
//! `serve` (the web server; needs `jobs`) and `cli` (the program; needs them all). Without
//! `ledger`, asking for `Format::Xlsx` or `Format::Csv` is an error that says so.
//!
//! ```no_run
//! use bilateral::{load, publish::{BriefingRequest, Publisher}, render::Format};
//! let loaded = load("examples/china-azerbaijan".as_ref());
//! let dataset = loaded.dataset.expect("a valid dataset");
//! let as_of = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
//! let request = BriefingRequest::new(as_of).formats(vec![Format::Markdown, Format::Pdf]);
//! let publisher = Publisher::new(&Default::default()).unwrap();
//! let publication = publisher.publish(&dataset, &request).unwrap();
//! for out in &publication.outputs {
//!     println!("{}: {} bytes", out.file_name, out.bytes.len());
//! }
//! ```
#![forbid(unsafe_code)]

pub mod article;
pub mod base;
pub mod briefing;
pub mod dataset;
pub mod draft;
#[cfg(feature = "email")]
pub mod email;
#[cfg(feature = "jobs")]
pub mod jobs;
pub mod publish;
pub mod render;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;

pub use base::date::PartialDate;
pub use base::diag::{Diagnostic, Diagnostics};
pub use briefing::Briefing;
pub use dataset::load::{load, Loaded};
pub use dataset::Dataset;
