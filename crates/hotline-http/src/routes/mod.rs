//! One file per resource; each exposes `router()` for the OpenAPI router.

pub mod api_keys;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod blocked;
pub mod calendars;
pub mod call_topics;
pub mod callbacks;
pub mod calls;
pub mod complaints;
pub mod cti;
pub mod customers;
pub mod incidents;
pub mod new_supply;
pub mod open311;
pub mod ops;
pub mod org;
pub mod planned_outages;
pub mod privacy;
pub mod reports;
pub mod routing;
pub mod sla;
pub mod stream;
pub mod surveys;
pub mod threecx;
pub mod users;
pub mod webhooks;
pub mod work_orders;

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotline_domain::Code;
use hotline_domain::page::{self, Position};
use serde::Serialize;

use crate::dto::cursor;
use crate::error::{ApiError, ApiResult};
use crate::idempotent::json_response;

/// An optional code in the query (`?customer_code=`, `?code=`): normalised,
/// absent when empty, 400 naming `field` when malformed.
pub(crate) fn code_query<C: Code>(field: &str, raw: Option<&str>) -> ApiResult<Option<C>> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|r| C::parse(r).map_err(|m| ApiError::invalid_parameter(field, m)))
        .transpose()
}

/// Reads `limit` and `cursor` the same way for every list.
pub fn paging(limit: Option<i32>, cursor_raw: Option<&str>) -> Result<(u64, Option<Position>), ApiError> {
    let requested = limit.map(|l| u64::try_from(l).unwrap_or(0));
    let limit = page::limit(requested).map_err(|m| ApiError::invalid_parameter("limit", m))?;
    Ok((limit, cursor::decode(cursor_raw)?))
}

/// A versioned resource's view as JSON, with its ETag (and its address
/// when given).
pub(crate) fn versioned<T: Serialize>(
    status: StatusCode,
    body: &T,
    location: Option<&str>,
    version: i64,
) -> ApiResult<Response> {
    let text = serde_json::to_string(body).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(json_response(status, text, location, Some(version)))
}

/// 201 with the new resource's address and its view (no ETag: what it
/// created has no version).
pub(crate) fn created<T: Serialize>(location: String, view: T) -> Response {
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(view)).into_response()
}

/// The address to answer with: only a 201 names what it created.
pub(crate) fn created_at(status: StatusCode, location: &str) -> Option<&str> {
    (status == StatusCode::CREATED).then_some(location)
}
pub mod accounts;
