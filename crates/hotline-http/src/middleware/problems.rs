//! Every error response leaves as problem+json — also those made outside our
//! handlers (unknown route, wrong method, timeout) — and server errors are
//! logged here, with the request's span, never sent to the client.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, InternalDetail};

pub async fn problemify(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if let Some(InternalDetail(detail)) = res.extensions().get::<InternalDetail>() {
        tracing::error!(status = status.as_u16(), error = %detail, "request failed");
    } else if status.is_server_error() {
        tracing::error!(status = status.as_u16(), "request failed");
    }
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !plain {
        return res;
    }
    // A bare status from axum or tower: give it our body, keep its headers
    // (Allow on 405, Retry-After…).
    let (parts, _) = res.into_parts();
    let mut fresh = ApiError::for_status(status).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let (mut p, b): (_, Body) = fresh.into_parts();
    p.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(crate::error::PROBLEM_JSON),
    );
    Response::from_parts(p, b)
}
