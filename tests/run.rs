//! `bilateral run` and email as users meet them: a real SMTP server on loopback receives the
//! briefing; a refused connection fails the job but keeps the report; a killed run leaves no
//! partial file and a readable state; `--due` catches up a missed schedule once; shards split
//! exactly; a second run waits for or refuses the lock.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod tools;
use tools::copy_dir;
use tools::smtp::Inbox;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/china-azerbaijan")
}

fn start_smtp() -> (u16, Inbox) {
    tools::smtp::start()
}

/// A server on loopback that accepts connections and never says a word; returns its port.
fn start_silent_server() -> u16 {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in silent.incoming() {
            held.push(c); // accept, never speak
        }
    });
    port
}

fn write_jobs(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("jobs.toml");
    std::fs::write(&path, body).unwrap();
    path
}

/// The test server speaks plain SMTP, and (rightly) offers no login without TLS, so only the
/// credentials-lookup test names credentials.
fn smtp_section(port: u16, credentials: bool) -> String {
    let creds = if credentials {
        "username_env = \"TEST_SMTP_USER\"\npassword_env = \"TEST_SMTP_PASSWORD\"\nallow_plaintext_auth = true\n"
    } else {
        ""
    };
    format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n{creds}retries = 2\nbackoff_seconds = 0.01\ntimeout_seconds = 5\n\n"
    )
}

fn mail_job(dataset: &Path) -> String {
    format!(
        "[[jobs]]\nname = \"mail\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"pdf\", \"md\"]\noutput = \"out/{{job}}/briefing-{{pair}}-{{as_of}}\"\nskip_unchanged = true\n\n[jobs.email]\nfrom = \"Briefings <briefings@example.org>\"\nto = [\"desk@example.org\"]\nattach_markdown = true\nattach_xlsx = true\n",
        dataset.display()
    )
}

fn attachments(raw: &[u8]) -> Vec<(String, String, Vec<u8>)> {
    let mail = mailparse::parse_mail(raw).unwrap();
    mail.subparts
        .iter()
        .filter_map(|p| {
            let disp = p.get_content_disposition();
            let name = disp.params.get("filename")?.clone();
            Some((name, p.ctype.mimetype.clone(), p.get_body_raw().unwrap()))
        })
        .collect()
}

