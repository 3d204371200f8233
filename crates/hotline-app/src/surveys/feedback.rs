//! After-contact feedback credited to the agent who took the work order's
//! first call and the team that resolved it, and the report over it.

use chrono::{DateTime, Utc};
use hotline_domain::principal::Principal;
use hotline_domain::survey::{FeedbackAttribution, FeedbackGroup, FeedbackGrouping, feedback_report as tally};
use hotline_domain::work_order::WorkOrder;

use crate::scope::visible_units;
use crate::{App, AppResult};

/// Who the feedback about to be given on `wo` is credited to: the agent
/// of its earliest linked call (if any), and its team and unit (a work
/// order takes feedback once resolved, so its team is the one that
/// resolved it). Stored with the feedback, in its transaction.
pub async fn feedback_attribution(app: &App, wo: &WorkOrder) -> AppResult<FeedbackAttribution> {
    let mut linked = app.store.work_orders().calls(&[wo.id]).await?;
    let ids = linked.remove(&wo.id).unwrap_or_default();
    // The calls read at once; the earliest is the one that took the order.
    let first = app
        .store
        .calls()
        .get_many(&ids)
        .await?
        .into_iter()
        .min_by_key(|c| (c.started_at, c.id));
    Ok(FeedbackAttribution {
        work_order_id: wo.id,
        agent: first.and_then(|c| c.agent),
        team_code: wo.team_code.clone(),
        unit_code: wo.unit_code.clone(),
    })
}

/// The feedback given in `[from, to)` on the work orders the caller sees,
/// per agent, team or unit: count, mean and the 1–5 distribution.
pub async fn feedback_report(
    app: &App,
    who: &Principal,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    by: FeedbackGrouping,
) -> AppResult<Vec<FeedbackGroup>> {
    crate::reports::may_read(who)?;
    let scope = visible_units(app, who).await?;
    let marks = app.store.surveys().feedback_marks(from, to, scope.as_ref()).await?;
    Ok(tally(&marks, by))
}
