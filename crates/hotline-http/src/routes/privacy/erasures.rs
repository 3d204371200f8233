//! Erasure on request: anonymise everything held about a customer or a
//! number now (admins; supervisors their units' customers), refused while
//! an open complaint holds it; and the erasures done.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hotline_app::privacy::erasure::{self, Erasure, Outcome};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::erasures::{ErasureListQuery, ErasurePage, ErasureView, NewErasureBody};
use crate::dto::params::IdempotencyKeyHeader;
use crate::dto::problems::{BadParameter, MalformedId, SupervisorsAndAdmins, Unavailable};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IdempotencyKey};
use crate::idempotent::{Idempotent, json_response};
use crate::routes::paging;
use crate::routes::reports::wants_csv;
use crate::state::AppState;

const ROUTE: &str = "/api/v1/privacy/erasures";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(erase, list_erasures))
        .routes(routes!(get_erasure))
}

fn location(e: &Erasure) -> String {
    format!("{ROUTE}/{}", e.id)
}

/// Erase a customer's or a number's personal data now.
///
/// Anonymises, in one transaction, the customer record (name, address,
/// e-mail, notes; phones become pseudonyms), their calls and the calls
/// from or to the number (number pseudonymised, name, address and notes
/// removed), the calls' topics' text, callbacks, work orders' addresses,
/// new-supply applicants and survey answers, and every copy of the name,
/// address or number in any other record (audit snapshots, events, webhook
/// bodies, stored answers). Figures stay. The audit entry names who asked,
/// who did it and why. Refused (409) while an open complaint (metering,
/// billing, voltage quality, staff conduct) holds the data. Admins; a
/// supervisor erases their units' customers by `customer_code`.
#[utoipa::path(
    post, path = "/api/v1/privacy/erasures", tag = "privacy",
    params(IdempotencyKeyHeader),
    request_body = NewErasureBody,
    responses(
        (status = 201, description = "Done: what was anonymised; or, to a retry with the same Idempotency-Key and body, the first answer again", body = ErasureView,
            headers(("Location" = String, description = "The erasure's URL"))),
        (status = 400, description = "Malformed JSON or header", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supervisors and admins only; by number, admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer in your units", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An open complaint holds the data (named in `detail`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (neither or both of `customer_code` and `number`, a bad number, no reason or requester), or the key reused with another body", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn erase(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewErasureBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/privacy/erasures", &json.raw);
    if let Some(i) = &idem
        && let Some(earlier) = i.earlier(&st.app).await?
    {
        return Ok(earlier);
    }
    let now = st.app.now();
    // The body is filled in with the counts in the erasure's transaction.
    let keep = idem.as_ref().map(|i| i.record(StatusCode::CREATED, "", None, now));
    let answer = |e: &Erasure| serde_json::to_string(&ErasureView::from(e)).unwrap_or_default();
    match erasure::erase(&st.app, &auth.0, &json.body.into(), keep, &answer).await? {
        Outcome::Done(e) => Ok(json_response(
            StatusCode::CREATED,
            answer(&e),
            Some(&location(&e)),
            None,
        )),
        Outcome::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// Past erasures, newest first: admins see all, supervisors their units'
/// customers'. CSV to `Accept: text/csv` (the page's erasures, one a line).
#[utoipa::path(
    get, path = "/api/v1/privacy/erasures", tag = "privacy",
    params(ErasureListQuery),
    responses(
        (status = 200, description = "A page of erasures", content(
            (ErasurePage = "application/json"),
            (String = "text/csv", example = "\u{feff}id,erased_at,customer_code,by_number,unit_code,erasure_reason,requested_by,performed_by,anonymised\r\n"),
        )),
        BadParameter,
        SupervisorsAndAdmins,
    ),
    security(("bearer" = []))
)]
async fn list_erasures(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ErasureListQuery>,
) -> ApiResult<Response> {
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let page = erasure::list(&st.app, &auth.0, after, limit).await?;
    let body = ErasurePage::keyset(&page);
    if wants_csv(&headers) {
        return Ok(super::erasures_csv::list(&body.items));
    }
    Ok(Json(body).into_response())
}

/// One erasure.
#[utoipa::path(
    get, path = "/api/v1/privacy/erasures/{id}", tag = "privacy",
    params(("id" = Uuid, Path, description = "The erasure's id")),
    responses(
        (status = 200, description = "The erasure", body = ErasureView),
        MalformedId,
        SupervisorsAndAdmins,
        (status = 404, description = "No such erasure (or not of your units)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_erasure(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ErasureView>> {
    let e = erasure::get(&st.app, &auth.0, id).await?;
    Ok(Json(ErasureView::from(&e)))
}
