//! Work orders: created from a call or directly, moved through their states
//! by dispatchers and crews, with a history of every change.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::Application;
use hotline_domain::principal::Principal;
use hotline_domain::time::{RangeEnd, parse_instant};
use hotline_domain::work_order::{Status, WorkOrder, WorkOrderFilter};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{code_query, paging};
use crate::dto::cursor;
use crate::dto::params::{CallIdParam, IdempotencyKeyHeader, IfMatchHeader, WorkOrderKeyParam};
use crate::dto::problems::*;
use crate::dto::work_orders::{NewWorkOrderBody, TransitionBody, WorkOrderListQuery, WorkOrderPage, WorkOrderView};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IdempotencyKey};
use crate::idempotent::{Answer, Idempotent, json_response, keeping};
use crate::routes::{created_at, versioned};
use crate::state::AppState;
use hotline_app::work_orders::{self, Linked, Transition};

mod activity;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_work_order, list_work_orders))
        .routes(routes!(create_from_call))
        .routes(routes!(get_work_order))
        .routes(routes!(transition))
        .routes(routes!(activity::history))
        .routes(routes!(activity::comment))
        .routes(routes!(activity::link_call))
        .routes(routes!(activity::feedback))
}

/// The view of one work order; `calls` when already loaded (a new one's).
async fn view_with(st: &AppState, wo: &WorkOrder, calls: Option<Vec<Uuid>>) -> ApiResult<WorkOrderView> {
    let linked = work_orders::linked(&st.app, wo, calls).await?;
    let mut v = view_of(wo, linked, st.app.now());
    let shown = hotline_app::complaints::shown(&st.app, wo).await?;
    v.facts = shown.facts.as_ref().map(Into::into);
    v.repeats = shown.repeats.as_ref().map(Into::into);
    Ok(v)
}

/// The view of a work order with what goes with it.
fn view_of(wo: &WorkOrder, linked: Linked, now: DateTime<Utc>) -> WorkOrderView {
    let mut v = WorkOrderView::new(wo, linked.calls, now);
    v.incident = linked.incident.as_ref().map(Into::into);
    v.feedback = linked.feedback.as_ref().map(Into::into);
    v.new_supply = linked
        .new_supply
        .as_ref()
        .map(|a| Box::new(crate::dto::new_supply::NewSupplyView::new(a, wo)));
    v
}

async fn view(st: &AppState, wo: &WorkOrder) -> ApiResult<WorkOrderView> {
    view_with(st, wo, None).await
}

pub(crate) async fn respond(st: &AppState, status: StatusCode, wo: &WorkOrder) -> ApiResult<Response> {
    let location = format!("/api/v1/work-orders/{}", wo.id);
    versioned(status, &view(st, wo).await?, created_at(status, &location), wo.version)
}

