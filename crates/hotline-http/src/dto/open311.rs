//! Open311 GeoReport v2 bodies, named as the spec names them.

use hotline_domain::open311::{Attribute, Service, ServiceRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use utoipa::openapi::schema::ArrayBuilder;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, ToSchema};

/// One service a citizen or city app can request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Service {
    /// What to post as `service_code`: the work-order category.
    #[schema(example = "outage")]
    pub service_code: String,
    /// In Vietnamese.
    #[schema(example = "Mất điện")]
    pub service_name: String,
    /// In English.
    pub description: String,
    /// Whether the service asks extra questions (always true: see its definition).
    pub metadata: bool,
    /// Always `realtime`: the request is a work order as soon as it is posted.
    #[serde(rename = "type")]
    #[schema(example = "realtime")]
    pub kind: String,
    /// Comma-separated.
    pub keywords: String,
    pub group: String,
}

impl From<&Service> for Open311Service {
    fn from(s: &Service) -> Self {
        Open311Service {
            service_code: s.code.into(),
            service_name: s.name.into(),
            description: s.description.into(),
            metadata: true,
            kind: "realtime".into(),
            keywords: s.keywords.join(", "),
            group: s.group.into(),
        }
    }
}

/// A service's extra questions, posted as `attribute[code]`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Open311Attribute>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Attribute {
    /// Always true: every attribute takes an answer.
    pub variable: bool,
    #[schema(example = "callback_requested")]
    pub code: String,
    /// `string` or `singlevaluelist`.
    pub datatype: String,
    pub required: bool,
    pub datatype_description: Option<String>,
    pub order: u32,
    pub description: String,
    /// The allowed answers of a list.
    pub values: Vec<Open311AttributeValue>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Open311AttributeValue {
    pub key: String,
    pub name: String,
}

impl From<&Attribute> for Open311Attribute {
    fn from(a: &Attribute) -> Self {
        Open311Attribute {
            variable: true,
            code: a.code.into(),
            datatype: a.datatype.as_str().into(),
            required: a.required,
            datatype_description: a.datatype_description.map(Into::into),
            order: a.order,
            description: a.description.into(),
            values: a
                .values
                .iter()
                .map(|(key, name)| Open311AttributeValue {
                    key: (*key).into(),
                    name: (*name).into(),
                })
                .collect(),
        }
    }
}

/// `open` or `closed`: resolved, closed and cancelled work orders are closed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Open311Status {
    Open,
    Closed,
}

/// A service request: a work order as the public sees it. Who filed it
/// (name, phone, e-mail, customer code) is never shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Request {
    /// The work order's code, read out over the phone too.
    #[schema(example = "CM-26-000042")]
    pub service_request_id: String,
    pub status: Open311Status,
    pub status_notes: Option<String>,
    pub service_name: Option<String>,
    pub service_code: Option<String>,
    pub description: Option<String>,
    /// The power company unit whose team handles it.
    pub agency_responsible: Option<String>,
    /// What to expect (power back by, handled by), in Vietnamese and English.
    pub service_notice: Option<String>,
    /// ISO 8601 in Vietnam's time (+07:00).
    #[schema(example = "2026-11-22T14:05:00+07:00")]
    pub requested_datetime: String,
    #[schema(example = "2026-11-22T14:20:00+07:00")]
    pub updated_datetime: String,
    /// The resolution deadline.
    #[schema(example = "2026-11-22T16:05:00+07:00")]
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

impl From<ServiceRequest> for Open311Request {
    fn from(r: ServiceRequest) -> Self {
        Open311Request {
            service_request_id: r.service_request_id,
            status: match r.status {
                hotline_domain::open311::RequestStatus::Open => Open311Status::Open,
                hotline_domain::open311::RequestStatus::Closed => Open311Status::Closed,
            },
            status_notes: r.status_notes,
            service_name: r.service_name,
            service_code: r.service_code,
            description: r.description,
            agency_responsible: r.agency_responsible,
            service_notice: r.service_notice,
            requested_datetime: r.requested_datetime,
            updated_datetime: r.updated_datetime,
            expected_datetime: r.expected_datetime,
            address: r.address,
            lat: r.lat,
            long: r.long,
            media_url: r.media_url,
        }
    }
}

/// The answer to a new request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Open311Created {
    #[schema(example = "CM-26-000042")]
    pub service_request_id: String,
    /// Also answers `GET tokens/{token}` (the work order's id).
    #[schema(example = "019ae0c4-5b7e-7c1a-9f6e-2d1c0b9a8e77")]
    pub token: String,
    pub service_notice: Option<String>,
    /// The `account_id` posted, if any.
    pub account_id: Option<String>,
}

/// What a token stands for (`GET tokens/{token}`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Token {
    #[schema(example = "CM-26-000042")]
    pub service_request_id: String,
    pub token: String,
}

