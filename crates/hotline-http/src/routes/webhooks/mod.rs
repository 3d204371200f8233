//! Webhook subscriptions (admins only): other systems told about events by
//! signed POSTs. The secret is shown when created or rotated, never again.
//! Deliveries and their attempts are in [`deliveries`].

mod deliveries;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::audit::AuditEntry;
use hotline_domain::webhook::{MAX_SECRET_OVERLAP_HOURS, Subscription, WebhookSecret, secret_overlap_end};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::problems::{
    AdminsOnly, ChangedSinceRead, IfMatchMissing, InvalidFields, MalformedBodyOrIfMatch, MalformedId, MalformedJson,
    NoSuchSubscription, NotJson,
};
use crate::dto::webhooks::{NewWebhookBody, NewWebhookView, RotateSecretQuery, WebhookPatchBody, WebhookView};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::idempotent::json_response;
use crate::routes::optimistic::{Change, stored};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, patch_webhook, delete_webhook))
        .routes(routes!(rotate_secret))
        .routes(routes!(deliveries::list_deliveries))
        .routes(routes!(deliveries::get_delivery))
        .routes(routes!(deliveries::redeliver))
}

fn may_manage(auth: &Auth) -> ApiResult<()> {
    auth.require(auth.0.role.can_manage_access(), "manage webhooks")
}

async fn find(st: &AppState, id: Uuid) -> ApiResult<Subscription> {
    st.app
        .store
        .webhooks()
        .get(id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook subscription"))
}

fn respond(status: StatusCode, body: &impl serde::Serialize, id: Uuid, version: i64) -> ApiResult<Response> {
    let text = serde_json::to_string(body).map_err(|e| ApiError::internal(e.to_string()))?;
    let location = format!("/api/v1/webhooks/{id}");
    let location = (status == StatusCode::CREATED).then_some(location.as_str());
    Ok(json_response(status, text, location, Some(version)))
}

/// A fresh `whsec_` secret from 32 random bytes.
fn new_secret() -> ApiResult<WebhookSecret> {
    let mut key = [0u8; 32];
    rand::fill(&mut key);
    WebhookSecret::from_key(&key).map_err(ApiError::internal)
}

/// The unit must exist (422 naming `unit_code` otherwise).
async fn check_unit(st: &AppState, sub: &Subscription) -> ApiResult<()> {
    match &sub.unit_code {
        Some(code) if st.app.store.org().get_unit(code).await?.is_none() => {
            Err(ApiError::invalid_field("unit_code", format!("there is no unit {code}")))
        }
        _ => Ok(()),
    }
}

/// Subscribe a URL to events. The answer carries the signing `secret`:
/// store it now, it is never shown again.
#[utoipa::path(
    post, path = "/api/v1/webhooks", tag = "webhooks",
    request_body = NewWebhookBody,
    responses(
        (status = 201, description = "Created; store the secret now", body = NewWebhookView, headers(("Location" = String), ("ETag" = String))),
        MalformedJson,
        AdminsOnly,
        NotJson,
        (status = 422, description = "Invalid fields (url, events, unit_code, description)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_webhook(State(st): State<AppState>, auth: Auth, json: ApiJson<NewWebhookBody>) -> ApiResult<Response> {
    may_manage(&auth)?;
    let now = st.app.now();
    let sub = Subscription::create(json.body.into(), st.config.webhooks_allow_http, now)?;
    check_unit(&st, &sub).await?;
    let secret = new_secret()?;
    let entry = AuditEntry::new("webhook", sub.id, "create", &auth.0, now, sub.audit_view());
    st.app.store.webhooks().create(&sub, &secret, &entry).await?;
    let view = NewWebhookView {
        webhook: WebhookView::from(&sub),
        secret: secret.expose().to_string(),
    };
    respond(StatusCode::CREATED, &view, sub.id, sub.version)
}

/// Every subscription, newest first (without secrets).
#[utoipa::path(
    get, path = "/api/v1/webhooks", tag = "webhooks",
    responses(
        (status = 200, description = "The subscriptions", body = Vec<WebhookView>),
        AdminsOnly,
    ),
    security(("bearer" = []))
)]
async fn list_webhooks(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<WebhookView>>> {
    may_manage(&auth)?;
    let subs = st.app.store.webhooks().list().await?;
    Ok(Json(subs.iter().map(WebhookView::from).collect()))
}

/// One subscription, with why it was disabled if it was.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription", body = WebhookView, headers(("ETag" = String))),
        MalformedId,
        AdminsOnly,
        NoSuchSubscription,
    ),
    security(("bearer" = []))
)]
async fn get_webhook(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    may_manage(&auth)?;
    let sub = find(&st, id).await?;
    respond(StatusCode::OK, &WebhookView::from(&sub), sub.id, sub.version)
}