#[test]
fn emailed_briefing_arrives_intact_and_unchanged_ones_are_not_resent() {
    let (port, inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&example(), &data);
    let jobs = write_jobs(dir.path(), &(smtp_section(port, false) + &mail_job(&data)));
    let run = |as_of: &str| {
        bilateral()
            .arg("run")
            .arg(&jobs)
            .args(["--job", "mail", "--as-of", as_of])
            .env("TEST_SMTP_USER", "desk-robot")
            .env("TEST_SMTP_PASSWORD", "s3cret-never-logged")
            .assert()
    };
    let first = run("2025-05-05").success();
    let out = String::from_utf8_lossy(&first.get_output().stdout).to_string()
        + &String::from_utf8_lossy(&first.get_output().stderr);
    assert!(out.contains("email (1 attempt)"), "{out}");
    assert!(!out.contains("s3cret"), "the password was printed");

    let messages = inbox.messages();
    assert_eq!(messages.len(), 1);
    let parsed = mailparse::parse_mail(&messages[0]).unwrap();
    assert_eq!(
        parsed
            .headers
            .iter()
            .find(|h| h.get_key() == "Subject")
            .unwrap()
            .get_value(),
        "China–Azerbaijan briefing, 5 May 2025"
    );
    let body = parsed.subparts[0].subparts[0].get_body().unwrap();
    assert!(
        body.contains("Up to 5 May 2025, 2 documents record 11 commitments"),
        "{body}"
    );
    assert!(
        body.contains("- briefing-cn-az-2025-05-05.pdf (PDF,"),
        "{body}"
    );
    let files = attachments(&messages[0]);
    let pdf = files
        .iter()
        .find(|f| f.0 == "briefing-cn-az-2025-05-05.pdf")
        .expect("the PDF is attached");
    assert_eq!(pdf.1, "application/pdf");
    let on_disk = std::fs::read(dir.path().join("out/mail/briefing-cn-az-2025-05-05.pdf")).unwrap();
    assert!(
        pdf.2 == on_disk,
        "the attached PDF differs from the file on disk"
    );
    let md = files
        .iter()
        .find(|f| f.0 == "briefing-cn-az-2025-05-05.md")
        .expect("the Markdown is attached");
    assert_eq!(md.1, "text/markdown");
    assert_eq!(
        md.2,
        std::fs::read(dir.path().join("out/mail/briefing-cn-az-2025-05-05.md")).unwrap()
    );
    let xlsx = files
        .iter()
        .find(|f| f.0 == "briefing-cn-az-2025-05-05.xlsx")
        .expect("the ledger workbook is attached (attach_xlsx)");
    assert_eq!(
        xlsx.1,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.2.starts_with(b"PK"), "a zip container");

    // A week later nothing changed: the files are written, the email is skipped.
    let second = run("2025-05-12").success();
    let out = String::from_utf8_lossy(&second.get_output().stdout).to_string();
    assert!(out.contains("unchanged"), "{out}");
    assert_eq!(inbox.messages().len(), 1);
    assert!(dir
        .path()
        .join("out/mail/briefing-cn-az-2025-05-12.pdf")
        .exists());

    // A new statement arrives: the next briefing is sent, with what changed.
    std::fs::write(
        data.join("documents/2025-05-10-readout.toml"),
        "id = \"readout-2025-05-10\"\ntitle = \"Readout of a call between the foreign ministers\"\nkind = \"readout\"\ndate = \"2025-05-10\"\nparties = [\"CN\", \"AZ\"]\n\n[[sources]]\npublisher = \"Test ministry\"\npublished = \"2025-05-10\"\nlanguage = \"en\"\nreliability = \"official\"\n\n[[commitments]]\nid = \"test-new-commitment\"\nmutual = true\nfield = \"economy-trade\"\naction = \"cooperate\"\nsummary = \"Both sides will expand trade (a test entry).\"\n",
    )
    .unwrap();
    run("2025-05-19").success();
    let messages = inbox.messages();
    assert_eq!(messages.len(), 2);
    let files = attachments(&messages[1]);
    let md = String::from_utf8(
        files
            .iter()
            .find(|f| f.0.ends_with(".md"))
            .unwrap()
            .2
            .clone(),
    )
    .unwrap();
    let changes = md
        .split("## Changes since the last briefing")
        .nth(1)
        .expect("a changes section");
    assert!(changes.contains("Since the briefing of 5 May 2025: 1 new document, 1 new commitment, 0 new follow-through events and 0 records reported late."), "{changes}");
    assert!(changes.contains("Both sides will expand trade (a test entry)."));
}

#[test]
fn refused_smtp_fails_the_job_and_keeps_the_report() {
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let jobs = write_jobs(
        dir.path(),
        &(smtp_section(port, false) + &mail_job(&example())),
    );
    let res = bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "mail", "--as-of", "2025-05-05"])
        .env("TEST_SMTP_USER", "u")
        .env("TEST_SMTP_PASSWORD", "p")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    assert!(stderr.contains("after 3 attempt(s)"), "{stderr}");
    assert!(stderr.contains("the briefing stays on disk"), "{stderr}");
    assert!(dir
        .path()
        .join("out/mail/briefing-cn-az-2025-05-05.pdf")
        .exists());
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join(".bilateral-state/state.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["jobs"]["mail"]["last_outcome"], "failed");
    assert_eq!(
        state["jobs"]["mail"]["last_success"],
        serde_json::Value::Null
    );
}

