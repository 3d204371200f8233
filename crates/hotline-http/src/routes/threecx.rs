//! 3CX CRM integration (`integrations/3cx/hotline.xml`): 3CX looks up the
//! caller among our customers, and journals every call it handled into the
//! call log.

use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hotline_app::calls::{self, Logged};
use hotline_app::cti::lookup;
use hotline_domain::DomainError;
use hotline_domain::call::{Call, Direction, NewCall};
use hotline_domain::idempotency::{self, IdempotencyRecord};
use hotline_domain::phone::PhoneNumber;
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::calls::CallView;
use crate::dto::problems::{BodyTooLarge, MayNotLogCalls, MayNotReadCalls, Unavailable};
use crate::dto::threecx::{ContactQuery, JournalBody, JournalForm, ThreeCxContact, ThreeCxContacts};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Auth, IdempotencyKey, is_json, media_type, read_body};
use crate::idempotent::{Idempotent, json_response};
use crate::routes::privacy::reads::{RequestId, noted};
use crate::state::AppState;
use hotline_app::privacy::reads::Read;

const JOURNAL_ROUTE: &str = "POST /api/v1/integrations/3cx/journal";

/// The journal fields read from a body; anything else 3CX sends is ignored.
const JOURNAL_FIELDS: &[&str] = &[
    "CallType",
    "Number",
    "Agent",
    "Duration",
    "CallStartTimeUTC",
    "CallEstablishedTimeUTC",
    "CallEndTimeUTC",
    "QueueExtension",
    "Name",
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lookup_contacts))
        .routes(routes!(journal_call))
}

/// Look up a caller for 3CX.
///
/// 3CX calls this with the caller's number when a call rings and maps the
/// answer into its contact. Any written form of the number works; a
/// withheld, empty or unreadable number answers an empty list, never an
/// error, so 3CX always gets something it can read.
#[utoipa::path(
    get, path = "/api/v1/integrations/3cx/contacts", tag = "3cx",
    params(ContactQuery),
    responses(
        (status = 200, description = "The customers with this number (often none)", body = ThreeCxContacts),
        (status = 400, description = "Unknown query parameter", body = Problem, content_type = "application/problem+json"),
        MayNotReadCalls,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn lookup_contacts(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    uri: Uri,
    RequestId(request_id): RequestId,
    ApiQuery(q): ApiQuery<ContactQuery>,
) -> ApiResult<Response> {
    let number = q.number.as_deref().map(restore_plus).unwrap_or_default();
    let found = lookup::contacts(&st.app, &auth.0, &number).await?;
    let e164 = hotline_domain::phone::PhoneNumber::parse(&number).ok().flatten();
    noted(
        &st,
        &auth.0,
        Read {
            endpoint: "threecx.contacts",
            request_id: request_id.as_deref(),
            number: e164.as_ref().map(|n| n.as_str()),
            customers: found.iter().map(|c| &c.customer).collect(),
            codes: Vec::new(),
        },
    )
    .await?;
    let base = base_url(&headers, &uri);
    let body = ThreeCxContacts {
        contacts: found.iter().map(|c| ThreeCxContact::new(c, &base)).collect(),
    };
    Ok(axum::Json(body).into_response())
}

/// A `+` that was not percent-encoded in the query arrives as a space.
fn restore_plus(raw: &str) -> String {
    let rest = raw.trim_start();
    if raw.starts_with(' ') && rest.starts_with(|c: char| c.is_ascii_digit()) {
        format!("+{rest}")
    } else {
        raw.to_string()
    }
}

/// `scheme://host` of this request, or empty when the host is unknown (the
/// URL is then relative). Behind a proxy, `X-Forwarded-Proto` tells the scheme.
fn base_url(headers: &HeaderMap, uri: &Uri) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .filter(|h| is_host(h));
    let Some(host) = host else {
        return String::new();
    };
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|p| p.to_str().ok())
        .and_then(|p| p.split(',').next())
        .map(|p| p.trim().to_ascii_lowercase())
        .filter(|p| p == "https" || p == "http")
        .or_else(|| uri.scheme_str().map(str::to_string))
        .unwrap_or_else(|| "http".into());
    format!("{scheme}://{host}")
}

