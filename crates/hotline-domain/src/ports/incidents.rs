//! Outage incidents.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::work_order::{WorkOrder, WorkOrderEvent};

/// Outage incidents, the work orders attached to them, and what clustering
/// reads. Each write commits with its history lines and audit entries.
#[async_trait]
pub trait IncidentStore: Send + Sync {
    /// Stores a new incident and attaches the work orders the events name
    /// (those still attached to no incident), in one transaction. Answers
    /// how many were attached.
    async fn create(
        &self,
        incident: &crate::incident::Incident,
        attach: &[WorkOrderEvent],
        audits: &[AuditEntry],
    ) -> StoreResult<u64>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<crate::incident::Incident>>;
    /// Newest first, at most `limit`.
    async fn list(
        &self,
        filter: &crate::incident::IncidentFilter,
        limit: u64,
    ) -> StoreResult<Vec<crate::incident::Incident>>;
    /// The newest incident whose areas include one of `areas`, in the first
    /// of `statuses` that has one (earlier states win over newer ones).
    async fn newest_covering(
        &self,
        areas: &[String],
        statuses: &[crate::incident::IncidentStatus],
    ) -> StoreResult<Option<crate::incident::Incident>>;
    /// Stores `incident` (and its areas) if the stored version is still
    /// `expected_version`.
    async fn update(
        &self,
        incident: &crate::incident::Incident,
        expected_version: i64,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// The work orders attached to an incident, oldest first.
    async fn work_order_ids(&self, id: Uuid) -> StoreResult<Vec<Uuid>>;
    /// Attaches a stored work order if it is still at `expected_version`.
    async fn attach(
        &self,
        incident_id: Uuid,
        work_order_id: Uuid,
        expected_version: i64,
        event: &WorkOrderEvent,
        audits: &[AuditEntry],
    ) -> StoreResult<bool>;
    /// Outage work orders opened in this area since `since`, oldest first.
    async fn recent_outages(
        &self,
        area_code: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<crate::incident::OutageReport>>;
    /// Stores the resolved incident and its resolved work orders (each if
    /// still at the version given), with their history lines and audit
    /// entries, in one transaction; false (nothing written) if any changed.
    async fn resolve(
        &self,
        incident: &crate::incident::Incident,
        expected_version: i64,
        work_orders: &[(WorkOrder, i64)],
        events: &[WorkOrderEvent],
        audits: &[AuditEntry],
    ) -> StoreResult<bool>;
    /// The attached work orders whose customers asked for a callback, with
    /// the numbers of their linked calls.
    async fn callbacks(&self, incident_id: Uuid) -> StoreResult<Vec<crate::incident::Callback>>;
}
