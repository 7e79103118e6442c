//! The program's conventions, as a user meets them: how much it says on standard error (`-q`,
//! `-v`, `RUST_LOG`), no colour under NO_COLOR, and a manual page for every command.

use std::path::Path;

use assert_cmd::Command;

fn bilateral() -> Command {
    Command::cargo_bin("bilateral").unwrap()
}

/// Standard error of `bilateral ARGS` with `env` set, asserting its exit status.
fn stderr(args: &[&str], env: &[(&str, &str)], ok: bool) -> String {
    let mut cmd = bilateral();
    cmd.args(args).env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.success(), ok, "{args:?}: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// The example dataset without its number register: `check` warns about every commitment.
fn dataset_with_a_warning(dir: &Path) -> String {
    let ds = dir.join("ds");
    std::fs::create_dir_all(ds.join("documents")).unwrap();
    std::fs::create_dir_all(ds.join("sources")).unwrap();
    for f in [
        "dataset.toml",
        "documents/2025-04-joint-statement.toml",
        "sources/trend-2025-04-28-shi-jing.txt",
    ] {
        std::fs::copy(Path::new("examples/china-azerbaijan").join(f), ds.join(f)).unwrap();
    }
    ds.display().to_string()
}

#[test]
fn quiet_and_verbose_govern_standard_error_and_keep_its_wording() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    let brief = |flags: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "brief",
            "examples/china-azerbaijan",
            "--as-of",
            "2025-05-01",
        ];
        args.extend(["--out", out]);
        args.extend(flags);
        stderr(&args, env, true)
    };
    let wrote = format!("wrote {out}/briefing-cn-az-2025-05-01.md\n");
    assert_eq!(brief(&[], &[]), wrote);
    assert_eq!(brief(&["-q"], &[]), "");
    let verbose = brief(&["-v"], &[]);
    assert!(
        verbose.contains("debug: ") && verbose.contains("loaded and checked in"),
        "{verbose}"
    );
    assert!(verbose.ends_with(&wrote), "{verbose}");
    assert!(!verbose.contains("trace: "), "{verbose}");
    // RUST_LOG overrides the flags.
    assert_eq!(brief(&[], &[("RUST_LOG", "error")]), "");
    assert!(brief(&["-q"], &[("RUST_LOG", "debug")]).contains("debug: "));
    // -q and -v together make no sense.
    stderr(
        &["brief", "examples/china-azerbaijan", "-q", "-v"],
        &[],
        false,
    );

    // `check`: -q keeps the problems (warnings too) and drops the summary; -qq keeps errors only.
    let ds = dataset_with_a_warning(tmp.path());
    let all = stderr(&["check", &ds], &[], true);
    assert!(all.starts_with("warning: "), "{all}");
    assert!(all.contains("  = help: run `bilateral number"), "{all}");
    assert_eq!(stderr(&["check", &ds, "-q"], &[], true), all);
    let out = bilateral().args(["check", &ds, "-q"]).output().unwrap();
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(stderr(&["check", "-qq", &ds], &[], true), "");
    let broken = stderr(
        &["-qq", "check", "tests/broken/about-unknown-organisation"],
        &[],
        false,
    );
    assert!(
        broken.starts_with("error: unknown organisation `nato`\n  --> "),
        "{broken}"
    );
}

#[test]
fn no_color_turns_every_colour_off() {
    let coloured = stderr(
        &["brief", "--no-such-flag"],
        &[("CLICOLOR_FORCE", "1")],
        false,
    );
    assert!(
        coloured.contains('\u{1b}'),
        "the check needs a coloured baseline: {coloured:?}"
    );
    for args in [
        &["brief", "--no-such-flag"][..],
        &["check", "tests/broken/about-unknown-organisation"],
    ] {
        let plain = stderr(args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], false);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }
}

#[test]
fn every_command_has_a_manual_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("man");
    let said = stderr(&["man", dir.to_str().unwrap()], &[], true);
    let help = bilateral().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    // Each command `--help` lists has its page, and the page is the same text as its help.
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        // A command's line starts two spaces in; its wrapped description, further.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(
        commands.contains(&"brief") && commands.contains(&"serve"),
        "{help}"
    );
    for c in commands {
        let page = dir.join(format!("bilateral-{c}.1"));
        let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{page:?}: {e}"));
        assert!(text.contains(&format!(".TH bilateral-{c} 1")), "{text}");
        assert!(
            text.contains(&format!("bilateral {}", env!("CARGO_PKG_VERSION"))),
            "{text}"
        );
        assert!(said.contains(&page.display().to_string()), "{said}");
    }
    let brief = std::fs::read_to_string(dir.join("bilateral-brief.1")).unwrap();
    assert!(
        brief.contains("\\-\\-as\\-of") && brief.contains("SOURCE_DATE_EPOCH"),
        "{brief}"
    );
    assert!(dir.join("bilateral.1").is_file() && dir.join("bilateral-templates-init.1").is_file());
}
