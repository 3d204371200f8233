//! What happens beside the state machine: the history, comments, later
//! calls about the same matter, and the customer's feedback.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::work_orders;

use super::respond;
use crate::dto::params::WorkOrderKeyParam;
use crate::dto::problems::*;
use crate::dto::work_orders::{
    CommentBody, FeedbackBody, FeedbackView, LinkCallBody, WorkOrderEventView, WorkOrderView,
};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::state::AppState;

/// Everything that happened to a work order, oldest first.
#[utoipa::path(
    get, path = "/api/v1/work-orders/{id}/history", tag = "work-orders",
    params(WorkOrderKeyParam),
    responses(
        (status = 200, description = "The history", body = Vec<WorkOrderEventView>),
        NoSuchWorkOrder,
    ),
    security(("bearer" = []))
)]
pub(super) async fn history(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<WorkOrderEventView>>> {
    let events = work_orders::history(&st.app, &auth.0, &id).await?;
    Ok(Json(events.into_iter().map(Into::into).collect()))
}

/// Add a comment to the history.
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/comments", tag = "work-orders",
    params(WorkOrderKeyParam),
    request_body = CommentBody,
    responses(
        (status = 201, description = "Added", body = WorkOrderEventView),
        MalformedJson,
        ViewersMayNotComment,
        NoSuchWorkOrder,
        ChangedMeanwhileTryAgain,
        NotJson,
        EmptyOrTooLong,
    ),
    security(("bearer" = []))
)]
pub(super) async fn comment(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    json: ApiJson<CommentBody>,
) -> ApiResult<(StatusCode, Json<WorkOrderEventView>)> {
    let event = work_orders::comment(&st.app, &auth.0, &id, &json.body.note).await?;
    Ok((StatusCode::CREATED, Json(event.into())))
}

/// Link a later call about the same matter to this work order.
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/calls", tag = "work-orders",
    params(WorkOrderKeyParam),
    request_body = LinkCallBody,
    responses(
        (status = 200, description = "Linked (or already linked)", body = WorkOrderView),
        MalformedJson,
        MayNotLinkCalls,
        NoSuchWorkOrderOrCall,
        NotJson,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
pub(super) async fn link_call(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    json: ApiJson<LinkCallBody>,
) -> ApiResult<Response> {
    let wo = work_orders::link_call(&st.app, &auth.0, &id, &json.body.call_id).await?;
    respond(&st, StatusCode::OK, &wo).await
}

/// Record what the customer thought once the work is done: a score from 1
/// to 5 and an optional comment, given once.
///
/// Agents record it on the call-back; admins and supervisors may too. Only
/// a `resolved` or `closed` work order takes feedback (409 otherwise, naming
/// the state), and only once (409 the second time).
#[utoipa::path(
    post, path = "/api/v1/work-orders/{id}/feedback", tag = "work-orders",
    params(WorkOrderKeyParam),
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "Recorded", body = FeedbackView),
        MalformedJson,
        MayNotRecordFeedback,
        NoSuchWorkOrder,
        FeedbackNotNow,
        NotJson,
        InvalidFeedback,
    ),
    security(("bearer" = []))
)]
pub(super) async fn feedback(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    json: ApiJson<FeedbackBody>,
) -> ApiResult<(StatusCode, Json<FeedbackView>)> {
    let body = json.body;
    let given = work_orders::feedback(&st.app, &auth.0, &id, body.score, body.comment.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(FeedbackView::from(&given))))
}
