//! Requests that carry an `Idempotency-Key`: the first answer to a key is
//! kept with the change it made, and found again for every retry. How a
//! kept answer is replayed is the transport's business.

use hotline_domain::idempotency::IdempotencyRecord;

use crate::{App, AppResult};

/// The record of the first request with this key from this caller (its
/// idempotency scope), if any came.
pub async fn earlier(app: &App, scope: &str, key: &str) -> AppResult<Option<IdempotencyRecord>> {
    Ok(app.store.idempotency().find(scope, key).await?)
}
