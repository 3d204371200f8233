//! Cross-cutting layers: request metrics, error logging, and the rule that
//! every error leaves as problem+json.

mod metrics;
mod problems;

pub use metrics::{install_recorder, record};
pub use problems::problemify;
