//! Links between commitments, once every id is known: `repeats` and `upgrades` name an existing,
//! earlier commitment, never the commitment itself, and never form a circle. Events name an
//! existing commitment, are not dated before it, and two events of one day agree on the status.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::base::date::PartialDate;
use crate::dataset::format::EventStatus;

use crate::dataset::format::Document;
use crate::dataset::parse::Parsed;
use crate::dataset::spans::{index, key};

use super::ids::CommitmentIndex;
use super::text::Checker;

pub(super) fn links(
    ck: &mut Checker<'_>,
    documents: &[Parsed<Document>],
    commitment_at: &CommitmentIndex<'_>,
) {
    for p in documents {
        for (ci, c) in p.value.commitments.iter().enumerate() {
            for (k, link) in [("repeats", &c.repeats), ("upgrades", &c.upgrades)] {
                let Some(link) = link else { continue };
                let path = key(&index("commitments", ci), k);
                if link == &c.id {
                    ck.out.push(
                        p.error_at(&path, format!("commitment `{link}` {k} itself"))
                            .help("link to an earlier commitment"),
                    );
                    continue;
                }
                match commitment_at.get(link.as_str()) {
                    None => ck.out.push(
                        p.error_at(
                            &path,
                            format!(
                                "`{k}` links to `{}`, which no document defines",
                                link.escape_debug()
                            ),
                        )
                        .help(
                            "check the id; links name a commitment id from any file of the dataset",
                        ),
                    ),
                    Some(&(odi, oci)) => {
                        let od = &documents[odi].value;
                        let earlier = od.commitments[oci].date.unwrap_or(od.date);
                        let this = c.date.unwrap_or(p.value.date);
                        if earlier.start() > this.end() {
                            ck.out.push(
                                p.error_at(&path, format!("`{k}` links to `{link}`, dated {earlier}, later than this commitment ({this})"))
                                    .help("a commitment repeats or upgrades an earlier one; link from the later to the earlier"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Circles (possible only among commitments of overlapping dates). Every member of a circle has
/// a link, so only linked commitments start a walk.
pub(super) fn cycles(
    ck: &mut Checker<'_>,
    documents: &[Parsed<Document>],
    commitment_at: &CommitmentIndex<'_>,
) {
    let next = |id: &str| -> Option<String> {
        let &(di, ci) = commitment_at.get(id)?;
        let c = &documents[di].value.commitments[ci];
        c.repeats.clone().or_else(|| c.upgrades.clone())
    };
    let mut linked: Vec<(&str, (usize, usize))> = commitment_at
        .iter()
        .filter(|(_, &(di, ci))| {
            let c = &documents[di].value.commitments[ci];
            c.repeats.is_some() || c.upgrades.is_some()
        })
        .map(|(id, at)| (*id, *at))
        .collect();
    linked.sort_unstable_by_key(|(id, _)| *id);
    let mut reported: HashSet<String> = HashSet::default();
    for (id, (di, ci)) in linked {
        let id = id.to_string();
        let mut seen = vec![id.clone()];
        let mut cur = id.clone();
        while let Some(n) = next(&cur) {
            if n == *id {
                if seen.iter().all(|s| !reported.contains(s)) {
                    let p = &documents[di];
                    let path = index("commitments", ci);
                    ck.out.push(
                        p.error_at(
                            &path,
                            format!("commitments link in a circle: {} → {id}", seen.join(" → ")),
                        )
                        .help("each link points to an earlier commitment; break the circle"),
                    );
                    reported.extend(seen.iter().cloned());
                }
                break;
            }
            if seen.contains(&n) || seen.len() > commitment_at.len() {
                break;
            }
            seen.push(n.clone());
            cur = n;
        }
    }
}

/// Each event names a commitment of the dataset, is not dated before it, and does not contradict
/// another event of the same day about it.
pub(super) fn events(
    ck: &mut Checker<'_>,
    documents: &[Parsed<Document>],
    commitment_at: &CommitmentIndex<'_>,
) {
    let mut seen: HashMap<(&str, PartialDate), (EventStatus, usize)> = HashMap::default();
    for (di, p) in documents.iter().enumerate() {
        for (ei, e) in p.value.events.iter().enumerate() {
            let path = index("events", ei);
            let Some(&(odi, oci)) = commitment_at.get(e.commitment.as_str()) else {
                ck.out.push(
                    p.error_at(
                        &key(&path, "commitment"),
                        format!(
                            "the event concerns `{}`, which no document defines",
                            e.commitment.escape_debug()
                        ),
                    )
                    .help("name a commitment id from any file of the dataset"),
                );
                continue;
            };
            let od = &documents[odi].value;
            let made = od.commitments[oci].date.unwrap_or(od.date);
            let date = e.date.unwrap_or(p.value.date);
            if date.end() < made.start() {
                let at = if e.date.is_some() {
                    key(&path, "date")
                } else {
                    path.clone()
                };
                ck.out.push(
                    p.error_at(
                        &at,
                        format!(
                            "the event is dated {date}, before the commitment `{}` was made ({made})",
                            e.commitment
                        ),
                    )
                    .help("an event reports what happened after a commitment; check both dates (an event without `date` takes its document's)"),
                );
            }
            if let Some(due) = e.due.filter(|d| d.end() < made.start()) {
                ck.out.push(
                    p.error_at(
                        &key(&path, "due"),
                        format!("the new due date {due} is before the commitment `{}` was made ({made})", e.commitment),
                    )
                    .help("a deadline moves to a date after the commitment; check both dates"),
                );
            }
            let Some(status) = e.status else {
                continue;
            };
            match seen.get(&(e.commitment.as_str(), date)) {
                Some(&(earlier, other)) if earlier != status => ck.out.push(
                    p.error_at(
                        &key(&path, "status"),
                        format!(
                            "two events of {date} disagree on `{}`: {} here, {} in {}",
                            e.commitment,
                            status.status().label(),
                            earlier.status().label(),
                            documents[other].source.path.display()
                        ),
                    )
                    .help("a commitment has one status on a given day; date the events apart, or keep the one the sources support"),
                ),
                Some(_) => {}
                None => {
                    seen.insert((e.commitment.as_str(), date), (status, di));
                }
            }
        }
    }
}

/// A figure that counts for one commitment names a commitment of the dataset that sets a target
/// in the same measure.
pub(super) fn measurements(
    ck: &mut Checker<'_>,
    documents: &[Parsed<Document>],
    commitment_at: &CommitmentIndex<'_>,
) {
    for p in documents {
        for (mi, m) in p.value.measurements.iter().enumerate() {
            let Some(id) = &m.commitment else { continue };
            let at = || key(&index("measurements", mi), "commitment");
            let Some(&(odi, oci)) = commitment_at.get(id.as_str()) else {
                let message = format!(
                    "the figure counts for `{}`, which no document defines",
                    id.escape_debug()
                );
                let help = "name a commitment id from any file of the dataset, or leave `commitment` out to count the figure for every target of the measure";
                ck.out.push(p.error_at(&at(), message).help(help));
                continue;
            };
            let target = documents[odi].value.commitments[oci].quantity.as_ref();
            if target.is_none_or(|q| q.measure != m.measure) {
                let message = match target {
                    Some(q) => format!(
                        "`{id}` sets its target in `{}`, not `{}`",
                        q.measure, m.measure
                    ),
                    None => format!("`{id}` sets no target (`quantity`)"),
                };
                let help =
                    "a figure counts for a commitment whose `quantity` is in the same measure";
                ck.out.push(p.error_at(&at(), message).help(help));
            }
        }
    }
}