#[test]
fn missing_credentials_are_named_not_guessed() {
    let (port, inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let jobs = write_jobs(
        dir.path(),
        &(smtp_section(port, true) + &mail_job(&example())),
    );
    let res = bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "mail", "--as-of", "2025-05-05"])
        .env_remove("TEST_SMTP_USER")
        .env_remove("TEST_SMTP_PASSWORD")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    assert!(stderr.contains("TEST_SMTP_USER is not set"), "{stderr}");
    assert!(inbox.messages().is_empty());
}

fn weekly_jobs(dir: &Path, n: usize, formats: &str) -> PathBuf {
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&format!(
            "[[jobs]]\nname = \"job-{i}\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\ntimezone = \"Asia/Baku\"\nperiod = \"all\"\nformats = [{formats}]\noutput = \"out/{{job}}/briefing-{{pair}}-{{as_of}}\"\n\n",
            example().display()
        ));
    }
    write_jobs(dir, &body)
}

fn summary_names(stdout: &[u8], status: &str) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .skip(1)
        .filter(|l| l.split_whitespace().nth(1) == Some(status))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn due_catches_up_a_missed_schedule_once() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = weekly_jobs(dir.path(), 1, "\"md\"");
    let due = |now: &str| {
        bilateral()
            .arg("run")
            .arg(&jobs)
            .args(["--due", "--now", now])
            .assert()
            .success()
    };
    // Monday 5 May 2025, 09:00 UTC (13:00 in Baku): the 07:00 Baku run is due.
    let out = due("2025-05-05T09:00:00Z");
    assert_eq!(summary_names(&out.get_output().stdout, "ok"), ["job-0"]);
    assert!(dir
        .path()
        .join("out/job-0/briefing-cn-az-2025-05-05.md")
        .exists());
    // The same day again: nothing due.
    let out = due("2025-05-05T10:00:00Z");
    assert_eq!(summary_names(&out.get_output().stdout, "not"), ["job-0"]);
    // The machine was off for two Mondays; on Tuesday 20 May it runs once, for Monday 19 May.
    let out = due("2025-05-20T08:00:00Z");
    assert_eq!(summary_names(&out.get_output().stdout, "ok"), ["job-0"]);
    assert!(dir
        .path()
        .join("out/job-0/briefing-cn-az-2025-05-19.md")
        .exists());
    assert!(!dir
        .path()
        .join("out/job-0/briefing-cn-az-2025-05-12.md")
        .exists());
    let out = due("2025-05-20T08:05:00Z");
    assert_eq!(summary_names(&out.get_output().stdout, "not"), ["job-0"]);
}

#[test]
fn shards_split_the_jobs_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = weekly_jobs(dir.path(), 12, "\"json\"");
    let mut seen: Vec<String> = Vec::new();
    for i in 0..3 {
        let out = bilateral()
            .arg("run")
            .arg(&jobs)
            .args([
                "--all",
                "--as-of",
                "2025-05-05",
                "--shard",
                &format!("{i}/3"),
            ])
            .assert()
            .success();
        seen.extend(summary_names(&out.get_output().stdout, "ok"));
    }
    seen.sort();
    let mut all: Vec<String> = (0..12).map(|i| format!("job-{i}")).collect();
    all.sort();
    assert_eq!(seen, all, "every job in exactly one shard");
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--shard", "3/3"])
        .assert()
        .code(2);
}

#[test]
fn a_second_run_refuses_while_the_first_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = weekly_jobs(dir.path(), 1, "\"md\"");
    let state = dir.path().join(".bilateral-state");
    std::fs::create_dir_all(&state).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(state.join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let res = bilateral()
        .arg("run")
        .arg(&jobs)
        .arg("--all")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    assert!(stderr.contains("another `bilateral run`"), "{stderr}");
    assert!(
        !dir.path().join("out").exists(),
        "the refused run wrote output"
    );
    drop(lock);
    bilateral()
        .arg("run")
        .arg(&jobs)
        .arg("--all")
        .assert()
        .success();
}

