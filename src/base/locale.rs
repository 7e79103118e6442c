//! The reader's language and what CLDR says about it: how a date, a number and a list are
//! written, which plural form a count takes, how letters change case. The rules come from ICU4X's
//! compiled CLDR data, never from this code, so a briefing in Russian says "28 апреля 2025 г." and
//! "5 обязательств" without a line of Russian here; the words around them live in the templates.
//!
//! Plain `en` is read as British English (`en-GB`): the briefings have always written
//! "28 April 2025" and "A, B and C", which is CLDR's en-GB, not its en-US.

use std::fmt;

use icu_calendar::{Date, Gregorian};
use icu_casemap::CaseMapper;
use icu_datetime::fieldsets::{D, M, MD, Y, YM, YMD};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_list::options::{ListFormatterOptions, ListLength};
use icu_list::ListFormatter;
use icu_locale_core::{LanguageIdentifier, Locale};
use icu_plurals::{PluralCategory, PluralRules};

/// The languages whose templates ship with the program, default first.
pub const SHIPPED: [&str; 4] = ["en", "zh-Hans", "ru", "az"];

/// A language tag that is not BCP 47, or one CLDR has no data for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{tag}` is not a language tag {why}; the shipped languages are {}", SHIPPED.join(", "))]
pub struct LanguageError {
    pub tag: String,
    why: &'static str,
}

/// One date form of CLDR's long style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// "28 April 2025"
    Day,
    /// "April 2025"
    Month,
    /// "2025"
    Year,
    /// "28 April"
    DayInYear,
    /// "April"
    MonthInYear,
    /// "Apr", "4月": the month alone in CLDR's medium length.
    MonthAbbreviated,
    /// "28"
    DayInMonth,
}

struct DateFormatters {
    ymd: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    ym: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    y: FixedCalendarDateTimeFormatter<Gregorian, Y>,
    md: FixedCalendarDateTimeFormatter<Gregorian, MD>,
    m: FixedCalendarDateTimeFormatter<Gregorian, M>,
    m_medium: FixedCalendarDateTimeFormatter<Gregorian, M>,
    d: FixedCalendarDateTimeFormatter<Gregorian, D>,
}

/// A reader's language with its CLDR rules, ready to format. Building one loads its data (about
/// a millisecond); a template engine builds one and shares it between threads.
pub struct Language {
    tag: String,
    id: LanguageIdentifier,
    dates: DateFormatters,
    plurals: PluralRules,
    and: ListFormatter,
    or: ListFormatter,
    /// CLDR's separators, worked out once: for "and" and "or", the pair's, then a longer list's
    /// after its first item, between middle items and before its last.
    separators: [[String; 4]; 2],
    decimal: DecimalFormatter,
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Language").field(&self.tag).finish()
    }
}

