//! From a dataset, a period and an as-of date to a [`Briefing`]: a pure function.
//!
//! Partial dates are placed by the span they cover: "April 2025" is in a period that overlaps April
//! at all, and sits in the April 2025 bucket of the timeline, never on the first of the month. The
//! as-of date closes the period: a briefing as of a day says nothing dated after it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::base::date::PartialDate;
use crate::briefing::model::*;
use crate::dataset::format::{Commitment, Document};
use crate::dataset::{Dataset, Target};

/// What to include.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Field ids; empty means all.
    pub fields: Vec<String>,
    /// A party code: only its commitments (and mutual ones).
    pub party: Option<String>,
    /// Complete lists, or each list cut to its most recent entries.
    pub detail: Detail,
}

/// How much of each list to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every list complete: every commitment under its field, party and organisation.
    #[default]
    Full,
    /// Each list shows its `n` most recent entries and counts the rest; counts, tallies and the
    /// bottom line still cover everything.
    Summary(usize),
    /// Full up to [`AUTO_FULL_MAX`] commitments in scope, else a summary of `n` per list.
    Auto(usize),
}

/// Entries per list in a summary, unless asked otherwise.
pub const DEFAULT_PER_LIST: usize = 5;

/// The most commitments `Detail::Auto` lists in full (about 80 PDF pages).
pub const AUTO_FULL_MAX: usize = 500;

/// A filter that names something the dataset does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("unknown field `{0}`; known fields: {1}")]
    UnknownField(String, String),
    #[error("`{0}` is not a party of this dataset; use {1}")]
    UnknownParty(String, String),
    #[error("the period is empty: --since {0} is after --until {1}")]
    EmptyPeriod(NaiveDate, NaiveDate),
}

pub const GENERATOR: &str = concat!("bilateral ", env!("CARGO_PKG_VERSION"));

struct Ctx<'a> {
    ds: &'a Dataset,
    since: Option<NaiveDate>,
    until: NaiveDate,
    opts: &'a Options,
}

