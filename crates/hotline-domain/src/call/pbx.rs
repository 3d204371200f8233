//! A call as the PBX reports it: built from the state its events folded
//! into, and merged into the call already logged. The PBX owns the
//! telephony facts, the agents own the wrap-up they typed in. Both lists
//! name every field of [`Call`], so a new field is placed here once.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Call, Direction};
use crate::cti::CtiState;
use crate::phone::PhoneNumber;

/// Identity of the call-log record a state writes to.
#[derive(Debug, Clone)]
pub struct CallIds {
    pub call_id: Uuid,
    pub contact_id: Uuid,
    pub external_id: String,
    pub source: String,
    pub created_by: String,
}

impl CtiState {
    /// The call-log record this state stands for. `existing` keeps identity,
    /// creation and version; the version moves on only when the content did.
    pub fn to_call(&self, ids: CallIds, existing: Option<&Call>, now: DateTime<Utc>) -> Option<Call> {
        let started_at = self.started_at()?;
        let answer = self.valid_answer();
        let parse = |raw: &Option<String>| raw.as_deref().and_then(|r| PhoneNumber::parse(r).ok().flatten());
        let from_pbx = Call {
            id: ids.call_id,
            direction: self.direction.unwrap_or(Direction::Inbound),
            caller_number: parse(&self.from),
            caller_number_raw: self.from.clone().unwrap_or_default(),
            callee_number: parse(&self.to),
            callee_number_raw: self.to.clone().unwrap_or_default(),
            started_at,
            answered_at: answer.map(|a| a.at),
            ended_at: self.end.as_ref().map(|e| e.at.max(started_at)),
            agent: answer.and_then(|a| a.agent.clone()).or_else(|| self.agent.clone()),
            queue: self.queue.clone(),
            outcome: self.outcome(),
            blocked: self.blocked,
            hangup_cause: self.end.as_ref().and_then(|e| e.cause_raw.clone()),
            category: None,
            customer_code: None,
            caller_name: None,
            address: None,
            notes: None,
            external_id: Some(ids.external_id),
            source: ids.source,
            contact_id: Some(ids.contact_id),
            created_by: ids.created_by,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        Some(match existing {
            None => from_pbx,
            Some(old) => {
                let mut call = old.clone();
                call.absorb_pbx(from_pbx, now);
                call
            }
        })
    }
}

impl Call {
    /// Takes the telephony facts of `from_pbx` (the same call as the PBX
    /// now reports it) and keeps this call's wrap-up and creation. The
    /// version moves on, and `updated_at` to `now`, only when something
    /// changed. Every field is named here: one added to [`Call`] must be
    /// given to the PBX or to the wrap-up before this compiles.
    pub fn absorb_pbx(&mut self, from_pbx: Call, now: DateTime<Utc>) {
        let before = self.clone();
        let Call {
            // The PBX's: what happened on the line, and the leg's identity.
            id,
            direction,
            caller_number,
            caller_number_raw,
            callee_number,
            callee_number_raw,
            started_at,
            answered_at,
            ended_at,
            agent,
            queue,
            outcome,
            blocked,
            hangup_cause,
            external_id,
            source,
            contact_id,
            // The agents' wrap-up: kept as they wrote it.
            category: _,
            customer_code: _,
            caller_name: _,
            address: _,
            notes: _,
            // The record's: kept.
            created_by: _,
            created_at: _,
            updated_at: _,
            version: _,
        } = from_pbx;
        self.id = id;
        self.direction = direction;
        self.caller_number = caller_number;
        self.caller_number_raw = caller_number_raw;
        self.callee_number = callee_number;
        self.callee_number_raw = callee_number_raw;
        self.started_at = started_at;
        self.answered_at = answered_at;
        self.ended_at = ended_at;
        self.agent = agent;
        self.queue = queue;
        self.outcome = outcome;
        self.blocked = blocked;
        self.hangup_cause = hangup_cause;
        self.external_id = external_id;
        self.source = source;
        self.contact_id = contact_id;
        if *self != before {
            self.updated_at = now.max(before.updated_at);
            self.version = before.version + 1;
        }
    }
}
