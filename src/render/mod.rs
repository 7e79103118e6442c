//! Renderers: a [`Briefing`] in, bytes out. They never read the clock, the environment or the
//! disk (templates and fonts are handed in), so the same briefing gives the same bytes; where the
//! bytes go is the caller's business.
//!
//! One story: the templates (`templates`, compiled by `engine`) word the briefing as Markdown;
//! the PDF (`pdf`) and HTML (`html`) are laid out from that Markdown, so a template edit reaches
//! every format. JSON (`json`) is the model itself. The ledger spreadsheet (`ledger`: XLSX and
//! CSV) lays out the briefing's rows, with its words from `templates/<lang>/ledger.toml`.

pub(crate) mod bounds;
pub mod engine;
pub(crate) mod helpers;
pub mod html;
pub mod json;
pub mod ledger;
pub mod markdown;
pub mod pdf;
pub mod speech;
pub mod templates;

use std::fmt;
use std::str::FromStr;

use crate::briefing::model::Briefing;
use engine::{TemplateEngine, TemplateError};
use ledger::CsvOptions;
use ledger::LedgerError;
use pdf::{PdfError, PdfOptions};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Pdf,
    Html,
    Json,
    /// The ledger as an Excel workbook.
    Xlsx,
    /// One sheet of the ledger as CSV.
    Csv,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Markdown,
        Format::Pdf,
        Format::Html,
        Format::Json,
        Format::Xlsx,
        Format::Csv,
    ];

    /// Whether it lays out the ledger's rows (`Options::table`) rather than the briefing.
    pub fn is_ledger(self) -> bool {
        matches!(self, Format::Xlsx | Format::Csv)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The format's name, as a label ("PDF").
    pub fn label(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Pdf => "PDF",
            Format::Html => "HTML",
            Format::Json => "JSON",
            Format::Xlsx => "XLSX",
            Format::Csv => "CSV",
        }
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "pdf" => Ok(Format::Pdf),
            "html" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            other => Err(format!(
                "unknown format `{other}`; expected md, pdf, html, json, xlsx or csv"
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// A briefing rendered in one format.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub format: Format,
    pub bytes: Vec<u8>,
    /// What the reader should know (characters the PDF fonts lack).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// How to lay out the formats that need more than the briefing.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Paper, fonts and author of the PDF (the author also goes into the workbook).
    pub pdf: PdfOptions,
    /// The CSV's sheet and byte-order mark.
    pub csv: CsvOptions,
}

/// Renders `briefing` in each of `formats`, in that order. The Markdown is rendered once and
/// shared by the formats laid out from it.
pub fn render_all(
    engine: &TemplateEngine,
    briefing: &Briefing,
    formats: &[Format],
    opts: &RenderOptions,
) -> Result<Vec<Rendered>, RenderError> {
    let needs_markdown = formats
        .iter()
        .any(|f| matches!(f, Format::Markdown | Format::Pdf | Format::Html));
    let markdown = match needs_markdown {
        true => engine.markdown(briefing)?,
        false => String::new(),
    };
    formats
        .iter()
        .map(|&format| {
            let (bytes, warnings) = match format {
                Format::Markdown => (markdown.clone().into_bytes(), Vec::new()),
                Format::Json => (json::render(briefing), Vec::new()),
                Format::Html => (html::render(engine, &markdown, briefing)?, Vec::new()),
                Format::Pdf => {
                    let p = pdf::render(&markdown, briefing, &opts.pdf, engine.images())?;
                    (p.bytes, p.warnings)
                }
                #[cfg(feature = "ledger")]
                Format::Xlsx => {
                    let author = opts.pdf.author.as_deref();
                    ledger::xlsx::render(briefing, engine.ledger_words(), author)?
                }
                #[cfg(feature = "ledger")]
                Format::Csv => (
                    ledger::csv::render(briefing, engine.ledger_words(), opts.csv)?,
                    Vec::new(),
                ),
                #[cfg(not(feature = "ledger"))]
                Format::Xlsx | Format::Csv => return Err(LedgerError::NotBuilt.into()),
            };
            Ok(Rendered {
                format,
                bytes,
                warnings,
            })
        })
        .collect()
}

/// Renders one format with the built-in templates: for tests, benchmarks and quick use.
pub fn render_with_defaults(
    briefing: &Briefing,
    format: Format,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let engine = TemplateEngine::new(&templates::Templates::defaults())?;
    let mut out = render_all(&engine, briefing, &[format], opts)?;
    Ok(out.remove(0))
}
