//! Declaring an incident and changing its estimate, cause or areas.

use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::incident::{Incident, IncidentPatch, IncidentStatus, NewIncident};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find_to_change, may_write, placed};
use crate::placement::known_areas;
use crate::versions;
use crate::{App, AppResult};

/// Declares an outage incident, active at once, placed in the unit serving
/// its areas; the stored incident.
pub async fn declare(app: &App, who: &Principal, input: NewIncident) -> AppResult<Incident> {
    may_write(who)?;
    let now = app.now();
    let inc = Incident::create(input, IncidentStatus::Active, &who.actor(), now)?;
    known_areas(app.store.as_ref(), &inc.area_codes).await?;
    let inc = placed(app, who, inc).await?;
    let entry = AuditEntry::new("incident", inc.id, "create", who, now, inc.audit_view());
    app.store.incidents().create(&inc, &[], &[entry]).await?;
    Ok(inc)
}

/// Changes the fields present in `change` over the version the caller read
/// (`expected_version`; None for any): 412 when it is not the stored one;
/// new areas place the incident again. The stored incident.
pub async fn patch(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    change: IncidentPatch,
) -> AppResult<Incident> {
    may_write(who)?;
    let current = find_to_change(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let areas_changed = change.area_codes.is_some();
    let mut next = current.patched(change, now)?;
    if areas_changed {
        known_areas(app.store.as_ref(), &next.area_codes).await?;
        next = placed(app, who, next).await?;
    }
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("incident", id, "update", who, now, changes);
    versions::stored(app.store.incidents().update(&next, current.version, &entry).await?)?;
    Ok(next)
}
