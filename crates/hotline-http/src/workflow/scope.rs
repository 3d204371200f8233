//! Which units' records a caller sees: everything for admins and for users
//! not placed in a unit; otherwise their unit's subtree. One rule for the
//! work-order list, the reports and the live stream.

use hotline_domain::org::NodeFilter;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;

use crate::error::ApiResult;
use crate::state::AppState;

/// Units a subtree may hold, at most (the organisation's size, with room).
const MAX_UNITS: u64 = 10_000;

/// The path of the caller's subtree; None when they see every unit.
pub async fn unit_scope(st: &AppState, who: &Principal) -> ApiResult<Option<String>> {
    if who.role == Role::Admin {
        return Ok(None);
    }
    let Some(code) = &who.unit_code else { return Ok(None) };
    let unit = st.ports.org.get_unit(code).await?;
    // A unit deleted under a user leaves them seeing nothing of other units.
    Ok(Some(unit.map(|u| u.path).unwrap_or_else(|| format!("/{code}/"))))
}

/// The codes of the units at and below the unit at `path`.
pub async fn units_within(st: &AppState, path: String) -> ApiResult<Vec<String>> {
    let filter = NodeFilter {
        within: Some(path),
        ..Default::default()
    };
    let units = st.ports.org.list_units(&filter, None, MAX_UNITS).await?;
    Ok(units.into_iter().map(|u| u.code).collect())
}

/// The codes of the units whose records the caller sees; None for all.
pub async fn visible_units(st: &AppState, who: &Principal) -> ApiResult<Option<Vec<String>>> {
    match unit_scope(st, who).await? {
        None => Ok(None),
        Some(root) => Ok(Some(units_within(st, root).await?)),
    }
}
