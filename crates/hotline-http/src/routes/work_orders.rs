//! Work orders: created from a call or directly, moved through their states
//! by dispatchers and crews, with a history of every change.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::time::{RangeEnd, parse_instant};
use hotline_domain::work_order::{
    Action, Feedback, Status, WorkOrder, WorkOrderCode, WorkOrderEvent, WorkOrderFilter, deadlines,
};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging;
use crate::dto::cursor;
use crate::dto::work_orders::{
    CommentBody, FeedbackBody, FeedbackView, LinkCallBody, NewWorkOrderBody, TransitionBody, WorkOrderEventView,
    WorkOrderListQuery, WorkOrderPage, WorkOrderView,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IdempotencyKey, IfMatch};
use crate::idempotent::{Answer, Idempotent, json_response};
use crate::state::AppState;
use crate::workflow::scope::{sees_unit, visible_units};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_work_order, list_work_orders))
        .routes(routes!(create_from_call))
        .routes(routes!(get_work_order))
        .routes(routes!(transition))
        .routes(routes!(history))
        .routes(routes!(comment))
        .routes(routes!(link_call))
        .routes(routes!(feedback))
}

/// Dispatchers, supervisors and admins move any work order; a field crew
/// works its own team's.
fn may_act(who: &Principal, wo: &WorkOrder, action: Action) -> bool {
    match who.role {
        Role::Admin | Role::Supervisor | Role::Dispatcher => true,
        Role::Field => {
            wo.team_code.is_some()
                && wo.team_code == who.team_code
                && matches!(
                    action,
                    Action::Acknowledge
                        | Action::StartTravel
                        | Action::Arrive
                        | Action::Resolve
                        | Action::Hold
                        | Action::Resume
                )
        }
        _ => false,
    }
}

/// Who may see a work order at all. Others get 404, not the record.
fn may_see(who: &Principal, wo: &WorkOrder) -> bool {
    if wo.category.is_restricted() {
        return who.role.can_read_staff_complaints();
    }
    match who.role {
        Role::Field => wo.team_code.is_some() && wo.team_code == who.team_code,
        r => r.can_read_calls(),
    }
}

fn may_create(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Supervisor | Role::Agent | Role::Dispatcher | Role::Integration
    )
}

/// Two letters for the code: from the area code's last lettered part
/// (`VN-CM-01` → `CM`), else the unit's, else `HL`.
fn code_prefix(area: Option<&str>, unit: Option<&str>) -> String {
    let letters = |code: &str| -> Option<String> {
        code.rsplit(['-', '_', '.'])
            .map(|part| part.chars().filter(char::is_ascii_alphabetic).collect::<String>())
            .find(|l| l.len() >= 2)
            .map(|l| l[..2].to_ascii_uppercase())
    };
    area.and_then(letters)
        .or_else(|| unit.and_then(letters))
        .unwrap_or_else(|| "HL".into())
}

/// Sets the deadlines from the SLA policy in force (chosen when the work
/// order was opened, and kept), leaving time on hold out.
async fn with_deadlines(st: &AppState, mut wo: WorkOrder, now: chrono::DateTime<chrono::Utc>) -> ApiResult<WorkOrder> {
    let policy = match wo.sla_policy_id {
        Some(id) => st.ports.sla_policies.get(id).await?,
        None => {
            // The closest unit's policy wins, then its parents'; urban and
            // rural areas may have different targets (new supply).
            let units = match &wo.unit_code {
                Some(code) => match st.ports.org.get_unit(code).await? {
                    Some(unit) => hotline_domain::org::tree::ancestry(&unit.path),
                    None => vec![code.clone()],
                },
                None => Vec::new(),
            };
            let area_kind = match &wo.area_code {
                Some(code) => st.ports.org.get_area(code).await?.map(|a| {
                    if a.urban {
                        hotline_domain::sla::AreaKind::Urban
                    } else {
                        hotline_domain::sla::AreaKind::Rural
                    }
                }),
                None => None,
            };
            let applied = hotline_domain::sla::preview(
                st.ports.calendars.as_ref(),
                st.ports.sla_policies.as_ref(),
                wo.category,
                &units,
                area_kind,
                wo.created_at,
            )
            .await?;
            applied.map(|a| a.policy)
        }
    };
    let calendar = match &policy {
        Some(p) => st.ports.calendars.get(&p.calendar_code).await?.map(|c| c.calendar),
        None => None,
    };
    let calendar = calendar.unwrap_or_else(hotline_domain::calendar::Calendar::default_vietnam);
    let (response, resolution) = deadlines::due_dates(policy.as_ref(), &calendar, &wo, now);
    wo.sla_policy_id = policy.map(|p| p.id);
    wo.response_due = response;
    wo.resolution_due = resolution;
    Ok(wo)
}

