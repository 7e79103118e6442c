//! One entry point from a checked dataset to rendered, named outputs: what `brief`, scheduled
//! jobs and any other client (a web service, a notebook) call, so none of them holds a copy of
//! the orchestration.
//!
//! A [`Publisher`] holds the compiled templates (compile once, publish many); a
//! [`BriefingRequest`] says what to publish: the as-of date, the scope, the formats, and the PDF's
//! paper, fonts and author. Outputs are named here and only here (`briefing-cn-az-2025-05-01.pdf`),
//! and [`write_all`] writes a set of them all or nothing.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::briefing::aggregate::{aggregate, Detail, FilterError, Options};
use crate::briefing::model::Briefing;
use crate::dataset::Dataset;
#[cfg(feature = "email")]
use crate::email::{self, Addressing, EmailError, FileAttachment};
use crate::render::engine::{TemplateEngine, TemplateError};
use crate::render::ledger::CsvOptions;
use crate::render::pdf::fonts::{self, Fallback, FontSet};
use crate::render::pdf::{Paper, PdfOptions, PdfStandard};
use crate::render::templates::Templates;
use crate::render::{render_all, Format, RenderError, RenderOptions, Rendered};

/// What to publish.
#[derive(Debug, Clone)]
pub struct BriefingRequest {
    pub as_of: NaiveDate,
    /// Period, filters and detail.
    pub scope: Options,
    /// In this order; each at most once.
    pub formats: Vec<Format>,
    pub paper: Paper,
    /// The standards the PDF meets: PDF/UA-1 by default, PDF/A-2 on request.
    pub pdf_standard: PdfStandard,
    pub fonts: FontSet,
    /// The PDF's author. Default: the generator.
    pub author: Option<String>,
    /// Fonts for characters the family lacks: the built-in ones, then any given.
    pub fallbacks: Vec<Fallback>,
    /// Look for characters no given font has in the system's fonts.
    pub system_fonts: bool,
    /// The CSV's sheet and byte-order mark.
    pub csv: CsvOptions,
    /// Build the ledger's rows even when no format needs them: for an email that attaches the
    /// workbook (`formats` with xlsx or csv build them anyway).
    pub table: bool,
}

impl BriefingRequest {
    /// A full briefing in Markdown on A4 with the built-in fonts.
    pub fn new(as_of: NaiveDate) -> Self {
        Self {
            as_of,
            scope: Options::default(),
            formats: vec![Format::Markdown],
            paper: Paper::A4,
            pdf_standard: PdfStandard::default(),
            fonts: FontSet::embedded(),
            author: None,
            fallbacks: Fallback::embedded(),
            system_fonts: true,
            csv: CsvOptions::default(),
            table: false,
        }
    }

    pub fn formats(mut self, formats: Vec<Format>) -> Self {
        self.formats = formats;
        self
    }

    pub fn scope(mut self, scope: Options) -> Self {
        self.scope = scope;
        self
    }

    pub fn detail(mut self, detail: Detail) -> Self {
        self.scope.detail = detail;
        self
    }

    /// The fonts of a `--fonts-dir` folder: its family replaces the built-in one, its single
    /// fonts are fallbacks after the built-in ones.
    pub fn fonts_dir(mut self, dir: &Path) -> Result<Self, fonts::FontError> {
        let (family, singles) = fonts::user_fonts(dir)?;
        if let Some(f) = family {
            self.fonts = f;
        }
        self.fallbacks.extend(singles);
        Ok(self)
    }

    fn render_options(&self) -> RenderOptions {
        RenderOptions {
            pdf: PdfOptions {
                paper: self.paper,
                author: self.author.clone(),
                fonts: self.fonts.clone(),
                fallbacks: self.fallbacks.clone(),
                system_fonts: self.system_fonts,
                subset: true,
                standard: self.pdf_standard,
            },
            csv: self.csv,
        }
    }

    /// The formats, each once, in the order first given.
    fn unique_formats(&self) -> Vec<Format> {
        let mut out: Vec<Format> = Vec::with_capacity(self.formats.len());
        for f in &self.formats {
            if !out.contains(f) {
                out.push(*f);
            }
        }
        out
    }
}

/// A rendered output with its file name.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// A published briefing: the model and its outputs, in the order requested.
#[derive(Debug, Clone)]
pub struct Publication {
    pub briefing: Briefing,
    pub outputs: Vec<Output>,
    /// What the briefing shows untranslated, when it is in another language than the dataset.
    pub untranslated: Option<String>,
}

