//! The dataset in the reader's language. A briefing in Russian names the parties, organisations,
//! fields, measures and entities by their Russian names (the manifest's `names`, else CLDR's for
//! a country, else the templates' `words.toml` for a built-in field) and uses each record's
//! Russian `translations` where it has them. What has none keeps its original text and is
//! counted, and each such record is marked, so that the briefing can say so.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::base::country;
use crate::base::lang::primary;
use crate::dataset::format::{Note, Translation};
use crate::dataset::Dataset;

/// What a briefing in another language shows in the original: for its warning and its header.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Untranslated {
    /// Records (documents, commitments, events, views) shown in the original.
    pub texts: usize,
    /// Names shown in the original: "organisation sco", "field custom-field", "title".
    pub names: Vec<String>,
}

impl Untranslated {
    pub fn is_empty(&self) -> bool {
        self.texts == 0 && self.names.is_empty()
    }
}

/// The entry of `map` for `tag`: its own key (any case), else one of the same language
/// ("zh" for "zh-Hans").
fn pick<'m, V>(map: &'m BTreeMap<String, V>, tag: &str) -> Option<&'m V> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(tag))
        .or_else(|| map.iter().find(|(k, _)| primary(k) == primary(tag)))
        .map(|(_, v)| v)
}

impl Dataset {
    /// The dataset as a briefing in the language `tag` shows it; itself, unchanged, when `tag`
    /// is the dataset's own language. `field_labels` are the built-in fields' labels in that
    /// language (`words.toml`'s `[fields]`).
    pub fn in_language(
        &self,
        tag: &str,
        field_labels: &HashMap<String, String>,
    ) -> Cow<'_, Dataset> {
        if primary(tag) == primary(&self.language) {
            return Cow::Borrowed(self);
        }
        let mut ds = self.clone();
        let mut missing = Untranslated::default();
        ds.name_in(tag, field_labels, &mut missing);
        for d in &mut ds.documents {
            let doc = &mut d.doc;
            doc.untranslated = !translate(&doc.translations, tag, |t| {
                set(&mut doc.title, &t.title);
                if let (Some(place), Some(t)) = (&mut doc.place, &t.place) {
                    *place = t.clone();
                }
                set_note(&mut doc.note, &t.note);
            });
            for source in &mut doc.sources {
                if let Some(t) = pick(&source.translations, tag) {
                    set_note(&mut source.note, &t.note);
                }
            }
            for c in &mut doc.commitments {
                c.untranslated = !translate(&c.translations, tag, |t| {
                    set(&mut c.summary, &t.summary);
                    set_note(&mut c.note, &t.note);
                    if let (Some(level), Some(t)) = (&mut c.partnership, &t.partnership) {
                        *level = t.clone();
                    }
                });
            }
            for e in &mut doc.events {
                e.untranslated = !translate(&e.translations, tag, |t| {
                    set(&mut e.summary, &t.summary);
                    set_note(&mut e.note, &t.note);
                });
            }
            for a in &mut doc.assessments {
                a.untranslated =
                    !translate(&a.translations, tag, |t| set(&mut a.summary, &t.summary));
            }
            let records = [doc.untranslated]
                .into_iter()
                .chain(doc.commitments.iter().map(|c| c.untranslated))
                .chain(doc.events.iter().map(|e| e.untranslated))
                .chain(doc.assessments.iter().map(|a| a.untranslated));
            missing.texts += records.filter(|u| *u).count();
        }
        ds.untranslated = missing;
        Cow::Owned(ds)
    }

    /// The names of the vocabulary in `tag`.
    fn name_in(
        &mut self,
        tag: &str,
        field_labels: &HashMap<String, String>,
        missing: &mut Untranslated,
    ) {
        let own_language = primary(tag);
        for p in &mut self.parties {
            let cldr = country::name_in(&p.code, tag).filter(|_| country::has_names(&own_language));
            match pick(&p.names, tag).map(String::as_str).or(cldr) {
                Some(n) => p.name = n.to_string(),
                None => missing.names.push(format!("party {}", p.code)),
            }
        }
        match pick(&self.titles, tag) {
            Some(t) => self.title = t.clone(),
            None if self.title_given => missing.names.push("title".into()),
            None => self.title = format!("{}–{}", self.parties[0].name, self.parties[1].name),
        }
        for o in &mut self.organisations {
            match pick(&o.names, tag) {
                Some(n) => {
                    o.name = n.clone();
                    o.short = None;
                    o.former.clear();
                }
                None => missing.names.push(format!("organisation {}", o.id)),
            }
        }
        for f in &mut self.fields {
            let built_in = f.built_in.then(|| field_labels.get(&f.id)).flatten();
            match pick(&f.names, tag).or(built_in) {
                Some(n) => f.label = n.clone(),
                None => missing.names.push(format!("field {}", f.id)),
            }
        }
        for m in &mut self.measures {
            match pick(&m.names, tag) {
                Some(n) => m.label = n.clone(),
                None => missing.names.push(format!("measure {}", m.id)),
            }
        }
        for e in &mut self.entities {
            match pick(&e.names, tag) {
                Some(n) => {
                    e.name = n.clone();
                    e.full_name = None;
                }
                None => missing.names.push(format!("entity {}", e.id)),
            }
        }
    }
}

/// Applies the translation into `tag`, if the record has one; whether it had. A record with no
/// text of its own to translate counts as translated.
fn translate(
    translations: &BTreeMap<String, Translation>,
    tag: &str,
    apply: impl FnOnce(&Translation),
) -> bool {
    match pick(translations, tag) {
        Some(t) => {
            apply(t);
            true
        }
        None => false,
    }
}

fn set(text: &mut String, translation: &Option<String>) {
    if let Some(t) = translation {
        *text = t.clone();
    }
}

fn set_note(note: &mut Option<Note>, translation: &Option<String>) {
    if let (Some(n), Some(t)) = (note, translation) {
        n.text = t.clone();
    }
}
