//! The Markdown templates: defaults embedded in the binary, overridable file by file.
//!
//! As in mdBook's themes, a user folder need hold only the files it changes; every other template
//! comes from the defaults compiled in, so the tool works from any folder. `write_defaults` writes
//! the defaults out as a starting point for editing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The main template's name; the others are partials, included as `{{> name}}`.
pub const MAIN: &str = "briefing";
/// Template files end in this.
pub const EXTENSION: &str = ".md.hbs";
/// The largest template file accepted.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

macro_rules! defaults {
    ($($name:literal),* $(,)?) => {
        /// Default templates: (name, text).
        pub const DEFAULTS: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../templates/", $name, ".md.hbs")))),*
        ];
    };
}

defaults!(
    "briefing",
    "header",
    "bottom-line",
    "changes",
    "fields",
    "commitment",
    "timeline",
    "reciprocity",
    "multilateral",
    "lineage",
    "views",
    "sources",
);

/// One template: its name, text, and the file it came from (None for a default).
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub text: String,
    pub origin: Option<PathBuf>,
}

impl Template {
    /// The name to show in messages: the user's file, or the default's file name.
    pub fn display_name(&self) -> String {
        match &self.origin {
            Some(p) => p.display().to_string(),
            None => format!("{}{EXTENSION} (built in)", self.name),
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
                .map(|(name, text)| Template {
                    name: name.to_string(),
                    text: text.to_string(),
                    origin: None,
                })
                .collect(),
        }
    }

    /// Replaces or adds a template (pure: for tests and callers with templates in memory).
    pub fn set(&mut self, name: &str, text: String, origin: Option<PathBuf>) {
        let t = Template {
            name: name.to_string(),
            text,
            origin,
        };
        match self.templates.iter_mut().find(|x| x.name == name) {
            Some(x) => *x = t,
            None => self.templates.push(t),
        }
    }

    /// The defaults, with every `*.md.hbs` in `dir` replacing the default of the same name or
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
                .and_then(|n| n.strip_suffix(EXTENSION))
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
    let paths: Vec<PathBuf> = DEFAULTS
        .iter()
        .map(|(name, _)| dir.join(format!("{name}{EXTENSION}")))
        .collect();
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
