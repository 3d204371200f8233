//! CSV as spreadsheets open it: a UTF-8 byte-order mark (so Excel reads
//! Vietnamese text as UTF-8), a header row, CRLF line ends, RFC 4180 quoting.

/// Starts every file: Excel takes a file without it for the local code page.
pub const BOM: &str = "\u{feff}";

/// Builds a CSV document row by row.
#[derive(Debug, Clone)]
pub struct CsvWriter {
    out: String,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> Self {
        CsvWriter { out: BOM.to_string() }
    }

    /// Appends one row of already-rendered cells.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_quoted(&mut self.out, cell.as_ref());
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Quotes a cell when it holds a separator, a quote or a line break, or
/// leading or trailing blanks; quotes inside are doubled.
fn push_quoted(out: &mut String, cell: &str) {
    let needs = cell.contains([',', '"', '\r', '\n']) || cell.starts_with(' ') || cell.ends_with(' ');
    if !needs {
        out.push_str(cell);
        return;
    }
    out.push('"');
    out.push_str(&cell.replace('"', "\"\""));
    out.push('"');
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
    fn formulas_are_defused() {
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("@agent"), "'@agent");
        assert_eq!(text("Trần Thị B"), "Trần Thị B");
        assert_eq!(number(Some(0.25)), "0.25");
        assert_eq!(number::<u64>(None), "");
    }
}
