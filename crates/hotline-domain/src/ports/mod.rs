//! What the use cases need from the outside world: one file per aggregate,
//! and [`Store`], the one handle the application holds them by. Persistence
//! implements every port on one database; a test double implements the
//! ones it needs and [`Store`] for itself.
//!
//! Every write that changes a record takes its audit entry, so the change and
//! its audit commit in one transaction or not at all.

mod api_keys;
mod articles;
mod audit;
mod blocked_numbers;
mod calendars;
mod call_topics;
mod callbacks;
mod calls;
mod complaints;
mod cti;
mod customers;
mod erasure;
mod health;
mod idempotency;
mod incidents;
mod new_supply;
mod org;
mod outbox;
mod partitions;
mod password_resets;
mod personal_reads;
mod planned_outages;
mod reports;
mod retention;
mod routing;
mod sessions;
mod settings;
mod sla_policies;
mod surveys;
mod users;
mod webhooks;
mod work_orders;

pub use api_keys::ApiKeyStore;
pub use articles::ArticleStore;
pub use audit::AuditStore;
pub use blocked_numbers::BlockedNumberStore;
pub use calendars::CalendarStore;
pub use call_topics::CallTopicStore;
pub use callbacks::CallbackStore;
pub use calls::CallStore;
pub use complaints::ComplaintStore;
pub use cti::{CtiApplied, CtiStore};
pub use customers::{CustomerStore, ImportCounts};
pub use erasure::{Erased, ErasureAnswer, ErasureStore, ErasureTarget};
pub use health::HealthCheck;
pub use idempotency::IdempotencyStore;
pub use incidents::IncidentStore;
pub use new_supply::{NewSupplyChange, NewSupplyStore};
pub use org::OrgStore;
pub use outbox::OutboxStore;
pub use partitions::PartitionStore;
pub use password_resets::PasswordResetStore;
pub use personal_reads::PersonalReadStore;
pub use planned_outages::PlannedOutageStore;
pub use reports::ReportStore;
pub use retention::RetentionStore;
pub use routing::{RoutingRuleSet, RoutingStore};
pub use sessions::{FailureCounts, LoginThrottleStore, RefreshTokenStore};
pub use settings::SettingsStore;
pub use sla_policies::SlaPolicyStore;
pub use surveys::{CampaignChange, SurveyStore};
pub use users::UserStore;
pub use webhooks::WebhookStore;
pub use work_orders::WorkOrderStore;

use crate::StoreError;
use crate::idempotency::IdempotencyRecord;

pub type StoreResult<T> = Result<T, StoreError>;

/// What happened to a create that carried an idempotency record.
#[derive(Debug)]
pub enum Created<T> {
    Stored(T),
    /// Another request with the same scope and key committed first.
    KeyTaken(IdempotencyRecord),
}

/// Every port behind one handle: `store.work_orders().get(id)`. Implemented
/// for anything that implements all the ports (the database adapter), so
/// adding a port means adding it here and nowhere else in the wiring.
macro_rules! store {
    ($($port:ident: $trait:ident),* $(,)?) => {
        pub trait Store: Send + Sync + 'static {
            $(fn $port(&self) -> &dyn $trait;)*
        }

        impl<T> Store for T
        where
            T: $($trait +)* Send + Sync + 'static,
        {
            $(fn $port(&self) -> &dyn $trait {
                self
            })*
        }
    };
}

store! {
    calls: CallStore,
    idempotency: IdempotencyStore,
    audit: AuditStore,
    users: UserStore,
    api_keys: ApiKeyStore,
    refresh_tokens: RefreshTokenStore,
    login_throttle: LoginThrottleStore,
    settings: SettingsStore,
    health: HealthCheck,
    customers: CustomerStore,
    blocked_numbers: BlockedNumberStore,
    cti: CtiStore,
    org: OrgStore,
    calendars: CalendarStore,
    sla_policies: SlaPolicyStore,
    work_orders: WorkOrderStore,
    routing: RoutingStore,
    incidents: IncidentStore,
    outbox: OutboxStore,
    partitions: PartitionStore,
    webhooks: WebhookStore,
    reports: ReportStore,
    planned_outages: PlannedOutageStore,
    callbacks: CallbackStore,
    articles: ArticleStore,
    call_topics: CallTopicStore,
    surveys: SurveyStore,
    new_supply: NewSupplyStore,
    complaints: ComplaintStore,
    password_resets: PasswordResetStore,
    personal_reads: PersonalReadStore,
    retention: RetentionStore,
    erasure: ErasureStore,
}
