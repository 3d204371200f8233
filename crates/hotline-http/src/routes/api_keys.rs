//! API keys for integrations (admins only). The secret is shown once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::api_keys::{self, IssuedKey, NewApiKey};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::api_keys::{ApiKeyView, NewApiKeyBody, NewApiKeyView};
use crate::dto::problems::{AdminsOnly, InvalidFields, MalformedId, MalformedJson, NotJson};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::routes::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_key, list_keys))
        .routes(routes!(revoke_key))
}

/// Create an API key. The `key` in the answer is never shown again.
#[utoipa::path(
    post, path = "/api/v1/api-keys", tag = "api-keys",
    request_body = NewApiKeyBody,
    responses(
        (status = 201, description = "Created; store the key now", body = NewApiKeyView),
        MalformedJson,
        AdminsOnly,
        NotJson,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn create_key(State(st): State<AppState>, auth: Auth, json: ApiJson<NewApiKeyBody>) -> ApiResult<Response> {
    let b = &json.body;
    let new = NewApiKey {
        name: &b.name,
        role: b.role.into(),
        unit_code: b.unit_code.as_deref(),
        language: b.language.map(Into::into),
        scopes: b.scopes.as_deref(),
    };
    let IssuedKey { key, secret } = api_keys::issue(&st.app, &auth.0, new).await?;
    let view = NewApiKeyView {
        id: key.id,
        key: secret,
        name: key.name,
        role: key.role.into(),
        prefix: key.prefix,
        unit_code: key.unit_code.map(String::from),
        language: key.language.map(Into::into),
        scopes: crate::dto::api_keys::scope_names(key.scopes.as_deref()),
        created_at: key.created_at,
    };
    Ok(created(format!("/api/v1/api-keys/{}", view.id), view))
}

/// List API keys (without their secrets).
#[utoipa::path(
    get, path = "/api/v1/api-keys", tag = "api-keys",
    responses(
        (status = 200, description = "Every key, newest first", body = Vec<ApiKeyView>),
        AdminsOnly,
    ),
    security(("bearer" = []))
)]
async fn list_keys(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<ApiKeyView>>> {
    let keys = api_keys::list(&st.app, &auth.0).await?;
    Ok(Json(keys.into_iter().map(ApiKeyView::from).collect()))
}

/// Revoke an API key; it stops working at once.
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{id}", tag = "api-keys",
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Revoked"),
        MalformedId,
        AdminsOnly,
        (status = 404, description = "No such live key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn revoke_key(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    api_keys::revoke(&st.app, &auth.0, id).await?;
    st.principals.forget_all();
    Ok(StatusCode::NO_CONTENT)
}
