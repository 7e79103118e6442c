//! What the server's own pages show, as data for their templates (`serve-index.html.hbs`,
//! `serve-archive.html.hbs`, and the `nav` of `page.html.hbs`): the words are the templates'.
//! Links are relative, so the server works behind a proxy under any path prefix.

use chrono::NaiveDate;
use serde::Serialize;

use super::archive::Listing;
use super::datasets::Current;
use super::query::{Answer, BriefingQuery};
use crate::render::Format;

#[derive(Serialize)]
pub struct Index<'a> {
    pub generator: &'a str,
    /// Whether `/archive` is served.
    pub archive: bool,
    pub datasets: Vec<Card>,
}

/// One dataset on the index page.
#[derive(Serialize)]
pub struct Card {
    pub pair: String,
    pub title: String,
    pub parties: Vec<Choice>,
    /// The oldest and newest dated record, in words ("April 2025").
    pub first: Option<crate::base::date::PartialDate>,
    pub last: Option<crate::base::date::PartialDate>,
    pub data_cutoff: Option<crate::base::date::PartialDate>,
    pub documents: usize,
    pub commitments: usize,
    /// What the last reload found wrong, as `check` prints it.
    pub errors: Option<String>,
    pub fields: Vec<Choice>,
    /// Companies, agencies and regions the form can filter by (none: no selector).
    pub entities: Vec<Choice>,
}

#[derive(Serialize)]
pub struct Choice {
    pub id: String,
    #[serde(rename = "name")]
    pub label: String,
}

impl Card {
    pub fn new(pair: &str, current: &Current) -> Self {
        let ds = &current.dataset;
        let summary = ds.summary();
        Self {
            pair: pair.to_string(),
            title: ds.title().to_string(),
            parties: ds
                .parties()
                .iter()
                .map(|p| Choice {
                    id: p.code.clone(),
                    label: p.name.clone(),
                })
                .collect(),
            first: summary.first,
            last: summary.last,
            data_cutoff: ds.data_cutoff(),
            documents: summary.documents,
            commitments: summary.commitments,
            errors: current.errors.clone(),
            fields: ds
                .fields()
                .iter()
                .map(|f| Choice {
                    id: f.id.clone(),
                    label: f.label.clone(),
                })
                .collect(),
            entities: ds
                .entities()
                .iter()
                .map(|e| Choice {
                    id: e.id.clone(),
                    label: e.name.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct Archive<'a> {
    pub generator: &'a str,
    #[serde(flatten)]
    pub listing: Listing,
}

/// The links above a briefing page.
#[derive(Serialize)]
pub struct Nav {
    /// The index page.
    pub back: &'static str,
    pub downloads: Vec<Download>,
}

#[derive(Serialize)]
pub struct Download {
    /// "md", "pdf", "json", "xlsx", "csv", "eml".
    pub format: &'static str,
    pub href: String,
}

impl Nav {
    /// Links to the same briefing (same as-of date, every parameter spelled out) in the other
    /// formats.
    pub fn new(query: &BriefingQuery, as_of: NaiveDate) -> Self {
        let answers = [
            Answer::File(Format::Pdf),
            Answer::File(Format::Markdown),
            Answer::File(Format::Json),
            Answer::File(Format::Xlsx),
            Answer::File(Format::Csv),
            Answer::Eml,
        ];
        Self {
            back: "../",
            downloads: answers
                .into_iter()
                .map(|a| Download {
                    format: a.name(),
                    href: format!("briefing?{}", query.canonical(as_of, a)),
                })
                .collect(),
        }
    }
}