impl Ctx<'_> {
    fn in_period(&self, d: &PartialDate) -> bool {
        d.start() <= self.until && self.since.is_none_or(|s| d.end() >= s)
    }

    fn keeps(&self, c: &Commitment) -> bool {
        let date = c.date.expect("normalised by validate");
        self.in_period(&date)
            && (self.opts.fields.is_empty() || self.opts.fields.contains(&c.field))
            && self
                .opts
                .party
                .as_ref()
                .is_none_or(|p| c.mutual || c.actor.as_ref() == Some(p))
    }

    fn keeps_view(&self, doc: &Document, fields: &[String]) -> bool {
        self.in_period(&doc.date)
            && (self.opts.fields.is_empty() || fields.iter().any(|f| self.opts.fields.contains(f)))
    }

    fn target_name(&self, id: &str) -> String {
        self.ds
            .target(id)
            .map(|t| t.name().to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn who(&self, c: &Commitment) -> String {
        let target = c.target.as_deref().map(|t| self.target_name(t));
        match (c.mutual, &c.actor, target) {
            (true, _, Some(t))
                if self
                    .ds
                    .organisation(c.target.as_deref().unwrap_or(""))
                    .is_some() =>
            {
                format!("Both sides → {t}")
            }
            (true, _, _) => "Both sides".to_string(),
            (false, Some(a), Some(t)) => format!("{} → {t}", self.target_name(a)),
            (false, Some(a), None) => self.target_name(a),
            (false, None, _) => "Both sides".to_string(),
        }
    }
}

/// Builds the briefing. Fails only when a filter names a field or party the dataset lacks.
pub fn aggregate(ds: &Dataset, opts: &Options, as_of: NaiveDate) -> Result<Briefing, FilterError> {
    for f in &opts.fields {
        if ds.field(f).is_none() {
            let known: Vec<&str> = ds.fields.iter().map(|f| f.id.as_str()).collect();
            return Err(FilterError::UnknownField(f.clone(), known.join(", ")));
        }
    }
    if let Some(p) = &opts.party {
        if ds.party(p).is_none() {
            let codes: Vec<&str> = ds.parties.iter().map(|p| p.code.as_str()).collect();
            return Err(FilterError::UnknownParty(p.clone(), codes.join(" or ")));
        }
    }
    let until = opts.until.map_or(as_of, |u| u.min(as_of));
    if let Some(s) = opts.since {
        if s > until {
            return Err(FilterError::EmptyPeriod(s, until));
        }
    }
    let cx = Ctx {
        ds,
        since: opts.since,
        until,
        opts,
    };

    // Documents in scope, and the sources they cite, numbered in order of first citation.
    let mut sources: Vec<SourceEntry> = Vec::new();
    // Sources are one entry when publisher, title, address and date agree.
    let mut source_index: HashMap<String, usize> = HashMap::new();
    // Commitments in scope by reference; a `CommitmentItem` is only made for one that is shown.
    let mut entries: Vec<Entry<'_>> = Vec::new();
    // Each in-scope document's source numbers, indexed by `Entry::numbers`.
    let mut doc_numbers: Vec<Vec<usize>> = Vec::new();
    let mut views: Vec<ViewGroup> = Vec::new();
    let mut view_group: HashMap<(&str, String), usize> = HashMap::new();
    let mut timeline_docs: Vec<TimelineDocument> = Vec::new();
    let filtered = !opts.fields.is_empty() || opts.party.is_some();

    for ld in &ds.documents {
        let doc = &ld.doc;
        let kept: Vec<&Commitment> = doc.commitments.iter().filter(|c| cx.keeps(c)).collect();
        let kept_views: Vec<_> = doc
            .assessments
            .iter()
            .filter(|a| cx.keeps_view(doc, &a.fields))
            .collect();
        let in_scope =
            !kept.is_empty() || !kept_views.is_empty() || (!filtered && cx.in_period(&doc.date));
        if !in_scope {
            continue;
        }
        let numbers: Vec<usize> = doc
            .sources
            .iter()
            .map(|s| {
                let key = format!(
                    "{}\u{0}{:?}\u{0}{:?}\u{0}{}",
                    s.publisher, s.title, s.url, s.published
                );
                if let Some(&at) = source_index.get(&key) {
                    let e: &mut SourceEntry = &mut sources[at];
                    // The same document cites a source once; consecutive, so `last` suffices.
                    if e.cited_by.last() != Some(&doc.title) && !e.cited_by.contains(&doc.title) {
                        e.cited_by.push(doc.title.clone());
                    }
                    e.number
                } else {
                    let number = sources.len() + 1;
                    source_index.insert(key, sources.len());
                    sources.push(SourceEntry {
                        number,
                        publisher: s.publisher.clone(),
                        title: s.title.clone(),
                        url: s.url.clone(),
                        published: s.published,
                        language: s.language.clone(),
                        reliability: s.reliability,
                        note: s.note.clone(),
                        cited_by: vec![doc.title.clone()],
                        cited_by_omitted: 0,
                    });
                    number
                }
            })
            .collect();
        for c in &kept {
            entries.push(Entry {
                doc,
                c,
                numbers: doc_numbers.len(),
            });
        }
        for a in &kept_views {
            let speaker = doc.speaker.as_ref();
            let author = a
                .author
                .clone()
                .or_else(|| speaker.map(|s| s.name.clone()))
                .unwrap_or_default();
            let view = View {
                fields: a.fields.clone(),
                summary: a.summary.clone(),
                quote: a.quote.clone(),
            };
            match view_group.get(&(doc.id.as_str(), author.clone())) {
                Some(&g) => views[g].views.push(view),
                None => {
                    let same = speaker.is_some_and(|s| s.name == author);
                    view_group.insert((doc.id.as_str(), author.clone()), views.len());
                    views.push(ViewGroup {
                        author,
                        role: speaker.filter(|_| same).and_then(|s| s.role.clone()),
                        affiliation: speaker.filter(|_| same).and_then(|s| s.affiliation.clone()),
                        date: doc.date,
                        document: doc.id.clone(),
                        document_title: doc.title.clone(),
                        sources: numbers.clone(),
                        views: vec![view],
                    })
                }
            }
        }
        timeline_docs.push(TimelineDocument {
            id: doc.id.clone(),
            date: doc.date,
            kind: doc.kind,
            title: doc.title.clone(),
            commitments: kept.len(),
            views: kept_views.len(),
            sources: numbers.clone(),
        });
        doc_numbers.push(numbers);
    }
    // Commitments in date order; a stable sort keeps document order within a date.
    entries.sort_by_key(|e| e.date());

    let per_list = match opts.detail {
        Detail::Full => None,
        Detail::Summary(n) => Some(n),
        Detail::Auto(n) => (entries.len() > AUTO_FULL_MAX).then_some(n),
    };
    let make = |e: &Entry<'_>| item(&cx, e.doc, e.c, &doc_numbers[e.numbers]);
    // The most recent `per_list` of a date-ordered list, and how many were left out.
    let show = |list: &[&Entry<'_>]| -> (Vec<CommitmentItem>, usize) {
        let skip = per_list.map_or(0, |n| list.len().saturating_sub(n));
        (list[skip..].iter().map(|e| make(e)).collect(), skip)
    };

    // By field, in vocabulary order.
    let fields: Vec<FieldSection> = ds
        .fields
        .iter()
        .filter_map(|f| {
            let list: Vec<&Entry<'_>> = entries.iter().filter(|e| e.c.field == f.id).collect();
            if list.is_empty() {
                return None;
            }
            let mut by_actor: BTreeMap<&str, usize> = BTreeMap::new();
            let mut by_status: BTreeMap<crate::dataset::format::Status, usize> = BTreeMap::new();
            for e in &list {
                let actor = match (&e.c.actor, e.c.mutual) {
                    (Some(a), false) => ds.party(a).map_or(a.as_str(), |p| p.name.as_str()),
                    _ => "Both sides",
                };
                *by_actor.entry(actor).or_default() += 1;
                *by_status.entry(e.c.status).or_default() += 1;
            }
            let (commitments, omitted) = show(&list);
            Some(FieldSection {
                id: f.id.clone(),
                label: f.label.clone(),
                count: list.len(),
                first: list.iter().map(|e| e.date()).min().expect("not empty"),
                latest: list.iter().map(|e| e.date()).max().expect("not empty"),
                parties: tallies(by_actor.into_iter().map(|(a, n)| (a.to_string(), n))),
                statuses: tallies(
                    by_status
                        .into_iter()
                        .map(|(s, n)| (s.label().to_string(), n)),
                ),
                commitments,
                omitted,
            })
        })
        .collect();

    // Timeline: documents by month, or by year when only the year is known.
    let mut buckets: BTreeMap<PartialDate, TimelineBucket> = BTreeMap::new();
    for d in timeline_docs {
        let b = buckets
            .entry(d.date.bucket())
            .or_insert_with(|| TimelineBucket {
                period: d.date.bucket(),
                documents: Vec::new(),
                document_count: 0,
                omitted: 0,
                commitments: 0,
                views: 0,
            });
        b.commitments += d.commitments;
        b.views += d.views;
        b.document_count += 1;
        b.documents.push(d);
    }
    let mut timeline: Vec<TimelineBucket> = buckets.into_values().collect();
    // A summary lists the `per_list` most recent documents of the whole timeline; every bucket
    // keeps its counts.
    if let Some(n) = per_list {
        let mut all: Vec<(PartialDate, usize, usize)> = timeline
            .iter()
            .enumerate()
            .flat_map(|(bi, b)| {
                b.documents
                    .iter()
                    .enumerate()
                    .map(move |(di, d)| (d.date, bi, di))
            })
            .collect();
        all.sort_by_key(|&(date, _, _)| date);
        let mut keep: Vec<Vec<bool>> = timeline
            .iter()
            .map(|b| vec![false; b.documents.len()])
            .collect();
        for &(_, bi, di) in &all[all.len().saturating_sub(n)..] {
            keep[bi][di] = true;
        }
        for (b, keep) in timeline.iter_mut().zip(keep) {
            let mut k = keep.into_iter();
            b.documents.retain(|_| k.next().unwrap_or(false));
            b.documents.sort_by_key(|d| d.date);
            b.omitted = b.document_count - b.documents.len();
        }
    }

    // Reciprocity.
    let reciprocity = {
        let parties = ds
            .parties
            .iter()
            .map(|p| {
                let (to_other, to_organisations): (Vec<&Entry<'_>>, Vec<&Entry<'_>>) = entries
                    .iter()
                    .filter(|e| !e.c.mutual && e.c.actor.as_deref() == Some(p.code.as_str()))
                    .partition(|e| {
                        e.c.target
                            .as_deref()
                            .is_some_and(|t| matches!(ds.target(t), Some(Target::Party(_))))
                    });
                let (other_items, other_omitted) = show(&to_other);
                let (org_items, org_omitted) = show(&to_organisations);
                PartyCommitments {
                    party: named(p),
                    to_other: other_items,
                    to_organisations: org_items,
                    to_other_count: to_other.len(),
                    to_organisations_count: to_organisations.len(),
                    omitted: other_omitted + org_omitted,
                }
            })
            .collect();
        let mutual: Vec<&Entry<'_>> = entries.iter().filter(|e| e.c.mutual).collect();
        let (items, omitted) = show(&mutual);
        Reciprocity {
            parties,
            mutual: items,
            mutual_count: mutual.len(),
            mutual_omitted: omitted,
        }
    };

    // Multilateral: by organisation, in manifest order.
    let multilateral: Vec<OrganisationSection> = ds
        .organisations
        .iter()
        .filter_map(|o| {
            let list: Vec<&Entry<'_>> = entries
                .iter()
                .filter(|e| {
                    e.c.target.as_deref() == Some(&o.id) || e.c.within.as_deref() == Some(&o.id)
                })
                .collect();
            if list.is_empty() {
                return None;
            }
            let (commitments, omitted) = show(&list);
            Some(OrganisationSection {
                organisation: org(o),
                commitments,
                count: list.len(),
                omitted,
            })
        })
        .collect();

    // Lineage.
    let by_id: HashMap<&str, &Commitment> =
        ds.commitments().map(|(_, c)| (c.id.as_str(), c)).collect();
    let linked: Vec<(&Entry<'_>, &str, &Commitment)> = entries
        .iter()
        .filter_map(|e| {
            let (relation, earlier) = match (&e.c.repeats, &e.c.upgrades) {
                (Some(x), _) => ("repeats", x),
                (None, Some(x)) => ("upgrades", x),
                _ => return None,
            };
            Some((e, relation, *by_id.get(earlier.as_str())?))
        })
        .collect();
    let lineage_omitted = per_list.map_or(0, |n| linked.len().saturating_sub(n));
    let lineage: Vec<LineageItem> = linked[lineage_omitted..]
        .iter()
        .map(|(e, relation, ec)| LineageItem {
            relation: relation.to_string(),
            commitment: make(e),
            earlier_id: ec.id.clone(),
            earlier_date: ec.date.expect("normalised"),
            earlier_summary: ec.summary.clone(),
        })
        .collect();

    // Expert views: in a summary, the most recent groups, in their original order.
    let views_total: usize = views.iter().map(|g| g.views.len()).sum();
    let mut views_omitted = 0;
    if let Some(n) = per_list {
        if views.len() > n {
            let mut order: Vec<usize> = (0..views.len()).collect();
            order.sort_by_key(|&i| views[i].date);
            let mut keep = vec![false; views.len()];
            for &i in &order[order.len() - n..] {
                keep[i] = true;
            }
            views_omitted = views.len() - n;
            let mut k = keep.into_iter();
            views.retain(|_| k.next().unwrap_or(false));
        }
    }

    let data_cutoff = ds
        .documents
        .iter()
        .flat_map(|d| d.doc.sources.iter().map(|s| s.published))
        .max();
    let counts = Counts {
        documents: timeline.iter().map(|b| b.document_count).sum(),
        commitments: entries.len(),
        views: views_total,
        sources: sources.len(),
        fields: fields.len(),
    };
    let header = Header {
        title: ds.title.clone(),
        parties: named_parties(ds),
        period: Period {
            since: opts.since,
            until,
        },
        as_of,
        data_cutoff,
        counts,
        filters: Filters {
            fields: opts.fields.clone(),
            party: opts.party.clone(),
        },
        detail: DetailInfo {
            summary: per_list.is_some(),
            per_list,
            lineage_omitted,
            views_omitted,
            sources_omitted: 0,
        },
    };
    let bottom_line = bottom_line(&header, &fields, &reciprocity, &multilateral, &timeline);
    let mut briefing = Briefing {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR.to_string(),
        header,
        bottom_line,
        fields,
        timeline,
        reciprocity,
        multilateral,
        lineage,
        views,
        sources,
        vocabulary: Vocabulary {
            fields: ds
                .fields
                .iter()
                .map(|f| Named {
                    id: f.id.clone(),
                    name: f.label.clone(),
                })
                .collect(),
            parties: named_parties(ds),
            organisations: ds.organisations.iter().map(org).collect(),
        },
        changes: None,
    };
    if let Some(n) = per_list {
        cite_shown_sources(&mut briefing, n);
    }
    Ok(briefing)
}

/// A commitment in scope, by reference into the dataset.
struct Entry<'a> {
    doc: &'a Document,
    c: &'a Commitment,
    /// Index of the document's source numbers.
    numbers: usize,
}

impl Entry<'_> {
    fn date(&self) -> PartialDate {
        self.c.date.expect("normalised by validate")
    }
}

