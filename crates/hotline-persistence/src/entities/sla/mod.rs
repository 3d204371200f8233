//! Working calendars and SLA policies.

pub mod calendar;
pub mod sla_policy;
