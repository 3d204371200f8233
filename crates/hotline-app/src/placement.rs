//! Which unit a record belongs to. An area is served by the closest unit
//! named on it or above it; a work order belongs to the unit it was opened
//! in (given, its area's, its customer's, or the opener's) until a team
//! takes it, and then to the team's unit; an incident belongs to the unit
//! serving all of its areas.

use hotline_domain::customer::CustomerFilter;
use hotline_domain::org::{Team, owner_unit, tree};
use hotline_domain::principal::Principal;
use hotline_domain::work_order::WorkOrder;

use hotline_domain::ports::Store;
use hotline_domain::{AreaCode, DomainError, UnitCode};

use crate::AppResult;

/// The unit serving the area `code`; None for an unknown area or one that
/// no unit owns, itself or above.
pub async fn area_owner(store: &dyn Store, code: &str) -> AppResult<Option<UnitCode>> {
    let Some(area) = store.org().get_area(code).await? else {
        return Ok(None);
    };
    if area.unit_code.is_some() {
        return Ok(area.unit_code);
    }
    let ancestry = area.ancestry();
    let above = store.org().areas_by_code(&ancestry[1..]).await?;
    Ok(owner_unit(&ancestry, &above))
}

/// Every code must name an area of the organisation (422 naming
/// `area_codes`, listing the unknown ones).
pub async fn known_areas(store: &dyn Store, areas: &[AreaCode]) -> AppResult<()> {
    let known = store.org().areas_by_code(&crate::texts(areas)).await?;
    let unknown: Vec<&str> = areas
        .iter()
        .filter(|c| !known.iter().any(|a| &a.code == *c))
        .map(AreaCode::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "area_codes",
            format!("unknown areas: {}", unknown.join(", ")),
        ))
    }
}

/// Checks that the unit named in `field` exists (422 naming the field).
pub async fn known_unit(store: &dyn Store, field: &str, code: Option<&str>) -> AppResult<()> {
    if let Some(c) = code
        && store.org().get_unit(c).await?.is_none()
    {
        return Err(DomainError::invalid(field, format!("there is no unit {c}")));
    }
    Ok(())
}

/// The team named in `team_code`, which must exist (422 naming the field).
pub async fn known_team(store: &dyn Store, code: &str) -> AppResult<Team> {
    store
        .org()
        .get_team(code)
        .await?
        .ok_or_else(|| DomainError::invalid("team_code", format!("there is no team {code}")))
}

/// Places a new work order: the unit given (which must exist), else its
/// area's owner, else its customer's unit, else the opener's.
pub async fn place(store: &dyn Store, who: &Principal, mut wo: WorkOrder) -> AppResult<WorkOrder> {
    if wo.unit_code.is_some() {
        known_unit(store, "unit_code", wo.unit_code.as_deref()).await?;
        return Ok(wo);
    }
    if let Some(area) = &wo.area_code {
        wo.unit_code = area_owner(store, area).await?;
    }
    if wo.unit_code.is_none()
        && let Some(code) = &wo.customer_code
    {
        let filter = CustomerFilter {
            code: Some(code.to_string()),
            ..Default::default()
        };
        let found = store.customers().list(&filter, None, 1).await?;
        wo.unit_code = found.items.into_iter().next().and_then(|c| c.unit_code);
    }
    if wo.unit_code.is_none() {
        wo.unit_code.clone_from(&who.unit_code);
    }
    Ok(wo)
}

/// The unit serving all of `areas`: the closest unit at or above every
/// owner. None when no area is owned, or the owners share no unit.
pub async fn areas_unit(store: &dyn Store, areas: &[AreaCode]) -> AppResult<Option<UnitCode>> {
    let mut owners = Vec::new();
    for code in areas {
        if let Some(owner) = area_owner(store, code).await?
            && !owners.contains(&owner)
        {
            owners.push(owner);
        }
    }
    if owners.len() <= 1 {
        return Ok(owners.pop());
    }
    let owners: Vec<String> = owners.iter().map(ToString::to_string).collect();
    let units = store.org().units_by_code(&owners).await?;
    Ok(tree::common_ancestor(units.iter().map(|u| u.path.as_str())).map(UnitCode::stored))
}
