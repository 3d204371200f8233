//! Routing: the rules (one ordered list, replaced whole) and the simulator
//! that answers where a work order would go without opening it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::routing;
use hotline_domain::ports::RoutingRuleSet;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::problems::{
    AdminsOnly, BodyTooLarge, IfMatchMissing, InvalidFields, MalformedBodyOrIfMatch, MalformedJson, NotJson,
};
use crate::dto::routing::{DecisionView, RoutingRulesBody, RoutingRulesView, RuleDto};
use crate::dto::work_orders::NewWorkOrderBody;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, Auth, IfMatch};
use crate::idempotent::json_response;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_rules, put_rules))
        .routes(routes!(simulate))
}

fn view(set: &RoutingRuleSet) -> RoutingRulesView {
    RoutingRulesView {
        rules: set.rules.iter().map(RuleDto::from).collect(),
        version: set.version,
        updated_at: set.updated_at,
    }
}

fn respond(set: &RoutingRuleSet) -> ApiResult<Response> {
    let body = serde_json::to_string(&view(set)).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(json_response(StatusCode::OK, body, None, Some(set.version)))
}

/// The routing rules, in the order they are tried.
#[utoipa::path(
    get, path = "/api/v1/routing/rules", tag = "routing",
    responses(
        (status = 200, description = "The rules", body = RoutingRulesView, headers(("ETag" = String))),
        (status = 403, description = "Field crews do not read the rules", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_rules(State(st): State<AppState>, auth: Auth) -> ApiResult<Response> {
    respond(&routing::rules(&st.app, &auth.0).await?)
}

/// Replace the whole rule list.
///
/// Send `If-Match` with the ETag you read (`"0"` before any rules were set,
/// or `*`); 412 when someone changed them since. Every problem is named by
/// field: `rules[1].targets[0].timeout_minutes`, `rules[2].name` (empty or
/// used twice), `rules[0].matches.hours.start`. Work orders already routed
/// keep their decision; their escalation follows the rule of the same name.
#[utoipa::path(
    put, path = "/api/v1/routing/rules", tag = "routing",
    params(
        ("If-Match" = String, Header, description = "The ETag from your last read, or *", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = RoutingRulesBody,
    responses(
        (status = 200, description = "Replaced", body = RoutingRulesView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        AdminsOnly,
        (status = 412, description = "Changed since you read them", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "Invalid rules", body = Problem, content_type = "application/problem+json"),
        IfMatchMissing,
    ),
    security(("bearer" = []))
)]
async fn put_rules(
    State(st): State<AppState>,
    auth: Auth,
    if_match: IfMatch,
    json: ApiJson<RoutingRulesBody>,
) -> ApiResult<Response> {
    // The role first: a caller who may not change the rules learns nothing
    // from checking them.
    auth.require(auth.0.role.can_manage_routing(), "change the routing rules")?;
    let rules = json.body.into_rules()?;
    let set = routing::replace_rules(&st.app, &auth.0, if_match.0, rules, |list| {
        json!(list.iter().map(RuleDto::from).collect::<Vec<_>>())
    })
    .await?;
    respond(&set)
}

/// Where a work order would go, and why, without opening it.
///
/// Takes the body of `POST /api/v1/work-orders`; stores nothing and spends
/// no work-order number.
#[utoipa::path(
    post, path = "/api/v1/routing/simulate", tag = "routing",
    request_body = NewWorkOrderBody,
    responses(
        (status = 200, description = "The decision", body = DecisionView),
        MalformedJson,
        (status = 403, description = "Field crews do not simulate routing", body = Problem, content_type = "application/problem+json"),
        NotJson,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn simulate(
    State(st): State<AppState>,
    auth: Auth,
    json: ApiJson<NewWorkOrderBody>,
) -> ApiResult<Json<DecisionView>> {
    let decision = routing::simulate(&st.app, &auth.0, json.body.into()).await?;
    Ok(Json(decision.into()))
}
