//! Hostile input, each case with its expected outcome: no panic, the right exit status, a clear
//! message, no partial output and nothing written outside the output folder. Together with the
//! one-fault datasets in tests/broken/ (tests/check.rs) this is the reliability corpus; the cases
//! here are made at test time because they are large, need links, or touch the environment.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

fn minimal(dir: &Path) -> PathBuf {
    let d = dir.join("data");
    std::fs::create_dir_all(d.join("docs")).unwrap();
    for f in ["dataset.toml", "docs/statement.toml", "docs/later.json"] {
        std::fs::copy(Path::new("tests/fixtures/minimal").join(f), d.join(f)).unwrap();
    }
    d
}

/// Runs `check` and returns (exit code, stderr).
fn check(dataset: &Path) -> (i32, String) {
    let out = bilateral().arg("check").arg(dataset).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

/// Replaces `from` (which must occur) with `to` in a file of the test dataset.
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from}",
        file.display()
    );
    std::fs::write(file, text.replace(from, to)).unwrap();
}

fn expect_error(dataset: &Path, needle: &str) {
    let (code, stderr) = check(dataset);
    assert_eq!(code, 1, "expected exit 1 for `{needle}`:\n{stderr}");
    assert!(stderr.contains(needle), "expected `{needle}` in:\n{stderr}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    let text = std::fs::read(d.join("docs/statement.toml")).unwrap();
    std::fs::write(
        d.join("docs/statement.toml"),
        [b"\xEF\xBB\xBF".as_slice(), &text].concat(),
    )
    .unwrap();
    assert_eq!(check(&d).0, 0);
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    let text = std::fs::read_to_string(d.join("docs/statement.toml")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(d.join("docs/statement.toml"), bytes).unwrap();
    expect_error(&d, "the file is UTF-16");
}

#[test]
fn a_50_mb_file_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    let f = std::fs::File::create(d.join("docs/huge.json")).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    expect_error(&d, "larger than the limit of 8 MiB");
}

#[test]
fn json_nested_10000_deep_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    // Where a value is expected, and as the whole file: serde_json stops at its recursion limit
    // or at the first value of the wrong type, whichever comes first; never a stack overflow.
    let deep = format!("{{\"id\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(d.join("docs/deep.json"), deep).unwrap();
    expect_error(&d, "deep.json:1:7");
    let d = minimal(&dir.path().join("b"));
    let deep = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    std::fs::write(d.join("docs/deep.json"), deep).unwrap();
    expect_error(&d, "deep.json:1:");
}

#[test]
fn toml_nested_deep_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    let deep = format!("id = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(d.join("docs/deep.toml"), deep).unwrap();
    let (code, _) = check(&d);
    assert_eq!(code, 1);
}

#[test]
fn duplicate_keys_in_json_and_toml() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    edit(
        &d.join("docs/later.json"),
        "\"id\": \"later\",",
        "\"id\": \"later\", \"id\": \"again\",",
    );
    expect_error(&d, "duplicate key `id`");
    let d2 = minimal(&dir.path().join("b"));
    edit(
        &d2.join("docs/statement.toml"),
        "kind = ",
        "title = \"again\"\nkind = ",
    );
    expect_error(&d2, "duplicate key");
}

#[test]
fn year_99999_and_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    edit(
        &d.join("docs/later.json"),
        "\"2025-05-10\"",
        "\"99999-05-10\"",
    );
    expect_error(&d, "year 99999 is out of range");

    let d = minimal(&dir.path().join("b"));
    edit(
        &d.join("docs/statement.toml"),
        "title = \"Joint statement\"",
        "title = \"Joint\\u0007statement\"",
    );
    expect_error(&d, "control character U+0007");
}

