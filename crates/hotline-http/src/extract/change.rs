//! A change to a versioned resource, as the `PATCH`-like routes take it.

use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::de::DeserializeOwned;

use super::{ApiJson, ApiPath, IfMatch};
use crate::error::ApiError;

/// The path's key, the version the client read (`If-Match`; `None` for `*`)
/// and the JSON body. They are read, and refused, in that order: a bad key
/// is answered before a missing `If-Match`, and that before a bad body.
pub struct Change<K, T> {
    pub key: K,
    pub expected: Option<i64>,
    pub body: T,
}

impl<S: Send + Sync, K: DeserializeOwned + Send, T: DeserializeOwned> FromRequest<S> for Change<K, T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let ApiPath(key) = ApiPath::from_request_parts(&mut parts, state).await?;
        let IfMatch(expected) = IfMatch::from_request_parts(&mut parts, state).await?;
        let json = ApiJson::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Change {
            key,
            expected,
            body: json.body,
        })
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use axum::routing::patch;
    use tower::ServiceExt;
    use uuid::Uuid;

    use super::Change;

    async fn status(path: &str, if_match: Option<&str>, content_type: &str, body: &str) -> StatusCode {
        let app = Router::new().route(
            "/things/{id}",
            patch(|c: Change<Uuid, serde_json::Value>| async move {
                assert!(c.body.is_object());
                c.expected.map_or(StatusCode::NO_CONTENT, |_| StatusCode::OK)
            }),
        );
        let mut req = Request::patch(path).header(header::CONTENT_TYPE, content_type);
        if let Some(tag) = if_match {
            req = req.header(header::IF_MATCH, tag);
        }
        let res = app
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        res.status()
    }

    #[tokio::test]
    async fn refuses_the_key_then_if_match_then_the_body() {
        let id = Uuid::nil();
        let ok = format!("/things/{id}");
        assert_eq!(
            status(&ok, Some("\"3\""), "application/json", "{}").await,
            StatusCode::OK
        );
        assert_eq!(
            status(&ok, Some("*"), "application/json", "{}").await,
            StatusCode::NO_CONTENT
        );
        // A bad key comes first, whatever else is wrong.
        assert_eq!(
            status("/things/nope", None, "text/plain", "x").await,
            StatusCode::BAD_REQUEST
        );
        // Then a missing If-Match, before the body is looked at.
        assert_eq!(
            status(&ok, None, "text/plain", "x").await,
            StatusCode::PRECONDITION_REQUIRED
        );
        // Then the body.
        assert_eq!(
            status(&ok, Some("\"3\""), "text/plain", "{}").await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            status(&ok, Some("\"3\""), "application/json", "[").await,
            StatusCode::BAD_REQUEST
        );
    }
}
