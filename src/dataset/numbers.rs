//! Permanent commitment numbers: the register `numbers.toml` beside the manifest.
//!
//! A desk cites "C12" across memos, so a commitment's number must be the same in every briefing
//! (any as-of date, period, filter, format or scheduled run) and never name another commitment.
//! Numbering by date inside each briefing cannot promise that: a document dated early but
//! reported late would shift every later number. So numbers live in the dataset, in a register
//! that `bilateral number` appends to and nothing rewrites: a deleted commitment leaves a hole.
//!
//! Commitments not yet registered get provisional numbers after the highest registered one, in
//! the order `bilateral number` would give them (first known date, then date, then dataset
//! order), and `check` warns about them.

use std::path::Path;

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use crate::base::date::PartialDate;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::dataset::load::SourceText;
use crate::dataset::Dataset;

/// The register's file name, at the dataset's root.
pub const REGISTER_NAME: &str = "numbers.toml";

/// The register: commitment id → number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    pub numbers: HashMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterFile {
    #[serde(default)]
    numbers: HashMap<String, u32>,
}

/// How loading numbered a dataset's commitments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbering {
    /// The highest number in the register (0 without one).
    pub highest_registered: u32,
    /// How many commitments the register lacks: they are numbered provisionally, from
    /// `highest_registered + 1` on.
    pub provisional: u32,
}

/// Parses a register; every problem is reported at its line.
pub fn parse(src: &SourceText) -> Result<Register, Vec<Diagnostic>> {
    let numbers = match read_plain(&src.text) {
        Some(numbers) => numbers,
        None => read_toml(src)?,
    };
    // Checked in one pass over the numbers in order (a sort of 100,000 pairs, not a second
    // map); on a problem, reported in that order, so the same file names the same lines.
    let mut by_number: Vec<(u32, &str)> = numbers.iter().map(|(id, &n)| (n, id.as_str())).collect();
    by_number.sort_unstable();
    let mut problems = Vec::new();
    for (i, &(value, id)) in by_number.iter().enumerate() {
        let at = |d: Diagnostic| at_key(d, &src.text, id);
        if value == 0 {
            problems.push(
                at(Diagnostic::error(
                    &src.path,
                    format!("`{id}` has no usable number: {value}"),
                ))
                .help(
                    "a number is a whole number from 1; never change one that briefings have used",
                ),
            );
        } else if let Some(&(_, other)) = by_number[..i].last().filter(|p| p.0 == value) {
            problems.push(at(Diagnostic::error(&src.path, format!("C{value} names two commitments: `{other}` and `{id}`")))
                .help("a number names one commitment for ever: give the later one a new number (`bilateral number` takes the next free one)"));
        }
    }
    drop(by_number);
    if problems.is_empty() {
        Ok(Register { numbers })
    } else {
        Err(problems)
    }
}

/// The register as TOML, any way a person may have written it.
fn read_toml(src: &SourceText) -> Result<HashMap<String, u32>, Vec<Diagnostic>> {
    let file: RegisterFile = toml::from_str(&src.text).map_err(|e| {
        let d = Diagnostic::error(
            &src.path,
            format!("the number register cannot be read: {}", e.message()),
        );
        let d = match e.span() {
            Some(span) => d.at_span(&src.text, span),
            None => d,
        };
        vec![d.help("each line is `\"commitment-id\" = NUMBER` under `[numbers]`; `bilateral number DATASET` writes it")]
    })?;
    Ok(file.numbers)
}

/// The register as `bilateral number` writes it (comments, `[numbers]`, then one `"id" = N` a
/// line), read line by line: six times faster than the TOML parser on 100,000 lines, which is
/// 10% of checking such a dataset. Anything else in the file (a hand edit in another TOML
/// form, a duplicate, a number TOML would refuse) returns None, and the TOML parser reads it.
fn read_plain(text: &str) -> Option<HashMap<String, u32>> {
    let id_byte =
        |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.');
    let mut numbers = HashMap::with_capacity_and_hasher(text.len() / 24, Default::default());
    let mut header = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !header {
            header = line == "[numbers]";
            if header {
                continue;
            }
            return None;
        }
        let (id, rest) = line.strip_prefix('"')?.split_once('"')?;
        let n = rest.trim_start().strip_prefix('=')?.trim_start();
        let plain_number = !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit());
        if id.is_empty()
            || !id.bytes().all(id_byte)
            || !plain_number
            || (n.len() > 1 && n.starts_with('0'))
        {
            return None;
        }
        if numbers.insert(id.to_string(), n.parse().ok()?).is_some() {
            return None;
        }
    }
    Some(numbers)
}

