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
use crate::dataset::format::Basis;

/// The section: every target in scope; a summary keeps the most recent `per_list`.
pub(super) fn targets(scope: &Scope<'_>, per_list: Option<usize>) -> Targets {
    let count = scope.targets.len();
    let omitted = per_list.map_or(0, |n| count.saturating_sub(n));
    Targets {
        items: scope.targets[omitted..]
            .iter()
            .filter_map(|e| item(scope, e))
            .map(|mut t| {
                // A summary lists each target's latest figures; the share, the trend and the
                // track still rest on all of them.
                if let Some(n) = per_list.filter(|&n| t.measurements.len() > n) {
                    t.omitted = t.measurements.len() - n;
                    t.measurements.drain(..t.omitted);
                    t.annotated = t
                        .measurements
                        .iter()
                        .any(|m| m.note.is_some() || !m.quotes.is_empty());
                }
                t
            })
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
        let Some(a) = assess(scope, e) else { continue };
        t.count += 1;
        *match a.track {
            Track::Reached => &mut t.reached,
            Track::Late => &mut t.late,
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

/// Where a target stands: its figures, the one compared, the series a trend is read from, the
/// track and the projection.
struct Assessment<'s, 'a> {
    target: TargetFigure,
    series: Vec<Counted<'s, 'a>>,
    reached: Option<f64>,
    compared: Vec<(PartialDate, f64)>,
    track: Track,
    projected: Option<f64>,
}

fn assess<'s, 'a>(scope: &'s Scope<'a>, e: &Entry<'_>) -> Option<Assessment<'s, 'a>> {
    let target = scope.target_figure(e)?;
    let series = series(scope, e);
    let (reached, compared) = reached(&series, target.basis, e.date());
    let projected = projection(&target, reached, &compared, e.date());
    let track = track(scope.as_of(), &target, reached, &compared, projected);
    Some(Assessment {
        target,
        series,
        reached,
        compared,
        track,
        projected: projected.filter(|_| matches!(track, Track::OnTrack | Track::OffTrack)),
    })
}

fn item(scope: &Scope<'_>, e: &Entry<'_>) -> Option<TargetItem> {
    let a = assess(scope, e)?;
    let (trend, change) = trend(&a.compared);
    let value = a.target.value;
    let measurements: Vec<MeasurementItem> = a
        .series
        .iter()
        .map(|c| MeasurementItem {
            value: c.r.m.value,
            period: c.r.m.period,
            known: c.r.known,
            revised: c.revised_from.is_some(),
            revised_from: c.revised_from,
            share: percent(c.r.m.value, value),
            compared: a.compared.iter().any(|(d, _)| *d == c.r.m.period),
            note: scope.note(c.r.m.note.as_ref()),
            quotes: scope.quotes(c.r.doc, &c.r.m.sources, &c.r.m.quotes),
            document: c.r.doc.id.clone(),
            sources: scope.record_numbers(c.r.doc, &c.r.m.sources),
        })
        .collect();
    Some(TargetItem {
        commitment: scope.commitment_ref(e),
        annotated: measurements
            .iter()
            .any(|m| m.note.is_some() || !m.quotes.is_empty()),
        compared: measurements.iter().filter(|m| m.compared).count(),
        others: measurements.iter().filter(|m| !m.compared).count(),
        measurements,
        omitted: 0,
        share: a.reached.map(|r| percent(r, value)),
        reached: a.reached,
        target: a.target,
        change,
        trend,
        track: a.track,
        projected: a.projected,
    })
}

/// The figures that count for every target of each measure (those reported for no commitment
/// in particular), worked out once per briefing: the latest report of each period, by measure.
/// And the commitments that have figures of their own, whose series is worked out apart.
#[derive(Default)]
pub(super) struct Figures<'a> {
    shared: rustc_hash::FxHashMap<&'a str, Vec<Latest>>,
    specific: rustc_hash::FxHashSet<&'a str>,
}

/// The latest report of a period (an index into `history.measurements`), and the first value
/// reported for it when a later report changed it.
#[derive(Debug, Clone, Copy)]
struct Latest {
    at: usize,
    revised_from: Option<f64>,
}

impl<'a> Figures<'a> {
    pub fn new(all: &[MeasurementRecord<'a>]) -> Self {
        let mut f = Figures::default();
        for r in all {
            if let Some(c) = &r.m.commitment {
                f.specific.insert(c.as_str());
            }
        }
        let mut from = 0;
        while from < all.len() {
            let measure = all[from].m.measure.as_str();
            let to = from + all[from..].partition_point(|r| r.m.measure == measure);
            let shared = (from..to).filter(|&i| all[i].m.commitment.is_none());
            f.shared.insert(measure, latest_per_period(all, shared));
            from = to;
        }
        f
    }
}

/// Of reports sorted by period, then by when they were known: the latest of each period, and the
/// first value reported for it when that differs (a revision).
fn latest_per_period(
    all: &[MeasurementRecord<'_>],
    at: impl Iterator<Item = usize>,
) -> Vec<Latest> {
    let mut out: Vec<(Latest, f64)> = Vec::new();
    for i in at {
        let r = &all[i];
        match out.last_mut() {
            Some((last, first)) if all[last.at].m.period == r.m.period => {
                *last = Latest {
                    at: i,
                    revised_from: (*first != r.m.value).then_some(*first),
                };
            }
            _ => out.push((
                Latest {
                    at: i,
                    revised_from: None,
                },
                r.m.value,
            )),
        }
    }
    out.into_iter().map(|(l, _)| l).collect()
}

/// The figures of the target's measure that count for it, the latest report of each period, by
/// period: those reported for every target of the measure, where this commitment has none of
/// its own for the same period.
pub(super) fn series<'s, 'a>(scope: &'s Scope<'a>, e: &Entry<'_>) -> Vec<Counted<'s, 'a>> {
    let Some(q) = &e.c.quantity else {
        return Vec::new();
    };
    let all = &scope.history.measurements;
    let shared = scope.figures.shared.get(q.measure.as_str());
    let mut latest: Vec<Latest> = shared.cloned().unwrap_or_default();
    if scope.figures.specific.contains(e.c.id.as_str()) {
        let from = all.partition_point(|r| r.m.measure.as_str() < q.measure.as_str());
        let to = from + all[from..].partition_point(|r| r.m.measure == q.measure);
        let own_at = (from..to).filter(|&i| all[i].m.commitment.as_ref() == Some(&e.c.id));
        let own = latest_per_period(all, own_at);
        latest.retain(|l| !own.iter().any(|o| all[o.at].m.period == all[l.at].m.period));
        latest.extend(own);
    }
    let mut out: Vec<Counted<'s, 'a>> = latest
        .into_iter()
        .map(|l| Counted {
            r: &all[l.at],
            revised_from: l.revised_from,
        })
        .collect();
    out.sort_by_key(|c| (c.r.m.period.end(), c.r.m.period.start()));
    out
}

/// The figure compared with the target, and the series a trend is read from: the latest
/// figure, compared with figures of periods like its own (a year with years, a quarter with
/// quarters); annual: the latest whole year's; cumulative: the sum of the periods since the
/// commitment (those ending on or after its date) that do not overlap (of two that do, the one
/// started first, the longer when both start together).
fn reached(
    series: &[Counted<'_, '_>],
    basis: Option<Basis>,
    made: PartialDate,
) -> (Option<f64>, Vec<(PartialDate, f64)>) {
    let points = |keep: &dyn Fn(&PartialDate) -> bool| -> Vec<(PartialDate, f64)> {
        series
            .iter()
            .filter(|c| keep(&c.r.m.period))
            .map(|c| (c.r.m.period, c.r.m.value))
            .collect()
    };
    let like =
        |a: &PartialDate, b: &PartialDate| a.precision() == b.precision() && a.form() == b.form();
    match basis {
        None => {
            let Some(latest) = series.last().map(|c| c.r.m.period) else {
                return (None, Vec::new());
            };
            let p = points(&|d| like(d, &latest));
            (p.last().map(|x| x.1), p)
        }
        Some(Basis::Annual) => {
            let p = points(&|d| d.precision() == Precision::Year && d.form().is_none());
            (p.last().map(|x| x.1), p)
        }
        Some(Basis::Cumulative) => {
            let mut p = points(&|d| d.end() >= made.start());
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
/// Reached (by the deadline, or with the deadline still ahead), reached late, missed (the
/// deadline passed short of it), or on or off track by the projection; unknown without a
/// figure, a deadline or enough figures.
fn track(
    as_of: NaiveDate,
    t: &TargetFigure,
    reached: Option<f64>,
    points: &[(PartialDate, f64)],
    projected: Option<f64>,
) -> Track {
    let reaches = |v: Option<f64>| v.is_some_and(|v| v >= t.value);
    // Without a figure nothing is known of how far it came, deadline or not.
    if reached.is_none() {
        return Track::Unknown;
    }
    match t.by.filter(|by| by.end() < as_of) {
        // The deadline has passed: only figures for periods that ended by it count in time.
        Some(by) => {
            let on_time = points.iter().filter(|(d, _)| d.end() <= by.end());
            let in_time = match t.basis {
                Some(Basis::Cumulative) => Some(on_time.map(|(_, v)| v).sum()),
                _ => on_time.map(|(_, v)| *v).reduce(f64::max),
            };
            if reaches(in_time) {
                Track::Reached
            } else if reaches(reached) {
                Track::Late
            } else {
                Track::Missed
            }
        }
        None if reaches(reached) => Track::Reached,
        None if t.by.is_none() => Track::Unknown,
        None => match projected {
            Some(p) if p >= t.value => Track::OnTrack,
            Some(_) => Track::OffTrack,
            None => Track::Unknown,
        },
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
    let projected = match t.basis {
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
    };
    // A falling line is carried to zero, not below; the figures are bounded (checked), so the
    // result is finite.
    projected.map(|p| p.max(0.0)).filter(|p| p.is_finite())
}

/// `value` as a percentage of `of` (positive, checked), kept finite for the JSON whatever the
/// magnitudes (a figure of 10^300 against a target of 10^-300).
fn percent(value: f64, of: f64) -> f64 {
    round1(value / of * 100.0).min(f64::MAX)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    //! The track and the figures compared, from the rules alone (docs/follow-through.md).
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        d(s).start()
    }

    fn target(value: f64, by: Option<&str>, basis: Option<Basis>) -> TargetFigure {
        TargetFigure {
            measure: "m".into(),
            label: "M".into(),
            unit: "t".into(),
            note: None,
            value,
            by: by.map(d),
            basis,
        }
    }

    fn points(list: &[(&str, f64)]) -> Vec<(PartialDate, f64)> {
        list.iter().map(|(p, v)| (d(p), *v)).collect()
    }

    fn judge(t: &TargetFigure, pts: &[(&str, f64)], as_of: &str, made: &str) -> Track {
        let pts = points(pts);
        let reached = match t.basis {
            Some(Basis::Cumulative) => Some(pts.iter().map(|p| p.1).sum()),
            _ => pts.last().map(|p| p.1),
        };
        let projected = projection(t, reached, &pts, d(made));
        track(day(as_of), t, reached, &pts, projected)
    }

    #[test]
    fn a_target_reached_only_after_its_deadline_is_late_and_one_never_reached_missed() {
        let t = target(100.0, Some("2025"), Some(Basis::Annual));
        let late = [("2024", 80.0), ("2025", 90.0), ("2026", 110.0)];
        assert_eq!(judge(&t, &late, "2027-03-01", "2023"), Track::Late);
        let missed = [("2024", 80.0), ("2025", 90.0)];
        assert_eq!(judge(&t, &missed, "2026-03-01", "2023"), Track::Missed);
        let in_time = [("2024", 80.0), ("2025", 100.0), ("2026", 90.0)];
        assert_eq!(judge(&t, &in_time, "2027-03-01", "2023"), Track::Reached);
        // With the deadline ahead: reached, or judged by the line through first and latest.
        assert_eq!(
            judge(&t, &[("2023", 120.0)], "2024-03-01", "2023"),
            Track::Reached
        );
        let rising = [("2022", 40.0), ("2023", 70.0)];
        assert_eq!(judge(&t, &rising, "2024-03-01", "2022"), Track::OnTrack);
        let slow = [("2022", 40.0), ("2023", 45.0)];
        assert_eq!(judge(&t, &slow, "2024-03-01", "2022"), Track::OffTrack);
        assert_eq!(
            judge(&t, &[("2023", 45.0)], "2024-03-01", "2022"),
            Track::Unknown
        );
        assert_eq!(
            judge(&t, &[], "2027-03-01", "2023"),
            Track::Unknown,
            "no figure at all"
        );
        let no_deadline = target(100.0, None, None);
        assert_eq!(
            judge(&no_deadline, &slow, "2024-03-01", "2022"),
            Track::Unknown
        );
    }

    #[test]
    fn a_falling_line_is_carried_to_zero_not_below() {
        let t = target(100.0, Some("2040"), None);
        let pts = points(&[("2022", 90.0), ("2023", 10.0)]);
        assert_eq!(projection(&t, Some(10.0), &pts, d("2022")), Some(0.0));
    }

    #[test]
    fn a_cumulative_target_projects_its_rate_since_the_commitment() {
        // 300 in the two years since the commitment, 2023 and 2024: 150 a year, so 600 by the
        // end of 2026.
        let t = target(700.0, Some("2026"), Some(Basis::Cumulative));
        let pts = points(&[("2023", 100.0), ("2024", 200.0)]);
        let p = projection(&t, Some(300.0), &pts, d("2023")).unwrap();
        assert!((p - 600.0).abs() < 1.0, "{p}");
        assert_eq!(
            track(day("2025-03-01"), &t, Some(300.0), &pts, Some(p)),
            Track::OffTrack
        );
        let t = target(500.0, Some("2026"), Some(Basis::Cumulative));
        assert_eq!(
            track(day("2025-03-01"), &t, Some(300.0), &pts, Some(p)),
            Track::OnTrack
        );
    }

    #[test]
    fn the_change_is_the_latest_figure_against_the_one_before() {
        assert_eq!(trend(&[]), (Trend::None, None));
        assert_eq!(trend(&points(&[("2023", 5.0)])), (Trend::Single, None));
        assert_eq!(
            trend(&points(&[("2023", 80.0), ("2024", 60.0)])),
            (Trend::Falling, Some(-25.0))
        );
        assert_eq!(
            trend(&points(&[("2023", 100.0), ("2024", 100.5)])),
            (Trend::Flat, Some(0.5))
        );
    }
}
