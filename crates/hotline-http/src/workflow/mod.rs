//! What happens to a work order beyond its own state machine: routing to a
//! team, and attaching to outage incidents.

pub mod incidents;
pub mod routing;
