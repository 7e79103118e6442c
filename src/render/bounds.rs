//! What keeps a user's template from taking the process down: no recursion, and a ceiling on
//! what a render may write.
//!
//! handlebars renders partials by recursion on the stack, so a partial that includes itself,
//! directly or through others (inline partials too), overflows the stack and aborts the process;
//! it has no depth limit of its own. The briefing model has no recursive structure, so templates
//! never need recursion: [`check_recursion`] refuses any cycle among partials before anything is
//! rendered, and partial names must be written out (a computed name cannot be checked). Nested
//! loops can still multiply (nine nested `{{#each sources}}` wrote 403 MB), so renders write
//! through [`Capped`], which fails the render once it passes its ceiling.

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use handlebars::template::{Parameter, Template as Compiled, TemplateElement};

use crate::render::templates::Template;

/// A template whose partials recurse, or name a partial in a way that cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecursionError {
    /// The template the problem is found in.
    pub template: String,
    pub message: String,
}

/// Which partials each template (and each inline partial) includes.
#[derive(Default)]
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
    /// The template each inline partial is defined in.
    defined_in: BTreeMap<String, String>,
}

/// Refuses templates whose partials include themselves, directly or through others.
#[cfg(test)]
pub fn check_recursion(templates: &[&Template]) -> Result<(), RecursionError> {
    // A template that does not compile is reported by the caller that compiles it.
    let compiled: Vec<(&Template, Compiled)> = templates
        .iter()
        .filter_map(|t| Some((*t, Compiled::compile(&t.text).ok()?)))
        .collect();
    let pairs: Vec<(&Template, &Compiled)> = compiled.iter().map(|(t, c)| (*t, c)).collect();
    check_recursion_compiled(&pairs)
}

/// [`check_recursion`] over templates compiled already, each beside its source.
pub fn check_recursion_compiled(
    templates: &[(&Template, &Compiled)],
) -> Result<(), RecursionError> {
    let mut graph = Graph::default();
    for (t, compiled) in templates {
        graph
            .walk(&t.name, compiled)
            .map_err(|message| RecursionError {
                template: t.display_name(),
                message,
            })?;
    }
    if let Some(cycle) = graph.cycle() {
        let first = graph.defined_in.get(&cycle[0]).unwrap_or(&cycle[0]);
        let template = templates
            .iter()
            .map(|(t, _)| t)
            .find(|t| &t.name == first)
            .map_or_else(|| first.clone(), |t| t.display_name());
        return Err(RecursionError {
            template,
            message: format!(
                "partials include each other in a circle ({}); templates cannot recurse",
                cycle.join(" → ")
            ),
        });
    }
    Ok(())
}

