//! How far ahead a planned stop must be announced: Circular 22/2020/TT-BCT
//! asks for at least five days (120 hours) before the start.

use chrono::{DateTime, Duration, Utc};

use super::PlannedOutage;
use crate::codes::CustomerCode;

/// Hours of notice the regulation asks for.
pub const NOTICE_HOURS: i64 = 120;

/// Whether publishing at `published_at` for a start at `starts_at` is late:
/// less than five days ahead. Exactly five days is on time.
pub fn is_late(published_at: DateTime<Utc>, starts_at: DateTime<Utc>) -> bool {
    starts_at - published_at < Duration::hours(NOTICE_HOURS)
}

/// Whether the customer `code`, in the directory since `known_since`, was
/// sent this notice: it was published, and it names them, or it names no
/// one and they were in the directory by then (the notice goes to the
/// customers of its areas as the directory stood when it was published).
pub fn was_notified(notice: &PlannedOutage, code: &CustomerCode, known_since: DateTime<Utc>) -> bool {
    match notice.published_at {
        None => false,
        Some(_) if !notice.customer_codes.is_empty() => notice.customer_codes.contains(code),
        Some(at) => known_since <= at,
    }
}
