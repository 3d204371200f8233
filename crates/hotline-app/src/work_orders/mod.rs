//! Work orders: who may do what, opening one, finding one, reading the
//! queue and a history, moving one on.

mod access;
mod activity;
mod deadlines;
mod open;
mod reads;
mod rules;
mod transition;

pub use access::{find, readable};
pub use activity::{comment, feedback, link_call};
pub use deadlines::with_deadlines;
pub use open::{Opened, Prepared, code_prefix, open, prepare};
pub use reads::{Linked, history, linked, list, list_within, queue_reach, source_call};
pub use rules::{may_act, may_create, may_see};
pub use transition::{Transition, transition};
