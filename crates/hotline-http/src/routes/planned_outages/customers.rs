//! The customers to tell of a notice: a JSON page, or every one as CSV for
//! the people who phone or text them.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::planned_outages;
use hotline_domain::planned_outage::{PlannedOutage, Recipient};
use uuid::Uuid;

use crate::dto::page::Page;
use crate::dto::planned_outages::{RecipientPage, RecipientQuery};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::render::csv::{CsvWriter, text};
use crate::routes::paging;
use crate::routes::reports::csv_asked;
use crate::state::AppState;

/// The customers to tell of a notice: those it lists, else the directory's
/// customers in its areas and everything below them, with their phones.
/// `Accept: text/csv` or `?format=csv` answers every one as CSV (UTF-8
/// with a byte-order mark, as the reports).
#[utoipa::path(
    get, path = "/api/v1/planned-outages/{id}/customers", tag = "planned-outages",
    params(("id" = Uuid, Path, description = "The notice's id"), RecipientQuery),
    responses(
        (status = 200, description = "A page of customers, or all of them as CSV", content(
            (RecipientPage = "application/json"),
            (String = "text/csv", example = "\u{feff}notice,starts_at,expected_end_at,customer_code,name,phones,area_code\r\nKH-26-000012,2026-12-20T07:00:00+07:00,2026-12-20T15:00:00+07:00,PB12000000001,Nguyễn Văn An,+84912345678,CM01\r\n"),
        )),
        (status = 400, description = "Malformed id or parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read planned outages", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn customers(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<RecipientQuery>,
) -> ApiResult<Response> {
    let csv = csv_asked(q.format.as_deref(), &headers)?;
    if csv {
        let (notice, all) = planned_outages::export(&st.app, &auth.0, id).await?;
        return Ok(render(&notice, &all));
    }
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let page = planned_outages::recipients(&st.app, &auth.0, id, after, limit).await?;
    let body: RecipientPage = Page::keyset(&page);
    Ok(Json(body).into_response())
}

fn render(notice: &PlannedOutage, all: &[Recipient]) -> Response {
    let local = |t| crate::dto::reports::local(t).to_rfc3339();
    let mut w = CsvWriter::new();
    w.row(&[
        "notice",
        "starts_at",
        "expected_end_at",
        "customer_code",
        "name",
        "phones",
        "area_code",
    ]);
    for r in all {
        w.row(&[
            notice.code.clone(),
            local(notice.starts_at),
            local(notice.expected_end_at),
            r.customer_code.to_string(),
            text(&r.name),
            r.phones.join(" "),
            r.area_code.as_ref().map(ToString::to_string).unwrap_or_default(),
        ]);
    }
    crate::render::csv::respond(w.finish(), &format!("{}-customers", notice.code), true)
}
