//! The screen-pop: who is calling, before the agent picks up.

use axum::Json;
use axum::extract::State;
use hotline_domain::call::{CallFilter, CallerMatch};
use hotline_domain::incident::IncidentStatus;
use hotline_domain::phone::PhoneNumber;

use crate::dto::calls::CallView;
use crate::dto::cti::{BlockedInfo, LookupQuery, PhoneMatch, ScreenPop, ScreenPopCustomer};
use crate::dto::incidents::ActiveIncidentView;
use crate::dto::problems::{MayNotReadCalls, Unavailable};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Auth};
use crate::state::AppState;
use hotline_app::clustering::covering;

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
    ApiQuery(q): ApiQuery<LookupQuery>,
) -> ApiResult<Json<ScreenPop>> {
    auth.require(auth.0.role.can_read_calls(), "look up callers")?;
    let number = PhoneNumber::parse(&q.number).map_err(|e| ApiError::invalid_parameter("number", e.to_string()))?;
    let Some(number) = number else {
        return Ok(Json(ScreenPop {
            number: None,
            number_raw: q.number,
            withheld: true,
            blocked: None,
            customers: Vec::new(),
            recent_calls: Vec::new(),
            active_incident: None,
        }));
    };
    let n = number.as_str();
    let filter = CallFilter {
        caller: Some(CallerMatch::Number(n.to_string())),
        ..CallFilter::default()
    };
    let (customers, recent, blocked) = tokio::try_join!(
        st.app.store.customers().find_by_phone(n),
        st.app.store.calls().list(&filter, None, 5, false),
        st.app.store.blocked_numbers().find(n),
    )?;
    let mut customers: Vec<ScreenPopCustomer> = customers
        .iter()
        .map(|c| {
            let renumbered = c.phones.iter().any(|p| p.number.as_str() == n && p.renumbered);
            ScreenPopCustomer::new(
                c,
                if renumbered {
                    PhoneMatch::Renumbered
                } else {
                    PhoneMatch::Exact
                },
            )
        })
        .collect();
    customers.sort_by_key(|c| (c.matched != PhoneMatch::Exact, c.customer_code.clone()));
    let mut active_incident = None;
    let mut seen: Vec<&str> = Vec::new();
    for area in customers.iter().filter_map(|c| c.area_code.as_deref()) {
        if seen.contains(&area) {
            continue;
        }
        seen.push(area);
        if let Some(found) = covering(&st.app, area, &[IncidentStatus::Active]).await? {
            active_incident = Some(ActiveIncidentView::from(&found));
            break;
        }
    }
    Ok(Json(ScreenPop {
        number: Some(n.to_string()),
        number_raw: q.number,
        withheld: false,
        blocked: blocked.map(|b| BlockedInfo {
            reason: b.reason,
            since: b.created_at,
        }),
        customers,
        recent_calls: recent.items.iter().map(CallView::from).collect(),
        active_incident,
    }))
}
