//! What webhooks need from storage.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::page::{Page, Position};
use crate::webhook::{
    Attempt, AttemptOutcome, Delivery, DeliveryStatus, DueDelivery, FanOut, Subscription, WebhookSecret,
};

#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn create(&self, sub: &Subscription, secret: &WebhookSecret, audit: &AuditEntry) -> StoreResult<()>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Subscription>>;
    /// Every subscription, newest first.
    async fn list(&self) -> StoreResult<Vec<Subscription>>;
    /// Stores `sub` if the stored version is still `expected_version`.
    async fn update(&self, sub: &Subscription, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    /// Replaces the secret (the version moves on); false when gone. With
    /// `previous_until`, the replaced secret keeps signing beside the new
    /// one until then (see [`DueDelivery::previous_secret`]); without, it
    /// stops at once. A secret replaced earlier is forgotten either way.
    ///
    /// [`DueDelivery::previous_secret`]: crate::webhook::DueDelivery::previous_secret
    async fn rotate_secret(
        &self,
        sub: &Subscription,
        secret: &WebhookSecret,
        previous_until: Option<DateTime<Utc>>,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// Deletes it with its deliveries; false when gone.
    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> StoreResult<bool>;

    /// A subscription's deliveries, newest first.
    async fn deliveries(
        &self,
        subscription_id: Uuid,
        status: Option<DeliveryStatus>,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<Delivery>>;
    /// One delivery of a subscription, with its attempts oldest first.
    async fn delivery(&self, subscription_id: Uuid, id: Uuid) -> StoreResult<Option<(Delivery, Vec<Attempt>)>>;
    /// Starts a new run for a delivery, due at `now`; None when there is no
    /// such delivery.
    async fn redeliver(
        &self,
        subscription_id: Uuid,
        id: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<Option<Delivery>>;

    /// In one transaction: takes the fan-out cursor (so one replica at a
    /// time fans out), reads at most `limit` events after it, creates a
    /// delivery for each subscription that wants each event (see
    /// [`Subscription::wants`]), due at `now`, and moves the cursor past them.
    async fn fan_out(&self, now: DateTime<Utc>, limit: u64) -> StoreResult<FanOut>;
    /// Claims up to `limit` deliveries of enabled subscriptions due at
    /// `now` (with the previous secret when its overlap lasts past `now`), moving them out of reach until `lease_until` (rows another
    /// replica is claiming are skipped on PostgreSQL).
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<DueDelivery>>;
    /// Records an attempt and its outcome. When the delivery gave up and
    /// the receiver has not accepted anything since the run began, the
    /// subscription is disabled with `disable_reason`; answers whether it was.
    async fn record_attempt(
        &self,
        due: &DueDelivery,
        attempt: &Attempt,
        outcome: AttemptOutcome,
        disable_reason: &str,
    ) -> StoreResult<bool>;
    /// Deliveries retrying or failed, for the gauge.
    async fn failing(&self) -> StoreResult<u64>;
}
