//! Service requests: posted by an app and opened as a work order like any
//! other (source `open311`), and read back. Reading needs no key by
//! default, and shows only requests filed through Open311 (never a
//! staff-conduct complaint), as the public sees them.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::open311::request::{self, RequestStatus};
use hotline_domain::open311::{RawRequest, ServiceRequest, ServiceRequestInput, catalogue};
use hotline_domain::time::{RangeEnd, parse_instant};
use hotline_domain::work_order::{Source, WorkOrder, WorkOrderCode, WorkOrderFilter};
use hotline_domain::{DomainError, FieldError};
use serde_json::Value;
use uuid::Uuid;

use super::{
    Format, InFormat, Open311Failure, Open311Result, Reader, authenticate, json, reader, split_format, unknown_format,
    xml,
};
use crate::dto::open311::{
    Open311Created, Open311Error, Open311ListQuery, Open311NewRequest, Open311NewRequestForm, Open311Request,
};
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdempotencyKey, is_json, media_type, read_body};
use crate::idempotent::{Answer, Idempotent};
use crate::routes::work_orders::Opened;
use crate::state::AppState;
use hotline_domain::idempotency::IdempotencyRecord;

/// The most requests one list answers, as the spec allows.
const MAX_LIST: u64 = 1000;
/// Ids looked up at most in one `service_request_id` list.
const MAX_IDS: usize = 100;
/// The default window of a list.
const DEFAULT_DAYS: i64 = 90;

