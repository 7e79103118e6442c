//! The drafter's dictionaries: data files a desk can read and correct.
//!
//! Four files ship inside the binary, like the templates: `countries.toml` (names, demonyms,
//! capitals and people of each country), `organisations.toml`, `cues.toml` (what makes a clause
//! a commitment, and what does not) and `fields.toml` (keywords). `bilateral dictionaries DIR`
//! writes them out; a dataset's `dictionaries/` folder overrides them file by file.

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

/// The shipped dictionaries: file name and text.
pub const DEFAULTS: [(&str, &str); 4] = [
    (
        "countries.toml",
        include_str!("../../dictionaries/countries.toml"),
    ),
    (
        "organisations.toml",
        include_str!("../../dictionaries/organisations.toml"),
    ),
    ("cues.toml", include_str!("../../dictionaries/cues.toml")),
    (
        "fields.toml",
        include_str!("../../dictionaries/fields.toml"),
    ),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub code: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub capitals: Vec<String>,
    #[serde(default)]
    pub people: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    country: Vec<Country>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    organisation: Vec<Organisation>,
}

/// `cues.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    pub verbs: BTreeMap<String, Vec<String>>,
    pub openers: Vec<String>,
    pub undertakings: Vec<String>,
    pub skip: Vec<String>,
    pub pledges: BTreeMap<String, Vec<String>>,
    #[serde(rename = "not")]
    pub blockers: BTreeMap<String, Vec<String>>,
    pub conditions: Vec<String>,
    pub background: Vec<String>,
    pub mutual: Vec<String>,
    pub first_person: Vec<String>,
    pub greetings: Vec<String>,
    pub not_actors: Vec<String>,
    pub determiners: Vec<String>,
    pub reporting: Vec<String>,
    pub prepositions: Vec<String>,
    pub about: Vec<String>,
    pub kinds: Vec<KindCues>,
}

/// Cues for one document kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindCues {
    pub kind: String,
    pub cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldsFile {
    keywords: toml::Table,
}

/// A problem with a dictionary file.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct DictionaryError {
    pub file: String,
    pub message: String,
}

/// What a name in the text stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// A country, by its ISO code; `person` when the name is a person's.
    Country {
        code: String,
        person: bool,
    },
    Organisation(String),
}

/// The dictionaries, compiled for matching.
#[derive(Debug)]
pub struct Dictionaries {
    pub countries: Vec<Country>,
    pub organisations: Vec<Organisation>,
    pub cues: Cues,
    /// Field id → keywords, in file order.
    pub fields: Vec<(String, Vec<String>)>,
    pub(crate) names: Matcher<Name>,
    pub(crate) verbs: Matcher<Cue>,
    pub(crate) lists: BTreeMap<&'static str, Matcher<()>>,
    pub(crate) pledges: Matcher<String>,
    pub(crate) keywords: Matcher<usize>,
}

/// What a verb cue is: a verb with its action, or an opener that waits for its verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cue {
    Verb(String),
    Opener,
}

/// Patterns with labels, matched ignoring ASCII case, longest first, on word boundaries.
#[derive(Debug)]
pub struct Matcher<L> {
    ac: AhoCorasick,
    labels: Vec<L>,
    /// Upper-case patterns (abbreviations: "UN", "US") match only in upper case.
    exact: Vec<bool>,
}

/// A match: where, and the label's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub label: usize,
}

impl<L> Matcher<L> {
    /// Patterns matched ignoring ASCII case (cues, keywords).
    fn new(patterns: Vec<(String, L)>) -> Matcher<L> {
        Self::build(patterns, true)
    }

    /// Proper names: matched as written (a name is capitalised wherever it stands), which
    /// also makes the automaton for a thousand names quick to build.
    fn names(patterns: Vec<(String, L)>) -> Matcher<L> {
        Self::build(patterns, false)
    }

