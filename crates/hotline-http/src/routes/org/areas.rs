//! `/api/v1/areas`: provinces, communes, former districts… as a tree.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::trees;
use hotline_domain::org::{Area, owner_unit};

use super::code_param;
use super::tree::{Listing, created, found, listed, refs};
use crate::dto::org::{AreaDetail, AreaListQuery, AreaPage, AreaPatchBody, AreaView, NewAreaBody};
use crate::dto::params::{AreaCodeParam, IfMatchHeader};
use crate::dto::problems::{
    AdminsOnly, CodeTaken, CrewsNotOrg, InvalidFilter, InvalidOrBadMove, InvalidOrNoParent, MalformedBodyCodeOrIfMatch,
    MalformedCode, MalformedJson, NoSuchArea, NotJson, Unavailable, VersionedWrite,
};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change};
use crate::routes::versioned;
use crate::state::AppState;

/// Add an area under an existing parent (or as a root).
#[utoipa::path(
    post, path = "/api/v1/areas", tag = "organisation",
    request_body = NewAreaBody,
    responses(
        (status = 201, description = "Added", body = AreaView, headers(("Location" = String), ("ETag" = String))),
        MalformedJson,
        AdminsOnly,
        CodeTaken,
        NotJson,
        InvalidOrNoParent,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn create_area(State(st): State<AppState>, auth: Auth, json: ApiJson<NewAreaBody>) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_org(), "manage areas")?;
    let area: Area = trees::create(&st.app, &auth.0, json.body.into()).await?;
    created(&area, &AreaView::from(&area))
}

/// List areas in code order: all, the children of one (`parent`), a subtree
/// (`within`), or by name or former name without diacritics (`q=ca mau`).
#[utoipa::path(
    get, path = "/api/v1/areas", tag = "organisation",
    params(AreaListQuery),
    responses(
        (status = 200, description = "A page of areas", body = AreaPage),
        InvalidFilter,
        CrewsNotOrg,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn list_areas(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AreaListQuery>,
) -> ApiResult<Json<AreaPage>> {
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let listing = Listing {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
        parent: q.parent.as_deref(),
        within: q.within.as_deref(),
        q: q.q.as_deref(),
        kind: q.kind.map(Into::into),
    };
    let (items, next_cursor) = listed::<Area>(&st, listing).await?;
    Ok(Json(AreaPage::of(&items, next_cursor)))
}

/// One area, with its ancestry (`area_ancestry`: the area's code, then its
/// parent's, … up to the root), its ancestors and its direct children.
#[utoipa::path(
    get, path = "/api/v1/areas/{code}", tag = "organisation",
    params(AreaCodeParam),
    responses(
        (status = 200, description = "The area", body = AreaDetail, headers(("ETag" = String))),
        MalformedCode,
        CrewsNotOrg,
        NoSuchArea,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn get_area(State(st): State<AppState>, auth: Auth, ApiPath(code): ApiPath<String>) -> ApiResult<Response> {
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let area: Area = found(&st, &code).await?;
    let family = trees::family(&st.app, &area).await?;
    let mut chain = family.ancestors.clone();
    chain.push(area.clone());
    let detail = AreaDetail {
        area: AreaView::from(&area),
        served_by: owner_unit(&area.ancestry(), &chain).map(String::from),
        area_ancestry: area.ancestry(),
        ancestors: refs(&family.ancestors),
        children: refs(&family.children),
    };
    versioned(StatusCode::OK, &detail, None, area.version)
}

/// Rename, reclassify or move an area. A move takes everything below it along; moving a
/// an area below itself is refused (422 naming `parent_code`).
#[utoipa::path(
    patch, path = "/api/v1/areas/{code}", tag = "organisation",
    params(AreaCodeParam, IfMatchHeader),
    request_body = AreaPatchBody,
    responses(
        (status = 200, description = "Updated", body = AreaView, headers(("ETag" = String))),
        MalformedBodyCodeOrIfMatch,
        AdminsOnly,
        NoSuchArea,
        VersionedWrite,
        InvalidOrBadMove,
    ),
    security(("bearer" = []))
)]
pub async fn update_area(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<String, AreaPatchBody>,
) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_org(), "manage areas")?;
    let code = code_param("code", &change.key)?;
    let next: Area = trees::update(&st.app, &auth.0, &code, change.expected, change.body.into()).await?;
    versioned(StatusCode::OK, &AreaView::from(&next), None, next.version)
}
