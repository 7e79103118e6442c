//! Dates that keep the precision their source gave them.
//!
//! A source that says "April 2025" must never grow an invented day, so a date is a year, a month or a
//! day, and every consumer (sorting, periods, rendering) asks how precise it is instead of guessing.
//! Comparisons against a period use the whole span the date covers: "April 2025" overlaps a period
//! that starts on 15 April.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date the source gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Year,
    /// A half-year: `2026-H2`.
    Half,
    /// A quarter: `2026-Q3`.
    Quarter,
    Month,
    Day,
}

impl Precision {
    /// "year", "half", "quarter", "month" or "day".
    pub fn name(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::Half => "half",
            Self::Quarter => "quarter",
            Self::Month => "month",
            Self::Day => "day",
        }
    }
}

/// A calendar date known to a year, a month or a day; or two such dates that bound it: a span
/// it lasted over ("22–24 April 2025"), or the two dates sources disagree on ("11 or 12
/// February"), or the bounds of a day not known more closely ("between 11 and 14 February").
///
/// Twelve bytes: every commitment, event and source carries dates, and 100,000 of them are held
/// at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    from: Point,
    /// The second date of a span, an either-or or a between, and which of those it is.
    to: Option<(Point, Form)>,
}

/// A year, a half, a quarter, a month or a day: year 1800–2200, month 1–12 and day 1–31 (0 when
/// not known). A quarter is stored as month 20 + its number (21–24), a half as 30 + its number
/// (31, 32), so a date stays four bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Point {
    year: i16,
    month: u8,
    day: u8,
}

/// How the two dates of a two-date form relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// It lasted from the first to the second: `2025-04-22/2025-04-24` (ISO 8601 interval).
    Span,
    /// It happened on one of the two; sources disagree: `[2025-02-11,2025-02-12]` (EDTF set).
    Either,
    /// It happened on one day between the two, not known more closely: `[2025-02-11..2025-02-14]`.
    Between,
}

/// Why a date string was refused; the message says what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(String);

/// The month byte of a quarter is `QUARTER + n`, of a half `HALF + n`.
const QUARTER: u8 = 20;
const HALF: u8 = 30;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The earliest and latest years accepted: wide enough for history, narrow enough to catch typos.
pub const MIN_YEAR: i32 = 1800;
pub const MAX_YEAR: i32 = 2200;

/// Parses an as-of day (`YYYY-MM-DD`) within the years dates are accepted in (1800–2200): far
/// outside them, PDF and email dates cannot be written.
pub fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    let d: NaiveDate = s
        .trim()
        .parse()
        .map_err(|e| format!("`{}` is not a day ({e}); give YYYY-MM-DD", s.escape_debug()))?;
    check_as_of(d)
}

/// Accepts an as-of day within 1800–2200.
pub fn check_as_of(d: NaiveDate) -> Result<NaiveDate, String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!(
            "the as-of date {d} is outside the years {MIN_YEAR}–{MAX_YEAR} a briefing can carry"
        ))
    }
}