/// GeoReport v2 Service Discovery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Discovery {
    /// When the endpoint or its services last changed (ISO 8601).
    pub changeset: String,
    pub contact: String,
    /// How to get an API key.
    pub key_service: String,
    pub endpoints: Vec<Open311Endpoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Endpoint {
    #[schema(example = "http://wiki.open311.org/GeoReport_v2")]
    pub specification: String,
    /// The base the `services.json`, `requests.json`… paths hang off.
    #[schema(example = "https://hotline.example/open311/v2")]
    pub url: String,
    pub changeset: String,
    /// Always `production`.
    #[serde(rename = "type")]
    #[schema(example = "production")]
    pub kind: String,
    /// The MIME types it answers in.
    pub formats: Vec<String>,
}

/// An Open311 error: the HTTP status and what is wrong, naming the field.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Error {
    #[schema(example = 400)]
    pub code: u16,
    #[schema(example = "service_code: unknown service code 'xyz'")]
    pub description: String,
}

/// An Open311 error list (`[{"code", "description"}]`) with this description.
fn error_list(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(ArrayBuilder::new().items(Ref::from_schema_name("Open311Error"))))
                .build(),
        )
        .build()
}

/// Open311 error answers that several operations share, written once, as
/// `dto::problems` does for problem+json.
macro_rules! open311_errors {
    ($($name:ident = $status:literal, $description:literal;)*) => {$(
        #[doc = concat!("`", $status, "`: ", $description, ", as an Open311 error list")]
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([($status.to_string(), RefOr::T(error_list($description)))])
            }
        }
    )*};
}

open311_errors! {
    ReadKeyRefused = 401, "An unknown or revoked key (or none where reads need one)";
    Open311Unavailable = 503, "Database unavailable";
}

/// `jurisdiction_id`, which some apps always send: the hotline serves one
/// jurisdiction, so it is read nowhere.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IgnoredJurisdiction {
    /// Ignored
    #[param(nullable = false)]
    pub jurisdiction_id: Option<String>,
}

/// A new service request, form-encoded (as the spec has it) or JSON.
/// A location is required: `lat` and `long`, `address_string`,
/// `address_id` or `attribute[customer_code]`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Open311NewRequest {
    /// An integration API key (or send `Authorization: Bearer`).
    pub api_key: Option<String>,
    /// Ignored: the hotline serves one jurisdiction.
    pub jurisdiction_id: Option<String>,
    #[schema(example = "outage")]
    pub service_code: String,
    #[schema(example = 9.1769)]
    pub lat: Option<f64>,
    #[schema(example = 105.1524)]
    pub long: Option<f64>,
    #[schema(example = "Ấp 3, xã Tân Thành, TP Cà Mau")]
    pub address_string: Option<String>,
    /// Our area (commune or ward) code, e.g. `VN-CM-01`.
    pub address_id: Option<String>,
    #[schema(example = "Mất điện cả ấp từ 7 giờ sáng")]
    pub description: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Any usual way of writing it (0912 345 678, +84912345678…); finds the customer.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    /// The app's own account for the reporter; echoed back.
    pub account_id: Option<String>,
    pub media_url: Option<String>,
    /// Form: `attribute[customer_code]=PB03020045525&attribute[callback_requested]=true`;
    /// JSON: `"attribute": {"customer_code": "…"}` or the form's keys.
    #[schema(value_type = Option<Object>)]
    pub attribute: Option<serde_json::Value>,
}

/// The same fields as [`Open311NewRequest`], form-encoded (what most
/// Open311 apps send). A schema of its own so that clients generated from
/// the OpenAPI document get one type per encoding and send each as what it
/// is.
pub struct Open311NewRequestForm;

impl utoipa::PartialSchema for Open311NewRequestForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <Open311NewRequest as utoipa::PartialSchema>::schema()
    }
}

impl ToSchema for Open311NewRequestForm {}

/// Filters for `GET requests`. With `service_request_id`, the others are ignored.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Open311ListQuery {
    /// Optional: checked when given; needed only where reads need a key
    /// (`HOTLINE_OPEN311_PUBLIC_READS=false`).
    pub api_key: Option<String>,
    /// Ignored: the hotline serves one jurisdiction.
    pub jurisdiction_id: Option<String>,
    /// One or several ids, comma-separated.
    pub service_request_id: Option<String>,
    /// One or several service codes, comma-separated (`outage,metering`).
    pub service_code: Option<String>,
    /// Requested at or after (ISO 8601, or a local date). Default: 90 days before `end_date`.
    pub start_date: Option<String>,
    /// Requested before (ISO 8601, or a local date, inclusive). Default: now.
    pub end_date: Option<String>,
    /// `open` or `closed` (or both, comma-separated).
    pub status: Option<String>,
}
