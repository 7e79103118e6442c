//! The HTTP server: axum's router on hyper's HTTP/1.1 connections, accepted by a loop that
//! bounds what a client can take.
//!
//! - connections: at most `Limits::connections` open; more wait in the listen backlog;
//! - a request's head: at most `header_bytes` and `headers`, read within `timeout` (a client
//!   sending a byte a second is dropped), and its body is never read;
//! - answering: within `timeout`, with at most `renders` briefings rendered at once (a render
//!   that outlives its request still holds its slot, so abandoned work cannot pile up);
//! - every answer carries a policy that forbids scripts and framing, and one access-log line
//!   (method, path, the query's parameter names but not its values, status, bytes, time) goes
//!   to standard error.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, HttpBody};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;

use super::cache::{Cache, Entry};
use super::datasets::{Current, Served};
use super::pages::{Archive, Card, Index, Nav};
use super::query::{Answer, BriefingQuery};
use super::{archive, Config, Limits, ServeError, Today};
use crate::email::{Addressing, DEFAULT_FROM};
use crate::publish::{file_stem, BriefingRequest, PublishError, Publisher};
use crate::render::templates::{SERVE_ARCHIVE, SERVE_INDEX};
use crate::render::Format;

/// Everything a request handler needs.
pub struct App {
    served: Vec<Served>,
    publisher: Publisher,
    /// The other shipped languages' publishers, for the `lang` parameter.
    languages: Vec<(&'static str, Publisher)>,
    request: BriefingRequest,
    jobs: Option<std::path::PathBuf>,
    token: Option<String>,
    limits: Limits,
    today: Today,
    cache: Mutex<Cache>,
    renders: Arc<Semaphore>,
}

impl App {
    pub fn new(config: &Config) -> Result<Self, ServeError> {
        let mut served: Vec<Served> = Vec::new();
        for path in &config.datasets {
            let s = Served::open(path).map_err(|diagnostics| {
                ServeError::Dataset(format!(
                    "{diagnostics}{}: does not check; nothing to serve (run `bilateral check {}`)",
                    path.display(),
                    path.display()
                ))
            })?;
            if let Some(other) = served.iter().find(|o| o.pair == s.pair) {
                return Err(ServeError::Dataset(format!(
                    "{} and {} are both datasets of `{}`; serve one of them",
                    other.path.display(),
                    path.display(),
                    s.pair
                )));
            }
            served.push(s);
        }
        let l = &config.limits;
        Ok(Self {
            served,
            publisher: super::publisher(&config.templates)?,
            languages: crate::render::templates::LANGUAGES
                .iter()
                .filter(|(tag, _)| *tag != config.templates.lang)
                .map(|(tag, _)| {
                    let set = crate::render::templates::Templates::shipped(tag).expect("shipped");
                    Ok((*tag, super::publisher(&set)?))
                })
                .collect::<Result<_, ServeError>>()?,
            request: config.request.clone(),
            jobs: config.jobs.clone(),
            token: config.token.clone(),
            limits: l.clone(),
            today: config.today.clone(),
            cache: Mutex::new(Cache::new(l.cache_entries, l.cache_bytes)),
            renders: Arc::new(Semaphore::new(l.renders.max(1))),
        })
    }

    /// The publisher of the language a query asks for (the server's by default).
    fn publisher_for(&self, lang: Option<&str>) -> &Publisher {
        lang.and_then(|l| self.languages.iter().find(|(t, _)| *t == l))
            .map_or(&self.publisher, |(_, p)| p)
    }

    fn generator(&self) -> &'static str {
        crate::briefing::aggregate::GENERATOR
    }
}

type Shared = Arc<App>;

fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/archive", get(archive_page))
        .route("/archive/{job}/{as_of}/{format}", get(archive_file))
        .route("/{pair}/briefing", get(briefing))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Accepts connections until SIGINT or SIGTERM, then lets open ones finish.
pub async fn serve(listener: tokio::net::TcpListener, app: Shared) {
    let limits = app.limits.clone();
    let service = TowerToHyperService::new(router(app));
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.connections.max(1)));
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("never closed"),
            _ = &mut stop => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.timeout)
            .max_buf_size(limits.header_bytes.max(8192))
            .max_headers(limits.headers)
            .serve_connection(TokioIo::new(stream), service.clone());
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    tracing::info!("stopping: finishing open requests");
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(limits.timeout) => {
            tracing::warn!("requests still open after {} s; stopping anyway", limits.timeout.as_secs());
        }
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// Token check, time limit, security headers and the access log, around every request.
async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = log_path(req.uri());
    let mut response = if !authorized(&app, req.headers()) {
        let mut r = text(StatusCode::UNAUTHORIZED, "a bearer token is required\n");
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"bilateral\""),
        );
        r
    } else {
        match tokio::time::timeout(app.limits.timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!(
                    "the answer took longer than {} s; try again, or ask for a summary or a shorter period\n",
                    app.limits.timeout.as_secs()
                ),
            ),
        }
    };
    secure(response.headers_mut());
    let bytes = response
        .body()
        .size_hint()
        .exact()
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    tracing::info!(target: "bilateral::access",
        "{method} {path} {} {bytes} {}ms",
        response.status().as_u16(),
        start.elapsed().as_millis()
    );
    response
}