#[test]
fn emoji_han_and_a_5000_character_word_are_accepted_and_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    let word = "ə".repeat(5000);
    edit(
        &d.join("docs/statement.toml"),
        "summary = \"Azerbaijan supports",
        &format!("summary = \"中国 😀 {word} Azerbaijan supports"),
    );
    assert_eq!(check(&d).0, 0);
    let out = dir.path().join("out");
    let res = bilateral()
        .arg("brief")
        .arg(&d)
        .args(["--as-of", "2025-06-01", "--format", "md,pdf", "--out"])
        .arg(&out)
        // The system's fonts vary (DejaVu Sans has this emoji): only the built-in ones here.
        .arg("--no-system-fonts")
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    // Han prints from the shipped fallback font; the emoji has no built-in font and is reported.
    assert!(
        stderr.contains("warning: document `statement`")
            && stderr.contains("U+1F600 😀")
            && !stderr.contains("U+4E2D"),
        "{stderr}"
    );
    let md = std::fs::read_to_string(out.join("briefing-az-cn-2025-06-01.md")).unwrap();
    assert!(md.contains(&word) && md.contains("中国 😀"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_dataset_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    std::os::unix::fs::symlink("loop-a.toml", d.join("docs/loop-b.toml")).unwrap();
    std::os::unix::fs::symlink("loop-b.toml", d.join("docs/loop-a.toml")).unwrap();
    std::os::unix::fs::symlink("..", d.join("docs/parent")).unwrap();
    expect_error(&d, "cannot read the file");
}

#[test]
fn a_templates_path_that_is_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("templates");
    std::fs::write(&file, "not a folder").unwrap();
    let out = dir.path().join("out");
    let res = bilateral()
        .args(["brief", "examples/china-azerbaijan", "--out"])
        .arg(&out)
        .arg("--templates")
        .arg(&file)
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&res.get_output().stderr)
        .contains("cannot read the templates folder"));
    assert!(!out.exists(), "output was written");
}

#[test]
fn an_unwritable_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the output folder should be: no user (not even root) can write there.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "x").unwrap();
    let res = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--format",
            "md,pdf",
            "--out",
        ])
        .arg(blocker.join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&res.get_output().stderr).to_string();
    assert!(
        stderr.contains("cannot create the output folder"),
        "{stderr}"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["blocker"],
        "something was written beside the output folder"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk() {
    // /dev/full answers every write with ENOSPC.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("bilateral"))
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--format",
            "pdf",
            "-o",
            "-",
        ])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
}

#[test]
fn output_never_leaves_the_output_folder() {
    // File names come only from validated codes and dates: a hostile dataset cannot steer them.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bilateral()
        .args([
            "brief",
            "tests/fixtures/hostile",
            "--as-of",
            "2025-06-01",
            "--format",
            "md,pdf,json",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "briefing-az-cn-2025-06-01.json",
            "briefing-az-cn-2025-06-01.md",
            "briefing-az-cn-2025-06-01.pdf"
        ]
    );
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    top.sort();
    assert_eq!(top, ["out"]);
}

#[test]
fn a_huge_template_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("header.md.hbs"), "x".repeat(2 * 1024 * 1024)).unwrap();
    let res = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "-o",
            "-",
            "--templates",
        ])
        .arg(&tpl)
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&res.get_output().stderr).contains("larger than 1024 KiB"));
}

#[test]
fn a_recursive_template_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("header.md.hbs"), "# x\n{{> header}}\n").unwrap();
    let out = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "-o",
            "-",
            "--templates",
        ])
        .arg(&tpl)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("header.md.hbs"), "{stderr}");
}

/// A named pipe in the dataset (or any file that is not a regular file) is reported at once
/// instead of waiting for a writer for ever.
#[cfg(unix)]
#[test]
fn a_named_pipe_in_the_dataset_is_reported_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    let fifo = d.join("docs/x.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = bilateral()
        .arg("check")
        .arg(&d)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not a regular file") && stderr.contains("x.toml"),
        "{stderr}"
    );
}

