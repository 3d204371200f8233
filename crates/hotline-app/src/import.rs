//! Bulk import of the customer directory from a CSV file (the billing
//! system's export), shared by `POST /api/v1/customers/import` and
//! `hotline import customers FILE.csv`.
//!
//! The file is UTF-8 (a leading byte-order mark is skipped) with a header
//! row naming the columns, in any order and any case:
//! `customer_code,name,phones,email,address,area_code,unit_code,notes`;
//! `customer_code` and `name` are required, the others optional. `phones`
//! holds any number of numbers separated by `;`, `,` or `/`.
//!
//! Lines are validated one by one: a bad line is reported (with its line
//! number in the file, the header being line 1) and skipped, the good ones
//! are upserted by customer code in batches, each batch in one
//! transaction. A code given on several lines is applied in file order, so
//! the last line wins and every line is counted (the first as created, the
//! later ones as updated or unchanged). Re-importing a file changes nothing.

use hotline_domain::customer::{Customer, CustomerInput};
use hotline_domain::ports::CustomerStore;

use crate::{App, Clock};
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};

use hotline_domain::FieldError;
use serde::Serialize;

/// The columns a file may have, as they are named in errors.
pub const COLUMNS: [&str; 8] = [
    "customer_code",
    "name",
    "phones",
    "email",
    "address",
    "area_code",
    "unit_code",
    "notes",
];
const REQUIRED: [&str; 2] = ["customer_code", "name"];

/// Customers upserted per transaction.
pub const BATCH: usize = 1000;

/// The report lists at most this many errors (`failed` counts them all).
pub const MAX_REPORTED_ERRORS: usize = 1000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a bulk import did. Every data line counts once in `created`,
/// `updated`, `unchanged` or `failed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// Why lines failed, in file order (at most the first 1000).
    pub errors: Vec<ImportLineError>,
}

/// One line that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportLineError {
    /// The line number in the file (the header is line 1).
    pub line: u64,
    /// The column at fault.
    pub field: String,
    pub message: String,
}

/// Why a file could not be imported (as opposed to single bad lines).
#[derive(Debug)]
pub enum ImportError {
    /// The file as a whole is unusable: no or a bad header, or it could not
    /// be read. `columns` names the offending columns. Batches before a read
    /// failure stay imported.
    File { message: String, columns: Vec<FieldError> },
    /// The database failed; batches before this one stay imported, and
    /// running the import again is safe.
    Store(StoreError),
    /// The use case refused the import as a whole (the caller's role, or
    /// data that changed while it ran); nothing was written.
    Refused(DomainError),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::File { message, columns } => {
                f.write_str(message)?;
                for c in columns {
                    write!(f, "\n  {}: {}", c.field, c.message)?;
                }
                Ok(())
            }
            ImportError::Store(e) => write!(f, "{e}"),
            ImportError::Refused(e) => write!(f, "{e}"),
        }
    }
}

impl From<DomainError> for ImportError {
    fn from(e: DomainError) -> Self {
        ImportError::Refused(e)
    }
}

impl ImportReport {
    /// Counts the line `line` as failed, for these `(field, message)`
    /// reasons; the report keeps the first [`MAX_REPORTED_ERRORS`].
    pub fn fail(&mut self, line: u64, errors: impl IntoIterator<Item = (String, String)>) {
        self.failed += 1;
        for (field, message) in errors {
            if self.errors.len() < MAX_REPORTED_ERRORS {
                self.errors.push(ImportLineError { line, field, message });
            }
        }
    }
}

pub(crate) fn file_error(message: impl Into<String>) -> ImportError {
    ImportError::File {
        message: message.into(),
        columns: Vec::new(),
    }
}

/// Which column of the file feeds which field (`COLUMNS` order).
struct Header {
    width: usize,
    positions: [Option<usize>; COLUMNS.len()],
}

