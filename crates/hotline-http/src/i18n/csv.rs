//! A CSV export in Vietnamese: the header row, and the codes in the
//! columns that hold statuses, categories and the like. Other cells (names,
//! notes, numbers, times) are data and stay as they are.

use crate::render::csv::{BOM, CsvWriter};

use super::catalogue::name;

/// Columns whose cells are codes a reader would rather see named.
const CODE_COLUMNS: [&str; 12] = [
    "status",
    "category",
    "reason",
    "handling",
    "outcome",
    "last_outcome",
    "kind",
    "source",
    "priority",
    "direction",
    "section",
    "supply_type",
];

/// The document with its header and codes in Vietnamese; None when it
/// cannot be read as CSV (it is then sent as it was).
pub fn translate(body: &str) -> Option<String> {
    let body = body.strip_prefix(BOM).unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut w = CsvWriter::new();
    let mut codes: Vec<bool> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.ok()?;
        let cells: Vec<String> = if i == 0 {
            codes = record.iter().map(|h| CODE_COLUMNS.contains(&h)).collect();
            record.iter().map(|h| name(h).unwrap_or(h).to_string()).collect()
        } else {
            record
                .iter()
                .enumerate()
                .map(|(j, c)| match codes.get(j) {
                    Some(true) => name(c).unwrap_or(c).to_string(),
                    _ => c.to_string(),
                })
                .collect()
        };
        w.row(&cells);
    }
    Some(w.finish())
}

/// The header cells and codes of a CSV document the catalogue cannot name.
pub fn untranslated(body: &str) -> Vec<String> {
    let body = body.strip_prefix(BOM).unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut missing = Vec::new();
    let mut codes: Vec<bool> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let Ok(record) = record else { break };
        for (j, cell) in record.iter().enumerate() {
            let coded = if i == 0 {
                true
            } else {
                codes.get(j).copied().unwrap_or(false)
            };
            if coded && !cell.is_empty() && name(cell).is_none() {
                missing.push(cell.to_string());
            }
        }
        if i == 0 {
            codes = record.iter().map(|h| CODE_COLUMNS.contains(&h)).collect();
        }
    }
    missing
}
