//! What the helpers say in the reader's language: the language's CLDR rules
//! ([`Language`]) and the words of the template set's `words.toml`, which put CLDR's date forms
//! together where CLDR has none (quarters, halves, two dates, periods) and turn the dataset's
//! values ("in-progress", "mou") into words. Every word a helper prints comes from one of the two.

use std::collections::HashMap;

use serde::Deserialize;

use crate::base::date::{DateParts, Form, PartialDate, Precision};
use crate::base::locale::{DateForm, Language};
use crate::render::engine::TemplateError;
use crate::render::ledger::words::line_column;
use crate::render::templates::{Kind, Template, Templates, WORDS};

/// The patterns of `words.toml`'s `[dates]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWords {
    pub quarter: String,
    pub half: String,
    pub quarter_in_year: String,
    pub half_in_year: String,
    pub span: String,
    pub span_apart: String,
    pub either: String,
    pub between: String,
    pub period: String,
    pub period_open: String,
    /// How a month alone is written: CLDR's "long" form (English "April", Chinese "四月") or
    /// its "medium" one ("Apr", "4月").
    #[serde(default)]
    pub month_alone: MonthAlone,
    /// Names for the halves and quarters, in order, for `{name}` in their patterns (Chinese
    /// "上半年", "下半年"); without them `{name}` is the number.
    #[serde(default)]
    pub half_names: Vec<String>,
    #[serde(default)]
    pub quarter_names: Vec<String>,
}

/// How a month alone is written (`month_alone`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthAlone {
    #[default]
    Long,
    Medium,
}

/// A template set's `words.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub dates: DateWords,
    /// The dataset's values as words.
    #[serde(default)]
    pub words: HashMap<String, String>,
    /// The built-in fields' labels, by field id (a dataset in another language, or one that
    /// relabels a field, gives its own).
    #[serde(default)]
    pub fields: HashMap<String, String>,
}

/// The built-in English `words.toml`, under every set's own.
const ENGLISH: &str = include_str!("../../templates/en/words.toml");

impl Words {
    /// Parses a complete `words.toml`.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The English words with a set's own `words.toml` over them: a key it lacks keeps the
    /// English word. An error names the file, line and column.
    pub fn layered(own: Option<&Template>) -> Result<Self, TemplateError> {
        let mut merged: toml::Table = toml::from_str(ENGLISH).expect("the built-in words parse");
        if let Some(t) = own {
            let table: toml::Table = toml::from_str(&t.text).map_err(|e| {
                let (line, column) = e
                    .span()
                    .map_or((None, None), |s| line_column(&t.text, s.start));
                TemplateError {
                    template: t.display_name(),
                    line,
                    column,
                    message: e.message().to_string(),
                }
            })?;
            for (name, value) in table {
                let (Some(into), Some(from)) = (
                    merged.get_mut(&name).and_then(|v| v.as_table_mut()),
                    value.as_table(),
                ) else {
                    return Err(whole(
                        t,
                        format!("unknown table `[{name}]`; expected [dates], [words] or [fields]"),
                    ));
                };
                into.extend(from.clone());
            }
        }
        toml::Value::Table(merged).try_into::<Self>().map_err(|e| {
            let name = own.map_or_else(|| "words.toml".to_string(), Template::display_name);
            TemplateError {
                template: name,
                line: None,
                column: None,
                message: e.message().to_string(),
            }
        })
    }
}

fn whole(t: &Template, message: String) -> TemplateError {
    TemplateError {
        template: t.display_name(),
        line: None,
        column: None,
        message,
    }
}

/// The reader's language and its words, shared by every helper of a template engine.
#[derive(Debug)]
pub struct Speech {
    pub language: Language,
    pub words: Words,
    /// The file names of the templates folder's images, for `has_image`.
    pub images: Vec<String>,
}

