//! A work order's deadlines from the service-level policy in force.

use chrono::{DateTime, Utc};
use hotline_domain::calendar::Calendar;
use hotline_domain::sla::AreaKind;
use hotline_domain::work_order::{WorkOrder, deadlines};

use crate::{App, AppResult, sla};

/// Sets the deadlines from the SLA policy in force (chosen when the work
/// order was opened, and kept), leaving time on hold out.
pub async fn with_deadlines(app: &App, mut wo: WorkOrder, now: DateTime<Utc>) -> AppResult<WorkOrder> {
    let store = &app.store;
    let policy = match wo.sla_policy_id {
        Some(id) => store.sla_policies().get(id).await?,
        None => {
            let area_kind = match &wo.area_code {
                Some(code) => store
                    .org()
                    .get_area(code)
                    .await?
                    .and_then(|a| a.urban)
                    .map(|urban| if urban { AreaKind::Urban } else { AreaKind::Rural }),
                None => None,
            };
            let applied = sla::in_force(app, wo.category, wo.unit_code.as_deref(), area_kind, wo.created_at).await?;
            applied.map(|a| a.policy)
        }
    };
    let calendar = match &policy {
        Some(p) => store.calendars().get(&p.calendar_code).await?.map(|c| c.calendar),
        None => None,
    };
    let calendar = calendar.unwrap_or_else(Calendar::default_vietnam);
    let (response, resolution) = deadlines::due_dates(policy.as_ref(), &calendar, &wo, now);
    let resolution = crate::new_supply::resolution_due(app, &wo, &calendar, now, resolution).await?;
    wo.sla_policy_id = policy.map(|p| p.id);
    wo.response_due = response;
    wo.resolution_due = resolution;
    Ok(wo)
}
