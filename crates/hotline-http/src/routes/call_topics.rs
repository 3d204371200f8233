//! A call's topics: replace them as a whole; trace an article version to
//! the calls told it; count topics by category and handling.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hotline_app::call_topics;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::call_topics::{
    ToldCallView, ToldQuery, ToldView, TopicCountView, TopicReportQuery, TopicReportView, TopicsBody,
};
use crate::dto::calls::CallView;
use crate::dto::params::{ArticleIdParam, CallIdParam, IfMatchHeader};
use crate::dto::problems::{
    BadParameter, MalformedBodyIdOrIfMatch, MalformedId, MayNotLogCalls, MayNotReadReports, NoSuchArticle, NoSuchCall,
    VersionedEdit,
};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiPath, ApiQuery, Auth, Change};
use crate::render::csv::{self, CsvWriter};
use crate::routes::reports::answer;
use crate::routes::reports::period;
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(replace_topics))
        .routes(routes!(told_calls))
        .routes(routes!(topic_report))
}

/// Replace the call's topics (in order); its `category` becomes the first
/// one's. Send `If-Match` with the call's ETag; the call's version goes up.
#[utoipa::path(
    put, path = "/api/v1/calls/{id}/topics", tag = "calls",
    params(CallIdParam, IfMatchHeader),
    request_body = TopicsBody,
    responses(
        (status = 200, description = "The call with its new topics", body = CallView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        MayNotLogCalls,
        NoSuchCall,
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn replace_topics(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, TopicsBody>,
) -> ApiResult<Response> {
    let list = change.body.topics.into_iter().map(Into::into).collect();
    let (call, topics) = call_topics::replace(&st.app, &auth.0, change.key, change.expected, list).await?;
    versioned(
        StatusCode::OK,
        &CallView::from(&call).with_topics(&topics),
        None,
        call.version,
    )
}

/// The calls told this article (`?version=n`: that version), newest first:
/// whom to call back when the policy changed or the answer was wrong.
#[utoipa::path(
    get, path = "/api/v1/articles/{id}/calls", tag = "articles",
    params(ArticleIdParam, ToldQuery),
    responses(
        (status = 200, description = "The calls (at most 500)", body = ToldView),
        MalformedId,
        (status = 403, description = "The role may not read calls or articles", body = Problem, content_type = "application/problem+json"),
        NoSuchArticle,
    ),
    security(("bearer" = []))
)]
async fn told_calls(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ToldQuery>,
) -> ApiResult<Json<ToldView>> {
    let told = call_topics::told(&st.app, &auth.0, id, q.version).await?;
    Ok(Json(ToldView {
        items: told.iter().map(|(c, n)| ToldCallView::new(c, *n)).collect(),
    }))
}

/// Topics of the calls started in `[from, to)`, by category and handling
/// (a call with three topics counts three times here, once in `calls`).
/// `Accept: text/csv` answers CSV, one line per category and handling.
#[utoipa::path(
    get, path = "/api/v1/reports/topics", tag = "reports",
    params(TopicReportQuery),
    responses(
        (status = 200, description = "The counts", content(
            (TopicReportView = "application/json"),
            (String = "text/csv", example = "\u{feff}category,handling,topics,calls\r\nbilling,answered_on_call,12,11\r\noutage,work_order,7,7\r\n"),
        )),
        BadParameter,
        MayNotReadReports,
    ),
    security(("bearer" = []))
)]
async fn topic_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<TopicReportQuery>,
) -> ApiResult<Response> {
    let (from, to) = period(Some(&q.from), Some(&q.to))?;
    let rows = call_topics::counts(&st.app, &auth.0, from, to).await?;
    let csv = || {
        let mut w = CsvWriter::new();
        w.row(&["category", "handling", "topics", "calls"]);
        for r in &rows {
            let handling = r.handling.map(|h| h.as_str()).unwrap_or_default();
            w.row(&[
                r.category.as_str(),
                handling,
                &r.topics.to_string(),
                &r.calls.to_string(),
            ]);
        }
        csv::respond(w.finish(), "topics", false)
    };
    let json = || TopicReportView {
        from,
        to,
        topics: rows.iter().map(|r| r.topics).sum(),
        rows: rows.iter().map(TopicCountView::from).collect(),
    };
    Ok(answer(&headers, csv, json))
}
