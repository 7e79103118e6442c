//! The ledger as an Excel workbook (rust_xlsxwriter): one sheet each for commitments, events,
//! sources and what the ledger covers, each with its header row frozen, an autofilter, columns
//! fitted to their text and long text wrapped.
//!
//! Rows are written in order to a temporary file per sheet (rust_xlsxwriter's constant-memory
//! mode, strings inline): 100,000 rows of 30 cells would otherwise hold about 200 bytes a cell.
//! The bytes depend only on the briefing: the zip entries carry rust_xlsxwriter's fixed time
//! (1980-01-01), and the workbook's creation time is the as-of date. Formula-like text is written
//! as text with Excel's quote prefix (what typing `'=…` does): it shows and reads back exactly as
//! written, and stays text when a user edits the cell.

use chrono::Datelike;
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Url, Workbook,
    Worksheet, XlsxError,
};

use super::{sheet, Cell, Kind, LedgerError, Sheet, SheetData, Words};
use crate::base::parallel;
use crate::briefing::model::Briefing;

/// Bounds of a fitted column, in characters; long text wraps at `WRAP_WIDTH`.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 40;
const WRAP_WIDTH: f64 = 60.0;
/// The most UTF-16 units a cell holds (Excel's limit).
const MAX_CELL: usize = 32_767;

/// The workbook's bytes, and warnings (text cut to Excel's cell limit).
pub fn render(
    b: &Briefing,
    words: &Words,
    author: Option<&str>,
) -> Result<(Vec<u8>, Vec<String>), LedgerError> {
    let mut workbook = Workbook::new();
    let day = b.header.as_of;
    let created = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(b.header.title.as_str())
            .set_author(author.unwrap_or(&b.generator))
            .set_creation_datetime(&created),
    );
    workbook.set_zip_compression_level(1);
    let styles = Styles::new();
    // A format is numbered when first used, and the sheets are filled side by side: each is
    // registered here first, in a fixed order, so the numbers (and the bytes) never depend on
    // which thread got there first. (The link style, used by the Sources sheet alone, is the
    // only one numbered later.)
    for format in styles.all() {
        workbook.register_format(format);
    }
    for _ in Sheet::ALL {
        workbook.add_worksheet_with_constant_memory()?;
    }
    // The commitments (most of the cells) on one core, the other sheets on the other.
    let (first, rest) = workbook.worksheets_mut().split_at_mut(1);
    let fill = |sheets: &mut [Worksheet], which: &[Sheet]| -> Result<usize, LedgerError> {
        let mut cut = 0;
        for (ws, s) in sheets.iter_mut().zip(which) {
            cut += write_sheet(ws, sheet(b, words, *s)?, &styles)?;
        }
        Ok(cut)
    };
    let (a, b) = parallel::join(
        || fill(first, &Sheet::ALL[..1]),
        || fill(rest, &Sheet::ALL[1..]),
    );
    let cut = a? + b?;
    let warnings = match cut {
        0 => Vec::new(),
        n => vec![format!(
            "{n} cell(s) of the workbook were cut to Excel's limit of {MAX_CELL} characters"
        )],
    };
    Ok((workbook.save_to_buffer()?, warnings))
}

/// The cell formats: wrapped text twice, plain and with the quote prefix. Wrapped text and dates
/// take the format of their column, and only the other cells that need a format are written with
/// one: rust_xlsxwriter hashes the whole format of every cell written with one.
struct Styles {
    header: Format,
    quoted: Format,
    wrap: [Format; 2],
    date: Format,
}

impl Styles {
    fn all(&self) -> [&Format; 5] {
        [
            &self.header,
            &self.quoted,
            &self.wrap[0],
            &self.wrap[1],
            &self.date,
        ]
    }

