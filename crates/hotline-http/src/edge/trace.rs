//! W3C trace context on the way in and out: the caller's `traceparent`
//! when well formed (else a new trace), this server's span as its child,
//! the trace id in the request's log span and in every problem answer, and
//! `traceparent` naming this server's span on the answer.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
pub use hotline_app::trace::TraceContext;

pub const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// The trace id of the request being served, if any.
pub fn current_trace_id() -> Option<String> {
    hotline_app::trace::current().map(|c| c.trace_id_hex())
}

/// This request's span: the caller's trace continued, or a new one.
fn context(req: &Request) -> TraceContext {
    req.headers()
        .get(&TRACEPARENT)
        .and_then(|v| v.to_str().ok())
        .and_then(TraceContext::parse)
        .map(|caller| caller.child())
        .unwrap_or_else(TraceContext::fresh)
}

pub async fn trace(mut req: Request, next: Next) -> Response {
    let ctx = context(&req);
    req.extensions_mut().insert(ctx);
    let mut res = hotline_app::trace::scope(Some(ctx), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&ctx.to_string()) {
        res.headers_mut().insert(TRACEPARENT, v);
    }
    res
}