/// File a service request: it becomes a work order, routed to a field team
/// with its deadline like one opened at the desk, with source `open311`.
///
/// Form-encoded as the spec has it, or JSON. Needs an integration API key:
/// `api_key` in the body or the query, or `Authorization: Bearer`. The
/// phone number may be written any usual way; it finds the customer (as
/// does `attribute[customer_code]`), whose area and unit route the work
/// order. Answers an array of one. Also at `requests.xml`.
///
/// A retry with the same `Idempotency-Key` and the same fields answers the
/// first result (`Idempotent-Replayed: true`) and files nothing new; the
/// key with other fields is a 400.
#[utoipa::path(
    post, path = "/open311/v2/requests.json", tag = "Open311",
    params(
        ("api_key" = Option<String>, Query, description = "An integration API key (or in the body, or Authorization: Bearer)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1–255 visible ASCII characters",
            min_length = 1, max_length = 255, pattern = r"^[\x21-\x7E]+$"),
    ),
    request_body(
        description = "The request",
        content(
            (Open311NewRequestForm = "application/x-www-form-urlencoded"),
            (Open311NewRequest = "application/json"),
        )
    ),
    responses(
        (status = 201, description = "Filed: the work order's code (or, with `Idempotent-Replayed: true`, the first answer to this key)", body = Vec<Open311Created>,
            headers(("Location" = String, description = "The request's URL"))),
        (status = 400, description = "Invalid or missing fields, each named; or the Idempotency-Key used with other fields", body = Vec<Open311Error>),
        (status = 401, description = "No API key, or an unknown or revoked one", body = Vec<Open311Error>),
        (status = 403, description = "The key's role may not open work orders", body = Vec<Open311Error>),
        (status = 413, description = "Body too large", body = Vec<Open311Error>),
        (status = 415, description = "Neither form-encoded nor JSON", body = Vec<Open311Error>),
        (status = 503, description = "Database unavailable", body = Vec<Open311Error>),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn create_request(State(st): State<AppState>, req: Request) -> Open311Result<Response> {
    create(st, req, Format::Json).await
}

/// File a service request, answered in XML
/// (`<service_requests><request><service_request_id>…`). As
/// `requests.json` otherwise.
#[utoipa::path(
    post, path = "/open311/v2/requests.xml", tag = "Open311",
    params(
        ("api_key" = Option<String>, Query, description = "An integration API key (or in the body, or Authorization: Bearer)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1–255 visible ASCII characters",
            min_length = 1, max_length = 255, pattern = r"^[\x21-\x7E]+$"),
    ),
    request_body(
        description = "The request",
        content(
            (Open311NewRequestForm = "application/x-www-form-urlencoded"),
            (Open311NewRequest = "application/json"),
        )
    ),
    responses(
        (status = 201, description = "Filed", body = String, content_type = "text/xml",
            headers(("Location" = String, description = "The request's URL"))),
        (status = 400, description = "Invalid or missing fields: `<errors><error><code>400</code><description>…`", body = String, content_type = "text/xml"),
        (status = 401, description = "No API key, or an unknown or revoked one", body = String, content_type = "text/xml"),
        (status = 403, description = "The key's role may not open work orders", body = String, content_type = "text/xml"),
        (status = 415, description = "Neither form-encoded nor JSON", body = String, content_type = "text/xml"),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn create_request_xml(State(st): State<AppState>, req: Request) -> Open311Result<Response> {
    create(st, req, Format::Xml).await
}

/// The route idempotency keys are kept under: one for both formats, so a
/// retry may ask for the other.
const CREATE_ROUTE: &str = "POST /open311/v2/requests";

async fn create(st: AppState, req: Request, format: Format) -> Open311Result<Response> {
    let (mut parts, body) = req.into_parts();
    let mime = media_type(&parts.headers);
    let form = mime == "application/x-www-form-urlencoded";
    if !form && !is_json(&mime) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            "send application/x-www-form-urlencoded or application/json",
        ))
        .in_format(format);
    }
    let query_key = query_field(parts.uri.query(), "api_key");
    let header_auth = parts.headers.contains_key(header::AUTHORIZATION);
    let IdempotencyKey(idem_key) = IdempotencyKey::from_request_parts(&mut parts, &st)
        .await
        .in_format(format)?;
    let bytes = read_body(Request::from_parts(parts.clone(), body), &st)
        .await
        .in_format(format)?;
    let fields = if form {
        form_fields(&bytes)
    } else {
        json_fields(&bytes).in_format(format)?
    };
    // The key first: an unknown caller hears nothing about the body.
    let key = query_key.or_else(|| fields.get("api_key").cloned());
    let who = authenticate(&st, &mut parts, if header_auth { None } else { key.as_deref() })
        .await
        .in_format(format)?;

    // The same fields, however sent (form or JSON, key in the query or
    // the body), are the same request.
    let sent: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "api_key")
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let idem = Idempotent::new(&who, idem_key, CREATE_ROUTE, &Value::Object(sent));
    if let Some(i) = &idem
        && let Some(first) = i.first(st.ports.idempotency.as_ref()).await.in_format(format)?
    {
        return replay(i, &first, format);
    }

    let input = raw_request(&fields)
        .check()
        .map_err(|errors| ApiError::from(DomainError::Validation(errors)))
        .in_format(format)?;
    let customer = customer_of(&st, &input).await.in_format(format)?;
    let new = input.new_work_order(customer.as_ref());
    let account_id = input.reporter.account_id.clone();
    let answer = async |wo: &WorkOrder| -> Result<Answer, ApiError> {
        let restoration = restoration(&st, wo, &mut HashMap::new()).await?;
        let created = [Open311Created {
            service_request_id: wo.code.to_string(),
            token: wo.id.to_string(),
            service_notice: request::service_notice(wo.resolution_due, restoration),
            account_id,
        }];
        Ok(Answer {
            status: StatusCode::CREATED,
            body: serde_json::to_string(&created).map_err(|e| ApiError::internal(e.to_string()))?,
            location: None,
        })
    };
    let opened = crate::routes::work_orders::open(&st, &who, new, None, input.history_detail(), idem.as_ref(), answer)
        .await
        .map_err(open311_names)
        .in_format(format)?;
    match opened {
        Opened::New(_, answer) => answered(&answer.body, format, false),
        Opened::Taken(first) => match &idem {
            Some(i) => replay(i, &first, format),
            None => Err(ApiError::internal("key taken without a key")).in_format(format),
        },
    }
}

/// The first answer to this key, in the format asked for now.
fn replay(idem: &Idempotent, first: &IdempotencyRecord, format: Format) -> Open311Result<Response> {
    let first = idem.matching(first).in_format(format)?;
    answered(&first.body, format, true)
}

