//! Reading an application, ticking its documents and recording its steps.

use chrono::{DateTime, Utc};
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Category;
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::new_supply::{Application, Change, Document, Stage, SupplyType};
use hotline_domain::ports::NewSupplyChange;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::validation::optional_text;
use hotline_domain::work_order::model::MAX_NOTE;
use hotline_domain::work_order::{Action, WorkOrder, WorkOrderEvent};
use hotline_domain::{DomainError, Validation};
use serde_json::{Value, json};

use super::{Found, clock};
use crate::roles::require;
use crate::{App, AppResult, versions, work_orders};

/// What the caller records: one of a document ticked, the type set, or a step.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub document: Option<Document>,
    pub supply_type: Option<SupplyType>,
    pub step: Option<Stage>,
    pub note: Option<String>,
}

/// An event about a new-supply request: the work order's data with the
/// application's under `new_supply`; seen by whoever sees the work order.
pub(super) fn announce(kind: &'static str, wo: &WorkOrder, a: &Application, at: DateTime<Utc>) -> OutboxEvent {
    let mut e = OutboxEvent::work_order(kind, wo, at);
    if let Some(data) = e.payload.as_object_mut() {
        data.insert("new_supply".into(), a.event_data());
    }
    e
}

/// The application behind a work order (id or short code) the caller may
/// see; 404 for another unit's, or a work order without one.
pub async fn find(app: &App, who: &Principal, key: &str) -> AppResult<Found> {
    let wo = work_orders::find(app, who, key).await?;
    let not_found = || DomainError::NotFound("new-supply application");
    if wo.category != Category::NewSupply {
        return Err(not_found());
    }
    let application = app.store.new_supply().get(wo.id).await?.ok_or_else(not_found)?;
    Ok(Found {
        application,
        work_order: wo,
    })
}

/// Who may work a request: the desk, dispatchers, supervisors and admins;
/// a field crew only the steps of its own team's request.
fn may_work(who: &Principal, wo: &WorkOrder, input: &StepInput) -> bool {
    match who.role {
        Role::Admin | Role::Supervisor | Role::Dispatcher | Role::Agent => true,
        Role::Field => {
            input.step.is_some_and(|s| s != Stage::Cancelled) && wo.team_code.is_some() && wo.team_code == who.team_code
        }
        _ => false,
    }
}

/// Exactly one of `document`, `supply_type`, `step`.
fn one_of(input: &StepInput) -> AppResult<()> {
    let given = [
        input.document.is_some(),
        input.supply_type.is_some(),
        input.step.is_some(),
    ];
    match given.iter().filter(|g| **g).count() {
        1 => Ok(()),
        0 => Err(DomainError::invalid(
            "step",
            "give one of document, supply_type or step",
        )),
        _ => Err(DomainError::invalid(
            "step",
            "give only one of document, supply_type or step",
        )),
    }
}

/// Ticks a document, sets the type or records a step (`If-Match`: the
/// application's version). The last document starts the clock: the work
/// order's deadline is set. `energised` resolves the work order when its
/// state allows, `cancelled` cancels it. Each is a line of the work order's
/// history, an audit entry and a `new_supply.*` event.
pub async fn record(
    app: &App,
    who: &Principal,
    key: &str,
    expected_version: Option<i64>,
    input: StepInput,
) -> AppResult<Found> {
    let Found {
        application: current,
        work_order: wo_before,
    } = find(app, who, key).await?;
    require(who, may_work(who, &wo_before, &input), "work this new-supply request")?;
    one_of(&input)?;
    versions::check(expected_version, current.version)?;
    let note = optional_text(&mut Validation::new(), "note", input.note.as_deref(), MAX_NOTE);
    let now = app.now();
    let actor = who.actor();
    let (next, change) = if let Some(d) = input.document {
        let next = current.tick(d, &actor, now)?;
        let completed = next.documents_complete_at.is_some();
        (next, Change::Ticked { document: d, completed })
    } else if let Some(t) = input.supply_type {
        let next = current.set_type(t, &actor, now)?;
        let completed = next.documents_complete_at.is_some();
        (
            next,
            Change::Typed {
                supply_type: t,
                completed,
            },
        )
    } else {
        let stage = input.step.unwrap_or(Stage::Cancelled);
        (current.step(stage, &actor, now, note.clone())?, Change::Step(stage))
    };
    let mut wo = wo_before.clone();
    let mut action = None;
    match change {
        Change::Step(Stage::Energised) => action = Some(Action::Resolve),
        Change::Step(Stage::Cancelled) => action = Some(Action::Cancel),
        _ => {}
    }
    // The work order follows when its state allows; otherwise it is left
    // for the dispatcher.
    if let Some(a) = action {
        match wo.apply(a, None, now) {
            Ok(moved) => wo = moved,
            Err(_) => action = None,
        }
    }
    if action.is_none() {
        wo.updated_at = now.max(wo.updated_at);
        wo.version += 1;
    }
    clock::apply(app, &mut wo, &next, now).await?;
    let (kind, detail) = describe(change);
    let mut line = WorkOrderEvent::new(&wo, "new_supply", &actor, now);
    line.note = note;
    line.detail = detail;
    if let Some(a) = action {
        line.action = Some(a);
        line.from_status = Some(wo_before.status);
    }
    let entry = AuditEntry::new(
        "work_order",
        wo.id,
        kind,
        who,
        now,
        diff(
            &json!({"work_order": wo_before.audit_view(), "new_supply": current.event_data()}),
            &json!({"work_order": wo.audit_view(), "new_supply": next.event_data()}),
        ),
    );
    let mut events = vec![announce(kind, &wo, &next, now)];
    if kind == event::NEW_SUPPLY_DOCUMENT && next.documents_complete_at.is_some() {
        events.push(announce(event::NEW_SUPPLY_DOCUMENTS_COMPLETE, &wo, &next, now));
    }
    versions::stored(
        app.store
            .new_supply()
            .update(NewSupplyChange {
                application: &next,
                expected_version: current.version,
                work_order: &wo,
                work_order_version: wo_before.version,
                line: &line,
                audit: &entry,
                events: &events,
            })
            .await?,
    )?;
    Ok(Found {
        application: next,
        work_order: wo,
    })
}

/// The event type and the history line's detail of a change.
fn describe(change: Change) -> (&'static str, Value) {
    match change {
        Change::Ticked { document, completed } => (
            event::NEW_SUPPLY_DOCUMENT,
            json!({"document": document, "documents_complete": completed}),
        ),
        Change::Typed { supply_type, completed } => (
            event::NEW_SUPPLY_DOCUMENT,
            json!({"supply_type": supply_type, "documents_complete": completed}),
        ),
        Change::Step(stage) => (event::NEW_SUPPLY_STEP, json!({"step": stage})),
    }
}
