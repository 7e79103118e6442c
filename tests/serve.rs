//! `bilateral serve` as a user runs it: the binary on a loopback port, spoken to over real TCP
//! with HTTP/1.1 written by hand (so hostile requests go out exactly as written). Every format's
//! bytes are compared with what `brief` writes for the same flags.

mod tools;

#[path = "../benches/support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EXAMPLE: &str = "examples/china-azerbaijan";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// A running server; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(args: &[&str]) -> Self {
        Self::start_with(args, &[])
    }

    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bilateral"))
            .arg("serve")
            .args(args)
            .args(["--bind", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .env("SOURCE_DATE_EPOCH", "1746057600") // 2025-05-01
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if let Some(rest) = line.split("on http://").nth(1) {
                    let _ = tx.send(
                        rest.trim_end_matches(|c| c != '/')
                            .trim_end_matches('/')
                            .to_string(),
                    );
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a.parse().unwrap(),
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start: {}", log.lock().unwrap());
            }
        };
        Server { child, addr, log }
    }

    fn get(&self, target: &str) -> Reply {
        self.request(target, &[])
    }

    fn request(&self, target: &str, headers: &[&str]) -> Reply {
        let mut raw = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for h in headers {
            raw.push_str(h);
            raw.push_str("\r\n");
        }
        raw.push_str("\r\n");
        send(self.addr, raw.as_bytes())
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends raw bytes and reads the reply to the end (the request says `Connection: close`).
fn send(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse_reply(&buf)
}

fn parse_reply(buf: &[u8]) -> Reply {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply head in {:?}", String::from_utf8_lossy(buf)));
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: buf[end + 4..].to_vec(),
    }
}

/// What `brief` writes for `flags` (one format, `-o`).
fn brief(dataset: &str, flags: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .arg("brief")
        .arg(dataset)
        .args(flags)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "brief {flags:?} failed");
    std::fs::read(out).unwrap()
}

fn brief_eml(dataset: &str, flags: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("b.eml");
    let status = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .arg("brief")
        .arg(dataset)
        .args(flags)
        .arg("--out")
        .arg(dir.path())
        .arg("--eml")
        .arg(&eml)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(eml).unwrap()
}

fn without_nav(page: &str) -> String {
    let start = page
        .find("<nav class=\"serve\"")
        .expect("the page has the server's nav");
    let end = page[start..].find("</nav>\n").unwrap() + start + "</nav>\n".len();
    format!("{}{}", &page[..start], &page[end..])
}

#[test]
fn every_format_is_the_bytes_brief_writes() {
    let server = Server::start(&[EXAMPLE]);
    let query = "as_of=2025-05-01&since=2025-04&field=multilateral&field=green-energy&detail=full";
    let flags = [
        "--as-of",
        "2025-05-01",
        "--since",
        "2025-04",
        "--field",
        "multilateral",
        "--field",
        "green-energy",
        "--detail",
        "full",
    ];
    let name = "briefing-cn-az-2025-05-01";
    for (format, content_type) in [
        ("md", "text/markdown; charset=utf-8"),
        ("pdf", "application/pdf"),
        ("json", "application/json"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("csv", "text/csv; charset=utf-8"),
    ] {
        let r = server.get(&format!("/cn-az/briefing?{query}&format={format}"));
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        assert_eq!(r.header("content-type"), Some(content_type));
        assert_eq!(
            r.header("content-disposition"),
            Some(format!("attachment; filename=\"{name}.{format}\"").as_str())
        );
        let mut f = flags.to_vec();
        f.extend(["--format", format]);
        assert!(
            r.body == brief(EXAMPLE, &f),
            "{format} differs from brief's"
        );
    }
    let eml = server.get(&format!("/cn-az/briefing?{query}&format=eml"));
    assert_eq!(eml.status, 200);
    assert_eq!(eml.header("content-type"), Some("message/rfc822"));
    assert!(
        eml.body == brief_eml(EXAMPLE, &flags),
        "eml differs from brief --eml"
    );
    assert!(!eml.text().contains("\r\nTo:"), "a draft: no recipients");

    let page = server.get(&format!("/cn-az/briefing?{query}"));
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-disposition"),
        None,
        "shown, not downloaded"
    );
    let mut f = flags.to_vec();
    f.extend(["--format", "html"]);
    assert_eq!(
        without_nav(&page.text()),
        String::from_utf8(brief(EXAMPLE, &f)).unwrap(),
        "the page is brief's HTML plus the nav"
    );
    assert!(page.text().contains("&amp;format=pdf\""), "download links");
}

