//! Changing a record under `If-Match`, as a client holding its ETag does.

use axum::http::Method;
use serde_json::Value;

use super::{Reply, TestApp};

impl TestApp {
    /// PATCHes `uri` with `token`, sending `If-Match: if_match`.
    pub async fn patch_if_match(&self, token: &str, uri: &str, if_match: &str, body: Value) -> Reply {
        self.call(Method::PATCH, uri, Some(token), Some(body), &[("if-match", if_match)])
            .await
    }

    /// The first change of a record still at version 1: refused without
    /// `If-Match` (428), then made with `"1"` (200, ETag `"2"`). Returns the
    /// changed record.
    pub async fn first_change(&self, token: &str, uri: &str, patch: Value) -> Value {
        self.call(Method::PATCH, uri, Some(token), Some(patch.clone()), &[])
            .await
            .problem(428, "precondition-required");
        let r = self.patch_if_match(token, uri, "\"1\"", patch).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.header("etag"), Some("\"2\""));
        r.json()
    }
}
