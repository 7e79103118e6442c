//! A soak test of scheduled runs (`cargo test --release --test soak -- --ignored`; `.ci/run`
//! runs it, bounded to about two minutes): twelve jobs in three shared output folders, emailing
//! to a real SMTP server on loopback, run day after day with `--due`, most runs killed at a
//! random moment. Then: the state parses, no temporary file is left, every job's last briefing
//! is complete on disk, and delivery was at least once with a stable Message-ID (the documented
//! guarantee): each job's last delivered day reached the server, every copy of one job's
//! briefing for one day has the same Message-ID, and no two jobs or days share one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod tools;

const JOBS: usize = 12;
const DAYS: u32 = 80;

fn jobs_file(dir: &Path, dataset: &Path, port: u16) -> PathBuf {
    let mut body = format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nretries = 1\nbackoff_seconds = 0.01\ntimeout_seconds = 10\n\n"
    );
    for i in 0..JOBS {
        body.push_str(&format!(
            "[[jobs]]\nname = \"job-{i}\"\ndataset = \"{}\"\nschedule = \"0 7 * * *\"\nformats = [\"md\", \"pdf\"]\noutput = \"shared-{}/{{job}}-{{as_of}}\"\n\n[jobs.email]\nfrom = \"soak@example.org\"\nto = [\"job-{i}@example.org\"]\n\n",
            dataset.display(),
            i % 3
        ));
    }
    let path = dir.join("jobs.toml");
    std::fs::write(&path, body).unwrap();
    path
}

/// A small deterministic random sequence (no dependency for one test).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn header(raw: &[u8], name: &str) -> String {
    let mail = mailparse::parse_mail(raw).unwrap();
    mail.headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case(name))
        .map(|h| h.get_value())
        .unwrap_or_default()
}

fn temporary_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            temporary_files(&p, out);
        } else if e.file_name().to_string_lossy().ends_with(".tmp") {
            out.push(p);
        }
    }
}

#[test]
#[ignore = "a soak of a few minutes; .ci/run runs it"]
fn runs_killed_at_random_keep_their_guarantees() {
    let started = Instant::now();
    let (port, inbox) = tools::smtp::start();
    let dir = tempfile::tempdir().unwrap();
    let dataset = dir.path().join("data");
    tools::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/china-azerbaijan"),
        &dataset,
    );
    let jobs = jobs_file(dir.path(), &dataset, port);
    let mut rng = Lcg(0x5eed);
    let mut kills = 0;
    for day in 1..=DAYS {
        // 07:30 UTC on consecutive days of May and June 2025: one new firing per run.
        let now = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap()
            + chrono::Days::new(u64::from(day));
        let mut child = Command::new(env!("CARGO_BIN_EXE_bilateral"))
            .arg("run")
            .arg(&jobs)
            .args(["--due", "-j", "3", "--now", &format!("{now}T07:30:00Z")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let last = day == DAYS;
        if !last && rng.below(3) != 0 {
            std::thread::sleep(Duration::from_millis(50 + rng.below(500)));
            if child.try_wait().unwrap().is_none() {
                let _ = Command::new("kill")
                    .args(["-KILL", &child.id().to_string()])
                    .status();
                kills += 1;
            }
        }
        let status = child.wait().unwrap();
        if last {
            assert!(status.success(), "the last run, not killed, succeeds");
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the soak is bounded"
        );
    }
    eprintln!("soak: {DAYS} runs, {kills} killed, {:?}", started.elapsed());
    assert!(kills >= DAYS / 4, "enough runs were killed ({kills})");

    // The state parses, and every job succeeded in the last run.
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join(".bilateral-state/state.json")).unwrap(),
    )
    .expect("the state is JSON");
    let last_day =
        chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap() + chrono::Days::new(u64::from(DAYS));
    for i in 0..JOBS {
        let s = &state["jobs"][format!("job-{i}")];
        assert_eq!(s["last_outcome"], "ok", "job-{i}: {s}");
        assert_eq!(s["last_delivered_as_of"], last_day.to_string(), "job-{i}");
        assert!(s.get("sending").is_none(), "job-{i}: a delivery left open");
        // Its last briefing is complete on disk.
        let stem = dir
            .path()
            .join(format!("shared-{}/job-{i}-{last_day}", i % 3));
        let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
        assert!(
            md.contains("## Sources") && md.ends_with('\n'),
            "job-{i}: partial Markdown"
        );
        let pdf = std::fs::read(stem.with_extension("pdf")).unwrap();
        assert!(
            pdf.starts_with(b"%PDF-")
                && String::from_utf8_lossy(&pdf[pdf.len() - 32..])
                    .trim_end()
                    .ends_with("%%EOF")
        );
    }
    // No temporary file is left anywhere.
    let mut temps = Vec::new();
    temporary_files(dir.path(), &mut temps);
    assert!(temps.is_empty(), "temporary files left: {temps:?}");

    // At least once, with a stable Message-ID per job and day, never shared.
    let messages = inbox.received();
    let mut ids: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut owners: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for (to, raw) in &messages {
        let id = header(raw, "Message-ID");
        let day = id
            .rsplit_once('.')
            .map(|(_, d)| d.trim_end_matches("@bilateral>").to_string())
            .unwrap_or_default();
        let key = (to.join(","), day);
        ids.entry(key.clone()).or_default().insert(id.clone());
        owners.entry(id).or_default().insert(key);
    }
    for (key, set) in &ids {
        assert_eq!(
            set.len(),
            1,
            "{key:?} was sent with different Message-IDs: {set:?}"
        );
    }
    for (id, keys) in &owners {
        assert_eq!(keys.len(), 1, "{id} is shared by {keys:?}");
    }
    for i in 0..JOBS {
        let key = (format!("job-{i}@example.org"), last_day.to_string());
        assert!(
            ids.contains_key(&key),
            "job-{i}'s last briefing never reached the server"
        );
    }
    eprintln!(
        "soak: {} messages, {} distinct (job, day) deliveries",
        messages.len(),
        ids.len()
    );
}
