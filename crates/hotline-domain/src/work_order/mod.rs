//! Work orders: what a customer asked for, turned into a job for a field
//! team. The pure parts live here: the state machine ([`status`]), the short
//! code read out over the phone ([`code`]), the default urgency per category
//! ([`priority`]) and the routing decision engine ([`routing`]). Storage,
//! deadlines and the escalation worker build on these.

pub mod code;
pub mod deadlines;
pub mod feedback;
pub mod model;
pub mod priority;
pub mod routing;
pub mod source;
pub mod status;

pub use code::WorkOrderCode;
pub use feedback::Feedback;
pub use model::{NewWorkOrder, WorkOrder, WorkOrderEvent, WorkOrderFilter};
pub use priority::Priority;
pub use routing::{Decision, Match, RoutingInput, RoutingRule, Strategy, Target, Team, default_rules, route};
pub use source::Source;
pub use status::{Action, Next, Status, TransitionError, allowed_actions, transition};
