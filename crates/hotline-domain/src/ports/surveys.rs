//! Survey campaigns, their samples and responses, and the report over
//! after-contact feedback (its attribution is stored with the feedback,
//! `WorkOrderStore::save_feedback`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::audit::AuditEntry;
use crate::callback::Callback;
use crate::event::OutboxEvent;
use crate::idempotency::IdempotencyRecord;
use crate::org::UnitScope;
use crate::survey::{Campaign, CampaignFilter, Candidate, FeedbackMark, Response, Sampled};

/// A campaign's change and the callbacks it opens or changes, stored in
/// one transaction.
pub struct CampaignChange<'a> {
    pub campaign: &'a Campaign,
    pub expected_version: i64,
    /// Survey callbacks opened, each linked to the sampled customer of
    /// the same customer code.
    pub opened: &'a [Callback],
    /// Callbacks changed, each with the version read.
    pub changed: &'a [(Callback, i64)],
    pub audit: &'a [AuditEntry],
    pub events: &'a [OutboxEvent],
}

#[async_trait]
pub trait SurveyStore: Send + Sync {
    async fn create_campaign(
        &self,
        campaign: &Campaign,
        audit: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get_campaign(&self, id: Uuid) -> StoreResult<Option<Campaign>>;
    /// Newest first (by id), before `before`, at most `limit` + 1.
    async fn list_campaigns(
        &self,
        filter: &CampaignFilter,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<Campaign>>;
    /// The latest closed campaign of the same unit created before this one.
    async fn previous_closed(&self, campaign: &Campaign) -> StoreResult<Option<Campaign>>;
    /// The customers of these units with a phone who called, or had a work
    /// order opened, in `[from, to)`, with the team of their last work
    /// order then.
    async fn candidates(&self, from: DateTime<Utc>, to: DateTime<Utc>, units: &[String])
    -> StoreResult<Vec<Candidate>>;
    /// Stores the sampled campaign and its sample if the stored version is
    /// still `expected_version`; false (nothing written) otherwise.
    async fn save_sample(
        &self,
        campaign: &Campaign,
        expected_version: i64,
        sample: &[Sampled],
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// The sample, in drawing order.
    async fn sample(&self, campaign_id: Uuid) -> StoreResult<Vec<Sampled>>;
    /// Stores a campaign's change (false, nothing written, when it or a
    /// callback changed meanwhile).
    async fn change_campaign(&self, change: CampaignChange<'_>) -> StoreResult<bool>;
    /// Stores a response, with its callback's change (over the version
    /// read). `Duplicate` when the customer already answered; false when
    /// the callback changed meanwhile.
    async fn record_response(
        &self,
        response: &Response,
        callback: Option<(&Callback, i64)>,
        audit: &[AuditEntry],
        events: &[OutboxEvent],
    ) -> StoreResult<bool>;
    async fn responses(&self, campaign_id: Uuid) -> StoreResult<Vec<Response>>;
    /// The campaign's responses in the order they were recorded (by id),
    /// after `after`, at most `limit` + 1.
    async fn responses_page(&self, campaign_id: Uuid, after: Option<Uuid>, limit: u64) -> StoreResult<Vec<Response>>;
    async fn get_response(&self, id: Uuid) -> StoreResult<Option<Response>>;
    /// A customer's responses, newest first: at most `limit`, and one
    /// more when there are more.
    async fn responses_of_customer(&self, customer_code: &str, limit: u64) -> StoreResult<Vec<Response>>;
    /// Deletes a draft campaign still at `expected_version`, with its audit
    /// entry; false (nothing written) when it changed or is no draft.
    async fn delete_campaign(&self, id: Uuid, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    /// The feedback given in `[from, to)` on work orders of these units
    /// (None: all), with its attribution.
    async fn feedback_marks(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        units: Option<&UnitScope>,
    ) -> StoreResult<Vec<FeedbackMark>>;
}
