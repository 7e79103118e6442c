//! The handlebars helpers the templates use: dates, counts, names, citations. Each is a small
//! pure function of its parameters and the briefing (for display names); a wrong parameter is an
//! error naming the helper.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::Value;

use std::sync::Arc;

use crate::base::date::PartialDate;
use crate::base::lang::unspaced;
use crate::render::markdown::{escape, mermaid_text};
use crate::render::speech::Speech;

type HelperFn = fn(&[&Value], &Env) -> Result<Value, String>;

/// What a helper is given besides its parameters: the briefing (the root context, for labels),
/// its named arguments (`one="…"`) and the reader's language.
pub(crate) struct Env<'a> {
    pub root: &'a Value,
    pub hash: Vec<(&'a str, &'a Value)>,
    pub speech: &'a Speech,
}

/// A helper computed from its parameters and the briefing (the root context, for labels).
struct Simple {
    name: &'static str,
    arity: std::ops::RangeInclusive<usize>,
    f: HelperFn,
    speech: Arc<Speech>,
}

impl HelperDef for Simple {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let params: Vec<&Value> = h.params().iter().map(|p| p.value()).collect();
        if !self.arity.contains(&params.len()) {
            return Err(RenderErrorReason::Other(format!(
                "helper `{}` takes {} to {} parameters, got {}",
                self.name,
                self.arity.start(),
                self.arity.end(),
                params.len()
            ))
            .into());
        }
        for (i, p) in h.params().iter().enumerate() {
            if p.is_value_missing() {
                return Err(RenderErrorReason::Other(format!(
                    "helper `{}`: parameter {} (`{}`) is not in the briefing model",
                    self.name,
                    i + 1,
                    p.relative_path().map(String::as_str).unwrap_or("?")
                ))
                .into());
            }
        }
        let env = Env {
            root: ctx.data(),
            hash: h.hash().iter().map(|(k, v)| (*k, v.value())).collect(),
            speech: &self.speech,
        };
        (self.f)(&params, &env)
            .map(ScopedJson::Derived)
            .map_err(|m| RenderErrorReason::Other(format!("helper `{}`: {m}", self.name)).into())
    }
}

pub(crate) fn register_helpers(r: &mut Handlebars<'static>, speech: &Arc<Speech>) {
    let helpers: [(&'static str, std::ops::RangeInclusive<usize>, HelperFn); 34] = [
        ("capitalize", 1..=1, h_capitalize),
        ("lowercase", 1..=1, h_lowercase),
        ("kib", 1..=1, h_kib),
        ("num", 1..=1, h_number),
        ("list", 1..=2, h_list),
        ("list_sep", 2..=3, h_list_sep),
        ("in_reader_language", 1..=1, h_in_reader_language),
        ("human_date", 1..=1, h_date),
        ("date_form", 1..=1, h_date_form),
        ("date_precision", 1..=1, h_date_precision),
        ("cref", 1..=1, h_cref),
        ("period_text", 1..=1, h_period),
        ("plural", 1..=3, h_plural),
        ("field_label", 1..=1, h_field),
        ("field_labels", 1..=1, h_field_list),
        ("country_name", 1..=1, h_country),
        ("target_name", 1..=2, h_target),
        ("country_of", 1..=1, h_country_of),
        ("scaled", 1..=2, h_scaled),
        ("decimal", 1..=1, h_decimal),
        ("abs", 1..=1, h_abs),
        ("has_article", 1..=1, h_has_article),
        ("has_image", 1..=1, h_has_image),
        ("says_who", 3..=6, h_says_who),
        ("in_sentence", 1..=1, h_in_sentence),
        ("short", 2..=2, h_short),
        ("link", 1..=1, h_link),
        ("words", 1..=1, h_label),
        ("cite", 1..=1, h_cite),
        ("mermaid", 1..=1, h_mermaid),
        ("signed", 1..=2, h_signed),
        ("clause", 1..=1, h_clause),
        ("minus", 2..=2, h_minus),
        ("add", 2..=2, h_add),
    ];
    for (name, arity, f) in helpers {
        let speech = Arc::clone(speech);
        r.register_helper(
            name,
            Box::new(Simple {
                name,
                arity,
                f,
                speech,
            }),
        );
    }
}

fn text(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| format!("expected text, got {v}"))
}

