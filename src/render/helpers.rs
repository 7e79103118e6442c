//! The handlebars helpers the templates use: dates, counts, names, citations. Each is a small
//! pure function of its parameters and the briefing (for display names); a wrong parameter is an
//! error naming the helper.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::Value;

use crate::base::date::PartialDate;
use crate::render::markdown::{escape, mermaid_text};

type HelperFn = fn(&[&Value], &Value) -> Result<Value, String>;

/// A helper computed from its parameters and the briefing (the root context, for labels).
struct Simple {
    name: &'static str,
    arity: std::ops::RangeInclusive<usize>,
    f: HelperFn,
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
        (self.f)(&params, ctx.data())
            .map(ScopedJson::Derived)
            .map_err(|m| RenderErrorReason::Other(format!("helper `{}`: {m}", self.name)).into())
    }
}

pub(crate) fn register_helpers(r: &mut Handlebars<'static>) {
    let helpers: [(&'static str, std::ops::RangeInclusive<usize>, HelperFn); 28] = [
        ("capitalize", 1..=1, h_capitalize),
        ("lowercase", 1..=1, h_lowercase),
        ("file_size", 1..=1, h_file_size),
        ("human_date", 1..=1, h_date),
        ("date_form", 1..=1, h_date_form),
        ("date_precision", 1..=1, h_date_precision),
        ("cref", 1..=1, h_cref),
        ("period_text", 1..=1, h_period),
        ("plural", 2..=3, h_plural),
        ("field_label", 1..=1, h_field),
        ("field_labels", 1..=1, h_field_list),
        ("country_name", 1..=1, h_country),
        ("target_name", 1..=2, h_target),
        ("country_of", 1..=1, h_country_of),
        ("scaled", 1..=1, h_scaled),
        ("decimal", 1..=1, h_decimal),
        ("abs", 1..=1, h_abs),
        ("has_article", 1..=1, h_has_article),
        ("says_who", 3..=6, h_says_who),
        ("in_sentence", 1..=1, h_in_sentence),
        ("short", 2..=2, h_short),
        ("words", 1..=1, h_label),
        ("cite", 1..=1, h_cite),
        ("mermaid", 1..=1, h_mermaid),
        ("signed", 1..=2, h_signed),
        ("clause", 1..=1, h_clause),
        ("minus", 2..=2, h_minus),
        ("add", 2..=2, h_add),
    ];
    for (name, arity, f) in helpers {
        r.register_helper(name, Box::new(Simple { name, arity, f }));
    }
    r.register_helper(
        "link",
        Box::new(Simple {
            name: "link",
            arity: 1..=1,
            f: h_link,
        }),
    );
}

fn text(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| format!("expected text, got {v}"))
}

