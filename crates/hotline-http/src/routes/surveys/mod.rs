//! Survey campaigns: created as drafts by supervisors and admins, sampled,
//! opened (one survey callback per sampled customer on the `survey`
//! queue), answered by agents, closed; their results; and the feedback
//! report.

mod answers;
mod drafts;
mod feedback;
mod results;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::surveys::{self, CampaignQuery, Filed};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::survey::{Campaign, Sampled};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{paging, versioned};
use crate::dto::page::Page;
use crate::dto::params::{IdempotencyKeyHeader, IfMatchHeader};
use crate::dto::problems::{
    BadParameter, InvalidOrKeyReused, MalformedBodyIdOrIfMatch, MalformedId, MalformedJson, MalformedJsonOrId, NotJson,
    SupervisorsAndAdmins, VersionedEdit,
};
use crate::dto::surveys::{
    CampaignListQuery, CampaignPage, CampaignTransitionBody, CampaignView, NewCampaignBody, ResponseBody, ResponseView,
    SampleView, SampledView,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IdempotencyKey, IfMatch};
use crate::idempotent::{Answer, Idempotent, json_response, keeping};
use crate::state::AppState;

const PATH: &str = "/api/v1/survey-campaigns";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_campaign, list_campaigns))
        .routes(routes!(get_campaign, drafts::update_campaign, drafts::delete_campaign))
        .routes(routes!(draw_sample, get_sample))
        .routes(routes!(transition_campaign))
        .routes(routes!(record_response, answers::list_responses))
        .routes(routes!(results::results))
        .routes(routes!(feedback::feedback_report))
}

fn view_json(c: &Campaign) -> ApiResult<String> {
    serde_json::to_string(&CampaignView::from(c)).map_err(|e| ApiError::internal(e.to_string()))
}

fn sample_view(c: &Campaign, drawn: &[Sampled]) -> SampleView {
    SampleView {
        campaign: CampaignView::from(c),
        sample: drawn.iter().map(SampledView::from).collect(),
    }
}

