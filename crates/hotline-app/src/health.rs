//! Readiness: whether the storage answers, its schema is current and every
//! background worker's last tick ran cleanly.

use crate::App;

/// Ok when the database answers, every migration is applied and no
/// worker's last tick panicked; else why not, in words for the operator.
pub async fn ready(app: &App) -> Result<(), String> {
    app.store.health().ready().await?;
    let failing = app.workers.unhealthy();
    if failing.is_empty() {
        Ok(())
    } else {
        Err(format!("background worker(s) failing: {}", failing.join(", ")))
    }
}
