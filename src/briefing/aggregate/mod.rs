//! From a dataset, a period and an as-of date to a [`Briefing`]: a pure function.
//!
//! Partial dates are placed by the span they cover: "April 2025" is in a period that overlaps April
//! at all, and sits in the April 2025 bucket of the timeline, never on the first of the month. The
//! as-of date closes the period: a briefing as of a day says nothing dated after it, and nothing
//! first published after it (`history`).
//!
//! One pass (`scope`) decides what is in the briefing; each section is then built from that scope
//! alone by its own function (`sections`, `follow`, `lineage`, `timeline`, `bottom_line`), and a
//! summary trims the lists last (`summary`). Nothing here words anything: the templates do.

mod bottom_line;
mod follow;
mod history;
mod items;
mod lineage;
mod scope;
mod sections;
mod summary;
mod table;
mod targets;
mod timeline;

use chrono::NaiveDate;

use crate::briefing::model::*;
use crate::dataset::Dataset;
use scope::Scope;

/// What to include.
#[derive(Debug, Clone)]
pub struct Options {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Records first known after this day are in the period whatever their date: a scheduled
    /// `since-last-run` briefing passes the previous run's as-of date, so late reports are news.
    pub known_after: Option<NaiveDate>,
    /// Field ids; empty means all.
    pub fields: Vec<String>,
    /// A party code: only its commitments (and mutual ones).
    pub party: Option<String>,
    /// An entity id: only the commitments it makes or is addressed.
    pub entity: Option<String>,
    /// Complete lists, or each list cut to its most recent entries.
    pub detail: Detail,
    /// A commitment due within this many days of the as-of date is "due soon".
    pub due_soon_days: u32,
    /// Also build the ledger's rows for a spreadsheet ([`Briefing::table`]).
    pub table: bool,
    /// Show draft records (proposed by `bilateral draft`, not yet reviewed), marked as drafts.
    /// Left out by default, and counted in the header.
    pub include_drafts: bool,
    /// A protective marking ("OFFICIAL", "FOR INTERNAL USE"), which the templates print on every
    /// page, in the HTML and in the email subject.
    pub marking: Option<String>,
}

/// How far ahead "due soon" looks unless asked otherwise.
pub const DEFAULT_DUE_SOON_DAYS: u32 = 90;
/// The longest due-soon window accepted (a hundred years), by `brief` and in a jobs file alike.
pub const MAX_DUE_SOON_DAYS: u32 = 36_500;

impl Default for Options {
    fn default() -> Self {
        Self {
            since: None,
            until: None,
            known_after: None,
            fields: Vec::new(),
            party: None,
            entity: None,
            detail: Detail::default(),
            due_soon_days: DEFAULT_DUE_SOON_DAYS,
            table: false,
            include_drafts: false,
            marking: None,
        }
    }
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
    #[error("unknown entity `{0}`; known entities: {1}")]
    UnknownEntity(String, String),
    #[error("the period is empty: --since {0} is after --until {1}")]
    EmptyPeriod(NaiveDate, NaiveDate),
}

pub const GENERATOR: &str = concat!("bilateral ", env!("CARGO_PKG_VERSION"));