/// `pattern` with each `{name}` replaced by its value.
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = pattern.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Speech {
    /// The language of a template set and its words.
    pub fn of(templates: &Templates) -> Result<Self, TemplateError> {
        let language = Language::new(&templates.lang).map_err(|e| TemplateError {
            template: "--lang".into(),
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        let own = templates.of_kind(Kind::Words).find(|t| t.name == WORDS);
        Ok(Self {
            language,
            words: Words::layered(own)?,
            images: templates.images.iter().map(|i| i.name.clone()).collect(),
        })
    }

    /// A dataset value as words: `words.toml`'s, else the value with its hyphens as spaces.
    pub fn word(&self, value: &str) -> String {
        match self.words.words.get(value) {
            Some(w) => w.clone(),
            None => value.replace('-', " "),
        }
    }

    /// A date with its precision kept, in the reader's language: "28 April 2025", "Q3 2026",
    /// "22–24 April 2025", "between 11 and 14 February 2025"; "2025年4月22日至24日".
    pub fn date(&self, d: &PartialDate) -> String {
        let (a, second) = d.parts();
        let Some((b, form)) = second else {
            return self.full(&a);
        };
        let same_year = a.precision == b.precision && a.year == b.year;
        let same_month = same_year && a.month == b.month;
        let (first_short, second_short) = match (a.day, b.day) {
            (Some(_), Some(_)) if same_month => (self.day_in_month(&a), self.day_in_month(&b)),
            _ if same_year && a.precision != Precision::Year => {
                (self.in_year(&a), self.in_year(&b))
            }
            _ => (self.full(&a), self.full(&b)),
        };
        let w = &self.words.dates;
        let pattern = match form {
            Form::Span if same_year => &w.span,
            Form::Span => &w.span_apart,
            Form::Either => &w.either,
            Form::Between => &w.between,
        };
        fill(
            pattern,
            &[
                ("first_short", &first_short),
                ("second_short", &second_short),
                ("first", &self.full(&a)),
                ("second", &self.full(&b)),
            ],
        )
    }

    /// A briefing's period: "1 April 2025 to 30 June 2025", "all dates to 30 June 2025".
    pub fn period(&self, since: Option<&PartialDate>, until: Option<&PartialDate>) -> String {
        let until = until.map(|d| self.date(d)).unwrap_or_default();
        let w = &self.words.dates;
        match since {
            Some(s) => fill(&w.period, &[("since", &self.date(s)), ("until", &until)]),
            None => fill(&w.period_open, &[("until", &until)]),
        }
    }

    fn cldr(&self, form: DateForm, p: &DateParts) -> String {
        let (m, d) = (p.month.unwrap_or(1), p.day.unwrap_or(1));
        self.language.date(form, p.year, m, d)
    }

    fn part(&self, pattern: &str, p: &DateParts) -> String {
        let w = &self.words.dates;
        let n = p.part.unwrap_or(1);
        let names = match p.precision {
            Precision::Half => &w.half_names,
            _ => &w.quarter_names,
        };
        let name = names
            .get(n as usize - 1)
            .cloned()
            .unwrap_or_else(|| n.to_string());
        let values = [
            ("n", n.to_string()),
            ("name", name),
            ("year", p.year.to_string()),
        ];
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(pattern, &values)
    }

    /// One date in full: "28 April 2025", "April 2025", "2025", "Q3 2026".
    fn full(&self, p: &DateParts) -> String {
        let w = &self.words.dates;
        match p.precision {
            Precision::Day => self.cldr(DateForm::Day, p),
            Precision::Month => self.cldr(DateForm::Month, p),
            Precision::Year => self.cldr(DateForm::Year, p),
            Precision::Quarter => self.part(&w.quarter, p),
            Precision::Half => self.part(&w.half, p),
        }
    }

    /// One date without its year: "28 April", "April", "Q3".
    fn in_year(&self, p: &DateParts) -> String {
        let w = &self.words.dates;
        match p.precision {
            Precision::Day => self.cldr(DateForm::DayInYear, p),
            Precision::Month => match self.words.dates.month_alone {
                MonthAlone::Long => self.cldr(DateForm::MonthInYear, p),
                MonthAlone::Medium => self.cldr(DateForm::MonthAbbreviated, p),
            },
            Precision::Year => self.cldr(DateForm::Year, p),
            Precision::Quarter => self.part(&w.quarter_in_year, p),
            Precision::Half => self.part(&w.half_in_year, p),
        }
    }

    fn day_in_month(&self, p: &DateParts) -> String {
        self.cldr(DateForm::DayInMonth, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = include_str!("../../templates/en/words.toml");

    fn speech(tag: &str, words: &str) -> Speech {
        Speech {
            language: Language::new(tag).unwrap(),
            words: Words::parse(words).unwrap(),
            images: Vec::new(),
        }
    }

    #[test]
    fn english_dates_as_before() {
        let s = speech("en", EN);
        for (iso, want) in [
            ("2025", "2025"),
            ("2025-04", "April 2025"),
            ("2025-04-28", "28 April 2025"),
            ("2026-Q3", "Q3 2026"),
            ("2026-H1", "H1 2026"),
            ("2025-04-22/2025-04-24", "22–24 April 2025"),
            ("2025-04-28/2025-05-02", "28 April–2 May 2025"),
            ("2025-04/2025-06", "April–June 2025"),
            ("2024-12/2025-01", "December 2024 – January 2025"),
            ("2026-Q1/2026-Q2", "Q1–Q2 2026"),
            ("[2025-02-11,2025-02-12]", "11 or 12 February 2025"),
            (
                "[2025-02-11..2025-02-14]",
                "between 11 and 14 February 2025",
            ),
        ] {
            let d: PartialDate = iso.parse().unwrap();
            assert_eq!(s.date(&d), want, "{iso}");
            assert_eq!(s.date(&d), d.human(), "{iso}: as the English of the CLI");
        }
        let (a, b) = ("2025-04-01".parse().ok(), "2025-06-30".parse().ok());
        assert_eq!(
            s.period(a.as_ref(), b.as_ref()),
            "1 April 2025 to 30 June 2025"
        );
        assert_eq!(s.period(None, b.as_ref()), "all dates to 30 June 2025");
    }

    #[test]
    fn chinese_shortens_the_second_date() {
        let zh = "[dates]\nquarter = \"{year}年第{n}季度\"\nhalf = \"{year}年{n}\"\n\
                  quarter_in_year = \"第{n}季度\"\nhalf_in_year = \"{n}\"\n\
                  span = \"{first}至{second_short}\"\nspan_apart = \"{first}至{second}\"\n\
                  either = \"{first}或{second_short}\"\nbetween = \"{first}至{second_short}之间\"\n\
                  period = \"{since}至{until}\"\nperiod_open = \"截至{until}\"\n";
        let s = speech("zh-Hans", zh);
        let d: PartialDate = "2025-04-22/2025-04-24".parse().unwrap();
        assert_eq!(s.date(&d), "2025年4月22日至24日");
        let q: PartialDate = "2026-Q3".parse().unwrap();
        assert_eq!(s.date(&q), "2026年第3季度");
    }

    #[test]
    fn words_fall_back_to_the_value() {
        let s = speech("en", EN);
        assert_eq!(s.word("mou"), "memorandum of understanding");
        assert_eq!(s.word("brand-new"), "brand new");
    }
}
