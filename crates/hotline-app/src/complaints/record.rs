//! Recording the facts of a complaint or compliment on its work order.

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Category;
use hotline_domain::complaint::{ComplaintFacts, Facts, FactsInput};
use hotline_domain::event::{OutboxEvent, WORK_ORDER_FACTS_CHANGED};
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::sla::local_date;
use hotline_domain::user::normalize_username;
use hotline_domain::work_order::{WorkOrder, WorkOrderEvent};
use serde_json::{Value, json};

use super::repeats_of;
use crate::roles::require;
use crate::work_orders::{find, may_create};
use crate::{App, AppResult, versions};

/// Whether the facts name a team and an agent that exist (422 otherwise).
async fn known_names(app: &App, facts: &Facts) -> AppResult<()> {
    let (team, agent) = match facts {
        Facts::StaffConduct(c) => (c.team_code.as_ref(), None),
        Facts::Compliment(c) => (c.team_code.as_ref(), c.agent.as_deref()),
        _ => (None, None),
    };
    if let Some(t) = team
        && app.store.org().get_team(t).await?.is_none()
    {
        return Err(DomainError::invalid("facts.team_code", "is not a known team"));
    }
    if let Some(a) = agent {
        let known = match normalize_username(a) {
            Ok(name) => app.store.users().credentials(&name).await?.is_some(),
            Err(_) => false,
        };
        if !known {
            return Err(DomainError::invalid("facts.agent", "is not a known user"));
        }
    }
    Ok(())
}

/// For a voltage complaint that repeats earlier ones (same unit, area or
/// transformer, 90 days), the history line naming their codes: written
/// when its first facts are recorded, and again when new facts change
/// which ones it repeats (a new transformer station).
async fn repeat_line(
    app: &App,
    wo: &WorkOrder,
    earlier: Option<&ComplaintFacts>,
    recorded: &ComplaintFacts,
    actor: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<WorkOrderEvent>> {
    if wo.category != Category::VoltageQuality {
        return Ok(None);
    }
    let repeats = repeats_of(app, wo, Some(recorded)).await?;
    if repeats.count == 0 {
        return Ok(None);
    }
    if let Some(before) = earlier
        && repeats_of(app, wo, Some(before)).await?.codes == repeats.codes
    {
        return Ok(None);
    }
    let mut line = WorkOrderEvent::new(wo, "voltage_repeat", actor, now);
    line.note = Some(format!(
        "Lặp lại phản ánh điện áp trước đó: {}",
        repeats.codes.join(", ")
    ));
    line.detail = json!({ "repeats": repeats.codes, "count": repeats.count });
    Ok(Some(line))
}

/// Records (or replaces) the facts of the work order `key` over the version
/// the caller read (`expected`, None for any); the work order, one version
/// on, with its history line, audit entry and `work_order.facts_changed`.
/// 404 for one the caller may not see (a staff-conduct complaint for any
/// but supervisors and admins, another unit's), 403 for a role that may not
/// record, 422 naming the bad fact, 412 when it changed meanwhile.
pub async fn record(
    app: &App,
    who: &Principal,
    key: &str,
    expected: Option<i64>,
    input: &FactsInput,
) -> AppResult<WorkOrder> {
    let current = find(app, who, key).await?;
    require(
        who,
        may_create(who.role) || who.role == Role::Field,
        "record complaint facts",
    )?;
    versions::check(expected, current.version)?;
    let now = app.now();
    let facts = Facts::check(current.category, input, local_date(now))?;
    known_names(app, &facts).await?;
    let earlier = app.store.complaints().facts(current.id).await?;
    let recorded = ComplaintFacts::recorded(current.id, earlier.as_ref(), facts, &who.actor(), now);
    let mut next = current.clone();
    next.updated_at = now.max(current.updated_at);
    next.version += 1;
    let after = recorded.facts.to_json();
    let before = earlier.as_ref().map_or(Value::Null, |e| e.facts.to_json());
    let mut line = WorkOrderEvent::new(&next, "facts_changed", &who.actor(), now);
    line.detail = json!({ "facts": after });
    let mut lines = vec![line];
    lines.extend(repeat_line(app, &next, earlier.as_ref(), &recorded, &who.actor(), now).await?);
    let entry = AuditEntry::new("work_order", next.id, "facts", who, now, diff(&before, &after));
    let events = [OutboxEvent::work_order(WORK_ORDER_FACTS_CHANGED, &next, now)];
    versions::stored(
        app.store
            .complaints()
            .save_facts(&recorded, &next, current.version, &lines, &entry, &events)
            .await?,
    )?;
    Ok(next)
}