/// A host name or address with an optional port, nothing else.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Journal a call 3CX handled (its `ReportCall` scenario).
///
/// Takes the 3CX variables as JSON or form-encoded fields named as in 3CX:
/// `CallType` Inbound (answered) / Missed (inbound, unanswered) / Outbound
/// (answered) / Notanswered (outbound, unanswered); `Number` the customer's
/// number; `Agent` the extension; `QueueExtension` the queue (also the
/// number called, for an inbound call). The call is logged like any other,
/// with source `3cx`.
///
/// 3CX sends no call id and retries: a journal of the same call type,
/// number, agent and start time as an earlier one answers with that call as
/// it is now (200, `Idempotent-Replayed: true`) and stores nothing. Another
/// client may send its own `Idempotency-Key` instead (as for
/// `POST /api/v1/calls`): a retry with that key and the same call answers
/// the same way.
#[utoipa::path(
    post, path = "/api/v1/integrations/3cx/journal", tag = "3cx",
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Your own retry key (1–255 visible ASCII characters); without one, the call's type, number, agent and start time are the key",
        min_length = 1, max_length = 255, pattern = r"^[\x21-\x7E]+$")),
    request_body(
        description = "The 3CX call variables",
        content(
            (JournalForm = "application/x-www-form-urlencoded"),
            (JournalBody = "application/json"),
        )
    ),
    responses(
        (status = 201, description = "Logged", body = CallView,
            headers(("Location" = String, description = "The call's URL"), ("ETag" = String, description = "Version for If-Match"))),
        (status = 200, description = "This call was journaled before: that call as it is now", body = CallView,
            headers(("Idempotent-Replayed" = String, description = "`true`"))),
        (status = 400, description = "Malformed JSON or Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        MayNotLogCalls,
        BodyTooLarge,
        (status = 415, description = "Neither JSON nor form-encoded", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, named as the 3CX variables", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn journal_call(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(own_key): IdempotencyKey,
    body: Journal3cx,
) -> ApiResult<Response> {
    auth.require(auth.0.role.can_log_calls(), "log calls")?;
    let journal = body.0.check().map_err(ApiError::validation)?;
    let identity = journal.identity();
    let key = own_key.unwrap_or_else(|| format!("3cx-{}", idempotency::fingerprint("3cx journal", &identity)));
    let idem = Idempotent::new(&auth.0, Some(key), JOURNAL_ROUTE, &identity)
        .ok_or_else(|| ApiError::internal("no idempotency key"))?;
    if let Some(first) = idem.first(&st.app).await? {
        return Ok(replayed(super::calls::replay(&st, &auth.0, &idem, &first).await?));
    }

    let direction = journal.call_type.direction();
    let phone_or_none = |raw: &str| matches!(PhoneNumber::parse(raw), Ok(Some(_))).then(|| raw.to_string());
    let (caller, callee) = match direction {
        Direction::Inbound => (Some(journal.number.clone()), phone_or_none(&journal.queue)),
        Direction::Outbound => (phone_or_none(&journal.agent), Some(journal.number.clone())),
    };
    let input = NewCall {
        direction: Some(direction),
        caller_number: caller,
        callee_number: callee,
        started_at: Some(journal.started_at),
        answered_at: journal.answered_at,
        ended_at: journal.ended_at,
        agent: Some(journal.agent.clone()),
        queue: Some(journal.queue.clone()),
        outcome: Some(journal.call_type.outcome()),
        caller_name: Some(journal.name.clone()),
        source: Some("3cx".into()),
        ..Default::default()
    };
    let answer = |call: &Call| -> Result<((String, String), Option<IdempotencyRecord>), DomainError> {
        let body = serde_json::to_string(&CallView::from(call)).map_err(|e| DomainError::Internal(e.to_string()))?;
        let location = format!("/api/v1/calls/{}", call.id);
        let record = idem.record(StatusCode::CREATED, "", Some(&location), call.created_at);
        Ok(((body, location), Some(record)))
    };
    let logged = calls::log(&st.app, &auth.0, input, answer).await;
    match logged.map_err(|e| named_as_3cx(e, direction))? {
        Logged::New(call, (body, location)) => Ok(json_response(
            StatusCode::CREATED,
            body,
            Some(&location),
            Some(call.version),
        )),
        Logged::Taken(first) => Ok(replayed(super::calls::replay(&st, &auth.0, &idem, &first).await?)),
    }
}

/// A repeated journal stored nothing: 200, not the first answer's 201.
fn replayed(mut res: Response) -> Response {
    *res.status_mut() = StatusCode::OK;
    res
}

/// Names call-log validation failures after the 3CX variable they came from.
fn named_as_3cx(e: DomainError, direction: Direction) -> ApiError {
    let DomainError::Validation(errors) = e else {
        return e.into();
    };
    let renamed = errors
        .into_iter()
        .map(|mut f| {
            let name = match (f.field.as_str(), direction) {
                ("caller_number", Direction::Inbound) | ("callee_number", Direction::Outbound) => "Number",
                ("caller_number", Direction::Outbound) | ("agent", _) => "Agent",
                ("callee_number", Direction::Inbound) | ("queue", _) => "QueueExtension",
                ("started_at", _) => "CallStartTimeUTC",
                ("answered_at", _) => "CallEstablishedTimeUTC",
                ("ended_at", _) => "CallEndTimeUTC",
                ("caller_name", _) => "Name",
                ("outcome", _) => "CallType",
                _ => return f,
            };
            f.message = f
                .message
                .replace("started_at", "CallStartTimeUTC")
                .replace("answered_at", "CallEstablishedTimeUTC");
            f.field = name.into();
            f
        })
        .collect();
    ApiError::validation(renamed)
}

/// A journal body, JSON or form-encoded.
struct Journal3cx(JournalBody);

impl<S: Send + Sync> FromRequest<S> for Journal3cx {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let mime = media_type(req.headers());
        let json = is_json(&mime);
        let form = mime == "application/x-www-form-urlencoded";
        if !json && !form {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                "send application/json or application/x-www-form-urlencoded",
            ));
        }
        let bytes = read_body(req, state).await?;
        let fields = if json {
            json_fields(&bytes)?
        } else {
            form_fields(&bytes)
        };
        serde_json::from_value(Value::Object(fields))
            .map(Journal3cx)
            .map_err(|e| ApiError::invalid_field("body", e.to_string()))
    }
}