#[test]
fn a_killed_run_leaves_no_partial_file_and_a_readable_state() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = weekly_jobs(dir.path(), 60, "\"pdf\", \"md\"");
    let bin = assert_cmd::cargo::cargo_bin("bilateral");
    for delay_ms in [150u64, 400, 900] {
        let mut child = std::process::Command::new(&bin)
            .arg("run")
            .arg(&jobs)
            .args(["--all", "--as-of", "2025-05-05"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let out = dir.path().join("out");
        if out.exists() {
            for job in std::fs::read_dir(&out).unwrap() {
                for f in std::fs::read_dir(job.unwrap().path()).unwrap() {
                    let path = f.unwrap().path();
                    let name = path.file_name().unwrap().to_string_lossy().to_string();
                    if name.starts_with('.') {
                        continue; // a temporary file: never a report, removed by the next run
                    }
                    let bytes = std::fs::read(&path).unwrap();
                    if name.ends_with(".pdf") {
                        assert!(bytes.starts_with(b"%PDF-"), "{name} is partial");
                        let tail =
                            String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(32)..])
                                .to_string();
                        assert!(tail.trim_end().ends_with("%%EOF"), "{name} is partial");
                    } else {
                        let text = String::from_utf8(bytes).unwrap();
                        assert!(
                            text.ends_with("\n") && text.contains("## Sources"),
                            "{name} is partial"
                        );
                    }
                }
            }
        }
        let state = dir.path().join(".bilateral-state/state.json");
        if state.exists() {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap())
                .expect("the state is readable JSON");
            assert_eq!(v["version"], 1);
        }
    }
    // The next run completes and cleans up what the killed ones left (their processes are gone).
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--as-of", "2025-05-05", "-j", "2"])
        .assert()
        .success();
    for job in std::fs::read_dir(dir.path().join("out")).unwrap() {
        for f in std::fs::read_dir(job.unwrap().path()).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().to_string();
            assert!(
                !name.starts_with(".bilateral-"),
                "a temporary file remains: {name}"
            );
        }
    }
}

#[test]
fn eml_from_brief_is_a_standard_message() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("b.eml");
    bilateral()
        .arg("brief")
        .arg(example())
        .args(["--as-of", "2025-05-01", "--format", "pdf", "--out"])
        .arg(dir.path())
        .arg("--eml")
        .arg(&eml)
        .args(["--eml-markdown", "--mail-to", "Desk <desk@example.org>"])
        .assert()
        .success();
    let raw = std::fs::read(&eml).unwrap();
    let files = attachments(&raw);
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "briefing-cn-az-2025-05-01.pdf",
            "briefing-cn-az-2025-05-01.md"
        ]
    );
    assert!(files[0].2 == std::fs::read(dir.path().join("briefing-cn-az-2025-05-01.pdf")).unwrap());
    let parsed = mailparse::parse_mail(&raw).unwrap();
    let header = |k: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.get_key() == k)
            .map(|h| h.get_value())
    };
    assert_eq!(header("To").unwrap(), "Desk <desk@example.org>");
    assert_eq!(header("Date").unwrap(), "Thu, 01 May 2025 00:00:00 +0000");
    // The body: plain text with the HTML briefing as its alternative, both from the templates.
    let alternative = &parsed.subparts[0];
    assert_eq!(alternative.ctype.mimetype, "multipart/alternative");
    let kinds: Vec<&str> = alternative
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.as_str())
        .collect();
    assert_eq!(kinds, ["text/plain", "text/html"]);
    let plain = alternative.subparts[0].get_body().unwrap();
    assert!(
        plain.starts_with("China–Azerbaijan briefing as of 1 May 2025"),
        "{plain}"
    );
    assert!(
        plain.contains("- briefing-cn-az-2025-05-01.md (Markdown,"),
        "{plain}"
    );
    let html = alternative.subparts[1].get_body().unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<h2>Bottom line up front</h2>"),
        "{html}"
    );
    assert!(!html.contains("<script"));
    // Reproducible, like the other formats.
    let again = dir.path().join("c.eml");
    bilateral()
        .arg("brief")
        .arg(example())
        .args(["--as-of", "2025-05-01", "--format", "pdf", "--out"])
        .arg(dir.path())
        .arg("--eml")
        .arg(&again)
        .args(["--eml-markdown", "--mail-to", "Desk <desk@example.org>"])
        .assert()
        .success();
    assert!(raw == std::fs::read(&again).unwrap());
}

