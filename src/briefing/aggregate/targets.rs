//! Targets: each commitment's figure against the figures reported for its measure, as known by
//! the as-of date. Which figures count (the latest report of each period; a whole year's for an
//! annual target; the sum since the commitment for a cumulative one), the share reached, the
//! trend, and whether the trend reaches the target by its deadline: docs/follow-through.md says
//! the same in prose.

use chrono::NaiveDate;

use super::history::MeasurementRecord;
use super::scope::{Entry, Scope};
use crate::base::date::{PartialDate, Precision};
use crate::briefing::model::*;
use crate::dataset::format::{Basis, Commitment};

/// The section: every target in scope; a summary keeps the most recent `per_list`.
pub(super) fn targets(scope: &Scope<'_>, per_list: Option<usize>) -> Targets {
    let count = scope.targets.len();
    let omitted = per_list.map_or(0, |n| count.saturating_sub(n));
    Targets {
        items: scope.targets[omitted..]
            .iter()
            .filter_map(|e| item(scope, e))
            .collect(),
        count,
        omitted,
    }
}

/// Every target in scope, counted by where it stands (for the bottom line): only the track is
/// worked out, no item built.
pub(super) fn tally(scope: &Scope<'_>) -> TargetTally {
    let mut t = TargetTally::default();
    for e in &scope.targets {
        let Some(target) = scope.target_figure(e.c) else {
            continue;
        };
        let series = series(scope, e);
        let (reached, compared) = reached(&series, target.basis);
        t.count += 1;
        *match track(scope.as_of(), &target, reached, &compared, e.date()) {
            Track::Reached => &mut t.reached,
            Track::OnTrack => &mut t.on_track,
            Track::OffTrack => &mut t.off_track,
            Track::Missed => &mut t.missed,
            Track::Unknown => &mut t.unknown,
        } += 1;
    }
    t
}

/// A figure that counts: the latest report of its period, and what an earlier one said.
pub(super) struct Counted<'r, 'a> {
    pub r: &'r MeasurementRecord<'a>,
    pub revised_from: Option<f64>,
}

fn item(scope: &Scope<'_>, e: &Entry<'_>) -> Option<TargetItem> {
    let target = scope.target_figure(e.c)?;
    let series = series(scope, e);
    let (reached, compared) = reached(&series, target.basis);
    let share = reached.map(|r| percent(r, target.value));
    let (trend, change) = trend(&compared);
    let track = track(scope.as_of(), &target, reached, &compared, e.date());
    let projected = match track {
        Track::OnTrack | Track::OffTrack => projection(&target, reached, &compared, e.date()),
        _ => None,
    };
    Some(TargetItem {
        commitment: scope.commitment_ref(e),
        measurements: series
            .iter()
            .map(|c| MeasurementItem {
                value: c.r.m.value,
                period: c.r.m.period,
                known: c.r.known,
                revised_from: c.revised_from,
                share: percent(c.r.m.value, target.value),
                note: scope.note(c.r.m.note.as_ref()),
                quotes: scope.quotes(c.r.doc, &c.r.m.sources, &c.r.m.quotes),
                document: c.r.doc.id.clone(),
                sources: scope.record_numbers(c.r.doc, &c.r.m.sources),
            })
            .collect(),
        target,
        reached,
        share,
        change,
        trend,
        track,
        projected,
    })
}

/// The figures that count for every target of each measure (those reported for no commitment
/// in particular), worked out once per briefing: (index into `history.measurements`, the value an
/// earlier report of the period gave), by measure. And the commitments that have figures of
/// their own, whose series is worked out apart.
#[derive(Default)]
pub(super) struct Figures<'a> {
    shared: rustc_hash::FxHashMap<&'a str, Vec<(usize, Option<f64>)>>,
    specific: rustc_hash::FxHashSet<&'a str>,
}