/// The journal fields of a JSON object, as text. Numbers are taken as
/// written; `null` is absent.
fn json_fields(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let raw: Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::malformed(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(object) = raw else {
        return Err(ApiError::invalid_field("body", "must be a JSON object"));
    };
    let mut fields = Map::new();
    for name in JOURNAL_FIELDS {
        match object.get(*name) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                fields.insert((*name).into(), Value::String(s.clone()));
            }
            Some(Value::Number(n)) => {
                fields.insert((*name).into(), Value::String(n.to_string()));
            }
            Some(_) => return Err(ApiError::invalid_field(name, "must be text")),
        }
    }
    Ok(fields)
}

/// The journal fields of a form; the first of a repeated field counts.
fn form_fields(bytes: &[u8]) -> Map<String, Value> {
    let mut fields = Map::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        if JOURNAL_FIELDS.contains(&k.as_ref()) && !fields.contains_key(k.as_ref()) {
            fields.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn plus_signs_lost_in_the_query_come_back() {
        assert_eq!(restore_plus(" 84912345678"), "+84912345678");
        assert_eq!(restore_plus("0912 345 678"), "0912 345 678");
        assert_eq!(restore_plus(" anonymous"), " anonymous");
    }

    #[test]
    fn contact_urls_use_the_request_host() {
        let uri: Uri = "/api/v1/integrations/3cx/contacts".parse().unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(base_url(&h, &uri), "");
        h.insert(header::HOST, HeaderValue::from_static("hotline.example:8080"));
        assert_eq!(base_url(&h, &uri), "http://hotline.example:8080");
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(base_url(&h, &uri), "https://hotline.example:8080");
        h.insert(header::HOST, HeaderValue::from_static("evil/path?x"));
        assert_eq!(base_url(&h, &uri), "");
    }

    #[test]
    fn bodies_in_both_encodings() {
        let form = form_fields(b"CallType=Inbound&Number=%2B84912345678&Agent=101&Agent=102&Other=x");
        assert_eq!(form["Number"], "+84912345678");
        assert_eq!(form["Agent"], "101");
        assert!(!form.contains_key("Other"));
        let json = json_fields(br#"{"CallType":"Missed","Duration":125,"Name":null,"Entity":{"a":1}}"#).unwrap();
        assert_eq!(json["Duration"], "125");
        assert!(!json.contains_key("Name") && !json.contains_key("Entity"));
        let bad = json_fields(br#"{"CallType":["Inbound"]}"#).err().unwrap().problem();
        assert_eq!((bad.status, bad.errors[0].field.as_str()), (422, "CallType"));
        assert_eq!(json_fields(b"{").err().unwrap().problem().status, 400);
    }
}
