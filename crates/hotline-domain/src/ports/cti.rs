//! PBX call events and the call-log records they drive.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::call::Call;
use crate::cti::CtiEvent;
use crate::principal::Principal;

/// The call-log record a PBX event produced or changed.
#[derive(Debug, Clone)]
pub struct CtiApplied {
    pub call: Call,
    /// The event created the call-log record.
    pub created: bool,
    /// The event changed something (false for a repeated event).
    pub changed: bool,
}

#[async_trait]
pub trait CtiStore: Send + Sync {
    /// Folds one event into its call's state and writes the resulting
    /// call-log record, atomically; concurrent events for one call never
    /// produce two records.
    async fn apply(&self, integration: &Principal, event: &CtiEvent, now: DateTime<Utc>) -> StoreResult<CtiApplied>;
}
