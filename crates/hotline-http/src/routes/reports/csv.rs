//! The reports as CSV: `text/csv; charset=utf-8` with a byte-order mark and
//! a header row, one line per bucket (and group).

use crate::render::csv::{self, CsvWriter, number, text};
use axum::response::Response;
use hotline_domain::report::{CallFigures, Series, WorkOrderFigures};

use crate::dto::reports::{LiveReport, local};

fn respond(name: &str, body: String) -> Response {
    csv::respond(body, name, false)
}

/// A figure's column: its name in the header row and how its cell is written.
type Column<F> = (&'static str, fn(&F) -> String);

const CALL_COLUMNS: &[Column<CallFigures>] = &[
    ("offered", |f| f.offered.to_string()),
    ("answered", |f| f.answered.to_string()),
    ("missed", |f| f.missed.to_string()),
    ("abandoned", |f| f.abandoned.to_string()),
    ("answer_rate", |f| number(f.answer_rate)),
    ("avg_wait_seconds", |f| number(f.avg_wait_seconds)),
    ("p90_wait_seconds", |f| number(f.p90_wait_seconds)),
    ("avg_talk_seconds", |f| number(f.avg_talk_seconds)),
    ("service_level", |f| number(f.service_level)),
    ("blocked", |f| f.blocked.to_string()),
];

const WORK_ORDER_COLUMNS: &[Column<WorkOrderFigures>] = &[
    ("opened", |f| f.opened.to_string()),
    ("resolved", |f| f.resolved.to_string()),
    ("backlog", |f| f.backlog.to_string()),
    ("response_met_rate", |f| number(f.response_met_rate)),
    ("resolution_met_rate", |f| number(f.resolution_met_rate)),
    ("median_resolve_seconds", |f| number(f.median_resolve_seconds)),
    ("avg_feedback", |f| number(f.avg_feedback)),
];

/// One line per bucket (and group): its bounds, the group when grouped
/// (its column named after what it groups by), then the figures.
fn series<F>(name: &str, series: &Series<F>, group: Option<&str>, columns: &[Column<F>]) -> Response {
    let mut w = CsvWriter::new();
    let mut header = vec!["start".to_string(), "end".to_string()];
    header.extend(group.map(str::to_string));
    header.extend(columns.iter().map(|(column, _)| column.to_string()));
    w.row(&header);
    for r in &series.rows {
        let mut line = vec![local(r.start).to_rfc3339(), local(r.end).to_rfc3339()];
        if series.grouped {
            line.push(text(r.group.as_deref().unwrap_or("")));
        }
        line.extend(columns.iter().map(|(_, cell)| cell(&r.figures)));
        w.row(&line);
    }
    respond(name, w.finish())
}

pub fn calls(figures: &Series<CallFigures>, group: Option<&str>) -> Response {
    series("calls", figures, group, CALL_COLUMNS)
}

pub fn work_orders(figures: &Series<WorkOrderFigures>, group: Option<&str>) -> Response {
    series("work-orders", figures, group, WORK_ORDER_COLUMNS)
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
        ("callbacks", "open".into(), v.callbacks.open.to_string()),
        ("callbacks", "overdue".into(), v.callbacks.overdue.to_string()),
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
