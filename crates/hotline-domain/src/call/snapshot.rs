//! A call as it leaves the service: what its events tell receivers (the
//! live stream, webhooks) and what the audit trail keeps. Both are built
//! in one place from every field of [`Call`], so a new field does not
//! compile until it is given to the events, the audit, both or neither.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{Call, Category, Direction, Outcome};
use crate::phone::PhoneNumber;

/// The `data` of a `call.*` event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallEventData<'a> {
    pub id: Uuid,
    pub direction: Direction,
    pub caller_number: Option<&'a str>,
    pub callee_number: Option<&'a str>,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub wait_seconds: Option<i64>,
    pub talk_seconds: Option<i64>,
    pub agent: Option<&'a str>,
    pub queue: Option<&'a str>,
    pub outcome: Option<Outcome>,
    pub category: Option<Category>,
    pub customer_code: Option<&'a str>,
    /// The contact the call counts towards (its own id when alone).
    pub contact_id: Uuid,
    pub external_id: Option<&'a str>,
    pub source: &'a str,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// The fields an auditor cares about; an update's entry is the difference
/// of two of these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallAuditData<'a> {
    pub direction: Direction,
    pub caller_number: Option<&'a str>,
    pub callee_number: Option<&'a str>,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub agent: Option<&'a str>,
    pub queue: Option<&'a str>,
    pub outcome: Option<Outcome>,
    pub category: Option<Category>,
    pub customer_code: Option<&'a str>,
    pub caller_name: Option<&'a str>,
    pub address: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub external_id: Option<&'a str>,
    pub source: &'a str,
    pub blocked: bool,
    pub hangup_cause: Option<&'a str>,
}

/// Both views of one call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSnapshot<'a> {
    pub event: CallEventData<'a>,
    pub audit: CallAuditData<'a>,
}

impl Call {
    /// The call's views for events and audit. Every field is named here:
    /// one added to [`Call`] must be placed before this compiles.
    pub fn snapshot(&self) -> CallSnapshot<'_> {
        let (wait_seconds, talk_seconds, contact_id) = (self.wait_seconds(), self.talk_seconds(), self.contact());
        let Call {
            id,
            direction,
            caller_number,
            // What the PBX sent before normalising: neither (the
            // normalised number is what receivers and auditors read).
            caller_number_raw: _,
            callee_number,
            callee_number_raw: _,
            started_at,
            answered_at,
            ended_at,
            agent,
            queue,
            outcome,
            blocked,
            hangup_cause,
            category,
            customer_code,
            // What the caller told the agent: audit only, never sent out.
            caller_name,
            address,
            notes,
            external_id,
            source,
            contact_id: _,
            // The record's own bookkeeping: the audit entry carries who
            // and when itself.
            created_by: _,
            created_at: _,
            updated_at,
            version,
        } = self;
        let caller_number = caller_number.as_ref().map(PhoneNumber::as_str);
        let callee_number = callee_number.as_ref().map(PhoneNumber::as_str);
        CallSnapshot {
            event: CallEventData {
                id: *id,
                direction: *direction,
                caller_number,
                callee_number,
                started_at: *started_at,
                answered_at: *answered_at,
                ended_at: *ended_at,
                wait_seconds,
                talk_seconds,
                agent: agent.as_deref(),
                queue: queue.as_deref(),
                outcome: *outcome,
                category: *category,
                customer_code: customer_code.as_deref(),
                contact_id,
                external_id: external_id.as_deref(),
                source,
                updated_at: *updated_at,
                version: *version,
            },
            audit: CallAuditData {
                direction: *direction,
                caller_number,
                callee_number,
                started_at: *started_at,
                answered_at: *answered_at,
                ended_at: *ended_at,
                agent: agent.as_deref(),
                queue: queue.as_deref(),
                outcome: *outcome,
                category: *category,
                customer_code: customer_code.as_deref(),
                caller_name: caller_name.as_deref(),
                address: address.as_deref(),
                notes: notes.as_deref(),
                external_id: external_id.as_deref(),
                source,
                blocked: *blocked,
                hangup_cause: hangup_cause.as_deref(),
            },
        }
    }

    /// The `data` of this call's events, as JSON.
    pub fn event_data(&self) -> Value {
        plain_json(&self.snapshot().event)
    }

    /// The fields an auditor cares about, for the audit trail.
    pub fn audit_view(&self) -> Value {
        plain_json(&self.snapshot().audit)
    }
}

/// Strings, numbers, instants and enums always make JSON.
fn plain_json(v: &impl Serialize) -> Value {
    serde_json::to_value(v).expect("a call snapshot is plain data")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    fn call() -> Call {
        let at = |s| Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, s).unwrap();
        Call {
            id: Uuid::from_u128(1),
            direction: Direction::Inbound,
            caller_number: PhoneNumber::parse("0912345678").unwrap(),
            caller_number_raw: "0912 345 678".into(),
            callee_number: None,
            callee_number_raw: String::new(),
            started_at: at(0),
            answered_at: Some(at(12)),
            ended_at: Some(at(42)),
            agent: Some("lan".into()),
            queue: None,
            outcome: Some(Outcome::Answered),
            blocked: false,
            hangup_cause: Some("normalClearing".into()),
            category: Some(Category::Outage),
            customer_code: Some("PE01000001".into()),
            caller_name: Some("An".into()),
            address: None,
            notes: Some("mất điện".into()),
            external_id: Some("pbx-7".into()),
            source: "cti".into(),
            contact_id: None,
            created_by: "integration:pbx".into(),
            created_at: at(1),
            updated_at: at(43),
            version: 3,
        }
    }

    #[test]
    fn event_data_keeps_its_published_shape() {
        assert_eq!(
            call().event_data(),
            json!({
                "id": "00000000-0000-0000-0000-000000000001",
                "direction": "inbound",
                "caller_number": "+84912345678",
                "callee_number": null,
                "started_at": "2026-11-20T01:00:00Z",
                "answered_at": "2026-11-20T01:00:12Z",
                "ended_at": "2026-11-20T01:00:42Z",
                "wait_seconds": 12,
                "talk_seconds": 30,
                "agent": "lan",
                "queue": null,
                "outcome": "answered",
                "category": "outage",
                "customer_code": "PE01000001",
                "contact_id": "00000000-0000-0000-0000-000000000001",
                "external_id": "pbx-7",
                "source": "cti",
                "updated_at": "2026-11-20T01:00:43Z",
                "version": 3,
            })
        );
    }

    #[test]
    fn audit_view_keeps_its_shape() {
        assert_eq!(
            call().audit_view(),
            json!({
                "direction": "inbound",
                "caller_number": "+84912345678",
                "callee_number": null,
                "started_at": "2026-11-20T01:00:00Z",
                "answered_at": "2026-11-20T01:00:12Z",
                "ended_at": "2026-11-20T01:00:42Z",
                "agent": "lan",
                "queue": null,
                "outcome": "answered",
                "category": "outage",
                "customer_code": "PE01000001",
                "caller_name": "An",
                "address": null,
                "notes": "mất điện",
                "external_id": "pbx-7",
                "source": "cti",
                "blocked": false,
                "hangup_cause": "normalClearing",
            })
        );
    }
}
