//! The feedback report: after-contact scores per agent, team or unit.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::surveys;
use hotline_domain::survey::{FeedbackGroup, FeedbackGrouping};

use super::results::csv_asked;
use crate::dto::problems::{BadParameter, MayNotReadReports};
use crate::dto::surveys::{FeedbackGroupView, FeedbackReportQuery, FeedbackReportView};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Auth};
use crate::render::csv::{CsvWriter, text};
use crate::routes::reports::period;
use crate::state::AppState;

/// The customers' feedback (1–5) given on work orders in `[from, to)`,
/// per `agent` (who took the work order's first linked call), `team`
/// (the work order's team when it was resolved) or `unit`: the count, the
/// mean and how many gave each score. Feedback credited to none is the
/// group `null`. Only work orders of the caller's subtree count.
/// `?format=csv` or `Accept: text/csv` answers CSV.
#[utoipa::path(
    get, path = "/api/v1/reports/feedback", tag = "reports",
    params(FeedbackReportQuery),
    responses(
        (status = 200, description = "One entry per group, by code", content(
            (FeedbackReportView = "application/json"),
            (String = "text/csv", example = "\u{feff}group_by,group,count,average,score_1,score_2,score_3,score_4,score_5\r\nagent,lan,12,4.25,0,1,1,4,6\r\n"),
        )),
        BadParameter,
        MayNotReadReports,
    ),
    security(("bearer" = []))
)]
pub(super) async fn feedback_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FeedbackReportQuery>,
) -> ApiResult<Response> {
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let by = match q.group_by.as_deref().map(str::trim) {
        None | Some("") => FeedbackGrouping::Agent,
        Some(g) => g
            .parse::<FeedbackGrouping>()
            .map_err(|m| ApiError::invalid_parameter("group_by", m))?,
    };
    let csv = csv_asked(q.format.as_deref(), &headers)?;
    let groups = surveys::feedback_report(&st.app, &auth.0, from, to, by).await?;
    if csv {
        return Ok(render(by, &groups));
    }
    Ok(Json(FeedbackReportView {
        from,
        to,
        group_by: by.as_str().into(),
        groups: groups.iter().map(FeedbackGroupView::from).collect(),
    })
    .into_response())
}

fn render(by: FeedbackGrouping, groups: &[FeedbackGroup]) -> Response {
    let mut w = CsvWriter::new();
    w.row(&[
        "group_by", "group", "count", "average", "score_1", "score_2", "score_3", "score_4", "score_5",
    ]);
    for g in groups {
        let mut cells = vec![
            by.as_str().to_string(),
            text(g.group.as_deref().unwrap_or_default()),
            g.count.to_string(),
            format!("{:.2}", g.average),
        ];
        cells.extend(g.distribution.iter().map(ToString::to_string));
        w.row(&cells);
    }
    crate::render::csv::respond(w.finish(), &format!("feedback-by-{by}"), true)
}