/// The view of one work order; `calls` when already loaded for a page.
async fn view_with(st: &AppState, wo: &WorkOrder, calls: Option<Vec<Uuid>>) -> ApiResult<WorkOrderView> {
    let calls = match calls {
        Some(c) => c,
        None => st
            .ports
            .work_orders
            .calls(&[wo.id])
            .await?
            .remove(&wo.id)
            .unwrap_or_default(),
    };
    let mut v = WorkOrderView::new(wo, calls, hotline_domain::time::now());
    if let Some(id) = wo.incident_id {
        v.incident = st.ports.incidents.get(id).await?.as_ref().map(Into::into);
    }
    // Feedback is only taken once a work order is resolved.
    if matches!(wo.status, Status::Resolved | Status::Closed) {
        v.feedback = st.ports.work_orders.feedback(wo.id).await?.as_ref().map(Into::into);
    }
    Ok(v)
}

async fn view(st: &AppState, wo: &WorkOrder) -> ApiResult<WorkOrderView> {
    view_with(st, wo, None).await
}

async fn respond(st: &AppState, status: StatusCode, wo: &WorkOrder) -> ApiResult<Response> {
    let body = serde_json::to_string(&view(st, wo).await?).map_err(|e| ApiError::internal(e.to_string()))?;
    let location = format!("/api/v1/work-orders/{}", wo.id);
    let location = (status == StatusCode::CREATED).then_some(location.as_str());
    Ok(json_response(status, body, location, Some(wo.version)))
}

/// Whether the caller may read this work order: its role and category
/// allow it, and it lies in their units (one placed in no unit only for
/// the centre's own staff). The audit trail asks the same.
pub(crate) async fn readable(st: &AppState, who: &Principal, wo: &WorkOrder) -> ApiResult<bool> {
    Ok(may_see(who, wo) && sees_unit(st, who, wo.unit_code.as_deref()).await?)
}

/// Finds a work order by id or short code, as the caller may see it.
async fn find(st: &AppState, who: &Principal, key: &str) -> ApiResult<WorkOrder> {
    let found = match Uuid::parse_str(key) {
        Ok(id) => st.ports.work_orders.get(id).await?,
        Err(_) => match WorkOrderCode::parse(key) {
            Ok(code) => st.ports.work_orders.get_by_code(&code.to_string()).await?,
            Err(_) => None,
        },
    };
    let not_found = || ApiError::not_found("work order");
    let wo = found.ok_or_else(not_found)?;
    if readable(st, who, &wo).await? {
        Ok(wo)
    } else {
        Err(not_found())
    }
}

