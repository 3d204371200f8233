//! Webhook subscriptions: other systems told about events by signed HTTP
//! POSTs. Deliveries are fanned out from the event log and retried on a
//! schedule; this module holds the rules, the store does the bookkeeping.

mod delivery;
mod retry;
mod signature;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::event::{EVENT_TYPES, OutboxEvent};
use crate::validation::{Validation, optional_text};

pub use crate::ports::WebhookStore;
pub use delivery::{Attempt, Delivery, DeliveryStatus, DueDelivery, FanOut};
pub use retry::{AttemptOutcome, RetrySchedule, accepted};
pub use signature::{SECRET_PREFIX, WebhookSecret, sign, sign_all, verify};

/// Subscribes to every event type.
pub const ALL_EVENTS: &str = "*";
const MAX_URL: usize = 2048;
const MAX_DESCRIPTION: usize = 500;
const MAX_REASON: usize = 500;
/// Longest overlap of a secret rotation: 30 days.
pub const MAX_SECRET_OVERLAP_HOURS: u32 = 720;

/// Until when a secret replaced at `now` still signs beside the new one;
/// None for no overlap (the old secret stops at once).
pub fn secret_overlap_end(now: DateTime<Utc>, overlap_hours: u32) -> Option<DateTime<Utc>> {
    (overlap_hours > 0).then(|| now + chrono::Duration::hours(i64::from(overlap_hours.min(MAX_SECRET_OVERLAP_HOURS))))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: Uuid,
    pub url: String,
    /// Event types, or `["*"]` for all.
    pub events: Vec<String>,
    /// Only events about this unit and the units below it.
    pub unit_code: Option<crate::codes::UnitCode>,
    /// Staff-conduct complaints too (off unless asked for).
    pub include_restricted: bool,
    pub description: Option<String>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// The last time the receiver answered 2xx.
    pub last_success_at: Option<DateTime<Utc>>,
    /// After a secret rotation, until when the replaced secret still signs
    /// each delivery beside the new one (None: only the current secret).
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What a client sends to create a subscription.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionInput {
    pub url: String,
    pub events: Vec<String>,
    pub unit_code: Option<String>,
    pub include_restricted: bool,
    pub description: Option<String>,
}

/// A partial change; `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionPatch {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub unit_code: Option<Option<String>>,
    pub include_restricted: Option<bool>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// An absolute `http(s)` URL without credentials or fragment. Plain `http`
/// only for a loopback host, unless `allow_http` (a deployment whose
/// receivers sit on a private network).
pub fn check_url(raw: &str, allow_http: bool) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("is required".into());
    }
    if raw.len() > MAX_URL {
        return Err(format!("must be at most {MAX_URL} characters"));
    }
    let url = url::Url::parse(raw).map_err(|e| format!("is not an absolute URL ({e})"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err("must name a host".into()),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_http => {}
        "http" => return Err("must use https (plain http only to a loopback address)".into()),
        _ => return Err("must be an http or https URL".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials: verify the signature instead".into());
    }
    if url.fragment().is_some() {
        return Err("must not have a #fragment".into());
    }
    Ok(url.to_string())
}

/// Known event types, each once, in the order given; `*` alone for all.
pub fn check_events(raw: &[String]) -> Result<Vec<String>, String> {
    if raw.is_empty() {
        return Err(format!("name at least one event type, or {ALL_EVENTS} for all"));
    }
    let mut out: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for name in raw.iter().map(|e| e.trim()) {
        if name == ALL_EVENTS {
            return Ok(vec![ALL_EVENTS.into()]);
        }
        match EVENT_TYPES.iter().find(|t| **t == name) {
            Some(t) if !out.iter().any(|o| o == t) => out.push((*t).into()),
            Some(_) => {}
            None => unknown.push(name.to_string()),
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "unknown event types: {} (known: {}, or {ALL_EVENTS})",
            unknown.join(", "),
            EVENT_TYPES.join(", ")
        ))
    }
}

