//! Reports: figures checked against data with known answers, local-day
//! boundaries (17:00 UTC is midnight in Vietnam), CSV, scoping and roles.

mod calls;
mod csv_cells;
mod fresh;
mod hours;
mod live;
mod summary;
mod work_order_summary;
mod work_orders;

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

/// A user with this role placed in `unit`, signed in.
async fn placed(app: &TestApp, username: &str, role: &str, unit: &str) -> String {
    app.placed_user(username, role, json!({"unit_code": unit})).await
}

async fn csv(app: &TestApp, uri: &str, token: &str) -> Reply {
    app.call(Method::GET, uri, Some(token), None, &[("accept", "text/csv")])
        .await
}

/// A CSV answer parsed back: checks the type and byte-order mark, splits
/// lines and quoted cells.
fn parse_csv(r: &Reply) -> Vec<Vec<String>> {
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let body = r.text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    assert!(cell.is_empty() && row.is_empty(), "the last line ends with CRLF");
    rows
}

/// The rows of a JSON report.
fn buckets(r: &Reply) -> Vec<Value> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["buckets"].as_array().expect("buckets").clone()
}
