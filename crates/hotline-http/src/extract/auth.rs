//! `Authorization: Bearer …` with either an access token or an API key.
//! Missing or bad credentials are 401 with `WWW-Authenticate`, never ignored.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use hotline_domain::principal::Principal;

use crate::error::ApiError;
use crate::state::AppState;
use hotline_app::{principals, secrets};

/// The authenticated caller.
pub struct Auth(pub Principal);

impl Auth {
    /// The caller behind an API key given outside the `Authorization`
    /// header (an Open311 `api_key` field); 401 when unknown or revoked.
    pub async fn from_api_key(state: &AppState, key: &str) -> Result<Auth, ApiError> {
        api_key(state, key).await.map(Auth)
    }

    /// The caller behind a bearer credential given outside the
    /// `Authorization` header (an access token or an API key).
    pub async fn from_bearer(state: &AppState, token: &str) -> Result<Auth, ApiError> {
        let principal = if token.starts_with(secrets::API_KEY_PREFIX) {
            api_key(state, token).await?
        } else {
            user(state, token).await?
        };
        Ok(Auth(principal))
    }

    /// Refuses with 403 unless `allowed` holds for the caller's role.
    pub fn require(&self, allowed: bool, what: &str) -> Result<(), ApiError> {
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("the {} role may not {what}", self.0.role)))
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("send Authorization: Bearer <access token or API key>"))?;
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("the Authorization header is not valid"))?;
        let (scheme, token) = value.trim().split_once(' ').unwrap_or((value, ""));
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(ApiError::unauthorized("use the Bearer scheme"));
        }
        let auth = Auth::from_bearer(state, token).await?;
        if let (Some(lang), Some(slot)) = (auth.0.language, parts.extensions.get::<crate::i18n::Preferred>()) {
            slot.set(lang);
        }
        Ok(auth)
    }
}

async fn api_key(state: &AppState, key: &str) -> Result<Principal, ApiError> {
    key_holder(state, key)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the API key is unknown or revoked"))
}

/// Whom a live API key belongs to; None when it is unknown or revoked.
pub async fn key_holder(state: &AppState, key: &str) -> Result<Option<Principal>, ApiError> {
    let hash = secrets::hash(key);
    let remembered = format!("key:{hash}");
    if let Some(p) = state.principals.get(&remembered) {
        return Ok(Some(p));
    }
    let found = principals::for_key(&state.app, &hash).await?;
    if let Some(p) = &found {
        state.principals.put(remembered, p);
    }
    Ok(found)
}

async fn user(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    let id = state.jwt.verify(token, state.app.now()).map_err(|reason| {
        tracing::debug!(%reason, "access token refused");
        ApiError::unauthorized("the access token is invalid or expired")
    })?;
    let remembered = format!("user:{id}");
    if let Some(p) = state.principals.get(&remembered) {
        return Ok(p);
    }
    let found = principals::for_user(&state.app, id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the account is disabled or gone"))?;
    state.principals.put(remembered, &found);
    Ok(found)
}