/// An as-of date before 1970 cannot be an email's Date: a clear error, no panic, no file.
#[test]
fn an_email_as_of_before_1970_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("b.eml");
    let out = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "1969-12-31",
            "--out",
        ])
        .arg(dir.path())
        .arg("--eml")
        .arg(&eml)
        .args(["--mail-to", "desk@example.org"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("before 1970") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(!eml.exists() && std::fs::read_dir(dir.path()).unwrap().count() == 0);
}

/// Partials that include each other, an inline partial that includes itself, and eight nested
/// loops over the ten fields (10⁸ passes), writing much or little: each is a clear error naming
/// the template, never a stack overflow (which aborts the process), hundreds of megabytes of
/// output or minutes of work.
#[test]
fn runaway_templates_are_errors_not_crashes() {
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("header.md.hbs", "# x\n{{> views}}\n"), ("views.md.hbs", "v\n{{> header}}\n")],
            "partials include each other in a circle (header → views → header)",
        ),
        (
            &[("header.md.hbs", "{{#*inline \"r\"}}x{{> r}}{{/inline}}\n# x {{> r}}\n")],
            "header.md.hbs: partials include each other in a circle (r → r)",
        ),
        (
            &[(
                "header.md.hbs",
                "# x\n{{#each vocabulary.fields}}{{#each ../vocabulary.fields}}{{#each ../../vocabulary.fields}}{{#each ../../../vocabulary.fields}}{{#each ../../../../vocabulary.fields}}{{#each ../../../../../vocabulary.fields}}{{#each ../../../../../../vocabulary.fields}}{{#each ../../../../../../../vocabulary.fields}}0123456789{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}\n",
            )],
            "MiB; a template multiplies its loops",
        ),
        (
            // 10⁸ passes writing one byte in ten: 10 MB, under the byte ceiling, but minutes
            // of work; stopped by the time limit.
            &[(
                "header.md.hbs",
                "# x\n{{#each vocabulary.fields}}{{#each ../vocabulary.fields}}{{#each ../../vocabulary.fields}}{{#each ../../../vocabulary.fields}}{{#each ../../../../vocabulary.fields}}{{#each ../../../../../vocabulary.fields}}{{#each ../../../../../../vocabulary.fields}}{{#each ../../../../../../../vocabulary.fields}}{{#if @first}}x{{/if}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}\n",
            )],
            "took longer than 5 s; a template multiplies its loops",
        ),
    ];
    for (files, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let out = bilateral()
            .args([
                "brief",
                "examples/china-azerbaijan",
                "--as-of",
                "2025-05-01",
                "-o",
                "-",
                "--templates",
            ])
            .arg(dir.path())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{want}: {stderr}");
        assert!(stderr.contains(want), "{want}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

/// A link to a file outside the dataset (here /etc/passwd) is refused without reading it, and a
/// link inside the dataset still works.
#[cfg(unix)]
#[test]
fn a_link_out_of_the_dataset_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let ds = minimal(dir.path());
    let docs = ds.join("docs");
    std::os::unix::fs::symlink("/etc/passwd", docs.join("passwd.toml")).unwrap();
    let (code, stderr) = check(&ds);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("a link to a file outside the dataset folder"),
        "{stderr}"
    );
    assert!(!stderr.contains("root:"), "the file was read: {stderr}");
    std::fs::remove_file(docs.join("passwd.toml")).unwrap();
    // Inside the dataset a link is fine.
    std::fs::create_dir_all(ds.join("store")).unwrap();
    std::fs::rename(
        ds.join("docs/statement.toml"),
        ds.join("store/statement.data"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        ds.join("store/statement.data"),
        ds.join("docs/statement.toml"),
    )
    .unwrap();
    let (code, stderr) = check(&ds);
    assert_eq!(code, 0, "{stderr}");
}

/// A file name with an escape sequence and a line break cannot forge lines in the report: the
/// name is printed with its control characters replaced.
#[test]
fn control_characters_in_file_names_are_not_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let ds = minimal(dir.path());
    let name = "x\u{1b}[31m\nerror: forged.toml";
    std::fs::write(ds.join(name), "id = ").unwrap();
    let (code, stderr) = check(&ds);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        !stderr.lines().any(|l| l.starts_with("error: forged")),
        "{stderr}"
    );
    assert!(stderr.contains("x?[31m?error: forged.toml"), "{stderr}");
}

/// A NUL byte is located by line and column, like every other error.
#[test]
fn a_nul_byte_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let ds = minimal(dir.path());
    std::fs::write(ds.join("doc.toml"), b"id = \"a\"\ntitle = \"b\0c\"\n").unwrap();
    let (code, stderr) = check(&ds);
    assert_eq!(code, 1);
    assert!(stderr.contains("a NUL byte"), "{stderr}");
    assert!(stderr.contains("doc.toml:2:11"), "{stderr}");
}

/// A read-only file is not replaced by `-o` (as root a rename would replace it all the same).
#[test]
fn a_read_only_output_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("keep.md");
    std::fs::write(&target, "mine\n").unwrap();
    let mut perms = std::fs::metadata(&target).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&target, perms).unwrap();
    let out = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
            "-o",
        ])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine\n");
}

