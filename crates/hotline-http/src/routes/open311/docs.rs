//! The OpenAPI entries of the `.xml` forms whose route is shared with the
//! `.json` one (`{file}` takes either suffix, see the module's notes), and
//! the rule that reads are public. The functions carry only the
//! documentation: the `.json` handler serves both.

use utoipa::Modify;
use utoipa::openapi::OpenApi;

use crate::dto::open311::{IgnoredJurisdiction, Open311Error};

/// A service's definition in XML.
#[utoipa::path(
    get, path = "/open311/v2/services/{service_code}.xml", tag = "Open311",
    params(
        ("service_code" = String, Path, description = "From the service list", example = "outage"),
        IgnoredJurisdiction,
    ),
    responses(
        (status = 200, description = "`<service_definition>`", body = String, content_type = "text/xml"),
        (status = 404, description = "No such service: `<errors><error><code>404</code>…`", body = String, content_type = "text/xml"),
    )
)]
#[allow(dead_code)]
pub(super) fn service_definition_xml() {}

/// One request in XML (`<service_requests><request>…`).
#[utoipa::path(
    get, path = "/open311/v2/requests/{service_request_id}.xml", tag = "Open311",
    params(
        ("service_request_id" = String, Path, description = "The id the request was filed under", example = "CM-26-000042"),
        ("api_key" = Option<String>, Query, description = "Optional: a key is checked when given"),
        IgnoredJurisdiction,
    ),
    responses(
        (status = 200, description = "`<service_requests>` of one", body = String, content_type = "text/xml"),
        (status = 401, description = "An unknown or revoked key (or none where reads need one)", body = String, content_type = "text/xml"),
        (status = 404, description = "No request with this id was filed through Open311", body = String, content_type = "text/xml"),
    )
)]
#[allow(dead_code)]
pub(super) fn get_request_xml() {}

/// The request a token stands for, in XML.
#[utoipa::path(
    get, path = "/open311/v2/tokens/{token}.xml", tag = "Open311",
    params(
        ("token" = String, Path, description = "The token answered when the request was filed"),
        IgnoredJurisdiction,
    ),
    responses(
        (status = 200, description = "`<service_requests><request><service_request_id>…<token>…`", body = String, content_type = "text/xml"),
        (status = 404, description = "No request has this token", body = Vec<Open311Error>, content_type = "text/xml"),
    )
)]
#[allow(dead_code)]
pub(super) fn get_token_xml() {}

/// Reads (every GET under `/open311`) need no credentials: `security: []`.
/// A key, when given, is still checked; `HOTLINE_OPEN311_PUBLIC_READS=false`
/// asks for one.
pub(super) struct PublicReads;

impl Modify for PublicReads {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            if let Some(get) = item.get.as_mut() {
                get.security = Some(Vec::new());
            }
        }
    }
}
