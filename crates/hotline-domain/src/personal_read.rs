//! Reads of personal data: who looked up which customer or phone number,
//! when, through which endpoint and in which request. Kept for the audit's
//! retention; supervisors and admins list them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::org::UnitScope;

/// How the writing of reads stands in this process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadLogState {
    /// Reads taken and not written yet.
    pub queued: u64,
    /// Reads written since start.
    pub written: u64,
    /// Reads given up after failed writes since start.
    pub lost: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalRead {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `user:alice` or `api_key:PBX Cà Mau`, as the audit trail names actors.
    pub actor: String,
    /// The reader's unit, so a supervisor sees their staff's reads.
    pub actor_unit: Option<String>,
    /// Which endpoint read it, e.g. `cti.lookup`, `customers.get`.
    pub endpoint: String,
    pub customer_code: Option<String>,
    /// The customer's unit, so a supervisor sees reads of their customers.
    pub customer_unit: Option<String>,
    /// The phone number read, in E.164.
    pub number: Option<String>,
    /// The request's `x-request-id`.
    pub request_id: Option<String>,
}

/// Which reads a list shows: each given filter must hold.
#[derive(Debug, Clone, Default)]
pub struct ReadFilter {
    pub customer_code: Option<String>,
    pub number: Option<String>,
    pub actor: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Reads of these units' customers or by these units' staff; None: all.
    pub scope: Option<UnitScope>,
}
