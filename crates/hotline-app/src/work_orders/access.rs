//! Finding a work order as the caller may see it.

use hotline_domain::DomainError;
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{WorkOrder, WorkOrderCode};
use uuid::Uuid;

use super::may_see;
use crate::scope::sees_unit;
use crate::{App, AppResult};

/// Whether the caller may read this work order: its role and category
/// allow it, and it lies in their units (one placed in no unit only for
/// the centre's own staff). The audit trail asks the same.
pub async fn readable(app: &App, who: &Principal, wo: &WorkOrder) -> AppResult<bool> {
    Ok(may_see(who, wo) && sees_unit(app, who, wo.unit_code.as_deref()).await?)
}

/// Finds a work order by id or short code, as the caller may see it
/// (another unit's is not found, not forbidden).
pub async fn find(app: &App, who: &Principal, key: &str) -> AppResult<WorkOrder> {
    let store = app.store.work_orders();
    let found = match Uuid::parse_str(key) {
        Ok(id) => store.get(id).await?,
        Err(_) => match WorkOrderCode::parse(key) {
            Ok(code) => store.get_by_code(&code.to_string()).await?,
            Err(_) => None,
        },
    };
    let not_found = || DomainError::NotFound("work order");
    let wo = found.ok_or_else(not_found)?;
    if readable(app, who, &wo).await? {
        Ok(wo)
    } else {
        Err(not_found())
    }
}