/// Create a survey campaign as a draft: its questionnaire (questions with
/// a 1–5 scale, yes/no or free text), the period whose contacts are
/// sampled, the sample size (per unit, or a total shared in proportion)
/// and the seed. Supervisors and admins, for a unit of their subtree.
/// Retries with the same `Idempotency-Key` and body answer with the first
/// result.
#[utoipa::path(
    post, path = "/api/v1/survey-campaigns", tag = "surveys",
    params(IdempotencyKeyHeader),
    request_body = NewCampaignBody,
    responses(
        (status = 201, description = "Created as a draft; or, to a retry with the same key and body, the first answer again", body = CampaignView,
            headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String, description = "`true` on a replayed answer"))),
        MalformedJson,
        SupervisorsAndAdmins,
        NotJson,
        InvalidOrKeyReused,
    ),
    security(("bearer" = []))
)]
async fn create_campaign(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewCampaignBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/survey-campaigns", &json.raw);
    let answer = |c: &Campaign| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let answer = Answer {
            status: StatusCode::CREATED,
            body: view_json(c)?,
            location: Some(format!("{PATH}/{}", c.id)),
        };
        Ok(keeping(idem.as_ref(), answer, c.created_at))
    };
    match surveys::create(&st.app, &auth.0, json.body.into(), answer).await? {
        Filed::New(c, a) => Ok(json_response(a.status, a.body, a.location.as_deref(), Some(c.version))),
        Filed::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// The campaigns of the caller's subtree, newest first.
#[utoipa::path(
    get, path = "/api/v1/survey-campaigns", tag = "surveys",
    params(CampaignListQuery),
    responses(
        (status = 200, description = "A page of campaigns", body = CampaignPage),
        BadParameter,
        (status = 403, description = "The role may not read survey campaigns", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_campaigns(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CampaignListQuery>,
) -> ApiResult<Json<CampaignPage>> {
    surveys::may_read(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let query = CampaignQuery {
        status: q.status.map(Into::into),
        after,
        limit,
    };
    let page = surveys::list(&st.app, &auth.0, &query).await?;
    Ok(Json(Page::keyset(&page)))
}

/// One campaign.
#[utoipa::path(
    get, path = "/api/v1/survey-campaigns/{id}", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign", body = CampaignView, headers(("ETag" = String))),
        MalformedId,
        (status = 403, description = "The role may not read survey campaigns", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_campaign(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let c = surveys::get(&st.app, &auth.0, id).await?;
    versioned(StatusCode::OK, &CampaignView::from(&c), None, c.version)
}

/// Draw the sample of a draft campaign: the distinct customers (by
/// customer code, with a phone) of the campaign unit's subtree who called
/// or had a work order opened in the period, stratified by unit and drawn
/// with the campaign's seed (SplitMix64 and Fisher–Yates over the
/// candidates sorted by unit and customer code: the same seed on the same
/// data draws the same sample). The campaign moves to `sampling`. Send
/// `If-Match`.
#[utoipa::path(
    post, path = "/api/v1/survey-campaigns/{id}/sample", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id"), IfMatchHeader),
    responses(
        (status = 200, description = "The campaign and its sample, in drawing order", body = SampleView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        SupervisorsAndAdmins,
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn draw_sample(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(expected): IfMatch,
) -> ApiResult<Response> {
    let (c, drawn) = surveys::sample(&st.app, &auth.0, id, expected).await?;
    versioned(StatusCode::OK, &sample_view(&c, &drawn), None, c.version)
}

/// The campaign's sample, in drawing order, with each customer's survey
/// callback once the campaign is open.
#[utoipa::path(
    get, path = "/api/v1/survey-campaigns/{id}/sample", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign and its sample", body = SampleView),
        MalformedId,
        (status = 403, description = "The role may not read survey campaigns", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_sample(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<SampleView>> {
    let (c, drawn) = surveys::sampled(&st.app, &auth.0, id).await?;
    Ok(Json(sample_view(&c, &drawn)))
}

/// `open` a sampled campaign: one callback (reason `survey`, queue
/// `survey`, due spread over the campaign's days within the calling hours)
/// per sampled customer, announced as `survey_campaign.opened`; or `close`
/// an open one: its survey callbacks still open are cancelled, announced
/// as `survey_campaign.closed`. Send `If-Match`.
#[utoipa::path(
    post, path = "/api/v1/survey-campaigns/{id}/transitions", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id"), IfMatchHeader),
    request_body = CampaignTransitionBody,
    responses(
        (status = 200, description = "Done", body = CampaignView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        SupervisorsAndAdmins,
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current status", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn transition_campaign(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, CampaignTransitionBody>,
) -> ApiResult<Response> {
    let c = surveys::act(&st.app, &auth.0, change.key, change.expected, change.body.action.into()).await?;
    versioned(StatusCode::OK, &CampaignView::from(&c), None, c.version)
}

/// Record a sampled customer's answers to an open campaign, by the agent
/// who called them: each answer names a question by key with a value of
/// its kind (1–5, true/false, text of at most 2000 characters); every
/// required question must be answered. The customer's survey callback is
/// closed as done (reached); a refusal or no answer is recorded as an
/// attempt on the callback instead. Announced as
/// `survey.response_recorded`.
#[utoipa::path(
    post, path = "/api/v1/survey-campaigns/{id}/responses", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id")),
    request_body = ResponseBody,
    responses(
        (status = 201, description = "Recorded", body = ResponseView),
        MalformedJsonOrId,
        (status = 403, description = "The role may not record survey answers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The campaign is not open, or the customer's answers are recorded already", body = Problem, content_type = "application/problem+json"),
        NotJson,
        (status = 422, description = "A bad field, named (`customer_code`, `answers[i].value`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_response(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    json: ApiJson<ResponseBody>,
) -> ApiResult<(StatusCode, Json<ResponseView>)> {
    let (customer, answers) = json.body.answers();
    let r = surveys::record(&st.app, &auth.0, id, customer.as_deref(), answers).await?;
    Ok((StatusCode::CREATED, Json(ResponseView::from(&r))))
}
