//! Reading the import file: its lines as column → value, and each line as a
//! node's input.

use std::collections::HashMap;

use hotline_domain::FieldError;
use hotline_domain::org::NodeInput;

use crate::import::{ImportError, ImportReport, file_error};

/// A line of the file: its number and its values by column.
pub(super) type Line = (u64, HashMap<String, String>);

/// The lines of a file as `(line, column → value)`; bad lines go to `report`.
pub(super) fn read_lines(file: &[u8], columns: &[&str], report: &mut ImportReport) -> Result<Vec<Line>, ImportError> {
    let input = file.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(file_error(format!("cannot read the file: {e}"))),
        None => {
            return Err(file_error(format!(
                "the file is empty; the first line must name the columns: {}",
                columns.join(",")
            )));
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|n| String::from_utf8_lossy(n).trim().to_ascii_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if !columns.contains(&n.as_str()) {
            problems.push(FieldError {
                field: if n.is_empty() {
                    format!("column {}", i + 1)
                } else {
                    n.clone()
                },
                message: format!("is not a known column; the columns are {}", columns.join(", ")),
            });
        } else if names[..i].contains(n) {
            problems.push(FieldError {
                field: n.clone(),
                message: "is given twice".into(),
            });
        }
    }
    for required in ["code", "name"] {
        if !names.iter().any(|n| n == required) {
            problems.push(FieldError {
                field: required.into(),
                message: "is a required column and is missing".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::File {
            message: format!(
                "the header row is not usable; it must name the columns {} (code and name required)",
                columns.join(", ")
            ),
            columns: problems,
        });
    }
    let mut out = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.fail(line, [("record".to_string(), format!("cannot be read: {e}"))]);
                continue;
            }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != names.len() {
            let message = format!("has {} fields; the header has {}", record.len(), names.len());
            report.fail(line, [("record".to_string(), message)]);
            continue;
        }
        let mut values = HashMap::new();
        let mut bad = Vec::new();
        for (name, raw) in names.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(v) => {
                    values.insert(name.clone(), v.to_string());
                }
                Err(_) => bad.push((name.clone(), "is not valid UTF-8 (save the file as UTF-8)".to_string())),
            }
        }
        if bad.is_empty() {
            out.push((line, values));
        } else {
            report.fail(line, bad);
        }
    }
    Ok(out)
}

pub(super) fn node_input(mut v: HashMap<String, String>) -> Result<NodeInput, Vec<(String, String)>> {
    let urban = match v.get("urban").map(|s| s.trim().to_ascii_lowercase()) {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) if matches!(s.as_str(), "true" | "1" | "yes" | "x") => Some(true),
        Some(s) if matches!(s.as_str(), "false" | "0" | "no") => Some(false),
        Some(_) => return Err(vec![("urban".into(), "must be true or false".into())]),
    };
    Ok(NodeInput {
        code: v.remove("code"),
        name: v.remove("name"),
        parent_code: v.remove("parent_code"),
        kind: v.remove("kind"),
        former_names: v
            .remove("former_names")
            .map(|f| {
                f.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        urban,
        unit_code: v.remove("unit_code"),
    })
}
