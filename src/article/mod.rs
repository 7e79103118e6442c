//! Articles: the text a source published, as the analyst saved it.
//!
//! A source may point at its archived text; checking verifies quotes against it, and the drafter
//! reads it. Both need the same two things, kept here below the dataset stage: the article's text
//! without the page around it (`read`), and a comparison of a quote with that text that forgives
//! typography but not words (`matching`).

pub mod matching;
pub mod read;

pub use matching::{Folded, Mismatch};
pub use read::{read, Article, ArticleError, Kind, Metadata};
