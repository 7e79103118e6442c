//! One sheet of the ledger as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when
//! they need it), UTF-8 without a byte-order mark unless asked for one (Excel needs it to read
//! UTF-8). Dates are ISO 8601 text as the workbook's sort keys are, flags TRUE or FALSE.
//!
//! Formula-like text gets a leading apostrophe (OWASP's advice): a spreadsheet opening the file
//! shows the text instead of evaluating it, and a program reading it sees the apostrophe.

pub use super::CsvOptions;
use super::{sheet, Cell, LedgerError, Words};
use crate::briefing::model::Briefing;

const BOM: &[u8] = "\u{feff}".as_bytes();

pub fn render(b: &Briefing, words: &Words, opts: CsvOptions) -> Result<Vec<u8>, LedgerError> {
    let data = sheet(b, words, opts.sheet)?;
    let mut out = Vec::new();
    if opts.bom {
        out.extend_from_slice(BOM);
    }
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(data.columns.iter().map(|(h, _)| neutral(h)))?;
    let mut record: Vec<String> = Vec::new();
    for cells in data.rows {
        record.clear();
        record.extend(cells.iter().map(field));
        w.write_record(&record)?;
    }
    w.into_inner()
        .map_err(|e| LedgerError::Csv(e.into_error().into()))
}

fn field(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => neutral(t),
        Cell::Int(n) => n.to_string(),
        Cell::Float(x) => x.to_string(),
        Cell::Bool(true) => "TRUE".into(),
        Cell::Bool(false) => "FALSE".into(),
        Cell::Date(d) => d.to_string(),
        Cell::Url(u) => neutral(u),
    }
}

/// Text a spreadsheet would evaluate, with an apostrophe before it.
fn neutral(text: &str) -> String {
    match Cell::is_formula_like(text) {
        true => format!("'{text}"),
        false => text.to_string(),
    }
}
