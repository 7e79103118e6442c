//! The second stage: from a checked dataset to the briefing model, and what changed since the
//! last briefing. Everything here is a pure function of the dataset, the options and the as-of
//! date; nothing is worded (the templates do that).

pub mod aggregate;
pub mod changes;
pub mod model;

pub use model::*;
