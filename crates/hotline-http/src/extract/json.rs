//! JSON bodies: checked content type, size-limited, and every failure named
//! by field (`serde_path_to_error`) instead of axum's plain-text rejections.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body::{is_json, media_type, read_body};
use crate::error::{ApiError, ProblemField};

/// A parsed JSON body, plus the raw JSON value (for idempotency fingerprints).
pub struct ApiJson<T> {
    pub body: T,
    pub raw: Value,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(&media_type(req.headers())) {
            return Err(ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let bytes = read_body(req, state).await?;
        parse(&bytes)
    }
}

/// Parses a body in two steps so syntax errors (400) and errors of shape or
/// type (422, with the field named) are told apart.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<ApiJson<T>, ApiError> {
    let raw: Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::malformed(format!("the body is not valid JSON: {e}")))?;
    // Every body of this API is an object; say so plainly for anything else.
    if !raw.is_object() {
        return Err(ApiError::invalid_field("body", "must be a JSON object"));
    }
    let body = serde_path_to_error::deserialize(&raw).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        ApiError::validation(vec![field_error(&path, &message)].into_iter().map(Into::into).collect())
    })?;
    Ok(ApiJson { body, raw })
}

/// Names the field a serde error is about. serde reports a missing field at
/// its parent object; we name the field itself.
fn field_error(path: &str, message: &str) -> ProblemField {
    let parent = if path == "." { "" } else { path };
    let named = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        let name = rest.split('`').next()?;
        Some(if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        })
    };
    // An unknown field is reported at its own path already.
    let field = named("missing field `").unwrap_or_else(|| {
        if parent.is_empty() {
            "body".into()
        } else {
            parent.to_string()
        }
    });
    let message = if message.starts_with("unknown field") {
        message
            .split(", expected")
            .next()
            .unwrap_or(message)
            .replace("unknown field", "is not a known field:")
    } else {
        message.to_string()
    };
    ProblemField { field, message }
}

impl From<ProblemField> for hotline_domain::FieldError {
    fn from(p: ProblemField) -> Self {
        hotline_domain::FieldError {
            field: p.field,
            message: p.message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn fields(r: Result<ApiJson<Body>, ApiError>) -> (u16, Vec<String>) {
        let e = r.err().expect("should fail");
        let p = e.problem();
        (p.status, p.errors.into_iter().map(|f| f.field).collect())
    }

    #[test]
    fn names_the_failing_field() {
        assert_eq!(fields(parse(br#"{"name": 3}"#)), (422, vec!["name".into()]));
        assert_eq!(fields(parse(br#"{}"#)), (422, vec!["name".into()]));
        assert_eq!(fields(parse(br#"{"name":"a","bogus":1}"#)), (422, vec!["bogus".into()]));
        assert_eq!(
            fields(parse(br#"{"name":"a","inner":{"count":-1}}"#)),
            (422, vec!["inner.count".into()])
        );
        assert_eq!(
            fields(parse(br#"{"name":"a","inner":{}}"#)),
            (422, vec!["inner.count".into()])
        );
        assert_eq!(fields(parse(br#"[1]"#)), (422, vec!["body".into()]));
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        assert_eq!(fields(parse(b"{\"name\": ")).0, 400);
        assert_eq!(fields(parse(b"\xff\xfe")).0, 400);
        let deep = "[".repeat(10_000);
        assert_eq!(fields(parse(deep.as_bytes())).0, 400);
    }
}