#[test]
fn the_index_lists_each_dataset_with_a_form() {
    let server = Server::start(&[EXAMPLE]);
    let r = server.get("/");
    assert_eq!(r.status, 200);
    let page = r.text();
    for want in [
        "China–Azerbaijan",
        "action=\"cn-az/briefing\"",
        "name=\"as_of\"",
        "name=\"since\"",
        "name=\"until\"",
        "name=\"field\" value=\"green-energy\"",
        "<option value=\"AZ\">",
        "name=\"detail\"",
        "<option value=\"eml\">",
        "Data cut-off",
    ] {
        assert!(page.contains(want), "index lacks {want}");
    }
    assert!(!page.contains("<script"), "no JavaScript");
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
}

#[test]
fn errors_are_400_with_the_clis_message_and_404_for_unknown_pairs() {
    let server = Server::start(&[EXAMPLE]);
    let r = server.get("/cn-az/briefing?field=nope");
    assert_eq!(r.status, 400);
    let cli = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .args(["brief", EXAMPLE, "--field", "nope", "-o", "-"])
        .output()
        .unwrap();
    let cli_err = String::from_utf8_lossy(&cli.stderr);
    let msg = r.text();
    assert!(cli_err.contains(msg.trim()), "{msg} vs {cli_err}");
    // A bad date: the same words as the CLI's.
    let r = server.get("/cn-az/briefing?as_of=2025-02-30");
    let cli = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .args(["brief", EXAMPLE, "--as-of", "2025-02-30", "-o", "-"])
        .output()
        .unwrap();
    let why = r.text();
    let why = why.trim().split_once("': ").unwrap().1;
    assert!(String::from_utf8_lossy(&cli.stderr).contains(why), "{why}");
    for bad in [
        "as_of=2025-02-30",
        "since=spring",
        "format=docx",
        "party=RU",
        "detail=everything",
        "since=2025-05&until=2025-04",
        "colour=red",
    ] {
        let r = server.get(&format!("/cn-az/briefing?{bad}"));
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
        assert!(!r.text().is_empty());
    }
    assert_eq!(server.get("/az-tr/briefing").status, 404);
    assert_eq!(server.get("/nowhere").status, 404);
    let post = send(
        server.addr,
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc",
    );
    assert_eq!(post.status, 405, "read-only");
}

#[test]
fn answers_carry_strong_etags_and_revalidate_with_304() {
    let server = Server::start(&[EXAMPLE]);
    let target = "/cn-az/briefing?as_of=2025-05-01&format=pdf";
    let first = server.get(target);
    let again = server.get(target);
    assert_eq!(
        first.body, again.body,
        "the same bytes for the same request"
    );
    let etag = first.header("etag").unwrap().to_string();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong: {etag}"
    );
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let cached = server.request(target, &[&format!("If-None-Match: {etag}")]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    let other = server.request(target, &["If-None-Match: \"0000\""]);
    assert_eq!(other.status, 200);
    let index = server.get("/");
    let tag = index.header("etag").unwrap().to_string();
    assert_eq!(
        server
            .request("/", &[&format!("If-None-Match: {tag}")])
            .status,
        304
    );
}

#[test]
fn a_token_is_required_when_set_and_never_logged() {
    let server = Server::start_with(
        &[EXAMPLE, "--token-env", "BILATERAL_TEST_TOKEN"],
        &[("BILATERAL_TEST_TOKEN", TOKEN)],
    );
    let none = server.get("/");
    assert_eq!(none.status, 401);
    assert!(none
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer"));
    assert_eq!(
        server.request("/", &["Authorization: Bearer wrong"]).status,
        401
    );
    let ok = server.request(
        "/cn-az/briefing?as_of=2025-05-01&format=md",
        &[&format!("Authorization: Bearer {TOKEN}")],
    );
    assert_eq!(ok.status, 200);
    assert!(!server.log().contains(TOKEN), "the token is not logged");
    let short = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .args(["serve", EXAMPLE, "--token-env", "T"])
        .env("T", "short")
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("shorter than 16"));
}

