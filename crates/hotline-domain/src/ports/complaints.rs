//! The facts of complaints and compliments, one record per work order.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::call::Category;
use crate::complaint::report::ComplaintItem;
use crate::complaint::{ComplaintFacts, VoltageMark};
use crate::event::OutboxEvent;
use crate::org::UnitScope;
use crate::work_order::{WorkOrder, WorkOrderEvent};

/// Complaint facts, written together with their work order's new version,
/// its history line, the audit entry and the events.
#[async_trait]
pub trait ComplaintStore: Send + Sync {
    /// The facts recorded on a work order, if any.
    async fn facts(&self, work_order_id: Uuid) -> StoreResult<Option<ComplaintFacts>>;
    /// The facts of each of these work orders that has some (one query
    /// for a page).
    async fn facts_of(&self, ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, ComplaintFacts>>;
    /// Stores `facts` and `wo` (one version on) with its history `lines`
    /// (at least one) if the work order is still at `expected_version`;
    /// false (nothing written) otherwise.
    async fn save_facts(
        &self,
        facts: &ComplaintFacts,
        wo: &WorkOrder,
        expected_version: i64,
        lines: &[WorkOrderEvent],
        audit: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool>;
    /// Voltage-quality work orders opened in [from, to), of the units in
    /// `scope` when given, with the transformer station their facts name.
    async fn voltage_marks(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: Option<&UnitScope>,
    ) -> StoreResult<Vec<VoltageMark>>;
    /// Work orders of `categories` opened in [from, to), of the units in
    /// `scope` when given, each with its facts.
    async fn complaints(
        &self,
        categories: &[Category],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: Option<&UnitScope>,
    ) -> StoreResult<Vec<ComplaintItem>>;
}