impl PartialDate {
    pub fn year(year: i32) -> Result<Self, DateError> {
        check_year(year)?;
        Ok(Self::at(Point::new(year, None, None)))
    }

    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        check_year(year)?;
        if !(1..=12).contains(&month) {
            return Err(DateError(format!(
                "month {month:02} does not exist; expected 01 to 12"
            )));
        }
        Ok(Self::at(Point::new(year, Some(month), None)))
    }

    /// A quarter (1–4) of a year: `2026-Q3`.
    pub fn quarter(year: i32, quarter: u32) -> Result<Self, DateError> {
        check_year(year)?;
        if !(1..=4).contains(&quarter) {
            return Err(DateError(format!(
                "quarter Q{quarter} does not exist; expected Q1 to Q4"
            )));
        }
        Ok(Self::at(Point::coded(year, QUARTER + quarter as u8)))
    }

    /// A half (1 or 2) of a year: `2026-H2`.
    pub fn half(year: i32, half: u32) -> Result<Self, DateError> {
        check_year(year)?;
        if !(1..=2).contains(&half) {
            return Err(DateError(format!(
                "half H{half} does not exist; expected H1 or H2"
            )));
        }
        Ok(Self::at(Point::coded(year, HALF + half as u8)))
    }

    pub fn day(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        Self::month(year, month)?;
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            let last = days_in_month(year, month);
            return Err(DateError(format!(
                "{year:04}-{month:02}-{day:02} does not exist: {} {year} has {last} days",
                MONTHS[month as usize - 1]
            )));
        }
        Ok(Self::at(Point::new(year, Some(month), Some(day))))
    }

    pub fn from_naive(d: NaiveDate) -> Self {
        Self::at(Point::new(d.year(), Some(d.month()), Some(d.day())))
    }

    /// Two dates in one of the two-date forms; the second must come after the first.
    pub fn pair(first: Self, second: Self, form: Form) -> Result<Self, DateError> {
        if first.to.is_some() || second.to.is_some() {
            return Err(DateError("a date range cannot nest another".into()));
        }
        if second.start() <= first.start() || second.end() <= first.end() {
            return Err(DateError(format!(
                "{second} is not after {first}: the earlier date comes first"
            )));
        }
        Ok(Self {
            to: Some((second.from, form)),
            ..first
        })
    }

    fn at(from: Point) -> Self {
        Self { from, to: None }
    }

    /// The precision of the (first) date.
    pub fn precision(&self) -> Precision {
        self.from.precision()
    }

    /// A span, an either-or or a between; None for a single date.
    pub fn form(&self) -> Option<Form> {
        self.to.map(|(_, f)| f)
    }

    pub fn year_value(&self) -> i32 {
        self.from.year()
    }

    pub fn month_value(&self) -> Option<u32> {
        self.from.month()
    }

    /// The first day the date covers.
    pub fn start(&self) -> NaiveDate {
        self.from.start()
    }

    /// The last day the date covers (of the second date, for a two-date form).
    pub fn end(&self) -> NaiveDate {
        self.to.map_or(self.from, |(p, _)| p).end()
    }

    /// The day, when the date is one known day (not a month, a year or a two-date form).
    pub fn as_day(&self) -> Option<NaiveDate> {
        (self.to.is_none() && self.precision() == Precision::Day).then(|| self.start())
    }

    /// A text that sorts as the dates do, in ISO 8601 and never with an invented day: "2025",
    /// "2025-04", "2025-04-28", and for two dates the first, a slash and the second
    /// ("2025-02-11/2025-02-12", whatever their form). A month sorts before its days; a quarter
    /// or a half ("2026-Q3") sorts after the year's months, the one place where the text and the
    /// dates disagree.
    pub fn sort_key(&self) -> String {
        match self.to {
            None => self.from.to_string(),
            Some((b, _)) => format!("{}/{b}", self.from),
        }
    }

    /// What the date gives: "year", "half", "quarter", "month" or "day"; for two dates "span",
    /// "either" or "between".
    pub fn kind_name(&self) -> &'static str {
        match (self.form(), self.precision()) {
            (Some(Form::Span), _) => "span",
            (Some(Form::Either), _) => "either",
            (Some(Form::Between), _) => "between",
            (None, precision) => precision.name(),
        }
    }

    /// The month (or quarter, half, year) bucket this date belongs to on a timeline: its first
    /// date's.
    pub fn bucket(&self) -> PartialDate {
        Self::at(Point {
            day: 0,
            ..self.from
        })
    }

    /// The first date and, for a two-date form, the second with the form: what a renderer
    /// needs to write the date in any language.
    pub fn parts(&self) -> (DateParts, Option<(DateParts, Form)>) {
        (
            self.from.parts(),
            self.to.map(|(p, form)| (p.parts(), form)),
        )
    }

    /// Human form with the precision kept: "2025", "April 2025", "28 April 2025", "22–24 April
    /// 2025", "11 or 12 February 2025", "between 11 and 14 February 2025".
    pub fn human(&self) -> String {
        let a = self.from;
        let Some((b, form)) = self.to else {
            return a.human();
        };
        let same_year = a.precision() == b.precision() && a.year == b.year;
        let same_month = same_year && a.month == b.month;
        let (x, y) = match (a.day(), b.day()) {
            (Some(d), Some(_)) if same_month => (d.to_string(), b.human()),
            _ if same_year && a.precision() != Precision::Year => (a.human_in_year(), b.human()),
            _ => (a.human(), b.human()),
        };
        match form {
            Form::Span if same_year => format!("{x}–{y}"),
            Form::Span => format!("{x} – {y}"),
            Form::Either => format!("{x} or {y}"),
            Form::Between => format!("between {x} and {y}"),
        }
    }
}

