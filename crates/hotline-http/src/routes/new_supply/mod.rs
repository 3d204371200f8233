//! New-supply applications: open one (from the desk, a call, the counter,
//! the web), read it, tick its documents and record its steps; the e-mail
//! gateway; the report by channel and type (JSON or CSV).

mod csv;
mod email;
mod list;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hotline_app::new_supply::{self, Found, NewApplication, StepInput};
use hotline_app::work_orders::{self, Opened};
use hotline_domain::DomainError;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::Application;
use hotline_domain::work_order::{Source, WorkOrder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::new_supply::{NewSupplyBody, NewSupplyReport, NewSupplyReportQuery, NewSupplyStepBody, NewSupplyView};
use crate::dto::params::{IdempotencyKeyHeader, IfMatchHeader};
use crate::dto::problems::*;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IdempotencyKey};
use crate::idempotent::{Answer, Idempotent, json_response, keeping};
use crate::routes::reports::answer;
use crate::routes::reports::period;
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            create_new_supply_application,
            list::list_new_supply_applications
        ))
        .routes(routes!(get_new_supply_application))
        .routes(routes!(record_new_supply_step))
        .routes(routes!(email::email_new_supply))
        .routes(routes!(new_supply_report))
}

fn view(f: &Found) -> NewSupplyView {
    NewSupplyView::new(&f.application, &f.work_order)
}

fn location(wo: &WorkOrder) -> String {
    format!("/api/v1/new-supply-applications/{}", wo.id)
}

