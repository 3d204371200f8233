//! Articles of approved answers: write, review, search, read any kept
//! version.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::articles::{self, Written};
use hotline_domain::article::{Article, ArticleVersion};
use hotline_domain::idempotency::IdempotencyRecord;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::articles::{
    ArticleRevisionBody, ArticleSearchQuery, ArticleSearchView, ArticleTransitionBody, ArticleVersionQuery,
    ArticleVersionView, ArticleVersionsView, ArticleView, NewArticleBody,
};
use crate::dto::params::{ArticleIdParam, ArticleVersionParams, IdempotencyKeyHeader, IfMatchHeader};
use crate::dto::problems::{
    BadParameter, MalformedBodyIdOrIfMatch, MalformedId, MayNotEditArticles, MayNotReadArticles, NoSuchArticle,
    NotJson, VersionedEdit,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IdempotencyKey};
use crate::idempotent::{Answer, Idempotent, json_response, keeping};
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_article, search_articles))
        .routes(routes!(get_article))
        .routes(routes!(list_versions, revise_article))
        .routes(routes!(transition_version))
}

fn view(a: &Article, v: &ArticleVersion) -> ArticleView {
    ArticleView::new(a, v, None)
}

/// Write a new article: its first version is a draft.
///
/// Retries with the same `Idempotency-Key` and body answer with the first
/// result and store nothing new.
#[utoipa::path(
    post, path = "/api/v1/articles", tag = "articles",
    params(IdempotencyKeyHeader),
    request_body = NewArticleBody,
    responses(
        (status = 201, description = "Written (a draft); or the first answer again to a retry with the same key", body = ArticleView,
            headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Malformed JSON or header", body = Problem, content_type = "application/problem+json"),
        MayNotEditArticles,
        NotJson,
        (status = 422, description = "Invalid fields (title, body, category, keywords, effective_to, unit_code), or the key reused with another body", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_article(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewArticleBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/articles", &json.raw);
    let answer = |a: &Article, v: &ArticleVersion| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let body = serde_json::to_string(&view(a, v)).map_err(|e| ApiError::internal(e.to_string()))?;
        let answer = Answer {
            status: StatusCode::CREATED,
            body,
            location: Some(format!("/api/v1/articles/{}", a.id)),
        };
        Ok(keeping(idem.as_ref(), answer, a.created_at))
    };
    let (unit, draft) = json.body.split();
    match articles::create(&st.app, &auth.0, unit, draft, answer).await? {
        Written::New(done, a) => Ok(json_response(
            a.status,
            a.body,
            a.location.as_deref(),
            Some(done.0.version),
        )),
        Written::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// Search the articles without diacritics, best first.
///
/// Agents get the approved versions in force now, centre-wide; editors may
/// ask for a `status` (their subtree's articles in it).
#[utoipa::path(
    get, path = "/api/v1/articles", tag = "articles",
    params(ArticleSearchQuery),
    responses(
        (status = 200, description = "The best matches, one version per article", body = ArticleSearchView),
        BadParameter,
        (status = 403, description = "The role may not read articles, or asked for a status without editing them", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn search_articles(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ArticleSearchQuery>,
) -> ApiResult<Json<ArticleSearchView>> {
    articles::may_read(&auth.0)?;
    let limit = match q.limit {
        None => 20,
        Some(l @ 1..=100) => l as usize,
        Some(_) => return Err(ApiError::invalid_parameter("limit", "must be from 1 to 100")),
    };
    let found = articles::search(
        &st.app,
        &auth.0,
        q.q.as_deref().unwrap_or(""),
        q.status.map(Into::into),
        q.category.map(Into::into),
        limit,
    )
    .await?;
    let items = found
        .iter()
        .map(|f| ArticleView::new(&f.article, &f.version, Some(f.rank)))
        .collect();
    Ok(Json(ArticleSearchView { items }))
}

/// One article with the version in force; `?version=n` any kept version
/// (editors, and anyone for a version that was approved: tracing what a
/// caller was told).
#[utoipa::path(
    get, path = "/api/v1/articles/{id}", tag = "articles",
    params(ArticleIdParam, ArticleVersionQuery),
    responses(
        (status = 200, description = "The article and the version", body = ArticleView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadArticles,
        NoSuchArticle,
    ),
    security(("bearer" = []))
)]
async fn get_article(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ArticleVersionQuery>,
) -> ApiResult<Response> {
    let (a, v) = articles::get(&st.app, &auth.0, id, q.version).await?;
    versioned(StatusCode::OK, &view(&a, &v), None, a.version)
}

/// Every kept version, oldest first (readers who do not edit the article:
/// those that were approved).
#[utoipa::path(
    get, path = "/api/v1/articles/{id}/versions", tag = "articles",
    params(ArticleIdParam),
    responses(
        (status = 200, description = "The versions", body = ArticleVersionsView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadArticles,
        NoSuchArticle,
    ),
    security(("bearer" = []))
)]
async fn list_versions(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let (a, all) = articles::versions(&st.app, &auth.0, id).await?;
    let body = ArticleVersionsView {
        id: a.id,
        version: a.version,
        items: all.iter().map(ArticleVersionView::from).collect(),
    };
    versioned(StatusCode::OK, &body, None, a.version)
}

/// Write a new draft version over the newest one (an approved version is
/// never edited in place). Send `If-Match` with the article's ETag.
#[utoipa::path(
    post, path = "/api/v1/articles/{id}/versions", tag = "articles",
    params(ArticleIdParam, IfMatchHeader),
    request_body = ArticleRevisionBody,
    responses(
        (status = 201, description = "The new draft version", body = ArticleView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        MayNotEditArticles,
        NoSuchArticle,
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn revise_article(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, ArticleRevisionBody>,
) -> ApiResult<Response> {
    let (a, v) = articles::revise(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    let location = format!("/api/v1/articles/{}?version={}", a.id, v.number);
    versioned(StatusCode::CREATED, &view(&a, &v), Some(&location), a.version)
}

/// Move a version on: `submit`, `approve` (a supervisor or admin who is not
/// its author), `reject`, `retire`. Send `If-Match` with the article's ETag.
#[utoipa::path(
    post, path = "/api/v1/articles/{id}/versions/{n}/transitions", tag = "articles",
    params(ArticleVersionParams, IfMatchHeader),
    request_body = ArticleTransitionBody,
    responses(
        (status = 200, description = "The version moved on", body = ArticleView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        (status = 403, description = "The role may not edit articles or take this step, or the author approves their own version", body = Problem, content_type = "application/problem+json"),
        NoSuchArticle,
        (status = 409, description = "The version is not in the status this step starts from", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn transition_version(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<(Uuid, i32), ArticleTransitionBody>,
) -> ApiResult<Response> {
    let (id, n) = change.key;
    let (a, v) = articles::transition(&st.app, &auth.0, id, n, change.body.action.into(), change.expected).await?;
    versioned(StatusCode::OK, &view(&a, &v), None, a.version)
}
