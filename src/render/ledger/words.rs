//! The ledger's words: sheet names, column headings and the About sheet's labels, from
//! `templates/<lang>/ledger.toml`. A user's copy need hold only the keys it changes; a key the defaults
//! lack is refused (a typo would otherwise leave a heading silently in English).

use rustc_hash::FxHashMap as HashMap;

use crate::render::engine::TemplateError;
use crate::render::templates::{Template, DEFAULTS};

/// The default file's name among the templates.
const FILE: &str = "ledger.toml";

/// The longest sheet name Excel accepts.
const MAX_SHEET_NAME: usize = 31;

/// Every word of the ledger, by table and key ("commitments", "summary").
#[derive(Debug, Clone)]
pub struct Words {
    words: HashMap<(String, String), String>,
}

impl Default for Words {
    fn default() -> Self {
        Self::parse(None).unwrap_or_else(|e| panic!("the built-in {FILE} is broken: {e}"))
    }
}

impl Words {
    /// The default words, with the given `ledger.toml` (a user's, one set in memory, or the
    /// default itself) over them.
    pub fn parse(user: Option<&Template>) -> Result<Self, TemplateError> {
        let default = DEFAULTS
            .iter()
            .find(|(f, _)| *f == FILE)
            .map_or("", |(_, text)| *text);
        let mut words = HashMap::default();
        read(default, FILE, &mut words, None)?;
        if let Some(t) = user {
            let known: Vec<(String, String)> = words.keys().cloned().collect();
            read(&t.text, &t.display_name(), &mut words, Some(&known))?;
        }
        let this = Self { words };
        this.check_sheet_names()?;
        Ok(this)
    }

    /// The word at `table.key`; empty if there is none (every key the code asks for is in the
    /// defaults, which a test checks).
    pub fn get(&self, table: &str, key: &str) -> &str {
        self.words
            .get(&(table.to_string(), key.to_string()))
            .map_or("", String::as_str)
    }

    /// Excel refuses a sheet name that is empty, longer than 31 characters, or has `[]:*?/\`.
    fn check_sheet_names(&self) -> Result<(), TemplateError> {
        for key in ["commitments", "events", "sources", "about"] {
            let name = self.get("sheets", key);
            let bad = name.chars().find(|c| "[]:*?/\\".contains(*c));
            if name.trim().is_empty() || name.chars().count() > MAX_SHEET_NAME || bad.is_some() {
                return Err(whole(format!(
                    "sheets.{key} = {name:?} cannot name a sheet: give 1 to 31 characters \
                     without [ ] : * ? / \\"
                )));
            }
        }
        Ok(())
    }
}

/// Reads one file's tables of strings into `words`; with `known`, refuses keys not among them.
fn read(
    text: &str,
    name: &str,
    words: &mut HashMap<(String, String), String>,
    known: Option<&[(String, String)]>,
) -> Result<(), TemplateError> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((None, None), |s| line_column(text, s.start));
        TemplateError {
            template: name.to_string(),
            line,
            column,
            message: e.message().to_string(),
        }
    })?;
    for (table, value) in doc {
        let Some(entries) = value.as_table() else {
            return Err(named(name, format!("`{table}` must be a table: [{table}]")));
        };
        for (key, value) in entries {
            let k = (table.clone(), key.clone());
            if known.is_some_and(|known| !known.contains(&k)) {
                return Err(named(
                    name,
                    format!("unknown key `{table}.{key}`; the built-in {FILE} lists every key"),
                ));
            }
            let Some(text) = value.as_str() else {
                return Err(named(name, format!("`{table}.{key}` must be a string")));
            };
            words.insert(k, text.to_string());
        }
    }
    Ok(())
}

pub(crate) fn line_column(text: &str, at: usize) -> (Option<usize>, Option<usize>) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (Some(line), Some(column))
}

fn named(name: &str, message: String) -> TemplateError {
    TemplateError {
        template: name.to_string(),
        line: None,
        column: None,
        message,
    }
}

fn whole(message: String) -> TemplateError {
    named(FILE, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::Templates;

    fn user(text: &str) -> Result<Words, TemplateError> {
        let mut set = Templates::defaults();
        assert!(set.set(
            "ledger.toml",
            text.to_string(),
            Some("mine/ledger.toml".into())
        ));
        let t = set.templates.iter().find(|t| t.name == "ledger").unwrap();
        Words::parse(Some(t))
    }

    #[test]
    fn a_user_file_changes_only_its_keys() {
        let w = user("[commitments]\nsummary = \"Résumé\"\n").unwrap();
        assert_eq!(w.get("commitments", "summary"), "Résumé");
        assert_eq!(w.get("commitments", "status"), "Status");
    }

    #[test]
    fn the_engine_takes_a_ledger_toml_set_in_memory() {
        let mut set = Templates::defaults();
        set.set("ledger.toml", "[sheets]\nabout = \"Über\"\n".into(), None);
        let engine = crate::render::engine::TemplateEngine::new(&set).unwrap();
        assert_eq!(engine.ledger_words().get("sheets", "about"), "Über");
        assert_eq!(engine.ledger_words().get("sheets", "events"), "Events");
    }

    #[test]
    fn unknown_keys_bad_toml_and_bad_sheet_names_are_refused() {
        let e = user("[commitments]\nsumary = \"x\"\n").unwrap_err();
        assert!(
            e.message.contains("unknown key `commitments.sumary`"),
            "{e}"
        );
        let e = user("[commitments]\nsummary = \n").unwrap_err();
        assert_eq!(
            (e.template.as_str(), e.line),
            ("mine/ledger.toml", Some(2)),
            "{e}"
        );
        let e = user("[sheets]\nevents = \"a/b\"\n").unwrap_err();
        assert!(e.message.contains("cannot name a sheet"), "{e}");
    }
}
