//! Webhook subscriptions (admins only): subscribing a URL to events,
//! changing it, rotating its signing secret, deleting it, and its
//! deliveries with a manual redeliver.

use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::page::{Page, Position};
use hotline_domain::principal::Principal;
use hotline_domain::webhook::{
    Attempt, Delivery, DeliveryStatus, Subscription, SubscriptionInput, SubscriptionPatch, WebhookSecret,
    secret_overlap_end,
};
use serde_json::json;
use uuid::Uuid;

use crate::roles::require;
use crate::versions::{check, stored};
use crate::{App, AppResult};

/// 403 unless the caller's role may manage webhooks.
pub fn may_manage(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_manage_access(), "manage webhooks")
}

/// One subscription; 404 when there is none with this id.
async fn find(app: &App, id: Uuid) -> AppResult<Subscription> {
    app.store
        .webhooks()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("webhook subscription"))
}

/// A fresh `whsec_` secret from 32 random bytes.
fn new_secret() -> AppResult<WebhookSecret> {
    let mut key = [0u8; 32];
    rand::fill(&mut key);
    WebhookSecret::from_key(&key).map_err(DomainError::Internal)
}

/// The unit must exist (422 naming `unit_code` otherwise).
async fn check_unit(app: &App, sub: &Subscription) -> AppResult<()> {
    match &sub.unit_code {
        Some(code) if app.store.org().get_unit(code).await?.is_none() => {
            Err(DomainError::invalid("unit_code", format!("there is no unit {code}")))
        }
        _ => Ok(()),
    }
}

/// Subscribes a URL to events (plain `http` URLs only when `allow_http`);
/// the stored subscription and its signing secret, shown only now.
pub async fn create(
    app: &App,
    who: &Principal,
    input: SubscriptionInput,
    allow_http: bool,
) -> AppResult<(Subscription, WebhookSecret)> {
    may_manage(who)?;
    let now = app.now();
    let sub = Subscription::create(input, allow_http, now)?;
    check_unit(app, &sub).await?;
    let secret = new_secret()?;
    let entry = AuditEntry::new("webhook", sub.id, "create", who, now, sub.audit_view());
    app.store.webhooks().create(&sub, &secret, &entry).await?;
    Ok((sub, secret))
}

/// Every subscription, newest first.
pub async fn list(app: &App, who: &Principal) -> AppResult<Vec<Subscription>> {
    may_manage(who)?;
    Ok(app.store.webhooks().list().await?)
}

/// One subscription.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Subscription> {
    may_manage(who)?;
    find(app, id).await
}

/// Changes a subscription over the version the caller read (`expected`,
/// None for any); 412 when it read another or someone changed it since.
pub async fn change(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected: Option<i64>,
    patch: SubscriptionPatch,
    allow_http: bool,
) -> AppResult<Subscription> {
    may_manage(who)?;
    let current = find(app, id).await?;
    check(expected, current.version)?;
    let now = app.now();
    let next = current.patched(patch, allow_http, now)?;
    if next.unit_code != current.unit_code {
        check_unit(app, &next).await?;
    }
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("webhook", id, "update", who, now, changes);
    stored(app.store.webhooks().update(&next, current.version, &entry).await?)?;
    Ok(next)
}

/// Deletes a subscription with its deliveries.
pub async fn delete(app: &App, who: &Principal, id: Uuid) -> AppResult<()> {
    may_manage(who)?;
    let sub = find(app, id).await?;
    let entry = AuditEntry::new("webhook", id, "delete", who, app.now(), sub.audit_view());
    if app.store.webhooks().delete(id, &entry).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("webhook subscription"))
    }
}

/// Replaces the signing secret; the replaced one keeps signing beside it
/// for `overlap_hours` (0: stops at once). The subscription as stored now
/// and the new secret, shown only now.
pub async fn rotate_secret(
    app: &App,
    who: &Principal,
    id: Uuid,
    overlap_hours: u32,
) -> AppResult<(Subscription, WebhookSecret)> {
    may_manage(who)?;
    let mut sub = find(app, id).await?;
    let now = app.now();
    sub.updated_at = now;
    let previous_until = secret_overlap_end(now, overlap_hours);
    let secret = new_secret()?;
    let entry = AuditEntry::new(
        "webhook",
        id,
        "rotate_secret",
        who,
        now,
        json!({"secret": "rotated", "previous_secret_expires_at": previous_until}),
    );
    if !app
        .store
        .webhooks()
        .rotate_secret(&sub, &secret, previous_until, &entry)
        .await?
    {
        return Err(DomainError::NotFound("webhook subscription"));
    }
    Ok((find(app, id).await?, secret))
}

/// A subscription's deliveries, newest first; 404 when there is no such
/// subscription.
pub async fn deliveries(
    app: &App,
    who: &Principal,
    id: Uuid,
    status: Option<DeliveryStatus>,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<Delivery>> {
    may_manage(who)?;
    find(app, id).await?;
    Ok(app.store.webhooks().deliveries(id, status, after, limit).await?)
}

/// One delivery of a subscription with its attempts, oldest first.
pub async fn delivery(app: &App, who: &Principal, id: Uuid, delivery_id: Uuid) -> AppResult<(Delivery, Vec<Attempt>)> {
    may_manage(who)?;
    app.store
        .webhooks()
        .delivery(id, delivery_id)
        .await?
        .ok_or(DomainError::NotFound("webhook delivery"))
}

/// Sends a delivery again now, whatever its status, on the full retry
/// schedule again.
pub async fn redeliver(app: &App, who: &Principal, id: Uuid, delivery_id: Uuid) -> AppResult<Delivery> {
    may_manage(who)?;
    let now = app.now();
    let entry = AuditEntry::new(
        "webhook",
        id,
        "redeliver",
        who,
        now,
        json!({"delivery_id": delivery_id}),
    );
    match app.store.webhooks().redeliver(id, delivery_id, now, &entry).await? {
        Some(d) => Ok(d),
        // There, but its body is gone (retention).
        None if delivery(app, who, id, delivery_id).await.is_ok() => Err(DomainError::Conflict(
            "this delivery's body was removed after its retention; it cannot be sent again".into(),
        )),
        None => Err(DomainError::NotFound("webhook delivery")),
    }
}
