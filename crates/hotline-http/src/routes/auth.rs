//! Sign-in, token refresh and sign-out.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use hotline_domain::user::{RefreshToken, RotateOutcome, normalize_username};
use uuid::Uuid;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::auth::{RefreshRequest, TokenRequest, TokenResponse};
use crate::dto::problems::{InvalidFields, MalformedJson, NotJson};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ApiJson;
use crate::state::AppState;
use hotline_app::passwords as password;
use hotline_app::secrets;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(token))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

/// The client's address, for throttling guesses per address.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddr(addr))
    }
}

/// A new refresh token: the secret for the client, the hash for storage.
fn new_refresh(st: &AppState, user_id: Uuid, now: DateTime<Utc>) -> (String, RefreshToken) {
    let secret = secrets::random_token(32);
    let stored = RefreshToken {
        token_hash: secrets::hash(&secret),
        user_id,
        family: Uuid::now_v7(),
        expires_at: now + Duration::seconds(st.config.refresh_token_ttl_secs),
    };
    (secret, stored)
}

fn token_response(st: &AppState, user_id: Uuid, refresh_token: String, now: DateTime<Utc>) -> ApiResult<TokenResponse> {
    let access_token = st
        .jwt
        .issue(user_id, now, st.config.access_token_ttl_secs)
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: st.config.access_token_ttl_secs,
        refresh_token,
    })
}

/// Refuses with 429 while too many recent failures stand against this
/// username or address.
async fn throttle(st: &AppState, username: &str, addr: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let window = Duration::seconds(st.config.login_window_secs);
    let f = st
        .app
        .store
        .login_throttle()
        .failures_since(username, addr, now - window)
        .await?;
    let retry =
        |oldest: Option<DateTime<Utc>>| oldest.map_or(window.num_seconds(), |o| (o + window - now).num_seconds());
    if f.user >= st.config.login_max_failures_per_user {
        return Err(ApiError::too_many_requests(retry(f.user_oldest)));
    }
    if f.address >= st.config.login_max_failures_per_address {
        return Err(ApiError::too_many_requests(retry(f.address_oldest)));
    }
    Ok(())
}

/// Sign in with a username and password.
#[utoipa::path(
    post, path = "/api/v1/auth/token", tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        MalformedJson,
        (status = 401, description = "Wrong username or password, or the account is disabled", body = Problem, content_type = "application/problem+json"),
        NotJson,
        InvalidFields,
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
async fn token(
    State(st): State<AppState>,
    ClientAddr(addr): ClientAddr,
    json: ApiJson<TokenRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let now = st.app.now();
    // An impossible username still counts as a guess, under its raw form.
    let username =
        normalize_username(&json.body.username).unwrap_or_else(|_| json.body.username.chars().take(64).collect());
    throttle(&st, &username, &addr, now).await?;
    let creds = st.app.store.users().credentials(&username).await?;
    let stored = creds.as_ref().map(|c| c.password_hash.clone());
    let ok = password::verify(json.body.password, stored).await;
    match creds {
        Some(c) if ok && !c.user.disabled => {
            st.app.store.login_throttle().clear(&username).await?;
            let (secret, stored) = new_refresh(&st, c.user.id, now);
            st.app.store.refresh_tokens().insert(&stored).await?;
            Ok(Json(token_response(&st, c.user.id, secret, now)?))
        }
        _ => {
            st.app
                .store
                .login_throttle()
                .record_failure(&username, &addr, now)
                .await?;
            Err(ApiError::unauthorized(
                "wrong username or password, or the account is disabled",
            ))
        }
    }
}

/// Exchange a refresh token for a new pair. Each refresh token works once;
/// replaying a used one revokes every token of that sign-in.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair", body = TokenResponse),
        MalformedJson,
        (status = 401, description = "Unknown, used, expired or revoked refresh token", body = Problem, content_type = "application/problem+json"),
        NotJson,
        InvalidFields,
    ),
    security(())
)]
async fn refresh(State(st): State<AppState>, json: ApiJson<RefreshRequest>) -> ApiResult<Json<TokenResponse>> {
    let now = st.app.now();
    // The store gives the new token the old one's owner and family.
    let (secret, next) = new_refresh(&st, Uuid::nil(), now);
    let old_hash = secrets::hash(&json.body.refresh_token);
    match st.app.store.refresh_tokens().rotate(&old_hash, &next, now).await? {
        RotateOutcome::Rotated { user_id } => {
            let user = st.app.store.users().get(user_id).await?;
            if user.is_none_or(|u| u.disabled) {
                st.app.store.refresh_tokens().revoke(&next.token_hash, now).await?;
                return Err(ApiError::unauthorized("the account is disabled or gone"));
            }
            Ok(Json(token_response(&st, user_id, secret, now)?))
        }
        RotateOutcome::Reused => Err(ApiError::unauthorized(
            "this refresh token was already used; every token of that sign-in is now revoked",
        )),
        RotateOutcome::Invalid => Err(ApiError::unauthorized(
            "the refresh token is unknown, expired or revoked",
        )),
    }
}

/// Sign out: revoke a refresh token.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Revoked (also when it already was)"),
        MalformedJson,
        NotJson,
        InvalidFields,
    ),
    security(())
)]
async fn logout(State(st): State<AppState>, json: ApiJson<RefreshRequest>) -> ApiResult<StatusCode> {
    st.app
        .store
        .refresh_tokens()
        .revoke(&secrets::hash(&json.body.refresh_token), st.app.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
