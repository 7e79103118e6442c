//! `bilateral` turns structured diplomatic statements about a pair of countries into briefings.
//!
//! Data flows one way: files → statements ([`load`], [`validate`]) → a [`Dataset`] → a briefing
//! model ([`aggregate`]) → bytes ([`render`]) → files ([`output`]) or email ([`email`]).
//! Scheduled runs ([`jobs`], [`schedule`], [`run`], [`state`], [`history`]) drive the same pipeline. Renderers are pure
//! functions of their input: the as-of date is passed in and nothing reads the clock or the
//! environment, so the same input gives byte-identical output.
//!
//! ```no_run
//! use bilateral::{aggregate, load, render};
//! let loaded = load::load("examples/china-azerbaijan".as_ref());
//! let dataset = loaded.dataset.expect("a valid dataset");
//! let as_of = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
//! let briefing = aggregate::aggregate(&dataset, &Default::default(), as_of).unwrap();
//! let markdown: Vec<u8> = render::markdown::render(&briefing).unwrap();
//! ```
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod briefing;
pub mod country;
pub mod dataset;
pub mod date;
pub mod diag;
pub mod email;
pub mod hash;
pub mod history;
pub mod jobs;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod render;
pub mod run;
pub mod schedule;
pub mod schema;
pub mod spans;
pub mod state;
pub mod validate;

pub use briefing::Briefing;
pub use dataset::Dataset;
pub use date::PartialDate;
pub use diag::{Diagnostic, Diagnostics};
pub use load::{load, Loaded};
