//! The templates: the one source of the briefing's words and order, for every format.
//!
//! As in mdBook's themes, defaults are embedded in the binary and a user folder need hold only
//! the files it changes; every other template comes from the defaults, so the tool works from any
//! folder. `write_defaults` writes the defaults out as a starting point for editing.
//!
//! Four kinds, by file name: `NAME.md.hbs` render the Markdown briefing (from which the PDF and
//! HTML are laid out), `NAME.txt.hbs` plain text (the email body and subject; they may include the
//! Markdown partials, rendered without Markdown escaping), `page.html.hbs` the HTML page around
//! the briefing, and `ledger.toml` the words of the ledger spreadsheet (sheet names, headings). A partial of a single line is inline: its final line break is dropped, so
//! `{{> who}}` can sit in the middle of a sentence.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The main template's name; the others are partials, included as `{{> name}}`.
pub const MAIN: &str = "briefing";
/// Template file names end in one of these.
pub const EXTENSIONS: [&str; 4] = [".md.hbs", ".txt.hbs", ".html.hbs", ".toml"];
/// The largest template file accepted.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The plain-text email body and subject.
pub const EMAIL_BODY: &str = "email";
pub const EMAIL_SUBJECT: &str = "email-subject";
/// The HTML page around the briefing.
pub const PAGE: &str = "page";
/// The pages of `bilateral serve`: the list of datasets with a form each, and the archive.
pub const SERVE_INDEX: &str = "serve-index";
pub const SERVE_ARCHIVE: &str = "serve-archive";
/// The words of the ledger spreadsheet (`ledger.toml`).
pub const LEDGER: &str = "ledger";

macro_rules! defaults {
    ($($name:literal . $ext:literal),* ; $($file:literal),* $(,)?) => {
        /// Default templates: (file name, text).
        pub const DEFAULTS: &[(&str, &str)] = &[
            $((concat!($name, ".", $ext, ".hbs"), include_str!(concat!("../../templates/", $name, ".", $ext, ".hbs")))),*,
            $(($file, include_str!(concat!("../../templates/", $file)))),*
        ];
    };
}

defaults!(
    "briefing"."md",
    "header"."md",
    "bottom-line"."md",
    "bottom-line-text"."md",
    "deadlines"."md",
    "changes"."md",
    "follow-through"."md",
    "fields"."md",
    "scores"."md",
    "targets"."md",
    "figure"."md",
    "strength-words"."md",
    "commitment"."md",
    "commitment-ref"."md",
    "quotes"."md",
    "quote-by"."md",
    "who"."md",
    "who-targets"."md",
    "who-short"."md",
    "when"."md",
    "orgs"."md",
    "document-line"."md",
    "timeline"."md",
    "reciprocity"."md",
    "multilateral"."md",
    "lineage"."md",
    "views"."md",
    "sources"."md",
    "email"."txt",
    "email-subject"."txt",
    "page"."html",
    "serve-index"."html",
    "serve-archive"."html";
    "ledger.toml",
);

/// What a template renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Markdown,
    Text,
    Html,
    /// Words outside any template: the ledger spreadsheet's headings (TOML).
    Words,
}

impl Kind {
    fn of(file_name: &str) -> Option<(Kind, &str)> {
        let kinds = [Kind::Markdown, Kind::Text, Kind::Html, Kind::Words];
        EXTENSIONS
            .iter()
            .zip(kinds)
            .find_map(|(ext, kind)| Some((kind, file_name.strip_suffix(ext)?)))
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Markdown => EXTENSIONS[0],
            Kind::Text => EXTENSIONS[1],
            Kind::Html => EXTENSIONS[2],
            Kind::Words => EXTENSIONS[3],
        }
    }
}

/// One template: its name (the file name without its extension), kind, text, and the file it
/// came from (None for a default).
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub kind: Kind,
    pub text: String,
    pub origin: Option<PathBuf>,
}