#[test]
fn the_access_log_has_one_line_per_request_without_query_values() {
    let server = Server::start(&[EXAMPLE]);
    server.get("/cn-az/briefing?as_of=2025-05-01&party=AZ&format=md");
    server.get("/missing");
    std::thread::sleep(Duration::from_millis(200));
    let log = server.log();
    let line = log
        .lines()
        .find(|l| l.starts_with("GET /cn-az/briefing"))
        .unwrap();
    assert!(
        line.starts_with("GET /cn-az/briefing?as_of&party&format 200 "),
        "{line}"
    );
    assert!(line.ends_with("ms"));
    assert!(
        !log.contains("AZ&") && !log.contains("2025-05-01"),
        "values stay out: {log}"
    );
    assert!(log.lines().any(|l| l.starts_with("GET /missing 404 ")));
}

#[test]
fn a_warning_when_listening_beyond_loopback_without_a_token() {
    let out = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .args(["serve", "tests/does-not-exist", "--bind", "0.0.0.0:0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "no dataset, no server");
    assert!(err.contains("without --token-env"), "{err}");
    assert!(err.contains("does-not-exist"), "{err}");
}

/// Copies the example into a temporary folder to edit.
fn scratch_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    tools::copy_dir(Path::new(EXAMPLE), &ds);
    (dir, ds)
}

fn poll(mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn edits_while_serving_are_seen_and_a_bad_edit_keeps_the_last_good_version() {
    let (_tmp, ds) = scratch_example();
    let server = Server::start(&[ds.to_str().unwrap()]);
    let target = "/cn-az/briefing?as_of=2025-05-01&format=md";
    let before = server.get(target).text();
    let doc = std::fs::read_dir(ds.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("summary = "))
        .unwrap();
    let text = std::fs::read_to_string(&doc).unwrap();
    let edited = text.replacen("summary = \"", "summary = \"EDITED WHILE SERVING ", 1);
    std::fs::write(&doc, &edited).unwrap();
    assert!(
        poll(|| server.get(target).text().contains("EDITED WHILE SERVING")),
        "a good edit is seen"
    );
    std::fs::write(&doc, format!("{edited}\n[[[ broken")).unwrap();
    assert!(
        poll(|| server.get("/").text().contains("had errors")),
        "a bad edit is reported on the index"
    );
    let index = server.get("/").text();
    let file_name = doc.file_name().unwrap().to_str().unwrap();
    assert!(index.contains(file_name), "names the file: {index}");
    let at = index.find(&format!("{file_name}:")).unwrap() + file_name.len() + 1;
    let place: String = index[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    assert_eq!(
        place.split(':').filter(|p| !p.is_empty()).count(),
        2,
        "line and column: {index}"
    );
    let still = server.get(target);
    assert_eq!(still.status, 200);
    assert!(
        still.text().contains("EDITED WHILE SERVING"),
        "the last good version"
    );
    assert_ne!(before, still.text());
    std::fs::write(&doc, &text).unwrap();
    assert!(
        poll(|| !server.get("/").text().contains("had errors")),
        "fixed"
    );
}

#[test]
fn the_archive_lists_and_serves_what_scheduled_runs_delivered() {
    let (tmp, ds) = scratch_example();
    let jobs = tmp.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        format!(
            "[[jobs]]\nname = \"weekly\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"md\", \"pdf\"]\noutput = \"out/{{job}}/briefing-{{pair}}-{{as_of}}\"\n",
            ds.display()
        ),
    )
    .unwrap();
    // Mondays at 07:00: the run on Thursday 1 May 2025 delivers the briefing of Monday 28 April.
    let run = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .args(["run", jobs.to_str().unwrap(), "--job", "weekly"])
        .env("SOURCE_DATE_EPOCH", "1746057600")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let server = Server::start(&[ds.to_str().unwrap(), "--jobs", jobs.to_str().unwrap()]);
    let page = server.get("/archive");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(
        text.contains("weekly") && text.contains("2025-04-28"),
        "{text}"
    );
    let href = "archive/weekly/2025-04-28/pdf";
    assert!(text.contains(href), "{text}");
    let pdf = server.get(&format!("/{href}"));
    assert_eq!(pdf.status, 200);
    let on_disk = tmp.path().join("out/weekly/briefing-cn-az-2025-04-28.pdf");
    assert!(pdf.body == std::fs::read(on_disk).unwrap());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    for bad in [
        "/archive/weekly/2025-04-29/pdf",
        "/archive/weekly/2025-04-28/json",
        "/archive/monthly/2025-04-28/pdf",
        "/archive/weekly/..%2F..%2Fjobs.toml/pdf",
        "/archive/..%2F..%2F/2025-04-28/pdf",
        "/archive/weekly/2025-04-28/..%2F..%2F..%2Fjobs.toml",
    ] {
        assert_eq!(server.get(bad).status, 404, "{bad}");
    }
    let no_jobs = Server::start(&[EXAMPLE]);
    assert_eq!(no_jobs.get("/archive").status, 404);
}

#[test]
fn path_traversal_in_any_position_reaches_no_file() {
    let server = Server::start(&[EXAMPLE, "--jobs", "examples/jobs.toml"]);
    let targets = [
        "/../../../../etc/passwd",
        "/..%2F..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "/cn-az/../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd/briefing",
        "/..\\..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd/briefing",
        "/cn-az/briefing/../../../../etc/passwd",
        "/cn-az/briefing?field=../../../../etc/passwd",
        "/cn-az/briefing?party=..%2F..%2Fetc%2Fpasswd",
        "/archive/../../../../etc/passwd",
        "/archive/x/..%2F..%2F..%2Fetc%2Fpasswd/md",
        "//etc/passwd",
        "/examples/china-azerbaijan/dataset.toml",
        "/Cargo.toml",
    ];
    for t in targets {
        let r = server.get(t);
        assert!((400..500).contains(&r.status), "{t}: {}", r.status);
        let body = r.text();
        assert!(
            !body.contains("root:") && !body.contains("[package]") && !body.contains("[parties]"),
            "{t}"
        );
    }
}

#[test]
fn oversized_and_malformed_requests_get_a_clear_4xx() {
    let server = Server::start(&[EXAMPLE]);
    let huge = format!("/cn-az/briefing?since={}", "9".repeat(1 << 20));
    let r = server.get(&huge);
    assert!((400..500).contains(&r.status), "1 MB query: {}", r.status);
    let r = server.get("/cn-az/briefing?party=%FF%FE%FD");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("not UTF-8"));
    let many: String = (0..10_000).map(|_| "field=energy&").collect();
    let r = server.get(&format!("/cn-az/briefing?{many}"));
    assert!(
        (400..500).contains(&r.status),
        "10,000 fields: {}",
        r.status
    );
    let headers: Vec<String> = (0..200).map(|i| format!("X-H{i}: v")).collect();
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let r = server.request("/", &refs);
    assert!((400..500).contains(&r.status), "200 headers: {}", r.status);
    let raw = send(server.addr, b"\x16\x03\x01garbage\r\n\r\n");
    assert!((400..500).contains(&raw.status), "not HTTP: {}", raw.status);
    assert_eq!(server.get("/").status, 200, "still serving");
}

#[test]
fn a_client_sending_a_byte_a_second_is_dropped_at_the_timeout() {
    let server = Server::start(&[EXAMPLE, "--timeout", "2"]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let start = Instant::now();
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\n";
    let mut dropped = false;
    for b in request.iter().cycle().take(30) {
        if s.write_all(&[*b]).is_err() {
            dropped = true;
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
        if start.elapsed() > Duration::from_secs(12) {
            break;
        }
        // The server closes the connection (after a 408) once the head took too long.
        s.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 512];
        let closed = s.read(&mut buf).is_ok();
        s.set_nonblocking(false).unwrap();
        if closed {
            dropped = true;
            break;
        }
    }
    assert!(dropped, "still connected after {:?}", start.elapsed());
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn five_hundred_concurrent_connections_are_all_answered_in_bounded_memory() {
    let server = Arc::new(Server::start(&[EXAMPLE]));
    server.get("/cn-az/briefing?as_of=2025-05-01&format=pdf");
    let before = server.rss_kib();
    let handles: Vec<_> = (0..500)
        .map(|i| {
            let s = server.clone();
            std::thread::spawn(move || {
                let target = if i % 2 == 0 {
                    "/".to_string()
                } else {
                    "/cn-az/briefing?as_of=2025-05-01&format=pdf".to_string()
                };
                s.get(&target).status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let after = server.rss_kib();
    assert!(
        after < 200 * 1024,
        "resident memory {after} KiB (before: {before} KiB)"
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut server = Server::start(&[EXAMPLE]);
    assert_eq!(server.get("/").status, 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    assert!(server.log().contains("stopping"));
}

#[test]
fn chromium_loads_the_index_and_a_briefing_page() {
    let server = Server::start(&[EXAMPLE]);
    let Some(index) = tools::chromium_dom(&format!("http://{}/", server.addr)) else {
        return;
    };
    let doc = scraper::Html::parse_document(&index);
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();
    let forms: Vec<_> = doc.select(&sel("form[action='cn-az/briefing']")).collect();
    assert_eq!(forms.len(), 1, "{index}");
    assert!(doc.select(&sel("input[type=checkbox][name=field]")).count() >= 5);
    assert_eq!(doc.select(&sel("select[name=format] option")).count(), 7);
    let url = format!(
        "http://{}/cn-az/briefing?as_of=2025-05-01&field=multilateral&detail=full&format=html",
        server.addr
    );
    let page = tools::chromium_dom(&url).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let h1: String = doc.select(&sel("main h1")).next().unwrap().text().collect();
    assert!(h1.contains("China") && h1.contains("Azerbaijan"), "{h1}");
    let links: Vec<String> = doc
        .select(&sel("nav.serve a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(links[0], "../");
    assert!(
        links
            .iter()
            .any(|l| l.contains("format=pdf") && l.contains("field=multilateral")),
        "{links:?}"
    );
    assert!(
        server
            .log()
            .lines()
            .filter(|l| l.starts_with("GET "))
            .count()
            >= 2
    );
}

/// Puts `marker` at the start of the first summary in the dataset at `ds`.
fn mark_summary(ds: &Path, marker: &str) {
    let doc = std::fs::read_dir(ds.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("summary = "))
        .unwrap();
    let text = std::fs::read_to_string(&doc).unwrap();
    let marked = text.replacen("summary = \"", &format!("summary = \"{marker} "), 1);
    std::fs::write(&doc, marked).unwrap();
}

/// A dataset folder replaced whole (an `mv` swap, a symlink flipped to a new release, deleted
/// and created again) is followed: the new folder is served, and so are later edits in it
/// (before, the watcher stayed on the old folder: the new data was served at most once).
#[test]
fn a_replaced_dataset_folder_is_followed_and_its_later_edits_too() {
    let tmp = tempfile::tempdir().unwrap();
    let (swap, rel1, rel2, link) = (
        tmp.path().join("swap"),
        tmp.path().join("rel1"),
        tmp.path().join("rel2"),
        tmp.path().join("current"),
    );
    tools::copy_dir(Path::new(EXAMPLE), &swap);
    tools::copy_dir(Path::new(EXAMPLE), &rel1);
    std::os::unix::fs::symlink(&rel1, &link).unwrap();
    // One server per folder: two datasets of one pair are not served together.
    let servers = [
        Server::start(&[swap.to_str().unwrap()]),
        Server::start(&[link.to_str().unwrap()]),
    ];
    let path = "/cn-az/briefing?as_of=2025-05-01&format=md";
    let seen = |i: usize, marker: &str| poll(|| servers[i].get(path).text().contains(marker));

    // An `mv` swap.
    let next = tmp.path().join("swap.new");
    tools::copy_dir(Path::new(EXAMPLE), &next);
    mark_summary(&next, "SWAPPED-IN");
    std::fs::rename(&swap, tmp.path().join("swap.old")).unwrap();
    std::fs::rename(&next, &swap).unwrap();
    assert!(seen(0, "SWAPPED-IN"), "the swapped-in folder is served");
    mark_summary(&swap, "EDITED-AFTER-SWAP");
    assert!(seen(0, "EDITED-AFTER-SWAP"), "an edit after the swap");

    // A symlink flipped atomically to a new release.
    tools::copy_dir(Path::new(EXAMPLE), &rel2);
    mark_summary(&rel2, "RELEASE-TWO");
    let flip = tmp.path().join("current.tmp");
    std::os::unix::fs::symlink(&rel2, &flip).unwrap();
    std::fs::rename(&flip, &link).unwrap();
    assert!(seen(1, "RELEASE-TWO"), "the new release is served");
    mark_summary(&rel2, "EDITED-AFTER-FLIP");
    assert!(seen(1, "EDITED-AFTER-FLIP"), "an edit after the flip");

    // Deleted, then created again.
    std::fs::remove_dir_all(&swap).unwrap();
    assert!(poll(|| servers[0].get("/").text().contains("had errors")));
    tools::copy_dir(Path::new(EXAMPLE), &swap);
    mark_summary(&swap, "CREATED-AGAIN");
    assert!(seen(0, "CREATED-AGAIN"), "the recreated folder is served");
    assert!(poll(|| !servers[0].get("/").text().contains("had errors")));
    mark_summary(&swap, "EDITED-AFTER-RECREATE");
    assert!(seen(0, "EDITED-AFTER-RECREATE"));
}

/// A PDF (or an email, which carries one) listing more commitments in full than the server
/// renders in one request is refused with the ways round it, before any memory is spent on it;
/// a summary of the same briefing is served (before, 10,000 commitments took the server from
/// 27 MB to 1 GB, past the shipped unit's `MemoryMax`).
#[test]
fn a_pdf_beyond_the_per_request_limit_is_refused_with_the_ways_round_it() {
    let server = Server::start(&[EXAMPLE, "--max-pdf-commitments", "10"]);
    for format in ["pdf", "eml"] {
        let reply = server.get(&format!(
            "/cn-az/briefing?as_of=2025-05-01&detail=full&format={format}"
        ));
        assert_eq!(reply.status, 422, "{format}: {}", reply.text());
        let text = reply.text();
        assert!(text.contains("would list 11 commitments in full"), "{text}");
        assert!(
            text.contains("detail=summary") && text.contains("bilateral brief"),
            "{text}"
        );
    }
    let md = server.get("/cn-az/briefing?as_of=2025-05-01&detail=full&format=md");
    assert_eq!(md.status, 200, "other formats are not bounded by it");
    let summary =
        server.get("/cn-az/briefing?as_of=2025-05-01&detail=summary&per_list=1&format=pdf");
    assert_eq!(summary.status, 200, "{}", summary.text());
}

/// A dataset whose pair changes while served (a party's code corrected) is not served under the
/// old pair's path: the index says to restart, and the last version of the old pair stays.
#[test]
fn a_dataset_whose_pair_changes_asks_for_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    tools::copy_dir(Path::new("tests/fixtures/minimal"), &ds);
    let server = Server::start(&[ds.to_str().unwrap()]);
    assert_eq!(
        server
            .get("/az-cn/briefing?as_of=2025-06-01&format=md")
            .status,
        200
    );
    // Documents first, the manifest last: only the final state checks.
    for f in ["docs/statement.toml", "docs/later.json", "dataset.toml"] {
        let text = std::fs::read_to_string(ds.join(f)).unwrap();
        std::fs::write(ds.join(f), text.replace("\"CN\"", "\"TR\"")).unwrap();
    }
    assert!(
        poll(|| server
            .get("/")
            .text()
            .contains("restart the server to serve it under /az-tr/")),
        "{}",
        server.get("/").text()
    );
    assert_eq!(
        server
            .get("/az-tr/briefing?as_of=2025-06-01&format=md")
            .status,
        404
    );
    assert_eq!(
        server
            .get("/az-cn/briefing?as_of=2025-06-01&format=md")
            .status,
        200
    );
}

/// SIGTERM while a render that outlived its request is still running stops the server at once:
/// the client has had its 503, and the abandoned render is not waited for (before, the process
/// stayed alive until the render ended, 8.5 s in one review).
#[test]
fn sigterm_does_not_wait_for_an_abandoned_render() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = synthetic::generate(5_000, 11);
    std::fs::create_dir_all(tmp.path().join("documents")).unwrap();
    std::fs::write(tmp.path().join("dataset.toml"), &ds.manifest).unwrap();
    for (name, text) in &ds.documents {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let dataset = tmp.path().to_str().unwrap();
    let mut server = Server::start(&[dataset, "--timeout", "1", "--max-pdf-commitments", "100000"]);
    // A full PDF of 5,000 commitments takes several seconds: the request times out after one.
    let reply = server.get("/cn-az/briefing?as_of=2026-06-30&detail=full&format=pdf");
    assert_eq!(reply.status, 503, "{}", reply.text());
    let signalled = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(20),
            "still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    assert!(
        signalled.elapsed() < Duration::from_millis(1500),
        "took {:?} to stop after SIGTERM",
        signalled.elapsed()
    );
}

#[test]
fn a_briefing_comes_in_the_language_its_lang_parameter_asks() {
    let server = Server::start(&[EXAMPLE]);
    let ru = server.get("/cn-az/briefing?format=md&lang=ru");
    assert_eq!(ru.status, 200, "{}", ru.text());
    let md = ru.text();
    assert!(md.contains("1 мая 2025\u{202f}г."), "{md}");
    assert!(md.contains("# Аналитическая записка"), "{md}");
    let zh = server.get("/cn-az/briefing?lang=zh-Hans");
    assert!(
        zh.text().contains("lang=\"zh-Hans\""),
        "the page says its language"
    );
    let bad = server.get("/cn-az/briefing?lang=xx");
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("en, zh-Hans, ru, az"), "{}", bad.text());
    let index = server.get("/").text();
    assert!(
        index.contains("name=\"lang\""),
        "the form has a language selector"
    );
    assert!(
        index.contains("April 2025"),
        "the index dates in the server's language"
    );
}