#[test]
fn a_broken_jobs_file_is_reported_with_line_and_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = write_jobs(
        dir.path(),
        "[[jobs]]\nname = \"x\"\ndataset = \"d\"\nschedule = \"0 7 * * FUNDAY\"\ntimezone = \"Mars/Olympus\"\nformats = [\"pdf\", \"docx\"]\n",
    );
    let res = bilateral()
        .arg("run")
        .arg(&jobs)
        .arg("--all")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    assert!(stderr.contains("jobs.toml:4:"), "{stderr}");
    assert!(
        stderr.contains("unknown time zone `Mars/Olympus`"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown format `docx`"), "{stderr}");
    assert!(stderr.contains("nothing ran"), "{stderr}");
}

#[test]
fn a_job_chooses_its_templates_paper_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("house-style");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("fields.md.hbs"),
        "## Pledges by area\n\n{{#each fields}}\n- {{label}}: {{count}}\n{{/each}}\n",
    )
    .unwrap();
    let jobs = write_jobs(
        dir.path(),
        &format!(
            "[[jobs]]\nname = \"house\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"md\", \"pdf\", \"html\"]\noutput = \"out/{{job}}\"\ntemplates = \"house-style\"\npaper = \"letter\"\n",
            example().display()
        ),
    );
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "house", "--as-of", "2025-05-05"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("out/house.md")).unwrap();
    assert!(
        md.contains("## Pledges by area\n\n- Political dialogue: 1\n- Green energy: 1"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("out/house.html")).unwrap();
    assert!(html.contains("<h2>Pledges by area</h2>"), "{html}");
    // Letter paper: 612 × 792 points.
    let pdfinfo = tools::find("pdfinfo", "apt-get install poppler-utils").expect("pdfinfo");
    let info = std::process::Command::new(pdfinfo)
        .arg(dir.path().join("out/house.pdf"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("Page size:       612 x 792 pts (letter)"),
        "{info}"
    );

    // A key that names a paper size that does not exist is reported with its line.
    let bad = write_jobs(
        dir.path(),
        &format!(
            "[[jobs]]\nname = \"house\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\npaper = \"a5\"\n",
            example().display()
        ),
    );
    let out = bilateral()
        .arg("run")
        .arg(&bad)
        .arg("--all")
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        err.contains("unknown paper size `a5`") && err.contains("jobs.toml:5"),
        "{err}"
    );
}

/// `-j` larger than the number of jobs starts no more workers than there are jobs.
#[test]
fn a_huge_job_count_starts_no_more_workers_than_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = write_jobs(
        dir.path(),
        &format!(
            "[[jobs]]\nname = \"one\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"md\"]\noutput = \"out/{{job}}\"\n",
            example().display()
        ),
    );
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--as-of", "2025-05-05", "-j", "1000000"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    assert!(dir.path().join("out/one.md").exists());
}