async fn create(
    st: &AppState,
    who: &Principal,
    body: NewWorkOrderBody,
    call_id: Option<Uuid>,
    idem: Option<Idempotent>,
) -> ApiResult<Response> {
    // A retry is answered before anything is spent on it (a code number,
    // an incident).
    if let Some(i) = &idem
        && let Some(earlier) = i.earlier(st.ports.idempotency.as_ref()).await?
    {
        return Ok(earlier);
    }
    let mut input: hotline_domain::work_order::NewWorkOrder = body.into();
    if call_id.is_some() {
        input.source = hotline_domain::work_order::Source::Call;
    }
    let detail = call_id.map_or(serde_json::Value::Null, |call| json!({ "call_id": call }));
    let calls: Vec<Uuid> = call_id.into_iter().collect();
    let answer = async |wo: &WorkOrder| -> ApiResult<Answer> {
        let body = serde_json::to_string(&view_with(st, wo, Some(calls)).await?)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(Answer {
            status: StatusCode::CREATED,
            body,
            location: Some(format!("/api/v1/work-orders/{}", wo.id)),
        })
    };
    match open(st, who, input, call_id, detail, idem.as_ref(), answer).await? {
        Opened::New(wo, a) => Ok(json_response(a.status, a.body, a.location.as_deref(), Some(wo.version))),
        Opened::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// What opening a work order came to.
pub(crate) enum Opened {
    /// Stored, with the answer made for it.
    New(Box<WorkOrder>, Answer),
    /// Another request with the same idempotency key was first: nothing
    /// was stored; its record.
    Taken(IdempotencyRecord),
}

/// Opens a work order: checked, numbered, given its deadlines, attached to
/// an outage incident, routed, and stored with its history and audit. The
/// one way in for the desk, integrations and Open311 alike. `detail` goes
/// on the `created` history line (the call it came from, an Open311
/// reporter's contact). `answer` makes the response before the work order
/// is stored, so that with an idempotency key it is kept in the same
/// transaction and replayed to retries.
pub(crate) async fn open(
    st: &AppState,
    who: &Principal,
    input: hotline_domain::work_order::NewWorkOrder,
    call_id: Option<Uuid>,
    detail: serde_json::Value,
    idem: Option<&Idempotent>,
    answer: impl AsyncFnOnce(&WorkOrder) -> ApiResult<Answer>,
) -> ApiResult<Opened> {
    if !may_create(who.role) {
        return Err(ApiError::forbidden(format!(
            "the {} role may not open work orders",
            who.role
        )));
    }
    let now = hotline_domain::time::now();
    let prefix = code_prefix(input.area_code.as_deref(), input.unit_code.as_deref());
    // Check the body before spending a number of the sequence on it.
    let probe = WorkOrderCode::new(&prefix, now.year(), 1).map_err(ApiError::internal)?;
    WorkOrder::create(input.clone(), probe, &who.actor(), now)?;
    let seq = st.ports.work_orders.next_sequence(&prefix, now.year()).await?;
    let code = WorkOrderCode::new(&prefix, now.year(), seq).map_err(ApiError::internal)?;
    let wo =
        crate::workflow::placement::place(&st.ports, who, WorkOrder::create(input, code, &who.actor(), now)?).await?;
    let wo = with_deadlines(st, wo, now).await?;
    let wo = crate::workflow::incidents::on_opened(st, wo).await?;
    let wo = crate::workflow::routing::on_opened(st, wo).await?;
    let mut created = WorkOrderEvent::new(&wo, "created", &who.actor(), now);
    created.detail = detail;
    let entry = AuditEntry::new("work_order", wo.id, "create", who, now, wo.audit_view());
    let events: Vec<WorkOrderEvent> = std::iter::once(created)
        .chain(crate::workflow::routing::routed_event(&wo, now))
        .collect();
    let answer = answer(&wo).await?;
    let record = idem.map(|i| i.keep(&answer, now));
    match st
        .ports
        .work_orders
        .create(&wo, &events, call_id, &entry, record.as_ref())
        .await?
    {
        Created::Stored(()) => Ok(Opened::New(Box::new(wo), answer)),
        Created::KeyTaken(first) => Ok(Opened::Taken(first)),
    }
}

/// Open a work order directly.
///
/// Retries with the same `Idempotency-Key` and body answer with the first
/// result and open nothing new.
#[utoipa::path(
    post, path = "/api/v1/work-orders", tag = "work-orders",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1–255 visible ASCII characters",
        min_length = 1, max_length = 255, pattern = r"^[\x21-\x7E]+$")),
    request_body = NewWorkOrderBody,
    responses(
        (status = 201, description = "Opened; or, to a retry with the same Idempotency-Key and body, the first answer again (nothing new opened)", body = WorkOrderView,
            headers(("Location" = String), ("ETag" = String),
                ("Idempotent-Replayed" = String, description = "`true` on a replayed answer; absent on the first"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not open work orders", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the key reused with another body", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_work_order(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewWorkOrderBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/work-orders", &json.raw);
    create(&st, &auth.0, json.body, None, idem).await
}

/// Open a work order from a logged call (the call is linked to it).
///
/// Retries with the same `Idempotency-Key` and body answer with the first
/// result and open nothing new.
#[utoipa::path(
    post, path = "/api/v1/calls/{id}/work-orders", tag = "work-orders",
    params(
        ("id" = Uuid, Path, description = "The call's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1–255 visible ASCII characters",
            min_length = 1, max_length = 255, pattern = r"^[\x21-\x7E]+$"),
    ),
    request_body = NewWorkOrderBody,
    responses(
        (status = 201, description = "Opened; or, to a retry with the same Idempotency-Key and body, the first answer again (nothing new opened)", body = WorkOrderView,
            headers(("Location" = String), ("ETag" = String),
                ("Idempotent-Replayed" = String, description = "`true` on a replayed answer; absent on the first"))),
        (status = 400, description = "Malformed JSON or id", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not open work orders", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the key reused with another body", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_from_call(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewWorkOrderBody>,
) -> ApiResult<Response> {
    let route = format!("POST /api/v1/calls/{id}/work-orders");
    let idem = Idempotent::new(&auth.0, key, &route, &json.raw);
    let call = st
        .ports
        .calls
        .get(id)
        .await?
        .ok_or_else(|| ApiError::not_found("call"))?;
    let mut body = json.body;
    // What the agent already captured on the call fills the gaps.
    body.customer_code = body.customer_code.or(call.customer_code);
    body.address = body.address.or(call.address);
    create(&st, &auth.0, body, Some(call.id), idem).await
}

/// One work order, by id or short code.
#[utoipa::path(
    get, path = "/api/v1/work-orders/{id}", tag = "work-orders",
    params(("id" = String, Path, description = "The work order's id or short code (CM-26-004217)")),
    responses(
        (status = 200, description = "The work order", body = WorkOrderView, headers(("ETag" = String))),
        (status = 404, description = "No such work order (or not yours to see)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_work_order(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<String>) -> ApiResult<Response> {
    let wo = find(&st, &auth.0, &id).await?;
    respond(&st, StatusCode::OK, &wo).await
}

/// Move a work order on: assign, acknowledge, start_travel, arrive,
/// resolve, close, hold, resume, cancel, reopen.
///
/// An action the current state does not allow is 409, naming the state and
/// the actions it allows. Send `If-Match` with the ETag you read.
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/transitions", tag = "work-orders",
    params(
        ("id" = String, Path, description = "The work order's id or short code"),
        ("If-Match" = String, Header, description = "The ETag from your last read, or * for any", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "Moved on", body = WorkOrderView, headers(("ETag" = String))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not yours to move", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such work order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current state", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn transition(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    IfMatch(expected): IfMatch,
    json: ApiJson<TransitionBody>,
) -> ApiResult<Response> {
    let current = find(&st, &auth.0, &id).await?;
    let action: Action = json.body.action.into();
    if !may_act(&auth.0, &current, action) {
        return Err(ApiError::forbidden(format!(
            "the {} role may not {action} this work order",
            auth.0.role
        )));
    }
    if expected.is_some_and(|v| v != current.version) {
        return Err(ApiError::precondition_failed());
    }
    let team = match json.body.team_code.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(hotline_domain::customer::check_code(t).map_err(|m| ApiError::invalid_field("team_code", m))?),
        None => None,
    };
    let note = hotline_domain::validation::optional_text(
        &mut hotline_domain::Validation::new(),
        "note",
        json.body.note.as_deref(),
        hotline_domain::work_order::model::MAX_NOTE,
    );
    // A team that takes the work order must exist; the work order moves
    // into its unit.
    let taker = match &team {
        Some(t) => Some(crate::workflow::placement::known_team(&st.ports, t).await?),
        None => None,
    };
    let now = hotline_domain::time::now();
    let mut next = current.apply(action, team, now)?;
    if let Some(t) = &taker {
        next.give_to(&t.code, &t.unit_code);
    }
    if matches!(action, Action::Hold | Action::Resume) {
        // Time on hold moves the deadlines; while on hold they are suspended.
        next = with_deadlines(&st, next, now).await?;
    }
    let mut event = WorkOrderEvent::new(&next, "transition", &auth.0.actor(), now);
    event.action = Some(action);
    event.from_status = Some(current.status);
    event.note = note;
    let entry = AuditEntry::new(
        "work_order",
        next.id,
        action.as_str(),
        &auth.0,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    );
    if !st
        .ports
        .work_orders
        .update(&next, current.version, &event, &entry)
        .await?
    {
        return Err(ApiError::precondition_failed());
    }
    respond(&st, StatusCode::OK, &next).await
}

/// Everything that happened to a work order, oldest first.
#[utoipa::path(
    get, path = "/api/v1/work-orders/{id}/history", tag = "work-orders",
    params(("id" = String, Path, description = "The work order's id or short code")),
    responses(
        (status = 200, description = "The history", body = Vec<WorkOrderEventView>),
        (status = 404, description = "No such work order", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn history(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<WorkOrderEventView>>> {
    let wo = find(&st, &auth.0, &id).await?;
    let events = st.ports.work_orders.history(wo.id).await?;
    Ok(Json(events.into_iter().map(Into::into).collect()))
}

/// Add a comment to the history.
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/comments", tag = "work-orders",
    params(("id" = String, Path, description = "The work order's id or short code")),
    request_body = CommentBody,
    responses(
        (status = 201, description = "Added", body = WorkOrderEventView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers may not comment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such work order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed meanwhile; try again", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn comment(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    json: ApiJson<CommentBody>,
) -> ApiResult<(StatusCode, Json<WorkOrderEventView>)> {
    // Viewers read; crews comment on their own team's (find sees to that).
    auth.require(
        may_create(auth.0.role) || auth.0.role == Role::Field,
        "comment on work orders",
    )?;
    let wo = find(&st, &auth.0, &id).await?;
    let mut v = hotline_domain::Validation::new();
    let note = hotline_domain::validation::optional_text(
        &mut v,
        "note",
        Some(&json.body.note),
        hotline_domain::work_order::model::MAX_NOTE,
    );
    v.finish()?;
    let note = note.ok_or_else(|| ApiError::invalid_field("note", "must not be empty"))?;
    let now = hotline_domain::time::now();
    let mut next = wo.clone();
    next.updated_at = now.max(wo.updated_at);
    next.version += 1;
    let mut event = WorkOrderEvent::new(&next, "comment", &auth.0.actor(), now);
    event.note = Some(note.clone());
    let entry = AuditEntry::new("work_order", wo.id, "comment", &auth.0, now, json!({ "note": note }));
    if !st.ports.work_orders.update(&next, wo.version, &event, &entry).await? {
        return Err(ApiError::conflict("the work order changed meanwhile; try again"));
    }
    Ok((StatusCode::CREATED, Json(event.into())))
}

/// Link a later call about the same matter to this work order.
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/calls", tag = "work-orders",
    params(("id" = String, Path, description = "The work order's id or short code")),
    request_body = LinkCallBody,
    responses(
        (status = 200, description = "Linked (or already linked)", body = WorkOrderView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not link calls", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such work order or call", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn link_call(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    json: ApiJson<LinkCallBody>,
) -> ApiResult<Response> {
    if !may_create(auth.0.role) {
        return Err(ApiError::forbidden(format!(
            "the {} role may not link calls",
            auth.0.role
        )));
    }
    let wo = find(&st, &auth.0, &id).await?;
    let call_id = Uuid::parse_str(json.body.call_id.trim())
        .map_err(|_| ApiError::invalid_field("call_id", "is not a call id"))?;
    let call = st
        .ports
        .calls
        .get(call_id)
        .await?
        .ok_or_else(|| ApiError::not_found("call"))?;
    let now = hotline_domain::time::now();
    let mut event = WorkOrderEvent::new(&wo, "call_linked", &auth.0.actor(), now);
    event.detail = json!({ "call_id": call.id });
    st.ports.work_orders.link_call(wo.id, call.id, &event).await?;
    respond(&st, StatusCode::OK, &wo).await
}

/// The work-order queue: newest first, filtered.
#[utoipa::path(
    get, path = "/api/v1/work-orders", tag = "work-orders",
    params(WorkOrderListQuery),
    responses(
        (status = 200, description = "A page of work orders", body = WorkOrderPage),
        (status = 400, description = "Invalid filter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_work_orders(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<WorkOrderListQuery>,
) -> ApiResult<Json<WorkOrderPage>> {
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let mut statuses = Vec::new();
    for raw in q
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        statuses.push(
            raw.parse::<Status>()
                .map_err(|m| ApiError::invalid_parameter("status", m))?,
        );
    }
    let now = hotline_domain::time::now();
    let due_before = q
        .due_before
        .as_deref()
        .map(|r| parse_instant(r, RangeEnd::End).map_err(|m| ApiError::invalid_parameter("due_before", m)))
        .transpose()?;
    let upper = |v: &Option<String>| v.as_deref().map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    let field = auth.0.role == Role::Field;
    if field && auth.0.team_code.is_none() {
        return Ok(Json(WorkOrderPage {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    if !field && !auth.0.role.can_read_calls() {
        return Err(ApiError::forbidden(format!(
            "the {} role may not read work orders",
            auth.0.role
        )));
    }
    let filter = WorkOrderFilter {
        statuses,
        team_code: upper(&q.team),
        unit_code: upper(&q.unit),
        area_code: upper(&q.area),
        category: q.category.map(Into::into),
        due_before,
        breached_at: q.breached.unwrap_or(false).then_some(now),
        source: q.source.map(Into::into),
        created_from: None,
        created_before: None,
        only_team: if field { auth.0.team_code.clone() } else { None },
        within_units: visible_units(&st, &auth.0).await?,
    };
    let page = st.ports.work_orders.list(&filter, after, limit).await?;
    let mut items = Vec::with_capacity(page.items.len());
    let visible: Vec<&WorkOrder> = page.items.iter().filter(|wo| may_see(&auth.0, wo)).collect();
    let ids: Vec<Uuid> = visible.iter().map(|wo| wo.id).collect();
    let mut calls = st.ports.work_orders.calls(&ids).await?;
    for wo in visible {
        items.push(view_with(&st, wo, Some(calls.remove(&wo.id).unwrap_or_default())).await?);
    }
    Ok(Json(WorkOrderPage {
        items,
        next_cursor: page.next.map(cursor::encode),
    }))
}

/// Record what the customer thought once the work is done: a score from 1
/// to 5 and an optional comment, given once.
///
/// Agents record it on the call-back; admins and supervisors may too. Only
/// a `resolved` or `closed` work order takes feedback (409 otherwise, naming
/// the state), and only once (409 the second time).
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/feedback", tag = "work-orders",
    params(("id" = String, Path, description = "The work order's id or short code")),
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "Recorded", body = FeedbackView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not record feedback", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such work order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not resolved or closed yet, or feedback already given", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (score, comment)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn feedback(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    json: ApiJson<FeedbackBody>,
) -> ApiResult<(StatusCode, Json<FeedbackView>)> {
    if !auth.0.role.can_log_calls() {
        return Err(ApiError::forbidden(format!(
            "the {} role may not record customer feedback",
            auth.0.role
        )));
    }
    let wo = find(&st, &auth.0, &id).await?;
    let now = hotline_domain::time::now();
    let given = Feedback::new(json.body.score, json.body.comment.as_deref(), &auth.0.actor(), now)?;
    Feedback::allowed_for(&wo)?;
    let mut event = WorkOrderEvent::new(&wo, "feedback", &auth.0.actor(), now);
    event.note = given.comment.clone();
    event.detail = json!({ "score": given.score });
    let entry = AuditEntry::new("work_order", wo.id, "feedback", &auth.0, now, given.audit_view());
    if !st
        .ports
        .work_orders
        .save_feedback(wo.id, &given, &event, &entry)
        .await?
    {
        return Err(ApiError::conflict("feedback was already given for this work order"));
    }
    Ok((StatusCode::CREATED, Json(FeedbackView::from(&given))))
}

#[cfg(test)]
mod tests {
    use super::code_prefix;

    #[test]
    fn prefixes_come_from_area_then_unit() {
        assert_eq!(code_prefix(Some("VN-CM-01"), None), "CM");
        assert_eq!(code_prefix(Some("12"), Some("PB98")), "PB");
        assert_eq!(code_prefix(None, None), "HL");
        assert_eq!(code_prefix(Some("ca-mau"), None), "MA");
    }
}
