//! A campaign's results, as JSON or CSV.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::surveys::{self, Results};
use uuid::Uuid;

use crate::dto::problems::SupervisorsAndAdmins;
use crate::dto::surveys::{CampaignView, PreviousCampaignView, ResultLineView, ResultsQuery, SurveyResultsView};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::render::csv::{CsvWriter, text};
use crate::state::AppState;

pub(super) use crate::routes::reports::csv_asked;

/// The campaign's results per question: overall (`all`), per `unit`, per
/// `team` (of the customer's last work order in the period) and per
/// `agent` (who recorded the answers), with the number of answers, the
/// mean of scale answers and the share of yes; beside the same figures of
/// the previous closed campaign of the same unit (same question key and
/// kind) and the difference. Supervisors and admins. `?format=csv` or
/// `Accept: text/csv` answers CSV, one line per question and group.
#[utoipa::path(
    get, path = "/api/v1/survey-campaigns/{id}/results", tag = "surveys",
    params(("id" = Uuid, Path, description = "The campaign's id"), ResultsQuery),
    responses(
        (status = 200, description = "The results", content(
            (SurveyResultsView = "application/json"),
            (String = "text/csv", example = "\u{feff}campaign,question,kind,group_by,group,answers,average,yes_share,previous_answers,previous_average,previous_yes_share,difference\r\nKhảo sát 2026,hai_long,scale_1_5,unit,PB12,40,4.2,,35,3.9,,0.3\r\n"),
        )),
        (status = 400, description = "Malformed id or parameter", body = Problem, content_type = "application/problem+json"),
        SupervisorsAndAdmins,
        (status = 404, description = "No such campaign (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn results(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<Response> {
    let csv = csv_asked(q.format.as_deref(), &headers)?;
    let r = surveys::results(&st.app, &auth.0, id).await?;
    if csv {
        return Ok(render(&r));
    }
    Ok(Json(SurveyResultsView {
        campaign: CampaignView::from(&r.campaign),
        previous: r.previous.as_ref().map(|p| PreviousCampaignView {
            id: p.id,
            name: p.name.clone(),
            closed_at: p.closed_at,
        }),
        responses: r.responses,
        lines: r.rows.iter().map(ResultLineView::from).collect(),
    })
    .into_response())
}

fn number(v: Option<f64>) -> String {
    v.map(|x| {
        format!("{:.4}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    })
    .unwrap_or_default()
}

fn render(r: &Results) -> Response {
    let mut w = CsvWriter::new();
    w.row(&[
        "campaign",
        "question",
        "kind",
        "group_by",
        "group",
        "answers",
        "average",
        "yes_share",
        "previous_answers",
        "previous_average",
        "previous_yes_share",
        "difference",
    ]);
    for row in &r.rows {
        w.row(&[
            text(&r.campaign.name),
            row.question.clone(),
            row.kind.as_str().to_string(),
            row.group_by.as_str().to_string(),
            text(&row.group),
            row.current.answers.to_string(),
            number(row.current.average),
            number(row.current.yes_share),
            row.previous.map(|p| p.answers.to_string()).unwrap_or_default(),
            number(row.previous.and_then(|p| p.average)),
            number(row.previous.and_then(|p| p.yes_share)),
            number(row.difference),
        ]);
    }
    crate::render::csv::respond(w.finish(), &format!("survey-{}-results", r.campaign.id), true)
}
