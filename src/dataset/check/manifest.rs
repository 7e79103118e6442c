//! The manifest: exactly two parties with real ISO codes and distinct aliases, organisations
//! declared once, fields (the defaults, relabelled or extended), the title.

use std::collections::{HashMap, HashSet};

use crate::base::country;
use crate::dataset::format::{Manifest, DEFAULT_FIELDS};
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};
use crate::dataset::{Field, PartyInfo};

use super::text::{Checker, TextKind};

/// What documents are checked against.
pub(super) struct Vocabulary {
    pub parties: Vec<PartyInfo>,
    /// Every name a document may use for a party (code or alias), mapped to its code.
    pub party_refs: HashMap<String, String>,
    pub org_ids: HashSet<String>,
    pub fields: Vec<Field>,
    /// Measure ids declared in the manifest.
    pub measures: HashSet<String>,
    /// Entity ids, each with its country's code (a party's canonical code, or a third country's).
    pub entities: HashMap<String, String>,
    /// With a broken party list, references to parties cannot be judged: say nothing of them.
    pub parties_ok: bool,
}

impl Vocabulary {
    pub fn field_help(&self) -> String {
        format!(
            "known fields: {}; add new ones under [[fields]] in the manifest",
            self.fields
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

pub(super) fn manifest(ck: &mut Checker<'_>, manifest: &Parsed<Manifest>) -> Vocabulary {
    let (parties, party_refs) = parties(ck, manifest);
    let org_ids = organisations(ck, manifest, &party_refs);
    let fields = fields(ck, manifest);
    let measures = super::measures::measures(ck, manifest);
    let entities = super::measures::entities(ck, manifest, &party_refs, &org_ids);
    if let Some(t) = &manifest.value.title {
        ck.text(manifest, "title", t, TextKind::Name);
    }
    super::translations::manifest(ck, manifest);
    Vocabulary {
        parties_ok: parties.len() == 2 && manifest.value.parties.len() == 2,
        parties,
        party_refs,
        org_ids,
        fields,
        measures,
        entities,
    }
}

/// Parties: exactly two, real ISO codes, distinct; and every name documents may use for them.
fn parties(
    ck: &mut Checker<'_>,
    manifest: &Parsed<Manifest>,
) -> (Vec<PartyInfo>, HashMap<String, String>) {
    let m = &manifest.value;
    let mut parties: Vec<PartyInfo> = Vec::new();
    let mut party_refs: HashMap<String, String> = HashMap::new();
    if m.parties.len() != 2 {
        ck.out.push(
            manifest
                .error_at(
                    "parties",
                    format!(
                        "a dataset covers a pair: found {}",
                        if m.parties.len() == 1 {
                            "1 party".to_string()
                        } else {
                            format!("{} parties", m.parties.len())
                        }
                    ),
                )
                .help("list exactly two parties, each with its ISO 3166-1 alpha-2 code"),
        );
    }
    for (i, party) in m.parties.iter().enumerate() {
        let path = index("parties", i);
        let Some(c) = country::lookup(&party.code) else {
            let help = match country::suggest(&party.code) {
                Some(c) => format!("did you mean \"{}\" ({})?", c.alpha2, c.name),
                None => "use an ISO 3166-1 alpha-2 code, upper case, such as \"AZ\" or \"CN\""
                    .to_string(),
            };
            let message = format!("unknown country code `{}`", party.code.escape_debug());
            ck.out
                .push(manifest.error_at(&key(&path, "code"), message).help(help));
            continue;
        };
        if parties.iter().any(|p| p.code == party.code) {
            let message = format!("party `{}` is listed twice", party.code);
            ck.out.push(
                manifest
                    .error_at(&key(&path, "code"), message)
                    .help("a pair is two different countries"),
            );
            continue;
        }
        if let Some(n) = &party.name {
            ck.text(manifest, &key(&path, "name"), n, TextKind::Name);
        }
        aliases(ck, manifest, &path, party, &mut party_refs);
        party_refs.insert(party.code.clone(), party.code.clone());
        parties.push(PartyInfo {
            code: party.code.clone(),
            name: party.name.clone().unwrap_or_else(|| c.name.to_string()),
            names: party.names.clone(),
        });
    }
    (parties, party_refs)
}

/// A party's aliases, each naming one party only.
fn aliases(
    ck: &mut Checker<'_>,
    manifest: &Parsed<Manifest>,
    path: &str,
    party: &crate::dataset::format::Party,
    party_refs: &mut HashMap<String, String>,
) {
    for (j, alias) in party.aliases.iter().enumerate() {
        let apath = index(&key(path, "aliases"), j);
        ck.text(manifest, &apath, alias, TextKind::Name);
        let other = manifest
            .value
            .parties
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(alias) && p.code != party.code);
        let country = crate::base::country::lookup(&alias.to_ascii_uppercase())
            .filter(|c| alias.len() == 2 && !c.alpha2.eq_ignore_ascii_case(&party.code));
        if let (None, Some(c)) = (other, country) {
            let message = format!(
                "alias `{alias}` of {} is the country code of {}",
                party.code, c.name
            );
            let help = "a two-letter alias would shadow that country as a target; remove it or use a longer name";
            ck.out.push(manifest.error_at(&apath, message).help(help));
            continue;
        }
        if let Some(other) = other {
            ck.out.push(
                manifest
                    .error_at(
                        &apath,
                        format!(
                            "alias `{alias}` of {} is the other party's code",
                            party.code
                        ),
                    )
                    .help(format!(
                        "documents would mean {} by it; remove the alias or correct it",
                        other.code
                    )),
            );
            continue;
        }
        if party_refs
            .insert(alias.clone(), party.code.clone())
            .is_some()
        {
            ck.out.push(
                manifest
                    .error_at(&apath, format!("alias `{alias}` is used twice"))
                    .help("an alias must name one party only"),
            );
        }
    }
}

/// An organisation's former names: text, and dates in order.
fn former_names(
    ck: &mut Checker<'_>,
    manifest: &Parsed<Manifest>,
    path: &str,
    org: &crate::dataset::format::Organisation,
) {
    let mut last: Option<crate::PartialDate> = None;
    for (j, f) in org.former.iter().enumerate() {
        let fpath = index(&key(path, "former"), j);
        ck.text(manifest, &key(&fpath, "name"), &f.name, TextKind::Name);
        if let Some(s) = &f.short {
            ck.text(manifest, &key(&fpath, "short"), s, TextKind::Name);
        }
        if f.name.trim() == org.name.trim() {
            let message = format!(
                "former name `{}` is the organisation's current name",
                f.name.escape_debug()
            );
            let help = "a former name is one it no longer uses; remove this entry";
            ck.out
                .push(manifest.error_at(&key(&fpath, "name"), message).help(help));
        }
        if let Some(prev) = last.filter(|p| f.until <= *p) {
            ck.out.push(
                manifest
                    .error_at(
                        &key(&fpath, "until"),
                        format!(
                            "former name dated {} is not after the one before ({prev})",
                            f.until
                        ),
                    )
                    .help(
                        "list former names oldest first, each with the date it stopped being used",
                    ),
            );
        }
        last = Some(f.until);
    }
}

fn organisations(
    ck: &mut Checker<'_>,
    manifest: &Parsed<Manifest>,
    party_refs: &HashMap<String, String>,
) -> HashSet<String> {
    let m = &manifest.value;
    let mut org_ids: HashSet<String> = HashSet::new();
    for (i, org) in m.organisations.iter().enumerate() {
        let path = index("organisations", i);
        let id_path = key(&path, "id");
        if ck.id(manifest, &id_path, &org.id) && !org_ids.insert(org.id.clone()) {
            ck.out.push(
                manifest
                    .error_at(
                        &id_path,
                        format!("organisation `{}` is declared twice", org.id),
                    )
                    .help("remove one of the two declarations"),
            );
        }
        if party_refs.contains_key(&org.id) {
            ck.out.push(
                manifest
                    .error_at(
                        &id_path,
                        format!("`{}` names both a party and an organisation", org.id),
                    )
                    .help("give the organisation another id"),
            );
        }
        ck.text(manifest, &key(&path, "name"), &org.name, TextKind::Name);
        if let Some(s) = &org.short {
            ck.text(manifest, &key(&path, "short"), s, TextKind::Name);
        }
        former_names(ck, manifest, &path, org);
    }

    org_ids
}

/// The default fields, relabelled or extended by the manifest.
fn fields(ck: &mut Checker<'_>, manifest: &Parsed<Manifest>) -> Vec<Field> {
    let m = &manifest.value;
    let mut fields: Vec<Field> = DEFAULT_FIELDS
        .iter()
        .map(|(id, label)| Field {
            id: id.to_string(),
            label: label.to_string(),
            names: Default::default(),
            built_in: true,
        })
        .collect();
    let mut declared: HashSet<String> = HashSet::new();
    for (i, f) in m.fields.iter().enumerate() {
        let path = index("fields", i);
        let id_path = key(&path, "id");
        if !ck.id(manifest, &id_path, &f.id) {
            continue;
        }
        if !declared.insert(f.id.clone()) {
            ck.out.push(
                manifest
                    .error_at(&id_path, format!("field `{}` is declared twice", f.id))
                    .help("remove one of the two declarations"),
            );
            continue;
        }
        ck.text(manifest, &key(&path, "label"), &f.label, TextKind::Name);
        match fields.iter_mut().find(|x| x.id == f.id) {
            Some(existing) => {
                existing.label = f.label.clone();
                existing.names = f.names.clone();
                existing.built_in = false;
            }
            None => fields.push(Field {
                id: f.id.clone(),
                label: f.label.clone(),
                names: f.names.clone(),
                built_in: false,
            }),
        }
    }
    fields
}