/// A summary cites only what it shows: keep the sources its listed items cite, renumbered
/// 1, 2, 3 … in their original order, each with at most `per_list` citing titles.
fn cite_shown_sources(b: &mut Briefing, per_list: usize) {
    let mut numbers: Vec<&mut Vec<usize>> = Vec::new();
    for f in &mut b.fields {
        numbers.extend(f.commitments.iter_mut().map(|c| &mut c.sources));
    }
    for p in &mut b.reciprocity.parties {
        numbers.extend(p.to_other.iter_mut().map(|c| &mut c.sources));
        numbers.extend(p.to_organisations.iter_mut().map(|c| &mut c.sources));
    }
    numbers.extend(b.reciprocity.mutual.iter_mut().map(|c| &mut c.sources));
    for o in &mut b.multilateral {
        numbers.extend(o.commitments.iter_mut().map(|c| &mut c.sources));
    }
    numbers.extend(b.lineage.iter_mut().map(|l| &mut l.commitment.sources));
    numbers.extend(b.views.iter_mut().map(|v| &mut v.sources));
    for t in &mut b.timeline {
        numbers.extend(t.documents.iter_mut().map(|d| &mut d.sources));
    }
    let mut cited = vec![false; b.sources.len() + 1];
    for list in &numbers {
        for &n in list.iter() {
            cited[n] = true;
        }
    }
    let mut renumber = vec![0; b.sources.len() + 1];
    let mut next = 0;
    for (n, c) in cited.iter().enumerate().skip(1) {
        if *c {
            next += 1;
            renumber[n] = next;
        }
    }
    for list in numbers {
        for n in list.iter_mut() {
            *n = renumber[*n];
        }
    }
    let before = b.sources.len();
    b.sources.retain(|s| cited[s.number]);
    for s in &mut b.sources {
        s.number = renumber[s.number];
        s.cited_by_omitted = s.cited_by.len().saturating_sub(per_list);
        s.cited_by.truncate(per_list);
    }
    b.header.detail.sources_omitted = before - b.sources.len();
}

