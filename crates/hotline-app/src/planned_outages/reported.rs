//! Outages reported under announced planned work: a new outage work order
//! whose area (or customer) a published or running notice covers, at a
//! time inside its window, is marked with the notice. The reports then tell
//! the outages customers were warned of from those nobody announced.

use hotline_domain::call::Category;
use hotline_domain::work_order::WorkOrder;

use super::affecting;
use crate::{App, AppResult};

/// Marks `wo` with the announced notice under way at its opening, if any
/// (the earliest started).
pub async fn on_opened(app: &App, mut wo: WorkOrder) -> AppResult<WorkOrder> {
    if wo.category != Category::Outage {
        return Ok(wo);
    }
    let at = wo.created_at;
    let notices = affecting(app, wo.area_code.as_deref(), wo.customer_code.as_deref(), at).await?;
    wo.planned_outage_id = notices
        .iter()
        .filter(|n| n.starts_at <= at)
        .min_by_key(|n| (n.starts_at, n.id))
        .map(|n| n.id);
    Ok(wo)
}