impl Publication {
    pub fn output(&self, format: Format) -> Option<&Output> {
        self.outputs.iter().find(|o| o.format == format)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &String> {
        self.untranslated
            .iter()
            .chain(self.outputs.iter().flat_map(|o| &o.warnings))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[cfg(feature = "email")]
    #[error(transparent)]
    Email(#[from] EmailError),
}

/// The warning for what a briefing in another language shows in the original; None when
/// everything is translated.
fn untranslated_warning(b: &Briefing, lang: &str) -> Option<String> {
    let u = &b.header.untranslated;
    if u.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if u.texts > 0 {
        parts.push(format!(
            "{} record(s) have no `{lang}` translation",
            u.texts
        ));
    }
    if !u.names.is_empty() {
        parts.push(format!("no `{lang}` name for {}", u.names.join(", ")));
    }
    Some(format!(
        "{}; the briefing shows them in the dataset's own language (add `translations.{lang}` to the records and `names` in the manifest)",
        parts.join("; ")
    ))
}

/// Compiled templates, ready to publish any number of briefings.
pub struct Publisher {
    engine: TemplateEngine,
}

impl Publisher {
    pub fn new(templates: &Templates) -> Result<Self, TemplateError> {
        Ok(Self {
            engine: TemplateEngine::new(templates)?,
        })
    }

    /// A publisher for a single request: each set of templates is compiled when a format first
    /// needs it (`--format json` compiles none), so a broken template is reported only if used.
    pub fn lazy(templates: &Templates) -> Result<Self, TemplateError> {
        Ok(Self {
            engine: TemplateEngine::lazy(templates)?,
        })
    }

    pub fn engine(&self) -> &TemplateEngine {
        &self.engine
    }

    /// The briefing model the request asks for, with the ledger's rows if a format or an
    /// attachment needs them.
    pub fn briefing(&self, ds: &Dataset, req: &BriefingRequest) -> Result<Briefing, FilterError> {
        let speech = self.engine.speech();
        let ds = &*ds.in_language(speech.language.tag(), &speech.words.fields);
        let table = req.table || req.formats.iter().any(|f| f.is_ledger());
        match table && !req.scope.table {
            true => aggregate(
                ds,
                &Options {
                    table,
                    ..req.scope.clone()
                },
                req.as_of,
            ),
            false => aggregate(ds, &req.scope, req.as_of),
        }
    }

    /// Aggregates and renders every requested format.
    pub fn publish(
        &self,
        ds: &Dataset,
        req: &BriefingRequest,
    ) -> Result<Publication, PublishError> {
        let briefing = self.briefing(ds, req)?;
        self.render(briefing, req)
    }

    /// Renders a briefing already built (a scheduled run adds its changes first).
    pub fn render(
        &self,
        briefing: Briefing,
        req: &BriefingRequest,
    ) -> Result<Publication, PublishError> {
        let formats = req.unique_formats();
        let rendered = render_all(&self.engine, &briefing, &formats, &req.render_options())?;
        let stem = file_stem(&briefing);
        let outputs = rendered
            .into_iter()
            .map(
                |Rendered {
                     format,
                     bytes,
                     warnings,
                 }| Output {
                    format,
                    file_name: format!("{stem}.{}", format.extension()),
                    bytes,
                    warnings,
                },
            )
            .collect();
        let untranslated = untranslated_warning(&briefing, self.engine.speech().language.tag());
        Ok(Publication {
            briefing,
            outputs,
            untranslated,
        })
    }

    #[cfg(feature = "email")]
    /// The publication as an email: the HTML briefing as the body's alternative, and the outputs
    /// of the `attach` formats attached (rendered here if the publication lacks them). Returns
    /// the message and the warnings of what was rendered for it.
    pub fn email(
        &self,
        publication: &Publication,
        addressing: &Addressing,
        attach: &[Format],
        req: &BriefingRequest,
    ) -> Result<(lettre::Message, Vec<String>), PublishError> {
        let b = &publication.briefing;
        let missing: Vec<Format> = std::iter::once(Format::Html)
            .chain(attach.iter().copied())
            .filter(|f| publication.output(*f).is_none())
            .collect();
        let extra = render_all(&self.engine, b, &missing, &req.render_options())?;
        let bytes_of = |f: Format| -> &[u8] {
            publication
                .output(f)
                .map(|o| o.bytes.as_slice())
                .or_else(|| {
                    extra
                        .iter()
                        .find(|r| r.format == f)
                        .map(|r| r.bytes.as_slice())
                })
                .unwrap_or_default()
        };
        let stem = file_stem(b);
        let attachments: Vec<FileAttachment> = attach
            .iter()
            .map(|&f| FileAttachment {
                filename: format!("{stem}.{}", f.extension()),
                format: f,
                bytes: bytes_of(f).to_vec(),
            })
            .collect();
        let message = email::compose(
            &self.engine,
            b,
            addressing,
            bytes_of(Format::Html),
            &attachments,
        )?;
        let warnings = extra.into_iter().flat_map(|r| r.warnings).collect();
        Ok((message, warnings))
    }
}

/// "cn-az": the pair's codes, lower case, for file names.
pub fn pair(b: &Briefing) -> String {
    let (a, c) = b.pair_codes();
    format!("{}-{}", a.to_ascii_lowercase(), c.to_ascii_lowercase())
}

/// "briefing-cn-az-2025-05-01": the name of a briefing's files, without extension.
pub fn file_stem(b: &Briefing) -> String {
    format!("briefing-{}-{}", pair(b), b.header.as_of)
}

/// Writes every file or none: each goes to a temporary file beside its target first, and only
/// when all are written are they renamed into place (a failed rename removes those renamed
/// before it). A target that exists and is not a regular file, or is read-only, is refused.
pub fn write_all(files: &[(PathBuf, &[u8])]) -> io::Result<()> {
    for (path, _) in files {
        crate::base::atomic::refuse_special(path)?;
    }
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        staged.push(crate::base::atomic::stage(path, bytes)?);
    }
    let mut done: Vec<&Path> = Vec::new();
    for (temp, (path, _)) in staged.into_iter().zip(files) {
        if let Err(e) = temp.persist(path) {
            for p in done {
                let _ = std::fs::remove_file(p);
            }
            return Err(e.error);
        }
        done.push(path);
    }
    Ok(())
}
