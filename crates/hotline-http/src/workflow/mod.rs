//! What happens to a work order beyond its own state machine: routing to a
//! team, attaching to outage incidents, and whose records a caller sees.

pub mod incidents;
pub mod placement;
pub mod routing;
pub mod scope;