/// `{{human_date d}}`: the date in the reader's language with its precision kept: "2025",
/// "April 2025", "28 April 2025", "22–24 April 2025" (CLDR's forms, put together by
/// `words.toml`); null gives "".
fn h_date(p: &[&Value], e: &Env) -> Result<Value, String> {
    Ok(Value::String(
        date_param(p[0])?.map_or_else(String::new, |d| e.speech.date(&d)),
    ))
}

/// The date a helper was given; None for null.
fn date_param(v: &Value) -> Result<Option<PartialDate>, String> {
    match v {
        Value::Null => Ok(None),
        v => text(v)?.parse().map(Some).map_err(|e| format!("{e}")),
    }
}

/// `{{date_form d}}`: "span", "either" or "between" for a two-date form, "" for one date; the
/// `when` partial picks its preposition by it.
fn h_date_form(p: &[&Value], _: &Env) -> Result<Value, String> {
    let form = date_param(p[0])?.map_or("", |d| match d.kind_name() {
        k @ ("span" | "either" | "between") => k,
        _ => "",
    });
    Ok(Value::String(form.into()))
}

/// `{{date_precision d}}`: "year", "half", "quarter", "month" or "day" (of the first date).
fn h_date_precision(p: &[&Value], _: &Env) -> Result<Value, String> {
    let precision = date_param(p[0])?.map_or("", |d| d.precision().name());
    Ok(Value::String(precision.into()))
}

/// `{{cref number}}`: a commitment's number, "C12", linked to where the briefing lists it in full
/// (`[C12](#c12)`) when it does (the briefing's `listed` numbers, sorted).
fn h_cref(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let n = p[0]
        .as_u64()
        .ok_or_else(|| format!("expected a commitment number, got {}", p[0]))?;
    let listed = root["listed"].as_array().is_some_and(|l| {
        l.binary_search_by_key(&n, |v| v.as_u64().unwrap_or(0))
            .is_ok()
    });
    Ok(Value::String(if listed {
        format!("[C{n}](#c{n})")
    } else {
        format!("C{n}")
    }))
}

/// `{{period_text header.period}}`: "1 April 2025 to 30 June 2025", "all dates to 28 April
/// 2025" (`words.toml`'s `period` and `period_open`).
fn h_period(p: &[&Value], e: &Env) -> Result<Value, String> {
    let since = date_param(&p[0]["since"])?;
    let until = date_param(&p[0]["until"])?;
    Ok(Value::String(
        e.speech.period(since.as_ref(), until.as_ref()),
    ))
}

/// `{{plural n one="# commitment" other="# commitments"}}`: the form of the count's CLDR plural
/// category (Russian also needs `few` and `many`), with `#` written as the number; `n` may be a
/// list (its length). A category the language uses but the call lacks is an error naming it.
fn h_plural(p: &[&Value], e: &Env) -> Result<Value, String> {
    if p.len() > 1 {
        return Err(
            "takes its forms by plural category, as in {{plural n one=\"# commitment\" other=\"# commitments\"}}".into(),
        );
    }
    let n = count(p[0])?;
    let category = e.speech.language.plural(n);
    let form = e
        .hash
        .iter()
        .find(|(k, _)| *k == category)
        .ok_or_else(|| {
            let given: Vec<&str> = e.hash.iter().map(|(k, _)| *k).collect();
            format!(
                "{n} takes the plural form `{category}` in this language; add {category}=\"…\" (forms given: {})",
                given.join(", ")
            )
        })?;
    let number = e.speech.language.number(&n.to_string());
    Ok(Value::String(text(form.1)?.replace('#', &number)))
}

/// A count, or a list's length.
fn count(v: &Value) -> Result<u64, String> {
    match v {
        Value::Array(a) => Ok(a.len() as u64),
        v => v
            .as_u64()
            .ok_or_else(|| format!("expected a count or a list, got {v}")),
    }
}

