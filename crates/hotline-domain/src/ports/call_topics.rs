//! The topics of calls, and what they tell about articles and reports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::call::Call;
use crate::call_topic::{CallTopic, TopicCount};
use crate::report::ReportScope;

#[async_trait]
pub trait CallTopicStore: Send + Sync {
    /// A call's topics, in order.
    async fn topics(&self, call_id: Uuid) -> StoreResult<Vec<CallTopic>>;
    /// The topics of each of these calls, in order, in one read (calls
    /// without topics are left out).
    async fn topics_of(&self, call_ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, Vec<CallTopic>>>;
    /// Stores `call` if still at `expected_version` and replaces its topics
    /// with `topics`, with the audit entry and its `call.updated` event, in
    /// one transaction; false (nothing written) when it changed meanwhile.
    async fn replace(
        &self,
        call: &Call,
        expected_version: i64,
        topics: &[CallTopic],
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// The calls with a topic answered from this article (this version,
    /// or any), newest first, at most `limit`: (call id, version told).
    async fn told(&self, article_id: Uuid, version: Option<i32>, limit: u64) -> StoreResult<Vec<(Uuid, i32)>>;
    /// Topics of calls started in [from, to), by category and handling,
    /// within the report scope (the callers' customers' units; hidden
    /// categories left out).
    async fn counts(&self, from: DateTime<Utc>, to: DateTime<Utc>, scope: &ReportScope)
    -> StoreResult<Vec<TopicCount>>;
}