/// Change the URL, events, unit scope or description; `enabled` turns it
/// off or back on. Send `If-Match`.
#[utoipa::path(
    patch, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "The subscription's id"),
        ("If-Match" = String, Header, description = "The ETag from your last read, or * for any", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = WebhookPatchBody,
    responses(
        (status = 200, description = "Updated", body = WebhookView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        AdminsOnly,
        NoSuchSubscription,
        ChangedSinceRead,
        NotJson,
        InvalidFields,
        IfMatchMissing,
    ),
    security(("bearer" = []))
)]
async fn patch_webhook(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    if_match: IfMatch,
    json: ApiJson<WebhookPatchBody>,
) -> ApiResult<Response> {
    may_manage(&auth)?;
    let current = find(&st, id).await?;
    let change = Change::begin(&if_match, &current, st.app.now())?;
    let next = current.patched(json.body.into(), st.config.webhooks_allow_http, change.now)?;
    if next.unit_code != current.unit_code {
        check_unit(&st, &next).await?;
    }
    let entry = change.entry("webhook", id, &auth.0, &next);
    stored(st.app.store.webhooks().update(&next, current.version, &entry).await?)?;
    respond(StatusCode::OK, &WebhookView::from(&next), next.id, next.version)
}

/// Delete a subscription with its deliveries; nothing more is sent.
#[utoipa::path(
    delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted"),
        MalformedId,
        AdminsOnly,
        NoSuchSubscription,
    ),
    security(("bearer" = []))
)]
async fn delete_webhook(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    may_manage(&auth)?;
    let sub = find(&st, id).await?;
    let now = st.app.now();
    let entry = AuditEntry::new("webhook", id, "delete", &auth.0, now, sub.audit_view());
    if st.app.store.webhooks().delete(id, &entry).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("webhook subscription"))
    }
}

/// Replace the signing secret; the new one is in the answer (only there)
/// and signs every request from now on, retries included.
///
/// So that receivers can be given the new secret without missing a
/// request, the replaced secret keeps signing beside it for `overlap_hours`
/// (default `HOTLINE_WEBHOOK_SECRET_OVERLAP_HOURS`, 24): each request's
/// `webhook-signature` then carries both, `v1,<new> v1,<old>`, and a
/// Standard Webhooks receiver verifies with either. `previous_secret_expires_at`
/// says until when. `overlap_hours=0` stops the old secret at once (a leaked
/// one); a rotation during an overlap forgets the secret replaced before.
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The subscription's id"), RotateSecretQuery),
    responses(
        (status = 200, description = "Rotated; store the secret now", body = NewWebhookView, headers(("ETag" = String))),
        (status = 400, description = "Malformed id, or overlap_hours not 0 to 720", body = Problem, content_type = "application/problem+json"),
        AdminsOnly,
        NoSuchSubscription,
    ),
    security(("bearer" = []))
)]
async fn rotate_secret(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<RotateSecretQuery>,
) -> ApiResult<Response> {
    may_manage(&auth)?;
    let overlap_hours = q.overlap_hours.unwrap_or(st.config.webhook_secret_overlap_hours);
    if overlap_hours > MAX_SECRET_OVERLAP_HOURS {
        return Err(ApiError::invalid_parameter(
            "overlap_hours",
            format!("must be 0 to {MAX_SECRET_OVERLAP_HOURS} hours"),
        ));
    }
    let mut sub = find(&st, id).await?;
    let now = st.app.now();
    sub.updated_at = now;
    let previous_until = secret_overlap_end(now, overlap_hours);
    let secret = new_secret()?;
    let entry = AuditEntry::new(
        "webhook",
        id,
        "rotate_secret",
        &auth.0,
        now,
        json!({"secret": "rotated", "previous_secret_expires_at": previous_until}),
    );
    if !st
        .app
        .store
        .webhooks()
        .rotate_secret(&sub, &secret, previous_until, &entry)
        .await?
    {
        return Err(ApiError::not_found("webhook subscription"));
    }
    let sub = find(&st, id).await?;
    let view = NewWebhookView {
        webhook: WebhookView::from(&sub),
        secret: secret.expose().to_string(),
    };
    respond(StatusCode::OK, &view, sub.id, sub.version)
}
