//! CORS for the softphone plugins and wallboards that run in browsers on
//! other origins (`HOTLINE_CORS_ORIGINS`, exact origins). Credentials are
//! allowed, so the allowed origin is echoed, never `*` (browsers refuse
//! `*` with credentials, and reflecting any origin would let every site
//! read what a signed-in agent may). A preflight from an allowed origin is
//! answered 204 here, before authentication; an origin not on the list
//! gets no CORS headers at all (its preflight goes on to the routes, which
//! have no OPTIONS: 405).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Methods a browser may use.
const METHODS: &str = "GET, POST, PUT, PATCH, DELETE";
/// Request headers a browser may send.
const ALLOWED: &str =
    "authorization, content-type, last-event-id, if-match, idempotency-key, accept-language, traceparent";
/// Answer headers a page may read beyond the safelisted ones.
const EXPOSED: &str =
    "etag, location, retry-after, ratelimit, ratelimit-policy, content-language, x-request-id, traceparent";
/// How long a browser may keep a preflight's answer.
const MAX_AGE_SECS: &str = "600";

/// The allowed origins, as browsers send them (`https://host[:port]`).
#[derive(Clone, Debug, Default)]
pub struct Origins(pub Arc<Vec<String>>);

impl Origins {
    /// Parses the comma-separated list: exact origins (scheme, host,
    /// optional port; no path); `*` is refused.
    pub fn parse(s: &str) -> Result<Origins, String> {
        let mut out = Vec::new();
        for o in s.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            if o == "*" {
                return Err("`*` cannot be used: credentials are allowed, so each origin must be named".into());
            }
            let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
            let ok = rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '?', '#', '*', ' ']));
            if !ok {
                return Err(format!("{o:?} is not an origin like https://wallboard.example.vn"));
            }
            out.push(o.to_ascii_lowercase());
        }
        Ok(Origins(Arc::new(out)))
    }

    fn allows(&self, origin: &str) -> bool {
        self.0.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

pub async fn cors(State(origins): State<Origins>, req: Request, next: Next) -> Response {
    if origins.0.is_empty() {
        return next.run(req).await;
    }
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| origins.allows(o))
        .map(str::to_string);
    let Some(origin) = origin else {
        let mut res = next.run(req).await;
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("origin"));
        return res;
    };
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut res = if preflight {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NO_CONTENT;
        let h = res.headers_mut();
        set(h, header::ACCESS_CONTROL_ALLOW_METHODS, METHODS);
        set(h, header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED);
        set(h, header::ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECS);
        res
    } else {
        let mut res = next.run(req).await;
        set(res.headers_mut(), header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        res
    };
    let h = res.headers_mut();
    set(h, header::ACCESS_CONTROL_ALLOW_ORIGIN, &origin);
    set(h, header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    h.append(header::VARY, HeaderValue::from_static("origin"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_exact_and_never_a_wildcard() {
        let o = Origins::parse("https://wallboard.evnspc.vn, http://localhost:5173").unwrap();
        assert!(o.allows("https://wallboard.evnspc.vn") && o.allows("http://localhost:5173"));
        assert!(!o.allows("https://evil.example") && !o.allows("https://wallboard.evnspc.vn.evil.example"));
        assert!(Origins::parse("*").is_err());
        assert!(Origins::parse("https://a.vn, *").is_err());
        for bad in ["wallboard.vn", "https://a.vn/path", "https://*.a.vn", "ftp://a.vn"] {
            assert!(Origins::parse(bad).is_err(), "{bad}");
        }
        assert!(Origins::parse("").unwrap().0.is_empty());
    }
}
