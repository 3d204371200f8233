//! The screen-pop: who is calling, before the agent picks up.

use axum::Json;
use axum::extract::State;
use hotline_app::cti::lookup;
use hotline_domain::phone::PhoneNumber;

use crate::dto::callbacks::CallbackTaskView;
use crate::dto::calls::CallView;
use crate::dto::cti::{
    BlockedInfo, CustomerWorkOrder, LookupQuery, PhoneMatch, ScreenPop, ScreenPopCustomer, ScreenPopPlannedWork,
};
use crate::dto::incidents::ActiveIncidentView;
use crate::dto::problems::{MayNotReadCalls, Unavailable};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Auth};
use crate::routes::privacy::reads::{RequestId, noted};
use crate::state::AppState;
use hotline_app::privacy::reads::Read;

/// Screen-pop: who is calling, before the agent picks up.
///
/// The normalised number, the customers it belongs to (exact matches
/// first, then those recorded with the pre-2018 number), the number's last
/// five calls, whether it is blocked, and the active outage incident
/// covering a customer's area (with its restoration estimate).
#[utoipa::path(
    get, path = "/api/v1/cti/lookup", tag = "cti",
    params(LookupQuery),
    responses(
        (status = 200, description = "What is known about the caller", body = ScreenPop),
        (status = 400, description = "Not a phone number", body = Problem, content_type = "application/problem+json"),
        MayNotReadCalls,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub(super) async fn lookup(
    State(st): State<AppState>,
    auth: Auth,
    RequestId(request_id): RequestId,
    ApiQuery(q): ApiQuery<LookupQuery>,
) -> ApiResult<Json<ScreenPop>> {
    lookup::may_look_up(&auth.0)?;
    let number = PhoneNumber::parse(&q.number).map_err(|e| ApiError::invalid_parameter("number", e.to_string()))?;
    let Some(number) = number else {
        return Ok(Json(ScreenPop {
            number: None,
            number_raw: q.number,
            withheld: true,
            blocked: None,
            customers: Vec::new(),
            recent_calls: Vec::new(),
            open_callbacks: Vec::new(),
            active_incident: None,
            open_work_orders: Vec::new(),
            awaiting_feedback: Vec::new(),
            planned_work: Vec::new(),
        }));
    };
    let caller = lookup::screen_pop(&st.app, &auth.0, &number).await?;
    noted(
        &st,
        &auth.0,
        Read {
            endpoint: "cti.lookup",
            request_id: request_id.as_deref(),
            number: Some(number.as_str()),
            customers: caller.customers.iter().map(|m| &m.customer).collect(),
            codes: Vec::new(),
        },
    )
    .await?;
    let customers = caller
        .customers
        .iter()
        .map(|m| {
            let matched = if m.renumbered {
                PhoneMatch::Renumbered
            } else {
                PhoneMatch::Exact
            };
            ScreenPopCustomer::new(&m.customer, matched)
        })
        .collect();
    Ok(Json(ScreenPop {
        number: Some(number.as_str().to_string()),
        number_raw: q.number,
        withheld: false,
        blocked: caller.blocked.map(|b| BlockedInfo {
            reason: b.reason,
            since: b.created_at,
        }),
        customers,
        recent_calls: caller
            .recent_calls
            .iter()
            .map(|(c, topics)| CallView::from(c).with_topics(topics))
            .collect(),
        open_callbacks: caller
            .open_callbacks
            .iter()
            .map(|c| CallbackTaskView::new(c, st.app.now()))
            .collect(),
        active_incident: caller.active_incident.as_ref().map(ActiveIncidentView::from),
        open_work_orders: caller
            .open_work_orders
            .iter()
            .map(|(wo, linked)| CustomerWorkOrder::new(wo, linked.incident.as_ref()))
            .collect(),
        awaiting_feedback: caller
            .awaiting_feedback
            .iter()
            .map(|wo| CustomerWorkOrder::new(wo, None))
            .collect(),
        planned_work: caller.planned_work.iter().map(ScreenPopPlannedWork::from).collect(),
    }))
}