/// `{{human_date d}}`: "2025", "April 2025", "28 April 2025"; null gives "".
fn h_date(p: &[&Value], _: &Value) -> Result<Value, String> {
    if p[0].is_null() {
        return Ok(Value::String(String::new()));
    }
    let s = text(p[0])?;
    let d: PartialDate = s.parse().map_err(|e| format!("{e}"))?;
    Ok(Value::String(d.human()))
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
fn h_date_form(p: &[&Value], _: &Value) -> Result<Value, String> {
    let form = date_param(p[0])?.map_or("", |d| match d.kind_name() {
        k @ ("span" | "either" | "between") => k,
        _ => "",
    });
    Ok(Value::String(form.into()))
}

/// `{{date_precision d}}`: "year", "half", "quarter", "month" or "day" (of the first date).
fn h_date_precision(p: &[&Value], _: &Value) -> Result<Value, String> {
    let precision = date_param(p[0])?.map_or("", |d| d.precision().name());
    Ok(Value::String(precision.into()))
}

/// `{{cref number}}`: a commitment's number, "C12", linked to where the briefing lists it in full
/// (`[C12](#c12)`) when it does (the briefing's `listed` numbers, sorted).
fn h_cref(p: &[&Value], root: &Value) -> Result<Value, String> {
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

/// `{{period_text header.period}}`: "1 April 2025 to 30 June 2025", "all dates to 28 April 2025".
fn h_period(p: &[&Value], _: &Value) -> Result<Value, String> {
    let human = |v: &Value| -> Result<Option<String>, String> {
        match v {
            Value::Null => Ok(None),
            v => Ok(Some(
                text(v)?
                    .parse::<PartialDate>()
                    .map_err(|e| e.to_string())?
                    .human(),
            )),
        }
    };
    let since = human(&p[0]["since"])?;
    let until = human(&p[0]["until"])?.unwrap_or_default();
    Ok(Value::String(match since {
        Some(s) => format!("{s} to {until}"),
        None => format!("all dates to {until}"),
    }))
}

/// `{{plural n "commitment"}}` or `{{plural n "person" "people"}}`; `n` may be a list (its length).
fn h_plural(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = match p[0] {
        Value::Array(a) => a.len() as u64,
        v => v
            .as_u64()
            .ok_or_else(|| format!("expected a count or a list, got {v}"))?,
    };
    let one = text(p[1])?;
    let many = match p.get(2) {
        Some(v) => text(v)?.to_string(),
        None => format!("{one}s"),
    };
    Ok(Value::String(if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }))
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
fn h_capitalize(p: &[&Value], _: &Value) -> Result<Value, String> {
    let s = text(p[0])?;
    let mut c = s.chars();
    Ok(Value::String(match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }))
}

/// `{{lowercase s}}`: "Green energy" → "green energy".
fn h_lowercase(p: &[&Value], _: &Value) -> Result<Value, String> {
    Ok(Value::String(text(p[0])?.to_lowercase()))
}

/// `{{file_size bytes}}`: "512 bytes", "41 KB".
fn h_file_size(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = p[0]
        .as_u64()
        .ok_or_else(|| format!("expected a number of bytes, got {}", p[0]))?;
    Ok(Value::String(if n < 1024 {
        format!("{n} bytes")
    } else {
        format!("{} KB", n.div_ceil(1024))
    }))
}

/// `{{field_label "green-energy"}}`: the field's label.
fn h_field(p: &[&Value], root: &Value) -> Result<Value, String> {
    let id = text(p[0])?;
    Ok(Value::String(
        lookup(root, "fields", id, "name").unwrap_or_else(|| id.to_string()),
    ))
}

/// `{{field_labels fields}}`: labels joined with commas.
fn h_field_list(p: &[&Value], root: &Value) -> Result<Value, String> {
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
fn h_country(p: &[&Value], root: &Value) -> Result<Value, String> {
    let code = text(p[0])?;
    Ok(Value::String(
        lookup(root, "parties", code, "name")
            .or_else(|| crate::base::country::lookup(code).map(|c| c.name.to_string()))
            .unwrap_or_else(|| code.to_string()),
    ))
}

/// `{{target_name id}}`: a party's name, an organisation's short name (else its name), or a
/// third country's ISO name. `{{target_name id date}}`: an organisation's name as it was on that
/// date (its former name, for a record made before the change).
fn h_target(p: &[&Value], root: &Value) -> Result<Value, String> {
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
            .or_else(|| crate::base::country::lookup(id).map(|c| c.name.to_string()))
            .unwrap_or_else(|| id.to_string()),
    ))
}

/// `{{#if (country_of id)}} ({{target_name (country_of id)}}){{/if}}`: an entity's country
/// code; null for anything else (a party, an organisation, a country).
fn h_country_of(p: &[&Value], root: &Value) -> Result<Value, String> {
    let id = text(p[0])?;
    Ok(lookup(root, "entities", id, "country").map_or(Value::Null, Value::String))
}

/// `{{#with (scaled value)}}{{number}}{{#if (eq power 9)}} billion{{/if}}{{/with}}`: a figure as
/// a number and the power of a thousand it is counted in (12, 9, 6, or 0 below a million), so
/// the templates word the scale: 1_200_000_000 → { number: "1.2", power: 9 }; 45_300 →
/// { number: "45,300", power: 0 }. At most two decimals, trailing zeros dropped.
fn h_scaled(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = p[0]
        .as_f64()
        .ok_or_else(|| format!("expected a number, got {}", p[0]))?;
    let power = [12, 9, 6]
        .into_iter()
        .find(|&k| n.abs() >= 10f64.powi(k))
        .unwrap_or(0);
    let number = match power {
        0 => grouped(n),
        k => trimmed(n / 10f64.powi(k), 2),
    };
    Ok(serde_json::json!({ "number": number, "power": power }))
}

/// `{{decimal share}}`: a number with at most one decimal, a trailing zero dropped ("82.5",
/// "100").
fn h_decimal(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = p[0]
        .as_f64()
        .ok_or_else(|| format!("expected a number, got {}", p[0]))?;
    Ok(Value::String(trimmed(n, 1)))
}

