//! Complaints' facts and compliments: recording them on a work order, and
//! the complaints report (JSON or CSV).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hotline_app::complaints;
use hotline_domain::complaint::report::ComplaintReport;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::complaints::{ComplaintReportQuery, ComplaintReportView, FactsBody};
use crate::dto::params::{IfMatchHeader, WorkOrderKeyParam};
use crate::dto::problems::{
    BadParameter, MalformedBodyOrIfMatch, MayNotReadReports, NoSuchWorkOrderForYou, VersionedEdit,
};
use crate::dto::work_orders::WorkOrderView;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Auth, Change};
use crate::render::csv::{CsvWriter, text};
use crate::routes::reports::{csv_asked, period};
use crate::routes::work_orders::respond;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_facts))
        .routes(routes!(complaint_report))
}

/// Record the facts of a complaint or compliment (replacing any recorded):
/// the meter and the disputed reading or bill with the outcome; the
/// voltage measured, the transformer station and the damage claim; for a
/// staff-conduct complaint (supervisors and admins only) whom it concerns,
/// the verification, the answer given and its date, the action taken; whom
/// a compliment is for.
///
/// The fields of another category, and an outcome of another category, are
/// 422, named (`facts.outcome`). Send `If-Match` with the work order's
/// ETag: the work order moves one version on, with a `facts_changed`
/// history line and a `work_order.facts_changed` event.
#[utoipa::path(
    put, path = "/api/v1/work-orders/{id}/facts", tag = "work-orders",
    params(WorkOrderKeyParam, IfMatchHeader),
    request_body = FactsBody,
    responses(
        (status = 200, description = "Recorded: the work order with its `facts`", body = WorkOrderView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        (status = 403, description = "The role may not record complaint facts", body = Problem, content_type = "application/problem+json"),
        NoSuchWorkOrderForYou,
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn put_facts(State(st): State<AppState>, auth: Auth, change: Change<String, FactsBody>) -> ApiResult<Response> {
    let input = change.body.into();
    let wo = complaints::record(&st.app, &auth.0, &change.key, change.expected, &input).await?;
    respond(&st, StatusCode::OK, &wo).await
}

/// Complaints and compliments opened in [from, to) in the caller's units:
/// metering and billing outcomes (meters tested, bills adjusted with the
/// total in VND, unfounded), bill complaints settled within 24 hours,
/// voltage damage claims with the amounts claimed and paid and the
/// repeated complaints per area and transformer station (90 days),
/// staff-conduct complaints answered by the promised date, late, or
/// unanswered past it (supervisors and admins only), and the compliments
/// per agent, team and staff member. `Accept: text/csv` or `?format=csv`
/// answers CSV, one figure a line.
#[utoipa::path(
    get, path = "/api/v1/reports/complaints", tag = "reports",
    params(ComplaintReportQuery),
    responses(
        (status = 200, description = "The figures", content(
            (ComplaintReportView = "application/json"),
            (String = "text/csv", example = "\u{feff}section,key,figure,value\r\nmetering,,complaints,12\r\ncompliments_by_agent,lan,compliments,3\r\n"),
        )),
        BadParameter,
        MayNotReadReports,
    ),
    security(("bearer" = []))
)]
async fn complaint_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ComplaintReportQuery>,
) -> ApiResult<Response> {
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let csv = csv_asked(q.format.as_deref(), &headers)?;
    let r = complaints::report(&st.app, &auth.0, from, to).await?;
    if csv {
        return Ok(render(&r));
    }
    Ok(Json(ComplaintReportView::new(&r, from, to)).into_response())
}

/// One figure a line: `section,key,figure,value`; a name that starts like a
/// formula is prefixed with `'`.
fn render(r: &ComplaintReport) -> Response {
    let view = ComplaintReportView::new(r, chrono::DateTime::UNIX_EPOCH, chrono::DateTime::UNIX_EPOCH);
    let mut w = CsvWriter::new();
    w.row(&["section", "key", "figure", "value"]);
    let mut figures = |section: &str, key: &str, value: &serde_json::Value| {
        for (figure, v) in value.as_object().into_iter().flatten() {
            if v.is_number() {
                w.row(&[section, &text(key), figure.as_str(), &v.to_string()]);
            }
        }
    };
    figures("metering", "", &json(&view.metering));
    figures("billing", "", &json(&view.billing));
    figures("voltage_quality", "", &json(&view.voltage_quality));
    for a in &view.voltage_quality.repeated_by_area {
        figures(
            "voltage_repeated_by_area",
            &a.key,
            &serde_json::json!({ "repeated": a.repeated }),
        );
    }
    for t in &view.voltage_quality.repeated_by_transformer {
        figures(
            "voltage_repeated_by_transformer",
            &t.key,
            &serde_json::json!({ "repeated": t.repeated }),
        );
    }
    if let Some(c) = &view.staff_conduct {
        figures("staff_conduct", "", &json(c));
    }
    figures("compliments", "", &json(&view.compliments));
    for (section, list) in [
        ("compliments_by_agent", &view.compliments.by_agent),
        ("compliments_by_team", &view.compliments.by_team),
        ("compliments_by_staff", &view.compliments.by_staff),
    ] {
        for p in list {
            figures(section, &p.name, &serde_json::json!({ "compliments": p.compliments }));
        }
    }
    crate::render::csv::respond(w.finish(), "complaints", false)
}

/// A view as JSON, for writing its figures one a line.
fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}
