//! Planned outages: maintenance, upgrades, tree cutting, connection work
//! announced to the customers of the areas they stop. Circular
//! 22/2020/TT-BCT asks for the notice at least five days ahead; a later one
//! needs a reason and is flagged (see [`notice`]).

mod machine;
pub mod notice;
pub mod report;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::DomainError;
use crate::codes::{self, AreaCode, CustomerCode, UnitCode};
use crate::validation::{Validation, optional_text};

pub use machine::{Transition, allowed_actions};

pub const MAX_REASON: usize = 2000;
pub const MAX_AREAS: usize = 200;
pub const MAX_STATIONS: usize = 200;
pub const MAX_STATION: usize = 100;
pub const MAX_CUSTOMERS: usize = 5000;
/// The prefix of the notices' readable codes (`KH-26-000012`: *kế hoạch*).
pub const CODE_PREFIX: &str = "KH";
/// The key of their yearly sequence (apart from the work orders' prefixes,
/// which are two letters).
pub const SEQUENCE: &str = "planned";

named_enum!(
    /// What the planned work is.
    OutageKind {
        Maintenance => "maintenance",
        Upgrade => "upgrade",
        TreeCutting => "tree_cutting",
        ConnectionWork => "connection_work",
        Other => "other",
    }
);

named_enum!(
    /// Where a notice stands.
    NoticeStatus {
        /// Being prepared; nobody is told yet.
        Draft => "draft",
        /// Announced to the customers.
        Published => "published",
        /// The supply is stopped for the work.
        InProgress => "in_progress",
        Completed => "completed",
        Cancelled => "cancelled",
        /// Moved to a new window; published again once confirmed.
        Postponed => "postponed",
    }
);

named_enum!(
    /// What may be done to a notice.
    NoticeAction {
        Publish => "publish",
        Start => "start",
        Complete => "complete",
        Cancel => "cancel",
        Postpone => "postpone",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedOutage {
    pub id: Uuid,
    /// Readable over the phone: `KH-26-000012`.
    pub code: String,
    pub unit_code: UnitCode,
    pub kind: OutageKind,
    pub reason: String,
    pub starts_at: DateTime<Utc>,
    pub expected_end_at: DateTime<Utc>,
    /// The areas stopped, each with everything below it.
    pub area_codes: Vec<AreaCode>,
    /// Transformer stations affected, where known.
    pub stations: Vec<String>,
    /// The customers affected, where known (empty: those of the areas).
    pub customer_codes: Vec<CustomerCode>,
    pub status: NoticeStatus,
    /// When it was last published.
    pub published_at: Option<DateTime<Utc>>,
    /// Published less than five days before the start.
    pub late_notice: bool,
    pub late_reason: Option<String>,
    /// How many times the window was moved.
    pub postponements: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A notice as submitted.
#[derive(Debug, Clone, Default)]
pub struct NewPlannedOutage {
    pub unit_code: Option<String>,
    pub kind: Option<String>,
    pub reason: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub expected_end_at: Option<DateTime<Utc>>,
    pub area_codes: Vec<String>,
    pub stations: Vec<String>,
    pub customer_codes: Vec<String>,
}

/// A change to a draft or published notice: only the fields given change.
#[derive(Debug, Clone, Default)]
pub struct PlannedOutagePatch {
    pub kind: Option<String>,
    pub reason: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub expected_end_at: Option<DateTime<Utc>>,
    pub area_codes: Option<Vec<String>>,
    pub stations: Option<Vec<String>>,
    pub customer_codes: Option<Vec<String>>,
}

/// Filters for the notice list; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct PlannedOutageFilter {
    /// Notices of these units (None: any).
    pub units: Option<Vec<String>>,
    /// Notices one of whose areas is one of these codes.
    pub area_codes: Option<Vec<String>>,
    pub statuses: Vec<NoticeStatus>,
    /// Windows ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Windows starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub late: Option<bool>,
    /// Notices naming this customer.
    pub customer_code: Option<String>,
}

/// A customer to tell, with the numbers to text.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub customer_code: CustomerCode,
    pub name: String,
    pub phones: Vec<String>,
    pub area_code: Option<AreaCode>,
}

fn kind(v: &mut Validation, raw: Option<&str>) -> Option<OutageKind> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            v.add("kind", "is required");
            None
        }
        Some(k) => v.check("kind", k.parse::<OutageKind>()),
    }
}

fn reason(v: &mut Validation, raw: Option<&str>) -> Option<String> {
    let text = optional_text(v, "reason", raw, MAX_REASON);
    if text.is_none() && v.errors().iter().all(|e| e.field != "reason") {
        v.add("reason", "is required");
    }
    text
}

fn areas(v: &mut Validation, raw: &[String]) -> Vec<AreaCode> {
    let out: Vec<AreaCode> = codes::list(v, "area_codes", raw);
    if raw.is_empty() {
        v.add("area_codes", "name at least one area");
    }
    if out.len() > MAX_AREAS {
        v.add("area_codes", format!("at most {MAX_AREAS} areas"));
    }
    out
}

fn stations(v: &mut Validation, raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        if let Some(s) = optional_text(v, &format!("stations[{i}]"), Some(s), MAX_STATION)
            && !out.contains(&s)
        {
            out.push(s);
        }
    }
    if out.len() > MAX_STATIONS {
        v.add("stations", format!("at most {MAX_STATIONS} stations"));
    }
    out
}

