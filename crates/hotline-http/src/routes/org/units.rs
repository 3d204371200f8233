//! `/api/v1/units`: the utility's units as a tree.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::org::{NodeFilter, Unit, tree};
use hotline_domain::text;

use super::{code_page, code_paging, code_param, optional_code_param, versioned};
use crate::dto::org::{NewUnitBody, NodeRef, UnitDetail, UnitListQuery, UnitPage, UnitPatchBody, UnitView};
use crate::dto::problems::{
    AdminsOnly, ChangedBySomeoneElse, CodeTaken, CrewsNotOrg, IfMatchMissing, InvalidFilter, InvalidOrBadMove,
    InvalidOrNoParent, MalformedBodyCodeOrIfMatch, MalformedCode, MalformedJson, NoSuchUnit, NotJson, Unavailable,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::routes::optimistic::{Change, stored};
use crate::state::AppState;

/// Children listed on a unit's page.
const MAX_CHILDREN: u64 = 1000;

async fn detail(st: &AppState, u: &Unit) -> ApiResult<UnitDetail> {
    let codes = tree::ancestors(&u.path);
    let found = st.app.store.org().units_by_code(&codes).await?;
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
    let children = st.app.store.org().list_units(&filter, None, MAX_CHILDREN).await?;
    Ok(UnitDetail {
        unit: UnitView::from(u),
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

/// The parent's path, or a 422 naming `parent_code` when there is no such unit.
async fn parent_path(st: &AppState, parent: Option<&str>) -> ApiResult<Option<String>> {
    let Some(code) = parent else { return Ok(None) };
    match st.app.store.org().get_unit(code).await? {
        Some(p) => Ok(Some(p.path)),
        None => Err(ApiError::invalid_field(
            "parent_code",
            format!("there is no unit {code}"),
        )),
    }
}

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
    let now = st.app.now();
    let unit = Unit::create(json.body.into(), now)?;
    let unit = unit
        .clone()
        .placed(parent_path(&st, unit.parent_code.as_deref()).await?.as_deref());
    let entry = AuditEntry::new("unit", unit.id, "create", &auth.0, now, unit.audit_view());
    match st.app.store.org().create_unit(&unit, &entry).await {
        Ok(()) => versioned(
            StatusCode::CREATED,
            &UnitView::from(&unit),
            Some(&format!("/api/v1/units/{}", unit.code)),
            unit.version,
        ),
        Err(StoreError::Duplicate(_)) => Err(ApiError::conflict(format!("a unit {} already exists", unit.code))),
        Err(e) => Err(e.into()),
    }
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
    let (limit, after) = code_paging(q.limit, q.cursor.as_deref())?;
    let within = match optional_code_param("within", q.within.as_deref())? {
        None => None,
        Some(code) => match st.app.store.org().get_unit(&code).await? {
            Some(u) => Some(u.path),
            None => {
                return Err(ApiError::invalid_parameter(
                    "within",
                    format!("there is no unit {code}"),
                ));
            }
        },
    };
    let filter = NodeFilter {
        parent: optional_code_param("parent", q.parent.as_deref())?,
        within,
        text: q.q.as_deref().map(text::fold).filter(|t| !t.is_empty()),
        kind: None,
    };
    let items = st
        .app
        .store
        .org()
        .list_units(&filter, after.as_deref(), limit + 1)
        .await?;
    let (items, next_cursor) = code_page(items, limit, |u: &Unit| u.code.clone());
    Ok(Json(UnitPage {
        items: items.iter().map(UnitView::from).collect(),
        next_cursor,
    }))
}

/// One unit, with its ancestors (parent first) and direct children.
#[utoipa::path(
    get, path = "/api/v1/units/{code}", tag = "organisation",
    params(("code" = String, Path, description = "The unit's code")),
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
    let code = code_param("code", &code)?;
    let unit = st
        .app
        .store
        .org()
        .get_unit(&code)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    versioned(StatusCode::OK, &detail(&st, &unit).await?, None, unit.version)
}

/// Rename or move a unit. A move takes everything below it along; moving a
/// unit below itself is refused (422 naming `parent_code`).
#[utoipa::path(
    patch, path = "/api/v1/units/{code}", tag = "organisation",
    params(
        ("code" = String, Path, description = "The unit's code"),
        ("If-Match" = String, Header, description = "The ETag from your last read, or * for any", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = UnitPatchBody,
    responses(
        (status = 200, description = "Updated", body = UnitView, headers(("ETag" = String))),
        MalformedBodyCodeOrIfMatch,
        AdminsOnly,
        NoSuchUnit,
        ChangedBySomeoneElse,
        NotJson,
        InvalidOrBadMove,
        IfMatchMissing,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn update_unit(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    if_match: IfMatch,
    json: ApiJson<UnitPatchBody>,
) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_org(), "manage units")?;
    let code = code_param("code", &code)?;
    let current = st
        .app
        .store
        .org()
        .get_unit(&code)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    let change = Change::begin(&if_match, &current, st.app.now())?;
    let mut next = current.patched(json.body.into(), change.now)?;
    if next.parent_code != current.parent_code {
        let parent = parent_path(&st, next.parent_code.as_deref()).await?;
        if parent.as_deref().is_some_and(|p| tree::would_cycle(&current.path, p)) {
            return Err(ApiError::invalid_field(
                "parent_code",
                format!(
                    "{} is below {}; a unit cannot move below itself",
                    next.parent_code.unwrap_or_default(),
                    current.code
                ),
            ));
        }
        next = next.placed(parent.as_deref());
    }
    let entry = change.entry("unit", current.id, &auth.0, &next);
    stored(
        st.app
            .store
            .org()
            .update_unit(&next, current.version, &current.path, &entry)
            .await?,
    )?;
    versioned(StatusCode::OK, &UnitView::from(&next), None, next.version)
}
