//! Reading a campaign's responses, as JSON pages or one CSV.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::surveys::{self, ResponseQuery, Responses};
use hotline_domain::survey::AnswerValue;
use uuid::Uuid;

use super::paging;
use super::results::csv_asked;
use crate::dto::cursor;
use crate::dto::page::Page;
use crate::dto::survey_answers::{RecordedResponsePage, RecordedResponseView, ResponsesQuery};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::render::csv::{CsvWriter, text};
use crate::state::AppState;

/// The campaign's recorded responses in the order recorded: the sampled
/// customer and number, their unit and team, the agent who recorded the
/// answers and when, and each answer with its question. Whoever reads the
/// campaign (its unit's subtree); free-text answers, the customers' own
/// words, only supervisors and admins (left out for others).
/// `?format=csv` or `Accept: text/csv` exports them all, one line per
/// response and one column per question (`question:<key>`).
#[utoipa::path(
    get, path = "/api/v1/survey-campaigns/{id}/responses", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id"), ResponsesQuery),
    responses(
        (status = 200, description = "The responses", content(
            (RecordedResponsePage = "application/json"),
            (String = "text/csv", example = "\u{feff}id,recorded_at,customer_code,number,unit_code,team,agent,question:hai_long,question:gop_y\r\n0193…,2026-11-26T02:00:00Z,PB12000000001,0912345678,PB12,T12,lan,5,Nhân viên nhiệt tình\r\n"),
        )),
        (status = 400, description = "Malformed id or parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read survey campaigns", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn list_responses(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ResponsesQuery>,
) -> ApiResult<Response> {
    let csv = csv_asked(q.format.as_deref(), &headers)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let query = if csv {
        ResponseQuery::default()
    } else {
        ResponseQuery {
            after,
            limit: Some(limit),
        }
    };
    let r = surveys::responses(&st.app, &auth.0, id, query).await?;
    if csv {
        return Ok(render(&r));
    }
    let page: RecordedResponsePage = Page {
        items: r
            .page
            .items
            .iter()
            .map(|line| RecordedResponseView::of(&r.campaign, line))
            .collect(),
        next_cursor: r.page.next.map(cursor::encode),
    };
    Ok(Json(page).into_response())
}

fn cell(v: &AnswerValue) -> String {
    match v {
        AnswerValue::Scale(n) => n.to_string(),
        AnswerValue::YesNo(b) => b.to_string(),
        AnswerValue::Text(t) => text(t),
    }
}

fn render(r: &Responses) -> Response {
    let c = &r.campaign;
    let mut w = CsvWriter::new();
    let mut head: Vec<String> = [
        "id",
        "recorded_at",
        "customer_code",
        "number",
        "unit_code",
        "team",
        "agent",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    head.extend(c.questions.iter().map(|q| format!("question:{}", q.key)));
    w.row(&head);
    for line in &r.page.items {
        let resp = &line.response;
        let mut row = vec![
            resp.id.to_string(),
            resp.recorded_at.to_rfc3339(),
            resp.customer_code.to_string(),
            line.number.clone().unwrap_or_default(),
            resp.unit_code.to_string(),
            resp.team_code.as_ref().map(ToString::to_string).unwrap_or_default(),
            text(&resp.agent),
        ];
        row.extend(c.questions.iter().map(|q| {
            resp.answers
                .iter()
                .find(|a| a.question == q.key)
                .map(|a| cell(&a.value))
                .unwrap_or_default()
        }));
        w.row(&row);
    }
    crate::render::csv::respond(w.finish(), &format!("survey-{}-responses", c.id), true)
}
