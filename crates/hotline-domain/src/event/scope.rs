//! Who may see an event, and which events a reader asked for. The same
//! rules as the REST reads: a field crew sees its team's work orders only,
//! staff-conduct complaints are for supervisors and admins, everyone else
//! sees their unit's subtree (and work orders placed in no unit only when
//! that unit is a root: see [`UnitScope`]).

use std::collections::HashSet;

use super::{OutboxEvent, Subject};
use crate::org::UnitScope;
use crate::principal::Principal;
use crate::role::Role;

/// What a principal's rights let through.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventScope {
    pub calls: bool,
    pub incidents: bool,
    pub work_orders: bool,
    /// Staff-conduct complaints.
    pub restricted: bool,
    /// A field crew: only this team's work orders.
    pub only_team: Option<String>,
    /// The principal's subtree; None for everything.
    pub within_units: Option<UnitScope>,
}

impl EventScope {
    /// The scope of `who`, given the codes of their unit's subtree (None
    /// when they are not tied to a unit).
    pub fn of(who: &Principal, within_units: Option<UnitScope>) -> Self {
        let field = who.role == Role::Field;
        Self {
            calls: who.role.can_read_calls(),
            incidents: who.role.can_read_incidents(),
            work_orders: field || who.role.can_read_calls(),
            restricted: who.role.can_read_staff_complaints(),
            only_team: if field {
                Some(who.team_code.as_ref().map(ToString::to_string).unwrap_or_default())
            } else {
                None
            },
            within_units,
        }
    }

    pub fn allows(&self, e: &OutboxEvent) -> bool {
        match Subject::of(&e.event_type) {
            Subject::Call => self.calls,
            Subject::Incident => self.incidents,
            Subject::PlannedOutage => {
                self.incidents
                    && self
                        .within_units
                        .as_ref()
                        .is_none_or(|scope| scope.admits(e.unit_code.as_deref()))
            }
            Subject::Callback | Subject::Survey => {
                self.calls
                    && self
                        .within_units
                        .as_ref()
                        .is_none_or(|scope| scope.admits(e.unit_code.as_deref()))
            }
            // Approved answers are read centre-wide by everyone at the desk.
            Subject::Article => self.calls,
            Subject::WorkOrder => {
                if !self.work_orders || (e.restricted && !self.restricted) {
                    return false;
                }
                if let Some(team) = &self.only_team {
                    return e.team_code.as_deref() == Some(team.as_str()) && !team.is_empty();
                }
                self.within_units
                    .as_ref()
                    .is_none_or(|scope| scope.admits(e.unit_code.as_deref()))
            }
        }
    }
}

/// What a reader asked for; every part optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Event types; empty for all.
    pub types: Vec<&'static str>,
    /// Events about these units (a unit and its subtree).
    pub units: Option<HashSet<String>>,
    pub team_code: Option<String>,
    pub agent: Option<String>,
}

impl EventFilter {
    pub fn matches(&self, e: &OutboxEvent) -> bool {
        (self.types.is_empty() || self.types.contains(&e.event_type.as_str()))
            && self
                .units
                .as_ref()
                .is_none_or(|u| e.unit_code.as_ref().is_some_and(|c| u.contains(c.as_str())))
            && self
                .team_code
                .as_ref()
                .is_none_or(|t| e.team_code.as_deref() == Some(t.as_str()))
            && self.agent.as_ref().is_none_or(|a| e.agent.as_ref() == Some(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::PrincipalKind;
    use chrono::Utc;
    use serde_json::Value;
    use uuid::Uuid;

    fn who(role: Role, team: Option<&str>) -> Principal {
        Principal {
            id: Uuid::now_v7(),
            name: "x".into(),
            role,
            kind: PrincipalKind::User,
            unit_code: None,
            team_code: team.map(Into::into),
            language: None,
        }
    }

    fn event(t: &str, unit: Option<&str>, team: Option<&str>, restricted: bool) -> OutboxEvent {
        OutboxEvent {
            id: Uuid::now_v7(),
            event_type: t.into(),
            unit_code: unit.map(Into::into),
            team_code: team.map(Into::into),
            agent: None,
            subject_id: Uuid::now_v7(),
            payload: Value::Null,
            created_at: Utc::now(),
            restricted,
        }
    }

    #[test]
    fn field_crews_see_their_team_only_and_no_calls() {
        let s = EventScope::of(&who(Role::Field, Some("T1")), None);
        assert!(s.allows(&event("work_order.assigned", Some("U"), Some("T1"), false)));
        assert!(!s.allows(&event("work_order.assigned", Some("U"), Some("T2"), false)));
        assert!(!s.allows(&event("work_order.created", Some("U"), None, false)));
        assert!(!s.allows(&event("call.ringing", None, None, false)));
        let teamless = EventScope::of(&who(Role::Field, None), None);
        assert!(!teamless.allows(&event("work_order.created", None, None, false)));
    }

    #[test]
    fn units_and_complaints_limit_the_rest() {
        let units = UnitScope {
            units: vec!["A".to_string(), "A1".to_string()],
            unplaced: false,
        };
        let agent = EventScope::of(&who(Role::Agent, None), Some(units.clone()));
        assert!(agent.allows(&event("work_order.created", Some("A1"), None, false)));
        assert!(!agent.allows(&event("work_order.created", Some("B"), None, false)));
        assert!(
            !agent.allows(&event("work_order.created", None, None, false)),
            "unplaced, below the root"
        );
        let root = EventScope::of(
            &who(Role::Agent, None),
            Some(UnitScope {
                unplaced: true,
                ..units.clone()
            }),
        );
        assert!(
            root.allows(&event("work_order.created", None, None, false)),
            "unplaced, at the root"
        );
        assert!(
            !agent.allows(&event("work_order.created", Some("A"), None, true)),
            "complaint"
        );
        let sup = EventScope::of(&who(Role::Supervisor, None), Some(units));
        assert!(sup.allows(&event("work_order.created", Some("A"), None, true)));
        assert!(agent.allows(&event("call.answered", None, None, false)));
    }

    #[test]
    fn planned_outages_reach_their_units_readers_only() {
        let units = UnitScope {
            units: vec!["A".to_string(), "A1".to_string()],
            unplaced: false,
        };
        let agent = EventScope::of(&who(Role::Agent, None), Some(units));
        assert!(agent.allows(&event("planned_outage.customer_notice", Some("A1"), None, false)));
        assert!(!agent.allows(&event("planned_outage.published", Some("B"), None, false)));
        let everywhere = EventScope::of(&who(Role::Dispatcher, None), None);
        assert!(everywhere.allows(&event("planned_outage.published", Some("B"), None, false)));
        let crew = EventScope::of(&who(Role::Field, Some("T1")), None);
        assert!(!crew.allows(&event("planned_outage.published", Some("A"), None, false)));
    }

    #[test]
    fn filters_combine() {
        let f = EventFilter {
            types: vec!["work_order.created"],
            team_code: Some("T1".into()),
            ..Default::default()
        };
        assert!(f.matches(&event("work_order.created", None, Some("T1"), false)));
        assert!(!f.matches(&event("work_order.assigned", None, Some("T1"), false)));
        assert!(!f.matches(&event("work_order.created", None, Some("T2"), false)));
        let by_unit = EventFilter {
            units: Some(["A".to_string()].into()),
            ..Default::default()
        };
        assert!(!by_unit.matches(&event("call.ringing", None, None, false)));
        assert!(by_unit.matches(&event("incident.opened", Some("A"), None, false)));
    }
}
