//! Filing a service request: posted by an app (form-encoded or JSON) and
//! opened as a work order like any other (source `open311`), answered in
//! the format asked for; a retry with the same `Idempotency-Key` answers
//! the first result.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::open311::request;
use hotline_domain::work_order::WorkOrder;
use hotline_domain::{DomainError, FieldError};
use serde_json::Value;

use super::fields::{form_fields, json_fields, query_field, raw_request};
use super::{Format, InFormat, Open311Failure, Open311Result, authenticate, json, xml};
use crate::dto::open311::{Open311Created, Open311Error, Open311NewRequest, Open311NewRequestForm, Open311Unavailable};
use crate::dto::params::IdempotencyKeyHeader;
use crate::error::ApiError;
use crate::extract::{IdempotencyKey, is_json, media_type, read_body};
use crate::idempotent::{Answer, Idempotent, keeping};
use crate::state::AppState;
use hotline_app::work_orders::{self, Opened};
use hotline_app::{new_supply, open311};
use hotline_domain::call::Category;
use hotline_domain::new_supply::Application;

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
        IdempotencyKeyHeader,
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
        Open311Unavailable,
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
        IdempotencyKeyHeader,
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
        && let Some(first) = i.first(&st.app).await.in_format(format)?
    {
        return replay(i, &first, format);
    }

    let input = raw_request(&fields)
        .check()
        .map_err(|errors| ApiError::from(DomainError::Validation(errors)))
        .in_format(format)?;
    let customer = open311::filer(&st.app, &input)
        .await
        .map_err(ApiError::from)
        .in_format(format)?;
    let new = input.new_work_order(customer.as_ref());
    let account_id = input.reporter.account_id.clone();
    let answer = async |wo: &WorkOrder| -> Result<(Answer, Option<IdempotencyRecord>), ApiError> {
        let restoration = open311::restoration(&st.app, wo, &mut HashMap::new()).await?;
        let created = [Open311Created {
            service_request_id: wo.code.to_string(),
            token: wo.id.to_string(),
            service_notice: request::service_notice(wo.resolution_due, restoration),
            account_id,
        }];
        let answer = Answer {
            status: StatusCode::CREATED,
            body: serde_json::to_string(&created).map_err(|e| ApiError::internal(e.to_string()))?,
            location: None,
        };
        Ok(keeping(idem.as_ref(), answer, st.app.now()))
    };
    // A new-supply request opens its application with it; the type waits
    // for staff where the area cannot tell it.
    let opened = if input.service.category == Category::NewSupply {
        let request = new_supply::from_open311(&input, customer.as_ref());
        new_supply::open(&st.app, &who, request, async |wo: &WorkOrder, _: &Application| {
            answer(wo).await
        })
        .await
    } else {
        work_orders::open(&st.app, &who, new, None, input.history_detail(), answer).await
    }
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
                "applicant.name" => "first_name".into(),
                "applicant.phone" => "phone".into(),
                "applicant.email" => "email".into(),
                "applicant.address" => "address_string".into(),
                other => other.into(),
            },
            message: f.message,
        })
        .collect();
    ApiError::validation(errors)
}
