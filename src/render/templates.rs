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
/// Images a template folder may hold (a logo), by extension; the PDF draws all but SVG.
pub const IMAGE_EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "gif", "webp", "svg"];
/// The largest image accepted.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

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

/// The words of the helpers: date patterns and the dataset's values (`words.toml`).
pub const WORDS: &str = "words";

/// The files of one language's set, embedded from `templates/<dir>/`.
macro_rules! template_files {
    ($dir:literal) => {
        template_files!(@ $dir;
            "briefing.md.hbs", "header.md.hbs", "bottom-line.md.hbs", "bottom-line-text.md.hbs",
            "deadlines.md.hbs", "changes.md.hbs", "follow-through.md.hbs", "fields.md.hbs",
            "scores.md.hbs", "targets.md.hbs", "figure.md.hbs", "strength-words.md.hbs",
            "commitment.md.hbs", "commitment-ref.md.hbs", "quotes.md.hbs", "quote-by.md.hbs",
            "who.md.hbs", "who-targets.md.hbs", "who-short.md.hbs", "when.md.hbs", "orgs.md.hbs",
            "document-line.md.hbs", "timeline.md.hbs", "reciprocity.md.hbs", "multilateral.md.hbs",
            "lineage.md.hbs", "views.md.hbs", "sources.md.hbs", "email.txt.hbs",
            "email-subject.txt.hbs", "page.html.hbs", "serve-index.html.hbs",
            "serve-archive.html.hbs", "ledger.toml", "words.toml")
    };
    (@ $dir:literal; $($file:literal),*) => {
        &[$(($file, include_str!(concat!("../../templates/", $dir, "/", $file)))),*]
    };
}

/// The default (English) templates: (file name, text).
pub const DEFAULTS: &[(&str, &str)] = template_files!("en");

/// The languages whose templates ship with the program, each a complete set: (tag, files).
pub const LANGUAGES: &[(&str, &[(&str, &str)])] = &[
    ("en", DEFAULTS),
    ("zh-Hans", template_files!("zh-Hans")),
    ("ru", template_files!("ru")),
    ("az", template_files!("az")),
];

/// The shipped set of a language tag, matched without regard to case ("zh-hans").
fn shipped(tag: &str) -> Option<(&'static str, &'static [(&'static str, &'static str)])> {
    LANGUAGES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(tag))
        .copied()
}

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

/// An image in the templates folder (`logo.png`), which a template places with
/// `<!-- pdf:image logo -->`. No image ships: a folder brings its own.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    /// The file name (`logo.png`).
    pub name: String,
    pub bytes: std::sync::Arc<[u8]>,
    /// The file it came from.
    pub origin: Option<PathBuf>,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Image({}, {} bytes)", self.name, self.bytes.len())
    }
}

impl Image {
    /// Whether `name` names this image (see [`names_image`]).
    pub fn is_named(&self, name: &str) -> bool {
        names_image(&self.name, name)
    }

