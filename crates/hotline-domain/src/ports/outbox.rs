//! The transactional outbox and event log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;

/// The transactional outbox: events written with the change they describe.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// In one transaction: claims the open work orders (not on hold) whose
    /// resolution deadline falls within `at_risk_within` after `now` and
    /// that were not yet reported at risk, and those past their deadline
    /// not yet reported breached (at most `limit` of each; rows another
    /// replica holds are skipped), writes a
    /// `work_order.deadline_at_risk` or `work_order.deadline_breached`
    /// event for each and marks it, so each is raised once. Answers how
    /// many of each were raised.
    async fn raise_deadline_events(
        &self,
        now: DateTime<Utc>,
        at_risk_within: chrono::Duration,
        limit: u64,
    ) -> StoreResult<(usize, usize)>;
    /// Events after `after` in log order (from the start when None), at
    /// most `limit`. Only events whose transaction committed before every
    /// transaction still running are answered, so a reader that resumes
    /// from the last position it saw never misses one committed late.
    async fn read_after(
        &self,
        after: Option<crate::event::EventPosition>,
        limit: u64,
    ) -> StoreResult<Vec<crate::event::LoggedEvent>>;
    /// The position of the newest event readable now (None when the log is
    /// empty): where a reader that wants only new events starts.
    async fn head(&self) -> StoreResult<Option<crate::event::EventPosition>>;
    /// The position of the oldest event still kept.
    async fn oldest(&self) -> StoreResult<Option<crate::event::EventPosition>>;
    /// Deletes events created before `before`; answers how many.
    async fn prune(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// A counter of event writes seen by this process (its own, and on
    /// PostgreSQL other replicas'): returns it as soon as it differs from
    /// `seen`, or after `at_most`. Readers pass back what they got last.
    async fn wait_for_events(&self, seen: u64, at_most: std::time::Duration) -> u64;
}
