//! The log of reads of personal data: noting a read (the screen-pop, the
//! customer page, searches, subject access) and listing them.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use hotline_app::privacy::reads::{self, Read};
use hotline_domain::customer_code;
use hotline_domain::personal_read::ReadFilter;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::principal::Principal;
use hotline_domain::time::{RangeEnd, parse_instant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::cursor;
use crate::dto::privacy::{PersonalReadPage, PersonalReadView, ReadsQuery};
use crate::dto::problems::{InvalidFilter, SupervisorsAndAdmins, Unavailable};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Auth};
use crate::render::csv::{self, CsvWriter, text};
use crate::routes::paging;
use crate::routes::reports::wants_csv;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_reads))
}

/// The request's `x-request-id` (set for every request on the way in).
pub struct RequestId(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok());
        Ok(RequestId(id.map(str::to_string)))
    }
}

/// Notes a read; a read that could not be queued fails the request (an
/// unaudited read of personal data is not served).
pub async fn noted(st: &AppState, who: &Principal, read: Read<'_>) -> ApiResult<()> {
    Ok(reads::note(&st.app, who, read).await?)
}

/// A phone number written any usual way, in E.164; 400 naming `param`.
pub fn number_param(param: &str, raw: Option<&str>) -> ApiResult<Option<String>> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => match PhoneNumber::parse(r) {
            Ok(Some(n)) => Ok(Some(n.as_str().to_string())),
            Ok(None) => Err(ApiError::invalid_parameter(param, "is not a phone number")),
            Err(e) => Err(ApiError::invalid_parameter(param, e.to_string())),
        },
    }
}

fn instant(param: &str, raw: Option<&str>, end: RangeEnd) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| parse_instant(r, end).map_err(|m| ApiError::invalid_parameter(param, m)))
        .transpose()
}

fn as_csv(items: &[PersonalReadView]) -> Response {
    let mut w = CsvWriter::new();
    w.row(&[
        "id",
        "read_at",
        "actor",
        "endpoint",
        "customer_code",
        "number",
        "request_id",
    ]);
    for r in items {
        w.row(&[
            r.id.to_string(),
            r.at.to_rfc3339(),
            text(&r.actor),
            r.endpoint.clone(),
            r.customer_code.clone().unwrap_or_default(),
            r.number.clone().unwrap_or_default(),
            r.request_id.clone().unwrap_or_default(),
        ]);
    }
    csv::respond(w.finish(), "personal-data-reads", true)
}

/// Who read which customer's or number's data, newest first (admins and
/// supervisors). A supervisor sees the reads of their unit's subtree's
/// customers and those made by their subtree's staff. Filters:
/// `customer_code`, `number` (any usual way), `actor`, `from`/`to`.
/// `Accept: text/csv` answers the page as CSV.
#[utoipa::path(
    get, path = "/api/v1/privacy/reads", tag = "privacy",
    params(ReadsQuery),
    responses(
        (status = 200, description = "A page of reads, newest first", content(
            (PersonalReadPage = "application/json"),
            (String = "text/csv", example = "\u{feff}id,read_at,actor,endpoint,customer_code,number,request_id\r\n"),
        )),
        InvalidFilter,
        SupervisorsAndAdmins,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_reads(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ReadsQuery>,
) -> ApiResult<Response> {
    reads::may_list(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let customer_code = q
        .customer_code
        .as_deref()
        .map(|raw| customer_code::normalize(raw).map_err(|m| ApiError::invalid_parameter("customer_code", m)))
        .transpose()?;
    let filter = ReadFilter {
        customer_code: customer_code.map(|c| c.to_string()),
        number: number_param("number", q.number.as_deref())?,
        actor: q.actor.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()),
        from: instant("from", q.from.as_deref(), RangeEnd::Start)?,
        to: instant("to", q.to.as_deref(), RangeEnd::End)?,
        scope: None,
    };
    let page = reads::list(&st.app, &auth.0, filter, after, limit).await?;
    let items: Vec<PersonalReadView> = page.items.iter().map(PersonalReadView::from).collect();
    // `no-store`, as on every answer under /api: the edge's headers layer.
    Ok(if wants_csv(&headers) {
        as_csv(&items)
    } else {
        axum::Json(PersonalReadPage {
            items,
            next_cursor: page.next.map(cursor::encode),
        })
        .into_response()
    })
}
