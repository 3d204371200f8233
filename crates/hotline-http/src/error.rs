//! The one API error type. Every failure leaves as `application/problem+json`
//! (RFC 9457) with a stable `type`; details of 5xx errors go to the log, not
//! to the client.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotline_domain::{DomainError, FieldError, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail. `type` is a stable identifier clients can branch on;
/// the README lists them all.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Stable problem identifier, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Per-field failures, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// The W3C trace id of the request (32 hex digits), as in the logs and
    /// the answer's `traceparent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field as named in the request (`caller_number`, `limit`).
    pub field: String,
    pub message: String,
}

/// The log-only detail of a server-side failure, handed to the logging
/// middleware through the response's extensions.
#[derive(Debug, Clone)]
pub struct InternalDetail(pub String);

/// Boxed: errors travel through every `Result` of the hot path, and a
/// pointer keeps the happy path's values small.
#[derive(Debug)]
pub struct ApiError(Box<Parts>);

#[derive(Debug)]
struct Parts {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<ProblemField>,
    headers: Vec<(HeaderName, HeaderValue)>,
    internal: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, slug: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self(Box::new(Parts {
            status,
            slug,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
            internal: None,
        }))
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.0.headers.push((name, v));
        }
        self
    }

    pub fn with_errors(mut self, errors: Vec<ProblemField>) -> Self {
        self.0.errors = errors;
        self
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let n = errors.len();
        let errors = errors
            .into_iter()
            .map(|e| ProblemField {
                field: e.field,
                message: e.message,
            })
            .collect();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Validation failed",
            format!("{n} field(s) are invalid; see `errors`"),
        )
        .with_errors(errors)
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// A bad query or path parameter.
    pub fn invalid_parameter(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid-parameter",
            "Invalid parameter",
            format!("{field}: {message}"),
        )
        .with_errors(vec![ProblemField {
            field: field.into(),
            message,
        }])
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            "Malformed request",
            detail,
        )
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        )
        .with_header(
            header::WWW_AUTHENTICATE,
            r#"Bearer realm="hotline", error="invalid_token""#,
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!("no such {what}"),
        )
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "Precondition failed",
            "the resource was changed since you read it: fetch it again and re-apply your change",
        )
    }

    pub fn precondition_required() -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "Precondition required",
            "send If-Match with the ETag you read, so concurrent edits are not lost",
        )
    }

    pub fn too_many_requests(retry_after_secs: i64) -> Self {
        let secs = retry_after_secs.max(1);
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "Too many requests",
            format!("too many failed attempts; retry in {secs} s"),
        )
        .with_header(header::RETRY_AFTER, &secs.to_string())
    }

    pub fn unavailable(internal: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            "the database is unavailable; retry shortly",
        )
        .with_header(header::RETRY_AFTER, "5");
        e.0.internal = Some(internal.into());
        e
    }

    pub fn internal(internal: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "an unexpected error occurred; it has been logged",
        );
        e.0.internal = Some(internal.into());
        e
    }

    /// The problem for a bare status, for responses produced outside our
    /// handlers (unknown routes, wrong methods, timeouts).
    pub fn for_status(status: StatusCode) -> Self {
        let (slug, title, detail) = match status.as_u16() {
            404 => ("not-found", "Not found", "no such resource"),
            405 => (
                "method-not-allowed",
                "Method not allowed",
                "see the Allow header for the methods this resource takes",
            ),
            408 => ("timeout", "Request timeout", "the request took too long to arrive"),
            413 => (
                "payload-too-large",
                "Payload too large",
                "the request body is larger than allowed",
            ),
            415 => (
                "unsupported-media-type",
                "Unsupported media type",
                "send application/json",
            ),
            429 => ("too-many-requests", "Too many requests", "slow down and retry later"),
            503 => ("unavailable", "Service unavailable", "retry shortly"),
            504 => ("timeout", "Timeout", "the request took too long to process"),
            s if s >= 500 => (
                "internal",
                "Internal error",
                "an unexpected error occurred; it has been logged",
            ),
            _ => ("bad-request", "Bad request", "the request could not be processed"),
        };
        let e = Self::new(status, slug, title, detail);
        // As documented for every 429 and 503 (a bare one from a layer: the
        // request timeout's 503); a layer's own Retry-After is kept.
        match status {
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => e.with_header(header::RETRY_AFTER, "5"),
            _ => e,
        }
    }

    pub fn problem(&self) -> Problem {
        let p = &self.0;
        Problem {
            kind: format!("/problems/{}", p.slug),
            title: p.title.into(),
            status: p.status.as_u16(),
            detail: p.detail.clone(),
            errors: p.errors.clone(),
            trace_id: crate::edge::trace::current_trace_id(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let parts = *self.0;
        let mut res = (parts.status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body).into_response();
        for (k, v) in parts.headers {
            res.headers_mut().insert(k, v);
        }
        if let Some(detail) = parts.internal {
            res.extensions_mut().insert(InternalDetail(detail));
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(d) => ApiError::unavailable(d),
            StoreError::Duplicate(d) => ApiError::conflict(format!("a record with this value already exists ({d})")),
            StoreError::Other(d) => ApiError::internal(d),
        }
    }
}

impl From<hotline_app::import::ImportError> for ApiError {
    fn from(e: hotline_app::import::ImportError) -> Self {
        use hotline_app::import::ImportError;
        match e {
            ImportError::File { message, columns } => ApiError::malformed(message).with_errors(
                columns
                    .into_iter()
                    .map(|c| ProblemField {
                        field: c.field,
                        message: c.message,
                    })
                    .collect(),
            ),
            ImportError::Store(e) => e.into(),
            ImportError::Refused(e) => e.into(),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Validation(errors) => ApiError::validation(errors),
            DomainError::NotFound(what) => ApiError::not_found(what),
            DomainError::Conflict(d) => ApiError::conflict(d),
            DomainError::PreconditionFailed => ApiError::precondition_failed(),
            DomainError::Forbidden(d) => ApiError::forbidden(d),
            DomainError::IdempotencyMismatch => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                "this Idempotency-Key was already used with a different request body",
            ),
            DomainError::Store(s) => s.into(),
            DomainError::Internal(d) => ApiError::internal(d),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The document promises Retry-After on every 429 and 503, bare ones
    /// from a layer (the request timeout) included.
    #[test]
    fn throttled_and_unavailable_answers_say_when_to_retry() {
        for status in [StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE] {
            let res = ApiError::for_status(status).into_response();
            assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "5", "{status}");
        }
        let res = ApiError::unavailable("db down").into_response();
        assert!(res.headers().get(header::RETRY_AFTER).is_some());
        let res = ApiError::for_status(StatusCode::NOT_FOUND).into_response();
        assert!(res.headers().get(header::RETRY_AFTER).is_none());
    }
}
