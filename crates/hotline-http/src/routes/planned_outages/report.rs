//! The monthly account of planned outages per unit.

use axum::Json;
use axum::extract::State;
use hotline_app::planned_outages;
use hotline_domain::time::RangeEnd;

use super::instant;
use crate::dto::planned_outages::{PlannedOutageReport, PlannedOutageReportQuery, PlannedOutageReportRow};
use crate::dto::problems::{BadParameter, MayNotReadReports};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Auth};
use crate::state::AppState;

/// Planned outages per unit (of the caller's subtree) and local month of
/// their start, for windows starting in [from, to): how many were
/// published, on time (at least 5 days ahead) or late (with the reasons),
/// cancelled, and postponed.
#[utoipa::path(
    get, path = "/api/v1/reports/planned-outages", tag = "reports",
    params(PlannedOutageReportQuery),
    responses(
        (status = 200, description = "The rows, by unit then month", body = PlannedOutageReport),
        BadParameter,
        MayNotReadReports,
    ),
    security(("bearer" = []))
)]
pub(super) async fn report(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PlannedOutageReportQuery>,
) -> ApiResult<Json<PlannedOutageReport>> {
    let required = |field: &str, raw: Option<&str>, end| -> ApiResult<chrono::DateTime<chrono::Utc>> {
        instant(field, raw, end)?.ok_or_else(|| ApiError::invalid_parameter(field, "is required"))
    };
    let from = required("from", q.from.as_deref(), RangeEnd::Start)?;
    let to = required("to", q.to.as_deref(), RangeEnd::End)?;
    if to <= from {
        return Err(ApiError::invalid_parameter("to", "must be after from"));
    }
    let rows = planned_outages::report(&st.app, &auth.0, from, to).await?;
    Ok(Json(PlannedOutageReport {
        from,
        to,
        rows: rows.iter().map(PlannedOutageReportRow::from).collect(),
    }))
}
