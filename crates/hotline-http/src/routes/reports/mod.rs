//! Reports for dashboards: calls and work orders per local hour, day, week
//! or month, and the wallboard's "now"; JSON, or CSV for spreadsheets.

mod csv;
pub mod gauges;
mod period;

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use hotline_app::reports::{self, ReportError};
use hotline_domain::report::{self as report_model, BucketSize, CallGroup, Span, SpanError, WorkOrderGroup};
use hotline_domain::time::{RangeEnd, parse_instant};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::problems::{MayNotReadReports, SeriesReportRefusals, Unavailable};
use crate::dto::reports::{
    CallReport, CallReportQuery as CallParams, CallReportRow, LiveReport, WorkOrderReport,
    WorkOrderReportQuery as WorkOrderParams, WorkOrderReportRow,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Auth};
use crate::state::AppState;
pub(crate) use period::{csv_asked, period};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(call_report))
        .routes(routes!(work_order_report))
        .routes(routes!(live_report))
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Parameter { field, message } => ApiError::invalid_parameter(field, message),
            ReportError::Domain(e) => e.into(),
        }
    }
}

/// The buckets of `[from, to)`, each parameter checked by name.
fn buckets(from: Option<&str>, to: Option<&str>, bucket: Option<&str>) -> ApiResult<Vec<Span>> {
    let instant = |field: &str, raw: Option<&str>, end| {
        let raw = raw.ok_or_else(|| ApiError::invalid_parameter(field, "is required"))?;
        parse_instant(raw, end).map_err(|m| ApiError::invalid_parameter(field, m))
    };
    let from = instant("from", from, RangeEnd::Start)?;
    let to = instant("to", to, RangeEnd::End)?;
    let size = match bucket {
        None => BucketSize::Day,
        Some(b) => b
            .trim()
            .parse::<BucketSize>()
            .map_err(|m| ApiError::invalid_parameter("bucket", m))?,
    };
    report_model::spans(from, to, size).map_err(|e| match e {
        SpanError::Empty => ApiError::invalid_parameter("to", e.to_string()),
        SpanError::TooMany { .. } => ApiError::invalid_parameter("bucket", e.to_string()),
    })
}

/// The buckets of `[from, to)` and the grouping a series report asks for.
fn asked<G: std::str::FromStr<Err = String>>(
    from: Option<&str>,
    to: Option<&str>,
    bucket: Option<&str>,
    group_by: Option<&str>,
) -> ApiResult<(Vec<Span>, Option<G>)> {
    let spans = buckets(from, to, bucket)?;
    let group = group_by
        .map(|g| {
            g.trim()
                .parse::<G>()
                .map_err(|m| ApiError::invalid_parameter("group_by", m))
        })
        .transpose()?;
    Ok((spans, group))
}

/// The report as CSV when the client asked for it, as JSON otherwise.
pub(crate) fn answer<T: Serialize>(
    headers: &HeaderMap,
    csv: impl FnOnce() -> Response,
    json: impl FnOnce() -> T,
) -> Response {
    if wants_csv(headers) {
        csv()
    } else {
        axum::Json(json()).into_response()
    }
}

/// Whether the client asked for CSV (`Accept: text/csv`).
pub(crate) fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            range
                .split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"))
        })
}

/// Calls per local hour, day, week or month: offered, answered, missed,
/// abandoned, answer rate, average and 90th-percentile wait, average talk
/// time and service level.
///
/// Inbound calls count, in the bucket where they started ringing. `offered`
/// is every inbound call but those refused because the caller's number is
/// blocked, which are counted apart as `blocked`; `answered` those with `answered_at`; `abandoned`
/// those ended unanswered with outcome `abandoned`; `missed` the other ended
/// unanswered ones (a call still ringing is only offered). The wait is ring
/// to answer, or to hang-up when unanswered, in whole seconds. `answer_rate`
/// = answered ÷ offered; `service_level` = answered within
/// `service_level_seconds` ÷ offered. Rates and averages of nothing are null;
/// empty buckets are listed with zero counts.
///
/// A user placed in a unit counts the calls of customers in that unit's
/// subtree (a call's unit and area are its customer's). `Accept: text/csv`
/// answers CSV (UTF-8 with a byte-order mark, a header row, one line per
/// bucket and group).
#[utoipa::path(
    get, path = "/api/v1/reports/calls", tag = "reports",
    params(CallParams),
    responses(
        (status = 200, description = "The series", content(
            (CallReport = "application/json"),
            (String = "text/csv", example = "\u{feff}start,end,offered,answered,missed,abandoned,answer_rate,avg_wait_seconds,p90_wait_seconds,avg_talk_seconds,service_level,blocked\r\n2026-11-20T00:00:00+07:00,2026-11-21T00:00:00+07:00,4,3,1,0,0.75,21.5,40,180,0.5,0\r\n"),
        )),
        SeriesReportRefusals,
    ),
    security(("bearer" = []))
)]
async fn call_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CallParams>,
) -> ApiResult<Response> {
    reports::may_read(&auth.0)?;
    let (spans, group): (_, Option<CallGroup>) = asked(
        q.from.as_deref(),
        q.to.as_deref(),
        q.bucket.as_deref(),
        q.group_by.as_deref(),
    )?;
    let threshold = q.service_level_seconds.unwrap_or(st.config.service_level_seconds);
    let series = reports::calls(&st.app, &auth.0, spans, group, threshold).await?;
    Ok(answer(
        &headers,
        || csv::calls(&series, group.map(|g| g.as_str())),
        || CallReport {
            buckets: series
                .rows
                .iter()
                .map(|r| CallReportRow::new(series.grouped, r))
                .collect(),
            service_level_seconds: threshold,
        },
    ))
}

