//! Callbacks as CSV, for supervisors' spreadsheets: a list (one line per
//! callback) and the service level (`key,value` lines).

use axum::response::Response;

use crate::dto::callbacks::{CallbackReport, CallbackTaskView};
use crate::render::csv::{self, CsvWriter, number, text};

const COLUMNS: [&str; 14] = [
    "id",
    "number",
    "customer_code",
    "reason",
    "status",
    "due_at",
    "overdue",
    "agent",
    "queue",
    "unit_code",
    "attempts",
    "last_outcome",
    "closed_at",
    "note",
];

fn respond(name: &str, body: String) -> Response {
    csv::respond(body, name, false)
}

fn opt(v: Option<&str>) -> String {
    v.map(text).unwrap_or_default()
}

fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One line per callback, in the page's order.
pub fn list(items: &[CallbackTaskView]) -> Response {
    let mut w = CsvWriter::new();
    w.row(&COLUMNS);
    for c in items {
        w.row(&[
            c.id.to_string(),
            c.number.clone(),
            opt(c.customer_code.as_deref()),
            json_name(&c.reason),
            json_name(&c.status),
            c.due_at.to_rfc3339(),
            c.overdue.to_string(),
            opt(c.agent.as_deref()),
            opt(c.queue.as_deref()),
            opt(c.unit_code.as_deref()),
            c.attempts.len().to_string(),
            c.attempts.last().map(|a| json_name(&a.outcome)).unwrap_or_default(),
            c.closed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            opt(c.note.as_deref()),
        ]);
    }
    respond("callbacks", w.finish())
}

/// The service level as `key,value` lines.
pub fn report(r: &CallbackReport) -> Response {
    let mut w = CsvWriter::new();
    w.row(&["key", "value"]);
    let lines = [
        ("from", r.from.to_rfc3339()),
        ("to", r.to.to_rfc3339()),
        ("target_minutes", r.target_minutes.to_string()),
        ("abandoned_calls", r.abandoned_calls.to_string()),
        ("with_callback", r.with_callback.to_string()),
        ("called_back", r.called_back.to_string()),
        ("within_target", r.within_target.to_string()),
        ("service_level", number(r.service_level)),
        ("open", r.open.to_string()),
        ("overdue", r.overdue.to_string()),
    ];
    for (key, value) in lines {
        w.row(&[key.to_string(), value]);
    }
    respond("callback-service-level", w.finish())
}