impl Subscription {
    /// A new, enabled subscription from checked input. The unit's existence
    /// is the caller's to check (it needs the store).
    pub fn create(input: SubscriptionInput, allow_http: bool, now: DateTime<Utc>) -> Result<Self, crate::DomainError> {
        let mut v = Validation::new();
        let url = v.check("url", check_url(&input.url, allow_http));
        let events = v.check("events", check_events(&input.events));
        let unit_code = crate::codes::optional(&mut v, "unit_code", input.unit_code.as_deref());
        let description = optional_text(&mut v, "description", input.description.as_deref(), MAX_DESCRIPTION);
        v.finish()?;
        Ok(Self {
            id: Uuid::now_v7(),
            url: url.unwrap_or_default(),
            events: events.unwrap_or_default(),
            unit_code,
            include_restricted: input.include_restricted,
            description,
            enabled: true,
            disabled_reason: None,
            disabled_at: None,
            last_success_at: None,
            previous_secret_expires_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    /// This subscription with `patch` applied, checked; re-enabling clears
    /// the reason it was disabled.
    pub fn patched(
        &self,
        patch: SubscriptionPatch,
        allow_http: bool,
        now: DateTime<Utc>,
    ) -> Result<Self, crate::DomainError> {
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(url) = patch.url {
            next.url = v.check("url", check_url(&url, allow_http)).unwrap_or_default();
        }
        if let Some(events) = patch.events {
            next.events = v.check("events", check_events(&events)).unwrap_or_default();
        }
        if let Some(unit) = patch.unit_code {
            next.unit_code = crate::codes::optional(&mut v, "unit_code", unit.as_deref());
        }
        if let Some(d) = patch.description {
            next.description = optional_text(&mut v, "description", d.as_deref(), MAX_DESCRIPTION);
        }
        if let Some(r) = patch.include_restricted {
            next.include_restricted = r;
        }
        v.finish()?;
        match patch.enabled {
            Some(true) if !self.enabled => {
                next.enabled = true;
                next.disabled_reason = None;
                next.disabled_at = None;
            }
            Some(false) if self.enabled => next.disable("disabled by an administrator", now),
            _ => {}
        }
        next.updated_at = now;
        next.version += 1;
        Ok(next)
    }

    pub fn disable(&mut self, reason: &str, at: DateTime<Utc>) {
        self.enabled = false;
        self.disabled_reason = Some(reason.chars().take(MAX_REASON).collect());
        self.disabled_at = Some(at);
    }

    /// Whether `e` is delivered here: an enabled subscription, an event
    /// written after it was created, a type it asked for; complaints only
    /// when asked for; with a unit scope, only events of a unit in its
    /// subtree. `unit_paths` maps unit codes to their tree paths.
    ///
    /// Events without a unit (calls, incidents, work orders not yet placed)
    /// go to subscriptions without a unit scope only: a unit's subscriber
    /// is not told about other units' customers.
    pub fn wants(&self, e: &OutboxEvent, unit_paths: &HashMap<String, String>) -> bool {
        if !self.enabled || e.created_at < self.created_at || (e.restricted && !self.include_restricted) {
            return false;
        }
        if !self.events.iter().any(|t| t == ALL_EVENTS || *t == e.event_type) {
            return false;
        }
        let Some(scope) = &self.unit_code else {
            return true;
        };
        match (
            unit_paths.get(scope.as_str()),
            e.unit_code.as_ref().and_then(|u| unit_paths.get(u.as_str())),
        ) {
            (Some(root), Some(path)) => crate::org::tree::is_within(path, root),
            _ => false,
        }
    }

    /// What the audit log keeps (never the secret).
    pub fn audit_view(&self) -> Value {
        json!({
            "url": self.url,
            "events": self.events,
            "unit_code": self.unit_code,
            "include_restricted": self.include_restricted,
            "description": self.description,
            "enabled": self.enabled,
            "disabled_reason": self.disabled_reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(url: &str, events: &[&str]) -> SubscriptionInput {
        SubscriptionInput {
            url: url.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn urls_must_be_absolute_https_except_on_loopback() {
        assert!(check_url("https://sms.example.vn/hooks", false).is_ok());
        assert!(check_url("http://127.0.0.1:9000/x", false).is_ok());
        assert!(check_url("http://localhost/x", false).is_ok());
        assert!(check_url("http://[::1]:80/x", false).is_ok());
        assert!(check_url("http://sms.example.vn/hooks", false).is_err());
        assert!(check_url("http://sms.example.vn/hooks", true).is_ok());
        for bad in [
            "",
            "/relative",
            "ftp://x.vn/",
            "https://u:p@x.vn/",
            "https://x.vn/#f",
            "mailto:a@b.vn",
        ] {
            assert!(check_url(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn events_are_known_types_or_all() {
        assert_eq!(
            check_events(&["call.ended".into(), "call.ended".into()]).unwrap(),
            vec!["call.ended"]
        );
        assert_eq!(check_events(&["call.ended".into(), "*".into()]).unwrap(), vec!["*"]);
        assert!(check_events(&[]).is_err());
        assert!(
            check_events(&["call.exploded".into()])
                .unwrap_err()
                .contains("call.exploded")
        );
    }

    #[test]
    fn validation_names_every_bad_field() {
        let mut i = input("ftp://x", &["nope"]);
        i.unit_code = Some("bad code!".into());
        let Err(crate::DomainError::Validation(errors)) = Subscription::create(i, false, Utc::now()) else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["url", "events", "unit_code"]);
    }

    fn event(t: &str, unit: Option<&str>, restricted: bool, at: DateTime<Utc>) -> OutboxEvent {
        OutboxEvent {
            id: Uuid::now_v7(),
            event_type: t.into(),
            unit_code: unit.map(Into::into),
            team_code: None,
            agent: None,
            subject_id: Uuid::now_v7(),
            payload: Value::Null,
            created_at: at,
            restricted,
        }
    }

    #[test]
    fn matching_follows_types_units_complaints_and_creation() {
        let now = Utc::now();
        let paths: HashMap<String, String> = [("PB", "/PB/"), ("PB1", "/PB/PB1/"), ("PC", "/PC/")]
            .into_iter()
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .collect();
        let all = Subscription::create(input("https://a.vn", &["*"]), false, now).unwrap();
        let mut scoped = input("https://a.vn", &["work_order.created", "call.ringing"]);
        scoped.unit_code = Some("PB".into());
        let scoped = Subscription::create(scoped, false, now).unwrap();
        let later = now + chrono::Duration::seconds(1);
        assert!(all.wants(&event("call.ringing", None, false, later), &paths));
        assert!(!all.wants(
            &event("call.ringing", None, false, now - chrono::Duration::seconds(1)),
            &paths
        ));
        assert!(
            !all.wants(&event("work_order.created", None, true, later), &paths),
            "complaint"
        );
        assert!(scoped.wants(&event("work_order.created", Some("PB1"), false, later), &paths));
        assert!(!scoped.wants(&event("work_order.created", Some("PC"), false, later), &paths));
        assert!(!scoped.wants(&event("work_order.assigned", Some("PB"), false, later), &paths));
        assert!(
            !scoped.wants(&event("call.ringing", None, false, later), &paths),
            "no unit"
        );
        let mut off = all.clone();
        off.disable("test", now);
        assert!(!off.wants(&event("call.ringing", None, false, later), &paths));
    }

    #[test]
    fn an_overlap_ends_after_its_hours_and_zero_means_none() {
        let now = Utc::now();
        assert_eq!(secret_overlap_end(now, 0), None);
        assert_eq!(secret_overlap_end(now, 24), Some(now + chrono::Duration::hours(24)));
        assert_eq!(
            secret_overlap_end(now, 10_000),
            Some(now + chrono::Duration::hours(i64::from(MAX_SECRET_OVERLAP_HOURS)))
        );
    }

    #[test]
    fn re_enabling_clears_the_reason() {
        let now = Utc::now();
        let mut s = Subscription::create(input("https://a.vn", &["*"]), false, now).unwrap();
        s.disable("receiver failing", now);
        let patch = SubscriptionPatch {
            enabled: Some(true),
            ..Default::default()
        };
        let next = s.patched(patch, false, now).unwrap();
        assert!(next.enabled && next.disabled_reason.is_none() && next.disabled_at.is_none());
        assert_eq!(next.version, s.version + 1);
    }
}