/// Finds a work order by id or short code, as the caller may see it.
async fn find(st: &AppState, who: &Principal, key: &str) -> ApiResult<WorkOrder> {
    Ok(work_orders::find(&st.app, who, key).await?)
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
        && let Some(earlier) = i.earlier(&st.app).await?
    {
        return Ok(earlier);
    }
    let mut input: hotline_domain::work_order::NewWorkOrder = body.into();
    if call_id.is_some() {
        input.source = hotline_domain::work_order::Source::Call;
    }
    let detail = call_id.map_or(serde_json::Value::Null, |call| json!({ "call_id": call }));
    let calls: Vec<Uuid> = call_id.into_iter().collect();
    // A new-supply request opens its application with it.
    let new_supply = match input.category {
        Some(hotline_domain::call::Category::NewSupply) => {
            Some(hotline_app::new_supply::from_work_order(&st.app, input.clone(), call_id).await?)
        }
        _ => None,
    };
    let answer = async |wo: &WorkOrder, a: Option<&Application>| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let mut view = view_with(st, wo, Some(calls)).await?;
        if let Some(a) = a {
            view.new_supply = Some(Box::new(crate::dto::new_supply::NewSupplyView::new(a, wo)));
        }
        let body = serde_json::to_string(&view).map_err(|e| ApiError::internal(e.to_string()))?;
        let answer = Answer {
            status: StatusCode::CREATED,
            body,
            location: Some(format!("/api/v1/work-orders/{}", wo.id)),
        };
        Ok(keeping(idem.as_ref(), answer, st.app.now()))
    };
    let opened = match new_supply {
        Some(request) => {
            hotline_app::new_supply::open(&st.app, who, request, async |wo: &WorkOrder, a: &Application| {
                answer(wo, Some(a)).await
            })
            .await?
        }
        None => {
            work_orders::open(&st.app, who, input, call_id, detail, async |wo: &WorkOrder| {
                answer(wo, None).await
            })
            .await?
        }
    };
    match opened {
        work_orders::Opened::New(wo, a) => Ok(json_response(a.status, a.body, a.location.as_deref(), Some(wo.version))),
        work_orders::Opened::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// Open a work order directly.
///
/// Retries with the same `Idempotency-Key` and body answer with the first
/// result and open nothing new.
#[utoipa::path(
    post, path = "/api/v1/work-orders", tag = "work-orders",
    params(IdempotencyKeyHeader),
    request_body = NewWorkOrderBody,
    responses(
        (status = 201, description = "Opened; or, to a retry with the same Idempotency-Key and body, the first answer again (nothing new opened)", body = WorkOrderView,
            headers(("Location" = String), ("ETag" = String),
                ("Idempotent-Replayed" = String, description = "`true` on a replayed answer; absent on the first"))),
        MalformedJson,
        MayNotOpenWorkOrders,
        NotJson,
        InvalidOrKeyReused,
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
    params(CallIdParam, IdempotencyKeyHeader),
    request_body = NewWorkOrderBody,
    responses(
        (status = 201, description = "Opened; or, to a retry with the same Idempotency-Key and body, the first answer again (nothing new opened)", body = WorkOrderView,
            headers(("Location" = String), ("ETag" = String),
                ("Idempotent-Replayed" = String, description = "`true` on a replayed answer; absent on the first"))),
        MalformedJsonOrId,
        MayNotOpenWorkOrders,
        NoSuchCall,
        NotJson,
        InvalidOrKeyReused,
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
    let call = work_orders::source_call(&st.app, id).await?;
    let mut body = json.body;
    // What the agent already captured on the call fills the gaps.
    body.customer_code = body.customer_code.or(call.customer_code.map(String::from));
    body.address = body.address.or(call.address);
    create(&st, &auth.0, body, Some(call.id), idem).await
}

/// One work order, by id or short code.
#[utoipa::path(
    get, path = "/api/v1/work-orders/{id}", tag = "work-orders",
    params(("id" = String, Path, description = "The work order's id or short code (CM-26-004217)")),
    responses(
        (status = 200, description = "The work order", body = WorkOrderView, headers(("ETag" = String))),
        NoSuchWorkOrderForYou,
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
    params(WorkOrderKeyParam, IfMatchHeader),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "Moved on", body = WorkOrderView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        NotYoursToMove,
        NoSuchWorkOrder,
        NotFromThisState,
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn transition(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<String, TransitionBody>,
) -> ApiResult<Response> {
    let body = change.body;
    let asked = Transition {
        key: &change.key,
        action: body.action.into(),
        expected_version: change.expected,
        team_code: body.team_code.as_deref(),
        note: body.note.as_deref(),
    };
    let next = work_orders::transition(&st.app, &auth.0, asked).await?;
    respond(&st, StatusCode::OK, &next).await
}

/// The work-order queue: newest first, filtered.
#[utoipa::path(
    get, path = "/api/v1/work-orders", tag = "work-orders",
    params(WorkOrderListQuery),
    responses(
        (status = 200, description = "A page of work orders", body = WorkOrderPage),
        InvalidFilter,
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
    let now = st.app.now();
    let due_before = q
        .due_before
        .as_deref()
        .map(|r| parse_instant(r, RangeEnd::End).map_err(|m| ApiError::invalid_parameter("due_before", m)))
        .transpose()?;
    let upper = |v: &Option<String>| v.as_deref().map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    // The caller's team and units narrow it further: the use case's business.
    let filter = WorkOrderFilter {
        statuses,
        team_code: upper(&q.team),
        unit_code: upper(&q.unit),
        area_code: upper(&q.area),
        customer_code: code_query("customer_code", q.customer_code.as_deref())?,
        category: q.category.map(Into::into),
        due_before,
        breached_at: q.breached.unwrap_or(false).then_some(now),
        source: q.source.map(Into::into),
        ..WorkOrderFilter::default()
    };
    let page = work_orders::list(&st.app, &auth.0, filter, after, limit).await?;
    let shown: Vec<&WorkOrder> = page.items.iter().map(|(wo, _)| wo).collect();
    let mut facts = hotline_app::complaints::facts_of(&st.app, &shown).await?;
    let items = page
        .items
        .into_iter()
        .map(|(wo, linked)| {
            let mut v = view_of(&wo, linked, st.app.now());
            v.facts = facts.remove(&wo.id).as_ref().map(Into::into);
            v
        })
        .collect();
    Ok(Json(WorkOrderPage {
        items,
        next_cursor: page.next.map(cursor::encode),
    }))
}
