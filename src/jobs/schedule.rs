//! When a job is due, what period it covers, and which shard runs it. Pure functions of the
//! schedule, the state and a "now" the caller passes in, so they are tested with a fixed clock.
//!
//! A job is due when its schedule fired after its last success. However many firings were
//! missed (a machine that was off for a week), it runs once, for the newest of them: a missed
//! Monday is caught up on Tuesday, not replayed.
//!
//! Daylight saving time follows Vixie cron and cronie, as cron users expect. The schedule is
//! matched against the wall clock of the job's time zone; then a wall-clock time the day repeats
//! (autumn) fires once, at its first pass, and one the day skips (spring) fires once, right after
//! the jump, unless the hour field is a wildcard or a step (`*`, `*/2`): such a schedule follows
//! the clock, firing in both passes of a repeated hour and not at all in a skipped one.

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc,
};

use crate::jobs::file::{PeriodSpec, ResolvedJob};

/// The newest time at or before `now` that the job's schedule fires, if any.
pub fn latest_fire(job: &ResolvedJob, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let follows_clock = job
        .job
        .schedule
        .split_whitespace()
        .nth(1)
        .is_some_and(|hour| hour.starts_with('*'));
    // Wall-clock matches, newest first; each gives zero, one or two instants. During a repeated
    // hour a later wall-clock time can be an earlier instant (its first pass), so the search
    // starts a few hours ahead of now's wall clock and goes on until no earlier match can beat
    // the best instant found: DST moves clocks by at most a few hours.
    let wall_now = now.with_timezone(&job.timezone).naive_local();
    let mut cursor = wall_now + Duration::hours(4);
    let mut best: Option<DateTime<Utc>> = None;
    for _ in 0..100_000 {
        let Ok(m) = job
            .schedule
            .find_previous_occurrence(&Utc.from_utc_datetime(&cursor), true)
        else {
            break;
        };
        let wall = m.naive_utc();
        if best.is_some_and(|b| {
            wall < b.with_timezone(&job.timezone).naive_local() - Duration::hours(4)
        }) {
            break;
        }
        for instant in instants(job.timezone, wall, follows_clock) {
            if instant <= now && best.is_none_or(|b| instant > b) {
                best = Some(instant);
            }
        }
        cursor = wall - Duration::minutes(1);
    }
    best
}

/// The instants a wall-clock firing time stands for in `tz`: one; in a repeated hour, the first
/// pass (both when the schedule follows the clock); in a skipped hour, the moment after the jump
/// (none when the schedule follows the clock).
fn instants(tz: chrono_tz::Tz, wall: NaiveDateTime, follows_clock: bool) -> Vec<DateTime<Utc>> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => vec![t.with_timezone(&Utc)],
        LocalResult::Ambiguous(a, b) if follows_clock => {
            vec![a.with_timezone(&Utc), b.with_timezone(&Utc)]
        }
        LocalResult::Ambiguous(a, b) => vec![a.min(b).with_timezone(&Utc)],
        LocalResult::None if follows_clock => Vec::new(),
        LocalResult::None => (1..=24 * 60)
            .map(|m| wall + Duration::minutes(m))
            .find_map(|w| tz.from_local_datetime(&w).earliest())
            .map(|t| vec![t.with_timezone(&Utc)])
            .unwrap_or_default(),
    }
}

/// Whether the job is due at `now`: its schedule fired after `last_success` (or it never ran).
/// Returns the firing it is due for.
pub fn due(
    job: &ResolvedJob,
    last_success: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let fire = latest_fire(job, now)?;
    match last_success {
        Some(last) if fire <= last => None,
        _ => Some(fire),
    }
}

/// The as-of date of a run for the firing `fire`: its date in the job's time zone.
pub fn as_of_for(job: &ResolvedJob, fire: DateTime<Utc>) -> NaiveDate {
    fire.with_timezone(&job.timezone).date_naive()
}

