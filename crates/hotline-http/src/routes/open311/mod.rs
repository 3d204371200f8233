//! Open311 GeoReport v2 for citizen and city apps: the service list, a
//! request filed as a work order, and requests read back. JSON at `.json`,
//! the spec's XML at `.xml`; errors in the Open311 form
//! (`[{"code", "description"}]`), never problem+json ([`errors`] re-dresses
//! those made outside the handlers).
//!
//! The routes end in a format suffix, which axum cannot match after a path
//! parameter: `{file}` takes `outage.json` whole and [`split_format`] reads
//! it. They are added as plain routes and documented through [`Open311Api`].

mod discovery;
mod docs;
pub mod errors;
mod fields;
mod filing;
mod requests;
mod services;
mod tokens;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hotline_domain::principal::Principal;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::dto::open311::Open311Error;
use crate::error::ApiError;
use crate::extract::Auth;
use crate::state::AppState;
use docs::PublicReads;

#[derive(OpenApi)]
#[openapi(
    paths(
        discovery::discovery_json,
        discovery::discovery_xml,
        services::list_services,
        services::list_services_xml,
        services::service_definition,
        docs::service_definition_xml,
        requests::list_requests,
        requests::list_requests_xml,
        filing::create_request,
        filing::create_request_xml,
        requests::get_request,
        docs::get_request_xml,
        tokens::get_token,
        docs::get_token_xml,
    ),
    modifiers(&PublicReads)
)]
struct Open311Api;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(Open311Api::openapi())
        .route("/open311/discovery.json", get(discovery::discovery_json))
        .route("/open311/discovery.xml", get(discovery::discovery_xml))
        .route("/open311/v2/services.json", get(services::list_services))
        .route("/open311/v2/services.xml", get(services::list_services_xml))
        .route("/open311/v2/services/{file}", get(services::service_definition))
        .route(
            "/open311/v2/requests.json",
            get(requests::list_requests).post(filing::create_request),
        )
        .route(
            "/open311/v2/requests.xml",
            get(requests::list_requests_xml).post(filing::create_request_xml),
        )
        .route("/open311/v2/requests/{file}", get(requests::get_request))
        .route("/open311/v2/tokens/{file}", get(tokens::get_token))
}

/// The representation a route answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// `outage.json` → (`outage`, JSON); None without a known suffix.
pub fn split_format(file: &str) -> Option<(&str, Format)> {
    if let Some(name) = file.strip_suffix(".json") {
        Some((name, Format::Json))
    } else {
        file.strip_suffix(".xml").map(|name| (name, Format::Xml))
    }
}

/// An Open311 error: any of our errors, re-dressed. Validation failures
/// are 400 as the spec has it, one entry per field (`lat: is not a
/// number`); headers (WWW-Authenticate, Retry-After) and the log-only
/// detail of a server error are kept.
pub struct Open311Failure {
    pub error: ApiError,
    pub format: Format,
}

impl Open311Failure {
    pub fn json(error: ApiError) -> Self {
        Open311Failure {
            error,
            format: Format::Json,
        }
    }
}

pub type Open311Result<T> = Result<T, Open311Failure>;

/// Tags an error with the format to answer it in.
pub trait InFormat<T> {
    fn in_format(self, format: Format) -> Open311Result<T>;
}

impl<T, E: Into<ApiError>> InFormat<T> for Result<T, E> {
    fn in_format(self, format: Format) -> Open311Result<T> {
        self.map_err(|e| Open311Failure {
            error: e.into(),
            format,
        })
    }
}

impl IntoResponse for Open311Failure {
    fn into_response(self) -> Response {
        let p = self.error.problem();
        let status = if p.status == 422 { 400 } else { p.status };
        let list: Vec<(u16, String)> = if p.errors.is_empty() || p.status >= 500 {
            vec![(status, p.detail)]
        } else {
            p.errors
                .into_iter()
                .map(|f| (status, format!("{}: {}", f.field, f.message)))
                .collect()
        };
        let mut res = self.error.into_response();
        *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        dress(&mut res, &list, self.format);
        res
    }
}

