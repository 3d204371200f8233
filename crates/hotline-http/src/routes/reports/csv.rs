//! The reports as CSV: `text/csv; charset=utf-8` with a byte-order mark and
//! a header row, one line per bucket (and group).

use crate::render::csv::{CsvWriter, number, text};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hotline_domain::report::{CallFigures, Series, WorkOrderFigures};

use crate::dto::reports::{LiveReport, local};

fn respond(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.csv\"")),
        ],
        body,
    )
        .into_response()
}

/// The header row: the bucket's bounds, the group's column named after
/// what it groups by, then the figures.
fn header_row(group: Option<&str>, figures: &[&str]) -> Vec<String> {
    let mut h = vec!["start".to_string(), "end".to_string()];
    h.extend(group.map(str::to_string));
    h.extend(figures.iter().map(|f| f.to_string()));
    h
}

fn lead<F>(r: &hotline_domain::report::Row<F>, grouped: bool) -> Vec<String> {
    let mut cells = vec![local(r.start).to_rfc3339(), local(r.end).to_rfc3339()];
    if grouped {
        cells.push(text(r.group.as_deref().unwrap_or("")));
    }
    cells
}

pub fn calls(series: &Series<CallFigures>, group: Option<&str>) -> Response {
    let mut w = CsvWriter::new();
    w.row(&header_row(
        group,
        &[
            "offered",
            "answered",
            "missed",
            "abandoned",
            "answer_rate",
            "avg_wait_seconds",
            "p90_wait_seconds",
            "avg_talk_seconds",
            "service_level",
            "blocked",
        ],
    ));
    for r in &series.rows {
        let f = &r.figures;
        let mut cells = lead(r, series.grouped);
        cells.extend([
            f.offered.to_string(),
            f.answered.to_string(),
            f.missed.to_string(),
            f.abandoned.to_string(),
            number(f.answer_rate),
            number(f.avg_wait_seconds),
            number(f.p90_wait_seconds),
            number(f.avg_talk_seconds),
            number(f.service_level),
            f.blocked.to_string(),
        ]);
        w.row(&cells);
    }
    respond("calls", w.finish())
}

pub fn work_orders(series: &Series<WorkOrderFigures>, group: Option<&str>) -> Response {
    let mut w = CsvWriter::new();
    w.row(&header_row(
        group,
        &[
            "opened",
            "resolved",
            "backlog",
            "response_met_rate",
            "resolution_met_rate",
            "median_resolve_seconds",
            "avg_feedback",
        ],
    ));
    for r in &series.rows {
        let f = &r.figures;
        let mut cells = lead(r, series.grouped);
        cells.extend([
            f.opened.to_string(),
            f.resolved.to_string(),
            f.backlog.to_string(),
            number(f.response_met_rate),
            number(f.resolution_met_rate),
            number(f.median_resolve_seconds),
            number(f.avg_feedback),
        ]);
        w.row(&cells);
    }
    respond("work-orders", w.finish())
}

/// `section,key,value` lines: the wallboard flattened.
pub fn live(v: &LiveReport) -> Response {
    let mut w = CsvWriter::new();
    w.row(&["section", "key", "value"]);
    let c = &v.calls;
    let o = &v.work_orders;
    let lines: Vec<(&str, String, String)> = vec![
        ("as_of", String::new(), v.as_of.to_rfc3339()),
        ("calls", "ringing".into(), c.ringing.to_string()),
        ("calls", "in_progress".into(), c.in_progress.to_string()),
        ("calls", "longest_wait_seconds".into(), number(c.longest_wait_seconds)),
        ("calls_today", "offered".into(), c.today.offered.to_string()),
        ("calls_today", "answered".into(), c.today.answered.to_string()),
        ("calls_today", "missed".into(), c.today.missed.to_string()),
        ("calls_today", "abandoned".into(), c.today.abandoned.to_string()),
        ("work_orders", "open".into(), o.open.to_string()),
        ("work_orders", "overdue".into(), o.overdue.to_string()),
        ("work_orders", "due_within_hour".into(), o.due_within_hour.to_string()),
        ("incidents", "active".into(), v.incidents.active.to_string()),
    ];
    for (section, key, value) in lines {
        w.row(&[section.to_string(), key, value]);
    }
    for (status, n) in &o.by_status {
        w.row(&["work_orders_by_status".to_string(), status.clone(), n.to_string()]);
    }
    for t in &o.by_team {
        w.row(&[
            "work_orders_by_team".to_string(),
            text(t.team_code.as_deref().unwrap_or("")),
            t.open.to_string(),
        ]);
    }
    respond("live", w.finish())
}