/// `{{num n}}`: a number in the reader's language ("1,234.5", "1 234,5"); a true minus sign.
fn h_number(p: &[&Value], e: &Env) -> Result<Value, String> {
    let plain = match p[0] {
        Value::Number(n) => n.to_string(),
        v => text(v)?.to_string(),
    };
    Ok(Value::String(localized(e, &plain)))
}

/// A number written plainly ("-1234.5", "45300", "−3") in the reader's language.
fn localized(e: &Env, plain: &str) -> String {
    match plain.strip_prefix(['-', '\u{2212}']) {
        Some(abs) => format!("\u{2212}{}", e.speech.language.number(abs)),
        None => e.speech.language.number(plain),
    }
}

/// `{{#each xs}}{{list_sep @index @last}}{{name}}{{/each}}`: the text CLDR puts before each item
/// of a list ("", ", ", " and "); `{{list_sep @index @last "or"}}` for "A, B or C".
fn h_list_sep(p: &[&Value], e: &Env) -> Result<Value, String> {
    let index = p[0]
        .as_u64()
        .ok_or_else(|| format!("expected @index, got {}", p[0]))? as usize;
    let last = p[1]
        .as_bool()
        .ok_or_else(|| format!("expected @last, got {}", p[1]))?;
    let or = match p.get(2) {
        None => false,
        Some(v) => text(v)? == "or",
    };
    Ok(Value::String(
        e.speech.language.list_separator(index, last, or),
    ))
}

/// `{{#unless (in_reader_language language)}}`: whether a text's language tag names the
/// briefing's language ("ru-RU" for a Russian briefing); null is false.
fn h_in_reader_language(p: &[&Value], e: &Env) -> Result<Value, String> {
    let primary = crate::base::lang::primary;
    Ok(Value::Bool(match p[0] {
        Value::Null => false,
        v => primary(text(v)?) == primary(e.speech.language.tag()),
    }))
}

/// `{{list names}}`: texts joined as CLDR joins a list: "A, B and C", "A、B和C";
/// `{{list names "or"}}`: "A or B".
fn h_list(p: &[&Value], e: &Env) -> Result<Value, String> {
    let items: Vec<&str> = p[0]
        .as_array()
        .ok_or_else(|| format!("expected a list of texts, got {}", p[0]))?
        .iter()
        .map(text)
        .collect::<Result<_, _>>()?;
    let or = match p.get(1) {
        None => false,
        Some(v) => match text(v)? {
            "and" => false,
            "or" => true,
            other => return Err(format!("expected \"and\" or \"or\", got \"{other}\"")),
        },
    };
    Ok(Value::String(e.speech.language.list(&items, or)))
}

/// The vocabulary's entry `id` in `list` ("parties", "fields", "organisations").
fn entry<'v>(root: &'v Value, list: &str, id: &str) -> Option<&'v Value> {
    root["vocabulary"][list]
        .as_array()?
        .iter()
        .find(|e| e["id"] == id)
}

fn lookup(root: &Value, list: &str, id: &str, key: &str) -> Option<String> {
    entry(root, list, id).and_then(|e| e[key].as_str().map(str::to_string))
}

/// `{{capitalize s}}`: the first letter in upper case ("research fellow" → "Research fellow").
fn h_capitalize(p: &[&Value], e: &Env) -> Result<Value, String> {
    Ok(Value::String(e.speech.language.capitalize(text(p[0])?)))
}

/// `{{lowercase s}}`: "Green energy" → "green energy".
fn h_lowercase(p: &[&Value], e: &Env) -> Result<Value, String> {
    Ok(Value::String(e.speech.language.lowercase(text(p[0])?)))
}

/// `{{kib bytes}}`: a size in kibibytes, rounded up ("41"); the template words the unit.
fn h_kib(p: &[&Value], _: &Env) -> Result<Value, String> {
    let n = p[0]
        .as_u64()
        .ok_or_else(|| format!("expected a number of bytes, got {}", p[0]))?;
    Ok(Value::from(n.div_ceil(1024)))
}