fn customers(v: &mut Validation, raw: &[String]) -> Vec<CustomerCode> {
    let out: Vec<CustomerCode> = codes::list(v, "customer_codes", raw);
    if out.len() > MAX_CUSTOMERS {
        v.add("customer_codes", format!("at most {MAX_CUSTOMERS} customers"));
    }
    out
}

fn window(v: &mut Validation, starts: Option<DateTime<Utc>>, ends: Option<DateTime<Utc>>) {
    if starts.is_none() {
        v.add("starts_at", "is required");
    }
    match (starts, ends) {
        (_, None) => v.add("expected_end_at", "is required"),
        (Some(s), Some(e)) if e <= s => v.add("expected_end_at", "must be after starts_at"),
        _ => {}
    }
}

impl PlannedOutage {
    /// Checks a submission and builds the draft.
    pub fn create(input: NewPlannedOutage, code: String, actor: &str, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let mut v = Validation::new();
        let unit_code: Option<UnitCode> = codes::required(&mut v, "unit_code", input.unit_code.as_deref());
        let kind = kind(&mut v, input.kind.as_deref());
        let reason = reason(&mut v, input.reason.as_deref());
        window(&mut v, input.starts_at, input.expected_end_at);
        let area_codes = areas(&mut v, &input.area_codes);
        let stations = stations(&mut v, &input.stations);
        let customer_codes = customers(&mut v, &input.customer_codes);
        v.finish()?;
        let (Some(unit_code), Some(kind), Some(reason), Some(starts_at), Some(expected_end_at)) =
            (unit_code, kind, reason, input.starts_at, input.expected_end_at)
        else {
            return Err(DomainError::Internal("checked fields missing".into()));
        };
        Ok(PlannedOutage {
            id: Uuid::now_v7(),
            code,
            unit_code,
            kind,
            reason,
            starts_at,
            expected_end_at,
            area_codes,
            stations,
            customer_codes,
            status: NoticeStatus::Draft,
            published_at: None,
            late_notice: false,
            late_reason: None,
            postponements: 0,
            created_by: actor.to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    /// Applies a change to a draft or a published notice. A published
    /// notice keeps its start: moving it is a postponement.
    pub fn patched(&self, patch: PlannedOutagePatch, now: DateTime<Utc>) -> Result<Self, DomainError> {
        if !matches!(self.status, NoticeStatus::Draft | NoticeStatus::Published) {
            return Err(DomainError::Conflict(format!(
                "only a draft or published notice can be changed; this one is {}",
                self.status
            )));
        }
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(k) = patch.kind.as_deref() {
            next.kind = kind(&mut v, Some(k)).unwrap_or(self.kind);
        }
        if let Some(r) = patch.reason.as_deref() {
            next.reason = reason(&mut v, Some(r)).unwrap_or_default();
        }
        if let Some(s) = patch.starts_at {
            if self.status == NoticeStatus::Published && s != self.starts_at {
                v.add("starts_at", "a published notice moves by the postpone action");
            }
            next.starts_at = s;
        }
        if let Some(e) = patch.expected_end_at {
            next.expected_end_at = e;
        }
        window(&mut v, Some(next.starts_at), Some(next.expected_end_at));
        if let Some(a) = &patch.area_codes {
            next.area_codes = areas(&mut v, a);
        }
        if let Some(s) = &patch.stations {
            next.stations = stations(&mut v, s);
        }
        if let Some(c) = &patch.customer_codes {
            next.customer_codes = customers(&mut v, c);
        }
        v.finish()?;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// Whether customers were told of it and it is not over: what a
    /// call-taker mentions.
    pub fn is_announced(&self) -> bool {
        matches!(self.status, NoticeStatus::Published | NoticeStatus::InProgress)
    }

    /// Whether an area with this ancestry (itself first, then its ancestors)
    /// lies within one of the notice's areas.
    pub fn covers(&self, ancestry: &[String]) -> bool {
        ancestry.iter().any(|a| self.area_codes.iter().any(|c| c == a))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "code": self.code, "unit_code": self.unit_code, "kind": self.kind.as_str(), "reason": self.reason,
            "starts_at": self.starts_at, "expected_end_at": self.expected_end_at,
            "area_codes": self.area_codes, "stations": self.stations, "customer_codes": self.customer_codes,
            "status": self.status.as_str(), "published_at": self.published_at,
            "late_notice": self.late_notice, "late_reason": self.late_reason, "postponements": self.postponements,
        })
    }

    /// What events say about it.
    pub fn event_data(&self) -> Value {
        json!({
            "id": self.id, "code": self.code, "unit_code": self.unit_code, "kind": self.kind.as_str(),
            "reason": self.reason, "starts_at": self.starts_at, "expected_end_at": self.expected_end_at,
            "area_codes": self.area_codes, "stations": self.stations, "status": self.status.as_str(),
            "published_at": self.published_at, "late_notice": self.late_notice, "late_reason": self.late_reason,
            "postponements": self.postponements, "updated_at": self.updated_at, "version": self.version,
        })
    }

    /// What one customer's SMS/Zalo message is made from.
    pub fn customer_notice(&self, to: &Recipient) -> Value {
        json!({
            "planned_outage_id": self.id, "code": self.code, "status": self.status.as_str(),
            "starts_at": self.starts_at, "expected_end_at": self.expected_end_at, "reason": self.reason,
            "area_codes": self.area_codes, "customer_code": to.customer_code, "name": to.name, "phones": to.phones,
        })
    }
}

#[cfg(test)]
mod tests;
