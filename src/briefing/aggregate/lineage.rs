//! Lineage as chains: commitments linked by `repeats` and `upgrades`, from the first statement
//! of a pledge through every later one known by the as-of date, oldest first. A chain is shown
//! when any of its steps is in the period; its steps outside the period give the history.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::history::link_of;
use super::scope::Scope;
use super::sections::Shower;
use crate::briefing::model::{Chain, ChainStep};

/// The chains touching the period: each a list of commitment ids, oldest first; chains in the
/// order of their first steps.
pub(super) fn chains<'a>(scope: &Scope<'a>) -> Vec<Vec<&'a str>> {
    let h = &scope.history;
    let earlier = |id: &str| -> Option<&'a str> {
        let (_, to) = link_of(h.known.get(id)?.c)?;
        h.known.get_key_value(to).map(|(k, _)| *k)
    };
    let mut root_of: HashMap<&'a str, &'a str> = HashMap::default();
    let mut roots: Vec<&'a str> = Vec::new();
    let mut seen: HashSet<&'a str> = HashSet::default();
    for e in &scope.entries {
        let id = e.c.id.as_str();
        if earlier(id).is_none() && h.later_of(id).is_empty() {
            continue;
        }
        // Walk up to the first statement, remembering the path so each id is walked once.
        let mut path = vec![id];
        let mut cur = id;
        let root = loop {
            if let Some(&r) = root_of.get(cur) {
                break r;
            }
            match earlier(cur) {
                Some(up) => {
                    path.push(up);
                    cur = up;
                }
                None => break cur,
            }
        };
        for p in path {
            root_of.insert(p, root);
        }
        if seen.insert(root) {
            roots.push(root);
        }
    }
    let mut chains: Vec<Vec<&'a str>> = roots
        .into_iter()
        .map(|root| {
            let mut steps = vec![root];
            let mut i = 0;
            while i < steps.len() {
                steps.extend(h.later_of(steps[i]).iter().map(|(_, id)| *id));
                i += 1;
            }
            steps.sort_by(|a, b| (h.known[a].date(), a).cmp(&(h.known[b].date(), b)));
            steps
        })
        .collect();
    chains.sort_by(|a, b| (h.known[a[0]].date(), a[0]).cmp(&(h.known[b[0]].date(), b[0])));
    chains
}

/// The chains as the briefing shows them, and how many a summary left out (it keeps the chains
/// whose latest steps are most recent).
pub(super) fn lineage(scope: &Scope<'_>, show: &Shower<'_, '_>) -> (Vec<Chain>, usize) {
    let h = &scope.history;
    let in_period: HashSet<&str> = scope.entries.iter().map(|e| e.c.id.as_str()).collect();
    // A summary keeps the chains whose latest steps are most recent, in their original order;
    // only those are built.
    let omitted = show.omitted(scope.chains.len());
    let mut order: Vec<usize> = (0..scope.chains.len()).collect();
    order.sort_by_key(|&i| scope.chains[i].last().map(|id| h.known[id].date()));
    let mut keep: Vec<usize> = order[omitted..].to_vec();
    keep.sort_unstable();
    let chains: Vec<Chain> = keep
        .into_iter()
        .map(|i| &scope.chains[i])
        .map(|ids| Chain {
            steps: ids
                .iter()
                .map(|id| {
                    let r = &h.known[id];
                    let link = link_of(r.c);
                    ChainStep {
                        relation: link.map(|(relation, _)| relation),
                        links_to: link.map(|(_, to)| to.to_string()),
                        in_period: in_period.contains(id),
                        commitment: scope.item(r),
                    }
                })
                .collect(),
        })
        .collect();
    (chains, omitted)
}