/// `{{field_label "green-energy"}}`: the field's label.
fn h_field(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let id = text(p[0])?;
    Ok(Value::String(
        lookup(root, "fields", id, "name").unwrap_or_else(|| id.to_string()),
    ))
}

/// `{{field_labels fields}}`: labels joined with commas.
fn h_field_list(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let ids = p[0].as_array().ok_or("expected a list of field ids")?;
    let labels: Result<Vec<String>, String> = ids
        .iter()
        .map(|v| {
            let id = text(v)?;
            Ok(lookup(root, "fields", id, "name").unwrap_or_else(|| id.to_string()))
        })
        .collect();
    Ok(Value::String(labels?.join(", ")))
}

/// `{{country_name "AZ"}}`: the party's display name.
fn h_country(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let code = text(p[0])?;
    Ok(Value::String(
        lookup(root, "parties", code, "name")
            .or_else(|| country_name(code, e))
            .unwrap_or_else(|| code.to_string()),
    ))
}

/// A third country's name in the reader's language (CLDR's; ISO's in English).
fn country_name(code: &str, e: &Env) -> Option<String> {
    crate::base::country::name_in(code, e.speech.language.tag()).map(str::to_string)
}

/// `{{target_name id}}`: a party's name, an organisation's short name (else its name), or a
/// third country's ISO name. `{{target_name id date}}`: an organisation's name as it was on that
/// date (its former name, for a record made before the change).
fn h_target(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let id = text(p[0])?;
    if let Some(name) = p
        .get(1)
        .filter(|d| !d.is_null())
        .and_then(|d| former_name(root, id, d))
    {
        return Ok(Value::String(name));
    }
    Ok(Value::String(
        lookup(root, "parties", id, "name")
            .or_else(|| lookup(root, "organisations", id, "short"))
            .or_else(|| lookup(root, "organisations", id, "name"))
            .or_else(|| lookup(root, "entities", id, "name"))
            .or_else(|| country_name(id, e))
            .unwrap_or_else(|| id.to_string()),
    ))
}

/// `{{#if (country_of id)}} ({{target_name (country_of id)}}){{/if}}`: an entity's country
/// code; null for anything else (a party, an organisation, a country).
fn h_country_of(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let id = text(p[0])?;
    Ok(lookup(root, "entities", id, "country").map_or(Value::Null, Value::String))
}

/// `{{#with (scaled value)}}{{number}}{{#if (eq power 9)}} billion{{/if}}{{/with}}`: a figure as
/// a number and the power of ten it is counted in, so the templates word the scale. By
/// thousands (12, 9, 6, or 0 below a million): 1_200_000_000 → { number: "1.2", power: 9 };
/// 45_300 → { number: "45,300", power: 0 }. `{{scaled value 4}}` counts by ten thousands, as
/// Chinese does (12 万亿, 8 亿, 4 万, or 0 below ten thousand): 900_000_000 → { "9", 8 }. At
/// most two decimals, trailing zeros dropped.
fn h_scaled(p: &[&Value], e: &Env) -> Result<Value, String> {
    let n = p[0]
        .as_f64()
        .ok_or_else(|| format!("expected a number, got {}", p[0]))?;
    let powers: &[i32] = match p.get(1).map(|v| v.as_u64()) {
        None | Some(Some(3)) => &[12, 9, 6],
        Some(Some(4)) => &[12, 8, 4],
        Some(_) => return Err(format!("counts by 3 or 4 digits, got {}", p[1])),
    };
    let power = powers
        .iter()
        .copied()
        .find(|&k| n.abs() >= 10f64.powi(k))
        .unwrap_or(0);
    let number = localized(e, &trimmed(n / 10f64.powi(power), 2));
    Ok(serde_json::json!({ "number": number, "power": power }))
}

/// `{{decimal share}}`: a number with at most one decimal, a trailing zero dropped ("82.5",
/// "100").
fn h_decimal(p: &[&Value], e: &Env) -> Result<Value, String> {
    let n = p[0]
        .as_f64()
        .ok_or_else(|| format!("expected a number, got {}", p[0]))?;
    Ok(Value::String(localized(e, &trimmed(n, 1))))
}

