//! Reading a dataset folder: files → text → typed values with their spans.
//!
//! The pure half (`parse`, `parse_files`) takes text and never touches the disk, so tests and the
//! fuzzer drive it directly; `load` is the thin I/O layer on top. Every unreadable, oversized,
//! binary or malformed file becomes a diagnostic and the walk goes on, so one run reports every
//! problem in the folder.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::dataset::archives::{Archives, SOURCES_DIR};
use crate::dataset::check;
use crate::dataset::format::Document;
use crate::dataset::numbers::{self, Register};
pub use crate::dataset::parse::SourceText;
use crate::dataset::parse::{parse_document, parse_manifest, Format, Parsed};
use crate::dataset::Dataset;

/// The most bytes one file may hold. Hand-written statements are a few kilobytes; this ceiling
/// keeps a stray dump or a hostile file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The most document files one dataset may hold.
pub const MAX_DOCUMENTS: usize = 200_000;
/// How deep the folder walk goes below the dataset root.
pub const MAX_DEPTH: usize = 8;

/// The manifest's file names, in the order they are looked for.
pub const MANIFEST_NAMES: [&str; 2] = ["dataset.toml", "dataset.json"];

/// What loading gave: the dataset if it is sound, and every diagnostic (warnings too).
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Option<Dataset>,
    pub diagnostics: Diagnostics,
}

/// Parses and validates a dataset from texts already in memory.
pub fn parse_files(manifest: SourceText, documents: Vec<SourceText>) -> Loaded {
    let mut loaded = check_parsed(manifest, parse_all(documents), &Archives::none());
    number(&mut loaded, Ok(None));
    loaded
}

/// [`parse_files`] with a number register (the text of `numbers.toml`).
pub fn parse_files_numbered(
    manifest: SourceText,
    documents: Vec<SourceText>,
    register: SourceText,
) -> Loaded {
    let mut loaded = check_parsed(manifest, parse_all(documents), &Archives::none());
    number(&mut loaded, numbers::parse(&register).map(Some));
    loaded
}

/// [`parse_files`] with the archived texts its sources point at, so that archives are checked
/// and quotes verified (see [`Archives::from_bytes`]).
pub fn parse_files_archived(
    manifest: SourceText,
    documents: Vec<SourceText>,
    archives: &Archives,
) -> Loaded {
    let mut loaded = check_parsed(manifest, parse_all(documents), archives);
    number(&mut loaded, Ok(None));
    loaded
}

/// Numbers the loaded dataset's commitments from its register (without one, all
/// provisionally); a register that cannot be read is reported, and leaves no dataset.
fn number(loaded: &mut Loaded, register: Result<Option<Register>, Vec<Diagnostic>>) {
    match register {
        Ok(register) => {
            if let Some(ds) = &mut loaded.dataset {
                ds.apply_numbers(&register.unwrap_or_default());
            }
        }
        Err(problems) => {
            loaded.diagnostics.extend(problems);
            loaded.dataset = None;
        }
    }
}

/// Checks parsed documents against the manifest.
fn check_parsed(
    manifest: SourceText,
    documents: Vec<Result<Parsed<Document>, Vec<Diagnostic>>>,
    archives: &Archives,
) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let manifest = match parse_manifest(manifest) {
        Ok(m) => Some(m),
        Err(ds) => {
            diagnostics.extend(ds);
            None
        }
    };
    let mut parsed = Vec::with_capacity(documents.len());
    for result in documents {
        match result {
            Ok(p) => parsed.push(p),
            Err(ds) => diagnostics.extend(ds),
        }
    }
    let dataset = match manifest {
        Some(m) => check::check(m, parsed, archives, &mut diagnostics),
        None => None,
    };
    let dataset = if diagnostics.has_errors() {
        None
    } else {
        dataset
    };
    Loaded {
        dataset,
        diagnostics,
    }
}

/// Parses documents on every core, results in input order (so diagnostics keep their order).
/// Files are independent until validation, and parsing is most of the cost of loading.
fn parse_all(documents: Vec<SourceText>) -> Vec<Result<Parsed<Document>, Vec<Diagnostic>>> {
    crate::base::parallel::map(documents, parse_document)
}

