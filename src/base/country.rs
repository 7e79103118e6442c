//! ISO 3166-1 country codes.
//!
//! Codes name files and headings, so they are checked against the full ISO list (249 entries,
//! taken from Debian's iso-codes) rather than a pattern: `XX` or `UK` is a typo to report, not a
//! country to invent.

/// One ISO 3166-1 entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub name: &'static str,
}

const TABLE: &str = include_str!("countries/en.tsv");

fn entries() -> impl Iterator<Item = Country> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let mut it = l.split('\t');
            Some(Country {
                alpha2: it.next()?,
                alpha3: it.next()?,
                name: it.next()?,
            })
        })
}

/// Looks up an alpha-2 code; the code must be upper case, as ISO writes it.
pub fn lookup(alpha2: &str) -> Option<Country> {
    entries().find(|c| c.alpha2 == alpha2)
}

/// A hint for a code that is not in the list: the upper-case form, an alpha-3 code, or a name.
pub fn suggest(code: &str) -> Option<Country> {
    let upper = code.to_ascii_uppercase();
    entries().find(|c| {
        c.alpha2 == upper || c.alpha3 == upper || c.name.eq_ignore_ascii_case(code.trim())
    })
}

/// The names of the countries in the shipped languages other than English, from CLDR
/// (`countries/generate.py` writes them): (primary language subtag, table).
const NAMES: [(&str, &str); 3] = [
    ("ru", include_str!("countries/ru.tsv")),
    ("az", include_str!("countries/az.tsv")),
    ("zh", include_str!("countries/zh-Hans.tsv")),
];

/// The name of the country `alpha2` in the language `tag`: CLDR's for Russian, Azerbaijani and
/// Chinese, the ISO (English) name otherwise.
pub fn name_in(alpha2: &str, tag: &str) -> Option<&'static str> {
    let primary = crate::base::lang::primary(tag);
    let Some((_, table)) = NAMES.iter().find(|(p, _)| *p == primary) else {
        return lookup(alpha2).map(|c| c.name);
    };
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(alpha2)?.strip_prefix('\t'))
}

/// Whether CLDR's country names for the language `primary` (a primary subtag: "ru") ship.
pub fn has_names(primary: &str) -> bool {
    primary == "en" || NAMES.iter().any(|(p, _)| *p == primary)
}

/// How many entries the list has.
pub fn count() -> usize {
    entries().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_list() {
        assert_eq!(count(), 249);
        assert_eq!(lookup("AZ").unwrap().name, "Azerbaijan");
        assert_eq!(lookup("CN").unwrap().alpha3, "CHN");
        assert!(lookup("XX").is_none());
        assert!(lookup("az").is_none());
        assert_eq!(suggest("az").unwrap().alpha2, "AZ");
        assert_eq!(suggest("AZE").unwrap().alpha2, "AZ");
        assert_eq!(suggest("china").unwrap().alpha2, "CN");
        assert!(suggest("UK").is_none());
    }

    #[test]
    fn every_country_has_a_name_in_every_shipped_language() {
        for c in entries() {
            for tag in ["en", "ru", "az", "zh-Hans"] {
                assert!(name_in(c.alpha2, tag).is_some(), "{} in {tag}", c.alpha2);
            }
        }
        assert_eq!(name_in("AZ", "ru"), Some("Азербайджан"));
        assert_eq!(name_in("AZ", "az"), Some("Azərbaycan"));
        assert_eq!(name_in("AZ", "zh-Hans"), Some("阿塞拜疆"));
        assert_eq!(name_in("AZ", "en"), Some("Azerbaijan"));
        assert_eq!(name_in("XX", "ru"), None);
    }
}