    fn new() -> Self {
        let wrap = Format::new().set_align(FormatAlign::Top).set_text_wrap();
        Self {
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            quoted: Format::new().set_quote_prefix(),
            wrap: [wrap.clone(), wrap.set_quote_prefix()],
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// Writes one sheet; returns how many cells were cut to Excel's limit.
fn write_sheet(ws: &mut Worksheet, data: SheetData<'_>, st: &Styles) -> Result<usize, XlsxError> {
    ws.set_name(data.name)?;
    let mut widths: Vec<usize> = data
        .columns
        .iter()
        .map(|(h, _)| h.chars().count().clamp(MIN_WIDTH, MAX_WIDTH))
        .collect();
    for (c, (heading, kind)) in data.columns.iter().enumerate() {
        // Wrapped text and dates take the column's format: rust_xlsxwriter hashes the whole
        // format of every cell written with one, and these are a sixth of the cells.
        match kind {
            Kind::Long => ws.set_column_format(c as ColNum, &st.wrap[0])?,
            Kind::Date => ws.set_column_format(c as ColNum, &st.date)?,
            _ => ws,
        };
        ws.write_string_with_format(0, c as ColNum, *heading, &st.header)?;
    }
    let mut row: RowNum = 0;
    let mut cut = 0;
    let kinds: Vec<Kind> = data.columns.iter().map(|(_, k)| *k).collect();
    for cells in data.rows {
        row += 1;
        for (c, cell) in cells.iter().enumerate() {
            let kind = kinds.get(c).copied().unwrap_or(Kind::Text);
            let (width, was_cut) = write_cell(ws, row, c as ColNum, cell, kind, st)?;
            widths[c] = widths[c].max(width.min(MAX_WIDTH));
            cut += usize::from(was_cut);
        }
    }
    for (c, kind) in kinds.iter().enumerate() {
        let width = match kind {
            Kind::Long => WRAP_WIDTH,
            _ => widths[c] as f64 + 2.0,
        };
        ws.set_column_width(c as ColNum, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if let Some(last) = kinds.len().checked_sub(1) {
        ws.autofilter(0, 0, row, last as ColNum)?;
    }
    Ok(cut)
}

/// Writes one cell; returns the width its text needs and whether it was cut.
fn write_cell(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    cell: &Cell<'_>,
    kind: Kind,
    st: &Styles,
) -> Result<(usize, bool), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(t) => return write_text(ws, row, col, t, kind == Kind::Long, st),
        Cell::Int(n) => {
            ws.write_number(row, col, *n as f64)?;
            return Ok((digits(*n), false));
        }
        Cell::Float(x) => {
            ws.write_number(row, col, *x)?;
            return Ok((x.to_string().len(), false));
        }
        Cell::Bool(v) => {
            ws.write_boolean(row, col, *v)?;
            return Ok((5, false));
        }
        Cell::Date(d) => match d.as_day() {
            Some(day) => {
                let x =
                    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
                // A date column has the date format; a date elsewhere (About) needs its own.
                match kind {
                    Kind::Date => ws.write_datetime(row, col, &x)?,
                    _ => ws.write_datetime_with_format(row, col, &x, &st.date)?,
                };
                return Ok((10, false));
            }
            None => return write_text(ws, row, col, &d.to_string(), false, st),
        },
        Cell::Url(u) => {
            // A link where Excel takes it for one; any other address stays text.
            let web = u.starts_with("https://") || u.starts_with("http://");
            if web && ws.write_url(row, col, Url::new(*u)).is_ok() {
                return Ok((u.chars().count(), false));
            }
            return write_text(ws, row, col, u, false, st);
        }
    }
    Ok((0, false))
}

fn write_text(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    wrap: bool,
    st: &Styles,
) -> Result<(usize, bool), XlsxError> {
    let (text, was_cut) = fit(text);
    let quoted = Cell::is_formula_like(&text);
    // Display width: a Chinese character takes two columns.
    let width = unicode_width::UnicodeWidthStr::width(&*text);
    match (wrap, quoted) {
        (true, true) => ws.write_string_with_format(row, col, text, &st.wrap[1]),
        (false, true) => ws.write_string_with_format(row, col, text, &st.quoted),
        (_, false) => ws.write_string(row, col, text),
    }?;
    Ok((width, was_cut))
}

/// How many characters `n` takes written out.
fn digits(n: i64) -> usize {
    let magnitude = n
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1);
    magnitude + usize::from(n < 0)
}

/// The text, cut to Excel's cell limit (with an ellipsis) if it is longer.
fn fit(text: &str) -> (std::borrow::Cow<'_, str>, bool) {
    if text.len() <= MAX_CELL || text.encode_utf16().count() <= MAX_CELL {
        return (text.into(), false);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    (format!("{}…", &text[..end]).into(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_count_as_written() {
        for n in [0, 7, 10, 99, 100, -1, -10, 123_456, i64::MAX, i64::MIN] {
            assert_eq!(digits(n), n.to_string().len(), "{n}");
        }
    }

    #[test]
    fn text_is_cut_to_excels_limit_in_utf16_units() {
        let short = "a".repeat(MAX_CELL);
        assert!(!fit(&short).1);
        let long = "😀".repeat(MAX_CELL);
        let (cut, was_cut) = fit(&long);
        assert!(was_cut);
        assert!(cut.encode_utf16().count() <= MAX_CELL);
        assert!(cut.ends_with('…'));
    }
}
