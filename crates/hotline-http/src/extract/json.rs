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
    if let Some(field) = duplicate_key(bytes) {
        return Err(ApiError::invalid_field(&field, "appears more than once in the object"));
    }
    let body = serde_path_to_error::deserialize(&raw).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        ApiError::validation(vec![field_error(&path, &message)].into_iter().map(Into::into).collect())
    })?;
    Ok(ApiJson { body, raw })
}

/// The first key an object repeats (`name`, `phones[0].kind`). Parsers
/// disagree on which of two values wins, so a proxy and this service could
/// read different bodies; such a body is refused instead.
fn duplicate_key(bytes: &[u8]) -> Option<String> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;

    struct Walk<'a> {
        path: String,
        found: &'a RefCell<Option<String>>,
    }
    impl Walk<'_> {
        fn at(&self, path: String) -> Walk<'_> {
            Walk {
                path,
                found: self.found,
            }
        }
    }
    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while seq.next_element_seed(self.at(format!("{}[{i}]", self.path)))?.is_some() {
                i += 1;
            }
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = if self.path.is_empty() {
                    key.clone()
                } else {
                    format!("{}.{key}", self.path)
                };
                if !seen.insert(key) {
                    *self.found.borrow_mut() = Some(path);
                    return Err(serde::de::Error::custom("duplicate key"));
                }
                map.next_value_seed(self.at(path))?;
            }
            Ok(())
        }
    }
    let found = RefCell::new(None);
    let walk = Walk {
        path: String::new(),
        found: &found,
    };
    let _ = walk.deserialize(&mut serde_json::Deserializer::from_slice(bytes));
    found.into_inner()
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
    fn repeated_keys_are_refused_by_name() {
        assert_eq!(fields(parse(br#"{"name":"a","name":"b"}"#)), (422, vec!["name".into()]));
        assert_eq!(
            fields(parse(br#"{"name":"a","inner":{"count":1,"count":2}}"#)),
            (422, vec!["inner.count".into()])
        );
        assert!(parse::<Body>(br#"{"name":"a","inner":{"count":1}}"#).is_ok());
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        assert_eq!(fields(parse(b"{\"name\": ")).0, 400);
        assert_eq!(fields(parse(b"\xff\xfe")).0, 400);
        let deep = "[".repeat(10_000);
        assert_eq!(fields(parse(deep.as_bytes())).0, 400);
    }
}
