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

use axum::Json;
use axum::extract::{Request, State};
use hotline_app::trees::TreeKind;
use hotline_domain::org::{Area, Unit};
use hotline_domain::principal::Principal;

use crate::dto::customers::{CsvFile, ImportReport};
use crate::dto::problems::{AdminsOnly, FileTooLarge, NotCsv, TreeChanged, Unavailable, UnreadableFile};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, read_body};
use crate::state::AppState;
use lines::{Report, field_errors, node_input, read_lines, require_csv};
use plan::plan;

const UNIT_COLUMNS: [&str; 3] = ["code", "name", "parent_code"];
const AREA_COLUMNS: [&str; 7] = [
    "code",
    "name",
    "kind",
    "parent_code",
    "former_names",
    "urban",
    "unit_code",
];

/// Imports a tree's CSV file: builds a node from each line (which `accept`
/// may still refuse), plans the writes against the stored tree and writes
/// them in one transaction; the report lists the lines that failed. Shared
/// by the unit and area imports.
async fn import_file<N: TreeKind>(
    st: &AppState,
    actor: &Principal,
    file: &[u8],
    columns: &[&str],
    accept: impl Fn(&N) -> Result<(), Vec<(String, String)>>,
) -> ApiResult<ImportReport> {
    let stored = N::all(st.app.store.org()).await?;
    let now = st.app.now();
    let mut report = Report(ImportReport::default());
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
    report.0.errors.sort_by_key(|e| e.line);
    if !writes.is_empty() && !N::write(st.app.store.org(), &writes).await? {
        return Err(conflict());
    }
    Ok(report.0)
}

fn conflict() -> ApiError {
    ApiError::conflict("the tree changed while the file was being imported; import it again")
}

/// Import units from CSV.
///
/// The raw file as `text/csv` or `application/octet-stream` (UTF-8), header row `code,name,parent_code` (any order and
/// case; `code` and `name` required). Upserts by code; a parent may come
/// later in the file than its children; a line whose parent is neither
/// stored nor in the file fails (and so do its children). A code on several
/// lines: the last one wins. Admins only.
#[utoipa::path(
    post, path = "/api/v1/units/import", tag = "organisation",
    request_body(content = CsvFile, content_type = "application/octet-stream", description = "The CSV file (also taken as text/csv)",
        example = "code,name,parent_code\nPC15LL,Điện lực Lộc Ninh,PC15\nPC15,Công ty Điện lực Bình Phước,EVNSPC\n"),
    responses(
        (status = 200, description = "What was imported, and why the other lines were not", body = ImportReport),
        UnreadableFile,
        AdminsOnly,
        TreeChanged,
        FileTooLarge,
        NotCsv,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn import_units(State(st): State<AppState>, auth: Auth, req: Request) -> ApiResult<Json<ImportReport>> {
    auth.require(auth.0.role.can_manage_org(), "import units")?;
    require_csv(&req)?;
    let bytes = read_body(req, &st).await?;
    Ok(Json(
        import_file::<Unit>(&st, &auth.0, &bytes, &UNIT_COLUMNS, |_| Ok(())).await?,
    ))
}

/// Import areas from CSV.
///
/// The raw file as `text/csv` or `application/octet-stream` (UTF-8), header
/// row `code,name,kind,parent_code,former_names,urban,unit_code`
/// (any order and case; `code`, `name` required, `kind` required on each
/// line); `former_names` separated by `;`; `urban` `true`/`false` (empty:
/// rural); `unit_code` the unit serving the area, which must exist (empty:
/// inherited from the parent area). Same rules as the unit import. Admins
/// only.
#[utoipa::path(
    post, path = "/api/v1/areas/import", tag = "organisation",
    request_body(content = CsvFile, content_type = "application/octet-stream", description = "The CSV file (also taken as text/csv)",
        example = "code,name,kind,parent_code,former_names,urban,unit_code\nCM-TT,Xã Tân Thành,commune,CM,Huyện Đầm Dơi,false,\nCM,Tỉnh Cà Mau,province,,,,PC15\n"),
    responses(
        (status = 200, description = "What was imported, and why the other lines were not", body = ImportReport),
        UnreadableFile,
        AdminsOnly,
        TreeChanged,
        FileTooLarge,
        NotCsv,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn import_areas(State(st): State<AppState>, auth: Auth, req: Request) -> ApiResult<Json<ImportReport>> {
    auth.require(auth.0.role.can_manage_org(), "import areas")?;
    require_csv(&req)?;
    let bytes = read_body(req, &st).await?;
    // An area's unit must exist, as when it is added alone.
    let units: HashSet<String> = st
        .app
        .store
        .org()
        .all_units()
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    let accept = |area: &Area| match &area.unit_code {
        Some(u) if !units.contains(u) => Err(vec![("unit_code".to_string(), format!("there is no unit {u}"))]),
        _ => Ok(()),
    };
    Ok(Json(import_file(&st, &auth.0, &bytes, &AREA_COLUMNS, accept).await?))
}
