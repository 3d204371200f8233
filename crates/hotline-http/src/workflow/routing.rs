//! Routing a new work order to a team. (being written)

use hotline_domain::work_order::WorkOrder;

use crate::error::ApiResult;
use crate::state::AppState;

/// Decides where a new work order goes and records the decision on it.
pub async fn on_opened(_st: &AppState, wo: WorkOrder) -> ApiResult<WorkOrder> {
    Ok(wo)
}
