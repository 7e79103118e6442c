//! JSON Schemas of the file formats (documents, manifests, jobs files), so an editor can check a
//! file while someone writes it. It sits above the stages whose formats it describes.

use schemars::schema_for;

use crate::dataset::format::{Document, Manifest};

/// Which format's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Document,
    Manifest,
    #[cfg(feature = "jobs")]
    Jobs,
}

/// The schema as pretty-printed JSON, ending in a newline.
pub fn schema_json(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Document => schema_for!(Document),
        SchemaKind::Manifest => schema_for!(Manifest),
        #[cfg(feature = "jobs")]
        SchemaKind::Jobs => schema_for!(crate::jobs::file::JobsFile),
    };
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    s.push('\n');
    s
}
