//! CSV as spreadsheets open it: a UTF-8 byte-order mark (so Excel reads
//! Vietnamese text as UTF-8), a header row, CRLF line ends, RFC 4180 quoting
//! by the `csv` crate. A cell with leading or trailing blanks is quoted too,
//! so that a spreadsheet keeps them.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use csv::{QuoteStyle, Terminator, WriterBuilder};

/// A finished CSV document as a response: `inline` shows it in the browser
/// or opens it (reports), `attachment` saves it (lists to work through);
/// `name` without `.csv`.
pub fn respond(body: String, name: &str, attachment: bool) -> Response {
    let disposition = if attachment { "attachment" } else { "inline" };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Starts every file: Excel takes a file without it for the local code page.
pub const BOM: &str = "\u{feff}";

/// Builds a CSV document row by row.
#[derive(Debug)]
pub struct CsvWriter {
    w: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> Self {
        CsvWriter {
            w: writer(QuoteStyle::Necessary, BOM.as_bytes().to_vec(), ROWS_BUFFER),
        }
    }

    /// Appends one row of already-rendered cells.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let lone_empty = cells.iter().all(|c| c.as_ref().is_empty()) && cells.len() < 2;
        if lone_empty || cells.iter().any(|c| blank_edged(c.as_ref())) {
            // The crate quotes a row of one empty cell (`""`) and never a
            // blank at an edge: such a row is written a cell at a time.
            let mut out = self.take();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_cell(&mut out, cell.as_ref());
            }
            out.extend_from_slice(b"\r\n");
            self.w = writer(QuoteStyle::Necessary, out, ROWS_BUFFER);
        } else {
            self.w
                .write_record(cells.iter().map(|c| c.as_ref().as_bytes()))
                .expect("writing to memory cannot fail");
        }
    }

    pub fn finish(mut self) -> String {
        String::from_utf8(self.take()).expect("rows are written from UTF-8 text")
    }

    /// The bytes written so far.
    fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.w, writer(QuoteStyle::Necessary, Vec::new(), 0))
            .into_inner()
            .expect("writing to memory cannot fail")
    }
}

/// What the rows' writer gathers before it hands bytes on (the crate's default).
const ROWS_BUFFER: usize = 8 * 1024;

/// A writer of CRLF lines that may differ in length, appending to `out`.
fn writer(style: QuoteStyle, out: Vec<u8>, buffer: usize) -> csv::Writer<Vec<u8>> {
    WriterBuilder::new()
        .buffer_capacity(buffer)
        .quote_style(style)
        .terminator(Terminator::CRLF)
        .flexible(true)
        .from_writer(out)
}

/// One cell, quoted where it must be; an empty one writes nothing.
fn push_cell(out: &mut Vec<u8>, cell: &str) {
    if cell.is_empty() {
        return;
    }
    let style = if blank_edged(cell) {
        QuoteStyle::Always
    } else {
        QuoteStyle::Necessary
    };
    // Room for the cell with every byte doubled, its quotes and line end.
    let mut w = writer(style, std::mem::take(out), 2 * cell.len() + 4);
    w.write_record([cell]).expect("writing to memory cannot fail");
    *out = w.into_inner().expect("writing to memory cannot fail");
    out.truncate(out.len() - "\r\n".len());
}

/// Leading or trailing blanks, which a reader may trim unless quoted.
fn blank_edged(cell: &str) -> bool {
    cell.starts_with(' ') || cell.ends_with(' ')
}

/// A free-text cell (a group's name): one that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`.
pub fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A count, a rate or nothing: none is an empty cell.
pub fn number<T: ToString>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        let mut w = CsvWriter::new();
        w.row(&["start", "group", "offered"]);
        w.row(&["2026-11-20", "Cà Mau, \"Đội 1\"", "3"]);
        w.row(&["a\nb", " x", ""]);
        assert_eq!(
            w.finish(),
            "\u{feff}start,group,offered\r\n2026-11-20,\"Cà Mau, \"\"Đội 1\"\"\",3\r\n\"a\nb\",\" x\",\r\n"
        );
    }

    #[test]
    fn blanks_and_empty_rows_as_before() {
        let mut w = CsvWriter::new();
        w.row(&["", ""]);
        w.row(&[""]);
        w.row::<&str>(&[]);
        w.row(&["x ", "a\"b ", "", "\r"]);
        w.row(&[" "]);
        assert_eq!(
            w.finish(),
            "\u{feff},\r\n\r\n\r\n\"x \",\"a\"\"b \",,\"\r\"\r\n\" \"\r\n"
        );
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("@agent"), "'@agent");
        assert_eq!(text("Trần Thị B"), "Trần Thị B");
        assert_eq!(number(Some(0.25)), "0.25");
        assert_eq!(number::<u64>(None), "");
    }
}
