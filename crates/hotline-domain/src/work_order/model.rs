//! The work order itself: what was asked, where, by when, and where it
//! stands; and the history every change leaves.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Action, Priority, Source, Status, WorkOrderCode, source, transition};
use crate::call::Category;
use crate::codes::{self, AreaCode, CustomerCode, TeamCode, UnitCode};
use crate::validation::{Validation, optional_text};
use crate::{DomainError, text};

pub const MAX_DESCRIPTION: usize = 4000;
pub const MAX_NOTE: usize = 2000;

#[derive(Debug, Clone, PartialEq)]
pub struct WorkOrder {
    pub id: Uuid,
    pub code: WorkOrderCode,
    pub category: Category,
    pub priority: Priority,
    pub status: Status,
    /// The state `on_hold` left, to resume to.
    pub held_from: Option<Status>,
    pub description: Option<String>,
    pub customer_code: Option<CustomerCode>,
    pub address: Option<String>,
    pub area_code: Option<AreaCode>,
    pub unit_code: Option<UnitCode>,
    pub team_code: Option<TeamCode>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub callback_requested: bool,
    /// Staff-conduct complaints: the date the customer was promised an answer.
    pub promised_answer_date: Option<NaiveDate>,
    /// The SLA policy the deadlines come from.
    pub sla_policy_id: Option<Uuid>,
    pub response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Time on hold: closed and (at most one) open pauses.
    pub pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// The outage incident this work order is attached to.
    pub incident_id: Option<Uuid>,
    /// An outage reported while announced planned work was under way in
    /// its area: the notice (the customer was told in advance).
    pub planned_outage_id: Option<Uuid>,
    /// The latest routing decision, with its explanation.
    pub routing: Option<Value>,
    /// How it entered the hotline.
    pub source: Source,
    /// A photo or other media of the problem, as a URL (Open311 `media_url`).
    pub media_url: Option<String>,
    /// Which target of the routing rule holds it now (0-based), and when
    /// an unacknowledged work order moves on to the next one.
    pub routing_target: Option<u32>,
    pub escalate_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A work order as submitted, fields as typed.
#[derive(Debug, Clone, Default)]
pub struct NewWorkOrder {
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    pub description: Option<String>,
    pub customer_code: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub callback_requested: bool,
    pub promised_answer_date: Option<NaiveDate>,
    pub source: Source,
    pub media_url: Option<String>,
}

/// One line of a work order's history.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkOrderEvent {
    pub id: Uuid,
    pub work_order_id: Uuid,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `created`, `transition`, `comment`, `call_linked`, `routed`.
    pub kind: String,
    pub action: Option<Action>,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub team_code: Option<TeamCode>,
    pub note: Option<String>,
    /// Anything else worth keeping (a routing decision, a call id).
    pub detail: Value,
}

/// Filters for the work-order list.
#[derive(Debug, Clone, Default)]
pub struct WorkOrderFilter {
    pub statuses: Vec<Status>,
    /// The customer it is for.
    pub customer_code: Option<CustomerCode>,
    pub team_code: Option<String>,
    pub unit_code: Option<String>,
    pub area_code: Option<String>,
    pub category: Option<Category>,
    pub due_before: Option<DateTime<Utc>>,
    /// Open and past the resolution deadline at `now`.
    pub breached_at: Option<DateTime<Utc>>,
    /// Only this team's work (a field user's own list).
    pub only_team: Option<String>,
    /// Only work orders of these units (a unit's subtree), and of no unit
    /// when the scope says so.
    pub within_units: Option<crate::org::UnitScope>,
    pub source: Option<Source>,
    /// Opened at or after this instant.
    pub created_from: Option<DateTime<Utc>>,
    /// Opened before this instant.
    pub created_before: Option<DateTime<Utc>>,
}