/// The answer to a filed request (kept as its JSON), in `format`, with the
/// request's URL.
fn answered(kept: &str, format: Format, replayed: bool) -> Open311Result<Response> {
    let created: Vec<Open311Created> =
        serde_json::from_str(kept).map_err(|e| Open311Failure::json(ApiError::internal(e.to_string())))?;
    let Some(first) = created.first() else {
        return Err(ApiError::internal("an empty kept answer")).in_format(format);
    };
    let mut res = match format {
        Format::Json => json(StatusCode::CREATED, &created)?,
        Format::Xml => xml(
            StatusCode::CREATED,
            crate::render::open311_xml::created(
                &first.service_request_id,
                &first.token,
                first.service_notice.as_deref(),
                first.account_id.as_deref(),
            ),
        ),
    };
    let location = format!(
        "/open311/v2/requests/{}.{}",
        first.service_request_id,
        if format == Format::Xml { "xml" } else { "json" }
    );
    if let Ok(v) = location.parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    if replayed {
        res.headers_mut()
            .insert("idempotent-replayed", axum::http::HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// The known customer: by the code given, else the one customer with the
/// reporter's number (several share it: none is guessed).
async fn customer_of(st: &AppState, input: &ServiceRequestInput) -> Result<Option<Customer>, ApiError> {
    if let Some(code) = &input.customer_code {
        let filter = CustomerFilter {
            code: Some(code.clone()),
            ..Default::default()
        };
        let page = st.ports.customers.list(&filter, None, 1).await?;
        return Ok(page.items.into_iter().find(|c| &c.code == code));
    }
    let Some(phone) = &input.reporter.phone else {
        return Ok(None);
    };
    let mut found = st.ports.customers.find_by_phone(phone.as_str()).await?;
    Ok(if found.len() == 1 { found.pop() } else { None })
}

/// Names work-order validation failures as the Open311 fields they came from.
fn open311_names(e: ApiError) -> ApiError {
    let p = e.problem();
    if p.status != 422 || p.errors.is_empty() {
        return e;
    }
    let errors = p
        .errors
        .into_iter()
        .map(|f| FieldError {
            field: match f.field.as_str() {
                "latitude" => "lat".into(),
                "longitude" => "long".into(),
                "address" => "address_string".into(),
                "area_code" => "address_id".into(),
                "customer_code" => "attribute[customer_code]".into(),
                other => other.into(),
            },
            message: f.message,
        })
        .collect();
    ApiError::validation(errors)
}

const FIELDS: &[&str] = &[
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "device_id",
    "account_id",
    "media_url",
];

/// The posted fields as text: known names and `attribute[…]`, the first of
/// a repeated one; empty values count as absent. Other fields (the
/// `jurisdiction_id` some apps always send) are ignored.
fn form_fields(bytes: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        let known = FIELDS.contains(&k.as_ref()) || attribute_code(&k).is_some();
        if known && !v.trim().is_empty() && !out.contains_key(k.as_ref()) {
            out.insert(k.into_owned(), v.into_owned());
        }
    }
    out
}

/// A JSON object's fields, as the form's: numbers and booleans as written,
/// `attribute` as an object of answers or `attribute[code]` keys.
fn json_fields(bytes: &[u8]) -> Result<HashMap<String, String>, ApiError> {
    let raw: Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::malformed(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(object) = raw else {
        return Err(ApiError::invalid_field("body", "must be a JSON object"));
    };
    let mut out = HashMap::new();
    let mut add = |name: String, value: &Value| -> Result<(), ApiError> {
        let text = match value {
            Value::Null => return Ok(()),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(ApiError::invalid_field(&name, "must be text")),
        };
        if !text.trim().is_empty() {
            out.insert(name, text);
        }
        Ok(())
    };
    for (k, v) in &object {
        if k == "attribute" {
            let Value::Object(answers) = v else {
                if v.is_null() {
                    continue;
                }
                return Err(ApiError::invalid_field("attribute", "must be an object of answers"));
            };
            for (code, answer) in answers {
                add(format!("attribute[{code}]"), answer)?;
            }
        } else if FIELDS.contains(&k.as_str()) || attribute_code(k).is_some() {
            add(k.clone(), v)?;
        }
    }
    Ok(out)
}

/// `attribute[code]` → `code`.
fn attribute_code(name: &str) -> Option<&str> {
    name.strip_prefix("attribute[")?.strip_suffix(']')
}

fn raw_request(fields: &HashMap<String, String>) -> RawRequest {
    let get = |k: &str| fields.get(k).cloned();
    let mut attributes: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, v)| attribute_code(k).map(|c| (c.to_string(), v.clone())))
        .collect();
    attributes.sort();
    RawRequest {
        service_code: get("service_code"),
        lat: get("lat"),
        long: get("long"),
        address_string: get("address_string"),
        address_id: get("address_id"),
        description: get("description"),
        first_name: get("first_name"),
        last_name: get("last_name"),
        phone: get("phone"),
        email: get("email"),
        device_id: get("device_id"),
        account_id: get("account_id"),
        media_url: get("media_url"),
        attributes,
    }
}

pub(super) fn query_field(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.into_owned())
}

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
        (status = 401, description = "An unknown or revoked key (or none where reads need one)", body = Vec<Open311Error>),
        (status = 503, description = "Database unavailable", body = Vec<Open311Error>),
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
        Some(ids) => by_ids(&st, ids).await.in_format(format)?,
        None => {
            let filters = list_filters(&q).in_format(format)?;
            let mut found = Vec::new();
            for filter in &filters {
                let page = st
                    .ports
                    .work_orders
                    .list(filter, None, MAX_LIST)
                    .await
                    .in_format(format)?;
                found.extend(page.items.into_iter().filter(|wo| !wo.category.is_restricted()));
            }
            if filters.len() > 1 {
                found.sort_by_key(|wo| std::cmp::Reverse((wo.created_at, wo.id)));
                found.truncate(MAX_LIST as usize);
            }
            found
        }
    };
    respond(&st, &found, &who, format).await
}

