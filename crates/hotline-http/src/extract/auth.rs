//! `Authorization: Bearer …` with either an access token or an API key.
//! Missing or bad credentials are 401 with `WWW-Authenticate`, never ignored.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use hotline_domain::principal::Principal;

use crate::auth::jwt::Verified;
use crate::auth::principals::Known;
use crate::auth::scopes::{self, Needs};
use crate::error::ApiError;
use crate::state::AppState;
use hotline_app::{principals, secrets};
use hotline_domain::key_scope::KeyScope;

/// The authenticated caller.
pub struct Auth(pub Principal);

impl Auth {
    /// The caller behind an API key given outside the `Authorization`
    /// header (an Open311 `api_key` field); 401 when unknown or revoked,
    /// 403 when the key is limited to scopes without `open311`.
    pub async fn from_api_key(state: &AppState, key: &str) -> Result<Auth, ApiError> {
        let known = api_key(state, key).await?;
        scopes::permit(known.scopes.as_deref(), Needs::Scope(KeyScope::Open311))?;
        Ok(Auth(known.principal))
    }

    /// The caller behind a bearer credential given outside the
    /// `Authorization` header (the live stream's `access_token`).
    pub async fn from_bearer(state: &AppState, token: &str) -> Result<Auth, ApiError> {
        let known = bearer(state, token, None).await?;
        scopes::permit(known.scopes.as_deref(), Needs::Scope(KeyScope::Stream))?;
        Ok(Auth(known.principal))
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
        let known = bearer(state, token, parts.extensions.get()).await?;
        scopes::permit(known.scopes.as_deref(), scopes::needs(&parts.method, parts.uri.path()))?;
        let auth = Auth(known.principal);
        if let (Some(lang), Some(slot)) = (auth.0.language, parts.extensions.get::<crate::i18n::Preferred>()) {
            slot.set(lang);
        }
        Ok(auth)
    }
}

/// Whom an access token or an API key stands for.
async fn bearer(state: &AppState, token: &str, verified: Option<&Verified>) -> Result<Known, ApiError> {
    if token.starts_with(secrets::API_KEY_PREFIX) {
        api_key(state, token).await
    } else {
        user(state, token, verified).await
    }
}

async fn api_key(state: &AppState, key: &str) -> Result<Known, ApiError> {
    known_key(state, key)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the API key is unknown or revoked"))
}

/// Whom a live API key belongs to, for a route that needs `scope`; None
/// when it is unknown or revoked, 403 when it is limited to scopes
/// without that one.
pub async fn key_holder(state: &AppState, key: &str, scope: KeyScope) -> Result<Option<Principal>, ApiError> {
    let Some(known) = known_key(state, key).await? else {
        return Ok(None);
    };
    scopes::permit(known.scopes.as_deref(), Needs::Scope(scope))?;
    Ok(Some(known.principal))
}

/// Whom a live API key belongs to, whatever its scopes (the bucket its
/// requests are counted in); None when it is unknown or revoked.
pub async fn key_owner(state: &AppState, key: &str) -> Result<Option<Principal>, ApiError> {
    Ok(known_key(state, key).await?.map(|k| k.principal))
}

async fn known_key(state: &AppState, key: &str) -> Result<Option<Known>, ApiError> {
    let hash = secrets::hash(key);
    let remembered = format!("key:{hash}");
    if let Some(k) = state.principals.get(&remembered) {
        return Ok(Some(k));
    }
    let found = principals::key_holder(&state.app, &hash)
        .await?
        .map(|(principal, scopes)| Known {
            principal,
            scopes,
            sessions_version: 0,
        });
    if let Some(k) = &found {
        state.principals.put(remembered, k);
    }
    Ok(found)
}

/// The user behind an access token: refused when it is invalid or
/// expired, when the account is disabled or gone, and when it was issued
/// before the account's last password change or reset.
async fn user(state: &AppState, token: &str, verified: Option<&Verified>) -> Result<Known, ApiError> {
    let (id, version) = state
        .jwt
        .verify_once(token, state.app.now(), verified)
        .map_err(|reason| {
            tracing::debug!(%reason, "access token refused");
            ApiError::unauthorized("the access token is invalid or expired")
        })?;
    let remembered = format!("user:{id}");
    // A remembered entry older than the token (the password was changed
    // through another replica) is read again, not trusted.
    let known = match state.principals.get(&remembered) {
        Some(k) if k.sessions_version >= version => k,
        _ => {
            let (principal, sessions_version) = principals::session_holder(&state.app, id)
                .await?
                .ok_or_else(|| ApiError::unauthorized("the account is disabled or gone"))?;
            let k = Known {
                principal,
                scopes: None,
                sessions_version,
            };
            state.principals.put(remembered, &k);
            k
        }
    };
    if version != known.sessions_version {
        return Err(ApiError::unauthorized(
            "the password was changed since this token was issued; sign in again",
        ));
    }
    Ok(known)
}
