//! Planned outages: notices of maintenance, upgrades, tree cutting and
//! connection work, written by dispatchers, supervisors and admins within
//! their unit's subtree and read by agents and above. Publishing tells the
//! affected customers (one event each, for an SMS/Zalo gateway); a notice
//! published less than five days ahead needs a reason and is flagged.

mod edit;
mod reads;
mod recipients;
mod report;
mod reported;

use hotline_domain::DomainError;
use hotline_domain::planned_outage::PlannedOutage;
use hotline_domain::principal::Principal;
use uuid::Uuid;

use crate::roles::require;
use crate::scope::sees_unit;
use crate::{App, AppResult, texts};

pub use edit::{Filed, act, create, patch};
pub use reads::{NoticeQuery, affecting, affecting_for, affecting_within, get, history, in_scope, list};
pub use recipients::{MAX_RECIPIENTS, all_recipients, export, recipients};
pub use report::report;
pub use reported::on_opened;

/// 403 unless the caller's role reads notices (everyone but field crews).
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_incidents(), "read planned outages")
}

/// 403 unless the caller's role writes notices (dispatchers and above).
pub fn may_write(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_manage_incidents(), "manage planned outages")
}

/// The notice as the caller may see it: one of a unit outside their
/// subtree is not there for them (404).
async fn find(app: &App, who: &Principal, id: Uuid) -> AppResult<PlannedOutage> {
    let notice = app
        .store
        .planned_outages()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("planned outage"))?;
    if sees_unit(app, who, Some(notice.unit_code.as_str())).await? {
        Ok(notice)
    } else {
        Err(DomainError::NotFound("planned outage"))
    }
}

/// Every listed customer must be in the directory (422 naming
/// `customer_codes`).
async fn check_customers(app: &App, notice: &PlannedOutage) -> AppResult<()> {
    if notice.customer_codes.is_empty() {
        return Ok(());
    }
    let known = app
        .store
        .planned_outages()
        .known_customers(&texts(&notice.customer_codes))
        .await?;
    let unknown: Vec<&str> = notice
        .customer_codes
        .iter()
        .filter(|c| !known.iter().any(|k| *c == k.as_str()))
        .map(|c| c.as_str())
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        let shown: Vec<&str> = unknown.iter().take(20).copied().collect();
        Err(DomainError::invalid(
            "customer_codes",
            format!("not in the customer directory: {}", shown.join(", ")),
        ))
    }
}