/// Ten jobs writing into one output folder with four workers, run again and again: no job fails
/// (a run used to delete the other jobs' temporary files while they were being written).
#[test]
fn jobs_sharing_an_output_folder_never_break_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    for i in 0..10 {
        body.push_str(&format!(
            "[[jobs]]\nname = \"job-{i}\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"md\", \"json\"]\noutput = \"shared/{{job}}-{{as_of}}\"\n\n",
            example().display()
        ));
    }
    let jobs = write_jobs(dir.path(), &body);
    for round in 0..8 {
        let out = bilateral()
            .arg("run")
            .arg(&jobs)
            .args(["--all", "--as-of", "2025-05-05", "-j", "4"])
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let names: Vec<String> = std::fs::read_dir(dir.path().join("shared"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 20, "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

/// Sets every temporary file under `dir` an hour back.
fn age_temporary_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            age_temporary_files(&path);
        } else if e.file_name().to_string_lossy().ends_with(".tmp") {
            let touched = std::process::Command::new("touch")
                .args(["-d", "1 hour ago"])
                .arg(&path)
                .status()
                .unwrap();
            assert!(touched.success());
        }
    }
}

/// Temporary files a killed run left are removed: all of them from the state folder and the
/// archive (only runs holding the lock write there); from every job's output folder, due or
/// not, those whose writing process is gone or that are older than ten minutes. A fresh one of
/// a live writer there (another process may be writing it) is kept.
#[test]
fn stale_temporary_files_are_cleaned_everywhere_and_fresh_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = weekly_jobs(dir.path(), 2, "\"md\"");
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "job-0", "--as-of", "2025-05-05"])
        .assert()
        .success();
    let state = dir.path().join(".bilateral-state");
    let places = [
        state.clone(),
        state.join("history/job-0"),
        dir.path().join("out/job-0"),
        dir.path().join("out/job-1"),
    ];
    for p in &places {
        std::fs::create_dir_all(p).unwrap();
        std::fs::write(p.join(".bilateral-killed.tmp"), b"half").unwrap();
        age_temporary_files(p);
        std::fs::write(p.join(".bilateral-writing.tmp"), b"in progress").unwrap();
        // Fresh, but its writer (no process has this id) is gone.
        std::fs::write(p.join(".bilateral-4194303999-x.tmp"), b"orphan").unwrap();
    }
    // job-1 is not due on this run; its folder is cleaned all the same.
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "job-0", "--as-of", "2025-05-05"])
        .assert()
        .success();
    for (i, p) in places.iter().enumerate() {
        assert!(!p.join(".bilateral-killed.tmp").exists(), "{}", p.display());
        assert!(
            !p.join(".bilateral-4194303999-x.tmp").exists(),
            "{}",
            p.display()
        );
        let fresh_kept = p.join(".bilateral-writing.tmp").exists();
        assert_eq!(fresh_kept, i >= 2, "{}", p.display());
    }
}

fn message_id(raw: &[u8]) -> String {
    let parsed = mailparse::parse_mail(raw).unwrap();
    parsed
        .headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case("Message-ID"))
        .unwrap()
        .get_value()
}

/// Two jobs sending the same briefing to the same desk get different Message-IDs; the same
/// job's briefing for the same day keeps its Message-ID when sent again, so a receiver can drop
/// the second copy.
#[test]
fn message_ids_are_stable_per_job_and_day_and_differ_between_jobs() {
    let (port, inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let job = |name: &str| {
        mail_job(&example())
            .replace("name = \"mail\"", &format!("name = \"{name}\""))
            .replace("skip_unchanged = true", "skip_unchanged = false")
    };
    let jobs = write_jobs(
        dir.path(),
        &(smtp_section(port, false) + &job("desk-a") + "\n" + &job("desk-b")),
    );
    for _ in 0..2 {
        bilateral()
            .arg("run")
            .arg(&jobs)
            .args(["--all", "--as-of", "2025-05-05"])
            .assert()
            .success();
    }
    let messages = inbox.messages();
    assert_eq!(messages.len(), 4);
    let ids: Vec<String> = messages.iter().map(|m| message_id(m)).collect();
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 2, "one per job: {ids:?}");
    assert!(
        ids.iter().all(|id| id.ends_with(".2025-05-05@bilateral>")),
        "{ids:?}"
    );
}

