//! Managing users (admins only).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::user::User;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging;
use crate::dto::params::IfMatchHeader;
use crate::dto::problems::{
    AdminsOnly, InvalidFields, InvalidParameter, MalformedBodyIdOrIfMatch, MalformedId, MalformedJson, NoSuchUser,
    NotJson, VersionedEdit,
};
use crate::dto::users::{NewUserBody, PageQuery, UserPage, UserPatchBody, UserView};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change};
use crate::routes::versioned;
use crate::state::AppState;
use hotline_app::users::{self, NewUser, UserPatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(get_user, update_user))
}

fn user_response(status: StatusCode, u: &User, location: Option<&str>) -> ApiResult<Response> {
    versioned(status, &UserView::from(u), location, u.version)
}

/// Create a user.
#[utoipa::path(
    post, path = "/api/v1/users", tag = "users",
    request_body = NewUserBody,
    responses(
        (status = 201, description = "Created", body = UserView, headers(("Location" = String), ("ETag" = String))),
        MalformedJson,
        AdminsOnly,
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
        NotJson,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn create_user(State(st): State<AppState>, auth: Auth, json: ApiJson<NewUserBody>) -> ApiResult<Response> {
    users::may_manage(&auth.0)?;
    let b = json.body;
    let new = NewUser {
        username: &b.username,
        password: b.password,
        role: b.role.into(),
        unit_code: b.unit_code.as_deref(),
        language: b.language.map(Into::into),
        team_code: b.team_code.as_deref(),
    };
    let user = users::create(&st.app, &auth.0, new).await?;
    user_response(StatusCode::CREATED, &user, Some(&format!("/api/v1/users/{}", user.id)))
}

/// List users, newest first.
#[utoipa::path(
    get, path = "/api/v1/users", tag = "users",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of users", body = UserPage),
        InvalidParameter,
        AdminsOnly,
    ),
    security(("bearer" = []))
)]
async fn list_users(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<UserPage>> {
    // The role first: a caller who may not manage users learns nothing
    // from a bad cursor.
    users::may_manage(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let page = users::list(&st.app, &auth.0, after, limit).await?;
    Ok(Json(UserPage::keyset(&page)))
}

/// One user.
#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The user", body = UserView, headers(("ETag" = String))),
        MalformedId,
        AdminsOnly,
        NoSuchUser,
    ),
    security(("bearer" = []))
)]
async fn get_user(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let user = users::get(&st.app, &auth.0, id).await?;
    user_response(StatusCode::OK, &user, None)
}

/// Change a user's role, unit or team, or disable them. A disabled user's
/// tokens stop working at once.
#[utoipa::path(
    patch, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = Uuid, Path), IfMatchHeader),
    request_body = UserPatchBody,
    responses(
        (status = 200, description = "Updated", body = UserView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        AdminsOnly,
        NoSuchUser,
        (status = 409, description = "Would leave no active admin", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn update_user(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, UserPatchBody>,
) -> ApiResult<Response> {
    let b = &change.body;
    let patch = UserPatch {
        role: b.role.map(Into::into),
        disabled: b.disabled,
        unit_code: b.unit_code.as_ref().map(Option::as_deref),
        language: b.language.map(|l| l.map(Into::into)),
        team_code: b.team_code.as_ref().map(Option::as_deref),
    };
    let user = users::change(&st.app, &auth.0, change.key, change.expected, patch).await?;
    st.principals.forget_all();
    user_response(StatusCode::OK, &user, None)
}