/// Builds the briefing. Fails only when a filter names a field or party the dataset lacks.
pub fn aggregate(ds: &Dataset, opts: &Options, as_of: NaiveDate) -> Result<Briefing, FilterError> {
    let (ds, drafts) = reviewed(ds, opts);
    let ds = ds.as_ref();
    let until = check_filters(ds, opts, as_of)?;
    let scope = Scope::new(ds, opts, until, as_of);
    let per_list = match opts.detail {
        Detail::Full => None,
        Detail::Summary(n) => Some(n),
        Detail::Auto(n) => (scope.entries.len() > AUTO_FULL_MAX).then_some(n),
    };
    // The ledger and the spreadsheet's rows read the scope as the sections do, and nothing else:
    // they are built beside them, on the other core; the rows, when asked for, take longest
    // (and themselves spread over every core), so the ledger then follows the sections.
    let ((built, ledger), table) = match opts.table {
        true => crate::base::parallel::join(
            || (Sections::build(&scope, per_list), follow::ledger(&scope)),
            || Some(table::table(&scope)),
        ),
        false => {
            let (built, ledger) = crate::base::parallel::join(
                || Sections::build(&scope, per_list),
                || follow::ledger(&scope),
            );
            ((built, ledger), None)
        }
    };
    let header = header(&scope, built.counts(&scope), built.detail(per_list));
    let bottom_line = bottom_line::facts(
        &scope,
        &bottom_line::Built {
            header: &header,
            fields: &built.fields,
            reciprocity: &built.reciprocity,
            multilateral: &built.multilateral,
            timeline: &built.timeline,
        },
    );
    let mut briefing = Briefing {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR.to_string(),
        header,
        bottom_line,
        deadlines: built.deadlines,
        follow_through: built.follow_through,
        scores: built.scores,
        targets: built.targets,
        fields: built.fields,
        timeline: built.timeline,
        reciprocity: built.reciprocity,
        multilateral: built.multilateral,
        lineage: built.lineage,
        views: built.views,
        sources: scope.sources,
        listed: Vec::new(),
        vocabulary: vocabulary(ds),
        changes: None,
        ledger,
        table,
    };
    if let Some(n) = per_list {
        summary::cite_shown_sources(&mut briefing, n);
    }
    briefing.header.counts.drafts_left_out = drafts;
    count_quotes(&mut briefing);
    let mut listed: Vec<usize> = briefing
        .fields
        .iter()
        .flat_map(|f| f.commitments.iter().map(|c| c.number))
        .collect();
    listed.sort_unstable();
    briefing.listed = listed;
    Ok(briefing)
}

/// The sections built from the scope, before the header and the bottom line that count them.
struct Sections {
    fields: Vec<FieldSection>,
    reciprocity: Reciprocity,
    multilateral: Vec<OrganisationSection>,
    lineage: Vec<Chain>,
    lineage_omitted: usize,
    follow_through: FollowThrough,
    deadlines: Deadlines,
    scores: Scores,
    targets: Targets,
    timeline: Vec<TimelineBucket>,
    views: Vec<ViewGroup>,
    views_total: usize,
    views_omitted: usize,
}

impl Sections {
    fn build(scope: &Scope<'_>, per_list: Option<usize>) -> Self {
        let show = sections::Shower::new(scope, per_list);
        let (lineage, lineage_omitted) = lineage::lineage(scope, &show);
        let (views, views_omitted) = summary::recent_views(scope.views.clone(), per_list);
        Self {
            fields: sections::fields(scope, &show),
            reciprocity: sections::reciprocity(scope, &show),
            multilateral: sections::multilateral(scope, &show),
            lineage,
            lineage_omitted,
            follow_through: follow::follow_through(scope, &show),
            deadlines: follow::deadlines(scope, &show),
            scores: follow::scores(scope),
            targets: targets::targets(scope, per_list),
            timeline: timeline::timeline(scope.timeline_docs.clone(), per_list),
            views,
            views_total: scope.views.iter().map(|g| g.views.len()).sum(),
            views_omitted,
        }
    }

    fn counts(&self, scope: &Scope<'_>) -> Counts {
        Counts {
            documents: self.timeline.iter().map(|b| b.document_count).sum(),
            commitments: scope.entries.len(),
            events: scope.events.len(),
            views: self.views_total,
            sources: scope.sources.len(),
            fields: self.fields.len(),
            quotes: 0,
            quotes_verified: 0,
            drafts_left_out: 0,
        }
    }

    fn detail(&self, per_list: Option<usize>) -> DetailInfo {
        DetailInfo {
            summary: per_list.is_some(),
            per_list,
            lineage_omitted: self.lineage_omitted,
            views_omitted: self.views_omitted,
            sources_omitted: 0,
        }
    }
}

/// The dataset a briefing may use: without draft records (with `include_drafts`, without the
/// incomplete ones only), and how many were left out. Borrowed as it is when it has none.
fn reviewed<'d>(ds: &'d Dataset, opts: &Options) -> (std::borrow::Cow<'d, Dataset>, usize) {
    let drafts = if opts.include_drafts {
        ds.incomplete_drafts()
    } else {
        ds.drafts()
    };
    if drafts == 0 {
        return (std::borrow::Cow::Borrowed(ds), 0);
    }
    (
        std::borrow::Cow::Owned(ds.without_drafts(opts.include_drafts)),
        drafts,
    )
}