impl Template {
    fn new(file_name: &str, text: String, origin: Option<PathBuf>) -> Option<Self> {
        let (kind, name) = Kind::of(file_name)?;
        // A one-line partial is inline: drop its final line break.
        let text = match text.strip_suffix('\n') {
            Some(line) if name != MAIN && kind != Kind::Words && !line.contains('\n') => {
                line.to_string()
            }
            _ => text,
        };
        Some(Self {
            name: name.to_string(),
            kind,
            text,
            origin,
        })
    }

    /// The name to show in messages: the user's file, or the default's file name.
    pub fn display_name(&self) -> String {
        match &self.origin {
            Some(p) => p.display().to_string(),
            None => format!("{}{} (built in)", self.name, self.kind.extension()),
        }
    }
}

/// A set of templates.
#[derive(Debug, Clone)]
pub struct Templates {
    pub templates: Vec<Template>,
}

/// A template folder that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateDirError {
    #[error("{path}: cannot read the templates folder: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("{path}: the template is larger than {} KiB", MAX_TEMPLATE_BYTES / 1024)]
    TooLarge { path: PathBuf },
    #[error("{path}: the template is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error("{path}: exists; pass --force to overwrite")]
    Exists { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Write { path: PathBuf, source: io::Error },
}

impl Default for Templates {
    fn default() -> Self {
        Self::defaults()
    }
}

impl Templates {
    pub fn defaults() -> Self {
        Self {
            templates: DEFAULTS
                .iter()
                .filter_map(|(file, text)| Template::new(file, text.to_string(), None))
                .collect(),
        }
    }

    /// Replaces or adds a template by file name (`fields.md.hbs`); pure, for tests and callers
    /// with templates in memory. Returns false for a name that is not a template's.
    pub fn set(&mut self, file_name: &str, text: String, origin: Option<PathBuf>) -> bool {
        let Some(t) = Template::new(file_name, text, origin) else {
            return false;
        };
        match self
            .templates
            .iter_mut()
            .find(|x| x.name == t.name && x.kind == t.kind)
        {
            Some(x) => *x = t,
            None => self.templates.push(t),
        }
        true
    }

    /// The templates of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Template> {
        self.templates.iter().filter(move |t| t.kind == kind)
    }

    /// The defaults, with every template file in `dir` replacing the default of the same name or
    /// adding a partial.
    pub fn with_overrides(dir: &Path) -> Result<Self, TemplateDirError> {
        let unreadable = |source| TemplateDirError::Unreadable {
            path: dir.to_path_buf(),
            source,
        };
        let mut set = Self::defaults();
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(unreadable)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(unreadable)?;
        entries.sort();
        for path in entries {
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| Kind::of(n).is_some())
                .map(str::to_string)
            else {
                continue;
            };
            let meta = fs::metadata(&path).map_err(|source| TemplateDirError::Unreadable {
                path: path.clone(),
                source,
            })?;
            if !meta.is_file() {
                continue;
            }
            if meta.len() > MAX_TEMPLATE_BYTES {
                return Err(TemplateDirError::TooLarge { path });
            }
            let bytes = fs::read(&path).map_err(|source| TemplateDirError::Unreadable {
                path: path.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| TemplateDirError::NotText { path: path.clone() })?;
            set.set(&name, text, Some(path));
        }
        Ok(set)
    }
}

/// Writes the default templates into `dir` (created if missing); refuses to overwrite unless `force`.
/// Returns the files written.
pub fn write_defaults(dir: &Path, force: bool) -> Result<Vec<PathBuf>, TemplateDirError> {
    fs::create_dir_all(dir).map_err(|source| TemplateDirError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let paths: Vec<PathBuf> = DEFAULTS.iter().map(|(file, _)| dir.join(file)).collect();
    if !force {
        if let Some(p) = paths.iter().find(|p| p.exists()) {
            return Err(TemplateDirError::Exists { path: p.clone() });
        }
    }
    for ((_, text), path) in DEFAULTS.iter().zip(&paths) {
        crate::base::atomic::write_atomic(path, text.as_bytes()).map_err(|source| {
            TemplateDirError::Write {
                path: path.clone(),
                source,
            }
        })?;
    }
    Ok(paths)
}
