//! Changing and deleting a draft campaign.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::surveys;
use uuid::Uuid;

use super::versioned;
use crate::dto::params::IfMatchHeader;
use crate::dto::problems::{IfMatchMissing, MalformedBodyIdOrIfMatch, SupervisorsAndAdmins, VersionedEdit};
use crate::dto::survey_answers::CampaignPatchBody;
use crate::dto::surveys::CampaignView;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiPath, Auth, Change, IfMatch};
use crate::state::AppState;

/// Change a draft campaign: its name, period, questionnaire (replaced
/// whole) or sample settings (`per_unit` or `total`, `seed`, `days`),
/// each checked as on creation. Omitted fields stay; the unit stays.
/// Supervisors and admins of the campaign's unit subtree; audited. Send
/// `If-Match`. Once sampled, a campaign no longer changes (409).
#[utoipa::path(
    patch, path = "/api/v1/survey-campaigns/{id}", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id"), IfMatchHeader),
    request_body = CampaignPatchBody,
    responses(
        (status = 200, description = "Changed", body = CampaignView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        SupervisorsAndAdmins,
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
pub(super) async fn update_campaign(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, CampaignPatchBody>,
) -> ApiResult<Response> {
    let c = surveys::edit(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    versioned(StatusCode::OK, &CampaignView::from(&c), None, c.version)
}

/// Delete a draft campaign (audited). Send `If-Match`. A campaign once
/// sampled stays (409): its sample, survey calls and answers stand on it.
#[utoipa::path(
    delete, path = "/api/v1/survey-campaigns/{id}", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id or If-Match", body = Problem, content_type = "application/problem+json"),
        SupervisorsAndAdmins,
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        IfMatchMissing,
    ),
    security(("bearer" = []))
)]
pub(super) async fn delete_campaign(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(expected): IfMatch,
) -> ApiResult<StatusCode> {
    surveys::delete(&st.app, &auth.0, id, expected).await?;
    Ok(StatusCode::NO_CONTENT)
}
