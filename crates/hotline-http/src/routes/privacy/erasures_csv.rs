//! Past erasures as CSV, for the data-protection register a supervisor
//! keeps: one line per erasure.

use axum::response::Response;

use crate::dto::erasures::ErasureView;
use crate::render::csv::{self, CsvWriter, text};

const COLUMNS: [&str; 9] = [
    "id",
    "erased_at",
    "customer_code",
    "by_number",
    "unit_code",
    "erasure_reason",
    "requested_by",
    "performed_by",
    "anonymised",
];

/// One line per erasure, in the page's order; `anonymised` as
/// `kind=count` pairs.
pub fn list(items: &[ErasureView]) -> Response {
    let mut w = CsvWriter::new();
    w.row(&COLUMNS);
    for e in items {
        let counts: Vec<String> = e.anonymised.iter().map(|(k, n)| format!("{k}={n}")).collect();
        w.row(&[
            e.id.to_string(),
            e.at.to_rfc3339(),
            e.customer_code.as_deref().map(text).unwrap_or_default(),
            e.by_number.to_string(),
            e.unit_code.as_deref().map(text).unwrap_or_default(),
            text(&e.reason),
            text(&e.requested_by),
            text(&e.performed_by),
            counts.join("; "),
        ]);
    }
    csv::respond(w.finish(), "erasures", false)
}
