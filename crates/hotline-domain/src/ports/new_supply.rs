//! New-supply applications, each stored beside its work order.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::audit::AuditEntry;
use crate::event::OutboxEvent;
use crate::idempotency::IdempotencyRecord;
use crate::new_supply::{Application, ApplicationFilter};
use crate::page::{Page, Position};
use crate::work_order::{WorkOrder, WorkOrderEvent};

/// A change to an application and its work order, written together.
pub struct NewSupplyChange<'a> {
    pub application: &'a Application,
    pub expected_version: i64,
    pub work_order: &'a WorkOrder,
    pub work_order_version: i64,
    /// The history line on the work order.
    pub line: &'a WorkOrderEvent,
    pub audit: &'a AuditEntry,
    /// `new_supply.*` events.
    pub events: &'a [OutboxEvent],
}

#[async_trait]
pub trait NewSupplyStore: Send + Sync {
    /// Stores a new work order and its application in one transaction: the
    /// work order's history, call link, audit entry and events, the
    /// application, its own events, and the idempotency record when given.
    #[allow(clippy::too_many_arguments)]
    async fn open(
        &self,
        application: &Application,
        work_order: &WorkOrder,
        lines: &[WorkOrderEvent],
        call_id: Option<Uuid>,
        audit: &AuditEntry,
        events: &[OutboxEvent],
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, work_order_id: Uuid) -> StoreResult<Option<Application>>;
    /// The application opened from this e-mail message.
    async fn by_message(&self, message_id: &str) -> StoreResult<Option<Application>>;
    /// Stores a change if both records still have the versions expected;
    /// false (nothing written) otherwise.
    async fn update(&self, change: NewSupplyChange<'_>) -> StoreResult<bool>;
    /// The applications opened in `[from, to)`, with their work orders.
    async fn opened_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(Application, WorkOrder)>>;
    /// The requests matching `filter`, newest first (by opening, then id),
    /// after `after`, at most `limit`, each with its work order.
    async fn list(
        &self,
        filter: &ApplicationFilter,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<(Application, WorkOrder)>>;
    /// The applications of these work orders (those that have one), read at once.
    async fn many(&self, work_order_ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, Application>>;
}
