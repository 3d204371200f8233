//! Sign-in, token refresh and sign-out.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use hotline_app::sessions::{self, Session, SessionError, SessionPolicy};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::auth::{RefreshRequest, TokenRequest, TokenResponse};
use crate::dto::problems::{InvalidFields, MalformedJson, NotJson};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ApiJson;
use crate::state::AppState;

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
        // Behind a trusted proxy, the address it forwarded for.
        let resolved = parts.extensions.get::<crate::edge::ClientIp>().map(|c| c.0.to_string());
        let addr = resolved
            .or_else(|| {
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddr(addr))
    }
}

/// The session rules from the configuration.
pub(crate) fn policy(st: &AppState) -> SessionPolicy {
    SessionPolicy {
        refresh_token_ttl_secs: st.config.refresh_token_ttl_secs,
        login_window_secs: st.config.login_window_secs,
        max_failures_per_user: st.config.login_max_failures_per_user,
        max_failures_per_address: st.config.login_max_failures_per_address,
    }
}

/// A session's answer: a fresh access token with its refresh token.
fn token_response(st: &AppState, session: Session) -> ApiResult<Json<TokenResponse>> {
    let access_token = st
        .jwt
        .issue_versioned(
            session.user_id,
            session.sessions_version,
            session.at,
            st.config.access_token_ttl_secs,
        )
        .map_err(ApiError::internal)?;
    Ok(Json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: st.config.access_token_ttl_secs,
        refresh_token: session.refresh_token,
    }))
}

/// 429 with Retry-After while throttled, 401 when refused.
pub(crate) fn problem(e: SessionError) -> ApiError {
    match e {
        SessionError::Throttled { retry_after_secs } => ApiError::too_many_requests(retry_after_secs),
        SessionError::Refused(detail) => ApiError::unauthorized(detail),
        SessionError::Failed(e) => e.into(),
    }
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
    let b = json.body;
    let session = sessions::sign_in(&st.app, &policy(&st), &b.username, b.password, &addr)
        .await
        .map_err(problem)?;
    token_response(&st, session)
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
    let session = sessions::refresh(&st.app, &policy(&st), &json.body.refresh_token)
        .await
        .map_err(problem)?;
    token_response(&st, session)
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
    sessions::sign_out(&st.app, &json.body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}
