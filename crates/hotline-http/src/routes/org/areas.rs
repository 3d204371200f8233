//! `/api/v1/areas`: provinces, communes, former districts… as a tree.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::org::{Area, NodeFilter, owner_unit, tree};
use hotline_domain::text;

use super::{code_page, code_paging, code_param, optional_code_param, versioned};
use crate::dto::org::{AreaDetail, AreaListQuery, AreaPage, AreaPatchBody, AreaView, NewAreaBody, NodeRef};
use crate::dto::problems::{
    AdminsOnly, ChangedBySomeoneElse, CodeTaken, CrewsNotOrg, IfMatchMissing, InvalidFilter, InvalidOrBadMove,
    InvalidOrNoParent, MalformedBodyCodeOrIfMatch, MalformedCode, MalformedJson, NoSuchArea, NotJson, Unavailable,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::routes::optimistic::{Change, stored};
use crate::state::AppState;
use hotline_app::placement::known_unit;

/// Children listed on an area's page.
const MAX_CHILDREN: u64 = 1000;

async fn detail(st: &AppState, u: &Area) -> ApiResult<AreaDetail> {
    let codes = tree::ancestors(&u.path);
    let found = st.app.store.org().areas_by_code(&codes).await?;
    let ancestors = codes
        .iter()
        .filter_map(|c| found.iter().find(|a| &a.code == c))
        .map(|a| NodeRef {
            code: a.code.clone(),
            name: a.name.clone(),
        })
        .collect();
    let filter = NodeFilter {
        parent: Some(u.code.clone()),
        ..Default::default()
    };
    let children = st.app.store.org().list_areas(&filter, None, MAX_CHILDREN).await?;
    let mut chain = found.clone();
    chain.push(u.clone());
    Ok(AreaDetail {
        area: AreaView::from(u),
        served_by: owner_unit(&u.ancestry(), &chain),
        area_ancestry: u.ancestry(),
        ancestors,
        children: children
            .iter()
            .map(|c| NodeRef {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect(),
    })
}

/// The parent's path, or a 422 naming `parent_code` when there is no such area.
async fn parent_path(st: &AppState, parent: Option<&str>) -> ApiResult<Option<String>> {
    let Some(code) = parent else { return Ok(None) };
    match st.app.store.org().get_area(code).await? {
        Some(p) => Ok(Some(p.path)),
        None => Err(ApiError::invalid_field(
            "parent_code",
            format!("there is no area {code}"),
        )),
    }
}

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
    let now = st.app.now();
    let area = Area::create(json.body.into(), now)?;
    known_unit(st.app.store.as_ref(), "unit_code", area.unit_code.as_deref()).await?;
    let area = area
        .clone()
        .placed(parent_path(&st, area.parent_code.as_deref()).await?.as_deref());
    let entry = AuditEntry::new("area", area.id, "create", &auth.0, now, area.audit_view());
    match st.app.store.org().create_area(&area, &entry).await {
        Ok(()) => versioned(
            StatusCode::CREATED,
            &AreaView::from(&area),
            Some(&format!("/api/v1/areas/{}", area.code)),
            area.version,
        ),
        Err(StoreError::Duplicate(_)) => Err(ApiError::conflict(format!("an area {} already exists", area.code))),
        Err(e) => Err(e.into()),
    }
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
    let (limit, after) = code_paging(q.limit, q.cursor.as_deref())?;
    let within = match optional_code_param("within", q.within.as_deref())? {
        None => None,
        Some(code) => match st.app.store.org().get_area(&code).await? {
            Some(u) => Some(u.path),
            None => {
                return Err(ApiError::invalid_parameter(
                    "within",
                    format!("there is no area {code}"),
                ));
            }
        },
    };
    let filter = NodeFilter {
        parent: optional_code_param("parent", q.parent.as_deref())?,
        within,
        text: q.q.as_deref().map(text::fold).filter(|t| !t.is_empty()),
        kind: q.kind.map(Into::into),
    };
    let items = st
        .app
        .store
        .org()
        .list_areas(&filter, after.as_deref(), limit + 1)
        .await?;
    let (items, next_cursor) = code_page(items, limit, |u: &Area| u.code.clone());
    Ok(Json(AreaPage {
        items: items.iter().map(AreaView::from).collect(),
        next_cursor,
    }))
}

/// One area, with its ancestry (`area_ancestry`: the area's code, then its
/// parent's, … up to the root), its ancestors and its direct children.
#[utoipa::path(
    get, path = "/api/v1/areas/{code}", tag = "organisation",
    params(("code" = String, Path, description = "The area's code")),
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
    let code = code_param("code", &code)?;
    let area = st
        .app
        .store
        .org()
        .get_area(&code)
        .await?
        .ok_or_else(|| ApiError::not_found("area"))?;
    versioned(StatusCode::OK, &detail(&st, &area).await?, None, area.version)
}

/// Rename, reclassify or move an area. A move takes everything below it along; moving a
/// an area below itself is refused (422 naming `parent_code`).
#[utoipa::path(
    patch, path = "/api/v1/areas/{code}", tag = "organisation",
    params(
        ("code" = String, Path, description = "The area's code"),
        ("If-Match" = String, Header, description = "The ETag from your last read, or * for any", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = AreaPatchBody,
    responses(
        (status = 200, description = "Updated", body = AreaView, headers(("ETag" = String))),
        MalformedBodyCodeOrIfMatch,
        AdminsOnly,
        NoSuchArea,
        ChangedBySomeoneElse,
        NotJson,
        InvalidOrBadMove,
        IfMatchMissing,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn update_area(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    if_match: IfMatch,
    json: ApiJson<AreaPatchBody>,
) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_org(), "manage areas")?;
    let code = code_param("code", &code)?;
    let current = st
        .app
        .store
        .org()
        .get_area(&code)
        .await?
        .ok_or_else(|| ApiError::not_found("area"))?;
    let change = Change::begin(&if_match, &current, st.app.now())?;
    let mut next = current.patched(json.body.into(), change.now)?;
    if next.unit_code != current.unit_code {
        known_unit(st.app.store.as_ref(), "unit_code", next.unit_code.as_deref()).await?;
    }
    if next.parent_code != current.parent_code {
        let parent = parent_path(&st, next.parent_code.as_deref()).await?;
        if parent.as_deref().is_some_and(|p| tree::would_cycle(&current.path, p)) {
            return Err(ApiError::invalid_field(
                "parent_code",
                format!(
                    "{} is below {}; an area cannot move below itself",
                    next.parent_code.unwrap_or_default(),
                    current.code
                ),
            ));
        }
        next = next.placed(parent.as_deref());
    }
    let entry = change.entry("area", current.id, &auth.0, &next);
    stored(
        st.app
            .store
            .org()
            .update_area(&next, current.version, &current.path, &entry)
            .await?,
    )?;
    versioned(StatusCode::OK, &AreaView::from(&next), None, next.version)
}