/// One date of a [`PartialDate`] as numbers: a year, and a month and day, or a quarter or a half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub precision: Precision,
    pub year: i32,
    /// The month (1–12) of a month or a day.
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// The quarter (1–4) or half (1–2) of a quarter or a half.
    pub part: Option<u32>,
}

impl Point {
    fn parts(&self) -> DateParts {
        DateParts {
            precision: self.precision(),
            year: self.year(),
            month: self.month(),
            day: self.day(),
            part: self.part().map(|(_, n)| n),
        }
    }

    /// From checked parts (see the constructors of [`PartialDate`]).
    fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Self {
        Self {
            year: year as i16,
            month: month.unwrap_or(0) as u8,
            day: day.unwrap_or(0) as u8,
        }
    }

    /// A year with a quarter's or a half's code in place of the month.
    fn coded(year: i32, code: u8) -> Self {
        Self {
            year: year as i16,
            month: code,
            day: 0,
        }
    }

    fn year(&self) -> i32 {
        i32::from(self.year)
    }

    /// The month, for a month or a day (not for a quarter or a half).
    fn month(&self) -> Option<u32> {
        (1..=12)
            .contains(&self.month)
            .then_some(u32::from(self.month))
    }

    /// The quarter (1–4) or half (1–2), with its letter.
    fn part(&self) -> Option<(char, u32)> {
        match self.month {
            m if m > HALF => Some(('H', u32::from(m - HALF))),
            m if m > QUARTER => Some(('Q', u32::from(m - QUARTER))),
            _ => None,
        }
    }

    /// The first and last month the point covers.
    fn months(&self) -> (u32, u32) {
        match (self.part(), self.month()) {
            (_, Some(m)) => (m, m),
            (Some(('Q', q)), None) => (3 * q - 2, 3 * q),
            (Some((_, h)), None) => (6 * h - 5, 6 * h),
            (None, None) => (1, 12),
        }
    }

    fn day(&self) -> Option<u32> {
        (self.day > 0).then_some(u32::from(self.day))
    }

    fn precision(&self) -> Precision {
        match (self.month(), self.day(), self.part()) {
            (Some(_), Some(_), _) => Precision::Day,
            (Some(_), None, _) => Precision::Month,
            (None, _, Some(('Q', _))) => Precision::Quarter,
            (None, _, Some(_)) => Precision::Half,
            (None, _, None) => Precision::Year,
        }
    }