fn named(p: &crate::dataset::PartyInfo) -> Named {
    Named {
        id: p.code.clone(),
        name: p.name.clone(),
    }
}

fn named_parties(ds: &Dataset) -> Vec<Named> {
    ds.parties.iter().map(named).collect()
}

fn org(o: &crate::dataset::format::Organisation) -> Organisation {
    Organisation {
        id: o.id.clone(),
        name: o.name.clone(),
        short: o.short.clone(),
    }
}

fn tallies(it: impl Iterator<Item = (String, usize)>) -> Vec<Tally> {
    let mut v: Vec<Tally> = it.map(|(label, count)| Tally { label, count }).collect();
    // Largest first; ties by label, so the order never depends on anything but the data.
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}

fn item(cx: &Ctx<'_>, doc: &Document, c: &Commitment, sources: &[usize]) -> CommitmentItem {
    CommitmentItem {
        id: c.id.clone(),
        date: c.date.expect("normalised by validate"),
        actor: c.actor.clone(),
        target: c.target.clone(),
        mutual: c.mutual,
        within: c.within.clone(),
        who: cx.who(c),
        field: c.field.clone(),
        action: c.action,
        summary: c.summary.clone(),
        quote: c.quote.clone(),
        due: c.due,
        status: c.status,
        note: c.note.clone(),
        document: doc.id.clone(),
        document_title: doc.title.clone(),
        sources: sources.to_vec(),
    }
}