    /// The lower-case extension: the image's format.
    pub fn extension(&self) -> String {
        self.name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// Whether `name` names the image file `file_name`: its file name, or its file name without the
/// extension (`logo` names `logo.png`).
pub fn names_image(file_name: &str, name: &str) -> bool {
    file_name == name
        || file_name
            .rsplit_once('.')
            .is_some_and(|(stem, _)| stem == name)
}

/// Whether a file name is an image's, by its extension.
fn is_image(file_name: &str) -> bool {
    file_name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// A set of templates in one language.
#[derive(Debug, Clone)]
pub struct Templates {
    pub templates: Vec<Template>,
    /// The images of the templates folder, by file name.
    pub images: Vec<Image>,
    /// The reader's language (a BCP 47 tag): the helpers' dates, plurals, lists and numbers.
    pub lang: String,
    /// For a language that does not ship, the templates its folder lacks, taken from English.
    pub fallbacks: Vec<String>,
}

/// A template folder that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateDirError {
    #[error("{path}: cannot read the templates folder: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("{path}: the template is larger than {} KiB", MAX_TEMPLATE_BYTES / 1024)]
    TooLarge { path: PathBuf },
    #[error("{path}: the image is larger than {} MiB; make it smaller (a logo needs no more than 1,000 pixels across)", MAX_IMAGE_BYTES / 1024 / 1024)]
    ImageTooLarge { path: PathBuf },
    #[error("{path}: the template is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error("{path}: exists; pass --force to overwrite")]
    Exists { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("no templates ship for `{tag}` (the shipped languages are {}); give a folder of its templates with --templates DIR", shipped_list())]
    NotShipped { tag: String },
    #[error("{0}")]
    Language(#[from] crate::base::locale::LanguageError),
}

fn shipped_list() -> String {
    LANGUAGES
        .iter()
        .map(|(t, _)| *t)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Default for Templates {
    fn default() -> Self {
        Self::defaults()
    }
}

impl Templates {
    /// The English templates.
    pub fn defaults() -> Self {
        Self::from_files(DEFAULTS, "en")
    }

    /// The templates shipped for `tag`; None for a language that does not ship.
    pub fn shipped(tag: &str) -> Option<Self> {
        shipped(tag).map(|(tag, files)| Self::from_files(files, tag))
    }

    fn from_files(files: &[(&str, &str)], lang: &str) -> Self {
        Self {
            templates: files
                .iter()
                .filter_map(|(file, text)| Template::new(file, text.to_string(), None))
                .collect(),
            images: Vec::new(),
            lang: lang.to_string(),
            fallbacks: Vec::new(),
        }
    }

    /// The templates of the language `tag`: its shipped set, with the files of `dir` (if any)
    /// over it. A language that does not ship needs `dir`; the templates that folder lacks are
    /// the English ones, listed in `fallbacks` for a warning.
    pub fn for_language(tag: &str, dir: Option<&Path>) -> Result<Self, TemplateDirError> {
        crate::base::locale::Language::new(tag)?;
        if let Some(set) = Self::shipped(tag) {
            return match dir {
                Some(dir) => set.overlaid(dir),
                None => Ok(set),
            };
        }
        let dir = dir.ok_or_else(|| TemplateDirError::NotShipped {
            tag: tag.to_string(),
        })?;
        let mut set = Self::defaults().overlaid(dir)?;
        set.lang = tag.to_string();
        set.fallbacks = set
            .templates
            .iter()
            .filter(|t| t.origin.is_none())
            .map(|t| format!("{}{}", t.name, t.kind.extension()))
            .collect();
        Ok(set)
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

    /// Adds an image, or replaces the one of the same file name (`logo.png`); pure, for tests
    /// and callers with images in memory. Returns false for a name without an image's
    /// extension.
    pub fn set_image(&mut self, file_name: &str, bytes: Vec<u8>, origin: Option<PathBuf>) -> bool {
        if !is_image(file_name) {
            return false;
        }
        self.images.retain(|i| i.name != file_name);
        self.images.push(Image {
            name: file_name.to_string(),
            bytes: bytes.into(),
            origin,
        });
        self.images.sort_by(|a, b| a.name.cmp(&b.name));
        true
    }

    /// The image `name` names (`logo` or `logo.png`): the first by file name.
    pub fn image(&self, name: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.is_named(name))
    }

    /// The templates of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Template> {
        self.templates.iter().filter(move |t| t.kind == kind)
    }

    /// The English defaults, with every template file in `dir` replacing the default of the
    /// same name or adding a partial.
    pub fn with_overrides(dir: &Path) -> Result<Self, TemplateDirError> {
        Self::defaults().overlaid(dir)
    }

    /// This set with every template file in `dir` replacing the one of the same name or adding a
    /// partial.
    fn overlaid(mut self, dir: &Path) -> Result<Self, TemplateDirError> {
        let unreadable = |source| TemplateDirError::Unreadable {
            path: dir.to_path_buf(),
            source,
        };
        let set = &mut self;
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
                .filter(|n| Kind::of(n).is_some() || is_image(n))
                .map(str::to_string)
            else {
                continue;
            };
            let image = is_image(&name);
            let limit = if image {
                MAX_IMAGE_BYTES
            } else {
                MAX_TEMPLATE_BYTES
            };
            let Some(bytes) = read_file(&path, limit)? else {
                continue;
            };
            if image {
                set.set_image(&name, bytes, Some(path));
                continue;
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| TemplateDirError::NotText { path: path.clone() })?;
            set.set(&name, text, Some(path));
        }
        Ok(self)
    }
}

/// A regular file's bytes (None for a folder or other non-file), refused above `limit` bytes.
fn read_file(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, TemplateDirError> {
    let unreadable = |source| TemplateDirError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > limit {
        let path = path.to_path_buf();
        return Err(match limit == MAX_IMAGE_BYTES {
            true => TemplateDirError::ImageTooLarge { path },
            false => TemplateDirError::TooLarge { path },
        });
    }
    fs::read(path).map(Some).map_err(unreadable)
}

/// Writes the default (English) templates into `dir` (created if missing); refuses to overwrite
/// unless `force`. Returns the files written.
pub fn write_defaults(dir: &Path, force: bool) -> Result<Vec<PathBuf>, TemplateDirError> {
    write_language(dir, "en", force)
}

/// Writes the templates shipped for `tag` into `dir`, as [`write_defaults`] does.
pub fn write_language(
    dir: &Path,
    tag: &str,
    force: bool,
) -> Result<Vec<PathBuf>, TemplateDirError> {
    let (_, files) = shipped(tag).ok_or_else(|| TemplateDirError::NotShipped {
        tag: tag.to_string(),
    })?;
    fs::create_dir_all(dir).map_err(|source| TemplateDirError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let paths: Vec<PathBuf> = files.iter().map(|(file, _)| dir.join(file)).collect();
    if !force {
        if let Some(p) = paths.iter().find(|p| p.exists()) {
            return Err(TemplateDirError::Exists { path: p.clone() });
        }
    }
    for ((_, text), path) in files.iter().zip(&paths) {
        crate::base::atomic::write_atomic(path, text.as_bytes()).map_err(|source| {
            TemplateDirError::Write {
                path: path.clone(),
                source,
            }
        })?;
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_s_images_come_with_its_templates() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("logo.PNG"), [0x89, b'P']).unwrap();
        fs::write(dir.path().join("notes.txt"), "not a template").unwrap();
        fs::write(dir.path().join(".png"), "no name").unwrap();
        fs::create_dir(dir.path().join("crest.png")).unwrap();
        let set = Templates::with_overrides(dir.path()).unwrap();
        let names: Vec<&str> = set.images.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["logo.PNG"]);
        let logo = set.image("logo").unwrap();
        assert_eq!(
            (&*logo.bytes, logo.extension().as_str()),
            (&[0x89, b'P'][..], "png")
        );
        assert_eq!(logo.origin.as_deref(), Some(&*dir.path().join("logo.PNG")));
        assert!(set.image("logo.PNG").is_some() && set.image("crest").is_none());
        assert!(Templates::defaults().images.is_empty());
    }

    #[test]
    fn an_image_too_large_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logo.png");
        let file = fs::File::create(&path).unwrap();
        file.set_len(MAX_IMAGE_BYTES + 1).unwrap();
        let err = Templates::with_overrides(dir.path()).unwrap_err();
        assert!(
            matches!(err, TemplateDirError::ImageTooLarge { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("logo.png"), "{err}");
    }
}
