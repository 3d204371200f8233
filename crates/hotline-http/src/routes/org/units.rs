//! `/api/v1/units`: the utility's units as a tree.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::trees;
use hotline_domain::org::Unit;

use super::code_param;
use super::tree::{Listing, created, found, listed, refs};
use crate::dto::org::{NewUnitBody, UnitDetail, UnitListQuery, UnitPage, UnitPatchBody, UnitView};
use crate::dto::params::{IfMatchHeader, UnitCodeParam};
use crate::dto::problems::{
    AdminsOnly, CodeTaken, CrewsNotOrg, InvalidFilter, InvalidOrBadMove, InvalidOrNoParent, MalformedBodyCodeOrIfMatch,
    MalformedCode, MalformedJson, NoSuchUnit, NotJson, Unavailable, VersionedWrite,
};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change};
use crate::routes::versioned;
use crate::state::AppState;

/// Add a unit under an existing parent (or as a root).
#[utoipa::path(
    post, path = "/api/v1/units", tag = "organisation",
    request_body = NewUnitBody,
    responses(
        (status = 201, description = "Added", body = UnitView, headers(("Location" = String), ("ETag" = String))),
        MalformedJson,
        AdminsOnly,
        CodeTaken,
        NotJson,
        InvalidOrNoParent,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn create_unit(State(st): State<AppState>, auth: Auth, json: ApiJson<NewUnitBody>) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_org(), "manage units")?;
    let unit: Unit = trees::create(&st.app, &auth.0, json.body.into()).await?;
    created(&unit, &UnitView::from(&unit))
}

/// List units in code order: all, the children of one (`parent`), a subtree
/// (`within`), or by name without diacritics (`q`).
#[utoipa::path(
    get, path = "/api/v1/units", tag = "organisation",
    params(UnitListQuery),
    responses(
        (status = 200, description = "A page of units", body = UnitPage),
        InvalidFilter,
        CrewsNotOrg,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn list_units(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<UnitListQuery>,
) -> ApiResult<Json<UnitPage>> {
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let listing = Listing {
        limit: q.limit,
        cursor: q.cursor.as_deref(),
        parent: q.parent.as_deref(),
        within: q.within.as_deref(),
        q: q.q.as_deref(),
        kind: None,
    };
    let (items, next_cursor) = listed::<Unit>(&st, listing).await?;
    Ok(Json(UnitPage::of(&items, next_cursor)))
}

/// One unit, with its ancestors (parent first) and direct children.
#[utoipa::path(
    get, path = "/api/v1/units/{code}", tag = "organisation",
    params(UnitCodeParam),
    responses(
        (status = 200, description = "The unit", body = UnitDetail, headers(("ETag" = String))),
        MalformedCode,
        CrewsNotOrg,
        NoSuchUnit,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn get_unit(State(st): State<AppState>, auth: Auth, ApiPath(code): ApiPath<String>) -> ApiResult<Response> {
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let unit: Unit = found(&st, &code).await?;
    let family = trees::family(&st.app, &unit).await?;
    let detail = UnitDetail {
        unit: UnitView::from(&unit),
        ancestors: refs(&family.ancestors),
        children: refs(&family.children),
    };
    versioned(StatusCode::OK, &detail, None, unit.version)
}

/// Rename or move a unit. A move takes everything below it along; moving a
/// unit below itself is refused (422 naming `parent_code`).
#[utoipa::path(
    patch, path = "/api/v1/units/{code}", tag = "organisation",
    params(UnitCodeParam, IfMatchHeader),
    request_body = UnitPatchBody,
    responses(
        (status = 200, description = "Updated", body = UnitView, headers(("ETag" = String))),
        MalformedBodyCodeOrIfMatch,
        AdminsOnly,
        NoSuchUnit,
        VersionedWrite,
        InvalidOrBadMove,
    ),
    security(("bearer" = []))
)]
pub async fn update_unit(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<String, UnitPatchBody>,
) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_org(), "manage units")?;
    let code = code_param("code", &change.key)?;
    let next: Unit = trees::update(&st.app, &auth.0, &code, change.expected, change.body.into()).await?;
    versioned(StatusCode::OK, &UnitView::from(&next), None, next.version)
}
