//! Keyset pagination: a page of items plus the position after its last one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub const MAX_LIMIT: u64 = 200;
pub const DEFAULT_LIMIT: u64 = 50;

/// Position in a list sorted newest first by `(at, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Position>,
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// No items, and nothing after them.
    pub fn empty() -> Page<T> {
        Page {
            items: Vec::new(),
            next: None,
            total: None,
        }
    }
}

/// The page size to use: the default when none is asked for, capped at
/// `MAX_LIMIT` (clients that ask for more get the most we give); 0 is refused.
pub fn limit(requested: Option<u64>) -> Result<u64, String> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(0) => Err("must be at least 1".into()),
        Some(n) => Ok(n.min(MAX_LIMIT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_bounded() {
        assert_eq!(limit(None), Ok(DEFAULT_LIMIT));
        assert_eq!(limit(Some(200)), Ok(200));
        assert_eq!(limit(Some(5000)), Ok(MAX_LIMIT));
        assert!(limit(Some(0)).is_err());
    }
}
