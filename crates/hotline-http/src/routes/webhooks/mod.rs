//! Webhook subscriptions (admins only): other systems told about events by
//! signed POSTs. The secret is shown when created or rotated, never again.
//! Deliveries and their attempts are in [`deliveries`].

mod deliveries;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::webhooks;
use hotline_domain::webhook::{MAX_SECRET_OVERLAP_HOURS, Subscription, WebhookSecret};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::params::{IfMatchHeader, SubscriptionIdParam};
use crate::dto::problems::{
    AdminsOnly, MalformedBodyOrIfMatch, MalformedId, MalformedJson, NoSuchSubscription, NotJson, VersionedEdit,
};
use crate::dto::webhooks::{NewWebhookBody, NewWebhookView, RotateSecretQuery, WebhookPatchBody, WebhookView};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change};
use crate::routes::{created_at, versioned};
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

fn respond(status: StatusCode, body: &impl serde::Serialize, id: Uuid, version: i64) -> ApiResult<Response> {
    let location = format!("/api/v1/webhooks/{id}");
    versioned(status, body, created_at(status, &location), version)
}

/// The subscription with its new secret, shown this once.
fn with_secret(status: StatusCode, sub: &Subscription, secret: &WebhookSecret) -> ApiResult<Response> {
    let view = NewWebhookView {
        webhook: WebhookView::from(sub),
        secret: secret.expose().to_string(),
    };
    respond(status, &view, sub.id, sub.version)
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
    let (sub, secret) = webhooks::create(&st.app, &auth.0, json.body.into(), st.config.webhooks_allow_http).await?;
    with_secret(StatusCode::CREATED, &sub, &secret)
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
    let subs = webhooks::list(&st.app, &auth.0).await?;
    Ok(Json(subs.iter().map(WebhookView::from).collect()))
}

/// One subscription, with why it was disabled if it was.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(SubscriptionIdParam),
    responses(
        (status = 200, description = "The subscription", body = WebhookView, headers(("ETag" = String))),
        MalformedId,
        AdminsOnly,
        NoSuchSubscription,
    ),
    security(("bearer" = []))
)]
async fn get_webhook(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let sub = webhooks::get(&st.app, &auth.0, id).await?;
    respond(StatusCode::OK, &WebhookView::from(&sub), sub.id, sub.version)
}

/// Change the URL, events, unit scope or description; `enabled` turns it
/// off or back on. Send `If-Match`.
#[utoipa::path(
    patch, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(SubscriptionIdParam, IfMatchHeader),
    request_body = WebhookPatchBody,
    responses(
        (status = 200, description = "Updated", body = WebhookView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        AdminsOnly,
        NoSuchSubscription,
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn patch_webhook(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, WebhookPatchBody>,
) -> ApiResult<Response> {
    let allow_http = st.config.webhooks_allow_http;
    let next = webhooks::change(
        &st.app,
        &auth.0,
        change.key,
        change.expected,
        change.body.into(),
        allow_http,
    )
    .await?;
    respond(StatusCode::OK, &WebhookView::from(&next), next.id, next.version)
}

/// Delete a subscription with its deliveries; nothing more is sent.
#[utoipa::path(
    delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(SubscriptionIdParam),
    responses(
        (status = 204, description = "Deleted"),
        MalformedId,
        AdminsOnly,
        NoSuchSubscription,
    ),
    security(("bearer" = []))
)]
async fn delete_webhook(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    webhooks::delete(&st.app, &auth.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
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
    params(SubscriptionIdParam, RotateSecretQuery),
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
    // The role first: a caller who may not manage webhooks learns nothing
    // from a bad parameter.
    webhooks::may_manage(&auth.0)?;
    let overlap_hours = q.overlap_hours.unwrap_or(st.config.webhook_secret_overlap_hours);
    if overlap_hours > MAX_SECRET_OVERLAP_HOURS {
        return Err(ApiError::invalid_parameter(
            "overlap_hours",
            format!("must be 0 to {MAX_SECRET_OVERLAP_HOURS} hours"),
        ));
    }
    let (sub, secret) = webhooks::rotate_secret(&st.app, &auth.0, id, overlap_hours).await?;
    with_secret(StatusCode::OK, &sub, &secret)
}