/// The path, and the query's parameter names without their values (which can carry names).
fn log_path(uri: &Uri) -> String {
    let mut out: String = uri.path().escape_debug().collect();
    if let Some(q) = uri.query() {
        let keys: Vec<String> = q
            .split('&')
            .filter(|p| !p.is_empty())
            .take(20)
            .map(|p| p.split('=').next().unwrap_or("").escape_debug().collect())
            .collect();
        out.push('?');
        out.push_str(&keys.join("&"));
    }
    out
}

fn authorized(app: &App, headers: &HeaderMap) -> bool {
    let Some(token) = &app.token else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
        .unwrap_or_default();
    constant_time_eq(given, token.as_bytes())
}

/// Compares in constant time (subtle), so timing does not tell how much of a guess was right;
/// the two sides are hashed first (SHA-256), so it does not tell the token's length either.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    Sha256::digest(a).ct_eq(&Sha256::digest(b)).into()
}

fn secure(h: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, name, value| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
}

fn text(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_string(),
    )
        .into_response()
}

async fn not_found() -> Response {
    text(
        StatusCode::NOT_FOUND,
        "no such page; the datasets served are listed at /\n",
    )
}

/// An answer, or 304 when the client holds the same bytes.
fn answer(entry: &Entry, request: &HeaderMap) -> Response {
    let mut r = if not_modified(request, &entry.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(entry.bytes.clone()));
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(entry.content_type),
        );
        if let Some(name) = &entry.file_name {
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
        }
        r
    };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&entry.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// `If-None-Match` holds the tag (weak comparison, as RFC 9110 says for this header), or `*`.
fn not_modified(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

/// Runs blocking work (file reads, rendering) off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        text(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("internal error: {e}\n"),
        )
    })
}

async fn index(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let app2 = app.clone();
    let page = blocking(move || {
        let cards = app2
            .served
            .iter()
            .map(|s| Card::new(&s.pair, &s.current()))
            .collect();
        let index = Index {
            generator: app2.generator(),
            archive: app2.jobs.is_some(),
            datasets: cards,
        };
        app2.publisher.engine().html(SERVE_INDEX, &index)
    })
    .await;
    html_page(page, &headers)
}

fn html_page(
    page: Result<Result<String, crate::render::engine::TemplateError>, Response>,
    headers: &HeaderMap,
) -> Response {
    match page {
        Ok(Ok(html)) => answer(
            &Entry::new(html.into_bytes(), "text/html; charset=utf-8", None),
            headers,
        ),
        Ok(Err(e)) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
        Err(r) => r,
    }
}

async fn archive_page(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let Some(jobs) = app.jobs.clone() else {
        return not_found().await;
    };
    let app2 = app.clone();
    let page = blocking(move || {
        let page = Archive {
            generator: app2.generator(),
            listing: archive::list(&jobs),
        };
        app2.publisher.engine().html(SERVE_ARCHIVE, &page)
    })
    .await;
    html_page(page, &headers)
}

