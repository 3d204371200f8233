//! Headers every answer carries: `X-Content-Type-Options: nosniff`
//! everywhere, and `Cache-Control: no-store` on every answer under
//! `/api/v1` and `/open311` (tokens, customers, calls, work orders,
//! screen-pops, exports: personal data that no browser or shared cache may
//! keep) unless the handler chose its own. ETags still serve `If-Match`.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

fn private(path: &str) -> bool {
    path.starts_with("/api/") || path == "/open311" || path.starts_with("/open311/")
}

pub async fn secure(req: Request, next: Next) -> Response {
    let no_store = private(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if no_store && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