/// An as-of date far outside the years a briefing can carry, and control characters in the
/// PDF's author, are usage errors naming the flag.
#[test]
fn out_of_range_dates_and_control_characters_in_flags_are_refused() {
    for (args, want) in [
        (vec!["--as-of", "0099-01-01"], "outside the years 1800–2200"),
        (vec!["--as-of", "9999-12-31"], "outside the years 1800–2200"),
        (
            vec!["--author", "Desk\u{1b}[2J"],
            "control character U+001B",
        ),
        (vec!["--author", "a\nb"], "control character U+000A"),
    ] {
        let out = bilateral()
            .args(["brief", "examples/china-azerbaijan", "-o", "-"])
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
    let out = bilateral()
        .args(["brief", "examples/china-azerbaijan", "-o", "-"])
        .env("SOURCE_DATE_EPOCH", "-99999999999")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
}

/// `--eml` goes through the checks of `-o`: a link, a named pipe, a read-only file and (as root)
/// a device node are refused and left as they were; `--eml -` writes the message to standard
/// output, not to a file named `-`.
#[test]
fn eml_refuses_what_o_refuses_and_dash_is_standard_output() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("real.eml"), "mine\n").unwrap();
    std::os::unix::fs::symlink(d.join("real.eml"), d.join("link.eml")).unwrap();
    let made = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(made("mkfifo", &[d.join("pipe.eml").to_str().unwrap()]));
    std::fs::write(d.join("ro.eml"), "mine\n").unwrap();
    let mut perms = std::fs::metadata(d.join("ro.eml")).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(d.join("ro.eml"), perms).unwrap();
    let mut targets = vec!["link.eml", "pipe.eml", "ro.eml"];
    // Only root can make a device node; as root this is the case that replaced /dev/null.
    if made(
        "mknod",
        &[
            "-m",
            "666",
            d.join("null.eml").to_str().unwrap(),
            "c",
            "1",
            "3",
        ],
    ) {
        targets.push("null.eml");
    }
    for name in &targets {
        let before = std::fs::symlink_metadata(d.join(name)).unwrap().file_type();
        let out = bilateral()
            .args([
                "brief",
                "examples/china-azerbaijan",
                "--as-of",
                "2025-05-01",
            ])
            .args(["--format", "md", "--out"])
            .arg(d.join("out"))
            .arg("--eml")
            .arg(d.join(name))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
        let after = std::fs::symlink_metadata(d.join(name)).unwrap().file_type();
        assert_eq!(
            (
                before.is_symlink(),
                before.is_fifo(),
                before.is_char_device()
            ),
            (after.is_symlink(), after.is_fifo(), after.is_char_device()),
            "{name} was replaced"
        );
    }
    assert_eq!(
        std::fs::read_to_string(d.join("real.eml")).unwrap(),
        "mine\n"
    );
    assert_eq!(std::fs::read_to_string(d.join("ro.eml")).unwrap(), "mine\n");

    let out = bilateral()
        .current_dir(d)
        .args(["brief"])
        .arg(
            std::env::current_dir()
                .unwrap()
                .join("examples/china-azerbaijan"),
        )
        .args([
            "--as-of",
            "2025-05-01",
            "--format",
            "md",
            "--out",
            "out",
            "--eml",
            "-",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("MIME-Version: 1.0"), "{stdout:.300}");
    assert!(stdout.contains("application/pdf"), "{stdout:.300}");
    assert!(!d.join("-").exists());
    assert!(d.join("out").read_dir().unwrap().count() > 0);

    let out = bilateral()
        .args([
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ])
        .args(["--format", "md", "-o", "-", "--eml", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("both write to standard output"));
}

/// Nothing in the dataset folder drops records unnoticed: `Later.JSON` is read like
/// `later.json`, a folder nine deep is an error, and a link to a folder (whatever its name) is
/// skipped with a warning.
#[test]
fn upper_case_extensions_deep_folders_and_folder_links_are_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    let d = minimal(dir.path());
    std::fs::rename(d.join("docs/later.json"), d.join("docs/Later.JSON")).unwrap();
    let out = bilateral().arg("check").arg(&d).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let all = String::from_utf8_lossy(&out.stdout).to_string() + &stderr;
    assert!(all.contains("2 documents"), "{all}");

    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, d.join("docs/more")).unwrap();
    let (code, stderr) = check(&d);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("a link to a folder is not followed"),
        "{stderr}"
    );
    assert!(stderr.contains("more"), "{stderr}");

    let deep = d.join("a/b/c/d/e/f/g/h/i");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(d.join("docs/statement.toml"), deep.join("x.toml")).unwrap();
    expect_error(&d, "more than 8 folders deep");
}