/// `{{decimal (abs change)}}`: a number without its sign ("Down 12.5%").
fn h_abs(p: &[&Value], _: &Env) -> Result<Value, String> {
    let n = p[0]
        .as_f64()
        .ok_or_else(|| format!("expected a number, got {}", p[0]))?;
    Ok(serde_json::json!(n.abs()))
}

/// `n` with at most `places` decimals, trailing zeros (and a bare point) dropped.
fn trimmed(n: f64, places: usize) -> String {
    let s = format!("{n:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    match s {
        "-0" => "0".to_string(),
        s => s.replace('-', "\u{2212}"),
    }
}

/// The name an organisation used on `date`: the first former name whose `until` is after it.
fn former_name(root: &Value, id: &str, date: &Value) -> Option<String> {
    let day = date.as_str()?.parse::<PartialDate>().ok()?.start();
    entry(root, "organisations", id)?["former"]
        .as_array()?
        .iter()
        .find_map(|f| {
            let until = f["until"].as_str()?.parse::<PartialDate>().ok()?;
            (day < until.start()).then(|| {
                f["short"]
                    .as_str()
                    .or_else(|| f["name"].as_str())
                    .map(str::to_string)
            })?
        })
}

/// `{{#if (has_article id)}}the {{/if}}`: whether running text puts an article before the
/// organisation's name (false for parties, third countries and organisations such as BRICS).
fn h_has_article(p: &[&Value], e: &Env) -> Result<Value, String> {
    let root = e.root;
    let id = text(p[0])?;
    let org = entry(root, "organisations", id);
    Ok(Value::Bool(org.is_some_and(|o| o["article"] != false)))
}

/// `{{#if (has_image "logo")}}`: whether the templates folder holds the image (`logo.png`, or
/// any `logo.*`), so a template places it only where there is one.
fn h_has_image(p: &[&Value], e: &Env) -> Result<Value, String> {
    let name = text(p[0])?;
    let found = e
        .speech
        .images
        .iter()
        .any(|file| crate::render::templates::names_image(file, name));
    Ok(Value::Bool(found))
}

/// `{{#if (says_who summary who "Both sides" "The two sides")}}`: whether the summary already
/// opens with who acts: the actor's name, or for a joint commitment one of the words given.
fn h_says_who(p: &[&Value], e: &Env) -> Result<Value, String> {
    let summary = text(p[0])?;
    let subjects: Vec<String> = match &p[1]["actor"] {
        Value::String(code) => match h_target(&[&Value::String(code.clone())], e)? {
            Value::String(s) => vec![s],
            _ => vec![code.clone()],
        },
        _ => p[2..]
            .iter()
            .map(|v| text(v).map(str::to_string))
            .collect::<Result<_, _>>()?,
    };
    let opens = |subject: &String| {
        let rest = summary.get(subject.len()..);
        let head = summary.get(..subject.len());
        // Chinese runs on without a space ("双方重申…"): a subject ending in an unspaced
        // character needs no word break after it.
        let ends_word = subject.chars().last().is_some_and(unspaced)
            || rest.is_some_and(|r| r.starts_with([' ', ',', '\'']));
        ends_word
            && head.is_some_and(|h| {
                h.eq_ignore_ascii_case(subject) || h.to_lowercase() == subject.to_lowercase()
            })
    };
    Ok(Value::Bool(subjects.iter().any(opens)))
}

/// `{{in_sentence label}}`: a heading's label inside a sentence: its first letter in lower case
/// unless it starts an acronym ("Green energy" → "green energy", "EU–China WTO" unchanged).
fn h_in_sentence(p: &[&Value], _: &Env) -> Result<Value, String> {
    let s = text(p[0])?;
    let mut chars = s.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return Ok(Value::String(String::new()));
    };
    if second.is_some_and(char::is_uppercase) {
        return Ok(Value::String(s.to_string()));
    }
    Ok(Value::String(
        first
            .to_lowercase()
            .chain(s[first.len_utf8()..].chars())
            .collect(),
    ))
}

