//! Where each value sits in its file, by path (`commitments[2].field`).
//!
//! serde turns text into typed values and forgets where they came from; checks that need the whole
//! dataset (an unknown field id, a dangling link) run after that, yet must still point at the line.
//! So each file is also read into this index: from toml's spanned tree for TOML, and from a small
//! scanner for JSON (serde_json keeps no positions). Both run only on text their parser accepted.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Byte ranges of values (and keys, as `path#key`), by path.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    map: HashMap<String, Range<usize>>,
}

/// Builds `parent.key` / `parent[i]` paths. The checks build one for every value they look at
/// (millions in a large dataset), so these push the parts instead of going through `format!`.
pub fn key(parent: &str, k: &str) -> String {
    if parent.is_empty() {
        return k.to_string();
    }
    let mut path = String::with_capacity(parent.len() + 1 + k.len());
    path.push_str(parent);
    path.push('.');
    path.push_str(k);
    path
}

pub fn index(parent: &str, i: usize) -> String {
    use std::fmt::Write;
    let mut path = String::with_capacity(parent.len() + 8);
    path.push_str(parent);
    // Writing to a String cannot fail.
    let _ = write!(path, "[{i}]");
    path
}

impl Spans {
    /// The span of the value at `path`, or of the nearest enclosing value that has one.
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(r) = self.map.get(p) {
                return Some(r.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Whether the file gives a value at exactly `path` (`sources = []` is given; a key left out
    /// is not).
    pub fn has(&self, path: &str) -> bool {
        self.map.contains_key(path)
    }

    /// The span of the key of `path` (for "duplicate" and "unexpected" messages), else its value.
    pub fn find_key(&self, path: &str) -> Option<Range<usize>> {
        self.map
            .get(&format!("{path}#key"))
            .cloned()
            .or_else(|| self.find(path))
    }

    fn insert(&mut self, path: String, span: Range<usize>) {
        self.map.insert(path, span);
    }

    pub fn from_toml(root: &Spanned<DeTable<'_>>) -> Self {
        let mut spans = Spans::default();
        spans.insert(String::new(), root.span());
        toml_table(&mut spans, "", root.get_ref());
        spans
    }

    /// Indexes JSON text that serde_json has already accepted (so depth is bounded by its limit).
    pub fn from_json(src: &str) -> Self {
        let mut spans = Spans::default();
        let mut sc = Scanner {
            b: src.as_bytes(),
            i: 0,
        };
        sc.ws();
        sc.value(&mut spans, String::new(), 0);
        spans
    }
}

fn toml_table(spans: &mut Spans, path: &str, t: &DeTable<'_>) {
    for (k, v) in t.iter() {
        let p = key(path, k.get_ref());
        spans.insert(format!("{p}#key"), k.span());
        toml_value(spans, p, v);
    }
}

fn toml_value(spans: &mut Spans, path: String, v: &Spanned<DeValue<'_>>) {
    spans.insert(path.clone(), v.span());
    match v.get_ref() {
        DeValue::Table(t) => toml_table(spans, &path, t),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                toml_value(spans, index(&path, i), item);
            }
        }
        _ => {}
    }
}

/// A lenient JSON walker: the text is known to be valid, so it only tracks where things are.
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

const MAX_DEPTH: usize = 256;

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        // At the opening quote.
        let start = self.i + 1;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    let raw = &self.b[start - 1..self.i];
                    return serde_json::from_slice(raw).ok();
                }
                _ => self.i += 1,
            }
        }
        None
    }

    fn value(&mut self, spans: &mut Spans, path: String, depth: usize) {
        if self.i >= self.b.len() || depth > MAX_DEPTH {
            return;
        }
        let start = self.i;
        match self.b[self.i] {
            b'{' => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.i >= self.b.len() || self.b[self.i] == b'}' {
                        self.i += 1;
                        break;
                    }
                    if self.b[self.i] == b',' {
                        self.i += 1;
                        continue;
                    }
                    let kstart = self.i;
                    let k = self.string().unwrap_or_default();
                    let p = key(&path, &k);
                    spans.insert(format!("{p}#key"), kstart..self.i);
                    self.ws();
                    self.i += 1; // ':'
                    self.ws();
                    self.value(spans, p, depth + 1);
                }
            }
            b'[' => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    if self.i >= self.b.len() || self.b[self.i] == b']' {
                        self.i += 1;
                        break;
                    }
                    if self.b[self.i] == b',' {
                        self.i += 1;
                        continue;
                    }
                    self.value(spans, index(&path, n), depth + 1);
                    n += 1;
                }
            }
            b'"' => {
                self.string();
            }
            _ => {
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
            }
        }
        spans.insert(path, start..self.i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths() {
        let src = r#"{"id": "x", "commitments": [{"field": "energy"}, {"field": "bad"}]}"#;
        let s = Spans::from_json(src);
        let r = s.find("commitments[1].field").unwrap();
        assert_eq!(&src[r], "\"bad\"");
        let r = s.find_key("commitments[0].field").unwrap();
        assert_eq!(&src[r], "\"field\"");
        // Falls back to the enclosing value.
        let r = s.find("commitments[1].actor").unwrap();
        assert_eq!(&src[r], "{\"field\": \"bad\"}");
    }

    #[test]
    fn toml_paths() {
        let src =
            "id = \"x\"\n[[commitments]]\nfield = \"energy\"\n[[commitments]]\nfield = \"bad\"\n";
        let t = DeTable::parse(src).unwrap();
        let s = Spans::from_toml(&t);
        let r = s.find("commitments[1].field").unwrap();
        assert_eq!(&src[r], "\"bad\"");
    }
}
