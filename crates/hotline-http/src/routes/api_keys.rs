//! API keys for integrations (admins only). The secret is shown once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::audit::AuditEntry;
use hotline_domain::user::{ApiKey, check_key_name};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::api_keys::{ApiKeyView, NewApiKeyBody, NewApiKeyView};
use crate::dto::problems::{AdminsOnly, InvalidFields, MalformedId, MalformedJson, NotJson};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::state::AppState;
use hotline_app::placement::known_unit;
use hotline_app::secrets;

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
    auth.require(auth.0.role.can_manage_access(), "manage API keys")?;
    let name = check_key_name(&json.body.name).map_err(|m| ApiError::invalid_field("name", m))?;
    let mut v = hotline_domain::Validation::new();
    let unit_code = hotline_domain::org::code(&mut v, "unit_code", json.body.unit_code.as_deref(), false);
    v.finish()?;
    known_unit(st.app.store.as_ref(), "unit_code", unit_code.as_deref()).await?;
    let secret = secrets::new_api_key();
    let now = st.app.now();
    let key = ApiKey {
        id: Uuid::now_v7(),
        name,
        role: json.body.role.into(),
        prefix: secrets::display_prefix(&secret),
        unit_code,
        created_at: now,
        revoked_at: None,
    };
    let entry = AuditEntry::new(
        "api_key",
        key.id,
        "create",
        &auth.0,
        now,
        json!({"name": key.name, "role": key.role, "prefix": key.prefix, "unit_code": key.unit_code}),
    );
    st.app
        .store
        .api_keys()
        .create(&key, &secrets::hash(&secret), &entry)
        .await?;
    let view = NewApiKeyView {
        id: key.id,
        key: secret,
        name: key.name,
        role: key.role.into(),
        prefix: key.prefix,
        unit_code: key.unit_code,
        created_at: key.created_at,
    };
    let location = format!("/api/v1/api-keys/{}", view.id);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        Json(view),
    )
        .into_response())
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
    auth.require(auth.0.role.can_manage_access(), "manage API keys")?;
    let keys = st.app.store.api_keys().list().await?;
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
    auth.require(auth.0.role.can_manage_access(), "manage API keys")?;
    let now = st.app.now();
    let entry = AuditEntry::new("api_key", id, "revoke", &auth.0, now, json!({"revoked_at": now}));
    if st.app.store.api_keys().revoke(id, now, &entry).await? {
        st.principals.forget_all();
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("API key"))
    }
}