/// Counts the quotes the briefing prints (a commitment's under its field, events', views'),
/// and those verified against an archived source.
fn count_quotes(b: &mut Briefing) {
    let quotes = b
        .fields
        .iter()
        .flat_map(|f| f.commitments.iter().flat_map(|c| &c.quotes))
        .chain(b.follow_through.events.iter().flat_map(|e| &e.quotes))
        .chain(
            b.targets
                .items
                .iter()
                .flat_map(|t| t.measurements.iter().flat_map(|m| &m.quotes)),
        )
        .chain(
            b.views
                .iter()
                .flat_map(|g| g.views.iter().flat_map(|v| &v.quotes)),
        );
    let (all, verified) = quotes.fold((0, 0), |(n, v), q| (n + 1, v + usize::from(q.verified)));
    b.header.counts.quotes = all;
    b.header.counts.quotes_verified = verified;
}

/// The header: the pair, the period and the as-of date, what was known by then, the counts.
fn header(scope: &Scope<'_>, counts: Counts, detail: DetailInfo) -> Header {
    let (ds, opts) = (scope.ds, scope.opts);
    Header {
        title: ds.title.clone(),
        parties: named_parties(ds),
        period: Period {
            since: opts.since,
            until: scope.until,
        },
        as_of: scope.as_of(),
        data_cutoff: scope.data_cutoff(),
        known_after: opts.known_after,
        counts,
        untranslated: ds.untranslated.clone(),
        marking: opts.marking.clone(),
        filters: Filters {
            fields: opts.fields.clone(),
            party: opts.party.clone(),
            entity: opts.entity.clone(),
        },
        detail,
    }
}

/// Checks the filters against the dataset; returns the last day of the period.
fn check_filters(ds: &Dataset, opts: &Options, as_of: NaiveDate) -> Result<NaiveDate, FilterError> {
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
    if let Some(e) = &opts.entity {
        if ds.entity(e).is_none() {
            let ids: Vec<&str> = ds.entities.iter().map(|e| e.id.as_str()).collect();
            let known = if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            };
            return Err(FilterError::UnknownEntity(e.clone(), known));
        }
    }
    let until = opts.until.map_or(as_of, |u| u.min(as_of));
    match opts.since {
        Some(s) if s > until => Err(FilterError::EmptyPeriod(s, until)),
        _ => Ok(until),
    }
}

