//! Outage incidents: declared by dispatchers (or proposed by clustering),
//! with work orders attached; resolving one resolves its outage work orders
//! and lists the customers to call back.

mod edit;
mod lifecycle;
mod reads;

use hotline_domain::DomainError;
use hotline_domain::incident::Incident;
use hotline_domain::principal::Principal;
use uuid::Uuid;

use crate::placement::areas_unit;
use crate::scope::sees_unit;
use crate::{App, AppResult};

pub use edit::{declare, patch};
pub use lifecycle::{Resolved, activate, attach, resolve};
pub(crate) use reads::covering_or_within;
pub use reads::{get, list, work_order_ids};

/// 403 unless the caller's role reads incidents.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_incidents(), "read incidents")
}

/// 403 unless the caller's role manages incidents.
pub fn may_write(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_manage_incidents(), "manage incidents")
}

fn require(who: &Principal, allowed: bool, what: &str) -> AppResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Forbidden(format!("the {} role may not {what}", who.role)))
    }
}

/// The incident by id, whoever asks (404 when there is none).
async fn find(app: &App, id: Uuid) -> AppResult<Incident> {
    app.store
        .incidents()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("incident"))
}

/// The incident as the caller may change it: one in a unit outside their
/// subtree is not there for them (404), as with work orders.
async fn find_to_change(app: &App, who: &Principal, id: Uuid) -> AppResult<Incident> {
    let inc = find(app, id).await?;
    if sees_unit(app, who, inc.unit_code.as_deref()).await? {
        Ok(inc)
    } else {
        Err(DomainError::NotFound("incident"))
    }
}

/// Places the incident in the unit serving its areas; the caller must be
/// able to change it afterwards (422 naming `area_codes` otherwise).
async fn placed(app: &App, who: &Principal, mut inc: Incident) -> AppResult<Incident> {
    inc.unit_code = areas_unit(app.store.as_ref(), &inc.area_codes).await?;
    if !sees_unit(app, who, inc.unit_code.as_deref()).await? {
        return Err(DomainError::invalid(
            "area_codes",
            match &inc.unit_code {
                Some(u) => format!("the areas are served by unit {u}, outside your unit"),
                None => "no unit serves these areas; only the centre's staff declare incidents there".into(),
            },
        ));
    }
    Ok(inc)
}

#[cfg(test)]
mod tests {
    use hotline_domain::DomainError;
    use hotline_domain::principal::{Principal, PrincipalKind};
    use hotline_domain::role::Role;
    use uuid::Uuid;

    use super::{may_read, may_write};

    fn as_role(role: Role) -> Principal {
        Principal {
            id: Uuid::nil(),
            name: "someone".into(),
            role,
            kind: PrincipalKind::User,
            unit_code: None,
            team_code: None,
            language: None,
        }
    }

    fn forbidden(r: Result<(), DomainError>) -> String {
        match r {
            Err(DomainError::Forbidden(d)) => d,
            other => panic!("expected forbidden, got {other:?}"),
        }
    }

    #[test]
    fn agents_read_incidents_but_only_dispatchers_and_above_manage_them() {
        assert!(may_read(&as_role(Role::Agent)).is_ok());
        assert!(may_write(&as_role(Role::Dispatcher)).is_ok());
        assert_eq!(
            forbidden(may_write(&as_role(Role::Agent))),
            "the agent role may not manage incidents"
        );
        assert_eq!(
            forbidden(may_read(&as_role(Role::Field))),
            "the field role may not read incidents"
        );
    }
}
