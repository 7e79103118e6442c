//! `bilateral serve`: briefings on demand from a browser, without becoming a report server.
//!
//! A second client of [`publish`](crate::publish), next to `brief`: a request's query becomes a
//! [`BriefingRequest`], and the answer is the bytes `brief` writes for the same flags (the HTML
//! page adds links back and to the downloads). Read-only: no request path or parameter ever
//! becomes a file path (datasets are named by pair, archived files by job, date and format).
//!
//! Pieces: `query` parses the parameters, `datasets` keeps the datasets live, `cache` holds
//! rendered answers, `pages` builds what the index and archive templates show, `archive` finds
//! what scheduled runs delivered, and `http` is the server (axum on hyper, with bounds on
//! connections, header size, request time and concurrent renders).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;

use crate::publish::{BriefingRequest, Publisher};
use crate::render::templates::Templates;

pub mod archive;
pub mod cache;
pub mod datasets;
mod http;
mod pages;
pub mod query;

/// What the server may use, at most.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections; more wait to be accepted.
    pub connections: usize,
    /// Briefings rendered at once; more wait (within the request time).
    pub renders: usize,
    /// Time to read a request's headers, and to answer it.
    pub timeout: Duration,
    /// A request's line and headers, in bytes (hyper's minimum is 8 KiB).
    pub header_bytes: usize,
    /// Headers per request.
    pub headers: usize,
    /// Rendered answers kept, by number and by bytes; 0 turns the cache off.
    pub cache_entries: usize,
    pub cache_bytes: usize,
    /// Commitments listed in full that one PDF (or email, which carries the PDF) may hold: the
    /// PDF's memory grows with them (about 430 MiB at 2,000, 1 GiB at 10,000), so one request
    /// could otherwise take the server past its memory cap. Beyond it the request is refused
    /// with a message naming the ways round it (a summary, a narrower period or field, `brief`).
    pub pdf_commitments: usize,
}

/// The default of [`Limits::pdf_commitments`]: two such renders at once stay under the 1 GiB
/// `MemoryMax` of the shipped systemd unit.
pub const DEFAULT_PDF_COMMITMENTS: usize = 2_000;

impl Default for Limits {
    fn default() -> Self {
        Self {
            connections: 256,
            renders: std::thread::available_parallelism().map_or(2, |n| n.get()),
            timeout: Duration::from_secs(30),
            header_bytes: 16 * 1024,
            headers: 64,
            cache_entries: 256,
            cache_bytes: 256 * 1024 * 1024,
            pdf_commitments: DEFAULT_PDF_COMMITMENTS,
        }
    }
}

/// Today's date, for a request without `as_of`: the caller decides (the server's time zone, or
/// SOURCE_DATE_EPOCH for reproducible runs).
pub type Today = Arc<dyn Fn() -> NaiveDate + Send + Sync>;

/// What to serve and how.
pub struct Config {
    pub bind: SocketAddr,
    pub datasets: Vec<PathBuf>,
    /// A jobs file whose delivered briefings `/archive` lists.
    pub jobs: Option<PathBuf>,
    pub templates: Templates,
    /// Paper, fonts and author for every briefing; the as-of date, scope and format come from
    /// each request.
    pub request: BriefingRequest,
    /// Requests must carry `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    pub limits: Limits,
    pub today: Today,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Dataset(String),
    #[error("{0}")]
    Templates(#[from] crate::render::engine::TemplateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// Loads the datasets, binds, tells `ready` the address it listens on, and serves until SIGINT
/// or SIGTERM; then stops accepting, lets open requests finish (up to the request time) and
/// returns.
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let app = http::App::new(&config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("bilateral-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        ready(addr);
        http::serve(listener, Arc::new(app)).await;
        Ok(())
    });
    // Every open request has had its answer (or its 503) by now; a render still running on a
    // blocking thread belongs to a request that was given up on. Dropping the runtime would wait
    // for it (8.5 s in one review); the process is ending, so it is left to end with it.
    runtime.shutdown_background();
    served
}

/// Whether `addr` is reachable only from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

fn publisher(templates: &Templates) -> Result<Publisher, ServeError> {
    Ok(Publisher::new(templates)?)
}
