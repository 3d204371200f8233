//! A PBX's report about a call it already logged: the PBX owns the
//! telephony facts, the agents own the wrap-up they typed in.

use chrono::{DateTime, Utc};

use super::Call;

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
