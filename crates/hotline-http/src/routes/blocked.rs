//! Numbers the hotline refuses: supervisors manage the list; PBXs are told
//! to reject an inbound call from one of them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::blocked;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::blocked::{BlockedNumberView, NewBlockedNumberBody};
use crate::dto::problems::{MalformedId, MalformedJson, MayNotReadCalls, NotJson, SupervisorsAndAdmins};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::routes::created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(block_number, list_blocked))
        .routes(routes!(unblock_number))
}

/// Block a number.
#[utoipa::path(
    post, path = "/api/v1/blocked-numbers", tag = "blocked-numbers",
    request_body = NewBlockedNumberBody,
    responses(
        (status = 201, description = "Blocked", body = BlockedNumberView, headers(("Location" = String))),
        MalformedJson,
        SupervisorsAndAdmins,
        (status = 409, description = "Already blocked", body = Problem, content_type = "application/problem+json"),
        NotJson,
        (status = 422, description = "Invalid number or missing reason", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn block_number(
    State(st): State<AppState>,
    auth: Auth,
    json: ApiJson<NewBlockedNumberBody>,
) -> ApiResult<Response> {
    let b = blocked::block(&st.app, &auth.0, &json.body.number, &json.body.reason).await?;
    Ok(created(
        format!("/api/v1/blocked-numbers/{}", b.id),
        BlockedNumberView::from(&b),
    ))
}

/// Every blocked number, newest first.
#[utoipa::path(
    get, path = "/api/v1/blocked-numbers", tag = "blocked-numbers",
    responses(
        (status = 200, description = "The list", body = Vec<BlockedNumberView>),
        MayNotReadCalls,
    ),
    security(("bearer" = []))
)]
async fn list_blocked(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<BlockedNumberView>>> {
    let list = blocked::list(&st.app, &auth.0).await?;
    Ok(Json(list.iter().map(BlockedNumberView::from).collect()))
}

/// Unblock a number.
#[utoipa::path(
    delete, path = "/api/v1/blocked-numbers/{id}", tag = "blocked-numbers",
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Unblocked"),
        MalformedId,
        SupervisorsAndAdmins,
        (status = 404, description = "Not blocked", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn unblock_number(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
    blocked::unblock(&st.app, &auth.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