/// Open a new-supply request, with its work order (category `new_supply`).
///
/// The type: `supply_type` when given; else a business's is
/// `non_residential` and a household's comes from its area (urban or
/// rural); an area whose kind is not known is 422 naming `supply_type`.
/// The applicant needs a name and a phone or e-mail; a citizen ID (12
/// digits) and a tax code (10 or 13 digits) are checked when given. The
/// deadline clock starts when every document of the type's checklist is
/// ticked (`documents` lists those handed in already). `source` says how it
/// came in (`direct` unless given; `call` with `call_id`). Agents,
/// dispatchers, supervisors, admins and integrations.
#[utoipa::path(
    post, path = "/api/v1/new-supply-applications", tag = "new-supply",
    params(IdempotencyKeyHeader),
    request_body = NewSupplyBody,
    responses(
        (status = 201, description = "Opened; or, to a retry with the same Idempotency-Key and body, the first answer again", body = NewSupplyView,
            headers(("Location" = String), ("ETag" = String, description = "The application's version, for If-Match"))),
        MalformedJson,
        MayNotOpenWorkOrders,
        NoSuchCall,
        NotJson,
        InvalidOrKeyReused,
    ),
    security(("bearer" = []))
)]
async fn create_new_supply_application(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewSupplyBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/new-supply-applications", &json.raw);
    if let Some(i) = &idem
        && let Some(earlier) = i.earlier(&st.app).await?
    {
        return Ok(earlier);
    }
    let body = json.body;
    let mut work_order = body.work_order();
    let call_id = match body.call_id {
        Some(id) => {
            let call = work_orders::source_call(&st.app, id).await?;
            work_order.source = Source::Call;
            if work_order.customer_code.is_none() {
                work_order.customer_code = call.customer_code.map(String::from);
            }
            Some(call.id)
        }
        None if work_order.source == Source::Call => {
            return Err(DomainError::invalid("call_id", "is required when the source is call").into());
        }
        None => None,
    };
    let input = NewApplication {
        supply_type: body.supply_type.map(Into::into),
        applicant: body.applicant.into(),
        documents: body.documents.into_iter().map(Into::into).collect(),
        work_order,
        call_id,
        ..NewApplication::default()
    };
    let answer = async |wo: &WorkOrder, a: &Application| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let body = serde_json::to_string(&NewSupplyView::new(a, wo)).map_err(|e| ApiError::internal(e.to_string()))?;
        let answer = Answer {
            status: StatusCode::CREATED,
            body,
            location: Some(location(wo)),
        };
        Ok(keeping(idem.as_ref(), answer, st.app.now()))
    };
    match new_supply::open(&st.app, &auth.0, input, answer).await? {
        Opened::New(_, a) => {
            let version = serde_json::from_str::<serde_json::Value>(&a.body)
                .ok()
                .and_then(|v| v["version"].as_i64());
            Ok(json_response(a.status, a.body, a.location.as_deref(), version))
        }
        Opened::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// One new-supply request, by its work order's id or short code: type,
/// applicant, checklist, steps, when the paperwork was complete and who
/// confirmed it, and the deadline.
#[utoipa::path(
    get, path = "/api/v1/new-supply-applications/{id}", tag = "new-supply",
    params(("id" = String, Path, description = "The work order's id or short code (CM-26-004217)")),
    responses(
        (status = 200, description = "The application", body = NewSupplyView, headers(("ETag" = String))),
        (status = 404, description = "No such request (or not in your unit's subtree)", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn get_new_supply_application(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let found = new_supply::find(&st.app, &auth.0, &id).await?;
    versioned(StatusCode::OK, &view(&found), None, found.application.version)
}

/// Record one thing on a request: a `document` ticked (the last one starts
/// the clock: `documents_complete_at`, `documents_confirmed_by` and the
/// deadline are set), the `supply_type` set while documents are awaited,
/// or a `step`: `surveyed`, `contract_signed`, `meter_installed`,
/// `energised` (resolves the work order when its state allows) in that
/// order, or `cancelled`. Each is a line of the work order's history and a
/// `new_supply.*` event. Send `If-Match` with the application's ETag.
/// Agents, dispatchers, supervisors and admins; a field crew records the
/// steps of its own team's request.
#[utoipa::path(
    post, path = "/api/v1/new-supply-applications/{id}/steps", tag = "new-supply",
    params(("id" = String, Path, description = "The work order's id or short code"), IfMatchHeader),
    request_body = NewSupplyStepBody,
    responses(
        (status = 200, description = "Recorded; the application", body = NewSupplyView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        (status = 403, description = "The role may not work this request", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request (or not in your unit's subtree)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a step the request's stage allows, or a document already ticked", body = Problem, content_type = "application/problem+json"),
        VersionedWrite,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn record_new_supply_step(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<String, NewSupplyStepBody>,
) -> ApiResult<Response> {
    let body = change.body;
    let input = StepInput {
        document: body.document.map(Into::into),
        supply_type: body.supply_type.map(Into::into),
        step: body.step.map(Into::into),
        note: body.note,
    };
    let found = new_supply::record(&st.app, &auth.0, &change.key, change.expected, input).await?;
    versioned(StatusCode::OK, &view(&found), None, found.application.version)
}

/// New-supply requests opened in `[from, to)`, per channel (`source`) and
/// type: opened, energised, energised within the deadline or late, and
/// still open past the deadline now. Requests of your unit's subtree.
#[utoipa::path(
    get, path = "/api/v1/reports/new-supply", tag = "reports",
    params(NewSupplyReportQuery),
    responses(
        (status = 200, description = "The report", content(
            (NewSupplyReport = "application/json"),
            (String = "text/csv", example = "\u{feff}source,supply_type,opened,energised,within_deadline,late,open_past_deadline\r\nemail,residential_rural,4,3,2,1,0\r\n"),
        )),
        InvalidFilter,
        MayNotReadReports,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn new_supply_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<NewSupplyReportQuery>,
) -> ApiResult<Response> {
    hotline_app::reports::may_read(&auth.0)?;
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let lines = new_supply::report(&st.app, &auth.0, from, to).await?;
    let report = NewSupplyReport {
        from,
        to,
        lines: lines.iter().map(Into::into).collect(),
    };
    Ok(answer(&headers, || csv::report(&report), || &report))
}
