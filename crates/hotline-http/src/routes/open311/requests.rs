//! Service requests read back: the list and one request. Reading needs no
//! key by default, and shows only requests filed through Open311 (never a
//! staff-conduct complaint), as the public sees them
//! ([`hotline_app::open311`]); here the query is read and the requests
//! written as JSON or XML.

use axum::extract::{FromRequestParts, Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hotline_app::open311::{self, RequestQuery};
use hotline_domain::open311::catalogue;
use hotline_domain::open311::request::{self, RequestStatus};
use hotline_domain::time::{RangeEnd, parse_instant};
use hotline_domain::work_order::WorkOrder;

use super::{Format, InFormat, Open311Result, Reader, item_read, json, not_found, reader, xml};
use crate::dto::open311::{
    IgnoredJurisdiction, Open311Error, Open311ListQuery, Open311Request, Open311Unavailable, ReadKeyRefused,
};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Requests filed through Open311: newest first, at most 1000, by default
/// those of the last 90 days. Public by default (no key); a key, when
/// given, is checked. Shows no reporter's details, and anonymous readers
/// see phone numbers and e-mail addresses in descriptions masked. Also at
/// `requests.xml`.
#[utoipa::path(
    get, path = "/open311/v2/requests.json", tag = "Open311",
    params(Open311ListQuery),
    responses(
        (status = 200, description = "The requests", body = Vec<Open311Request>),
        (status = 400, description = "Invalid filter, named", body = Vec<Open311Error>),
        ReadKeyRefused,
        Open311Unavailable,
    )
)]
pub(super) async fn list_requests(State(st): State<AppState>, req: Request) -> Open311Result<Response> {
    list(st, req, Format::Json).await
}

/// The requests in XML (`<service_requests><request>…`). As
/// `requests.json` otherwise.
#[utoipa::path(
    get, path = "/open311/v2/requests.xml", tag = "Open311",
    params(Open311ListQuery),
    responses(
        (status = 200, description = "`<service_requests>`", body = String, content_type = "text/xml"),
        (status = 400, description = "Invalid filter: `<errors><error><code>400</code>…`", body = String, content_type = "text/xml"),
        (status = 401, description = "An unknown or revoked key (or none where reads need one)", body = String, content_type = "text/xml"),
    )
)]
pub(super) async fn list_requests_xml(State(st): State<AppState>, req: Request) -> Open311Result<Response> {
    list(st, req, Format::Xml).await
}

async fn list(st: AppState, req: Request, format: Format) -> Open311Result<Response> {
    let (mut parts, _) = req.into_parts();
    let ApiQuery(q) = ApiQuery::<Open311ListQuery>::from_request_parts(&mut parts, &st)
        .await
        .in_format(format)?;
    let who = reader(&st, &mut parts, q.api_key.as_deref()).await.in_format(format)?;
    let found = match q.service_request_id.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(ids) => open311::by_ids(&st.app, ids).await.in_format(format)?,
        None => {
            let query = list_query(&q).in_format(format)?;
            open311::list(&st.app, &query).await.in_format(format)?
        }
    };
    respond(&st, &found, &who, format).await
}

/// The requests in `format`, as `who` may see them.
async fn respond(st: &AppState, found: &[WorkOrder], who: &Reader, format: Format) -> Open311Result<Response> {
    let reader = match who {
        Reader::Anonymous => None,
        Reader::Known(p) => Some(p),
    };
    let list = open311::service_requests(&st.app, found, reader)
        .await
        .in_format(format)?;
    match format {
        Format::Json => {
            let body: Vec<Open311Request> = list.into_iter().map(Into::into).collect();
            json(StatusCode::OK, &body)
        }
        Format::Xml => Ok(xml(StatusCode::OK, crate::render::open311_xml::requests(&list)).into_response()),
    }
}

/// The services asked for: one code or several, comma-separated (as the
/// spec allows); none is all.
fn services_asked(raw: Option<&str>) -> Result<Vec<&'static catalogue::Service>, ApiError> {
    let mut out: Vec<&'static catalogue::Service> = Vec::new();
    for code in raw.unwrap_or("").split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let service = catalogue::find(code).ok_or_else(|| {
            ApiError::invalid_parameter(
                "service_code",
                format!("unknown service code '{}'", code.chars().take(40).collect::<String>()),
            )
        })?;
        if !out.contains(&service) {
            out.push(service);
        }
    }
    Ok(out)
}

/// The list the query asks for: the services' categories, the states and
/// the window (checked here; its default is the use case's).
fn list_query(q: &Open311ListQuery) -> Result<RequestQuery, ApiError> {
    let categories = services_asked(q.service_code.as_deref())?
        .into_iter()
        .map(|s| s.category)
        .collect();
    let mut statuses = Vec::new();
    for raw in q
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let which = RequestStatus::parse(&raw.to_ascii_lowercase())
            .ok_or_else(|| ApiError::invalid_parameter("status", "must be open or closed"))?;
        statuses.extend(request::statuses(which));
    }
    let instant = |name: &str, raw: &Option<String>, end: RangeEnd| -> Result<Option<DateTime<Utc>>, ApiError> {
        raw.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_instant(s, end).map_err(|m| ApiError::invalid_parameter(name, m)))
            .transpose()
    };
    let before = instant("end_date", &q.end_date, RangeEnd::End)?;
    let from = instant("start_date", &q.start_date, RangeEnd::Start)?;
    if let (Some(s), Some(e)) = (from, before)
        && s >= e
    {
        return Err(ApiError::invalid_parameter("end_date", "must be after start_date"));
    }
    Ok(RequestQuery {
        categories,
        statuses,
        from,
        before,
    })
}

/// One request, as an array of one (as the spec has it). Public by
/// default, like the list. Also at `….xml`.
#[utoipa::path(
    get, path = "/open311/v2/requests/{service_request_id}.json", tag = "Open311",
    params(
        ("service_request_id" = String, Path, description = "The id the request was filed under", example = "CM-26-000042"),
        ("api_key" = Option<String>, Query, description = "Optional: checked when given; needed only where reads need a key"),
        IgnoredJurisdiction,
    ),
    responses(
        (status = 200, description = "The request", body = Vec<Open311Request>),
        ReadKeyRefused,
        (status = 404, description = "No request with this id was filed through Open311", body = Vec<Open311Error>),
        Open311Unavailable,
    )
)]
pub(super) async fn get_request(
    State(st): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    req: Request,
) -> Open311Result<Response> {
    let (id, format, who) = item_read(&st, &file, query.as_deref(), req).await?;
    let wo = open311::by_id(&st.app, id)
        .await
        .in_format(format)?
        .ok_or_else(|| not_found("service_request_id: no such request", format))?;
    respond(&st, std::slice::from_ref(&wo), &who, format).await
}