impl WorkOrder {
    /// Checks a submission and builds the new work order (status `new`, no
    /// team, no deadlines: routing and the SLA fill those in).
    pub fn create(
        input: NewWorkOrder,
        code: WorkOrderCode,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let mut v = Validation::new();
        let category = input.category.unwrap_or_else(|| {
            v.add("category", "is required");
            Category::Other
        });
        if category == Category::StaffConduct && input.promised_answer_date.is_none() {
            v.add(
                "promised_answer_date",
                "is required for a staff-conduct complaint: the date promised to the customer",
            );
        }
        let lat_ok = input.latitude.is_none_or(|l| (-90.0..=90.0).contains(&l));
        let lon_ok = input.longitude.is_none_or(|l| (-180.0..=180.0).contains(&l));
        if !lat_ok {
            v.add("latitude", "must be between -90 and 90");
        }
        if !lon_ok {
            v.add("longitude", "must be between -180 and 180");
        }
        if input.latitude.is_some() != input.longitude.is_some() {
            v.add("longitude", "give both latitude and longitude, or neither");
        }
        let media_url = match input.media_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => v.check("media_url", source::check_media_url(u)),
            None => None,
        };
        let customer = codes::optional(&mut v, "customer_code", input.customer_code.as_deref());
        let wo = WorkOrder {
            id: Uuid::now_v7(),
            code,
            category,
            priority: input.priority.unwrap_or_else(|| Priority::default_for(category)),
            status: Status::New,
            held_from: None,
            description: optional_text(&mut v, "description", input.description.as_deref(), MAX_DESCRIPTION),
            customer_code: customer,
            address: optional_text(&mut v, "address", input.address.as_deref(), 500),
            area_code: codes::optional(&mut v, "area_code", input.area_code.as_deref()),
            unit_code: codes::optional(&mut v, "unit_code", input.unit_code.as_deref()),
            team_code: None,
            latitude: input.latitude,
            longitude: input.longitude,
            callback_requested: input.callback_requested,
            promised_answer_date: input.promised_answer_date,
            sla_policy_id: None,
            response_due: None,
            resolution_due: None,
            acknowledged_at: None,
            resolved_at: None,
            pauses: Vec::new(),
            incident_id: None,
            planned_outage_id: None,
            routing: None,
            source: input.source,
            media_url,
            routing_target: None,
            escalate_at: None,
            created_by: actor.to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        v.finish()?;
        Ok(wo)
    }

    /// Applies an action: the state machine decides, and the facts that the
    /// deadlines read (acknowledged, resolved, pauses) are recorded.
    pub fn apply(
        &self,
        action: Action,
        team_code: Option<TeamCode>,
        now: DateTime<Utc>,
    ) -> Result<WorkOrder, DomainError> {
        if action == Action::Assign && team_code.is_none() {
            return Err(DomainError::invalid("team_code", "is required to assign"));
        }
        let has_team = self.team_code.is_some() || team_code.is_some();
        let next = transition(self.status, self.held_from, action, has_team)?;
        let mut wo = self.clone();
        wo.status = next.status;
        wo.held_from = next.held_from;
        if let Some(team) = team_code {
            wo.team_code = Some(team);
        }
        match action {
            // A person assigning by hand overrides routing: no timer runs.
            Action::Assign => {
                wo.routing_target = None;
                wo.escalate_at = None;
            }
            Action::Acknowledge => {
                wo.acknowledged_at.get_or_insert(now);
            }
            Action::Resolve => wo.resolved_at = Some(now),
            Action::Reopen => wo.resolved_at = None,
            Action::Hold => wo.pauses.push((now, None)),
            Action::Resume | Action::Cancel => {
                if let Some(open) = wo.pauses.iter_mut().find(|p| p.1.is_none()) {
                    open.1 = Some(now);
                }
            }
            _ => {}
        }
        wo.updated_at = now.max(self.updated_at);
        wo.version += 1;
        Ok(wo)
    }

    /// The team `team` of the unit `unit` takes the work order: the work
    /// order goes with it into that unit, whoever placed it (routing, an
    /// escalation, a dispatcher), so the unit that does the work is the one
    /// that sees it.
    pub fn give_to(&mut self, team: &TeamCode, unit: &UnitCode) {
        self.team_code = Some(team.clone());
        self.unit_code = Some(unit.clone());
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Whether the response target was met: acknowledged by the deadline.
    pub fn response_met(&self) -> Option<bool> {
        Some(self.acknowledged_at? <= self.response_due?)
    }

    /// Whether the resolution target was met: resolved by the deadline.
    pub fn resolution_met(&self) -> Option<bool> {
        Some(self.resolved_at? <= self.resolution_due?)
    }

    /// Open and past its resolution deadline.
    pub fn breached(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.resolution_due.is_some_and(|d| d < now)
    }

    pub fn search_text(&self) -> String {
        let parts = [
            self.description.as_deref(),
            self.address.as_deref(),
            Some(self.code.to_string().as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" \u{1f} ");
        text::fold(&parts)
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "code": self.code.to_string(),
            "category": self.category,
            "source": self.source,
            "priority": self.priority,
            "status": self.status,
            "team_code": self.team_code,
            "area_code": self.area_code,
            "unit_code": self.unit_code,
            "customer_code": self.customer_code,
            "description": self.description,
            "response_due": self.response_due,
            "resolution_due": self.resolution_due,
        })
    }
}