/// `{{short summary 12}}`: at most that many words, with "…" when cut (and no final full stop or
/// comma). Chinese and Japanese write no spaces, so each of their characters counts as a word
/// and two of them as one: 12 "words" keep 24 characters of a Chinese summary.
fn h_short(p: &[&Value], _: &Env) -> Result<Value, String> {
    let s = text(p[0])?.trim();
    let n = p[1]
        .as_u64()
        .ok_or_else(|| format!("expected a number of words, got {}", p[1]))? as usize;
    let Some(cut) = word_cut(s, n) else {
        return Ok(Value::String(s.to_string()));
    };
    let head = s[..cut].trim_end();
    let head = head.trim_end_matches([',', ';', ':', '.', '\u{3001}', '\u{3002}', '\u{ff0c}']);
    Ok(Value::String(format!("{head}\u{2026}")))
}

/// The byte offset where `s` passes `n` words (a spaced word counts 2, an unspaced character
/// 1, and `n` words are `2n`); None when it has no more.
fn word_cut(s: &str, n: usize) -> Option<usize> {
    let mut used = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        let cost = if unspaced(c) {
            in_word = false;
            1
        } else if c.is_whitespace() {
            in_word = false;
            0
        } else if in_word {
            0
        } else {
            in_word = true;
            2
        };
        if used + cost > 2 * n {
            return Some(i);
        }
        used += cost;
    }
    None
}

/// `{{words status}}`: a dataset value as words in the reader's language (`words.toml`:
/// "in-progress" → "in progress").
fn h_label(p: &[&Value], e: &Env) -> Result<Value, String> {
    Ok(Value::String(e.speech.word(text(p[0])?)))
}

/// `{{cite sources}}`: "[1]", "[1, 3]", "[3, 4]", "[7–13, 16]": sorted, each number once, and a
/// run of three or more as a range.
fn h_cite(p: &[&Value], _: &Env) -> Result<Value, String> {
    let list = p[0].as_array().ok_or("expected a list of source numbers")?;
    let mut nums: Vec<u64> = list
        .iter()
        .map(|n| {
            n.as_u64()
                .ok_or_else(|| format!("expected a source number, got {n}"))
        })
        .collect::<Result<_, _>>()?;
    if nums.is_empty() {
        return Ok(Value::String(String::new()));
    }
    nums.sort_unstable();
    nums.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
            j += 1;
        }
        let link = |n: u64| format!("[{n}](#source-{n})");
        if j >= i + 2 {
            parts.push(format!("{}\u{2013}{}", link(nums[i]), link(nums[j])));
        } else {
            parts.extend(nums[i..=j].iter().map(|&n| link(n)));
        }
        i = j + 1;
    }
    // The brackets escaped: they are text around the links.
    Ok(Value::String(format!("\\[{}\\]", parts.join(", "))))
}

/// `{{signed score.average}}`: a number with two decimals and its sign: "+0.50", "−1.00", "0.00"
/// (a true minus sign, as typeset figures have); `{{signed score 0}}`: "+1", "0", "−1".
fn h_signed(p: &[&Value], e: &Env) -> Result<Value, String> {
    let n = p[0]
        .as_f64()
        .ok_or_else(|| format!("expected a number, got {}", p[0]))?;
    let places = match p.get(1) {
        Some(v) => v
            .as_u64()
            .filter(|&d| d <= 6)
            .ok_or_else(|| format!("expected 0 to 6 decimal places, got {v}"))?,
        None => 2,
    } as usize;
    let text = format!("{:.*}", places, n.abs());
    let zero = text.chars().all(|c| c == '0' || c == '.');
    let text = e.speech.language.number(&text);
    Ok(Value::String(match n {
        _ if zero => text,
        n if n > 0.0 => format!("+{text}"),
        _ => format!("\u{2212}{text}"),
    }))
}