/// Points a diagnostic at the line that registers `id`.
fn at_key(d: Diagnostic, text: &str, id: &str) -> Diagnostic {
    let quoted = format!("\"{id}\"");
    let found = text.lines().enumerate().find_map(|(i, l)| {
        l.find(&quoted)
            .or_else(|| l.trim_start().starts_with(id).then_some(0))
            .map(|c| (i + 1, c + 1))
    });
    match found {
        Some((line, column)) => d.at_line_col(text, line, column),
        None => d,
    }
}

/// Reads `numbers.toml` from a dataset folder: None when there is none.
pub fn read(dir: &Path) -> Result<Option<Register>, Vec<Diagnostic>> {
    let path = dir.join(REGISTER_NAME);
    if !path.exists() {
        return Ok(None);
    }
    let src = crate::dataset::load::read_text(&path).map_err(|d| vec![d])?;
    parse(&src).map(Some)
}

impl Dataset {
    /// Gives every commitment its number: the registered one, else a provisional one after the
    /// highest registered number, in first-known order.
    pub(crate) fn apply_numbers(&mut self, register: &Register) {
        let highest = register.numbers.values().copied().max().unwrap_or(0);
        // One lookup each: the registered numbers, and what to order the others by.
        let mut unregistered: Vec<(NaiveDate, NaiveDate, PartialDate, usize)> = Vec::new();
        let mut seq = 0;
        for d in &mut self.documents {
            let doc = &mut d.doc;
            for i in 0..doc.commitments.len() {
                let c = &doc.commitments[i];
                let number = register.numbers.get(&c.id).copied();
                if number.is_none() {
                    let known = doc.known_from(&c.sources).unwrap_or(doc.date);
                    let date = c.date.unwrap_or(doc.date);
                    unregistered.push((known.end(), known.start(), date, seq));
                }
                doc.commitments[i].number = number.unwrap_or(0);
                seq += 1;
            }
        }
        self.numbering = Numbering {
            highest_registered: highest,
            provisional: unregistered.len() as u32,
        };
        if unregistered.is_empty() {
            return;
        }
        // First known (the end of the earliest availability among their sources), then date,
        // then dataset order; the keys computed once, not at each comparison.
        unregistered.sort_unstable();
        let mut provisional = vec![0u32; seq];
        for (i, &(_, _, _, at)) in unregistered.iter().enumerate() {
            provisional[at] = highest + 1 + i as u32;
        }
        let commitments = self
            .documents
            .iter_mut()
            .flat_map(|d| d.doc.commitments.iter_mut());
        for (c, n) in commitments.zip(provisional) {
            if n > 0 {
                c.number = n;
            }
        }
    }

    /// How the commitments were numbered.
    pub fn numbering(&self) -> &Numbering {
        &self.numbering
    }

    /// The commitments numbered provisionally, by number: (id, number).
    pub fn provisional_numbers(&self) -> Vec<(&str, u32)> {
        let highest = self.numbering.highest_registered;
        let mut list: Vec<(&str, u32)> = self
            .commitments()
            .filter(|(_, c)| c.number > highest)
            .map(|(_, c)| (c.id.as_str(), c.number))
            .collect();
        list.sort_unstable_by_key(|p| p.1);
        list
    }
}

/// The warning `check` gives for provisional numbers.
pub fn warning(dir: &Path, numbering: &Numbering) -> Option<Diagnostic> {
    let n = numbering.provisional;
    let first = numbering.highest_registered + 1;
    let (range, what) = match n {
        0 => return None,
        1 => (format!("C{first}"), "commitment has"),
        _ => (format!("C{first}–C{}", first + n - 1), "commitments have"),
    };
    Some(
        Diagnostic::warning(
            dir.join(REGISTER_NAME),
            format!("{n} {what} no permanent number yet: briefings number them provisionally ({range}), and these numbers may still move"),
        )
        .help(format!("run `bilateral number {}` to register them", dir.display())),
    )
}

