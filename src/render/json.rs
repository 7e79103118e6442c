//! The briefing model as stable JSON: pretty-printed, fields in declaration order, ending in a
//! newline, so that diffs between two runs are readable and identical input gives identical bytes.

use crate::briefing::model::Briefing;

pub fn render(briefing: &Briefing) -> Vec<u8> {
    let mut out =
        serde_json::to_vec_pretty(briefing).expect("the briefing model always serialises");
    out.push(b'\n');
    out
}
