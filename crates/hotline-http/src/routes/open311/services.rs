//! The service list and each service's definition: public, no key needed,
//! so that an app can show its form before anyone signs up.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::open311::catalogue::{self, SERVICES};

use super::{Format, Open311Result, json, not_found, split_format, unknown_format, xml};
use crate::dto::open311::{IgnoredJurisdiction, Open311Error, Open311Service, Open311ServiceDefinition};

/// The services a citizen or city app can request: one per work-order
/// category the public may raise. Names in Vietnamese, descriptions in
/// English. Public. Also at `/open311/v2/services.xml`.
#[utoipa::path(
    get, path = "/open311/v2/services.json", tag = "Open311",
    params(("jurisdiction_id" = Option<String>, Query, description = "Ignored: the hotline serves one jurisdiction")),
    responses(
        (status = 200, description = "The services", body = Vec<Open311Service>),
    )
)]
pub(super) async fn list_services() -> Open311Result<Response> {
    let list: Vec<Open311Service> = SERVICES.iter().map(Into::into).collect();
    json(StatusCode::OK, &list)
}

/// The services in XML (`<services><service>…`). Public.
#[utoipa::path(
    get, path = "/open311/v2/services.xml", tag = "Open311",
    params(("jurisdiction_id" = Option<String>, Query, description = "Ignored: the hotline serves one jurisdiction")),
    responses(
        (status = 200, description = "`<services>`", body = String, content_type = "text/xml"),
    )
)]
pub(super) async fn list_services_xml() -> Response {
    xml(StatusCode::OK, crate::render::open311_xml::services(SERVICES))
}

/// A service's extra questions (`attribute[code]` when posting): the
/// customer code from the bill, and whether to call back; `new_supply` also
/// asks who applies (`applicant_kind`: household, business or
/// dedicated_substation). Public. Also at `….xml`.
#[utoipa::path(
    get, path = "/open311/v2/services/{service_code}.json", tag = "Open311",
    params(
        ("service_code" = String, Path, description = "From the service list", example = "outage"),
        IgnoredJurisdiction,
    ),
    responses(
        (status = 200, description = "The definition", body = Open311ServiceDefinition),
        (status = 404, description = "No such service", body = Vec<Open311Error>),
    )
)]
pub(super) async fn service_definition(Path(file): Path<String>) -> Open311Result<Response> {
    let (code, format) = split_format(&file).ok_or_else(unknown_format)?;
    let service = catalogue::find(code).ok_or_else(|| {
        let shown: String = code.chars().take(40).collect();
        not_found(format!("service_code: unknown service code '{shown}'"), format)
    })?;
    match format {
        Format::Json => json(
            StatusCode::OK,
            &Open311ServiceDefinition {
                service_code: service.code.into(),
                attributes: catalogue::attributes_of(service).into_iter().map(Into::into).collect(),
            },
        ),
        Format::Xml => Ok(xml(StatusCode::OK, crate::render::open311_xml::definition(service))),
    }
}