impl Language {
    /// The language of `tag` ("en", "zh-Hans", "ru", "az", or any tag CLDR knows: "uk", "de-CH").
    pub fn new(tag: &str) -> Result<Self, LanguageError> {
        let error = |why| LanguageError {
            tag: tag.to_string(),
            why,
        };
        let parsed = Locale::try_from_str(tag).map_err(|_| error("(BCP 47)"))?;
        // "en" alone is British English, as the briefings have always been written.
        let data: Locale = if parsed.id.language.as_str() == "en" && parsed.id.region.is_none() {
            icu_locale_core::locale!("en-GB")
        } else {
            parsed.clone()
        };
        let prefs = (&data).into();
        let no_data = || error("CLDR has data for");
        let fail = |_: icu_datetime::DateTimeFormatterLoadError| no_data();
        let dates = DateFormatters {
            ymd: FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()).map_err(fail)?,
            ym: FixedCalendarDateTimeFormatter::try_new(prefs, YM::long()).map_err(fail)?,
            y: FixedCalendarDateTimeFormatter::try_new(prefs, Y::long()).map_err(fail)?,
            md: FixedCalendarDateTimeFormatter::try_new(prefs, MD::long()).map_err(fail)?,
            m: FixedCalendarDateTimeFormatter::try_new(prefs, M::long()).map_err(fail)?,
            m_medium: FixedCalendarDateTimeFormatter::try_new(prefs, M::medium()).map_err(fail)?,
            d: FixedCalendarDateTimeFormatter::try_new(prefs, D::long()).map_err(fail)?,
        };
        let wide = ListFormatterOptions::default().with_length(ListLength::Wide);
        let mut language = Self {
            tag: parsed.to_string(),
            id: data.id.clone(),
            dates,
            plurals: PluralRules::try_new_cardinal((&data).into()).map_err(|_| no_data())?,
            and: ListFormatter::try_new_and((&data).into(), wide).map_err(|_| no_data())?,
            or: ListFormatter::try_new_or((&data).into(), wide).map_err(|_| no_data())?,
            decimal: DecimalFormatter::try_new((&data).into(), Default::default())
                .map_err(|_| no_data())?,
            separators: Default::default(),
        };
        language.separators = [language.separators(false), language.separators(true)];
        Ok(language)
    }

    /// The tag as given, normalised ("zh-hans" → "zh-Hans").
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// A date of `year`, `month`, `day` in one long form ("28 April 2025", "2025年4月", "апреля"
    /// is never alone: the forms are CLDR's). `month` and `day` are 1 when the form does not
    /// show them.
    pub fn date(&self, form: DateForm, year: i32, month: u32, day: u32) -> String {
        let Ok(date) = Date::try_new_gregorian(year, month as u8, day as u8) else {
            return format!("{year:04}-{month:02}-{day:02}");
        };
        let f = &self.dates;
        match form {
            DateForm::Day => f.ymd.format(&date).to_string(),
            DateForm::Month => f.ym.format(&date).to_string(),
            DateForm::Year => f.y.format(&date).to_string(),
            DateForm::DayInYear => f.md.format(&date).to_string(),
            DateForm::MonthInYear => f.m.format(&date).to_string(),
            DateForm::MonthAbbreviated => f.m_medium.format(&date).to_string(),
            DateForm::DayInMonth => f.d.format(&date).to_string(),
        }
    }

    /// The plural category of a count: "zero", "one", "two", "few", "many" or "other".
    pub fn plural(&self, n: u64) -> &'static str {
        match self.plurals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// Items joined as a list: "A, B and C", "A、B和C", "A, B и C"; `or` for "A or B".
    pub fn list<S: AsRef<str>>(&self, items: &[S], or: bool) -> String {
        let f = if or { &self.or } else { &self.and };
        f.format(items.iter().map(|s| s.as_ref())).to_string()
    }

    /// What goes before item `index` of a list, when `last` says whether it ends the list:
    /// nothing before the first, then ", " … " and " in English, "、" … "和" in Chinese. For
    /// templates that write each item themselves (`{{list_sep @index @last}}`).
    pub fn list_separator(&self, index: usize, last: bool, or: bool) -> String {
        let [pair, start, middle, end] = &self.separators[usize::from(or)];
        match (index, last) {
            (0, _) => "",
            (1, true) => pair,
            (1, false) => start,
            (_, false) => middle,
            (_, true) => end,
        }
        .to_string()
    }

    /// The separators of `list_separator`, read off lists of marks formatted as CLDR says.
    fn separators(&self, or: bool) -> [String; 4] {
        const MARK: [&str; 4] = ["\u{1}", "\u{2}", "\u{3}", "\u{4}"];
        let between = |items: &[&str], a: &str, b: &str| {
            let text = self.list(items, or);
            match (text.find(a), text.find(b)) {
                (Some(s), Some(e)) if s + a.len() <= e => text[s + a.len()..e].to_string(),
                _ => ", ".to_string(),
            }
        };
        [
            between(&MARK[..2], MARK[0], MARK[1]),
            between(&MARK, MARK[0], MARK[1]),
            between(&MARK, MARK[1], MARK[2]),
            between(&MARK, MARK[2], MARK[3]),
        ]
    }

    /// A number written plainly ("1234.5", "-3") in the language's digits and separators:
    /// "1,234.5", "1 234,5", "1.234,5". A text that is not a number comes back as it is.
    pub fn number(&self, plain: &str) -> String {
        match Decimal::try_from_str(plain) {
            Ok(d) => self.decimal.format(&d).to_string(),
            Err(_) => plain.to_string(),
        }
    }

    /// `s` in lower case by the language's rules (Azerbaijani "I" → "ı").
    pub fn lowercase(&self, s: &str) -> String {
        CaseMapper::new()
            .lowercase_to_string(s, &self.id)
            .into_owned()
    }

    /// `s` with its first letter in upper case by the language's rules (Azerbaijani "i" → "İ").
    pub fn capitalize(&self, s: &str) -> String {
        let mut chars = s.chars();
        let Some(first) = chars.next() else {
            return String::new();
        };
        let mut out = CaseMapper::new()
            .uppercase_to_string(first.encode_utf8(&mut [0; 4]), &self.id)
            .into_owned();
        out.push_str(chars.as_str());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> Language {
        Language::new(tag).unwrap()
    }

    #[test]
    fn long_dates_from_cldr() {
        use DateForm::*;
        let cases = [
            (
                "en",
                [
                    "28 April 2025",
                    "April 2025",
                    "2025",
                    "28 April",
                    "April",
                    "28",
                ],
            ),
            (
                "ru",
                [
                    "28 апреля 2025\u{202f}г.",
                    "апрель 2025\u{202f}г.",
                    "2025",
                    "28 апреля",
                    "апрель",
                    "28",
                ],
            ),
            (
                "az",
                [
                    "28 aprel 2025",
                    "aprel 2025",
                    "2025",
                    "28 aprel",
                    "aprel",
                    "28",
                ],
            ),
            (
                "zh-Hans",
                [
                    "2025年4月28日",
                    "2025年4月",
                    "2025年",
                    "4月28日",
                    "四月",
                    "28日",
                ],
            ),
        ];
        for (tag, want) in cases {
            let l = lang(tag);
            assert_eq!(
                lang("zh-Hans").date(MonthAbbreviated, 2025, 4, 1),
                "4月",
                "a month alone in Chinese, as in 2025年4月至5月"
            );
            let got: Vec<String> = [Day, Month, Year, DayInYear, MonthInYear, DayInMonth]
                .into_iter()
                .map(|f| l.date(f, 2025, 4, 28))
                .collect();
            assert_eq!(got, want, "{tag}");
        }
    }

    #[test]
    fn plural_categories() {
        let ru: Vec<&str> = [0, 1, 2, 5, 11, 21, 22]
            .into_iter()
            .map(|n| lang("ru").plural(n))
            .collect();
        assert_eq!(ru, ["many", "one", "few", "many", "many", "one", "few"]);
        assert_eq!(lang("en").plural(1), "one");
        assert_eq!(lang("en").plural(0), "other");
        assert_eq!(lang("az").plural(1), "one");
        assert_eq!(lang("zh-Hans").plural(1), "other");
    }

    #[test]
    fn lists_and_numbers() {
        let abc = ["A", "B", "C"];
        assert_eq!(lang("en").list(&abc, false), "A, B and C");
        assert_eq!(lang("en").list(&abc[..2], true), "A or B");
        assert_eq!(lang("ru").list(&abc, false), "A, B и C");
        assert_eq!(lang("zh-Hans").list(&abc, false), "A、B和C");
        assert_eq!(lang("az").list(&abc, false), "A, B və C");
        let seps = |tag: &str| -> Vec<String> {
            [(1, true), (1, false), (2, false), (3, true)]
                .into_iter()
                .map(|(i, last)| lang(tag).list_separator(i, last, false))
                .collect()
        };
        assert_eq!(seps("en"), [" and ", ", ", ", ", " and "]);
        assert_eq!(seps("zh-Hans"), ["和", "、", "、", "和"]);
        assert_eq!(seps("ru"), [" и ", ", ", ", ", " и "]);
        assert_eq!(lang("en").list_separator(0, true, false), "");
        assert_eq!(lang("en").number("1234567.5"), "1,234,567.5");
        assert_eq!(lang("ru").number("1234567.5"), "1\u{a0}234\u{a0}567,5");
        assert_eq!(lang("az").number("-1234.5"), "-1.234,5");
        assert_eq!(lang("en").number("n/a"), "n/a");
    }

    #[test]
    fn case_by_language() {
        assert_eq!(lang("az").capitalize("ilham"), "İlham");
        assert_eq!(lang("en").capitalize("ilham"), "Ilham");
        assert_eq!(lang("az").lowercase("IRAN"), "ıran");
    }

    #[test]
    fn tags_refused_with_the_shipped_list() {
        let e = Language::new("english!").unwrap_err();
        assert!(e.to_string().contains("en, zh-Hans, ru, az"), "{e}");
        assert_eq!(lang("zh-hans").tag(), "zh-Hans");
    }

    #[test]
    fn languages_are_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Language>();
    }
}
