//! Blocked-number bodies.

use chrono::{DateTime, Utc};
use hotline_domain::blocked::BlockedNumber;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBlockedNumberBody {
    /// Any written form; stored as E.164.
    #[schema(example = "0912 345 678")]
    pub number: String,
    /// Why, for the next supervisor (required).
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockedNumberView {
    pub id: Uuid,
    pub number: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<&BlockedNumber> for BlockedNumberView {
    fn from(b: &BlockedNumber) -> Self {
        BlockedNumberView {
            id: b.id,
            number: b.number.as_str().to_string(),
            reason: b.reason.clone(),
            created_by: b.created_by.clone(),
            created_at: b.created_at,
        }
    }
}
