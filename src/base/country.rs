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

const TABLE: &str = include_str!("countries.tsv");

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
}
