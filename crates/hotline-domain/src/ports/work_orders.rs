//! Work orders with their history.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::audit::AuditEntry;
use crate::idempotency::IdempotencyRecord;
use crate::org::UnitScope;
use crate::page::{Page, Position};
use crate::planned_outage::report::OutageReportMark;
use crate::work_order::{Feedback, WorkOrder, WorkOrderEvent, WorkOrderFilter};

/// Work orders with their history, written together with their audit.
#[async_trait]
pub trait WorkOrderStore: Send + Sync {
    /// The next number in a prefix's yearly sequence (1, 2, …), atomically.
    async fn next_sequence(&self, prefix: &str, year: i32) -> StoreResult<u32>;
    /// Stores a new work order, its first history lines, and the call it
    /// came from; with `idem`, claims its key in the same transaction, or
    /// stores nothing and answers the key's first record.
    async fn create(
        &self,
        wo: &WorkOrder,
        events: &[WorkOrderEvent],
        call_id: Option<Uuid>,
        audit: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<WorkOrder>>;
    async fn get_by_code(&self, code: &str) -> StoreResult<Option<WorkOrder>>;
    /// Stores `wo` if the stored version is still `expected_version`.
    async fn update(
        &self,
        wo: &WorkOrder,
        expected_version: i64,
        event: &WorkOrderEvent,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    async fn list(&self, filter: &WorkOrderFilter, after: Option<Position>, limit: u64)
    -> StoreResult<Page<WorkOrder>>;
    async fn history(&self, id: Uuid) -> StoreResult<Vec<WorkOrderEvent>>;
    /// Links a later call about the same matter; false when already linked.
    async fn link_call(&self, id: Uuid, call_id: Uuid, event: &WorkOrderEvent) -> StoreResult<bool>;
    /// The calls linked to each of these work orders, oldest first (one
    /// query for a whole page).
    async fn calls(&self, ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, Vec<Uuid>>>;
    /// Claims up to `limit` assigned work orders whose `escalate_at` is at or
    /// before `now`, moving their `escalate_at` to `lease_until` (version
    /// unchanged) so that no other replica claims them meanwhile. On
    /// PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED` while claimed.
    /// Returns them as they now stand.
    async fn claim_escalations(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<WorkOrder>>;
    /// Stores the customer's feedback with whom it is credited to (unless
    /// the work order has an attribution already: the first stays), its
    /// history line and audit entry, in one transaction; false (nothing
    /// written) when feedback was already given.
    async fn save_feedback(
        &self,
        id: Uuid,
        feedback: &Feedback,
        credit: &crate::survey::FeedbackAttribution,
        event: &WorkOrderEvent,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// The feedback given on each of these work orders that has some.
    async fn feedbacks(&self, ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, Feedback>>;
    /// Outage work orders opened in `[from, to)` (of the units in `scope`
    /// when given): each one's unit, when it was opened, and whether it was
    /// reported under announced planned work.
    async fn outage_reports(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: Option<&UnitScope>,
    ) -> StoreResult<Vec<OutageReportMark>>;
}
