//! Routing a work order to a team, and moving it on when the team does not
//! acknowledge in time. The decisions come from the pure engine
//! (`hotline_domain::work_order::routing`); this module gathers what it
//! needs (the rules, the area's ancestry, the teams with their load) and
//! records the outcome on the work order.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Category;
use hotline_domain::ports::RoutingRuleSet;
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{
    Decision, NewWorkOrder, RoutingInput, RoutingRule, Status, WorkOrder, WorkOrderCode, WorkOrderEvent, route,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppResult;
use crate::roles::require;
use crate::versions::{check, stored};
use hotline_domain::ports::Store;

use crate::App;

/// Who the history and the audit name for the escalation worker's changes.
pub const ESCALATION_ACTOR: &str = "system:escalation";

/// Local time for the rules' hours. Asia/Ho_Chi_Minh has been UTC+7 all
/// year, without daylight saving, since 1975.
pub fn local_time(at: DateTime<Utc>) -> NaiveTime {
    (at.naive_utc() + Duration::hours(7)).time()
}

/// What routing needs to know about `wo`: its area's ancestry (the area
/// first, then its parents; empty when it has none or it is unknown), its
/// unit, and the local time of `at`.
pub async fn input_for(store: &dyn Store, wo: &WorkOrder, at: DateTime<Utc>) -> AppResult<RoutingInput> {
    let area_ancestry = match &wo.area_code {
        Some(code) => store
            .org()
            .get_area(code)
            .await?
            .map(|a| a.ancestry())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(RoutingInput {
        category: wo.category,
        priority: wo.priority,
        area_ancestry,
        unit_code: wo.unit_code.clone(),
        local_time: local_time(at),
    })
}

/// The teams serving the ancestry at `now`, with their open work counted.
async fn teams(
    store: &dyn Store,
    input: &RoutingInput,
    now: DateTime<Utc>,
) -> AppResult<Vec<hotline_domain::work_order::Team>> {
    let mut teams = store.org().teams_for_routing(&input.area_ancestry, now).await?;
    let codes: Vec<String> = teams.iter().map(|t| t.code.to_string()).collect();
    let counts = store.routing().open_counts(&codes).await?;
    for t in &mut teams {
        t.open_count = counts.get(t.code.as_str()).copied().unwrap_or(0);
    }
    Ok(teams)
}

/// Where `wo` would go now, as a new work order: the rules in force, the
/// teams as they stand, no target tried yet.
pub async fn decide(store: &dyn Store, wo: &WorkOrder, now: DateTime<Utc>) -> AppResult<Decision> {
    if wo.category == Category::StaffConduct {
        // No rules or teams are looked at; spare the lookups.
        let input = input_for(store, wo, now).await?;
        return Ok(route(&[], &[], &input, 0));
    }
    let rules = store.routing().rules().await?.rules;
    let input = input_for(store, wo, now).await?;
    let teams = teams(store, &input, now).await?;
    Ok(route(&rules, &teams, &input, 0))
}

/// The decision as stored on the work order and in its history.
pub fn decision_json(d: &Decision) -> Value {
    json!({
        "rule": d.rule,
        "target_index": d.target_index,
        "team_code": d.team_code,
        "timeout_minutes": d.timeout_minutes,
        "fallback_to_dispatcher": d.fallback_to_dispatcher,
        "to_unit_management": d.to_unit_management,
        "explanation": d.explanation,
    })
}

fn minutes(m: Option<u32>) -> Duration {
    Duration::minutes(i64::from(m.unwrap_or(0)))
}

/// Decides where a new work order goes and records the decision on it.
///
/// A chosen team is written straight onto the work order (`team_code`,
/// status `assigned`, the target's index and when it escalates) rather than
/// through `WorkOrder::apply(Action::Assign, …)`: `apply` is for changes to
/// a stored work order and bumps its version, while this one is not stored
/// yet and must start at version 1 (its first ETag). The history shows the
/// decision as a `routed` event (see [`routed_event`]). A staff-conduct
/// complaint stays `new` for the unit's management, and a work order no
/// target took stays `new` in the dispatcher queue, each with the decision
/// recorded.
pub async fn on_opened(app: &App, mut wo: WorkOrder) -> AppResult<WorkOrder> {
    let now = wo.created_at;
    let d = decide(app.store.as_ref(), &wo, now).await?;
    wo.routing = Some(decision_json(&d));
    if let (Some(team), Some(unit), Some(i)) = (&d.team_code, &d.team_unit_code, d.target_index) {
        wo.give_to(team, unit);
        wo.status = Status::Assigned;
        wo.routing_target = u32::try_from(i).ok();
        wo.escalate_at = Some(now + minutes(d.timeout_minutes));
    }
    Ok(wo)
}

/// The history line for the routing of a new work order. None while no
/// routing rules exist at all (every work order then simply waits in the
/// dispatcher queue; the decision is still on the work order).
pub fn routed_event(wo: &WorkOrder, at: DateTime<Utc>) -> Option<WorkOrderEvent> {
    let decision = wo.routing.clone()?;
    let no_rules = decision["explanation"]
        .as_array()
        .is_some_and(|lines| lines.iter().any(|l| l.as_str() == Some("no routing rules")));
    if no_rules {
        return None;
    }
    let mut ev = WorkOrderEvent::new(wo, "routed", "system:routing", at);
    ev.from_status = Some(Status::New);
    ev.note = decision
        .get("explanation")
        .and_then(Value::as_array)
        .and_then(|lines| lines.last())
        .and_then(Value::as_str)
        .map(str::to_string);
    ev.detail = decision;
    Some(ev)
}

/// What the escalation did to one work order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escalated {
    /// Reassigned to the next target's team.
    Reassigned(String),
    /// No target left (or the rule is gone): back to the dispatcher queue.
    ToDispatcher,
    /// Changed meanwhile (acknowledged, reassigned): left alone.
    Skipped,
}

/// Moves an unacknowledged work order on to its rule's next target, or to
/// the dispatcher queue when there is none. Uses the rule that routed it
/// (by name) with the local time of its first routing, so that the targets
/// counted are that rule's; if the rule was removed or no longer matches,
/// the work order goes to the dispatcher queue.
pub async fn escalate(store: &dyn Store, wo: &WorkOrder, now: DateTime<Utc>) -> AppResult<Escalated> {
    if wo.status != Status::Assigned {
        return Ok(Escalated::Skipped);
    }
    let previous: Option<Decision> = wo.routing.clone().and_then(|v| serde_json::from_value(v).ok());
    let rule_name = previous.as_ref().and_then(|d| d.rule.clone());
    let rules = store.routing().rules().await?.rules;
    let rule: Option<RoutingRule> = rule_name
        .as_deref()
        .and_then(|name| rules.iter().find(|r| r.name.eq_ignore_ascii_case(name)).cloned());
    let input = input_for(store, wo, wo.created_at).await?;
    let skip = wo.routing_target.map_or(0, |t| t as usize + 1);
    let d = match &rule {
        Some(r) => {
            let teams = teams(store, &input, now).await?;
            let mut d = route(std::slice::from_ref(r), &teams, &input, skip);
            if d.rule.is_none() {
                d.explanation
                    .insert(0, format!("escalation: the rule \"{}\" no longer matches", r.name));
            } else {
                d.explanation
                    .insert(0, "escalation: not acknowledged in time".to_string());
            }
            d
        }
        None => Decision {
            rule: rule_name.clone(),
            fallback_to_dispatcher: true,
            explanation: vec![
                format!(
                    "escalation: the rule \"{}\" no longer exists",
                    rule_name.as_deref().unwrap_or("(none)")
                ),
                "no team chosen: to the dispatcher queue".to_string(),
            ],
            ..Decision::default()
        },
    };
    let mut next = wo.clone();
    next.routing = Some(decision_json(&d));
    let outcome = match (&d.team_code, &d.team_unit_code, d.target_index) {
        (Some(team), Some(unit), Some(i)) => {
            next.give_to(team, unit);
            next.routing_target = u32::try_from(i).ok();
            next.escalate_at = Some(now + minutes(d.timeout_minutes));
            Escalated::Reassigned(team.to_string())
        }
        _ => {
            next.team_code = None;
            next.status = Status::New;
            next.routing_target = None;
            next.escalate_at = None;
            Escalated::ToDispatcher
        }
    };
    next.updated_at = now.max(wo.updated_at);
    next.version += 1;
    let mut ev = WorkOrderEvent::new(&next, "escalated", ESCALATION_ACTOR, now);
    ev.from_status = Some(wo.status);
    ev.note = Some(d.explanation.join("\n"));
    ev.detail = json!({ "from_team": wo.team_code, "decision": decision_json(&d) });
    let mut changes = diff(&wo.audit_view(), &next.audit_view());
    if let Some(obj) = changes.as_object_mut() {
        obj.insert("routing".into(), decision_json(&d));
    }
    let entry = AuditEntry {
        id: Uuid::now_v7(),
        entity: "work_order".into(),
        entity_id: wo.id,
        action: "escalate".into(),
        actor: ESCALATION_ACTOR.into(),
        at: now,
        changes,
    };
    if !store.work_orders().update(&next, wo.version, &ev, &entry).await? {
        return Ok(Escalated::Skipped);
    }
    Ok(outcome)
}

/// The audit trail's id for the rule list (there is one).
pub const RULES_ID: Uuid = Uuid::nil();

/// The routing rules in force, in the order they are tried.
pub async fn rules(app: &App, who: &Principal) -> AppResult<RoutingRuleSet> {
    require(who, who.role.can_read_routing(), "read the routing rules")?;
    Ok(app.store.routing().rules().await?)
}

/// Replaces the whole rule list over the version the caller read
/// (`expected`, None for any; 412 when it read another or someone replaced
/// them since). The audit entry shows the lists before and after as
/// `render` writes them (the shape callers see); the list as stored now.
pub async fn replace_rules(
    app: &App,
    who: &Principal,
    expected: Option<i64>,
    rules: Vec<RoutingRule>,
    render: impl Fn(&[RoutingRule]) -> Value,
) -> AppResult<RoutingRuleSet> {
    require(who, who.role.can_manage_routing(), "change the routing rules")?;
    let current = app.store.routing().rules().await?;
    check(expected, current.version)?;
    let now = app.now();
    let changes = json!({
        "rules": { "from": render(&current.rules), "to": render(&rules) },
        "version": current.version + 1,
    });
    let entry = AuditEntry::new("routing_rules", RULES_ID, "replace", who, now, changes);
    stored(
        app.store
            .routing()
            .replace_rules(&rules, current.version, now, &entry)
            .await?,
    )?;
    Ok(RoutingRuleSet {
        rules,
        version: current.version + 1,
        updated_at: Some(now),
    })
}

/// Where a work order with `input` would go now, and why, without opening
/// it: stores nothing and spends no work-order number.
pub async fn simulate(app: &App, who: &Principal, input: NewWorkOrder) -> AppResult<Decision> {
    require(who, who.role.can_read_routing(), "simulate routing")?;
    let now = app.now();
    let probe = WorkOrderCode::new("HL", now.year(), 1).map_err(DomainError::Internal)?;
    let wo = WorkOrder::create(input, probe, &who.actor(), now)?;
    decide(app.store.as_ref(), &wo, now).await
}