/// `{{decimal (abs change)}}`: a number without its sign ("Down 12.5%").
fn h_abs(p: &[&Value], _: &Value) -> Result<Value, String> {
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

/// A figure under a million with thousands grouped ("45,300"; "12.5" keeps its decimal).
fn grouped(n: f64) -> String {
    let text = trimmed(n.abs(), 2);
    let (whole, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if n < 0.0 {
        out.insert(0, '\u{2212}');
    }
    out
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
fn h_has_article(p: &[&Value], root: &Value) -> Result<Value, String> {
    let id = text(p[0])?;
    let org = entry(root, "organisations", id);
    Ok(Value::Bool(org.is_some_and(|o| o["article"] != false)))
}

/// `{{#if (says_who summary who "Both sides" "The two sides")}}`: whether the summary already
/// opens with who acts: the actor's name, or for a joint commitment one of the words given.
fn h_says_who(p: &[&Value], root: &Value) -> Result<Value, String> {
    let summary = text(p[0])?;
    let subjects: Vec<String> = match &p[1]["actor"] {
        Value::String(code) => match h_target(&[&Value::String(code.clone())], root)? {
            Value::String(s) => vec![s],
            _ => vec![code.clone()],
        },
        _ => p[2..]
            .iter()
            .map(|v| text(v).map(str::to_string))
            .collect::<Result<_, _>>()?,
    };
    let opens = |subject: &String| {
        summary
            .get(..subject.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(subject))
            && summary[subject.len()..].starts_with([' ', ',', '\''])
    };
    Ok(Value::Bool(subjects.iter().any(opens)))
}

/// `{{in_sentence label}}`: a heading's label inside a sentence: its first letter in lower case
/// unless it starts an acronym ("Green energy" → "green energy", "EU–China WTO" unchanged).
fn h_in_sentence(p: &[&Value], _: &Value) -> Result<Value, String> {
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

/// `{{short summary 12}}`: at most that many words, with "…" when cut (and no final full stop).
fn h_short(p: &[&Value], _: &Value) -> Result<Value, String> {
    let s = text(p[0])?.trim();
    let n = p[1]
        .as_u64()
        .ok_or_else(|| format!("expected a number of words, got {}", p[1]))? as usize;
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= n {
        return Ok(Value::String(s.to_string()));
    }
    let head = words[..n].join(" ");
    let head = head.trim_end_matches([',', ';', ':', '.']);
    Ok(Value::String(format!("{head}\u{2026}")))
}

/// `{{words status}}`: an enum value as words ("in-progress" → "in progress").
fn h_label(p: &[&Value], _: &Value) -> Result<Value, String> {
    let s = text(p[0])?;
    Ok(Value::String(match s {
        "mou" => "memorandum of understanding".to_string(),
        s => s.replace('-', " "),
    }))
}

/// `{{cite sources}}`: "[1]", "[1, 3]", "[3, 4]", "[7–13, 16]": sorted, each number once, and a
/// run of three or more as a range.
fn h_cite(p: &[&Value], _: &Value) -> Result<Value, String> {
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
fn h_signed(p: &[&Value], _: &Value) -> Result<Value, String> {
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
    Ok(Value::String(match n {
        _ if zero => text,
        n if n > 0.0 => format!("+{text}"),
        _ => format!("\u{2212}{text}"),
    }))
}

/// `{{clause summary}}`: a sentence without its final full stop, to run on inside another.
fn h_clause(p: &[&Value], _: &Value) -> Result<Value, String> {
    let s = text(p[0])?.trim_end();
    let cut = s
        .strip_suffix('.')
        .filter(|r| !r.ends_with('.'))
        .unwrap_or(s);
    Ok(Value::String(cut.to_string()))
}

/// `{{minus a b}}`: a − b for counts (never below 0).
fn h_minus(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = |v: &Value| {
        v.as_u64()
            .ok_or_else(|| format!("expected a count, got {v}"))
    };
    Ok(Value::from(n(p[0])?.saturating_sub(n(p[1])?)))
}

/// `{{add a b}}`: a + b for counts.
fn h_add(p: &[&Value], _: &Value) -> Result<Value, String> {
    let n = |v: &Value| {
        v.as_u64()
            .ok_or_else(|| format!("expected a count, got {v}"))
    };
    Ok(Value::from(n(p[0])?.saturating_add(n(p[1])?)))
}

/// `{{{mermaid text}}}`: text made safe for a Mermaid label (use with triple braces).
fn h_mermaid(p: &[&Value], _: &Value) -> Result<Value, String> {
    Ok(Value::String(mermaid_text(text(p[0])?)))
}

/// `{{{link url}}}`: an autolink `<https://…>` (use with triple braces). URLs are checked at load
/// time; anything that could break out of the autolink is escaped as plain text instead.
fn h_link(p: &[&Value], _: &Value) -> Result<Value, String> {
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

    fn call(f: HelperFn, args: &[Value]) -> Value {
        let refs: Vec<&Value> = args.iter().collect();
        f(&refs, &Value::Null).unwrap()
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
        let refs: Vec<&Value> = args.iter().collect();
        f(&refs, &root()).unwrap()
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
