//! CSV import of units and areas: upsert by code, children may come before
//! their parents, bad lines are reported and never stop the good ones.
//!
//! The whole file is read first; the tree it leaves (stored nodes with the
//! file's lines applied, a code on several lines taking its last) is placed
//! in one pass, so a line whose parent is neither stored nor in the file —
//! or whose parents lead back to it — fails with everything below it.
//! Every node whose row changes (including descendants of a moved node) is
//! written in one transaction.

mod lines;
mod plan;

use std::collections::HashSet;

use hotline_domain::DomainError;
use hotline_domain::org::{Area, Unit};
use hotline_domain::principal::Principal;

use super::TreeKind;
use crate::App;
use crate::import::{ImportError, ImportReport, field_errors};
use crate::roles;
use lines::{node_input, read_lines};
use plan::plan;

/// The columns of a unit file.
pub const UNIT_COLUMNS: [&str; 3] = ["code", "name", "parent_code"];
/// The columns of an area file.
pub const AREA_COLUMNS: [&str; 7] = [
    "code",
    "name",
    "kind",
    "parent_code",
    "former_names",
    "urban",
    "unit_code",
];

/// Imports a unit file (`code,name,parent_code`) as `actor`, an admin.
pub async fn import_units(app: &App, actor: &Principal, file: &[u8]) -> Result<ImportReport, ImportError> {
    roles::require(actor, actor.role.can_manage_org(), "import units")?;
    import_file::<Unit>(app, actor, file, &UNIT_COLUMNS, |_| Ok(())).await
}

/// Imports an area file ([`AREA_COLUMNS`]) as `actor`, an admin. An area's
/// unit must exist, as when it is added alone.
pub async fn import_areas(app: &App, actor: &Principal, file: &[u8]) -> Result<ImportReport, ImportError> {
    roles::require(actor, actor.role.can_manage_org(), "import areas")?;
    let units: HashSet<String> = app
        .store
        .org()
        .all_units()
        .await
        .map_err(ImportError::Store)?
        .into_iter()
        .map(|u| u.code.into_string())
        .collect();
    let accept = |area: &Area| match &area.unit_code {
        Some(u) if !units.contains(u.as_str()) => Err(vec![("unit_code".to_string(), format!("there is no unit {u}"))]),
        _ => Ok(()),
    };
    import_file(app, actor, file, &AREA_COLUMNS, accept).await
}

/// Imports a tree's CSV file: builds a node from each line (which `accept`
/// may still refuse), plans the writes against the stored tree and writes
/// them in one transaction; the report lists the lines that failed. Shared
/// by the unit and area imports.
async fn import_file<N: TreeKind>(
    app: &App,
    actor: &Principal,
    file: &[u8],
    columns: &[&str],
    accept: impl Fn(&N) -> Result<(), Vec<(String, String)>>,
) -> Result<ImportReport, ImportError> {
    let stored = N::all(app.store.org()).await.map_err(ImportError::Store)?;
    let now = app.now();
    let mut report = ImportReport::default();
    let mut lines = Vec::new();
    for (line, values) in read_lines(file, columns, &mut report)? {
        let node = node_input(values)
            .and_then(|i| N::create(i, now).map_err(field_errors))
            .and_then(|n| accept(&n).map(|()| n));
        match node {
            Ok(node) => lines.push((line, node)),
            Err(e) => report.fail(line, e),
        }
    }
    let writes = plan(stored, lines, actor, now, &mut report);
    report.errors.sort_by_key(|e| e.line);
    if !writes.is_empty() && !N::write(app.store.org(), &writes).await.map_err(ImportError::Store)? {
        return Err(DomainError::Conflict(
            "the tree changed while the file was being imported; import it again".into(),
        )
        .into());
    }
    Ok(report)
}
