//! Subject access: everything held about one person, as JSON or as one
//! CSV with a `section` column (what a clerk opens in Excel).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::privacy::access::{self, Held, SECTION_LIMIT, Subject};
use hotline_app::privacy::reads::Read;
use hotline_domain::customer_code;
use serde::Serialize;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reads::{RequestId, noted, number_param};
use crate::dto::callbacks::CallbackTaskView;
use crate::dto::calls::CallView;
use crate::dto::customers::CustomerView;
use crate::dto::new_supply::NewSupplyView;
use crate::dto::privacy::{PersonalReadView, SubjectQuery, SubjectView};
use crate::dto::problems::{InvalidFilter, SupervisorsAndAdmins, Unavailable};
use crate::dto::surveys::ResponseView;
use crate::dto::work_orders::WorkOrderView;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Auth};
use crate::render::csv::{self, CsvWriter, text};
use crate::routes::reports::wants_csv;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(subject_access))
}

fn subject(q: &SubjectQuery) -> ApiResult<Subject> {
    let code = q.customer_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let number = number_param("number", q.number.as_deref())?;
    match (code, number) {
        (Some(c), None) => customer_code::normalize(c)
            .map(Subject::Customer)
            .map_err(|m| ApiError::invalid_parameter("customer_code", m)),
        (None, Some(n)) => Ok(Subject::Number(n)),
        (Some(_), Some(_)) => Err(ApiError::invalid_parameter(
            "customer_code",
            "give customer_code or number, not both",
        )),
        (None, None) => Err(ApiError::invalid_parameter(
            "customer_code",
            "give customer_code or number",
        )),
    }
}

fn view(h: &Held, now: chrono::DateTime<chrono::Utc>) -> SubjectView {
    let mut truncated = Vec::new();
    for (name, cut) in [
        ("calls", h.calls.truncated),
        ("work_orders", h.work_orders.truncated),
        ("callbacks", h.callbacks.truncated),
        ("new_supply_applications", h.new_supply.truncated),
        ("survey_responses", h.survey_responses.truncated),
        ("reads", h.reads.truncated),
    ] {
        if cut {
            truncated.push(name.to_string());
        }
    }
    let (customer_code, number) = match &h.subject {
        Subject::Customer(c) => (Some(c.clone()), None),
        Subject::Number(n) => (None, Some(n.clone())),
    };
    SubjectView {
        customer_code,
        number,
        numbers: h.numbers.clone(),
        customers: h.customers.iter().map(CustomerView::from).collect(),
        calls: h
            .calls
            .items
            .iter()
            .map(|(c, t)| CallView::from(c).with_topics(t))
            .collect(),
        work_orders: h
            .work_orders
            .items
            .iter()
            .map(|w| {
                let mut v = WorkOrderView::new(&w.work_order, Vec::new(), now);
                v.facts = w.facts.as_ref().map(Into::into);
                v.feedback = w.feedback.as_ref().map(Into::into);
                v
            })
            .collect(),
        callbacks: h
            .callbacks
            .items
            .iter()
            .map(|c| CallbackTaskView::new(c, now))
            .collect(),
        new_supply_applications: h
            .new_supply
            .items
            .iter()
            .map(|(a, w)| NewSupplyView::new(a, w))
            .collect(),
        survey_responses: h.survey_responses.items.iter().map(ResponseView::from).collect(),
        reads: h.reads.items.iter().map(PersonalReadView::from).collect(),
        limit: SECTION_LIMIT,
        truncated,
    }
}

/// The instant a record is listed by.
const INSTANTS: [&str; 5] = ["at", "started_at", "created_at", "recorded_at", "updated_at"];

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => text(s),
        other => text(&other.to_string()),
    }
}

/// One row per field of each record: `section,id,at,attribute,value`.
fn rows<T: Serialize>(w: &mut CsvWriter, section: &str, items: &[T], truncated: bool) {
    for item in items {
        let Ok(Value::Object(fields)) = serde_json::to_value(item) else {
            continue;
        };
        let id = fields.get("id").map(cell).unwrap_or_default();
        let at = INSTANTS
            .iter()
            .find_map(|k| fields.get(*k).filter(|v| !v.is_null()))
            .map(cell)
            .unwrap_or_default();
        for (k, v) in &fields {
            if v.is_null() || k == "id" {
                continue;
            }
            w.row(&[section.to_string(), id.clone(), at.clone(), k.clone(), cell(v)]);
        }
    }
    if truncated {
        w.row(&[section, "", "", "truncated", "true"]);
    }
}

fn as_csv(v: &SubjectView) -> Response {
    let mut w = CsvWriter::new();
    w.row(&["section", "id", "at", "attribute", "value"]);
    let cut = |s: &str| v.truncated.iter().any(|t| t == s);
    rows(&mut w, "customer", &v.customers, false);
    rows(&mut w, "call", &v.calls, cut("calls"));
    rows(&mut w, "work_order", &v.work_orders, cut("work_orders"));
    rows(&mut w, "callback", &v.callbacks, cut("callbacks"));
    rows(
        &mut w,
        "new_supply",
        &v.new_supply_applications,
        cut("new_supply_applications"),
    );
    rows(&mut w, "survey_response", &v.survey_responses, cut("survey_responses"));
    rows(&mut w, "data_read", &v.reads, cut("reads"));
    csv::respond(w.finish(), "subject-access", true)
}

/// Everything held about one person (admins, and supervisors of the
/// customer's unit): the customer record, calls with their topics, work
/// orders with complaint facts and feedback, callbacks, new-supply
/// applications where they are the applicant, survey responses, and who
/// read their data. Give `customer_code`, or `number` written any usual
/// way. Each list holds at most 200 records, newest first; `truncated`
/// names those that had more. `Accept: text/csv` answers one CSV, a row per
/// field of each record, with a `section` column. The export is itself
/// logged as a read.
#[utoipa::path(
    get, path = "/api/v1/privacy/subjects", tag = "privacy",
    params(SubjectQuery),
    responses(
        (status = 200, description = "Everything held about the person", content(
            (SubjectView = "application/json"),
            (String = "text/csv", example = "\u{feff}section,id,at,attribute,value\r\n"),
        )),
        InvalidFilter,
        SupervisorsAndAdmins,
        (status = 404, description = "No such customer, or one of another unit", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn subject_access(
    State(st): State<AppState>,
    auth: Auth,
    RequestId(request_id): RequestId,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<SubjectQuery>,
) -> ApiResult<Response> {
    access::may_export(&auth.0)?;
    let subject = subject(&q)?;
    let held = access::export(&st.app, &auth.0, subject).await?;
    let number = match &held.subject {
        Subject::Number(n) => Some(n.as_str()),
        Subject::Customer(_) => None,
    };
    noted(
        &st,
        &auth.0,
        Read {
            endpoint: "privacy.subject",
            request_id: request_id.as_deref(),
            number,
            customers: held.customers.iter().collect(),
            codes: Vec::new(),
        },
    )
    .await?;
    let view = view(&held, st.app.now());
    Ok(if wants_csv(&headers) {
        as_csv(&view)
    } else {
        axum::Json(view).into_response()
    })
}
