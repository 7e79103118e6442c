//! The briefing model as stable JSON: pretty-printed, fields in declaration order, ending in a
//! newline, so that diffs between two runs are readable and identical input gives identical bytes.
//! The ledger (every record in scope, for the next briefing's changes) comes last; templates do
//! not see it.

use serde::Serialize;

use crate::briefing::model::{Briefing, Ledger};

#[derive(Serialize)]
struct WithLedger<'b> {
    #[serde(flatten)]
    briefing: &'b Briefing,
    ledger: &'b Ledger,
}

pub fn render(briefing: &Briefing) -> Vec<u8> {
    let whole = WithLedger {
        briefing,
        ledger: &briefing.ledger,
    };
    let mut out = serde_json::to_vec_pretty(&whole).expect("the briefing model always serialises");
    out.push(b'\n');
    out
}
