//! Call events from softphones and PBXs, and the state machine they fold
//! into: ringing → answered → ended, or ringing → ended.
//!
//! PBXs retry and networks reorder, so folding is built to be idempotent
//! (a repeated event changes nothing) and order-independent (the state keeps
//! the earliest time of each kind of event, and "answered after hang-up" is
//! decided from the event times, not from arrival order).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::call::CallIds;
use crate::call::{Direction, Outcome};
use crate::text;

pub const MAX_CALL_ID: usize = 255;
const MAX_FIELD: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Ringing,
    Answered,
    Transferred,
    /// The voicemail box took the call: nobody spoke to the caller.
    Voicemail,
    Ended,
}

/// Why a call ended, as PBXs report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    NormalClearing,
    Busy,
    Cancel,
    NoAnswer,
    Congestion,
    NotFound,
    Forwarded,
    AnsweredElsewhere,
}

/// Longest hang-up cause kept as the PBX sent it.
pub const MAX_CAUSE: usize = 100;

impl Cause {
    pub const ALL: [Cause; 8] = [
        Cause::NormalClearing,
        Cause::Busy,
        Cause::Cancel,
        Cause::NoAnswer,
        Cause::Congestion,
        Cause::NotFound,
        Cause::Forwarded,
        Cause::AnsweredElsewhere,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::NormalClearing => "normal_clearing",
            Cause::Busy => "busy",
            Cause::Cancel => "cancel",
            Cause::NoAnswer => "no_answer",
            Cause::Congestion => "congestion",
            Cause::NotFound => "not_found",
            Cause::Forwarded => "forwarded",
            Cause::AnsweredElsewhere => "answered_elsewhere",
        }
    }

    /// Accepts Zammad's and sipgate's camelCase (`normalClearing`) as well as
    /// snake_case, in any case.
    pub fn parse(raw: &str) -> Option<Cause> {
        let wanted: String = raw
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        Cause::ALL.into_iter().find(|c| c.as_str().replace('_', "") == wanted)
    }
}

/// A hang-up cause as the PBX sent it (trimmed, capped), and what hotline
/// understands of it: any cause ends the call, a known one also decides how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HangupCause {
    pub raw: String,
    pub known: Option<Cause>,
}

impl HangupCause {
    /// None for an absent or blank cause.
    pub fn read(raw: Option<&str>) -> Option<HangupCause> {
        let raw = field(raw)?;
        let raw: String = raw.chars().take(MAX_CAUSE).collect();
        Some(HangupCause {
            known: Cause::parse(&raw),
            raw,
        })
    }
}

/// Whether the party that picked up is the voicemail box, as Zammad and
/// sipgate name it in `user` on an answer event.
pub fn is_voicemail(agent: Option<&str>) -> bool {
    agent.is_some_and(|a| a.trim().eq_ignore_ascii_case("voicemail"))
}

/// One event about one call, as any integration reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct CtiEvent {
    pub kind: EventKind,
    /// The PBX's id for this call (leg).
    pub call_id: String,
    /// When it happened: the event's own timestamp, else its arrival.
    pub at: DateTime<Utc>,
    pub direction: Option<Direction>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The agent(s) rung, or the one who answered.
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub cause: Option<HangupCause>,
    /// For a transferred leg: the call it continues.
    pub original_call_id: Option<String>,
    /// For a leg the PBX diverted (sipgate's `diversion`): the number
    /// first dialled, whose leg this one continues.
    pub diversion: Option<String>,
    /// The caller's number is on the blocked list: the PBX is told to
    /// refuse the call.
    pub blocked: bool,
}

/// Checks the fields every integration shares.
pub fn check_call_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    if id.is_empty() || id.len() > MAX_CALL_ID {
        return Err(format!("must be 1 to {MAX_CALL_ID} characters"));
    }
    if id.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(id.to_string())
}

/// Short free text from a PBX: NFC, trimmed, capped, empty → None.
pub fn field(raw: Option<&str>) -> Option<String> {
    let t = text::nfc(raw?);
    let t: String = t.chars().filter(|c| !c.is_control()).take(MAX_FIELD).collect();
    (!t.is_empty()).then_some(t)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct End {
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// The cause as the PBX sent it, known or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_raw: Option<String>,
}

/// Everything known about one call leg, folded from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CtiState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversion: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blocked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ringing_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferred_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voicemail_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<End>,
}

