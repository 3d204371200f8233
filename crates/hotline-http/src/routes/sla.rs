//! SLA policies: the response and resolution targets per category (and
//! optionally unit and area kind), with effective dates; and the preview of
//! the deadlines a request would get. Everyone but field crews reads them;
//! admins change them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::sla;
use hotline_domain::customer::check_code;
use hotline_domain::sla::{SlaPolicy, SlaPolicyFilter};
use hotline_domain::time::{RangeEnd, parse_instant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::params::{IfMatchHeader, PolicyIdParam};
use crate::dto::problems::{
    AdminsOnly, BodyTooLarge, ChangedBySomeoneElse, CrewsNotSla, InvalidFields, InvalidFilter, InvalidParameter,
    MalformedBodyIdOrIfMatch, MalformedId, MalformedJson, NoSuchPolicy, NotJson, Unavailable, VersionedWrite,
};
use crate::dto::sla::{
    NewSlaPolicyBody, PreviewQuery, SlaPolicyListQuery, SlaPolicyPatchBody, SlaPolicyView, SlaPreview,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IfMatch};
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_policy, list_policies))
        .routes(routes!(preview))
        .routes(routes!(get_policy, update_policy, delete_policy))
}

fn policy_response(status: StatusCode, p: &SlaPolicy, location: Option<&str>) -> ApiResult<Response> {
    versioned(status, &SlaPolicyView::from(p), location, p.version)
}

/// Add a policy.
#[utoipa::path(
    post, path = "/api/v1/sla-policies", tag = "sla-policies",
    request_body = NewSlaPolicyBody,
    responses(
        (status = 201, description = "Added", body = SlaPolicyView,
            headers(("Location" = String, description = "The policy's URL"), ("ETag" = String, description = "Version for If-Match"))),
        MalformedJson,
        AdminsOnly,
        BodyTooLarge,
        NotJson,
        (status = 422, description = "Invalid fields (an unknown calendar is named `calendar_code`)", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn create_policy(State(st): State<AppState>, auth: Auth, json: ApiJson<NewSlaPolicyBody>) -> ApiResult<Response> {
    let policy = sla::add(&st.app, &auth.0, json.body.into()).await?;
    policy_response(
        StatusCode::CREATED,
        &policy,
        Some(&format!("/api/v1/sla-policies/{}", policy.id)),
    )
}

/// The policies, by category and effective date.
#[utoipa::path(
    get, path = "/api/v1/sla-policies", tag = "sla-policies",
    params(SlaPolicyListQuery),
    responses(
        (status = 200, description = "The policies", body = Vec<SlaPolicyView>),
        InvalidFilter,
        CrewsNotSla,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_policies(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SlaPolicyListQuery>,
) -> ApiResult<Json<Vec<SlaPolicyView>>> {
    sla::may_read(&auth.0)?;
    let unit_code = q
        .unit
        .as_deref()
        .map(|u| check_code(u).map_err(|m| ApiError::invalid_parameter("unit", m)))
        .transpose()?;
    let filter = SlaPolicyFilter {
        category: q.category.map(Into::into),
        unit_code,
    };
    let list = sla::list(&st.app, &auth.0, &filter).await?;
    Ok(Json(list.iter().map(SlaPolicyView::from).collect()))
}

/// One policy.
#[utoipa::path(
    get, path = "/api/v1/sla-policies/{id}", tag = "sla-policies",
    params(PolicyIdParam),
    responses(
        (status = 200, description = "The policy", body = SlaPolicyView, headers(("ETag" = String))),
        MalformedId,
        CrewsNotSla,
        NoSuchPolicy,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn get_policy(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let policy = sla::get(&st.app, &auth.0, id).await?;
    policy_response(StatusCode::OK, &policy, None)
}

/// Change a policy.
///
/// Send `If-Match` with the ETag you read; if someone changed the policy
/// since, the answer is 412 and nothing is changed. Work orders already
/// stamped with deadlines keep them.
#[utoipa::path(
    patch, path = "/api/v1/sla-policies/{id}", tag = "sla-policies",
    params(PolicyIdParam, IfMatchHeader),
    request_body = SlaPolicyPatchBody,
    responses(
        (status = 200, description = "Updated", body = SlaPolicyView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        AdminsOnly,
        NoSuchPolicy,
        VersionedWrite,
        BodyTooLarge,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn update_policy(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, SlaPolicyPatchBody>,
) -> ApiResult<Response> {
    let next = sla::change(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    policy_response(StatusCode::OK, &next, None)
}

/// Delete a policy.
///
/// `If-Match` is optional here; when sent, the policy is deleted only if it
/// is still at that version.
#[utoipa::path(
    delete, path = "/api/v1/sla-policies/{id}", tag = "sla-policies",
    params(
        PolicyIdParam,
        ("If-Match" = Option<String>, Header, description = "The ETag from your last read, or *", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id or If-Match", body = Problem, content_type = "application/problem+json"),
        AdminsOnly,
        NoSuchPolicy,
        ChangedBySomeoneElse,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn delete_policy(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    if_match: Result<IfMatch, ApiError>,
) -> ApiResult<StatusCode> {
    auth.require(auth.0.role.can_manage_sla(), "delete SLA policies")?;
    // If-Match is optional here: without it, any version is deleted.
    let expected = match if_match {
        Ok(IfMatch(v)) => v,
        Err(e) if e.status() == StatusCode::PRECONDITION_REQUIRED => None,
        Err(e) => return Err(e),
    };
    sla::delete(&st.app, &auth.0, id, expected).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which policy applies to a request and the deadlines it gives.
///
/// The policy is chosen among those for the category in force on the local
/// day of `at`: the closest unit first (the unit's own, then its parents',
/// then one for everyone), then an exact area kind over one for any area,
/// then the latest `effective_from`. Deadlines are counted in the policy's
/// calendar. This is what a work order is stamped with when it is opened.
#[utoipa::path(
    get, path = "/api/v1/sla-policies/preview", tag = "sla-policies",
    params(PreviewQuery),
    responses(
        (status = 200, description = "The policy and the deadlines", body = SlaPreview),
        InvalidParameter,
        CrewsNotSla,
        (status = 404, description = "No policy applies", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn preview(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> ApiResult<Json<SlaPreview>> {
    sla::may_read(&auth.0)?;
    let at =
        q.at.as_deref()
            .map(|raw| parse_instant(raw, RangeEnd::Start).map_err(|m| ApiError::invalid_parameter("at", m)))
            .transpose()?;
    let unit = q
        .unit
        .as_deref()
        .map(|u| check_code(u).map_err(|m| ApiError::invalid_parameter("unit", m)))
        .transpose()?;
    let category = q.category.into();
    let area_kind = q.area_kind.map(Into::into);
    let (received_at, applied) = sla::preview(&st.app, &auth.0, category, unit.as_deref(), area_kind, at).await?;
    Ok(Json(SlaPreview::new(&applied.policy, received_at, applied.deadlines)))
}
