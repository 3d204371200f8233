//! A subscription's deliveries: what was sent (or is waiting), each
//! attempt, and a manual redeliver.

use axum::Json;
use axum::extract::State;
use hotline_app::webhooks;
use uuid::Uuid;

use crate::dto::params::{DeliveryIdParam, SubscriptionIdParam};
use crate::dto::problems::{AdminsOnly, BadParameter, MalformedId, NoSuchDelivery, NoSuchSubscription};
use crate::dto::webhooks::{AttemptView, DeliveryDetailView, DeliveryListQuery, DeliveryPage, DeliveryView};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::routes::paging;
use crate::state::AppState;

/// A subscription's deliveries, newest first; by status.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(SubscriptionIdParam, DeliveryListQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryPage),
        BadParameter,
        AdminsOnly,
        NoSuchSubscription,
    ),
    security(("bearer" = []))
)]
pub(super) async fn list_deliveries(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DeliveryListQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    webhooks::may_manage(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let status = q.status.map(Into::into);
    let page = webhooks::deliveries(&st.app, &auth.0, id, status, after, limit).await?;
    Ok(Json(DeliveryPage::keyset(&page)))
}

/// One delivery with every attempt (status, timing, error, start of the answer).
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}", tag = "webhooks",
    params(SubscriptionIdParam, DeliveryIdParam),
    responses(
        (status = 200, description = "The delivery", body = DeliveryDetailView),
        MalformedId,
        AdminsOnly,
        NoSuchDelivery,
    ),
    security(("bearer" = []))
)]
pub(super) async fn get_delivery(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, delivery_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<Json<DeliveryDetailView>> {
    let (d, attempts) = webhooks::delivery(&st.app, &auth.0, id, delivery_id).await?;
    Ok(Json(DeliveryDetailView {
        delivery: DeliveryView::from(&d),
        attempts_made: attempts.iter().map(AttemptView::from).collect(),
    }))
}

/// Send a delivery again now, whatever its status; if that fails it is
/// retried on the full schedule again. Sent once the subscription is enabled.
/// A delivery whose body was removed after its retention cannot be.
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    params(SubscriptionIdParam, DeliveryIdParam),
    responses(
        (status = 202, description = "Scheduled now", body = DeliveryView),
        MalformedId,
        AdminsOnly,
        NoSuchDelivery,
        (status = 409, description = "Its body was removed after its retention", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn redeliver(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, delivery_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<(axum::http::StatusCode, Json<DeliveryView>)> {
    let d = webhooks::redeliver(&st.app, &auth.0, id, delivery_id).await?;
    Ok((axum::http::StatusCode::ACCEPTED, Json(DeliveryView::from(&d))))
}