/// The period (since, until) a briefing as of `as_of` covers.
pub fn period(
    spec: &PeriodSpec,
    as_of: NaiveDate,
    last_as_of: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match spec {
        PeriodSpec::Last7Days => (as_of.checked_sub_days(Days::new(6)), Some(as_of)),
        PeriodSpec::Last30Days => (as_of.checked_sub_days(Days::new(29)), Some(as_of)),
        PeriodSpec::QuarterToDate => {
            let month = (as_of.month0() / 3) * 3 + 1;
            (NaiveDate::from_ymd_opt(as_of.year(), month, 1), Some(as_of))
        }
        PeriodSpec::SinceLastRun => (
            last_as_of
                .and_then(|d| d.checked_add_days(Days::new(1)))
                .map(|d| d.min(as_of)),
            Some(as_of),
        ),
        PeriodSpec::All => (None, Some(as_of)),
        PeriodSpec::Fixed { since, until } => (*since, *until),
    }
}

/// A shard of the jobs: `index` of `count`, both from `I/N` with 0 ≤ I < N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a shard; write I/N with 0 ≤ I < N, e.g. 0/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the job named `name` belongs to this shard. The split depends only on the name
    /// (FNV-1a), so adding or reordering jobs never moves the others.
    pub fn contains(&self, name: &str) -> bool {
        let h = crate::base::hash::fnv1a(name.as_bytes(), crate::base::hash::FNV_OFFSET);
        h % u64::from(self.count) == u64::from(self.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn job(schedule: &str, tz: &str) -> ResolvedJob {
        let toml = format!(
            "[[jobs]]\nname = \"j\"\ndataset = \"d\"\nschedule = \"{schedule}\"\ntimezone = \"{tz}\"\n"
        );
        let jobs = crate::jobs::file::parse_jobs(
            crate::dataset::load::SourceText {
                path: "jobs.toml".into(),
                text: toml,
            },
            std::path::Path::new("."),
        )
        .unwrap();
        jobs.jobs.into_iter().next().unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// The distinct firings between `from` and `to`, as a minutely cron would see them.
    fn fires(j: &ResolvedJob, from: &str, to: &str) -> Vec<String> {
        let (from, to) = (t(from), t(to));
        let mut out: Vec<DateTime<Utc>> = Vec::new();
        let mut now = from;
        while now <= to {
            if let Some(f) = latest_fire(j, now).filter(|f| *f > from) {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
            now += Duration::minutes(1);
        }
        out.sort();
        out.iter().map(|f| f.format("%H:%MZ").to_string()).collect()
    }

    #[test]
    fn a_fixed_time_in_a_repeated_hour_fires_once_however_the_minutes_are_written() {
        // Berlin, 26 October 2025: 03:00 CEST goes back to 02:00 CET; 02:00–03:00 happens twice
        // (00:00–01:00 UTC, then 01:00–02:00 UTC).
        let day = ("2025-10-25T21:59:00Z", "2025-10-26T22:59:00Z");
        let berlin = |s| fires(&job(s, "Europe/Berlin"), day.0, day.1);
        assert_eq!(berlin("30 2 * * *"), ["00:30Z"]);
        assert_eq!(berlin("15,45 2 * * *"), ["00:15Z", "00:45Z"]);
        assert_eq!(berlin("0 2-3 * * *"), ["00:00Z", "02:00Z"]);
        // A wildcard or step hour follows the clock through both passes: 25 hours, 25 firings.
        assert_eq!(berlin("0 * * * *").len(), 25);
        assert_eq!(berlin("30 */2 * * *").len(), 13);
        // New York, 2 November 2025: 01:00–02:00 happens twice (05:00–07:00 UTC).
        let ny = fires(
            &job("30 1 * * *", "America/New_York"),
            "2025-11-02T04:00:00Z",
            "2025-11-03T04:00:00Z",
        );
        assert_eq!(ny, ["05:30Z"]);
        // Lord Howe Island moves its clocks by half an hour (02:00 back to 01:30).
        let lh = fires(
            &job("45 1 * * *", "Australia/Lord_Howe"),
            "2025-04-05T12:00:00Z",
            "2025-04-06T12:00:00Z",
        );
        assert_eq!(lh.len(), 1, "{lh:?}");
    }

    #[test]
    fn a_fixed_time_in_a_skipped_hour_fires_once_right_after_the_jump() {
        // Berlin, 30 March 2025: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        let day = ("2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z");
        let berlin = |s| fires(&job(s, "Europe/Berlin"), day.0, day.1);
        assert_eq!(berlin("30 2 * * *"), ["01:00Z"]);
        assert_eq!(berlin("15,45 2 * * *"), ["01:00Z"]);
        assert_eq!(berlin("0 3 * * *"), ["01:00Z"]);
        // Following the clock: the skipped hour does not happen, 23 firings.
        assert_eq!(berlin("0 * * * *").len(), 23);
        // New York, 9 March 2025: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        let ny = fires(
            &job("30 2 * * *", "America/New_York"),
            "2025-03-09T05:00:00Z",
            "2025-03-10T04:00:00Z",
        );
        assert_eq!(ny, ["07:00Z"]);
        // A day without a change, and a zone without DST, fire as written.
        assert_eq!(berlin("30 5 * * *"), ["03:30Z"]);
        let baku = fires(
            &job("15,45 2 * * *", "Asia/Baku"),
            "2025-03-29T20:00:00Z",
            "2025-03-30T20:00:00Z",
        );
        assert_eq!(baku, ["22:15Z", "22:45Z"]);
    }

    #[test]
    fn weekly_job_catches_up_a_missed_monday_once() {
        // Mondays 07:00 in Baku (UTC+4): 03:00 UTC.
        let j = job("0 7 * * MON", "Asia/Baku");
        // Last success: Monday 5 May 2025.
        let last = Some(t("2025-05-05T03:00:00Z"));
        // Later that week: nothing due.
        assert_eq!(due(&j, last, t("2025-05-09T12:00:00Z")), None);
        // The machine was off on Monday 12 May and comes back on Tuesday: due once, for Monday.
        let fire = due(&j, last, t("2025-05-13T09:00:00Z")).unwrap();
        assert_eq!(fire, t("2025-05-12T03:00:00Z"));
        assert_eq!(
            as_of_for(&j, fire),
            NaiveDate::from_ymd_opt(2025, 5, 12).unwrap()
        );
        // Off for three weeks: still one run, for the newest Monday.
        assert_eq!(
            due(&j, last, t("2025-05-28T09:00:00Z")).unwrap(),
            t("2025-05-26T03:00:00Z")
        );
        // After that run succeeds, nothing is due until the next Monday.
        assert_eq!(due(&j, Some(fire), t("2025-05-13T09:05:00Z")), None);
        // A job that never ran is due for its latest firing.
        assert_eq!(
            due(&j, None, t("2025-05-13T09:00:00Z")).unwrap(),
            t("2025-05-12T03:00:00Z")
        );
    }

    #[test]
    fn periods() {
        let d = NaiveDate::from_ymd_opt(2025, 5, 12).unwrap();
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            period(&PeriodSpec::Last7Days, d, None),
            (ymd(2025, 5, 6), Some(d))
        );
        assert_eq!(
            period(&PeriodSpec::Last30Days, d, None),
            (ymd(2025, 4, 13), Some(d))
        );
        assert_eq!(
            period(&PeriodSpec::QuarterToDate, d, None),
            (ymd(2025, 4, 1), Some(d))
        );
        assert_eq!(period(&PeriodSpec::SinceLastRun, d, None), (None, Some(d)));
        assert_eq!(
            period(&PeriodSpec::SinceLastRun, d, ymd(2025, 5, 5)),
            (ymd(2025, 5, 6), Some(d))
        );
        assert_eq!(period(&PeriodSpec::All, d, None), (None, Some(d)));
    }

    #[test]
    fn shards_split_exactly() {
        let names: Vec<String> = (0..500).map(|i| format!("job-{i}")).collect();
        for n in 1..=7 {
            let shards: Vec<Shard> = (0..n).map(|i| Shard { index: i, count: n }).collect();
            for name in &names {
                assert_eq!(shards.iter().filter(|s| s.contains(name)).count(), 1);
            }
        }
        assert_eq!(Shard::from_str("1/4"), Ok(Shard { index: 1, count: 4 }));
        assert!(Shard::from_str("4/4").is_err());
        assert!(Shard::from_str("0/0").is_err());
        assert!(Shard::from_str("x").is_err());
    }
}
