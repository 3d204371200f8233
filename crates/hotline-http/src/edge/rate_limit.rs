//! Request-rate limits: a token bucket per API key, per signed-in user, and
//! per client address for requests without a valid credential (signing
//! in, Open311's public reads). Every limited answer says where the caller
//! stands in the IETF draft's fields (draft-ietf-httpapi-ratelimit-headers):
//! `RateLimit-Policy: "default";q=<burst>;w=<seconds to refill>` and
//! `RateLimit: "default";r=<left>;t=<seconds until full>`; a refused one is
//! 429 problem+json with `Retry-After`. Health probes are never limited.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::client::ClientIp;
use super::limiter::{RateLimiter, Verdict};
use crate::error::ApiError;
use crate::state::AppState;

pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");

/// What the middleware needs: the buckets of people (users, and client
/// addresses without a credential) and of API keys, and, to tell callers
/// apart, the token keys and the API-key look-up. None: not limited.
#[derive(Clone)]
pub struct Limits {
    pub people: Option<Arc<RateLimiter>>,
    /// PBXs and integrations push every call event of a storm through one
    /// key: their limit is their own, far above a person's.
    pub keys: Option<Arc<RateLimiter>>,
    pub state: AppState,
}

/// Paths never limited: the orchestrator's probes and the scraper.
fn exempt(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// The credential a request carries: the `Authorization` header's bearer
/// token, else an API key in the path (as PBXs send it).
fn credential(req: &Request) -> Option<String> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    bearer.or_else(|| {
        req.uri()
            .path()
            .split('/')
            .find(|seg| seg.starts_with(hotline_app::secrets::API_KEY_PREFIX))
            .map(str::to_string)
    })
}

/// The bucket a request draws from: its API key's or user's id when the
/// credential is valid, else its client address; and whether it is a
/// key's. A verified access token is left in the request, so that the
/// handler does not verify it again.
async fn caller(st: &AppState, req: &mut Request, client: Option<ClientIp>) -> (String, bool) {
    match credential(req) {
        Some(key) if key.starts_with(hotline_app::secrets::API_KEY_PREFIX) => {
            if let Ok(Some(p)) = crate::extract::key_owner(st, &key).await {
                return (format!("key:{}", p.id), true);
            }
        }
        Some(token) => {
            if let Ok((id, version)) = st.jwt.verify_versioned(&token, st.app.now()) {
                req.extensions_mut()
                    .insert(crate::auth::jwt::Verified { token, id, version });
                return (format!("user:{id}"), false);
            }
        }
        None => {}
    }
    let addr = match client {
        Some(ClientIp(ip)) => format!("addr:{ip}"),
        None => "addr:unknown".into(),
    };
    (addr, false)
}

fn say(headers: &mut HeaderMap, name: &str, limiter: &RateLimiter, v: &Verdict) {
    let policy = format!("\"{name}\";q={};w={}", limiter.burst(), limiter.window_secs());
    let state = format!("\"{name}\";r={};t={}", v.remaining, v.reset_secs);
    for (name, value) in [(RATELIMIT_POLICY, policy), (RATELIMIT, state)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}

pub async fn limit(State(limits): State<Limits>, mut req: Request, next: Next) -> Response {
    if exempt(req.uri().path()) {
        return next.run(req).await;
    }
    let client = req.extensions().get::<ClientIp>().copied();
    let (who, is_key) = caller(&limits.state, &mut req, client).await;
    let (name, limiter) = if is_key {
        ("key", &limits.keys)
    } else {
        ("default", &limits.people)
    };
    let Some(limiter) = limiter else {
        return next.run(req).await;
    };
    let verdict = limiter.check(&who, Instant::now());
    let mut res = if verdict.allowed {
        next.run(req).await
    } else {
        tracing::info!(caller = %who, "request refused: rate limit");
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "Too many requests",
            "slow down and retry later",
        )
        .with_header(header::RETRY_AFTER, &verdict.retry_after_secs.to_string())
        .into_response()
    };
    say(res.headers_mut(), name, limiter, &verdict);
    res
}
