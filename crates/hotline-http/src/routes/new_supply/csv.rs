//! The new-supply report as CSV: one line per channel and type.

use axum::response::Response;

use crate::dto::new_supply::NewSupplyReport;
use crate::render::csv::{self, CsvWriter};

fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn report(r: &NewSupplyReport) -> Response {
    let mut w = CsvWriter::new();
    w.row(&[
        "source",
        "supply_type",
        "opened",
        "energised",
        "within_deadline",
        "late",
        "open_past_deadline",
    ]);
    for l in &r.lines {
        w.row(&[
            name(&l.source),
            l.supply_type.as_ref().map(name).unwrap_or_default(),
            l.opened.to_string(),
            l.energised.to_string(),
            l.within_deadline.to_string(),
            l.late.to_string(),
            l.open_past_deadline.to_string(),
        ]);
    }
    csv::respond(w.finish(), "new-supply", false)
}