fn earliest(slot: &mut Option<DateTime<Utc>>, at: DateTime<Utc>) -> bool {
    if slot.is_none_or(|t| at < t) {
        *slot = Some(at);
        true
    } else {
        false
    }
}

/// Fills a descriptive field: the earliest ringing event decides; other
/// events only fill what is still unknown.
fn describe<T: Clone + PartialEq>(slot: &mut Option<T>, value: &Option<T>, authoritative: bool) {
    if let Some(v) = value
        && (slot.is_none() || authoritative)
    {
        *slot = Some(v.clone());
    }
}

impl CtiState {
    /// Folds one event in. Returns whether anything changed.
    pub fn apply(&mut self, e: &CtiEvent) -> bool {
        let before = self.clone();
        let authoritative = e.kind == EventKind::Ringing && earliest(&mut self.ringing_at, e.at);
        describe(&mut self.direction, &e.direction, authoritative);
        describe(&mut self.from, &e.from, authoritative);
        describe(&mut self.to, &e.to, authoritative);
        describe(&mut self.queue, &e.queue, authoritative);
        describe(&mut self.original_call_id, &e.original_call_id, authoritative);
        describe(&mut self.diversion, &e.diversion, authoritative);
        self.blocked |= e.blocked;
        match e.kind {
            EventKind::Ringing => describe(&mut self.agent, &e.agent, authoritative),
            EventKind::Answered => {
                if self.answer.as_ref().is_none_or(|a| e.at < a.at) {
                    self.answer = Some(Stamp {
                        at: e.at,
                        agent: e.agent.clone(),
                    });
                }
            }
            EventKind::Transferred => {
                earliest(&mut self.transferred_at, e.at);
            }
            EventKind::Voicemail => {
                earliest(&mut self.voicemail_at, e.at);
            }
            EventKind::Ended => {
                if self.end.as_ref().is_none_or(|x| e.at < x.at) {
                    self.end = Some(End {
                        at: e.at,
                        cause: e.cause.as_ref().and_then(|c| c.known),
                        cause_raw: e.cause.as_ref().map(|c| c.raw.clone()),
                    });
                }
            }
        }
        *self != before
    }

    /// The first moment anything was seen of this call.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        [
            self.ringing_at,
            self.answer.as_ref().map(|a| a.at),
            self.transferred_at,
            self.voicemail_at,
            self.end.as_ref().map(|e| e.at),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The answer, unless it came after the hang-up (a late, stale event).
    pub fn valid_answer(&self) -> Option<&Stamp> {
        self.answer
            .as_ref()
            .filter(|a| self.end.as_ref().is_none_or(|e| a.at <= e.at))
    }