/// The requests with these ids (codes), as many as exist; others are left
/// out, and so are ids past the first [`MAX_IDS`]: each is a read, and
/// anyone may ask.
async fn by_ids(st: &AppState, ids: &str) -> Result<Vec<WorkOrder>, ApiError> {
    let mut out = Vec::new();
    for raw in ids.split(',').map(str::trim).filter(|s| !s.is_empty()).take(MAX_IDS) {
        if let Some(wo) = by_id(st, raw).await?
            && !out.iter().any(|w: &WorkOrder| w.id == wo.id)
        {
            out.push(wo);
        }
    }
    Ok(out)
}

/// Whether a work order is one Open311 shows: filed through it, and never
/// a staff-conduct complaint (restricted to unit management), whatever it
/// became since.
fn shown(wo: &WorkOrder) -> bool {
    wo.source == Source::Open311 && !wo.category.is_restricted()
}

/// One request by its id, if Open311 shows it.
async fn by_id(st: &AppState, raw: &str) -> Result<Option<WorkOrder>, ApiError> {
    let Ok(code) = WorkOrderCode::parse(raw) else {
        return Ok(None);
    };
    let found = st.ports.work_orders.get_by_code(&code.to_string()).await?;
    Ok(found.filter(shown))
}

/// One request by its token (the work order's id), if Open311 shows it.
pub(super) async fn by_token(st: &AppState, token: Uuid) -> Result<Option<WorkOrder>, ApiError> {
    Ok(st.ports.work_orders.get(token).await?.filter(shown))
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

/// One filter per service asked for (one for all when none is).
fn list_filters(q: &Open311ListQuery) -> Result<Vec<WorkOrderFilter>, ApiError> {
    let services = services_asked(q.service_code.as_deref())?;
    let all = list_filter(q)?;
    if services.is_empty() {
        return Ok(vec![all]);
    }
    Ok(services
        .into_iter()
        .map(|s| WorkOrderFilter {
            category: Some(s.category),
            ..all.clone()
        })
        .collect())
}

/// The filter of everything but the service.
fn list_filter(q: &Open311ListQuery) -> Result<WorkOrderFilter, ApiError> {
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
    let end = instant("end_date", &q.end_date, RangeEnd::End)?;
    let start = instant("start_date", &q.start_date, RangeEnd::Start)?;
    let start = start.or_else(|| Some(end.unwrap_or_else(hotline_domain::time::now) - Duration::days(DEFAULT_DAYS)));
    if let (Some(s), Some(e)) = (start, end)
        && s >= e
    {
        return Err(ApiError::invalid_parameter("end_date", "must be after start_date"));
    }
    Ok(WorkOrderFilter {
        statuses,
        source: Some(Source::Open311),
        created_from: start,
        created_before: end,
        ..Default::default()
    })
}

/// One request, as an array of one (as the spec has it). Public by
/// default, like the list. Also at `….xml`.
#[utoipa::path(
    get, path = "/open311/v2/requests/{service_request_id}.json", tag = "Open311",
    params(
        ("service_request_id" = String, Path, description = "The id the request was filed under", example = "CM-26-000042"),
        ("api_key" = Option<String>, Query, description = "Optional: checked when given; needed only where reads need a key"),
        ("jurisdiction_id" = Option<String>, Query, description = "Ignored"),
    ),
    responses(
        (status = 200, description = "The request", body = Vec<Open311Request>),
        (status = 401, description = "An unknown or revoked key (or none where reads need one)", body = Vec<Open311Error>),
        (status = 404, description = "No request with this id was filed through Open311", body = Vec<Open311Error>),
        (status = 503, description = "Database unavailable", body = Vec<Open311Error>),
    )
)]
pub(super) async fn get_request(
    State(st): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    req: Request,
) -> Open311Result<Response> {
    let (id, format) = split_format(&file).ok_or_else(unknown_format)?;
    let (mut parts, _) = req.into_parts();
    let key = query_field(query.as_deref(), "api_key");
    let who = reader(&st, &mut parts, key.as_deref()).await.in_format(format)?;
    let wo = by_id(&st, id).await.in_format(format)?.ok_or_else(|| Open311Failure {
        error: ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "service_request_id: no such request",
        ),
        format,
    })?;
    respond(&st, std::slice::from_ref(&wo), &who, format).await
}

