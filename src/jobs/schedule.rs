//! When a job is due, what period it covers, and which shard runs it. Pure functions of the
//! schedule, the state and a "now" the caller passes in, so they are tested with a fixed clock.
//!
//! A job is due when its schedule fired after its last success. However many firings were
//! missed (a machine that was off for a week), it runs once, for the newest of them: a missed
//! Monday is caught up on Tuesday, not replayed.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use crate::jobs::file::{PeriodSpec, ResolvedJob};

/// The newest time at or before `now` that the job's schedule fires, if any.
pub fn latest_fire(job: &ResolvedJob, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = now.with_timezone(&job.timezone);
    job.schedule
        .find_previous_occurrence(&local, true)
        .ok()
        .map(|t| t.with_timezone(&Utc))
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