/// The lines `bilateral number` appends for the provisional numbers, and the register's new
/// text (a new register starts with a comment saying what it is).
pub fn appended(existing: Option<&str>, provisional: &[(&str, u32)]) -> String {
    let mut text = match existing {
        Some(t) => t.to_string(),
        None => "# Permanent commitment numbers (C1, C2 …), as every briefing shows them.\n\
                 # Written by `bilateral number`: append only; never change or reuse a number.\n\
                 [numbers]\n"
            .to_string(),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for (id, n) in provisional {
        text.push_str(&format!("\"{id}\" = {n}\n"));
    }
    text
}

/// Numbers the dataset at `dir` for good: appends its provisional numbers to the register.
/// Returns what was appended (empty when every commitment had a number).
pub fn register(dir: &Path, ds: &Dataset) -> Result<Vec<(String, u32)>, Diagnostics> {
    let path = dir.join(REGISTER_NAME);
    let existing = match path.exists() {
        true => Some(
            crate::dataset::load::read_text(&path)
                .map_err(|d| Diagnostics(vec![d]))?
                .text,
        ),
        false => None,
    };
    let provisional = ds.provisional_numbers();
    if provisional.is_empty() {
        return Ok(Vec::new());
    }
    let text = appended(existing.as_deref(), &provisional);
    crate::base::atomic::write_atomic(&path, text.as_bytes()).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            &path,
            format!("cannot write the register: {e}"),
        )
        .help("check that the dataset folder is writable")])
    })?;
    Ok(provisional
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceText {
        SourceText {
            path: REGISTER_NAME.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_register_names_each_number_once() {
        let r = parse(&src("[numbers]\n\"a\" = 1\n\"b\" = 3\n")).unwrap();
        assert_eq!(r.numbers["b"], 3);
        let e = parse(&src("[numbers]\n\"a\" = 1\n\"b\" = 1\n")).unwrap_err();
        assert!(e[0].message.contains("C1 names two commitments"), "{e:?}");
        assert_eq!(e[0].location.as_ref().unwrap().line, 3);
        let e = parse(&src("[numbers]\n\"a\" = 0\n")).unwrap_err();
        assert!(e[0].message.contains("no usable number"), "{e:?}");
        assert!(parse(&src("[numbers]\n\"a\" = -1\n")).is_err());
        assert!(parse(&src("[other]\n")).is_err());
        assert_eq!(parse(&src("")).unwrap(), Register::default());
    }

    #[test]
    fn the_written_form_reads_as_toml_reads_it() {
        let written = "# comment\n[numbers]\n\"cn-az.2025_x\" = 1\n\n\"b\" = 12\r\n";
        let fast = read_plain(written).unwrap();
        assert_eq!(fast, read_toml(&src(written)).unwrap());
        assert_eq!(fast["b"], 12);
        // Other TOML forms, and what TOML refuses, go to the TOML parser.
        for other in [
            "[numbers]\nb = 1\n",
            "[numbers]\n\"a\" = 1 # C1\n",
            "[numbers]\n\"a\" = 01\n",
            "[numbers]\n\"a\" = 1\n\"a\" = 2\n",
            "[numbers]\n\"a\" = -1\n",
            "numbers = { a = 1 }\n",
            "[numbers]\n\"A\" = 1\n",
        ] {
            assert_eq!(read_plain(other), None, "{other}");
        }
        assert_eq!(parse(&src("[numbers]\nb = 1\n")).unwrap().numbers["b"], 1);
        assert!(parse(&src("[numbers]\n\"a\" = 1\n\"a\" = 2\n")).is_err());
    }

    #[test]
    fn appending_keeps_what_is_there() {
        let n = [("x", 4), ("y", 5)];
        assert_eq!(
            appended(Some("[numbers]\n\"a\" = 3"), &n),
            "[numbers]\n\"a\" = 3\n\"x\" = 4\n\"y\" = 5\n"
        );
        assert!(appended(None, &n).starts_with("# Permanent"));
    }
}