/// The representation of a list, each with its agency and any outage
/// estimate; an anonymous reader's with contact details masked.
async fn respond(st: &AppState, found: &[WorkOrder], who: &Reader, format: Format) -> Open311Result<Response> {
    let mut agencies = HashMap::new();
    let mut estimates = HashMap::new();
    let mut list = Vec::with_capacity(found.len());
    for wo in found {
        let agency = agency(st, wo, &mut agencies).await.in_format(format)?;
        let estimate = restoration(st, wo, &mut estimates).await.in_format(format)?;
        let shown = ServiceRequest::of(wo, agency, estimate);
        list.push(match who {
            Reader::Anonymous => shown.public(),
            Reader::Known(_) => shown,
        });
    }
    match format {
        Format::Json => {
            let body: Vec<Open311Request> = list.into_iter().map(Into::into).collect();
            json(StatusCode::OK, &body)
        }
        Format::Xml => Ok(xml(StatusCode::OK, crate::render::open311_xml::requests(&list)).into_response()),
    }
}

/// The name of the unit whose team holds the work order, else of its own
/// unit; looked up once per team or unit in a list.
async fn agency(
    st: &AppState,
    wo: &WorkOrder,
    seen: &mut HashMap<String, Option<String>>,
) -> Result<Option<String>, ApiError> {
    let unit_code = match &wo.team_code {
        Some(team) => {
            let key = format!("team:{team}");
            if !seen.contains_key(&key) {
                let unit = st.ports.org.get_team(team).await?.map(|t| t.unit_code);
                seen.insert(key.clone(), unit);
            }
            seen.get(&key).cloned().flatten().or_else(|| wo.unit_code.clone())
        }
        None => wo.unit_code.clone(),
    };
    let Some(code) = unit_code else { return Ok(None) };
    let key = format!("unit:{code}");
    if !seen.contains_key(&key) {
        let name = st.ports.org.get_unit(&code).await?.map(|u| u.name);
        seen.insert(key.clone(), name);
    }
    Ok(seen.get(&key).cloned().flatten())
}

/// When the outage incident the work order belongs to expects power back.
async fn restoration(
    st: &AppState,
    wo: &WorkOrder,
    seen: &mut HashMap<Uuid, Option<DateTime<Utc>>>,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(id) = wo.incident_id else { return Ok(None) };
    if let Some(known) = seen.get(&id) {
        return Ok(*known);
    }
    let at = st
        .ports
        .incidents
        .get(id)
        .await?
        .and_then(|i| i.estimated_restoration_at);
    seen.insert(id, at);
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_json_bodies_read_alike() {
        let form = form_fields(
            "service_code=outage&lat=9.18&long=105.15&attribute%5Bcallback_requested%5D=true&jurisdiction_id=x&phone=&description=M%E1%BA%A5t+%C4%91i%E1%BB%87n"
                .as_bytes(),
        );
        let json = json_fields(
            br#"{"service_code":"outage","lat":9.18,"long":105.15,"attribute":{"callback_requested":true},"jurisdiction_id":"x","phone":"","description":"M\u1ea5t \u0111i\u1ec7n"}"#,
        )
        .unwrap();
        assert_eq!(form, json);
        let raw = raw_request(&form);
        assert_eq!(raw.attributes, [("callback_requested".to_string(), "true".to_string())]);
        assert_eq!(raw.description.as_deref(), Some("Mất điện"));
        assert_eq!(raw.phone, None);
        assert!(json_fields(br#"{"lat":[1]}"#).is_err());
        assert!(json_fields(b"[]").is_err());
    }

    #[test]
    fn the_key_may_travel_in_the_query() {
        assert_eq!(
            query_field(Some("a=1&api_key=hk_x"), "api_key").as_deref(),
            Some("hk_x")
        );
        assert_eq!(query_field(Some("api_key="), "api_key"), None);
        assert_eq!(query_field(None, "api_key"), None);
    }
}
