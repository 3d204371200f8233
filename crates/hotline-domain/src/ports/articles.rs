//! Articles of approved answers and every version of each.

use async_trait::async_trait;
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::article::{Article, ArticleQuery, ArticleVersion};
use crate::audit::AuditEntry;
use crate::event::OutboxEvent;
use crate::idempotency::IdempotencyRecord;

#[async_trait]
pub trait ArticleStore: Send + Sync {
    /// Stores a new article with its first version and audit entry (and
    /// the idempotency record, claimed in the same transaction).
    async fn create(
        &self,
        article: &Article,
        first: &ArticleVersion,
        audit: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Article>>;
    /// Every kept version, oldest first.
    async fn versions(&self, id: Uuid) -> StoreResult<Vec<ArticleVersion>>;
    async fn version(&self, id: Uuid, number: i32) -> StoreResult<Option<ArticleVersion>>;
    /// Stores `article` if it is still at `expected_version`, with
    /// `version` (inserted when new, else replacing the stored one of its
    /// number), the audit entry and the events; false (nothing written)
    /// when the article changed meanwhile.
    async fn write(
        &self,
        article: &Article,
        expected_version: i64,
        version: &ArticleVersion,
        new: bool,
        audit: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool>;
    /// Versions matching the query (every word somewhere in the folded
    /// text), with their articles; at most `limit`, newest articles first.
    async fn search(&self, q: &ArticleQuery) -> StoreResult<Vec<(Article, ArticleVersion)>>;
}
