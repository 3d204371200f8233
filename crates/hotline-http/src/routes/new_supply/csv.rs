//! New-supply requests as CSV: the list (one line per request, for a
//! supervisor's spreadsheet) and the report (one line per channel and type).

use axum::response::Response;

use crate::dto::new_supply::{NewSupplyReport, NewSupplyView, StageDto};
use crate::render::csv::{self, CsvWriter, text};

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

const LIST_COLUMNS: [&str; 11] = [
    "code",
    "created_at",
    "source",
    "supply_type",
    "stage",
    "applicant_name",
    "applicant_phone",
    "missing_documents",
    "documents_complete_at",
    "resolution_due",
    "energised_at",
];

/// One line per request, in the page's order; the missing documents
/// separated by spaces.
pub fn list(items: &[NewSupplyView]) -> Response {
    let mut w = CsvWriter::new();
    w.row(&LIST_COLUMNS);
    for v in items {
        let energised = v.steps.iter().find(|s| matches!(s.stage, StageDto::Energised));
        w.row(&[
            v.work_order_code.clone(),
            v.created_at.to_rfc3339(),
            name(&v.source),
            v.supply_type.as_ref().map(name).unwrap_or_default(),
            name(&v.stage),
            text(&v.applicant.name),
            v.applicant.phone.clone().unwrap_or_default(),
            v.missing_documents.iter().map(name).collect::<Vec<_>>().join(" "),
            v.documents_complete_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            v.resolution_due.map(|t| t.to_rfc3339()).unwrap_or_default(),
            energised.map(|s| s.at.to_rfc3339()).unwrap_or_default(),
        ]);
    }
    csv::respond(w.finish(), "new-supply-applications", false)
}
