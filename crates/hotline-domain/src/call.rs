//! A call in the log: who called whom, when it was answered and ended, what
//! it was about. Wait and talk times are derived from the instants, never
//! typed in.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::codes::{self, CustomerCode};
use crate::phone::PhoneNumber;
use crate::principal::Principal;
use crate::validation::{Validation, optional_text};
use crate::{DomainError, text};

mod pbx;
mod snapshot;

pub use pbx::CallIds;
pub use snapshot::{CallAuditData, CallEventData, CallSnapshot};

named_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });

named_enum!(
    /// How the call ended for the customer.
    Outcome {
        Answered => "answered",
        Missed => "missed",
        Abandoned => "abandoned",
        Busy => "busy",
        Voicemail => "voicemail",
        Failed => "failed",
        Transferred => "transferred",
    }
);

named_enum!(
    /// What the customer needed.
    Category {
        Outage => "outage",
        SafetyHazard => "safety_hazard",
        NewSupply => "new_supply",
        Metering => "metering",
        Billing => "billing",
        VoltageQuality => "voltage_quality",
        StaffConduct => "staff_conduct",
        Information => "information",
        Other => "other",
        /// Not a request: praise for an agent, a crew or a staff member.
        Compliment => "compliment",
    }
);

impl Category {
    /// Complaints about staff: only supervisors and admins see them.
    pub fn is_restricted(self) -> bool {
        self == Category::StaffConduct
    }
}

pub const MAX_NAME: usize = 200;
pub const MAX_ADDRESS: usize = 500;
pub const MAX_NOTES: usize = 4000;
pub const MAX_SHORT: usize = 100;
pub const MAX_EXTERNAL_ID: usize = 255;
/// Client clocks drift; a call may start this far in our future.
pub const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: Uuid,
    pub direction: Direction,
    /// E.164 (or a service number / extension); None when withheld.
    pub caller_number: Option<PhoneNumber>,
    pub caller_number_raw: String,
    pub callee_number: Option<PhoneNumber>,
    pub callee_number_raw: String,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub outcome: Option<Outcome>,
    /// The caller's number was on the blocked list and the PBX was told to
    /// refuse the call.
    pub blocked: bool,
    /// Why the call ended, as the PBX said it (any cause, verbatim).
    pub hangup_cause: Option<String>,
    pub category: Option<Category>,
    pub customer_code: Option<CustomerCode>,
    pub caller_name: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub source: String,
    /// The customer contact this call is part of: legs of one transferred
    /// call share it. None for a call logged on its own (its own contact).
    pub contact_id: Option<Uuid>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A call as a client submits it, fields as typed.
#[derive(Debug, Clone, Default)]
pub struct NewCall {
    pub direction: Option<Direction>,
    pub caller_number: Option<String>,
    pub callee_number: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub outcome: Option<Outcome>,
    pub category: Option<Category>,
    pub customer_code: Option<String>,
    pub caller_name: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub source: Option<String>,
}

/// Wrap-up changes. The outer Option is "present in the request", the inner
/// one is the value (None clears it).
#[derive(Debug, Clone, Default)]
pub struct CallPatch {
    pub category: Option<Option<Category>>,
    pub outcome: Option<Option<Outcome>>,
    pub customer_code: Option<Option<String>>,
    pub caller_name: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

/// Which callers a list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerMatch {
    /// This stored (normalised) number.
    Number(String),
    /// Calls whose caller withheld the number.
    Withheld,
}

/// Filters for the call list; all optional and combined with AND.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub caller: Option<CallerMatch>,
    pub category: Option<Category>,
    pub outcome: Option<Outcome>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    /// The customer the agent identified on the call.
    pub customer_code: Option<CustomerCode>,
    /// Already folded (no diacritics, lowercase).
    pub text: Option<String>,
}

use crate::time::truncate as micros;

fn phone(v: &mut Validation, field: &str, raw: Option<&str>) -> (Option<PhoneNumber>, String) {
    let raw = raw.unwrap_or("");
    let parsed = v.check(field, PhoneNumber::parse(raw)).flatten();
    (parsed, raw.chars().take(64).collect())
}