impl WorkOrderEvent {
    pub fn new(work_order: &WorkOrder, kind: &str, actor: &str, at: DateTime<Utc>) -> Self {
        WorkOrderEvent {
            id: Uuid::now_v7(),
            work_order_id: work_order.id,
            at,
            actor: actor.to_string(),
            kind: kind.to_string(),
            action: None,
            from_status: None,
            to_status: Some(work_order.status),
            team_code: work_order.team_code.clone(),
            note: None,
            detail: Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
    }

    fn code() -> WorkOrderCode {
        WorkOrderCode::new("CM", 2026, 4217).unwrap()
    }

    fn outage() -> WorkOrder {
        let input = NewWorkOrder {
            category: Some(Category::Outage),
            description: Some("Mất điện cả ấp".into()),
            area_code: Some("vn-cm-01".into()),
            ..Default::default()
        };
        WorkOrder::create(input, code(), "user:lan", t(1)).unwrap()
    }

    fn fields(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn creation_defaults_and_checks() {
        let wo = outage();
        assert_eq!((wo.status, wo.priority), (Status::New, Priority::High));
        assert_eq!(wo.area_code.as_deref(), Some("VN-CM-01"));
        assert!(wo.search_text().contains("mat dien"));
        let bad = NewWorkOrder {
            category: Some(Category::StaffConduct),
            latitude: Some(91.0),
            customer_code: Some("?".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(WorkOrder::create(bad, code(), "u", t(1)).unwrap_err()),
            ["promised_answer_date", "latitude", "longitude", "customer_code"]
        );
    }

    #[test]
    fn the_life_of_a_work_order() {
        let wo = outage();
        assert!(wo.apply(Action::Assign, None, t(2)).is_err(), "assign needs a team");
        let wo = wo.apply(Action::Assign, Some("CM01".into()), t(2)).unwrap();
        let wo = wo.apply(Action::Acknowledge, None, t(2)).unwrap();
        let wo = wo.apply(Action::Hold, None, t(3)).unwrap();
        assert_eq!(wo.pauses, [(t(3), None)]);
        let wo = wo.apply(Action::Resume, None, t(4)).unwrap();
        assert_eq!(
            (wo.status, wo.pauses.clone()),
            (Status::Acknowledged, vec![(t(3), Some(t(4)))])
        );
        let wo = wo.apply(Action::StartTravel, None, t(4)).unwrap();
        let wo = wo.apply(Action::Arrive, None, t(5)).unwrap();
        let wo = wo.apply(Action::Resolve, None, t(6)).unwrap();
        assert_eq!(
            (wo.status, wo.resolved_at, wo.version),
            (Status::Resolved, Some(t(6)), 8)
        );
        let err = wo.apply(Action::Arrive, None, t(7)).unwrap_err();
        assert!(matches!(err, DomainError::Conflict(m) if m.contains("resolved")));
    }

    #[test]
    fn deadlines_met_and_breached() {
        let mut wo = outage();
        wo.response_due = Some(t(2));
        wo.resolution_due = Some(t(3));
        assert!(!wo.breached(t(2)) && wo.breached(t(4)));
        let wo = wo.apply(Action::Assign, Some("CM01".into()), t(1)).unwrap();
        let wo = wo.apply(Action::Acknowledge, None, t(1)).unwrap();
        let wo = wo.apply(Action::Resolve, None, t(4)).unwrap();
        assert_eq!((wo.response_met(), wo.resolution_met()), (Some(true), Some(false)));
        assert!(!wo.breached(t(5)), "a resolved work order is no longer breaching");
    }
}