    fn build(patterns: Vec<(String, L)>, ignore_case: bool) -> Matcher<L> {
        let (pats, labels): (Vec<String>, Vec<L>) = patterns.into_iter().unzip();
        let exact = pats
            .iter()
            .map(|p| {
                p.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                    && p.len() <= 5
            })
            .collect();
        // A plain NFA: built in a fraction of a DFA's time, and an article is searched
        // a few dozen times, so building is most of the cost.
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(ignore_case)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&pats)
            // Entries are checked (non-empty, bounded in length and number) before they get here.
            .expect("checked dictionary entries build an automaton");
        Matcher { ac, labels, exact }
    }

    /// Every match in `text`, on word boundaries.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.ac
            .find_iter(text)
            .filter(|m| whole_word(text, m.start(), m.end()))
            .filter(|m| {
                let i = m.pattern().as_usize();
                !self.exact[i] || text[m.start()..m.end()].chars().all(|c| !c.is_lowercase())
            })
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                label: m.pattern().as_usize(),
            })
            .collect()
    }

    pub fn label(&self, hit: &Hit) -> &L {
        &self.labels[hit.label]
    }

    /// The match that starts exactly at `at`, if any.
    pub fn at(&self, text: &str, at: usize) -> Option<Hit> {
        let rest = &text[at..];
        let m = self.ac.find(rest)?;
        (m.start() == 0 && whole_word(text, at, at + m.end())).then(|| Hit {
            start: at,
            end: at + m.end(),
            label: m.pattern().as_usize(),
        })
    }
}

/// Whether `text[start..end]` begins and ends at word boundaries.
pub fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let glued_before = before.is_some_and(word) && first.is_some_and(word);
    let glued_after = after.is_some_and(word) && last.is_some_and(word);
    !(glued_before || glued_after)
}

impl Dictionaries {
    /// The shipped dictionaries.
    pub fn defaults() -> Dictionaries {
        Self::from_texts(&DEFAULTS.map(|(n, t)| (n, t.to_string())))
            .expect("the shipped dictionaries are valid")
    }

    /// The shipped dictionaries, each replaced by `dir/NAME` where that file exists.
    pub fn with_overrides(dir: &Path) -> Result<Dictionaries, DictionaryError> {
        let mut texts = Vec::new();
        for (name, text) in DEFAULTS {
            let path = dir.join(name);
            let t = match read_limited(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => text.to_string(),
                Err(e) => {
                    return Err(DictionaryError {
                        file: path.display().to_string(),
                        message: e.to_string(),
                    })
                }
            };
            texts.push((name, t));
        }
        Self::from_texts(&texts).map_err(|mut e| {
            e.file = dir.join(&e.file).display().to_string();
            e
        })
    }

    /// Compiles dictionaries from their texts (file name, text).
    pub fn from_texts(texts: &[(&str, String)]) -> Result<Dictionaries, DictionaryError> {
        let get = |name: &str| {
            texts
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.as_str())
                .unwrap_or_default()
        };
        let countries: CountriesFile = parse("countries.toml", get("countries.toml"))?;
        let orgs: OrganisationsFile = parse("organisations.toml", get("organisations.toml"))?;
        let cues = cues(get("cues.toml"))?;
        let fields: FieldsFile = parse("fields.toml", get("fields.toml"))?;
        let fields = field_list(fields.keywords)?;
        check_entries(
            "countries.toml",
            countries.country.iter().flat_map(|c| {
                c.names
                    .iter()
                    .chain(&c.demonyms)
                    .chain(&c.capitals)
                    .chain(&c.people)
            }),
        )?;
        check_entries(
            "organisations.toml",
            orgs.organisation.iter().flat_map(|o| &o.names),
        )?;
        check_entries("cues.toml", cue_entries(&cues))?;
        check_entries("fields.toml", fields.iter().flat_map(|f| &f.1))?;
        Ok(Self::compile(
            countries.country,
            orgs.organisation,
            cues,
            fields,
        ))
    }

    fn compile(
        countries: Vec<Country>,
        organisations: Vec<Organisation>,
        cues: Cues,
        fields: Vec<(String, Vec<String>)>,
    ) -> Dictionaries {
        // The names take longest to build: on the other core, beside the cues.
        let (names, (verbs, lists, pledges, keywords)) = crate::base::parallel::join(
            || names(&countries, &organisations),
            || cue_matchers(&cues, &fields),
        );
        Dictionaries {
            names,
            verbs,
            lists,
            pledges,
            keywords,
            countries,
            organisations,
            cues,
            fields,
        }
    }

    /// The dictionaries with a dataset's own names: its parties' aliases (code, alias) join
    /// their countries' names; a dictionary organisation that shares a name with one of the
    /// dataset's takes the dataset's id (and its names); the others are added.
    pub fn with_dataset(
        self,
        dataset: &[Organisation],
        aliases: &[(String, String)],
    ) -> Dictionaries {
        let mut countries = self.countries;
        for (code, alias) in aliases {
            match countries.iter_mut().find(|c| &c.code == code) {
                Some(c) => c.names.push(alias.clone()),
                None => countries.push(Country {
                    code: code.clone(),
                    names: vec![alias.clone()],
                    demonyms: Vec::new(),
                    capitals: Vec::new(),
                    people: Vec::new(),
                }),
            }
        }
        let mut orgs = self.organisations;
        for d in dataset {
            let same = |o: &Organisation| {
                o.names
                    .iter()
                    .any(|n| d.names.iter().any(|m| m.eq_ignore_ascii_case(n)))
            };
            match orgs.iter_mut().find(|o| same(o)) {
                Some(o) => {
                    o.id = d.id.clone();
                    o.names.extend(d.names.iter().cloned());
                }
                None => orgs.push(d.clone()),
            }
        }
        Dictionaries {
            names: names(&countries, &orgs),
            countries,
            organisations: orgs,
            ..self
        }
    }

    /// A list of cues by name ("negation", "mutual" …); an empty matcher if the file has none.
    pub(crate) fn list(&self, name: &str) -> Option<&Matcher<()>> {
        self.lists.get(name)
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.code == code)
    }

    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }
}