impl Call {
    /// Checks a submitted call and builds the record to store.
    pub fn create(input: NewCall, actor: &Principal, now: DateTime<Utc>) -> Result<Call, DomainError> {
        let mut v = Validation::new();
        let direction = input.direction.unwrap_or_else(|| {
            v.add("direction", "is required");
            Direction::Inbound
        });
        let (caller_number, caller_number_raw) = phone(&mut v, "caller_number", input.caller_number.as_deref());
        let (callee_number, callee_number_raw) = phone(&mut v, "callee_number", input.callee_number.as_deref());
        let started_at = input.started_at.map(micros).unwrap_or_else(|| {
            v.add("started_at", "is required");
            now
        });
        if started_at > now + CLOCK_SKEW {
            v.add("started_at", "is in the future");
        }
        let answered_at = input.answered_at.map(micros);
        let ended_at = input.ended_at.map(micros);
        check_order(&mut v, started_at, answered_at, ended_at);
        let outcome = input
            .outcome
            .or_else(|| default_outcome(direction, answered_at, ended_at));
        check_outcome(&mut v, outcome, answered_at);
        let call = Call {
            id: Uuid::now_v7(),
            direction,
            caller_number,
            caller_number_raw,
            callee_number,
            callee_number_raw,
            started_at,
            answered_at,
            ended_at,
            agent: optional_text(&mut v, "agent", input.agent.as_deref(), MAX_SHORT),
            queue: optional_text(&mut v, "queue", input.queue.as_deref(), MAX_SHORT),
            outcome,
            blocked: false,
            hangup_cause: None,
            category: input.category,
            customer_code: codes::optional(&mut v, "customer_code", input.customer_code.as_deref()),
            caller_name: optional_text(&mut v, "caller_name", input.caller_name.as_deref(), MAX_NAME),
            address: optional_text(&mut v, "address", input.address.as_deref(), MAX_ADDRESS),
            notes: optional_text(&mut v, "notes", input.notes.as_deref(), MAX_NOTES),
            external_id: optional_text(&mut v, "external_id", input.external_id.as_deref(), MAX_EXTERNAL_ID),
            source: optional_text(&mut v, "source", input.source.as_deref(), MAX_SHORT).unwrap_or_else(|| "api".into()),
            contact_id: None,
            created_by: actor.actor(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        v.finish()?;
        Ok(call)
    }

    /// Applies a wrap-up; returns the changed call (version bumped).
    pub fn patched(&self, patch: CallPatch, now: DateTime<Utc>) -> Result<Call, DomainError> {
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(c) = patch.category {
            next.category = c;
        }
        if let Some(o) = patch.outcome {
            next.outcome = o;
        }
        if let Some(c) = patch.customer_code {
            next.customer_code = codes::optional(&mut v, "customer_code", c.as_deref());
        }
        if let Some(n) = patch.caller_name {
            next.caller_name = optional_text(&mut v, "caller_name", n.as_deref(), MAX_NAME);
        }
        if let Some(a) = patch.address {
            next.address = optional_text(&mut v, "address", a.as_deref(), MAX_ADDRESS);
        }
        if let Some(n) = patch.notes {
            next.notes = optional_text(&mut v, "notes", n.as_deref(), MAX_NOTES);
        }
        check_outcome(&mut v, next.outcome, next.answered_at);
        v.finish()?;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// Seconds the caller waited: ring to answer, or ring to hang-up when
    /// nobody answered. None while still ringing.
    pub fn wait_seconds(&self) -> Option<i64> {
        let until = self.answered_at.or(self.ended_at)?;
        Some((until - self.started_at).num_seconds())
    }

    /// Seconds of conversation: answer to hang-up.
    pub fn talk_seconds(&self) -> Option<i64> {
        Some((self.ended_at? - self.answered_at?).num_seconds())
    }

    /// The contact this call counts towards.
    pub fn contact(&self) -> Uuid {
        self.contact_id.unwrap_or(self.id)
    }

    /// What the free-text search looks in, folded for diacritic-free matching.
    pub fn search_text(&self) -> String {
        let parts = [&self.caller_name, &self.address, &self.notes];
        text::fold(
            &parts
                .iter()
                .filter_map(|p| p.as_deref())
                .collect::<Vec<_>>()
                .join(" \u{1f} "),
        )
    }
}

fn check_order(
    v: &mut Validation,
    started: DateTime<Utc>,
    answered: Option<DateTime<Utc>>,
    ended: Option<DateTime<Utc>>,
) {
    if answered.is_some_and(|a| a < started) {
        v.add("answered_at", "must not be before started_at");
    }
    if ended.is_some_and(|e| e < started) {
        v.add("ended_at", "must not be before started_at");
    } else if let (Some(a), Some(e)) = (answered, ended)
        && e < a
    {
        v.add("ended_at", "must not be before answered_at");
    }
}

/// An answered call is "answered"; an inbound call that ended unanswered
/// was missed; anything still ringing has no outcome yet.
fn default_outcome(
    direction: Direction,
    answered: Option<DateTime<Utc>>,
    ended: Option<DateTime<Utc>>,
) -> Option<Outcome> {
    match (answered, ended, direction) {
        (Some(_), _, _) => Some(Outcome::Answered),
        (None, Some(_), Direction::Inbound) => Some(Outcome::Missed),
        _ => None,
    }
}

fn check_outcome(v: &mut Validation, outcome: Option<Outcome>, answered: Option<DateTime<Utc>>) {
    let unanswered = matches!(
        outcome,
        Some(Outcome::Missed | Outcome::Abandoned | Outcome::Busy | Outcome::Failed)
    );
    if unanswered && answered.is_some() {
        v.add("outcome", "contradicts answered_at: the call was answered");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::PrincipalKind;
    use crate::role::Role;
    use chrono::TimeZone;

    fn agent() -> Principal {
        Principal {
            id: Uuid::nil(),
            name: "lan".into(),
            role: Role::Agent,
            kind: PrincipalKind::User,
            unit_code: None,
            team_code: None,
            language: None,
        }
    }

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, h, m, s).unwrap()
    }

    fn input() -> NewCall {
        NewCall {
            direction: Some(Direction::Inbound),
            caller_number: Some("0912 345 678".into()),
            callee_number: Some("1900 1006".into()),
            started_at: Some(t(8, 0, 0)),
            answered_at: Some(t(8, 0, 25)),
            ended_at: Some(t(8, 4, 5)),
            caller_name: Some("Nguyễn Văn A".into()),
            address: Some("Cà Mau".into()),
            ..Default::default()
        }
    }

    fn fields(err: DomainError) -> Vec<String> {
        match err {
            DomainError::Validation(e) => e.into_iter().map(|f| f.field).collect(),
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn derives_wait_talk_and_outcome() {
        let c = Call::create(input(), &agent(), t(9, 0, 0)).unwrap();
        assert_eq!(c.caller_number.as_ref().unwrap().as_str(), "+84912345678");
        assert_eq!(c.caller_number_raw, "0912 345 678");
        assert_eq!(c.wait_seconds(), Some(25));
        assert_eq!(c.talk_seconds(), Some(220));
        assert_eq!(c.outcome, Some(Outcome::Answered));
        assert_eq!(c.created_by, "user:lan");
        assert_eq!(c.source, "api");
        assert!(c.search_text().contains("ca mau"));
    }

    #[test]
    fn unanswered_inbound_is_missed_and_waited_until_hangup() {
        let mut i = input();
        i.answered_at = None;
        let c = Call::create(i, &agent(), t(9, 0, 0)).unwrap();
        assert_eq!(c.outcome, Some(Outcome::Missed));
        assert_eq!(c.wait_seconds(), Some(245));
        assert_eq!(c.talk_seconds(), None);
    }

    #[test]
    fn withheld_number_is_a_valid_call() {
        let mut i = input();
        i.caller_number = Some("anonymous".into());
        let c = Call::create(i, &agent(), t(9, 0, 0)).unwrap();
        assert_eq!(c.caller_number, None);
        assert_eq!(c.caller_number_raw, "anonymous");
    }

    #[test]
    fn impossible_time_order_names_the_fields() {
        let mut i = input();
        i.ended_at = Some(t(7, 0, 0));
        assert_eq!(fields(Call::create(i, &agent(), t(9, 0, 0)).unwrap_err()), ["ended_at"]);
        let mut i = input();
        i.answered_at = Some(t(8, 5, 0));
        assert_eq!(fields(Call::create(i, &agent(), t(9, 0, 0)).unwrap_err()), ["ended_at"]);
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let i = NewCall {
            caller_number: Some("not a number".into()),
            customer_code: Some("??".into()),
            notes: Some("x".repeat(MAX_NOTES + 1)),
            ..Default::default()
        };
        let f = fields(Call::create(i, &agent(), t(9, 0, 0)).unwrap_err());
        assert_eq!(
            f,
            ["direction", "caller_number", "started_at", "customer_code", "notes"]
        );
    }

    #[test]
    fn future_start_and_contradicting_outcome_are_refused() {
        let mut i = input();
        i.started_at = Some(t(9, 30, 0));
        i.answered_at = None;
        i.ended_at = None;
        assert_eq!(
            fields(Call::create(i, &agent(), t(9, 0, 0)).unwrap_err()),
            ["started_at"]
        );
        let mut i = input();
        i.outcome = Some(Outcome::Missed);
        assert_eq!(fields(Call::create(i, &agent(), t(9, 0, 0)).unwrap_err()), ["outcome"]);
    }

    #[test]
    fn patch_changes_only_named_fields_and_bumps_version() {
        let c = Call::create(input(), &agent(), t(9, 0, 0)).unwrap();
        let p = CallPatch {
            category: Some(Some(Category::Outage)),
            notes: Some(Some("Mất điện cả xóm".into())),
            address: Some(None),
            ..Default::default()
        };
        let n = c.patched(p, t(9, 5, 0)).unwrap();
        assert_eq!(n.category, Some(Category::Outage));
        assert_eq!(n.address, None);
        assert_eq!(n.caller_name, c.caller_name);
        assert_eq!(n.version, 2);
        assert!(n.search_text().contains("mat dien"));
        let bad = CallPatch {
            outcome: Some(Some(Outcome::Abandoned)),
            ..Default::default()
        };
        assert_eq!(fields(c.patched(bad, t(9, 5, 0)).unwrap_err()), ["outcome"]);
    }
}