    fn start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.months().0, self.day().unwrap_or(1))
            .expect("validated on construction")
    }

    fn end(&self) -> NaiveDate {
        let y = self.year();
        let last = self.months().1;
        NaiveDate::from_ymd_opt(y, last, self.day().unwrap_or(days_in_month(y, last)))
            .expect("validated on construction")
    }

    fn human(&self) -> String {
        let y = self.year();
        match self.part() {
            Some((letter, n)) => format!("{letter}{n} {y}"),
            None => match (self.month(), self.day()) {
                (None, _) => format!("{y}"),
                (Some(m), None) => format!("{} {y}", MONTHS[m as usize - 1]),
                (Some(m), Some(d)) => format!("{d} {} {y}", MONTHS[m as usize - 1]),
            },
        }
    }

    /// Without the year: "28 April", "April", "Q3".
    fn human_in_year(&self) -> String {
        match (self.month(), self.day(), self.part()) {
            (Some(m), Some(d), _) => format!("{d} {}", MONTHS[m as usize - 1]),
            (Some(m), None, _) => MONTHS[m as usize - 1].to_string(),
            (None, _, Some((letter, n))) => format!("{letter}{n}"),
            (None, _, None) => self.year().to_string(),
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year())?;
        if let Some((letter, n)) = self.part() {
            write!(f, "-{letter}{n}")?;
        }
        if let Some(m) = self.month() {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day() {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

fn check_year(year: i32) -> Result<(), DateError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(DateError(format!(
            "year {year} is out of range; expected a year from {MIN_YEAR} to {MAX_YEAR}"
        )))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if NaiveDate::from_ymd_opt(year, 2, 29).is_some() => 29,
        2 => 28,
        _ => 31,
    }
}

/// Dates sort by the first day they cover; on a tie the less precise one comes first, so
/// "April 2025" heads the items dated within April.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        // The first day, compared field by field (as `start()` would, without building dates:
        // briefings sort hundreds of thousands of these).
        let first = |d: &Self| (d.from.year, d.from.months().0, d.from.day.max(1));
        first(self)
            .cmp(&first(other))
            .then(self.precision().cmp(&other.precision()))
            .then_with(|| match (self.to, other.to) {
                // One date each, same first day and precision: the same date.
                (None, None) => Ordering::Equal,
                _ => self
                    .end()
                    .cmp(&other.end())
                    .then_with(|| self.form().cmp(&other.form())),
            })
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const EXPECTED: &str = "expected a date written as YYYY, YYYY-MM or YYYY-MM-DD (\"2025\", \"2025-04\", \"2025-04-28\"), a quarter YYYY-Q1…Q4 or a half YYYY-H1/H2 (\"2026-Q3\", \"2026-H2\"); a span as FROM/TO (\"2025-04-22/2025-04-24\"); a date sources disagree on as [A,B]; a day known only to lie between two as [A..B]";

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some((a, b)) = s.split_once('/') {
            return Self::pair(a.parse()?, b.parse()?, Form::Span);
        }
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            if let Some((a, b)) = inner.split_once("..") {
                return Self::pair(a.trim().parse()?, b.trim().parse()?, Form::Between);
            }
            let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
            if parts.len() != 2 {
                return Err(DateError(format!(
                    "`{}` is not a date: [A,B] names exactly two dates (for a wider doubt, [A..B])",
                    s.escape_debug()
                )));
            }
            return Self::pair(parts[0].parse()?, parts[1].parse()?, Form::Either);
        }
        Self::single(s)
    }
}

