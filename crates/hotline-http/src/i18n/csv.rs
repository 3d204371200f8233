//! A CSV export in Vietnamese: the header row, and the codes in the
//! columns that hold statuses, categories and the like. Other cells (names,
//! notes, numbers, times) are data and stay as they are.

use crate::render::csv::{BOM, CsvWriter};

use super::catalogue::name;

/// Columns whose cells are codes a reader would rather see named.
const CODE_COLUMNS: [&str; 13] = [
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
    "stage",
];

/// A header cell in Vietnamese: a known name, or `name:data` (a column
/// per question of a questionnaire, `question:hai_long`) with the name
/// translated and the data kept.
fn header(cell: &str) -> Option<String> {
    if let Some(n) = name(cell) {
        return Some(n.to_string());
    }
    let (kind, data) = cell.split_once(':')?;
    Some(format!("{}: {data}", name(kind)?))
}

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
            record
                .iter()
                .map(|h| header(h).unwrap_or_else(|| h.to_string()))
                .collect()
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
            let named = if i == 0 {
                header(cell).is_some()
            } else {
                name(cell).is_some()
            };
            if coded && !cell.is_empty() && !named {
                missing.push(cell.to_string());
            }
        }
        if i == 0 {
            codes = record.iter().map(|h| CODE_COLUMNS.contains(&h)).collect();
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_per_question_keeps_its_key_under_a_translated_name() {
        let body = "question:hai_long,question:gop_y,customer_code\r\n5,Tốt,PB98000000001\r\n";
        assert!(untranslated(body).is_empty(), "{:?}", untranslated(body));
        let vi = translate(body).unwrap();
        assert!(
            vi.contains("câu hỏi: hai_long,câu hỏi: gop_y,mã khách hàng\r\n"),
            "{vi}"
        );
        assert_eq!(untranslated("nothing_known:x\r\n"), ["nothing_known:x"]);
    }
}
