//! The facts the bottom line is worded from. Ranking and choosing happen here; the words are in
//! the `bottom-line` template.

use crate::briefing::model::*;

pub(super) fn facts(
    header: &Header,
    fields: &[FieldSection],
    reciprocity: &Reciprocity,
    multilateral: &[OrganisationSection],
    timeline: &[TimelineBucket],
) -> BottomLine {
    let c = &header.counts;
    if c.commitments == 0 && c.views == 0 {
        return BottomLine {
            empty: true,
            ..BottomLine::default()
        };
    }
    let by_party = reciprocity
        .parties
        .iter()
        .map(|p| PartyTally {
            party: Some(p.party.id.clone()),
            count: p.to_other_count + p.to_organisations_count,
        })
        .filter(|t| t.count > 0)
        .collect();
    let (leading, rest, rest_fields) = rank_fields(fields);
    let organisation = multilateral.first().map(|first| OrganisationTally {
        organisation: first.organisation.clone(),
        count: first.count,
        others: multilateral[1..].iter().map(|m| m.count).sum(),
    });
    let newest = timeline
        .last()
        .and_then(|b| b.documents.iter().max_by_key(|d| d.date))
        .map(|d| DocumentRef {
            id: d.id.clone(),
            date: d.date,
            kind: d.kind,
            title: d.title.clone(),
        });
    BottomLine {
        empty: false,
        by_party,
        jointly: reciprocity.mutual_count,
        leading,
        rest,
        rest_fields,
        organisation,
        newest,
    }
}

/// The leading field (several when tied), the others when at most five, else how many.
fn rank_fields(fields: &[FieldSection]) -> (Vec<FieldTally>, Vec<FieldTally>, usize) {
    let mut ranked: Vec<FieldTally> = fields
        .iter()
        .map(|f| FieldTally {
            field: f.id.clone(),
            label: f.label.clone(),
            count: f.count,
        })
        .collect();
    // Stable: ties keep vocabulary order.
    ranked.sort_by_key(|f| std::cmp::Reverse(f.count));
    let Some(top) = ranked.first().map(|f| f.count) else {
        return (Vec::new(), Vec::new(), 0);
    };
    let rest = ranked.split_off(ranked.iter().take_while(|f| f.count == top).count());
    if rest.len() > 5 {
        let n = rest.len();
        (ranked, Vec::new(), n)
    } else {
        (ranked, rest, 0)
    }
}
