//! Routing rules and the work counts routing weighs teams by.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::audit::AuditEntry;

/// The routing rules as one ordered list with a version (0 before anyone
/// set them), replaced whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutingRuleSet {
    pub rules: Vec<crate::work_order::RoutingRule>,
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The routing rules, and the work counts routing weighs teams by.
#[async_trait]
pub trait RoutingStore: Send + Sync {
    /// The current list; empty with version 0 when never set.
    async fn rules(&self) -> StoreResult<RoutingRuleSet>;
    /// Replaces the list if its version is still `expected_version` (0: not
    /// set yet); the stored version becomes `expected_version + 1`.
    async fn replace_rules(
        &self,
        rules: &[crate::work_order::RoutingRule],
        expected_version: i64,
        at: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// Open work orders per team, for the given team codes (absent: none).
    async fn open_counts(&self, team_codes: &[String]) -> StoreResult<std::collections::HashMap<String, u32>>;
}
