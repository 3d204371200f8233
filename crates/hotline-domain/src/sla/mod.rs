//! Service-level policies: response and resolution targets per category,
//! unit and area kind, with effective dates. (being written)

use async_trait::async_trait;

/// Storage for working calendars.
#[async_trait]
pub trait CalendarStore: Send + Sync {}

/// Storage for SLA policies.
#[async_trait]
pub trait SlaPolicyStore: Send + Sync {}