fn vocabulary(ds: &Dataset) -> Vocabulary {
    Vocabulary {
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
        entities: ds
            .entities
            .iter()
            .map(|e| EntityName {
                id: e.id.clone(),
                name: e.name.clone(),
                full_name: e.full_name.clone(),
                country: e.country.clone(),
                kind: e.kind,
            })
            .collect(),
        measures: ds
            .measures
            .iter()
            .map(|m| MeasureName {
                id: m.id.clone(),
                label: m.label.clone(),
                unit: m.unit.clone(),
                note: m.note.clone(),
            })
            .collect(),
    }
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
        article: o.article,
        former: o
            .former
            .iter()
            .map(|f| FormerName {
                name: f.name.clone(),
                short: f.short.clone(),
                until: f.until,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    //! The section builders on a small dataset written here: each section from the scope alone.
    use super::*;
    use crate::dataset::load::{parse_files, SourceText};

    const MANIFEST: &str = "[[parties]]\ncode = \"AZ\"\n[[parties]]\ncode = \"CN\"\n[[organisations]]\nid = \"sco\"\nname = \"Shanghai Cooperation Organisation\"\nshort = \"SCO\"\n";

    fn doc(id: &str, date: &str, commitments: &str) -> SourceText {
        SourceText {
            path: format!("{id}.toml").into(),
            text: format!("id = \"{id}\"\ntitle = \"{id}\"\nkind = \"joint-statement\"\ndate = \"{date}\"\nparties = [\"AZ\", \"CN\"]\n[[sources]]\npublisher = \"P\"\npublished = \"{date}\"\nlanguage = \"en\"\nreliability = \"official\"\n{commitments}"),
        }
    }

    fn commitment(id: &str, who: &str, field: &str, extra: &str) -> String {
        format!("[[commitments]]\nid = \"{id}\"\n{who}\nfield = \"{field}\"\naction = \"support\"\nsummary = \"{id}\"\n{extra}\n")
    }

    fn dataset() -> Dataset {
        let a = [
            commitment("a1", "actor = \"AZ\"", "energy", ""),
            commitment("a2", "actor = \"AZ\"\ntarget = \"sco\"", "multilateral", ""),
            commitment("j1", "mutual = true", "energy", ""),
            commitment("c1", "actor = \"CN\"\nwithin = \"sco\"", "multilateral", ""),
        ]
        .concat();
        let b = commitment("a3", "actor = \"AZ\"", "energy", "repeats = \"a1\"");
        let loaded = parse_files(
            SourceText {
                path: "dataset.toml".into(),
                text: MANIFEST.into(),
            },
            vec![doc("one", "2025-04", &a), doc("two", "2025-06-02", &b)],
        );
        loaded
            .dataset
            .unwrap_or_else(|| panic!("{}", loaded.diagnostics))
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn sections_from_the_scope() {
        let ds = dataset();
        let opts = Options::default();
        let scope = Scope::new(&ds, &opts, day(2025, 12, 31), day(2025, 12, 31));
        let show = sections::Shower::new(&scope, None);
        let fields = sections::fields(&scope, &show);
        let energy = fields.iter().find(|f| f.id == "energy").unwrap();
        assert_eq!(energy.count, 3);
        // Largest first; the joint commitment last.
        let tally: Vec<(Option<&str>, usize)> = energy
            .parties
            .iter()
            .map(|t| (t.party.as_deref(), t.count))
            .collect();
        assert_eq!(tally, [(Some("AZ"), 2), (None, 1)]);
        let rec = sections::reciprocity(&scope, &show);
        assert_eq!(
            (
                rec.parties[0].to_other_count,
                rec.parties[0].to_organisations_count
            ),
            (2, 1)
        );
        assert_eq!(rec.mutual_count, 1);
        // Who: a joint commitment names no party target; an organisation target stays.
        assert_eq!(rec.mutual[0].who.actor, None);
        assert_eq!(rec.mutual[0].who.target, None);
        assert_eq!(
            rec.parties[0].to_organisations[0].who.target.as_deref(),
            Some("sco")
        );
        let multi = sections::multilateral(&scope, &show);
        assert_eq!(multi[0].count, 2, "targeting or within the SCO");
        let (lineage, omitted) = lineage::lineage(&scope, &show);
        assert_eq!((lineage.len(), omitted), (1, 0));
        let steps: Vec<(Option<Relation>, &str)> = lineage[0]
            .steps
            .iter()
            .map(|s| (s.relation, s.commitment.id.as_str()))
            .collect();
        assert_eq!(steps, [(None, "a1"), (Some(Relation::Repeats), "a3")]);
    }

    #[test]
    fn a_summary_keeps_the_latest_and_counts_the_rest() {
        let ds = dataset();
        let opts = Options::default();
        let scope = Scope::new(&ds, &opts, day(2025, 12, 31), day(2025, 12, 31));
        let show = sections::Shower::new(&scope, Some(1));
        let fields = sections::fields(&scope, &show);
        let energy = fields.iter().find(|f| f.id == "energy").unwrap();
        assert_eq!((energy.commitments.len(), energy.omitted), (1, 2));
        assert_eq!(energy.commitments[0].id, "a3", "the most recent");
    }

    #[test]
    fn bottom_line_facts_rank_fields_and_name_the_newest() {
        let ds = dataset();
        let b = aggregate(&ds, &Options::default(), day(2025, 12, 31)).unwrap();
        let bl = &b.bottom_line;
        assert!(!bl.empty);
        assert_eq!(bl.leading.len(), 1);
        assert_eq!(
            (bl.leading[0].field.as_str(), bl.leading[0].count),
            ("energy", 3)
        );
        assert_eq!(bl.rest.len(), 1);
        assert_eq!(bl.jointly, 1);
        assert_eq!(bl.organisation.as_ref().map(|o| o.count), Some(2));
        assert_eq!(bl.newest.as_ref().map(|d| d.id.as_str()), Some("two"));
        // Before anything was said: nothing to report.
        let early = aggregate(&ds, &Options::default(), day(2025, 1, 1)).unwrap();
        assert!(early.bottom_line.empty);
    }

    #[test]
    fn filters_name_what_the_dataset_has() {
        let ds = dataset();
        let bad_field = Options {
            fields: vec!["maritime".into()],
            ..Options::default()
        };
        assert!(matches!(
            aggregate(&ds, &bad_field, day(2025, 5, 1)),
            Err(FilterError::UnknownField(..))
        ));
        let empty = Options {
            since: Some(day(2025, 6, 1)),
            until: Some(day(2025, 5, 1)),
            ..Options::default()
        };
        assert!(matches!(
            aggregate(&ds, &empty, day(2025, 7, 1)),
            Err(FilterError::EmptyPeriod(..))
        ));
    }
}
