//! Small shared settings.

use async_trait::async_trait;

use super::StoreResult;

/// Small shared settings (the generated JWT secret).
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// Returns the stored value, storing `value` first if none exists. Safe
    /// to race: every caller gets the same winner.
    async fn get_or_insert(&self, key: &str, value: &str) -> StoreResult<String>;
}