impl<'a> Figures<'a> {
    pub fn new(all: &[MeasurementRecord<'a>]) -> Self {
        let mut f = Figures::default();
        for (i, r) in all.iter().enumerate() {
            if let Some(c) = &r.m.commitment {
                f.specific.insert(c.as_str());
                continue;
            }
            let list = f.shared.entry(r.m.measure.as_str()).or_default();
            match list.last_mut() {
                Some(last) if all[last.0].m.period == r.m.period => {
                    let before = all[last.0].m.value;
                    *last = (i, (before != r.m.value).then_some(before));
                }
                _ => list.push((i, None)),
            }
        }
        f
    }
}

/// The figures of the target's measure that count for it (those for every target of the
/// measure, and those for this commitment), the latest report of each period, by period.
pub(super) fn series<'s, 'a>(scope: &'s Scope<'a>, e: &Entry<'_>) -> Vec<Counted<'s, 'a>> {
    let Some(q) = &e.c.quantity else {
        return Vec::new();
    };
    let all = &scope.history.measurements;
    if !scope.figures.specific.contains(e.c.id.as_str()) {
        let shared = scope.figures.shared.get(q.measure.as_str());
        let mut out: Vec<Counted<'s, 'a>> = shared
            .into_iter()
            .flatten()
            .map(|&(i, revised_from)| Counted {
                r: &all[i],
                revised_from,
            })
            .collect();
        out.sort_by_key(|c| (c.r.m.period.end(), c.r.m.period.start()));
        return out;
    }
    let from = all.partition_point(|r| r.m.measure.as_str() < q.measure.as_str());
    let mut out: Vec<Counted<'s, 'a>> = Vec::new();
    for r in all[from..].iter().take_while(|r| r.m.measure == q.measure) {
        if !counts_for(r, e.c) {
            continue;
        }
        match out.last_mut() {
            // Sorted by period then by when known: a later report of a period revises it.
            Some(last) if last.r.m.period == r.m.period => {
                let before = last.r.m.value;
                *last = Counted {
                    r,
                    revised_from: (before != r.m.value).then_some(before),
                };
            }
            _ => out.push(Counted {
                r,
                revised_from: None,
            }),
        }
    }
    out.sort_by_key(|c| (c.r.m.period.end(), c.r.m.period.start()));
    out
}

fn counts_for(r: &MeasurementRecord<'_>, c: &Commitment) -> bool {
    r.m.commitment.as_ref().is_none_or(|id| *id == c.id)
}

/// The figure compared with the target, and the series a trend is read from: the latest
/// figure (annual: of a whole year), or for a cumulative target the sum of the periods since
/// the commitment that do not overlap (the longer period kept where two do).
fn reached(
    series: &[Counted<'_, '_>],
    basis: Option<Basis>,
) -> (Option<f64>, Vec<(PartialDate, f64)>) {
    let points = |keep: &dyn Fn(&PartialDate) -> bool| -> Vec<(PartialDate, f64)> {
        series
            .iter()
            .filter(|c| keep(&c.r.m.period))
            .map(|c| (c.r.m.period, c.r.m.value))
            .collect()
    };
    match basis {
        None => {
            let p = points(&|_| true);
            (p.last().map(|x| x.1), p)
        }
        Some(Basis::Annual) => {
            let p = points(&|d| d.precision() == Precision::Year && d.form().is_none());
            (p.last().map(|x| x.1), p)
        }
        Some(Basis::Cumulative) => {
            let mut p = points(&|_| true);
            p.sort_by_key(|(d, _)| (d.start(), std::cmp::Reverse(d.end())));
            let mut kept: Vec<(PartialDate, f64)> = Vec::new();
            for (d, v) in p {
                if kept.last().is_none_or(|(k, _)| d.start() > k.end()) {
                    kept.push((d, v));
                }
            }
            let sum = (!kept.is_empty()).then(|| kept.iter().map(|x| x.1).sum());
            (sum, kept)
        }
    }
}

/// The latest figure against the one before.
fn trend(points: &[(PartialDate, f64)]) -> (Trend, Option<f64>) {
    match points {
        [] => (Trend::None, None),
        [_] => (Trend::Single, None),
        [.., (_, before), (_, last)] => {
            if *before == 0.0 {
                return (
                    if *last > 0.0 {
                        Trend::Rising
                    } else {
                        Trend::Flat
                    },
                    None,
                );
            }
            let change = round1((last - before) / before * 100.0);
            let trend = match change {
                c if c >= 1.0 => Trend::Rising,
                c if c <= -1.0 => Trend::Falling,
                _ => Trend::Flat,
            };
            (trend, Some(change))
        }
    }
}

/// Reached, missed (deadline past), or on or off track by the projection; unknown without a
/// deadline or enough figures.
fn track(
    as_of: NaiveDate,
    t: &TargetFigure,
    reached: Option<f64>,
    points: &[(PartialDate, f64)],
    made: PartialDate,
) -> Track {
    if reached.is_some_and(|r| r >= t.value) {
        return Track::Reached;
    }
    let Some(by) = t.by else {
        return Track::Unknown;
    };
    if by.end() < as_of {
        return Track::Missed;
    }
    match projection(t, reached, points, made) {
        Some(p) if p >= t.value => Track::OnTrack,
        Some(_) => Track::OffTrack,
        None => Track::Unknown,
    }
}

/// The figure the trend gives at the deadline's end. A level or annual target: the straight
/// line through the first and the latest figure (by their periods' ends), carried on; needs two
/// figures. A cumulative target: the sum so far plus its daily rate since the commitment.
fn projection(
    t: &TargetFigure,
    reached: Option<f64>,
    points: &[(PartialDate, f64)],
    made: PartialDate,
) -> Option<f64> {
    let by = t.by?.end();
    let days = |a: NaiveDate, b: NaiveDate| (b - a).num_days() as f64;
    match t.basis {
        Some(Basis::Cumulative) => {
            let sum = reached?;
            let last = points.iter().map(|(d, _)| d.end()).max()?;
            let elapsed = days(made.start(), last).max(1.0);
            Some(sum + sum / elapsed * days(last, by).max(0.0))
        }
        _ => {
            let (first, latest) = (points.first()?, points.last()?);
            let span = days(first.0.end(), latest.0.end());
            (span > 0.0).then(|| {
                let slope = (latest.1 - first.1) / span;
                latest.1 + slope * days(latest.0.end(), by).max(0.0)
            })
        }
    }
}

fn percent(value: f64, of: f64) -> f64 {
    round1(value / of * 100.0)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