impl Graph {
    /// Adds the partials `owner`'s elements include; an inline partial is a node of its own.
    fn walk(&mut self, owner: &str, t: &Compiled) -> Result<(), String> {
        self.edges.entry(owner.to_string()).or_default();
        for e in &t.elements {
            match e {
                TemplateElement::PartialExpression(d) => {
                    let name = partial_name(&d.name)?;
                    if !name.starts_with('@') {
                        self.edges
                            .entry(owner.to_string())
                            .or_default()
                            .insert(name);
                    }
                }
                TemplateElement::PartialBlock(_) => {
                    return Err(
                        "partial blocks (`{{#> name}}…{{/name}}`) are not supported; \
                                include the partial with `{{> name}}`"
                            .into(),
                    )
                }
                TemplateElement::DecoratorBlock(d) if d.name.as_name() == Some("inline") => {
                    let name = match d.params.first() {
                        Some(Parameter::Literal(v)) => v.as_str().map(str::to_string),
                        Some(p) => p.as_name().map(str::to_string),
                        None => None,
                    }
                    .ok_or("an inline partial needs a written-out name")?;
                    let file = self
                        .defined_in
                        .get(owner)
                        .cloned()
                        .unwrap_or(owner.to_string());
                    self.defined_in.insert(name.clone(), file);
                    if let Some(body) = &d.template {
                        self.walk(&name, body)?;
                    }
                }
                TemplateElement::HelperBlock(h) => {
                    for body in [&h.template, &h.inverse].into_iter().flatten() {
                        self.walk(owner, body)?;
                    }
                }
                TemplateElement::DecoratorBlock(d) => {
                    if let Some(body) = &d.template {
                        self.walk(owner, body)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A circle of partials, if there is one: its names, the first repeated at the end.
    fn cycle(&self) -> Option<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
        for start in self.edges.keys() {
            if marks.contains_key(start.as_str()) {
                continue;
            }
            // Depth-first without recursion: (node, its next edge to follow).
            let mut path: Vec<&str> = vec![start];
            let mut stack: Vec<std::collections::btree_set::Iter<'_, String>> =
                vec![self.edges[start].iter()];
            marks.insert(start, Mark::Open);
            while let Some(next) = stack.last_mut().map(|it| it.next()) {
                match next {
                    Some(n) => match marks.get(n.as_str()) {
                        Some(Mark::Open) => {
                            let from = path.iter().position(|p| p == n).expect("open is on path");
                            let mut cycle: Vec<String> =
                                path[from..].iter().map(|s| s.to_string()).collect();
                            cycle.push(n.clone());
                            return Some(cycle);
                        }
                        Some(Mark::Done) => {}
                        None => {
                            marks.insert(n, Mark::Open);
                            path.push(n);
                            stack
                                .push(self.edges.get(n).map_or_else(|| EMPTY.iter(), |e| e.iter()));
                        }
                    },
                    None => {
                        stack.pop();
                        if let Some(done) = path.pop() {
                            marks.insert(done, Mark::Done);
                        }
                    }
                }
            }
        }
        None
    }
}

static EMPTY: BTreeSet<String> = BTreeSet::new();

fn partial_name(p: &Parameter) -> Result<String, String> {
    match p {
        Parameter::Name(n) => Ok(n.clone()),
        Parameter::Path(_) => Ok(p.as_name().unwrap_or_default().to_string()),
        Parameter::Literal(v) if v.is_string() => Ok(v.as_str().unwrap_or_default().to_string()),
        _ => Err("a partial's name must be written out (`{{> name}}`), not computed".into()),
    }
}

/// A writer that fails once more than `limit` bytes were written to it.
pub struct Capped {
    pub bytes: Vec<u8>,
    limit: usize,
    deadline: std::time::Instant,
    overflowed: Option<Overflow>,
}

/// Which ceiling a render passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    Bytes,
    Time,
}

impl Capped {
    /// A writer that fails once it holds more than `limit` bytes, or once `time` has passed.
    pub fn new(limit: usize, time: std::time::Duration) -> Self {
        Self {
            bytes: Vec::new(),
            limit,
            deadline: std::time::Instant::now() + time,
            overflowed: None,
        }
    }

    /// The ceiling the last write failed for, if it failed for one.
    pub fn overflowed(&self) -> Option<Overflow> {
        self.overflowed
    }
}

impl io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.overflowed = Some(Overflow::Bytes);
            return Err(io::Error::other("output ceiling reached"));
        }
        if std::time::Instant::now() > self.deadline {
            self.overflowed = Some(Overflow::Time);
            return Err(io::Error::other("render time limit reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(files: &[(&str, &str)]) -> Vec<Template> {
        let mut set = crate::render::templates::Templates {
            templates: Vec::new(),
            images: Vec::new(),
            lang: "en".into(),
            fallbacks: Vec::new(),
        };
        for (name, text) in files {
            set.set(name, text.to_string(), None);
        }
        set.templates
    }

    fn check(files: &[(&str, &str)]) -> Result<(), RecursionError> {
        let t = templates(files);
        check_recursion(&t.iter().collect::<Vec<_>>())
    }

    #[test]
    fn circles_of_partials_are_refused_with_the_circle_named() {
        let e = check(&[
            ("a.md.hbs", "x\n{{> b}}\n"),
            ("b.md.hbs", "y\n{{#if z}}{{> a}}{{/if}}\n"),
        ])
        .unwrap_err();
        assert!(e.message.contains("a → b → a"), "{}", e.message);
        let e =
            check(&[("a.md.hbs", "{{#*inline \"r\"}}x{{> r}}{{/inline}}{{> r}}\n")]).unwrap_err();
        assert!(e.message.contains("r → r"), "{}", e.message);
        let e = check(&[("a.md.hbs", "{{#each l}}{{> a}}{{/each}}\n")]).unwrap_err();
        assert!(e.message.contains("a → a"));
    }

    #[test]
    fn the_default_templates_and_plain_chains_pass() {
        let d = crate::render::templates::Templates::defaults();
        check_recursion(&d.templates.iter().collect::<Vec<_>>()).unwrap();
        check(&[
            ("a.md.hbs", "{{> b}}{{> c}}\n"),
            ("b.md.hbs", "{{> c}}\n"),
            ("c.md.hbs", "x\n"),
        ])
        .unwrap();
    }

    #[test]
    fn computed_partial_names_and_partial_blocks_are_refused() {
        assert!(check(&[("a.md.hbs", "{{> (lookup this \"n\")}}\n")])
            .unwrap_err()
            .message
            .contains("written out"));
        assert!(check(&[("a.md.hbs", "{{#> b}}x{{/b}}\n")])
            .unwrap_err()
            .message
            .contains("partial blocks"));
    }

    #[test]
    fn the_cap_fails_the_write_that_passes_it() {
        use std::io::Write;
        let mut c = Capped::new(10, std::time::Duration::from_secs(60));
        c.write_all(b"12345").unwrap();
        assert!(c.write_all(b"678901").is_err());
        assert_eq!(c.overflowed(), Some(Overflow::Bytes));
        let mut slow = Capped::new(1 << 20, std::time::Duration::ZERO);
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(slow.write_all(b"x").is_err());
        assert_eq!(slow.overflowed(), Some(Overflow::Time));
    }
}
