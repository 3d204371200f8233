//! Which units' records a caller sees: everything for admins and for
//! principals not placed in a unit; otherwise their unit's subtree, and
//! records placed in no unit only when that unit is a root (the centre).
//! One rule for the work-order reads, the reports and the live stream.

use hotline_domain::org::{NodeFilter, UnitScope, tree};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;

use crate::App;
use crate::AppResult;

/// Units a subtree may hold, at most (the organisation's size, with room).
const MAX_UNITS: u64 = 10_000;

/// The path of the caller's subtree; None when they see every unit.
pub async fn unit_scope(app: &App, who: &Principal) -> AppResult<Option<String>> {
    // An admin user sees everything; an API key placed in a unit is
    // limited to its subtree whatever its role.
    if who.role == Role::Admin && (who.kind == PrincipalKind::User || who.unit_code.is_none()) {
        return Ok(None);
    }
    let Some(code) = &who.unit_code else { return Ok(None) };
    let unit = app.store.org().get_unit(code).await?;
    // A unit deleted under a user leaves them seeing nothing of other units
    // (a path below a root that no unit has).
    Ok(Some(unit.map(|u| u.path).unwrap_or_else(|| format!("/{code}/{code}/"))))
}

/// Whether a record of the unit at `unit_path` (None: placed in no unit)
/// lies in the subtree at `scope` (None: everything).
pub fn admits(scope: Option<&str>, unit_path: Option<&str>) -> bool {
    match (scope, unit_path) {
        (None, _) => true,
        (Some(root), Some(path)) => tree::is_within(path, root),
        (Some(root), None) => tree::is_root(root),
    }
}

/// The codes of the units at and below the unit at `path`.
pub async fn units_within(app: &App, path: String) -> AppResult<Vec<String>> {
    let filter = NodeFilter {
        within: Some(path),
        ..Default::default()
    };
    let units = app.store.org().list_units(&filter, None, MAX_UNITS).await?;
    Ok(units.into_iter().map(|u| u.code.into_string()).collect())
}

/// The units whose records the caller sees; None for all.
pub async fn visible_units(app: &App, who: &Principal) -> AppResult<Option<UnitScope>> {
    match unit_scope(app, who).await? {
        None => Ok(None),
        Some(root) => Ok(Some(UnitScope {
            unplaced: tree::is_root(&root),
            units: units_within(app, root).await?,
        })),
    }
}

/// Whether the caller sees records of the unit `code` (None: of no unit).
pub async fn sees_unit(app: &App, who: &Principal, code: Option<&str>) -> AppResult<bool> {
    let Some(scope) = unit_scope(app, who).await? else {
        return Ok(true);
    };
    let path = match code {
        None => None,
        // A unit that no longer exists is in nobody's subtree.
        Some(c) => Some(app.store.org().get_unit(c).await?.map_or_else(String::new, |u| u.path)),
    };
    Ok(admits(Some(&scope), path.as_deref()))
}