/// With the state folder on a full disk, a job that sends email does not send: its sending
/// could not be recorded, so every later run would send it again. Three runs, no email (each
/// used to send one). Runs in a private mount namespace (`unshare`) with a 256 KiB tmpfs.
#[test]
fn a_full_state_disk_sends_nothing_rather_than_the_same_email_every_run() {
    tools::find("unshare", "apt-get install util-linux");
    let (port, inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let jobs = write_jobs(
        dir.path(),
        &(smtp_section(port, false) + &mail_job(&example()).replace("skip_unchanged = true", "")),
    );
    let state = dir.path().join(".bilateral-state");
    std::fs::create_dir_all(&state).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("bilateral");
    let script = format!(
        "set -e; mount -t tmpfs -o size=256k tmpfs '{state}'; \
         dd if=/dev/zero of='{state}/filler' bs=4k 2>/dev/null || true; \
         for i in 1 2 3; do '{bin}' run '{jobs}' --all --as-of 2025-05-05 >/dev/null 2>>'{log}' || true; done",
        state = state.display(),
        bin = bin.display(),
        jobs = jobs.display(),
        log = dir.path().join("log").display(),
    );
    let status = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .status()
        .unwrap();
    assert!(status.success(), "unshare/mount failed");
    let log = std::fs::read_to_string(dir.path().join("log")).unwrap();
    assert_eq!(inbox.messages().len(), 0, "{log}");
    assert_eq!(
        log.matches("[mail] FAILED: not sent: cannot record the delivery")
            .count(),
        3,
        "{log}"
    );
    assert!(
        dir.path()
            .join("out/mail/briefing-cn-az-2025-05-05.pdf")
            .exists(),
        "the files are written"
    );
}

/// A job that hangs (here: a mail server that accepts the connection and never answers) is
/// failed at its time limit; the other jobs finish and the run ends, instead of holding the
/// lock for ever.
#[test]
fn a_hung_job_is_failed_at_its_time_limit_and_the_others_finish() {
    let port = start_silent_server();
    let dir = tempfile::tempdir().unwrap();
    let smtp = smtp_section(port, false).replace("timeout_seconds = 5", "timeout_seconds = 120");
    let hung = mail_job(&example()).replace(
        "skip_unchanged = true",
        "skip_unchanged = false\ntime_limit_seconds = 2",
    );
    let quick = format!(
        "[[jobs]]\nname = \"quick\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"md\"]\noutput = \"out/{{job}}\"\n",
        example().display()
    );
    let jobs = write_jobs(dir.path(), &format!("{smtp}{hung}\n{quick}"));
    let start = std::time::Instant::now();
    let out = bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--as-of", "2025-05-05", "-j", "1"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(elapsed < std::time::Duration::from_secs(20), "{elapsed:?}");
    assert!(
        stderr.contains("[mail] FAILED: took longer than its time limit of 2 s"),
        "{stderr}"
    );
    assert!(
        dir.path().join("out/quick.md").exists(),
        "the other job ran: {stderr}"
    );
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join(".bilateral-state/state.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["jobs"]["mail"]["last_outcome"], "failed");
    assert_eq!(state["jobs"]["quick"]["last_outcome"], "ok");
    // The lock is free: the next run starts at once.
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "quick", "--as-of", "2025-05-05"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success();
}

/// A mail server that never answers: the message says so in words, not "os error 11".
#[test]
fn a_silent_mail_server_is_reported_as_a_timeout() {
    let port = start_silent_server();
    let dir = tempfile::tempdir().unwrap();
    let smtp = smtp_section(port, false)
        .replace("timeout_seconds = 5", "timeout_seconds = 1")
        .replace("retries = 2", "retries = 0");
    let jobs = write_jobs(dir.path(), &(smtp + &mail_job(&example())));
    let out = bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--as-of", "2025-05-05"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no answer within 1 s"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
}

/// A credentials file other users can read gets a warning naming the fix.
#[cfg(unix)]
#[test]
fn a_world_readable_credentials_file_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let (port, _inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds.toml");
    std::fs::write(&creds, "username = \"u\"\npassword = \"p\"\n").unwrap();
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o644)).unwrap();
    let smtp = smtp_section(port, false).replace(
        "retries = 2",
        "credentials_file = \"creds.toml\"\nallow_plaintext_auth = true\nretries = 0",
    );
    let jobs = write_jobs(dir.path(), &(smtp + &mail_job(&example())));
    let out = bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--all", "--as-of", "2025-05-05"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("can be read by other users (mode 644)"),
        "{stderr}"
    );
    assert!(stderr.contains("chmod 600"), "{stderr}");
}

