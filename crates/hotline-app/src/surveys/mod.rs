//! Satisfaction surveys. Supervisors and admins create campaigns for a
//! unit of their subtree, draw the sample (reproducible from its seed) and
//! open the campaign, which puts one survey callback per sampled customer
//! on the `survey` queue; agents record the answers on those callbacks;
//! supervisors read the results beside the previous closed campaign's.
//! A campaign of a unit outside the caller's subtree is not there for
//! them. After-contact feedback on work orders is credited to the agent
//! and the crew here too (`feedback_attribution`, `feedback_report`).

mod campaigns;
mod drafts;
mod feedback;
mod reading;
mod responses;
mod results;

use hotline_domain::DomainError;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::survey::Campaign;
use uuid::Uuid;

use crate::roles::require;
use crate::scope::sees_unit;
use crate::{App, AppResult};

pub use campaigns::{CampaignQuery, Filed, act, create, get, list, sample, sampled};
pub use drafts::{delete, edit};
pub use feedback::{feedback_attribution, feedback_report};
pub use reading::{ResponseLine, ResponseQuery, Responses, responses};
pub use responses::record;
pub use results::{Results, results};

/// The queue survey callbacks are put on.
pub const QUEUE: &str = "survey";

/// 403 unless the caller reads campaigns (whoever reads calls: agents
/// work the survey calls).
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_calls(), "read survey campaigns")
}

/// 403 unless the caller runs campaigns and reads their results
/// (supervisors and admins).
pub fn may_manage(who: &Principal) -> AppResult<()> {
    require(
        who,
        matches!(who.role, Role::Admin | Role::Supervisor),
        "run survey campaigns",
    )
}

/// 403 unless the caller records answers (agents and above).
pub fn may_answer(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_log_calls(), "record survey answers")
}

/// The campaign as the caller may see it: one of a unit outside their
/// subtree is not there for them (404).
async fn find(app: &App, who: &Principal, id: Uuid) -> AppResult<Campaign> {
    let c = app
        .store
        .surveys()
        .get_campaign(id)
        .await?
        .ok_or(DomainError::NotFound("survey campaign"))?;
    if sees_unit(app, who, Some(c.unit_code.as_str())).await? {
        Ok(c)
    } else {
        Err(DomainError::NotFound("survey campaign"))
    }
}