/// Gives a response the Open311 error list as its body, in `format`.
/// The error list an Open311 answer carries, kept beside its body so the
/// way out can put it into the caller's language.
#[derive(Debug, Clone)]
pub(crate) struct Open311List {
    pub list: Vec<(u16, String)>,
    pub format: Format,
}

pub(crate) fn dress(res: &mut Response, list: &[(u16, String)], format: Format) {
    let (content_type, body) = match format {
        Format::Json => {
            let items: Vec<Open311Error> = list
                .iter()
                .map(|(code, description)| Open311Error {
                    code: *code,
                    description: description.clone(),
                })
                .collect();
            (JSON, serde_json::to_vec(&items).unwrap_or_default())
        }
        Format::Xml => (XML, crate::render::open311_xml::errors(list).into_bytes()),
    };
    res.headers_mut().remove(header::CONTENT_LENGTH);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    *res.body_mut() = Body::from(body);
    res.extensions_mut().insert(Open311List {
        list: list.to_vec(),
        format,
    });
}

const JSON: &str = "application/json; charset=utf-8";
const XML: &str = "text/xml; charset=utf-8";

/// A JSON answer.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Open311Result<Response> {
    let bytes = serde_json::to_vec(body).map_err(|e| Open311Failure::json(ApiError::internal(e.to_string())))?;
    Ok((status, [(header::CONTENT_TYPE, JSON)], bytes).into_response())
}

/// An XML answer.
pub fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, XML)], body).into_response()
}

/// A path whose suffix is neither `.json` nor `.xml`.
pub fn unknown_format() -> Open311Failure {
    not_found("no such resource: add .json or .xml", Format::Json)
}

/// A 404 for what the path names (`token: no such token`), in `format`.
pub fn not_found(detail: impl Into<String>, format: Format) -> Open311Failure {
    Open311Failure {
        error: ApiError::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail),
        format,
    }
}

/// A read of one item by its path (`{name}.json` or `.xml`): the name, the
/// format, and who reads (the query's `api_key` checked when given).
pub async fn item_read<'a>(
    st: &AppState,
    file: &'a str,
    query: Option<&str>,
    req: Request,
) -> Open311Result<(&'a str, Format, Reader)> {
    let (name, format) = split_format(file).ok_or_else(unknown_format)?;
    let (mut parts, _) = req.into_parts();
    let key = fields::query_field(query, "api_key");
    let who = reader(st, &mut parts, key.as_deref()).await.in_format(format)?;
    Ok((name, format, who))
}

/// Who reads: anyone, when reads are public and no credentials came.
pub enum Reader {
    Anonymous,
    Known(Principal),
}

/// The reader. Credentials that come are checked (a bad key is 401 even
/// where reads are public); none is fine where reads are public
/// (`HOTLINE_OPEN311_PUBLIC_READS`, the default), else 401.
pub async fn reader(
    st: &AppState,
    parts: &mut axum::http::request::Parts,
    key: Option<&str>,
) -> Result<Reader, ApiError> {
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    if st.config.open311_public_reads && key.is_none() && !parts.headers.contains_key(header::AUTHORIZATION) {
        return Ok(Reader::Anonymous);
    }
    authenticate(st, parts, key).await.map(Reader::Known)
}

/// The caller, by the `Authorization` header, else the `api_key` field of
/// the query or the body. Without either: 401.
pub async fn authenticate(
    st: &AppState,
    parts: &mut axum::http::request::Parts,
    key: Option<&str>,
) -> Result<Principal, ApiError> {
    use axum::extract::FromRequestParts;
    if parts.headers.contains_key(header::AUTHORIZATION) {
        return Auth::from_request_parts(parts, st).await.map(|a| a.0);
    }
    match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Auth::from_api_key(st, k).await.map(|a| a.0),
        None => Err(ApiError::unauthorized(
            "api_key: is required (an integration API key, or Authorization: Bearer)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_suffix() {
        assert_eq!(split_format("outage.json"), Some(("outage", Format::Json)));
        assert_eq!(split_format("CM-26-000042.xml"), Some(("CM-26-000042", Format::Xml)));
        assert_eq!(split_format("outage"), None);
        assert_eq!(split_format("outage.csv"), None);
    }
}