/// A run judged at a time before the job's last run (a replay with `--now`, a clock set back)
/// goes ahead, with a warning naming both times (before, it ran silently).
#[test]
fn a_run_judged_before_the_last_run_warns() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = write_jobs(
        dir.path(),
        &format!(
            "[[jobs]]\nname = \"one\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"md\"]\noutput = \"out/{{job}}\"\n",
            example().display()
        ),
    );
    let run = |now: &str| {
        let out = bilateral()
            .arg("run")
            .arg(&jobs)
            .args(["--all", "--now", now])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let first = run("2025-05-12T08:00:00Z");
    assert!(!first.contains("the last run was at"), "{first}");
    let replay = run("2025-05-05T08:00:00Z");
    assert!(
        replay.contains("the last run was at 2025-05-12T08:00:00+00:00, after the time this run is judged at (2025-05-05T08:00:00+00:00)"),
        "{replay}"
    );
}

#[test]
fn each_recipient_group_gets_the_briefing_in_its_language() {
    let (port, inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&example(), &data);
    let job = format!(
        "[[jobs]]\nname = \"mail\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nlang = \"ru\"\nformats = [\"pdf\", \"md\"]\noutput = \"out/{{as_of}}\"\n\n[jobs.email]\nfrom = \"Briefings <briefings@example.org>\"\nto = [\"moscow@example.org\"]\n\n[[jobs.email.groups]]\nlang = \"zh-Hans\"\nto = [\"beijing@example.org\"]\n\n[[jobs.email.groups]]\nlang = \"en\"\nto = [\"london@example.org\"]\nsubject = \"{{title}}, {{as_of}}\"\n",
        data.display()
    );
    let jobs = write_jobs(dir.path(), &(smtp_section(port, false) + &job));
    bilateral()
        .arg("run")
        .arg(&jobs)
        .args(["--job", "mail", "--as-of", "2025-05-05"])
        .assert()
        .success();
    let received = inbox.received();
    assert_eq!(received.len(), 3, "one message per group");
    let subject = |raw: &[u8]| {
        let m = mailparse::parse_mail(raw).unwrap();
        let s = m.headers.iter().find(|h| h.get_key() == "Subject").unwrap();
        s.get_value()
    };
    let by = |to: &str| received.iter().find(|(r, _)| r[0] == to).unwrap().1.clone();
    assert!(subject(&by("moscow@example.org")).contains("5 мая 2025"));
    assert!(subject(&by("beijing@example.org")).contains("2025年5月5日"));
    assert_eq!(
        subject(&by("london@example.org")),
        "China–Azerbaijan, 5 May 2025"
    );
    let out = dir.path().join("out");
    for file in [
        "2025-05-05.pdf",
        "2025-05-05.zh-Hans.pdf",
        "2025-05-05.en.md",
    ] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    let md = std::fs::read_to_string(out.join("2025-05-05.md")).unwrap();
    assert!(
        md.contains("Аналитическая записка"),
        "the job's own language"
    );
    let bad = write_jobs(
        dir.path(),
        &job.replace("lang = \"zh-Hans\"", "lang = \"xx-nope\""),
    );
    let err = bilateral()
        .arg("run")
        .arg(&bad)
        .args(["--all"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(
        err.contains("jobs.toml:") && err.contains("xx-nope"),
        "{err}"
    );
}