/// "1 commitment", "3 commitments".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Joins "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn bottom_line(
    header: &Header,
    fields: &[FieldSection],
    reciprocity: &Reciprocity,
    multilateral: &[OrganisationSection],
    timeline: &[TimelineBucket],
) -> Vec<String> {
    let c = &header.counts;
    let pair = join_and(
        &header
            .parties
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>(),
    );
    if c.commitments == 0 && c.views == 0 {
        return vec![format!(
            "No commitments or expert views between {pair} are recorded for the period."
        )];
    }
    let mut out = Vec::new();
    let mut who: Vec<String> = reciprocity
        .parties
        .iter()
        .map(|p| {
            (
                p.party.name.clone(),
                p.to_other_count + p.to_organisations_count,
            )
        })
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{n} by {name}"))
        .collect();
    if reciprocity.mutual_count > 0 {
        who.push(format!("{} made jointly", reciprocity.mutual_count));
    }
    let until = header.period.until.format("%-d %B %Y");
    let period = match header.period.since {
        Some(s) => format!("From {} to {until}", s.format("%-d %B %Y")),
        None => format!("Up to {until}"),
    };
    out.push(if c.commitments > 0 {
        format!(
            "{period}, {} {} between {pair}: {}.",
            plural(c.documents, "document records", "documents record"),
            plural(c.commitments, "commitment", "commitments"),
            join_and(&who)
        )
    } else {
        format!(
            "{period}, {} no commitments between {pair}, and {}.",
            plural(c.documents, "document records", "documents record"),
            plural(c.views, "expert view", "expert views")
        )
    });
    if !fields.is_empty() {
        let mut ranked: Vec<&FieldSection> = fields.iter().collect();
        // Stable: ties keep vocabulary order.
        ranked.sort_by_key(|f| std::cmp::Reverse(f.count));
        let top = ranked[0];
        let rest = &ranked[1..];
        let lead = if rest.first().is_some_and(|r| r.count == top.count) {
            let tied: Vec<String> = ranked
                .iter()
                .take_while(|f| f.count == top.count)
                .map(|f| f.label.to_lowercase())
                .collect();
            format!(
                "They span {}, with {} each in {}",
                plural(fields.len(), "field", "fields"),
                top.count,
                join_and(&tied)
            )
        } else {
            format!(
                "{} leads with {} of {}",
                top.label, top.count, c.commitments
            )
        };
        let others: Vec<String> = rest
            .iter()
            .filter(|f| f.count != top.count)
            .map(|f| format!("{} ({})", f.label.to_lowercase(), f.count))
            .collect();
        let tail = match others.len() {
            0 => String::new(),
            1..=5 => format!("; the rest concern {}", join_and(&others)),
            n => format!("; the rest spread over {n} other fields"),
        };
        out.push(format!("{lead}{tail}."));
    }
    if let Some(first) = multilateral.first() {
        let name = first
            .organisation
            .short
            .clone()
            .unwrap_or(first.organisation.name.clone());
        let others = multilateral.len() - 1;
        let extra = if others > 0 {
            format!(
                " ({} more concern other organisations)",
                multilateral[1..].iter().map(|m| m.count).sum::<usize>()
            )
        } else {
            String::new()
        };
        let n = first.count;
        out.push(format!(
            "Of these, {n} {} the {name}{extra}.",
            if n == 1 { "concerns" } else { "concern" }
        ));
    }
    if let Some(newest) = timeline
        .last()
        .and_then(|b| b.documents.iter().max_by_key(|d| d.date))
    {
        let views = if c.views > 0 {
            format!(
                "; the briefing carries {}",
                plural(c.views, "expert view", "expert views")
            )
        } else {
            String::new()
        };
        out.push(format!(
            "The newest document is the {} \u{201C}{}\u{201D} of {}{views}.",
            newest.kind.label(),
            newest.title,
            newest.date.human()
        ));
    }
    out
}