/// Reads a dataset folder and validates it.
pub fn load(dir: &Path) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let fail = |diagnostics: Diagnostics| Loaded {
        dataset: None,
        diagnostics,
    };
    if let Err(d) = is_folder(dir) {
        diagnostics.push(d);
        return fail(diagnostics);
    }
    let manifests: Vec<PathBuf> = MANIFEST_NAMES
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.exists())
        .collect();
    let manifest_path = manifest_path(dir, &manifests, &mut diagnostics);
    let Some(documents) = read_documents(dir, &manifests, &mut diagnostics) else {
        return fail(diagnostics);
    };
    let Some(manifest_path) = manifest_path else {
        // The documents are still parsed, so their own problems are reported in the same run.
        for ds in documents.into_iter().filter_map(Result::err) {
            diagnostics.extend(ds);
        }
        diagnostics.sort();
        return fail(diagnostics);
    };
    let manifest = match read_text(&manifest_path) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            return fail(diagnostics);
        }
    };
    // The register is read and parsed beside the checking of the documents (and the reading of
    // the archives their sources name).
    let (register, mut loaded) = crate::base::parallel::join(
        || numbers::read(dir),
        || {
            let archives = Archives::read(dir, &documents);
            check_parsed(manifest, documents, &archives)
        },
    );
    number(&mut loaded, register);
    diagnostics.extend(loaded.diagnostics.0);
    diagnostics.sort();
    if diagnostics.has_errors() {
        loaded.dataset = None;
    }
    loaded.diagnostics = diagnostics;
    loaded
}

fn is_folder(dir: &Path) -> Result<(), Diagnostic> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Diagnostic::error(dir, "not a folder")
            .help("give the dataset's folder, the one holding dataset.toml")),
        Err(e) => Err(Diagnostic::error(
            dir,
            format!("cannot open the dataset folder: {e}"),
        )),
    }
}

/// The manifest to read, reporting none or two.
fn manifest_path(
    dir: &Path,
    manifests: &[PathBuf],
    diagnostics: &mut Diagnostics,
) -> Option<PathBuf> {
    match manifests {
        [] => {
            diagnostics.push(
                Diagnostic::error(dir, "no manifest: this folder has no dataset.toml (or dataset.json)")
                    .help("create dataset.toml naming the two parties; docs/format.md has a complete example"),
            );
            None
        }
        [one] => Some(one.clone()),
        [first, ..] => {
            diagnostics.push(
                Diagnostic::error(
                    dir,
                    "two manifests: both dataset.toml and dataset.json exist",
                )
                .help("keep one of them"),
            );
            Some(first.clone())
        }
    }
}

/// Every document file below `dir`, read and parsed on every core, in path order; None past the
/// file limit. Each file's text is let go once it has parsed (it is read again only for a
/// diagnostic), so the texts of a large dataset are never all in memory at once.
#[allow(clippy::type_complexity)]
fn read_documents(
    dir: &Path,
    manifests: &[PathBuf],
    diagnostics: &mut Diagnostics,
) -> Option<Vec<Result<Parsed<Document>, Vec<Diagnostic>>>> {
    let mut files = Vec::new();
    let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    walk(dir, &root, 0, &mut files, diagnostics);
    files.sort();
    if files.len() > MAX_DOCUMENTS {
        diagnostics.push(
            Diagnostic::error(
                dir,
                format!(
                    "{} document files; the limit is {MAX_DOCUMENTS}",
                    files.len()
                ),
            )
            .help("split the dataset by period or by pair"),
        );
        return None;
    }
    let register = dir.join(numbers::REGISTER_NAME);
    files.retain(|f| !manifests.contains(f) && *f != register);
    let reread = |path: &Path| read_text(path).ok().map(|t| t.text);
    Some(crate::base::parallel::map_io(files, |f| {
        let mut parsed = parse_document(read_text(&f).map_err(|d| vec![d])?)?;
        parsed.release_text(reread);
        Ok(parsed)
    }))
}

/// Folders of a dataset that hold no documents: archived articles, and the drafter's
/// dictionaries.
pub const RESERVED_DIRS: [&str; 2] = [SOURCES_DIR, "dictionaries"];