/// The matcher of every country and organisation name.
fn names(countries: &[Country], organisations: &[Organisation]) -> Matcher<Name> {
    let mut names = Vec::new();
    for c in countries {
        let country = |person| Name::Country {
            code: c.code.clone(),
            person,
        };
        for n in c.names.iter().chain(&c.demonyms).chain(&c.capitals) {
            names.push((n.clone(), country(false)));
        }
        names.extend(c.people.iter().map(|n| (n.clone(), country(true))));
    }
    for o in organisations {
        names.extend(
            o.names
                .iter()
                .map(|n| (n.clone(), Name::Organisation(o.id.clone()))),
        );
    }
    Matcher::names(names)
}

type CueMatchers = (
    Matcher<Cue>,
    BTreeMap<&'static str, Matcher<()>>,
    Matcher<String>,
    Matcher<usize>,
);

/// The matchers of the cues and the field keywords.
fn cue_matchers(cues: &Cues, fields: &[(String, Vec<String>)]) -> CueMatchers {
    let mut verbs: Vec<(String, Cue)> = cues
        .verbs
        .iter()
        .flat_map(|(action, list)| list.iter().map(|v| (v.clone(), Cue::Verb(action.clone()))))
        .collect();
    verbs.extend(cues.openers.iter().map(|o| (o.clone(), Cue::Opener)));
    let list = |l: &[String]| Matcher::new(l.iter().map(|s| (s.clone(), ())).collect());
    let mut lists = BTreeMap::new();
    for (k, l) in [
        ("skip", &cues.skip),
        ("undertakings", &cues.undertakings),
        ("conditions", &cues.conditions),
        ("background", &cues.background),
        ("mutual", &cues.mutual),
        ("first_person", &cues.first_person),
        ("greetings", &cues.greetings),
        ("not_actors", &cues.not_actors),
        ("determiners", &cues.determiners),
        ("reporting", &cues.reporting),
        ("prepositions", &cues.prepositions),
        ("about", &cues.about),
    ] {
        lists.insert(k, list(l));
    }
    for (k, l) in &cues.blockers {
        let key: &'static str = match k.as_str() {
            "negation" => "negation",
            "expectation" => "expectation",
            "prediction" => "prediction",
            "opinion" => "opinion",
            _ => continue,
        };
        lists.insert(key, list(l));
    }
    let pledges = cues
        .pledges
        .iter()
        .flat_map(|(a, l)| l.iter().map(|v| (v.clone(), a.clone())))
        .collect();
    let keywords = fields
        .iter()
        .enumerate()
        .flat_map(|(i, (_, l))| l.iter().map(move |k| (k.clone(), i)))
        .collect();
    (
        Matcher::new(verbs),
        lists,
        Matcher::new(pledges),
        Matcher::new(keywords),
    )
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, DictionaryError> {
    toml::from_str(text).map_err(|e| DictionaryError {
        file: file.to_string(),
        message: e.to_string(),
    })
}

/// The longest dictionary entry, and the most entries one file may hold: far beyond any real
/// dictionary, and low enough that the matchers always build.
const MAX_ENTRY_CHARS: usize = 200;
const MAX_ENTRIES: usize = 100_000;

/// Every entry of a file non-empty and short enough, and not too many of them.
fn check_entries<'a>(
    file: &str,
    entries: impl Iterator<Item = &'a String>,
) -> Result<(), DictionaryError> {
    let fail = |message: String| {
        Err(DictionaryError {
            file: file.to_string(),
            message,
        })
    };
    let mut n = 0;
    for e in entries {
        n += 1;
        if e.trim().is_empty() {
            return fail("an empty entry: remove it".into());
        }
        if e.chars().count() > MAX_ENTRY_CHARS {
            return fail(format!(
                "an entry longer than {MAX_ENTRY_CHARS} characters: “{}…”",
                e.chars().take(40).collect::<String>()
            ));
        }
    }
    if n > MAX_ENTRIES {
        return fail(format!("{n} entries; the limit is {MAX_ENTRIES}"));
    }
    Ok(())
}