/// `{{clause summary}}`: a sentence without its final full stop ("." or "。"), to run on
/// inside another.
fn h_clause(p: &[&Value], _: &Env) -> Result<Value, String> {
    let s = text(p[0])?.trim_end();
    let cut = s
        .strip_suffix('.')
        .filter(|r| !r.ends_with('.'))
        .or_else(|| s.strip_suffix('\u{3002}'))
        .unwrap_or(s);
    Ok(Value::String(cut.to_string()))
}

/// `{{minus a b}}`: a − b for counts (never below 0).
fn h_minus(p: &[&Value], _: &Env) -> Result<Value, String> {
    let n = |v: &Value| {
        v.as_u64()
            .ok_or_else(|| format!("expected a count, got {v}"))
    };
    Ok(Value::from(n(p[0])?.saturating_sub(n(p[1])?)))
}

/// `{{add a b}}`: a + b for counts.
fn h_add(p: &[&Value], _: &Env) -> Result<Value, String> {
    let n = |v: &Value| {
        v.as_u64()
            .ok_or_else(|| format!("expected a count, got {v}"))
    };
    Ok(Value::from(n(p[0])?.saturating_add(n(p[1])?)))
}

/// `{{{mermaid text}}}`: text made safe for a Mermaid label (use with triple braces).
fn h_mermaid(p: &[&Value], _: &Env) -> Result<Value, String> {
    Ok(Value::String(mermaid_text(text(p[0])?)))
}

