//! The monthly account of planned outages per unit, as JSON or CSV.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::planned_outages;
use hotline_domain::planned_outage::report::MonthRow;

use crate::dto::planned_outages::{PlannedOutageReport, PlannedOutageReportQuery, PlannedOutageReportRow};
use crate::dto::problems::{BadParameter, MayNotReadReports};
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Auth};
use crate::render::csv::{CsvWriter, text};
use crate::routes::reports::{csv_asked, period};
use crate::state::AppState;

/// Planned outages per unit (of the caller's subtree) and local month of
/// their start, for windows starting in [from, to): how many were
/// published, on time (at least 5 days ahead) or late (with the reasons),
/// cancelled, and postponed; and the outage work orders opened in the month,
/// split into those reported under announced planned work (the customers
/// had been told) and unannounced ones. `Accept: text/csv` or `?format=csv` answers
/// CSV, the late notices as `code: reason` joined by ` | `.
#[utoipa::path(
    get, path = "/api/v1/reports/planned-outages", tag = "reports",
    params(PlannedOutageReportQuery),
    responses(
        (status = 200, description = "The rows, by unit then month", content(
            (PlannedOutageReport = "application/json"),
            (String = "text/csv", example = "\u{feff}unit_code,month,notices,published,on_time,late,cancelled,postponed,outages_announced,outages_unannounced,late_notices\r\nPB98,2026-12,3,3,2,1,1,1,4,17,KH-26-000002: Cây đổ vào đường dây\r\n"),
        )),
        BadParameter,
        MayNotReadReports,
    ),
    security(("bearer" = []))
)]
pub(super) async fn planned_outage_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<PlannedOutageReportQuery>,
) -> ApiResult<Response> {
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let csv = csv_asked(q.format.as_deref(), &headers)?;
    let rows = planned_outages::report(&st.app, &auth.0, from, to).await?;
    if csv {
        return Ok(render(&rows));
    }
    Ok(Json(PlannedOutageReport {
        from,
        to,
        rows: rows.iter().map(PlannedOutageReportRow::from).collect(),
    })
    .into_response())
}

fn render(rows: &[MonthRow]) -> Response {
    let mut w = CsvWriter::new();
    w.row(&[
        "unit_code",
        "month",
        "notices",
        "published",
        "on_time",
        "late",
        "cancelled",
        "postponed",
        "outages_announced",
        "outages_unannounced",
        "late_notices",
    ]);
    for r in rows {
        let late: Vec<String> = r
            .late_notices
            .iter()
            .map(|l| format!("{}: {}", l.code, l.reason.as_deref().unwrap_or("")))
            .collect();
        w.row(&[
            r.unit_code.to_string(),
            r.month.clone(),
            r.notices.to_string(),
            r.published.to_string(),
            r.on_time.to_string(),
            r.late.to_string(),
            r.cancelled.to_string(),
            r.postponed.to_string(),
            r.outages_announced.to_string(),
            r.outages_unannounced.to_string(),
            text(&late.join(" | ")),
        ]);
    }
    crate::render::csv::respond(w.finish(), "planned-outages", false)
}