/// Collects `*.toml` and `*.json` below `dir` (but not in [`RESERVED_DIRS`]), skipping hidden entries and never following a
/// link to a folder (so a link loop cannot trap the walk) or a link to a file outside `root`, the
/// dataset folder (which would read, and quote in errors, any file the user can read).
fn walk(
    dir: &Path,
    root: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    diagnostics: &mut Diagnostics,
) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                dir,
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    dir,
                    format!("cannot read the folder: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            diagnostics.push(Diagnostic::warning(
                &path,
                "skipped: a link to a folder is not followed (move or copy the folder in)",
            ));
            continue;
        }
        if ft.is_dir() {
            if depth == 0 && RESERVED_DIRS.contains(&name.to_string_lossy().as_ref()) {
                continue;
            }
            if depth + 1 >= MAX_DEPTH {
                // An error, not a warning: its records would be missing from every briefing.
                diagnostics.push(
                    Diagnostic::error(
                        &path,
                        format!("not read: more than {MAX_DEPTH} folders deep"),
                    )
                    .help("move its files into a folder nearer the dataset's top"),
                );
            } else {
                walk(&path, root, depth + 1, out, diagnostics);
            }
        } else if Format::from_path(&path).is_some() {
            // (A link that does not resolve is left to reading, which reports it.)
            if ft.is_symlink() && fs::canonicalize(&path).is_ok_and(|t| !t.starts_with(root)) {
                diagnostics.push(
                    Diagnostic::error(
                        &path,
                        "a link to a file outside the dataset folder; not read",
                    )
                    .help(
                        "copy the file into the dataset folder (a link may point only inside it)",
                    ),
                );
                continue;
            }
            out.push(path);
        }
    }
}

/// Reads a file as UTF-8 text, refusing what cannot be a statement file: too large, binary, or
/// not UTF-8. A leading byte-order mark is dropped.
pub fn read_text(path: &Path) -> Result<SourceText, Diagnostic> {
    // Only regular files: opening a named pipe would wait for a writer for ever, a device could
    // stream without end.
    if let Ok(m) = fs::metadata(path) {
        if !m.is_file() {
            return Err(Diagnostic::error(
                path,
                "not a regular file (a pipe, a device, a socket or a folder)",
            )
            .help("remove it from the dataset folder, or replace it with the file it stands for"));
        }
    }
    let file = fs::File::open(path).map_err(|e| {
        Diagnostic::error(path, format!("cannot read the file: {e}")).help(match e.kind() {
            std::io::ErrorKind::PermissionDenied => "make the file readable (chmod +r)",
            _ => "check that the file exists and is a regular file",
        })
    })?;
    // Sized from the metadata, so a file is one read, not a series of growing ones.
    let hint = file
        .metadata()
        .map_or(0, |m| m.len().min(MAX_FILE_BYTES) as usize);
    let mut bytes = Vec::with_capacity(hint + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(path, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            format!("the file is larger than the limit of {} MiB", MAX_FILE_BYTES / 1024 / 1024),
        )
        .help("one file holds one source document; split larger collections into one file per document"));
    }
    text_from_bytes(path, bytes)
}

/// Turns bytes into text with the same checks as `read_text`; pure, for tests and fuzzing.
pub fn text_from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(path, "the file is UTF-16; statement files are UTF-8")
                .help("save the file as UTF-8"),
        );
    }
    // `contains` finds a byte with memchr; `position` (for the message) runs only when it does.
    if let Some(pos) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        // Located by line and column like every other error (the text before it, made valid).
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let offset = String::from_utf8_lossy(&bytes[..pos]).len();
        return Err(Diagnostic::error(
            path,
            format!("binary data: a NUL byte (byte {pos} of the file)"),
        )
        .at_span(&text, offset..offset + 1)
        .help("statement files are UTF-8 text (TOML or JSON)"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText {
            path: path.to_path_buf(),
            text,
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            let offset = prefix.len();
            Err(
                Diagnostic::error(path, format!("invalid UTF-8 (byte {valid} of the file)"))
                    .at_span(&text, offset..offset + 1)
                    .help("save the file as UTF-8"),
            )
        }
    }
}
