//! Which roles may open, see and move work orders.

use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::work_order::{Action, WorkOrder};

/// Dispatchers, supervisors and admins move any work order; a field crew
/// works its own team's.
pub fn may_act(who: &Principal, wo: &WorkOrder, action: Action) -> bool {
    match who.role {
        Role::Admin | Role::Supervisor | Role::Dispatcher => true,
        Role::Field => {
            wo.team_code.is_some()
                && wo.team_code == who.team_code
                && matches!(
                    action,
                    Action::Acknowledge
                        | Action::StartTravel
                        | Action::Arrive
                        | Action::Resolve
                        | Action::Hold
                        | Action::Resume
                )
        }
        _ => false,
    }
}

/// Who may see a work order at all. Others get 404, not the record.
pub fn may_see(who: &Principal, wo: &WorkOrder) -> bool {
    if wo.category.is_restricted() {
        return who.role.can_read_staff_complaints();
    }
    match who.role {
        Role::Field => wo.team_code.is_some() && wo.team_code == who.team_code,
        r => r.can_read_calls(),
    }
}

pub fn may_create(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Supervisor | Role::Agent | Role::Dispatcher | Role::Integration
    )
}
