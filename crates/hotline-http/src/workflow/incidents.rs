//! Attaching outage work orders to incidents. (being written)

use hotline_domain::work_order::WorkOrder;

use crate::error::ApiResult;
use crate::state::AppState;

/// Attaches a new outage work order to the active incident covering its
/// area, if any.
pub async fn on_opened(_st: &AppState, wo: WorkOrder) -> ApiResult<WorkOrder> {
    Ok(wo)
}
