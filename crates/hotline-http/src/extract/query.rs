//! Query strings, with the offending parameter named on failure.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        parse(query).map(ApiQuery)
    }
}

/// Parameters given with an empty value (`cursor=`, as many generated
/// clients send for unset options) count as absent.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    // A NUL or other control character is in no code, name or search; the
    // databases treat a NUL differently (PostgreSQL refuses it, SQLite's
    // LIKE stops at it and matches everything), so it stops here.
    if let Some((name, _)) = form_urlencoded::parse(query.as_bytes())
        .find(|(_, v)| v.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')))
    {
        return Err(ApiError::invalid_parameter(
            &name,
            "must not contain control characters",
        ));
    }
    let present = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(query.as_bytes()).filter(|(_, v)| !v.is_empty()))
        .finish();
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(present.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        let field = message
            .strip_prefix("unknown field `")
            .or_else(|| message.strip_prefix("missing field `"))
            .and_then(|r| r.split('`').next())
            .map(str::to_string)
            .unwrap_or(if path == "." { "query".into() } else { path });
        let message = message.split(", expected").next().unwrap_or(&message).to_string();
        ApiError::invalid_parameter(&field, message)
    })
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        limit: Option<u64>,
        q: Option<String>,
    }

    #[test]
    fn names_the_bad_parameter() {
        let e = parse::<Q>("limit=abc").err().unwrap().problem();
        assert_eq!((e.status, e.errors[0].field.as_str()), (400, "limit"));
        let e = parse::<Q>("bogus=1").err().unwrap().problem();
        assert_eq!(e.errors[0].field, "bogus");
        let ok = parse::<Q>("q=c%C3%A0+mau&limit=5").unwrap();
        assert_eq!((ok.q.as_deref(), ok.limit), (Some("cà mau"), Some(5)));
        let e = parse::<Q>("q=a%00b").err().unwrap().problem();
        assert_eq!((e.status, e.errors[0].field.as_str()), (400, "q"));
        let empty = parse::<Q>("q=&limit=").unwrap();
        assert_eq!((empty.q, empty.limit), (None, None));
    }
}