impl Header {
    fn parse(record: &csv::ByteRecord) -> Result<Header, ImportError> {
        let mut positions = [None; COLUMNS.len()];
        let mut problems = Vec::new();
        for (i, raw) in record.iter().enumerate() {
            let Ok(name) = std::str::from_utf8(raw) else {
                problems.push(FieldError {
                    field: format!("column {}", i + 1),
                    message: "has a name that is not valid UTF-8".into(),
                });
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            match COLUMNS.iter().position(|c| *c == name) {
                Some(k) if positions[k].is_some() => problems.push(FieldError {
                    field: name,
                    message: "is given twice".into(),
                }),
                Some(k) => positions[k] = Some(i),
                None if name.is_empty() => problems.push(FieldError {
                    field: format!("column {}", i + 1),
                    message: "has no name".into(),
                }),
                None => problems.push(FieldError {
                    message: format!("is not a known column; the columns are {}", COLUMNS.join(", ")),
                    field: name,
                }),
            }
        }
        for required in REQUIRED {
            if COLUMNS
                .iter()
                .position(|c| *c == required)
                .is_some_and(|k| positions[k].is_none())
            {
                problems.push(FieldError {
                    field: required.into(),
                    message: "is a required column and is missing".into(),
                });
            }
        }
        if problems.is_empty() {
            Ok(Header {
                width: record.len(),
                positions,
            })
        } else {
            Err(ImportError::File {
                message: format!(
                    "the header row is not usable; it must name the columns {} (customer_code and name required)",
                    COLUMNS.join(", ")
                ),
                columns: problems,
            })
        }
    }

    /// The name of the file's column at `index`, `record` past the last.
    fn column_at(&self, index: usize) -> String {
        self.positions
            .iter()
            .position(|p| *p == Some(index))
            .map_or_else(|| "record".to_string(), |k| COLUMNS[k].to_string())
    }

    /// The customer on one line, or why the line cannot be one.
    fn input(&self, record: &csv::ByteRecord) -> Result<CustomerInput, Vec<(String, String)>> {
        if record.len() != self.width {
            return Err(vec![(
                "record".into(),
                format!("has {} fields; the header has {}", record.len(), self.width),
            )]);
        }
        let mut values: [Option<String>; COLUMNS.len()] = Default::default();
        let mut errors = Vec::new();
        for (k, pos) in self.positions.iter().enumerate() {
            let Some(raw) = pos.and_then(|i| record.get(i)) else {
                continue;
            };
            match std::str::from_utf8(raw) {
                Ok(text) => values[k] = Some(text.to_string()),
                Err(_) => errors.push((
                    COLUMNS[k].to_string(),
                    "is not valid UTF-8 (save the file as UTF-8)".to_string(),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let [code, name, phones, email, address, area_code, unit_code, notes] = values;
        Ok(CustomerInput {
            code,
            name,
            phones: phones.as_deref().map(split_phones).unwrap_or_default(),
            email,
            address,
            area_code,
            unit_code,
            notes,
        })
    }
}

/// A domain error as a failed line's `(field, message)` reasons: each
/// invalid field, or the whole `record`.
pub(crate) fn field_errors(e: DomainError) -> Vec<(String, String)> {
    match e {
        DomainError::Validation(fields) => fields.into_iter().map(|f| (f.field, f.message)).collect(),
        other => vec![("record".to_string(), other.to_string())],
    }
}

fn count_newlines(record: &csv::ByteRecord) -> u64 {
    record
        .iter()
        .map(|f| f.iter().filter(|b| **b == b'\n').count() as u64)
        .sum()
}

/// `0912 345 678; 0290 3831 234` → both numbers; empty pieces are dropped.
pub fn split_phones(cell: &str) -> Vec<String> {
    cell.split([';', ',', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Where a CSV parser would be, as far as quotes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the closing one, or the first of `""`.
    QuoteInQuoted,
}

/// Follows the quoting of the whole input the way the CSV parser does and
/// returns the line of a quote still open at the end: the parser then reads
/// the rest of the file into one field, which must not pass for a field
/// that really holds several lines.
fn unclosed_quote(input: &[u8]) -> Option<u64> {
    use Quoting::*;
    let mut state = FieldStart;
    let mut line = 1;
    let mut opened_on = 0;
    for &b in input {
        state = match (state, b) {
            (FieldStart, b'"') => {
                opened_on = line;
                Quoted
            }
            (FieldStart | Unquoted | QuoteInQuoted, b',' | b'\n' | b'\r') => FieldStart,
            (FieldStart | Unquoted, _) => Unquoted,
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (QuoteInQuoted, _) => Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == Quoted).then_some(opened_on)
}

/// The line a record's first field is on. The parser counts from where it
/// started looking, before the line break that ended the previous record
/// (for CRLF) and before blank lines.
fn first_line(input: &[u8], record: &csv::ByteRecord) -> u64 {
    let Some(p) = record.position() else { return 0 };
    let from = usize::try_from(p.byte()).unwrap_or(usize::MAX);
    let skipped = input
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|b| **b == b'\n')
        .count() as u64;
    p.line() + skipped
}

struct Run<'a> {
    store: &'a dyn CustomerStore,
    actor: &'a Principal,
    clock: &'a dyn Clock,
    report: ImportReport,
    batch: Vec<Customer>,
}

impl Run<'_> {
    fn fail(&mut self, line: u64, errors: impl IntoIterator<Item = (String, String)>) {
        self.report.fail(line, errors);
    }

    async fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        let counts = self
            .store
            .import(&self.batch, self.actor, now)
            .await
            .map_err(ImportError::Store)?;
        self.report.created += counts.created;
        self.report.updated += counts.updated;
        self.report.unchanged += counts.unchanged;
        self.batch.clear();
        Ok(())
    }
}

/// Imports a CSV file into the directory as `actor`; see the module docs
/// for the format. Bad lines are reported in the result and never stop the
/// good ones.
pub async fn import_customers(app: &App, actor: &Principal, file: &[u8]) -> Result<ImportReport, ImportError> {
    let store = app.store.customers();
    let input = file.strip_prefix(BOM).unwrap_or(file);
    let unclosed = unclosed_quote(input);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let read = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord| {
        reader
            .read_byte_record(record)
            .map_err(|e| file_error(format!("cannot read the file: {e}")))
    };
    if !read(&mut reader, &mut record)? || is_blank(&record) {
        return Err(file_error(format!(
            "the file is empty; the first line must name the columns: {}",
            COLUMNS.join(",")
        )));
    }
    let header = Header::parse(&record)?;
    let mut run = Run {
        store,
        actor,
        clock: app.clock.as_ref(),
        report: ImportReport::default(),
        batch: Vec::with_capacity(BATCH),
    };
    let now = app.now();
    while read(&mut reader, &mut record)? {
        if is_blank(&record) {
            continue;
        }
        let line = first_line(input, &record);
        if let Some(opened_on) = unclosed
            && line + count_newlines(&record) >= opened_on
        {
            let message = format!(
                "has a quote opened on line {opened_on} that is never closed, so the rest of the file was read into it"
            );
            run.fail(line, [(header.column_at(record.len().saturating_sub(1)), message)]);
            continue;
        }
        let customer = header
            .input(&record)
            .and_then(|input| Customer::create(input, now).map_err(field_errors));
        match customer {
            Ok(c) => {
                run.batch.push(c);
                if run.batch.len() >= BATCH {
                    run.flush().await?;
                }
            }
            Err(errors) => run.fail(line, errors),
        }
    }
    run.flush().await?;
    Ok(run.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> Result<Header, ImportError> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let mut rec = csv::ByteRecord::new();
        assert!(r.read_byte_record(&mut rec).unwrap());
        Header::parse(&rec)
    }

    fn columns(e: ImportError) -> Vec<String> {
        match e {
            ImportError::File { columns, .. } => columns.into_iter().map(|c| c.field).collect(),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn header_names_are_matched_case_insensitively_in_any_order() {
        let h = header("Name, CUSTOMER_CODE ,notes").ok().unwrap();
        assert_eq!(h.width, 3);
        assert_eq!(h.positions[0], Some(1));
        assert_eq!(h.positions[1], Some(0));
        assert_eq!(h.positions[7], Some(2));
        assert_eq!(h.positions[2], None);
    }

    #[test]
    fn bad_headers_name_every_column() {
        assert_eq!(
            columns(header("customer_code,name,fax,,name").err().unwrap()),
            ["fax", "column 4", "name"]
        );
        assert_eq!(columns(header("phones").err().unwrap()), ["customer_code", "name"]);
    }

    #[test]
    fn phones_split_on_every_separator() {
        assert_eq!(
            split_phones(" 0912 345 678; 0290 3831 234 ,0162 345 6789/ ;"),
            ["0912 345 678", "0290 3831 234", "0162 345 6789"]
        );
        assert!(split_phones("  ").is_empty());
    }

    #[test]
    fn quotes_are_followed_like_the_parser_does() {
        let unclosed = |s: &str| unclosed_quote(s.as_bytes());
        assert_eq!(unclosed("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\n"), None);
        assert_eq!(
            unclosed("a,b\"c,d\n"),
            None,
            "a quote inside a bare field is a character"
        );
        assert_eq!(unclosed("a,\"b\""), None, "closed at the very end");
        assert_eq!(unclosed("a\nb,\"c\nd,e\n"), Some(2));
        assert_eq!(unclosed("a,\"b\"\"\n"), Some(1), "an escaped quote does not close");
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on() {
        let input = b"h1,h2\r\n\"a\nb\",c\r\n\r\n\nd,e\n\"f\",g";
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&input[..]);
        let mut rec = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while r.read_byte_record(&mut rec).unwrap() {
            lines.push(first_line(input, &rec));
        }
        assert_eq!(lines, [1, 2, 6, 7]);
    }
}