    pub fn outcome(&self) -> Option<Outcome> {
        if self.valid_answer().is_some() {
            return Some(Outcome::Answered);
        }
        let end = self.end.as_ref()?;
        if self.transferred_at.is_some() {
            return Some(Outcome::Transferred);
        }
        if self.voicemail_at.is_some() {
            return Some(Outcome::Voicemail);
        }
        Some(match end.cause {
            Some(Cause::Forwarded | Cause::AnsweredElsewhere) => Outcome::Transferred,
            Some(Cause::Busy) => Outcome::Busy,
            Some(Cause::Congestion | Cause::NotFound) => Outcome::Failed,
            // The caller gave up while waiting in a queue.
            Some(Cause::Cancel | Cause::NormalClearing) if self.queue.is_some() => Outcome::Abandoned,
            _ => Outcome::Missed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn t(s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap() + chrono::Duration::seconds(i64::from(s))
    }

    fn ev(kind: EventKind, at: u32) -> CtiEvent {
        CtiEvent {
            kind,
            call_id: "c1".into(),
            at: t(at),
            direction: Some(Direction::Inbound),
            from: Some("0912345678".into()),
            to: Some("19001006".into()),
            agent: None,
            queue: None,
            cause: None,
            original_call_id: None,
            diversion: None,
            blocked: false,
        }
    }

    fn ended(at: u32, cause: Cause) -> CtiEvent {
        CtiEvent {
            cause: HangupCause::read(Some(cause.as_str())),
            ..ev(EventKind::Ended, at)
        }
    }

    fn answered(at: u32, agent: &str) -> CtiEvent {
        CtiEvent {
            agent: Some(agent.into()),
            ..ev(EventKind::Answered, at)
        }
    }

    fn ids() -> CallIds {
        CallIds {
            call_id: Uuid::nil(),
            contact_id: Uuid::nil(),
            external_id: "c1".into(),
            source: "cti".into(),
            created_by: "api_key:pbx".into(),
        }
    }

    fn fold(events: &[CtiEvent]) -> CtiState {
        let mut s = CtiState::default();
        for e in events {
            s.apply(e);
        }
        s
    }

    #[test]
    fn answered_call() {
        let s = fold(&[
            ev(EventKind::Ringing, 0),
            answered(12, "lan"),
            ended(200, Cause::NormalClearing),
        ]);
        let c = s.to_call(ids(), None, t(300)).unwrap();
        assert_eq!(c.outcome, Some(Outcome::Answered));
        assert_eq!((c.wait_seconds(), c.talk_seconds()), (Some(12), Some(188)));
        assert_eq!(c.agent.as_deref(), Some("lan"));
        assert_eq!(c.caller_number.unwrap().as_str(), "+84912345678");
    }

    #[test]
    fn every_order_gives_the_same_record() {
        let events = [
            ev(EventKind::Ringing, 0),
            answered(12, "lan"),
            ended(200, Cause::NormalClearing),
            ev(EventKind::Ringing, 0),
        ];
        let reference = fold(&events).to_call(ids(), None, t(300));
        let orders = [[0, 1, 2, 3], [2, 1, 0, 3], [1, 2, 3, 0], [2, 0, 3, 1], [3, 2, 1, 0]];
        for order in orders {
            let shuffled: Vec<_> = order.iter().map(|&i| events[i].clone()).collect();
            assert_eq!(fold(&shuffled).to_call(ids(), None, t(300)), reference, "{order:?}");
        }
    }

    #[test]
    fn repeated_events_change_nothing() {
        let mut s = fold(&[ev(EventKind::Ringing, 0), answered(12, "lan")]);
        assert!(!s.apply(&ev(EventKind::Ringing, 0)));
        assert!(!s.apply(&answered(12, "lan")));
        assert!(s.apply(&ended(20, Cause::NormalClearing)));
        assert!(!s.apply(&ended(20, Cause::NormalClearing)));
    }

    #[test]
    fn an_answer_after_hangup_is_ignored() {
        let s = fold(&[
            ev(EventKind::Ringing, 0),
            ended(30, Cause::NoAnswer),
            answered(40, "lan"),
        ]);
        assert_eq!(s.outcome(), Some(Outcome::Missed));
        assert_eq!(s.to_call(ids(), None, t(50)).unwrap().answered_at, None);
    }

    #[test]
    fn unanswered_endings_by_cause() {
        let base = |cause, queue: Option<&str>| {
            let mut r = ev(EventKind::Ringing, 0);
            r.queue = queue.map(Into::into);
            fold(&[r, ended(25, cause)]).outcome()
        };
        assert_eq!(base(Cause::Cancel, Some("outage")), Some(Outcome::Abandoned));
        assert_eq!(base(Cause::Cancel, None), Some(Outcome::Missed));
        assert_eq!(base(Cause::NoAnswer, Some("outage")), Some(Outcome::Missed));
        assert_eq!(base(Cause::Busy, None), Some(Outcome::Busy));
        assert_eq!(base(Cause::Congestion, None), Some(Outcome::Failed));
        assert_eq!(base(Cause::Forwarded, None), Some(Outcome::Transferred));
        assert_eq!(fold(&[ev(EventKind::Ringing, 0)]).outcome(), None, "still ringing");
    }

    #[test]
    fn a_hangup_alone_still_makes_a_call() {
        let s = fold(&[ended(30, Cause::Cancel)]);
        let c = s.to_call(ids(), None, t(40)).unwrap();
        assert_eq!((c.started_at, c.ended_at), (t(30), Some(t(30))));
        assert_eq!(c.outcome, Some(Outcome::Missed));
    }

    #[test]
    fn events_keep_wrap_up_and_bump_versions_only_on_change() {
        let s1 = fold(&[ev(EventKind::Ringing, 0)]);
        let mut first = s1.to_call(ids(), None, t(1)).unwrap();
        first.notes = Some("khách báo mất điện".into());
        let s2 = fold(&[ev(EventKind::Ringing, 0), answered(5, "lan")]);
        let second = s2.to_call(ids(), Some(&first), t(6)).unwrap();
        assert_eq!(second.version, 2);
        assert_eq!(second.notes, first.notes);
        let same = s2.to_call(ids(), Some(&second), t(7)).unwrap();
        assert_eq!(same, second);
    }

    #[test]
    fn an_agents_wrap_up_survives_later_pbx_events() {
        use crate::call::Category;
        let mut logged = fold(&[ev(EventKind::Ringing, 0)]).to_call(ids(), None, t(1)).unwrap();
        logged.category = Some(Category::Outage);
        logged.customer_code = Some("PE01000001".into());
        logged.caller_name = Some("Nguyễn Văn An".into());
        logged.address = Some("12 Lê Lợi".into());
        logged.notes = Some("khách báo mất điện".into());
        logged.created_by = "agent:lan".into();
        let later = fold(&[
            ev(EventKind::Ringing, 0),
            answered(5, "lan"),
            ended(60, Cause::NormalClearing),
        ]);
        let after = later.to_call(ids(), Some(&logged), t(61)).unwrap();
        assert_eq!(after.answered_at, Some(t(5)));
        assert_eq!(after.ended_at, Some(t(60)));
        assert_eq!(after.agent.as_deref(), Some("lan"));
        assert_eq!(
            (
                after.category,
                &after.customer_code,
                &after.caller_name,
                &after.address,
                &after.notes
            ),
            (
                logged.category,
                &logged.customer_code,
                &logged.caller_name,
                &logged.address,
                &logged.notes
            )
        );
        assert_eq!(
            (after.created_by.as_str(), after.created_at),
            ("agent:lan", logged.created_at)
        );
        assert_eq!((after.version, after.updated_at), (logged.version + 1, t(61)));
    }

    #[test]
    fn causes_parse_both_spellings() {
        assert_eq!(Cause::parse("normalClearing"), Some(Cause::NormalClearing));
        assert_eq!(Cause::parse("normal_clearing"), Some(Cause::NormalClearing));
        assert_eq!(Cause::parse("NOANSWER"), Some(Cause::NoAnswer));
        assert_eq!(Cause::parse("weather"), None);
    }

    #[test]
    fn any_cause_ends_the_call_and_is_kept_as_sent() {
        let mut end = ev(EventKind::Ended, 30);
        end.cause = HangupCause::read(Some(" weather "));
        let s = fold(&[ev(EventKind::Ringing, 0), end]);
        let c = s.to_call(ids(), None, t(40)).unwrap();
        assert_eq!(c.ended_at, Some(t(30)));
        assert_eq!(c.outcome, Some(Outcome::Missed));
        assert_eq!(c.hangup_cause.as_deref(), Some("weather"));
        let known = HangupCause::read(Some("answeredElsewhere")).unwrap();
        assert_eq!(known.known, Some(Cause::AnsweredElsewhere));
        assert_eq!(known.raw, "answeredElsewhere");
        assert_eq!(HangupCause::read(Some("  ")), None);
    }

    #[test]
    fn voicemail_is_its_own_outcome_and_no_agent_answered() {
        let mut ring = ev(EventKind::Ringing, 0);
        ring.agent = Some("lan".into());
        let s = fold(&[ring, ev(EventKind::Voicemail, 20), ended(80, Cause::NormalClearing)]);
        let c = s.to_call(ids(), None, t(90)).unwrap();
        assert_eq!(c.outcome, Some(Outcome::Voicemail));
        assert_eq!(c.answered_at, None);
        assert_eq!(c.agent.as_deref(), Some("lan"));
        assert!(is_voicemail(Some(" VoiceMail ")));
        assert!(!is_voicemail(Some("lan")));
    }

    #[test]
    fn a_blocked_mark_sticks_to_the_call() {
        let mut ring = ev(EventKind::Ringing, 0);
        ring.blocked = true;
        let s = fold(&[ring, ended(1, Cause::Busy)]);
        let c = s.to_call(ids(), None, t(2)).unwrap();
        assert!(c.blocked);
        assert_eq!(c.outcome, Some(Outcome::Busy));
        assert!(!fold(&[ev(EventKind::Ringing, 0)]).blocked);
    }

    #[test]
    fn call_ids_and_fields_are_checked() {
        assert_eq!(check_call_id(" abc-1 "), Ok("abc-1".into()));
        assert!(check_call_id("").is_err());
        assert!(check_call_id(&"x".repeat(256)).is_err());
        assert_eq!(field(Some("  ")), None);
        assert_eq!(field(Some("Hàng đợi\u{0} 1")).as_deref(), Some("Hàng đợi 1"));
    }
}
