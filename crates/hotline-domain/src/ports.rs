//! What the domain needs from the outside world. Persistence implements
//! these; the binary wires the implementations into the HTTP app.
//!
//! Every write that changes a record takes its audit entry, so the change and
//! its audit commit in one transaction or not at all.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::StoreError;
use crate::audit::AuditEntry;
use crate::blocked::BlockedNumber;
use crate::call::{Call, CallFilter};
use crate::cti::CtiEvent;
use crate::customer::{Customer, CustomerFilter};
use crate::idempotency::IdempotencyRecord;
use crate::page::{Page, Position};
use crate::principal::Principal;
use crate::user::{ApiKey, RefreshToken, RotateOutcome, User, UserCredentials};
use crate::work_order::{Feedback, WorkOrder, WorkOrderEvent, WorkOrderFilter};

pub type StoreResult<T> = Result<T, StoreError>;

/// What happened to a create that carried an idempotency record.
#[derive(Debug)]
pub enum Created<T> {
    Stored(T),
    /// Another request with the same scope and key committed first.
    KeyTaken(IdempotencyRecord),
}

#[async_trait]
pub trait CallStore: Send + Sync {
    async fn create(
        &self,
        call: &Call,
        audit: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Call>>;
    /// Stores `call` only if the stored version is still `expected_version`;
    /// false when someone else changed it first.
    async fn update(&self, call: &Call, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    async fn list(
        &self,
        filter: &CallFilter,
        after: Option<Position>,
        limit: u64,
        with_total: bool,
    ) -> StoreResult<Page<Call>>;
}

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    async fn find(&self, scope: &str, key: &str) -> StoreResult<Option<IdempotencyRecord>>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn list(
        &self,
        entity: &str,
        entity_id: Option<Uuid>,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<AuditEntry>>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the username is taken.
    async fn create(&self, user: &User, password_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>>;
    async fn list(&self, after: Option<Position>, limit: u64) -> StoreResult<Page<User>>;
    async fn update(&self, user: &User, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    async fn count(&self) -> StoreResult<u64>;
}

#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    async fn create(&self, key: &ApiKey, secret_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    async fn list(&self) -> StoreResult<Vec<ApiKey>>;
    /// Revokes a live key; false when there is no such live key.
    async fn revoke(&self, id: Uuid, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool>;
    async fn find_by_hash(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>>;
}

#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    async fn insert(&self, token: &RefreshToken) -> StoreResult<()>;
    /// Marks `old_hash` used and stores `next` in its family, atomically.
    async fn rotate(&self, old_hash: &str, next: &RefreshToken, now: DateTime<Utc>) -> StoreResult<RotateOutcome>;
    async fn revoke(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool>;
}

/// Failed sign-ins, shared by every replica so throttling holds across them.
#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    async fn record_failure(&self, username: &str, address: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Failures since `since` for the user and for the address, with the
    /// oldest of each (to tell the client when to retry).
    async fn failures_since(&self, username: &str, address: &str, since: DateTime<Utc>) -> StoreResult<FailureCounts>;
    async fn clear(&self, username: &str) -> StoreResult<()>;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailureCounts {
    pub user: u64,
    pub user_oldest: Option<DateTime<Utc>>,
    pub address: u64,
    pub address_oldest: Option<DateTime<Utc>>,
}

/// Small shared settings (the generated JWT secret).
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// Returns the stored value, storing `value` first if none exists. Safe
    /// to race: every caller gets the same winner.
    async fn get_or_insert(&self, key: &str, value: &str) -> StoreResult<String>;
}

/// Readiness: the database answers and its schema is current.
#[async_trait]
pub trait HealthCheck: Send + Sync {
    async fn ready(&self) -> Result<(), String>;
}

/// What one import batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the customer code is taken.
    async fn create(&self, customer: &Customer, audit: &AuditEntry) -> StoreResult<()>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Customer>>;
    async fn list(&self, filter: &CustomerFilter, after: Option<Position>, limit: u64) -> StoreResult<Page<Customer>>;
    async fn update(&self, customer: &Customer, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    /// Customers with this normalised number, in no particular order.
    async fn find_by_phone(&self, number: &str) -> StoreResult<Vec<Customer>>;
    /// Upserts a batch by customer code in one transaction: new codes are
    /// created, changed ones replaced (keeping id and creation time),
    /// unchanged ones left alone. Each change is audited as `actor`.
    async fn import(&self, batch: &[Customer], actor: &Principal, now: DateTime<Utc>) -> StoreResult<ImportCounts>;
}

#[async_trait]
pub trait BlockedNumberStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the number is already blocked.
    async fn create(&self, blocked: &BlockedNumber, audit: &AuditEntry) -> StoreResult<()>;
    async fn list(&self) -> StoreResult<Vec<BlockedNumber>>;
    async fn find(&self, number: &str) -> StoreResult<Option<BlockedNumber>>;
    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> StoreResult<bool>;
}

/// The call-log record a PBX event produced or changed.
#[derive(Debug, Clone)]
pub struct CtiApplied {
    pub call: Call,
    /// The event created the call-log record.
    pub created: bool,
    /// The event changed something (false for a repeated event).
    pub changed: bool,
}

#[async_trait]
pub trait CtiStore: Send + Sync {
    /// Folds one event into its call's state and writes the resulting
    /// call-log record, atomically; concurrent events for one call never
    /// produce two records.
    async fn apply(&self, integration: &Principal, event: &CtiEvent, now: DateTime<Utc>) -> StoreResult<CtiApplied>;
}

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
    /// Stores the customer's feedback with its history line and audit
    /// entry; false (nothing written) when feedback was already given.
    async fn save_feedback(
        &self,
        id: Uuid,
        feedback: &Feedback,
        event: &WorkOrderEvent,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    async fn feedback(&self, id: Uuid) -> StoreResult<Option<Feedback>>;
}

/// The routing rules as one ordered list with a version (0 before anyone
/// set them), replaced whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutingRuleSet {
    pub rules: Vec<crate::work_order::RoutingRule>,
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The routing rules, and the work counts routing weighs teams by.
#[async_trait]
pub trait RoutingStore: Send + Sync {
    /// The current list; empty with version 0 when never set.
    async fn rules(&self) -> StoreResult<RoutingRuleSet>;
    /// Replaces the list if its version is still `expected_version` (0: not
    /// set yet); the stored version becomes `expected_version + 1`.
    async fn replace_rules(
        &self,
        rules: &[crate::work_order::RoutingRule],
        expected_version: i64,
        at: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// Open work orders per team, for the given team codes (absent: none).
    async fn open_counts(&self, team_codes: &[String]) -> StoreResult<std::collections::HashMap<String, u32>>;
}

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