async fn archive_file(
    State(app): State<Shared>,
    Path((job, as_of, format)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(jobs) = app.jobs.clone() else {
        return not_found().await;
    };
    let found = blocking(move || {
        let path = archive::find(&jobs, &job, &as_of, &format)?;
        let format: Format = format.parse().ok()?;
        let bytes = std::fs::read(&path).ok()?;
        Some(Entry::new(
            bytes,
            format.mime_type(),
            Some(archive::file_name(&path)),
        ))
    })
    .await;
    match found {
        Ok(Some(entry)) => answer(&entry, &headers),
        Ok(None) => text(
            StatusCode::NOT_FOUND,
            "no such delivered briefing; the archive lists them at /archive\n",
        ),
        Err(r) => r,
    }
}

async fn briefing(
    State(app): State<Shared>,
    Path(pair): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(index) = app.served.iter().position(|s| s.pair == pair) else {
        return text(
            StatusCode::NOT_FOUND,
            &format!(
                "no dataset `{}` is served here; the datasets are listed at /\n",
                pair.escape_debug()
            ),
        );
    };
    let query = match BriefingQuery::parse(raw.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return text(StatusCode::BAD_REQUEST, &format!("{e}\n")),
    };
    let as_of = query.as_of.unwrap_or_else(|| (app.today)());
    let app2 = app.clone();
    let current = match blocking(move || app2.served[index].current()).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let key = format!(
        "{pair}\n{}\n{}",
        current.generation,
        query.canonical(as_of, query.answer)
    );
    if let Some(hit) = app
        .cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
    {
        return answer(&hit, &headers);
    }
    let Ok(permit) = app.renders.clone().acquire_owned().await else {
        return text(StatusCode::SERVICE_UNAVAILABLE, "shutting down\n");
    };
    let app2 = app.clone();
    let rendered = blocking(move || {
        let _permit = permit;
        render(&app2, &current, &query, as_of)
    })
    .await;
    match rendered {
        Ok(Ok(entry)) => {
            let entry = Arc::new(entry);
            app.cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, entry.clone());
            answer(&entry, &headers)
        }
        Ok(Err(RenderFailure::Request(e))) => text(StatusCode::BAD_REQUEST, &format!("{e}\n")),
        Ok(Err(RenderFailure::TooLarge(e))) => {
            text(StatusCode::UNPROCESSABLE_ENTITY, &format!("{e}\n"))
        }
        Ok(Err(RenderFailure::Internal(e))) => {
            text(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n"))
        }
        Err(r) => r,
    }
}

enum RenderFailure {
    /// The request asks for something the dataset lacks (an unknown field or party).
    Request(String),
    /// The answer would cost more than one request may (`Limits::pdf_commitments`).
    TooLarge(String),
    Internal(String),
}

impl From<PublishError> for RenderFailure {
    fn from(e: PublishError) -> Self {
        match e {
            PublishError::Filter(f) => RenderFailure::Request(f.to_string()),
            other => RenderFailure::Internal(other.to_string()),
        }
    }
}

/// Renders what the query asks for, exactly as `brief` would for the same flags.
fn render(
    app: &App,
    current: &Current,
    query: &BriefingQuery,
    as_of: chrono::NaiveDate,
) -> Result<Entry, RenderFailure> {
    let mut request = app.request.clone().scope(query.scope());
    request.as_of = as_of;
    request.paper = query.paper;
    let ds = &current.dataset;
    let publisher = app.publisher_for(query.lang.as_deref());
    let entry = match query.answer {
        Answer::File(format) => {
            let request = request.formats(vec![format]);
            let briefing = publisher
                .briefing(ds, &request)
                .map_err(PublishError::from)?;
            if format == Format::Pdf {
                within_pdf_limit(app, &briefing)?;
            }
            let publication = publisher.render(briefing, &request)?;
            log_warnings(publication.warnings());
            let out = &publication.outputs[0];
            Entry::new(
                out.bytes.clone(),
                format.mime_type(),
                Some(out.file_name.clone()),
            )
        }
        Answer::Eml => {
            let request = request.formats(Vec::new());
            let briefing = publisher
                .briefing(ds, &request)
                .map_err(PublishError::from)?;
            within_pdf_limit(app, &briefing)?;
            let publication = publisher.render(briefing, &request)?;
            let addressing = Addressing {
                from: DEFAULT_FROM.to_string(),
                to: Vec::new(),
                cc: Vec::new(),
                subject: None,
                identity: None,
            };
            let (message, warnings) =
                publisher.email(&publication, &addressing, &[Format::Pdf], &request)?;
            log_warnings(warnings.iter());
            let name = format!("{}.eml", file_stem(&publication.briefing));
            Entry::new(message.formatted(), "message/rfc822", Some(name))
        }
        Answer::Page => {
            let briefing = publisher
                .briefing(ds, &request)
                .map_err(PublishError::from)?;
            let engine = publisher.engine();
            let markdown = engine
                .markdown(&briefing)
                .map_err(|e| RenderFailure::Internal(e.to_string()))?;
            let nav = Nav::new(query, as_of);
            let html =
                crate::render::html::render_with_nav(engine, &markdown, &briefing, Some(&nav))
                    .map_err(|e| RenderFailure::Internal(e.to_string()))?;
            Entry::new(html, "text/html; charset=utf-8", None)
        }
    };
    Ok(entry)
}

/// Refuses a PDF that would list more commitments in full than one request may render.
fn within_pdf_limit(app: &App, briefing: &crate::Briefing) -> Result<(), RenderFailure> {
    let (listed, limit) = (briefing.listed.len(), app.limits.pdf_commitments);
    if listed <= limit {
        return Ok(());
    }
    Err(RenderFailure::TooLarge(format!(
        "this PDF would list {listed} commitments in full; this server renders at most {limit} in one PDF (serve --max-pdf-commitments). Ask for detail=summary or auto, narrow it with since, until, field or party, or make it with `bilateral brief`"
    )))
}

fn log_warnings<'a>(warnings: impl Iterator<Item = &'a String>) {
    for w in warnings {
        tracing::warn!("{w}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_parameter_names_not_values() {
        let uri: Uri = "/cn-az/briefing?party=AZ&field=energy&as_of=2025-05-01"
            .parse()
            .unwrap();
        assert_eq!(log_path(&uri), "/cn-az/briefing?party&field&as_of");
    }

    #[test]
    fn if_none_match_lists_and_wildcards() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(not_modified(&h, "\"abc\""));
        assert!(!not_modified(&h, "\"abd\""));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&h, "\"abd\""));
        assert!(!not_modified(&HeaderMap::new(), "\"abc\""));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"secret"));
    }
}
