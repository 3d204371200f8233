//! W3C trace context on the way in and out: the caller's `traceparent`
//! when well formed (else a new trace), this server's span as its child,
//! the trace id in the request's log span and in every problem answer, and
//! `traceparent` naming this server's span on the answer.

use std::time::SystemTime;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
pub use hotline_app::trace::TraceContext;
use hotline_app::trace::{Attr, FinishedSpan, SpanKind, Spans};

pub const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// The trace id of the request being served, if any.
pub fn current_trace_id() -> Option<String> {
    hotline_app::trace::current().map(|c| c.trace_id_hex())
}

/// The caller's context, when its `traceparent` is well formed.
fn callers(req: &Request) -> Option<TraceContext> {
    req.headers()
        .get(&TRACEPARENT)
        .and_then(|v| v.to_str().ok())
        .and_then(TraceContext::parse)
}

pub async fn trace(State(spans): State<Spans>, mut req: Request, next: Next) -> Response {
    let caller = callers(&req);
    // This request's span: the caller's trace continued, or a new one.
    let ctx = caller.map_or_else(|| spans.fresh_trace(), |c| c.child());
    // What a span names, read only when spans are recorded: the method
    // and the route's template, never its path (paths hold numbers and
    // codes).
    let named = spans.enabled().then(|| {
        let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
        (SystemTime::now(), req.method().to_string(), route)
    });
    req.extensions_mut().insert(ctx);
    let mut res = hotline_app::trace::scope(Some(ctx), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&ctx.to_string()) {
        res.headers_mut().insert(TRACEPARENT, v);
    }
    if let Some((started, method, route)) = named {
        let status = res.status().as_u16();
        let mut attributes = vec![
            ("http.request.method", Attr::Str(method.clone())),
            ("http.response.status_code", Attr::Int(i64::from(status))),
        ];
        let name = match route {
            Some(route) => {
                let name = format!("{method} {route}");
                attributes.push(("http.route", Attr::Str(route)));
                name
            }
            None => method,
        };
        spans.record(FinishedSpan {
            context: ctx,
            parent_span_id: caller.map(|c| c.span_id),
            name,
            kind: SpanKind::Server,
            start: started,
            end: SystemTime::now(),
            attributes,
            error: status >= 500,
        });
    }
    res
}
