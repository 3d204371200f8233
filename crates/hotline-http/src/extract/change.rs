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