/// Work orders per local hour, day, week or month: opened, resolved,
/// backlog at the end of each bucket, share meeting the response and
/// resolution deadlines, median time to resolve, average feedback.
///
/// `opened`: created in the bucket; `resolved`: resolved in it; `backlog`:
/// opened before its end and not resolved, closed or cancelled by then.
/// `response_met_rate`: of those acknowledged in the bucket with a response
/// deadline, the share acknowledged by it; `resolution_met_rate`: likewise
/// for those resolved in it. `median_resolve_seconds`: opening to resolution
/// of those resolved in the bucket. `avg_feedback`: the mean score of
/// feedback given in the bucket. Grouped by the work order's current
/// category, unit, team or area.
///
/// Scoped like the work-order list (a unit's subtree plus work orders not
/// placed yet); staff-conduct complaints count only for supervisors and
/// admins. `Accept: text/csv` answers CSV.
#[utoipa::path(
    get, path = "/api/v1/reports/work-orders", tag = "reports",
    params(WorkOrderParams),
    responses(
        (status = 200, description = "The series", content(
            (WorkOrderReport = "application/json"),
            (String = "text/csv", example = "\u{feff}start,end,opened,resolved,backlog,response_met_rate,resolution_met_rate,median_resolve_seconds,avg_feedback\r\n2026-11-20T00:00:00+07:00,2026-11-21T00:00:00+07:00,5,3,12,1,0.6667,5400,4.5\r\n"),
        )),
        SeriesReportRefusals,
    ),
    security(("bearer" = []))
)]
async fn work_order_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<WorkOrderParams>,
) -> ApiResult<Response> {
    reports::may_read(&auth.0)?;
    let (spans, group): (_, Option<WorkOrderGroup>) = asked(
        q.from.as_deref(),
        q.to.as_deref(),
        q.bucket.as_deref(),
        q.group_by.as_deref(),
    )?;
    let series = reports::work_orders(&st.app, &auth.0, spans, group).await?;
    Ok(answer(
        &headers,
        || csv::work_orders(&series, group.map(|g| g.as_str())),
        || WorkOrderReport {
            buckets: series
                .rows
                .iter()
                .map(|r| WorkOrderReportRow::new(series.grouped, r))
                .collect(),
        },
    ))
}

/// The wallboard now: calls ringing and in progress, the longest current
/// wait, today's (local day) answered and missed calls, open work orders by
/// status and team, those overdue or due within the hour, active incidents,
/// open and overdue callbacks.
///
/// Calls ringing or talking for more than six hours are taken for lost
/// hang-ups and left out. Scoped like the other reports (incidents are
/// area-wide and counted for everyone). `Accept: text/csv` answers CSV
/// lines `section,key,value`.
#[utoipa::path(
    get, path = "/api/v1/reports/live", tag = "reports",
    responses(
        (status = 200, description = "The wallboard", content(
            (LiveReport = "application/json"),
            (String = "text/csv", example = "\u{feff}section,key,value\r\ncalls,ringing,2\r\nwork_orders_by_status,new,4\r\n"),
        )),
        MayNotReadReports,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn live_report(State(st): State<AppState>, auth: Auth, headers: HeaderMap) -> ApiResult<Response> {
    let board = reports::live(&st.app, &auth.0).await?;
    let view = LiveReport::new(board.now, &board.live, board.callbacks);
    Ok(answer(&headers, || csv::live(&view), || &view))
}

#[cfg(test)]
mod tests {
    use super::wants_csv;
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn csv_when_asked() {
        let mut h = HeaderMap::new();
        assert!(!wants_csv(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json, text/CSV;q=0.9"),
        );
        assert!(wants_csv(&h));
        h.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
        assert!(!wants_csv(&h));
    }
}
