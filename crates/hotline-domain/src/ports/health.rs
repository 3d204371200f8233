//! Readiness of the storage.

use async_trait::async_trait;

/// Readiness: the database answers and its schema is current.
#[async_trait]
pub trait HealthCheck: Send + Sync {
    async fn ready(&self) -> Result<(), String>;
}
