//! Any text as a user template (replacing one partial, or the main template), rendered against
//! the example briefing: an error naming the template, or Markdown; never a panic or a hang.
#![no_main]

use std::sync::OnceLock;

use bilateral::render::engine::TemplateEngine;
use bilateral::render::templates::{Templates, DEFAULTS};
use bilateral::Briefing;
use libfuzzer_sys::fuzz_target;

fn briefing() -> &'static Briefing {
    static B: OnceLock<Briefing> = OnceLock::new();
    B.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/china-azerbaijan");
        let ds = bilateral::load(root.as_ref())
            .dataset
            .expect("the example loads");
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).expect("a date");
        bilateral::briefing::aggregate::aggregate(&ds, &Default::default(), as_of)
            .expect("aggregates")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = DEFAULTS[usize::from(which) % DEFAULTS.len()].0;
    let mut templates = Templates::defaults();
    templates.set(name, text.to_string(), None);
    if let Ok(r) = TemplateEngine::new(&templates) {
        if let Err(e) = r.markdown(briefing()) {
            let _ = e.to_string();
        }
    }
});