/// `{{{link url}}}`: an autolink `<https://…>` (use with triple braces). URLs are checked at load
/// time; anything that could break out of the autolink is escaped as plain text instead.
fn h_link(p: &[&Value], _: &Env) -> Result<Value, String> {
    let url = text(p[0])?;
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`' | '"'));
    Ok(Value::String(if safe {
        format!("<{url}>")
    } else {
        escape(url)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> &'static Speech {
        static EN: std::sync::OnceLock<Speech> = std::sync::OnceLock::new();
        EN.get_or_init(|| Speech::of(&crate::render::templates::Templates::defaults()).unwrap())
    }

    fn call_in(f: HelperFn, args: &[Value], root: &Value) -> Value {
        let refs: Vec<&Value> = args.iter().collect();
        let env = Env {
            root,
            hash: Vec::new(),
            speech: english(),
        };
        f(&refs, &env).unwrap()
    }

    fn call(f: HelperFn, args: &[Value]) -> Value {
        call_in(f, args, &Value::Null)
    }

    #[test]
    fn has_image_knows_the_folder_s_images_by_name_or_stem() {
        let mut set = crate::render::templates::Templates::defaults();
        set.set_image("logo.png", vec![1], None);
        let speech = Speech::of(&set).unwrap();
        let env = Env {
            root: &Value::Null,
            hash: Vec::new(),
            speech: &speech,
        };
        let has = |name: &str| h_has_image(&[&Value::from(name)], &env).unwrap();
        assert_eq!(has("logo"), Value::Bool(true));
        assert_eq!(has("logo.png"), Value::Bool(true));
        assert_eq!(has("logo.jpg"), Value::Bool(false));
        assert_eq!(has("crest"), Value::Bool(false));
        assert_eq!(call(h_has_image, &["logo".into()]), Value::Bool(false));
    }

    #[test]
    fn signed_figures_carry_a_true_minus_and_no_sign_on_zero() {
        assert_eq!(call(h_signed, &[Value::from(0.5)]), "+0.50");
        assert_eq!(call(h_signed, &[Value::from(-1.0)]), "\u{2212}1.00");
        assert_eq!(call(h_signed, &[Value::from(0.0)]), "0.00");
        assert_eq!(call(h_signed, &[Value::from(-0.001)]), "0.00");
        assert_eq!(call(h_signed, &[Value::from(1), Value::from(0)]), "+1");
        assert_eq!(
            call(h_signed, &[Value::from(-1), Value::from(0)]),
            "\u{2212}1"
        );
    }

    #[test]
    fn citations_are_sorted_once_each_and_ranged() {
        let cite = |n: &[u64]| call(h_cite, &[Value::from(n.to_vec())]);
        assert_eq!(cite(&[]), "");
        assert_eq!(cite(&[3]), "\\[[3](#source-3)\\]");
        assert_eq!(cite(&[4, 3]), "\\[[3](#source-3), [4](#source-4)\\]");
        assert_eq!(
            cite(&[16, 8, 9, 10, 11, 12, 7, 13, 9]),
            "\\[[7](#source-7)\u{2013}[13](#source-13), [16](#source-16)\\]"
        );
        assert_eq!(
            cite(&[1, 3, 5, 6, 7]),
            "\\[[1](#source-1), [3](#source-3), [5](#source-5)\u{2013}[7](#source-7)\\]"
        );
    }

    fn root() -> Value {
        serde_json::json!({"vocabulary": {
            "parties": [{"id": "AZ", "name": "Azerbaijan"}],
            "organisations": [
                {"id": "ots", "name": "Organization of Turkic States", "short": "OTS", "article": true,
                 "former": [{"name": "Cooperation Council of Turkic-Speaking States", "short": "Turkic Council", "until": "2021-11-12"}]},
                {"id": "brics", "name": "BRICS", "short": null, "article": false, "former": []}
            ]
        }})
    }

    fn with_root(f: HelperFn, args: &[Value]) -> Value {
        call_in(f, args, &root())
    }

    #[test]
    fn names_follow_the_organisation_and_the_date() {
        let name = |args: &[Value]| with_root(h_target, args);
        assert_eq!(name(&[Value::from("ots")]), "OTS");
        assert_eq!(
            name(&[Value::from("ots"), Value::from("2021-06-15")]),
            "Turkic Council"
        );
        assert_eq!(
            name(&[Value::from("ots"), Value::from("2021-11-12")]),
            "OTS"
        );
        assert_eq!(name(&[Value::from("ots"), Value::Null]), "OTS");
        assert_eq!(
            name(&[Value::from("GE")]),
            "Georgia",
            "a third country by its ISO name"
        );
        assert_eq!(name(&[Value::from("AZ")]), "Azerbaijan");
        assert_eq!(with_root(h_has_article, &[Value::from("ots")]), true);
        assert_eq!(with_root(h_has_article, &[Value::from("brics")]), false);
        assert_eq!(with_root(h_has_article, &[Value::from("AZ")]), false);
    }

    #[test]
    fn a_summary_that_names_its_subject_is_not_prefixed_again() {
        let says = |summary: &str, who: Value| {
            with_root(
                h_says_who,
                &[Value::from(summary), who, Value::from("Both sides")],
            )
        };
        let joint = serde_json::json!({"actor": null});
        let az = serde_json::json!({"actor": "AZ"});
        assert_eq!(says("Both sides reaffirm support.", joint.clone()), true);
        let two = with_root(
            h_says_who,
            &[
                Value::from("The two sides will meet."),
                serde_json::json!({"actor": null}),
                Value::from("Both sides"),
                Value::from("The two sides"),
            ],
        );
        assert_eq!(two, true);
        assert_eq!(says("Cooperation in industry.", joint), false);
        assert_eq!(says("Azerbaijan supports it.", az.clone()), true);
        assert_eq!(says("Azerbaijani firms invest.", az), false);
    }

    #[test]
    fn labels_in_a_sentence_keep_acronyms_and_short_cuts_at_words() {
        let s = |t: &str| call(h_in_sentence, &[Value::from(t)]);
        assert_eq!(s("Green energy"), "green energy");
        assert_eq!(s("EU–China WTO industry"), "EU–China WTO industry");
        assert_eq!(s("Éducation"), "éducation");
        let short = |t: &str, n: u64| call(h_short, &[Value::from(t), Value::from(n)]);
        assert_eq!(short("One two three.", 3), "One two three.");
        assert_eq!(short("One two, three four.", 2), "One two\u{2026}");
    }

    #[test]
    fn clause_drops_one_full_stop_only() {
        assert_eq!(
            call(h_clause, &[Value::from("Pledge visa.")]),
            "Pledge visa"
        );
        assert_eq!(
            call(h_clause, &[Value::from("To be continued...")]),
            "To be continued..."
        );
        assert_eq!(call(h_clause, &[Value::from("No stop")]), "No stop");
    }
}
