//! Moving a work order on (assign, acknowledge, …, reopen).

use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::principal::Principal;
use hotline_domain::validation::optional_text;
use hotline_domain::work_order::model::MAX_NOTE;
use hotline_domain::work_order::{Action, WorkOrder, WorkOrderEvent};
use hotline_domain::{TeamCode, Validation, codes};

use super::{find, may_act, with_deadlines};
use crate::placement::known_team;
use crate::roles::require;
use crate::versions;
use crate::{App, AppResult};

/// What the caller asks of a work order.
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    /// Its id or short code.
    pub key: &'a str,
    pub action: Action,
    /// The version the caller read (`If-Match`); None for any.
    pub expected_version: Option<i64>,
    /// The team that takes it (assign, reassign).
    pub team_code: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Moves the work order on and stores it with its history line and audit;
/// the stored work order. 404 for one the caller may not see, 403 for an
/// action their role may not take, 409 for one its state does not allow,
/// 412 when it changed since the caller read it.
pub async fn transition(app: &App, who: &Principal, t: Transition<'_>) -> AppResult<WorkOrder> {
    let current = find(app, who, t.key).await?;
    let action = t.action;
    require(
        who,
        may_act(who, &current, action),
        &format!("{action} this work order"),
    )?;
    versions::check(t.expected_version, current.version)?;
    let mut v = Validation::new();
    let team: Option<TeamCode> = codes::optional(&mut v, "team_code", t.team_code);
    v.finish()?;
    let note = optional_text(&mut Validation::new(), "note", t.note, MAX_NOTE);
    // A team that takes the work order must exist; the work order moves
    // into its unit.
    let taker = match &team {
        Some(t) => Some(known_team(app.store.as_ref(), t).await?),
        None => None,
    };
    let now = app.now();
    let mut next = current.apply(action, team, now)?;
    if let Some(t) = &taker {
        next.give_to(&t.code, &t.unit_code);
    }
    if matches!(action, Action::Hold | Action::Resume) {
        // Time on hold moves the deadlines; while on hold they are suspended.
        next = with_deadlines(app, next, now).await?;
    }
    let mut event = WorkOrderEvent::new(&next, "transition", &who.actor(), now);
    event.action = Some(action);
    event.from_status = Some(current.status);
    event.note = note;
    let entry = AuditEntry::new(
        "work_order",
        next.id,
        action.as_str(),
        who,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    );
    versions::stored(
        app.store
            .work_orders()
            .update(&next, current.version, &event, &entry)
            .await?,
    )?;
    Ok(next)
}
