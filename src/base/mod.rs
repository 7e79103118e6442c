//! The ground floor: pieces every stage uses and that know nothing of the stages above them.
//! Partial dates, the ISO country list, language tags, located diagnostics, hashing, work spread
//! over the cores and atomic file writes.

pub mod atomic;
pub mod country;
pub mod date;
pub mod diag;
pub(crate) mod hash;
pub mod lang;
pub mod locale;
pub(crate) mod parallel;
