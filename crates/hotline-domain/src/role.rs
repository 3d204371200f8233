//! Roles and what each may do. Permission checks read like sentences:
//! `role.can_log_calls()`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Agent,
    Dispatcher,
    Field,
    Viewer,
    Integration,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Supervisor,
        Role::Agent,
        Role::Dispatcher,
        Role::Field,
        Role::Viewer,
        Role::Integration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
            Role::Dispatcher => "dispatcher",
            Role::Field => "field",
            Role::Viewer => "viewer",
            Role::Integration => "integration",
        }
    }

    /// Reading the customer directory; field crews get addresses on their
    /// work orders instead.
    pub fn can_read_customers(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Adding customers and correcting their details.
    pub fn can_edit_customers(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Agent | Role::Integration)
    }

    /// Bulk-importing the directory from the billing system.
    pub fn can_import_customers(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Integration)
    }

    /// Creating calls and wrapping them up.
    pub fn can_log_calls(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Agent | Role::Integration)
    }

    /// Reading the call log. Field crews see work orders, not the call log.
    pub fn can_read_calls(self) -> bool {
        !matches!(self, Role::Field)
    }

    pub fn can_read_audit(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Adding and removing numbers the hotline refuses.
    pub fn can_manage_blocked_numbers(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Pushing call events: PBXs and softphones through integration keys.
    pub fn can_push_call_events(self) -> bool {
        matches!(self, Role::Admin | Role::Integration)
    }

    /// Users and API keys.
    pub fn can_manage_access(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// Reading units, areas and teams.
    pub fn can_read_org(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Creating, moving and importing units and areas, and teams anywhere.
    pub fn can_manage_org(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// Teams and their rosters; supervisors only within their own unit's
    /// subtree (see `org::may_manage_team`).
    pub fn can_manage_teams(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Reading working calendars and SLA policies (and previewing deadlines).
    pub fn can_read_sla(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Seeing complaints about staff (work orders, their events, their
    /// counts in reports): supervisors and admins only.
    pub fn can_read_staff_complaints(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Reading outage incidents: everyone but field crews.
    pub fn can_read_incidents(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Declaring, updating and resolving outage incidents.
    pub fn can_manage_incidents(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Dispatcher)
    }

    /// Editing working calendars and SLA policies.
    pub fn can_manage_sla(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// Reading the routing rules and simulating a routing decision.
    pub fn can_read_routing(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Replacing the routing rules.
    pub fn can_manage_routing(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// Reading reports and the wallboard (aggregates over calls and work
    /// orders). Field crews work their own work orders and read no call log.
    pub fn can_read_reports(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Reading the approved answers in force: everyone at the desk.
    pub fn can_read_articles(self) -> bool {
        !matches!(self, Role::Field)
    }

    /// Writing articles and their new versions, reading drafts; within
    /// the owner unit's subtree.
    pub fn can_edit_articles(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Approving (or sending back) a version someone else wrote.
    pub fn can_approve_articles(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("must be one of: {}", Role::ALL.map(Role::as_str).join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_names() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().unwrap_err().contains("admin"));
    }

    #[test]
    fn customer_directory_permissions() {
        for r in Role::ALL {
            assert_eq!(r.can_read_customers(), r != Role::Field, "{r}");
            assert!(!r.can_edit_customers() || r.can_read_customers(), "{r}");
            assert!(!r.can_import_customers() || r.can_edit_customers(), "{r}");
        }
        assert!(Role::Agent.can_edit_customers() && !Role::Agent.can_import_customers());
        assert!(Role::Integration.can_import_customers() && Role::Supervisor.can_import_customers());
        assert!(!Role::Viewer.can_edit_customers() && !Role::Dispatcher.can_edit_customers());
        assert!(!Role::Field.can_edit_customers());
    }

    #[test]
    fn viewers_read_but_do_not_log() {
        assert!(Role::Viewer.can_read_calls());
        assert!(!Role::Viewer.can_log_calls());
        assert!(Role::Agent.can_log_calls());
        assert!(Role::Integration.can_log_calls());
        assert!(!Role::Dispatcher.can_log_calls());
        assert!(!Role::Field.can_read_calls());
        assert!(Role::Supervisor.can_read_audit() && !Role::Agent.can_read_audit());
        assert!(Role::Admin.can_manage_access() && !Role::Supervisor.can_manage_access());
        assert!(Role::Supervisor.can_manage_blocked_numbers() && !Role::Agent.can_manage_blocked_numbers());
        assert!(Role::Integration.can_push_call_events() && !Role::Agent.can_push_call_events());
    }

    #[test]
    fn reports_are_for_everyone_but_field_crews() {
        for r in Role::ALL {
            assert_eq!(r.can_read_reports(), r != Role::Field, "{r}");
        }
    }

    #[test]
    fn calendars_and_sla_policies() {
        for r in Role::ALL {
            assert_eq!(r.can_read_sla(), r != Role::Field, "{r}");
            assert_eq!(r.can_manage_sla(), r == Role::Admin, "{r}");
        }
    }
}
