//! `bilateral man DIR`: the manual pages, one per command, from the same clap definitions as
//! `--help`, so the two cannot drift. Packagers install them (the .deb does); a user reads them
//! with `man -l DIR/bilateral-brief.1`.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::Cli;

/// Writes `bilateral.1` and one page per subcommand (`bilateral-brief.1`,
/// `bilateral-templates-init.1` …) into `dir`; returns the files written.
pub fn write_pages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    let mut root = Cli::command();
    root.build();
    write_tree(&root, "bilateral", dir, &mut written)?;
    Ok(written)
}

fn write_tree(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), String> {
    let page = cmd.clone().name(name.to_string());
    let mut bytes = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("bilateral {}", env!("CARGO_PKG_VERSION")))
        .manual("bilateral manual")
        .render(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    let path = dir.join(format!("{name}.1"));
    bilateral::base::atomic::write_atomic(&path, &bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        write_tree(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
