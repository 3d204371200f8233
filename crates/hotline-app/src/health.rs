//! Readiness: whether the storage answers and its schema is current.

use crate::App;

/// Ok when the database answers and every migration is applied; else why
/// not, in words for the operator.
pub async fn ready(app: &App) -> Result<(), String> {
    app.store.health().ready().await
}
