//! `If-Match` / `ETag` for optimistic concurrency and `Idempotency-Key` for
//! safe retries.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::error::ApiError;

/// The ETag of a versioned resource.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version a client says it last read; `None` for `If-Match: *`.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_if_match(&parts.headers)
    }
}

impl IfMatch {
    /// 412 unless the client read `version` (or sent `If-Match: *`).
    pub fn check(&self, version: i64) -> Result<(), ApiError> {
        match self.0 {
            Some(expected) if expected != version => Err(ApiError::precondition_failed()),
            _ => Ok(()),
        }
    }
}

fn parse_if_match(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
    let raw = headers
        .get(header::IF_MATCH)
        .ok_or_else(ApiError::precondition_required)?
        .to_str()
        .map_err(|_| ApiError::invalid_parameter("If-Match", "is not a valid ETag"))?
        .trim();
    if raw == "*" {
        return Ok(IfMatch(None));
    }
    let tag = raw.strip_prefix("W/").unwrap_or(raw);
    let version = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i64>().ok());
    version
        .map(|v| IfMatch(Some(v)))
        .ok_or_else(|| ApiError::invalid_parameter("If-Match", "must be an ETag this service issued (like \"3\") or *"))
}

/// An optional, checked `Idempotency-Key`.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        let raw = value
            .to_str()
            .map_err(|_| ApiError::invalid_parameter("Idempotency-Key", "must be visible ASCII characters"))?;
        hotline_domain::idempotency::check_key(raw).map_err(|m| ApiError::invalid_parameter("Idempotency-Key", m))?;
        Ok(IdempotencyKey(Some(raw.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn if_match_forms() {
        assert_eq!(parse_if_match(&with("\"3\"")).ok().map(|m| m.0), Some(Some(3)));
        assert_eq!(parse_if_match(&with("W/\"3\"")).ok().map(|m| m.0), Some(Some(3)));
        assert_eq!(parse_if_match(&with("*")).ok().map(|m| m.0), Some(None));
        assert_eq!(
            parse_if_match(&with("\"abc\"")).err().map(|e| e.status().as_u16()),
            Some(400)
        );
        assert_eq!(
            parse_if_match(&HeaderMap::new()).err().map(|e| e.status().as_u16()),
            Some(428)
        );
        assert_eq!(etag(7), "\"7\"");
        assert!(IfMatch(Some(3)).check(3).is_ok());
        assert!(IfMatch(None).check(9).is_ok());
        assert_eq!(IfMatch(Some(2)).check(3).err().map(|e| e.status().as_u16()), Some(412));
    }
}