/// Every string of `cues.toml`.
fn cue_entries(c: &Cues) -> impl Iterator<Item = &String> {
    let lists = [
        &c.openers,
        &c.undertakings,
        &c.skip,
        &c.conditions,
        &c.background,
        &c.mutual,
        &c.first_person,
        &c.greetings,
        &c.not_actors,
        &c.determiners,
        &c.reporting,
        &c.prepositions,
        &c.about,
    ];
    lists
        .into_iter()
        .flatten()
        .chain(c.verbs.values().flatten())
        .chain(c.pledges.values().flatten())
        .chain(c.blockers.values().flatten())
        .chain(c.kinds.iter().flat_map(|k| &k.cues))
}

/// A dictionary file's text, at most the dataset files' limit.
fn read_limited(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let limit = crate::dataset::load::MAX_FILE_BYTES;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than the limit of {} MiB",
            limit / 1024 / 1024
        )));
    }
    Ok(text)
}

/// `cues.toml`, its actions checked against the format's.
fn cues(text: &str) -> Result<Cues, DictionaryError> {
    #[derive(Deserialize)]
    struct Raw {
        verbs: BTreeMap<String, Vec<String>>,
        openers: Vec<String>,
        undertakings: Vec<String>,
        skip: Vec<String>,
        pledges: BTreeMap<String, Vec<String>>,
        #[serde(rename = "not")]
        blockers: BTreeMap<String, Vec<String>>,
        conditions: Vec<String>,
        background: Vec<String>,
        mutual: Vec<String>,
        first_person: Vec<String>,
        greetings: Vec<String>,
        not_actors: Vec<String>,
        determiners: Vec<String>,
        reporting: Vec<String>,
        prepositions: Vec<String>,
        about: Vec<String>,
        kinds: Vec<KindCues>,
    }
    let raw: Raw = parse("cues.toml", text)?;
    let kinds = raw.kinds;
    for action in raw.verbs.keys().chain(raw.pledges.keys()) {
        if super::action(action).is_none() {
            return Err(DictionaryError {
                file: "cues.toml".into(),
                message: format!("`{action}` is not an action of the dataset format"),
            });
        }
    }
    Ok(Cues {
        verbs: raw.verbs,
        openers: raw.openers,
        undertakings: raw.undertakings,
        skip: raw.skip,
        pledges: raw.pledges,
        blockers: raw.blockers,
        conditions: raw.conditions,
        background: raw.background,
        mutual: raw.mutual,
        first_person: raw.first_person,
        greetings: raw.greetings,
        not_actors: raw.not_actors,
        determiners: raw.determiners,
        reporting: raw.reporting,
        prepositions: raw.prepositions,
        about: raw.about,
        kinds,
    })
}

/// Field id → keywords (by id; a clause's tie goes to the field first in the dataset's
/// vocabulary).
fn field_list(table: toml::Table) -> Result<Vec<(String, Vec<String>)>, DictionaryError> {
    let file = "fields.toml";
    table
        .into_iter()
        .map(|(k, v)| {
            let list = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .ok_or_else(|| DictionaryError {
                    file: file.to_string(),
                    message: format!("`{k}` must be a list of strings"),
                })?;
            Ok((k, list))
        })
        .collect()
}

/// Writes the shipped dictionaries into `dir` (never over an existing file); returns the paths
/// written.
pub fn write_defaults(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, _) in DEFAULTS {
        let path = dir.join(name);
        if path.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} exists; move it away first (nothing was written over)",
                    path.display()
                ),
            ));
        }
    }
    for (name, text) in DEFAULTS {
        let path = dir.join(name);
        crate::base::atomic::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_dictionaries_compile() {
        let d = Dictionaries::defaults();
        assert!(d.countries.len() > 90);
        let hits = d.names.find("Beijing and Baku, and the UN; the u.n. not");
        let labels: Vec<_> = hits.iter().map(|h| d.names.label(h).clone()).collect();
        assert_eq!(
            labels[0],
            Name::Country {
                code: "CN".into(),
                person: false
            }
        );
        assert_eq!(
            labels[1],
            Name::Country {
                code: "AZ".into(),
                person: false
            }
        );
        assert_eq!(labels[2], Name::Organisation("un".into()));
        assert_eq!(labels.len(), 3, "{labels:?}");
    }
}
