//! How far ahead a planned stop must be announced: Circular 22/2020/TT-BCT
//! asks for at least five days (120 hours) before the start.

use chrono::{DateTime, Duration, Utc};

/// Hours of notice the regulation asks for.
pub const NOTICE_HOURS: i64 = 120;

/// Whether publishing at `published_at` for a start at `starts_at` is late:
/// less than five days ahead. Exactly five days is on time.
pub fn is_late(published_at: DateTime<Utc>, starts_at: DateTime<Utc>) -> bool {
    starts_at - published_at < Duration::hours(NOTICE_HOURS)
}
