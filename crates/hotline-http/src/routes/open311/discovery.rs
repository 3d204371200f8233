//! GeoReport v2 Service Discovery (`/open311/discovery.json`, `.xml`):
//! where the endpoint is, which specification and formats it speaks, and
//! whom to ask for a key.

use crate::render::open311_xml::{self as xml, Endpoint};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use hotline_domain::open311::public::{CHANGESET, CONTACT, FORMATS, KEY_SERVICE, SPECIFICATION};

use super::{Open311Result, json};
use crate::dto::open311::{Open311Discovery, Open311Endpoint};

/// The endpoint's URL as the client reached it: the scheme and host a
/// proxy says it forwarded (`X-Forwarded-Proto`, `X-Forwarded-Host`), else
/// the `Host` header over plain http.
fn endpoint_url(headers: &HeaderMap) -> String {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_graphic()))
    };
    let scheme = match text("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    let host = text("x-forwarded-host")
        .or_else(|| text(header::HOST.as_str()))
        .unwrap_or("localhost");
    format!("{scheme}://{host}/open311/v2")
}

/// Where the GeoReport v2 endpoint is and what it speaks. Public.
#[utoipa::path(
    get, path = "/open311/discovery.json", tag = "Open311",
    responses((status = 200, description = "The discovery document", body = Open311Discovery))
)]
pub(super) async fn discovery_json(headers: HeaderMap) -> Open311Result<Response> {
    json(
        StatusCode::OK,
        &Open311Discovery {
            changeset: CHANGESET.into(),
            contact: CONTACT.into(),
            key_service: KEY_SERVICE.into(),
            endpoints: vec![Open311Endpoint {
                specification: SPECIFICATION.into(),
                url: endpoint_url(&headers),
                changeset: CHANGESET.into(),
                kind: "production".into(),
                formats: FORMATS.iter().map(|f| (*f).to_string()).collect(),
            }],
        },
    )
}

/// The discovery document in XML. Public.
#[utoipa::path(
    get, path = "/open311/discovery.xml", tag = "Open311",
    responses((status = 200, description = "The discovery document", body = String, content_type = "text/xml"))
)]
pub(super) async fn discovery_xml(headers: HeaderMap) -> Response {
    let url = endpoint_url(&headers);
    let endpoint = Endpoint {
        url: &url,
        changeset: CHANGESET,
        formats: FORMATS,
    };
    super::xml(
        StatusCode::OK,
        xml::discovery(CHANGESET, CONTACT, KEY_SERVICE, std::slice::from_ref(&endpoint)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_the_one_the_client_used() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "hotline.example:8080".parse().unwrap());
        assert_eq!(endpoint_url(&h), "http://hotline.example:8080/open311/v2");
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        h.insert("x-forwarded-host", "api.example, inner".parse().unwrap());
        assert_eq!(endpoint_url(&h), "https://api.example/open311/v2");
    }
}
