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
    numbers: HashMap<String, i64>,
}

/// How loading numbered a dataset's commitments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbering {
    /// Commitments without a registered number, numbered provisionally: (id, number).
    pub provisional: Vec<(String, u32)>,
}

/// Parses a register; every problem is reported at its line.
pub fn parse(src: &SourceText) -> Result<Register, Vec<Diagnostic>> {
    let file: RegisterFile = toml::from_str(&src.text).map_err(|e| {
        let d = Diagnostic::error(&src.path, format!("the number register cannot be read: {}", e.message()));
        let d = match e.span() {
            Some(span) => d.at_span(&src.text, span),
            None => d,
        };
        vec![d.help("each line is `\"commitment-id\" = NUMBER` under `[numbers]`; `bilateral number DATASET` writes it")]
    })?;
    let mut problems = Vec::new();
    let mut numbers = HashMap::with_capacity_and_hasher(file.numbers.len(), Default::default());
    let mut owner: HashMap<u32, &str> =
        HashMap::with_capacity_and_hasher(file.numbers.len(), Default::default());
    // In number order, so that a problem names the same line on every run.
    let mut entries: Vec<(&String, &i64)> = file.numbers.iter().collect();
    entries.sort_unstable_by_key(|(id, n)| (**n, id.as_str()));
    for (id, &value) in entries {
        let at = |d: Diagnostic| at_key(d, &src.text, id);
        let Some(n) = u32::try_from(value).ok().filter(|&n| n > 0) else {
            problems.push(
                at(Diagnostic::error(
                    &src.path,
                    format!("`{id}` has no usable number: {value}"),
                ))
                .help(
                    "a number is a whole number from 1; never change one that briefings have used",
                ),
            );
            continue;
        };
        if let Some(other) = owner.get(&n) {
            problems.push(at(Diagnostic::error(&src.path, format!("C{n} names two commitments: `{other}` and `{id}`")))
                .help("a number names one commitment for ever: give the later one a new number (`bilateral number` takes the next free one)"));
            continue;
        }
        owner.insert(n, id);
        numbers.insert(id.clone(), n);
    }
    if problems.is_empty() {
        Ok(Register { numbers })
    } else {
        Err(problems)
    }
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
        // Dataset position → provisional number.
        let mut numbers = vec![0u32; self.commitments().count()];
        for (i, pos) in self.unregistered(register).into_iter().enumerate() {
            numbers[pos] = highest + 1 + i as u32;
        }
        let mut provisional = Vec::new();
        let commitments = self
            .documents
            .iter_mut()
            .flat_map(|d| d.doc.commitments.iter_mut());
        for (c, n) in commitments.zip(numbers) {
            c.number = register.numbers.get(&c.id).copied().unwrap_or(n);
            if n > 0 {
                provisional.push((c.id.clone(), n));
            }
        }
        provisional.sort_by_key(|p| p.1);
        self.numbering = Numbering { provisional };
    }

    /// Commitments numbered provisionally, by number.
    pub fn numbering(&self) -> &Numbering {
        &self.numbering
    }

    /// Dataset positions of the commitments the register lacks, in the order to number them:
    /// first known (the end of the earliest availability among their sources), then date, then
    /// dataset order.
    fn unregistered(&self, register: &Register) -> Vec<usize> {
        let mut order: Vec<(NaiveDate, NaiveDate, PartialDate, usize)> = Vec::new();
        let mut seq = 0;
        for d in &self.documents {
            for c in &d.doc.commitments {
                if !register.numbers.contains_key(&c.id) {
                    let known = d.doc.known_from(&c.sources).unwrap_or(d.doc.date);
                    let date = c.date.unwrap_or(d.doc.date);
                    order.push((known.end(), known.start(), date, seq));
                }
                seq += 1;
            }
        }
        // The keys are computed once: a comparison would build the dates again each time.
        order.sort_unstable();
        order.into_iter().map(|(_, _, _, s)| s).collect()
    }
}

/// The warning `check` and `brief` give for provisional numbers.
pub fn warning(dir: &Path, numbering: &Numbering) -> Option<Diagnostic> {
    let (first, last) = (
        numbering.provisional.first()?,
        numbering.provisional.last()?,
    );
    let n = numbering.provisional.len();
    let range = if n == 1 {
        format!("C{}", first.1)
    } else {
        format!("C{}–C{}", first.1, last.1)
    };
    let what = if n == 1 {
        "commitment has"
    } else {
        "commitments have"
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
pub fn appended(existing: Option<&str>, numbering: &Numbering) -> String {
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
    for (id, n) in &numbering.provisional {
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
    let numbering = ds.numbering();
    if numbering.provisional.is_empty() {
        return Ok(Vec::new());
    }
    let text = appended(existing.as_deref(), numbering);
    crate::base::atomic::write_atomic(&path, text.as_bytes()).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            &path,
            format!("cannot write the register: {e}"),
        )
        .help("check that the dataset folder is writable")])
    })?;
    Ok(numbering.provisional.clone())
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
        assert!(parse(&src("[other]\n")).is_err());
        assert_eq!(parse(&src("")).unwrap(), Register::default());
    }

    #[test]
    fn appending_keeps_what_is_there() {
        let n = Numbering {
            provisional: vec![("x".into(), 4), ("y".into(), 5)],
        };
        assert_eq!(
            appended(Some("[numbers]\n\"a\" = 3"), &n),
            "[numbers]\n\"a\" = 3\n\"x\" = 4\n\"y\" = 5\n"
        );
        assert!(appended(None, &n).starts_with("# Permanent"));
    }
}
