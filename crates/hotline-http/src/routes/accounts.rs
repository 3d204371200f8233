//! The caller's own account (`/api/v1/me`), changing one's password, and
//! an admin's one-time password reset.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_app::accounts::{self, Account};
use hotline_domain::principal::Principal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::auth::{ClientAddr, policy, problem};
use crate::dto::accounts::{MePatchBody, MeView, PasswordChangeBody, PasswordResetBody, PasswordResetView};
use crate::dto::api_keys::scope_names;
use crate::dto::params::IfMatchHeader;
use crate::dto::problems::{AdminsOnly, InvalidFields, MalformedId, MalformedJson, NoSuchUser, NotJson, VersionedEdit};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Auth, IfMatch};
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, patch_me))
        .routes(routes!(change_password))
        .routes(routes!(issue_reset))
        .routes(routes!(redeem_reset))
}

fn view(who: &Principal, account: Account) -> MeView {
    match account {
        Account::User(u) => MeView {
            id: u.id,
            kind: "user".into(),
            username: u.username,
            role: u.role.into(),
            unit_code: u.unit_code.map(String::from),
            team_code: u.team_code.map(String::from),
            language: u.language.map(Into::into),
            scopes: None,
            password_changed_at: u.password_changed_at,
            version: u.version,
        },
        Account::Key(k) => MeView {
            id: k.id,
            kind: "api_key".into(),
            username: who.name.clone(),
            role: k.role.into(),
            unit_code: k.unit_code.map(String::from),
            team_code: None,
            language: k.language.map(Into::into),
            scopes: scope_names(k.scopes.as_deref()),
            password_changed_at: None,
            version: 0,
        },
    }
}

fn me_response(who: &Principal, account: Account) -> ApiResult<Response> {
    let me = view(who, account);
    let version = me.version;
    versioned(StatusCode::OK, &me, None, version)
}

/// Who the caller is: the signed-in user (username, role, unit, team,
/// language) or the API key (name, role, unit, scopes).
#[utoipa::path(
    get, path = "/api/v1/me", tag = "account",
    responses(
        (status = 200, description = "The caller's account", body = MeView, headers(("ETag" = String))),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_me(State(st): State<AppState>, auth: Auth) -> ApiResult<Response> {
    let account = accounts::me(&st.app, &auth.0).await?;
    me_response(&auth.0, account)
}

/// Change one's own language (nothing else of one's account: role, unit
/// and team are an admin's to change). API keys get 403.
#[utoipa::path(
    patch, path = "/api/v1/me", tag = "account",
    params(IfMatchHeader),
    request_body = MePatchBody,
    responses(
        (status = 200, description = "Updated", body = MeView, headers(("ETag" = String))),
        MalformedJson,
        (status = 403, description = "An API key has no account of its own to change", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn patch_me(
    State(st): State<AppState>,
    auth: Auth,
    IfMatch(expected): IfMatch,
    json: ApiJson<MePatchBody>,
) -> ApiResult<Response> {
    let language = json.body.language.map(|l| l.map(Into::into));
    let user = accounts::set_language(&st.app, &auth.0, expected, language).await?;
    st.principals.forget_all();
    me_response(&auth.0, Account::User(user))
}

/// Change one's own password with the current one. Throttled like
/// signing in; every sign-in of the account ends (refresh tokens revoked,
/// access tokens issued before refused): sign in again.
#[utoipa::path(
    post, path = "/api/v1/me/password", tag = "account",
    request_body = PasswordChangeBody,
    responses(
        (status = 204, description = "Changed; every session of the account is ended"),
        MalformedJson,
        (status = 403, description = "An API key has no password", body = Problem, content_type = "application/problem+json"),
        NotJson,
        (status = 422, description = "Wrong `current_password`, or a `new_password` that breaks the rules", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn change_password(
    State(st): State<AppState>,
    auth: Auth,
    ClientAddr(addr): ClientAddr,
    json: ApiJson<PasswordChangeBody>,
) -> ApiResult<StatusCode> {
    let b = json.body;
    accounts::change_password(
        &st.app,
        &policy(&st),
        &auth.0,
        b.current_password,
        b.new_password,
        &addr,
    )
    .await
    .map_err(problem)?;
    st.principals.forget_all();
    Ok(StatusCode::NO_CONTENT)
}

/// Issue a one-time password reset for a user (admins). The token is
/// shown only in this answer, is kept hashed, and expires after
/// `HOTLINE_PASSWORD_RESET_TTL_SECS`.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/password-reset", tag = "users",
    params(("id" = Uuid, Path)),
    responses(
        (status = 201, description = "Issued; give the token to the user", body = PasswordResetView),
        MalformedId,
        AdminsOnly,
        NoSuchUser,
    ),
    security(("bearer" = []))
)]
async fn issue_reset(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let ttl = st.config.password_reset_ttl_secs;
    let issued = accounts::issue_reset(&st.app, &auth.0, id, ttl).await?;
    let body = PasswordResetView {
        user_id: issued.user_id,
        token: issued.token,
        expires_at: issued.expires_at,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Set a new password with a reset token (no bearer). Each token works
/// once, before it expires; every sign-in of the account ends.
#[utoipa::path(
    post, path = "/api/v1/auth/password-reset", tag = "auth",
    request_body = PasswordResetBody,
    responses(
        (status = 204, description = "The password is set; sign in with it"),
        MalformedJson,
        NotJson,
        InvalidFields,
    ),
    security(())
)]
async fn redeem_reset(State(st): State<AppState>, json: ApiJson<PasswordResetBody>) -> ApiResult<StatusCode> {
    let b = json.body;
    accounts::redeem_reset(&st.app, &b.token, b.new_password).await?;
    st.principals.forget_all();
    Ok(StatusCode::NO_CONTENT)
}
