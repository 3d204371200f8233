//! Background work that runs beside the API in every replica.

pub mod call_days;
pub mod deadlines;
pub mod escalation;
pub mod retention;
pub mod webhooks;