impl PartialDate {
    fn single(s: &str) -> Result<Self, DateError> {
        let bad = || DateError(format!("`{}` is not a date; {EXPECTED}", s.escape_debug()));
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        if parts[0].len() > 4 && parts[0].bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError(format!(
                "year {} is out of range; expected a year from {MIN_YEAR} to {MAX_YEAR}",
                parts[0]
            )));
        }
        let year = num(parts[0], 4)? as i32;
        if let (2, Some(q)) = (parts.len(), parts.get(1).and_then(|p| p.strip_prefix('Q'))) {
            return Self::quarter(year, num(q, 1)?);
        }
        if let (2, Some(h)) = (parts.len(), parts.get(1).and_then(|p| p.strip_prefix('H'))) {
            return Self::half(year, num(h, 1)?);
        }
        match parts.len() {
            1 => Self::year(year),
            2 => Self::month(year, num(parts[1], 2)?),
            _ => Self::day(year, num(parts[1], 2)?, num(parts[2], 2)?),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.from;
        match self.to {
            None => write!(f, "{a}"),
            Some((b, Form::Span)) => write!(f, "{a}/{b}"),
            Some((b, Form::Either)) => write!(f, "[{a},{b}]"),
            Some((b, Form::Between)) => write!(f, "[{a}..{b}]"),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                // `date = 2025` in TOML or JSON: a bare year is unambiguous.
                i32::try_from(v)
                    .map_err(|_| E::custom(format!("year {v} is out of range")))
                    .and_then(|y| PartialDate::year(y).map_err(E::custom))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                if v < 0 {
                    return Err(E::custom(format!("year {v} is out of range")));
                }
                self.visit_u64(v as u64)
            }
            // An unquoted TOML date (`date = 2025-04-28`) arrives as toml's private datetime map.
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<PartialDate, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(EXPECTED));
                };
                if key != "$__toml_private_datetime" {
                    return Err(de::Error::custom(format!(
                        "a table is not a date; {EXPECTED}"
                    )));
                }
                let raw: String = map.next_value()?;
                if raw.len() != 10 {
                    return Err(de::Error::custom(format!(
                        "`{raw}` is a date-time; a date has no time of day: {EXPECTED}"
                    )));
                }
                raw.parse().map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pattern = r"^(D|D/D|\[D,D\]|\[D\.\.D\])$".replace(
            'D',
            "[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4]|-H[12])?",
        );
        schemars::json_schema!({
            "type": "string",
            "description": "A date with the precision the source gives: a year (2025), a half (2026-H2), a quarter (2026-Q3), a month (2025-04) or a day (2025-04-28); a span it lasted over (2025-04-22/2025-04-24); two dates sources disagree on ([2025-02-11,2025-02-12]); or the bounds of a day not known more closely ([2025-02-11..2025-02-14]).",
            "pattern": pattern,
            "examples": ["2025", "2025-04", "2025-04-28", "2025-04-22/2025-04-24", "[2025-02-11,2025-02-12]"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_precision() {
        let d: PartialDate = "2025-04".parse().unwrap();
        assert_eq!(d.precision(), Precision::Month);
        assert_eq!(d.human(), "April 2025");
        assert_eq!(d.to_string(), "2025-04");
        assert_eq!(d.start(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
        assert_eq!(d.end(), NaiveDate::from_ymd_opt(2025, 4, 30).unwrap());
        let y: PartialDate = "2024".parse().unwrap();
        assert_eq!(y.human(), "2024");
        assert_eq!(y.end(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        let day: PartialDate = "2025-04-28".parse().unwrap();
        assert_eq!(day.human(), "28 April 2025");
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        let e = "2025-02-30".parse::<PartialDate>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "2025-02-30 does not exist: February 2025 has 28 days"
        );
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
        assert!("2025-13".parse::<PartialDate>().is_err());
        assert!("99999"
            .parse::<PartialDate>()
            .unwrap_err()
            .to_string()
            .contains("out of range"));
        assert!("25-04".parse::<PartialDate>().is_err());
        assert!("2025-4".parse::<PartialDate>().is_err());
        assert!("".parse::<PartialDate>().is_err());
        assert!("April 2025".parse::<PartialDate>().is_err());
    }

    #[test]
    fn two_date_forms_keep_what_the_sources_say() {
        let h = |s: &str| s.parse::<PartialDate>().unwrap().human();
        assert_eq!(h("2025-04-22/2025-04-24"), "22–24 April 2025");
        assert_eq!(h("2025-08-31/2025-09-01"), "31 August–1 September 2025");
        assert_eq!(h("2024-12/2025-01"), "December 2024 – January 2025");
        assert_eq!(h("2025-04/2025-05"), "April–May 2025");
        assert_eq!(h("[2025-02-11,2025-02-12]"), "11 or 12 February 2025");
        assert_eq!(
            h("[2025-02-11..2025-02-14]"),
            "between 11 and 14 February 2025"
        );
        let d: PartialDate = "[2025-02-11..2025-02-14]".parse().unwrap();
        assert_eq!(d.to_string(), "[2025-02-11..2025-02-14]");
        assert_eq!(d.start(), NaiveDate::from_ymd_opt(2025, 2, 11).unwrap());
        assert_eq!(d.end(), NaiveDate::from_ymd_opt(2025, 2, 14).unwrap());
        assert_eq!(d.bucket().to_string(), "2025-02");
        for bad in [
            "2025-04-24/2025-04-22",
            "[2025-02-11]",
            "[2025,2026,2027]",
            "2025/2025",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        assert!(
            "2025-04-22/2025-04-24".parse::<PartialDate>().unwrap() > "2025-04-22".parse().unwrap()
        );
    }

    #[test]
    fn sort_keys_sort_as_dates_and_invent_no_day() {
        let keys: Vec<(String, &str, Option<NaiveDate>)> = [
            "2025",
            "2025-04",
            "2025-04-28",
            "2025-04-22/2025-04-24",
            "[2025-02-11,2025-02-12]",
        ]
        .iter()
        .map(|s| {
            let d: PartialDate = s.parse().unwrap();
            (d.sort_key(), d.kind_name(), d.as_day())
        })
        .collect();
        let day = NaiveDate::from_ymd_opt(2025, 4, 28);
        assert_eq!(
            keys,
            [
                ("2025".to_string(), "year", None),
                ("2025-04".to_string(), "month", None),
                ("2025-04-28".to_string(), "day", day),
                ("2025-04-22/2025-04-24".to_string(), "span", None),
                ("2025-02-11/2025-02-12".to_string(), "either", None),
            ]
        );
        let mut sorted = keys.iter().map(|k| k.0.clone()).collect::<Vec<_>>();
        sorted.sort();
        assert_eq!(sorted[..3], ["2025", "2025-02-11/2025-02-12", "2025-04"]);
    }

    #[test]
    fn quarters_and_halves_cover_their_months() {
        let q: PartialDate = "2026-Q3".parse().unwrap();
        assert_eq!(q.precision(), Precision::Quarter);
        assert_eq!(q.kind_name(), "quarter");
        assert_eq!(q.to_string(), "2026-Q3");
        assert_eq!(q.human(), "Q3 2026");
        assert_eq!(q.start(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(q.end(), NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        let h: PartialDate = "2026-H1".parse().unwrap();
        assert_eq!(h.precision(), Precision::Half);
        assert_eq!(h.human(), "H1 2026");
        assert_eq!(h.end(), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
        let q4: PartialDate = "2024-Q4".parse().unwrap();
        assert_eq!(q4.end(), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        let span: PartialDate = "2026-Q3/2026-Q4".parse().unwrap();
        assert_eq!(span.human(), "Q3–Q4 2026");
        for bad in [
            "2026-Q5",
            "2026-Q0",
            "2026-H3",
            "2026-q3",
            "2026-Q03",
            "2026-Q3-01",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        // Sorted by first day, the less precise first: the year, H2, Q3, July.
        let mut v: Vec<PartialDate> = ["2026-07", "2026-Q3", "2026-H2", "2026"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|d| d.to_string()).collect();
        assert_eq!(s, ["2026", "2026-H2", "2026-Q3", "2026-07"]);
    }

    #[test]
    fn a_date_is_small() {
        assert!(std::mem::size_of::<PartialDate>() <= 12);
        assert!(std::mem::size_of::<Option<PartialDate>>() <= 12);
    }

    #[test]
    fn orders_by_start_then_precision() {
        let mut v: Vec<PartialDate> = ["2025-04-28", "2025-04", "2025", "2024-12-31"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|d| d.to_string()).collect();
        assert_eq!(s, ["2024-12-31", "2025", "2025-04", "2025-04-28"]);
    }
}
