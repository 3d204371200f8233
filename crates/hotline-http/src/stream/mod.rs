//! The live stream's machinery: one reader of the event log per process
//! (the [`EventHub`]) fans events out to every connected client, and each
//! connection ([`connection`]) replays what it missed from the log before
//! following the hub, so `Last-Event-ID` resumes without gaps.

mod connection;
mod hub;

pub use connection::{Subscription, open};
pub use hub::EventHub;
