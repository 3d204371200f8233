//! Attaching outage work orders to incidents, and clustering: enough
//! outage work orders in one area within the window propose an incident.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::incident::{self, Incident, IncidentStatus, NewIncident, OutageReport};
use hotline_domain::work_order::{WorkOrder, WorkOrderEvent};
use serde_json::json;
use uuid::Uuid;

use crate::App;
use crate::AppResult;

/// Who proposes clustered incidents in the audit trail.
pub const CLUSTERING_ACTOR: &str = "system:clustering";

/// The area itself, then its ancestors (just the code when the area is not
/// in the organisation).
pub async fn ancestry(app: &App, area_code: &str) -> AppResult<Vec<String>> {
    Ok(match app.store.org().get_area(area_code).await? {
        Some(a) => a.ancestry(),
        None => vec![area_code.to_string()],
    })
}

/// The newest incident in one of these states whose areas include the area
/// or one of its ancestors; earlier states in `statuses` win.
pub async fn covering(app: &App, area_code: &str, statuses: &[IncidentStatus]) -> AppResult<Option<Incident>> {
    covering_any(app, &ancestry(app, area_code).await?, statuses).await
}

/// The newest incident in one of these states whose areas include one of
/// `areas` (an area's ancestry); earlier states in `statuses` win.
pub async fn covering_any(app: &App, areas: &[String], statuses: &[IncidentStatus]) -> AppResult<Option<Incident>> {
    Ok(app.store.incidents().newest_covering(areas, statuses).await?)
}

/// A history line saying a work order joined an incident.
pub fn attach_event(work_order_id: Uuid, incident_id: Uuid, actor: &str, at: DateTime<Utc>) -> WorkOrderEvent {
    WorkOrderEvent {
        id: Uuid::now_v7(),
        work_order_id,
        at,
        actor: actor.to_string(),
        kind: "incident".into(),
        action: None,
        from_status: None,
        to_status: None,
        team_code: None,
        note: Some(format!("attached to incident {incident_id}")),
        detail: json!({ "incident_id": incident_id }),
    }
}

/// An audit entry written by the system rather than a signed-in principal.
fn system_audit(entity: &str, id: Uuid, action: &str, at: DateTime<Utc>, changes: serde_json::Value) -> AuditEntry {
    AuditEntry {
        id: Uuid::now_v7(),
        entity: entity.into(),
        entity_id: id,
        action: action.into(),
        actor: CLUSTERING_ACTOR.into(),
        at,
        changes,
    }
}

/// Attaches a new outage work order to the active (else proposed) incident
/// covering its area; failing that, when it completes a cluster, opens an
/// incident for its area and attaches the cluster to it.
pub async fn on_opened(app: &App, mut wo: WorkOrder) -> AppResult<WorkOrder> {
    if wo.category != Category::Outage || wo.incident_id.is_some() {
        return Ok(wo);
    }
    let Some(area) = wo.area_code.clone() else {
        return Ok(wo);
    };
    if let Some(found) = covering(app, &area, &[IncidentStatus::Active, IncidentStatus::Proposed]).await? {
        wo.incident_id = Some(found.id);
        return Ok(wo);
    }

    let cfg = &app.settings;
    let window = Duration::minutes(cfg.cluster_window_minutes);
    let now = wo.created_at;
    let mut recent = app.store.incidents().recent_outages(&area, now - window).await?;
    recent.push(OutageReport {
        work_order_id: wo.id,
        area_code: area.clone(),
        opened_at: now,
        incident_id: None,
    });
    let Some(members) = incident::cluster(&recent, cfg.cluster_size, window, now) else {
        return Ok(wo);
    };
    let status = if cfg.cluster_auto_activate {
        IncidentStatus::Active
    } else {
        IncidentStatus::Proposed
    };
    let input = NewIncident {
        area_codes: vec![area.to_string()],
        cause: Some(format!(
            "{} outage reports in {area} within {} minutes",
            members.len(),
            cfg.cluster_window_minutes
        )),
        started_at: recent.iter().map(|r| r.opened_at).min(),
        ..NewIncident::default()
    };
    let mut inc = Incident::create(input, status, CLUSTERING_ACTOR, now)?;
    inc.unit_code = crate::placement::areas_unit(app.store.as_ref(), &inc.area_codes).await?;
    let others: Vec<Uuid> = members.into_iter().filter(|id| *id != wo.id).collect();
    let events: Vec<WorkOrderEvent> = others
        .iter()
        .map(|id| attach_event(*id, inc.id, CLUSTERING_ACTOR, now))
        .collect();
    let mut audits = vec![system_audit("incident", inc.id, "create", now, inc.audit_view())];
    audits.extend(others.iter().map(|id| {
        system_audit(
            "work_order",
            *id,
            "attach_incident",
            now,
            json!({ "incident_id": { "from": null, "to": inc.id } }),
        )
    }));
    let attached = app.store.incidents().create(&inc, &events, &audits).await?;
    tracing::info!(incident = %inc.id, area = %area, attached, status = %inc.status, "outage cluster opened an incident");
    wo.incident_id = Some(inc.id);
    Ok(wo)
}
