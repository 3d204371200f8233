//! `GET tokens/{token}`: the request a token stands for. Every filed
//! request answers its `service_request_id` and a `token` (the work order's
//! id) at once; apps written for servers that answer only a token look the
//! id up here.

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::open311;

use super::{Format, InFormat, Open311Result, item_read, json, not_found, xml};
use crate::dto::open311::{IgnoredJurisdiction, Open311Error, Open311Token, Open311Unavailable, ReadKeyRefused};
use crate::state::AppState;

/// The service request a token stands for, as an array of one. Public by
/// default, like every read. Also at `….xml`.
#[utoipa::path(
    get, path = "/open311/v2/tokens/{token}.json", tag = "Open311",
    params(
        ("token" = String, Path, description = "The token answered when the request was filed"),
        ("api_key" = Option<String>, Query, description = "Optional: a key is checked when given (needed only when HOTLINE_OPEN311_PUBLIC_READS=false)"),
        IgnoredJurisdiction,
    ),
    responses(
        (status = 200, description = "The request's id", body = Vec<Open311Token>),
        ReadKeyRefused,
        (status = 404, description = "No request has this token", body = Vec<Open311Error>),
        Open311Unavailable,
    )
)]
pub(super) async fn get_token(
    State(st): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    req: Request,
) -> Open311Result<Response> {
    let (token, format, _) = item_read(&st, &file, query.as_deref(), req).await?;
    let found = open311::by_token(&st.app, token).await.in_format(format)?;
    let wo = found.ok_or_else(|| not_found("token: no such token", format))?;
    let (id, token) = (wo.code.to_string(), wo.id.to_string());
    match format {
        Format::Json => json(
            StatusCode::OK,
            &[Open311Token {
                service_request_id: id,
                token,
            }],
        ),
        Format::Xml => Ok(xml(StatusCode::OK, crate::render::open311_xml::token(&id, &token))),
    }
}
