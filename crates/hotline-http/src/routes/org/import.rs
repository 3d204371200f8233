//! CSV import of units and areas over HTTP: the file's content type and
//! size, and the report as JSON. Reading and planning the file is
//! [`hotline_app::trees::import`].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use hotline_app::trees::import;

use crate::dto::customers::{CsvFile, ImportReport};
use crate::dto::problems::TreeImportRefusals;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, is_csv_upload, media_type, read_body};
use crate::state::AppState;

/// The uploaded file, once the caller may import (checked before the body
/// is read, so a refused caller uploads nothing) and it is declared as CSV.
async fn upload(st: &AppState, auth: &Auth, req: Request, what: &str) -> ApiResult<Bytes> {
    auth.require(auth.0.role.can_manage_org(), what)?;
    require_csv(&req)?;
    read_body(req, st).await
}

/// 415 unless the body is declared as a CSV file.
fn require_csv(req: &Request) -> ApiResult<()> {
    if is_csv_upload(&media_type(req.headers())) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            "send the file as text/csv or application/octet-stream (UTF-8)",
        ))
    }
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
        TreeImportRefusals,
    ),
    security(("bearer" = []))
)]
pub async fn import_units(State(st): State<AppState>, auth: Auth, req: Request) -> ApiResult<Json<ImportReport>> {
    let bytes = upload(&st, &auth, req, "import units").await?;
    Ok(Json(import::import_units(&st.app, &auth.0, &bytes).await?.into()))
}

/// Import areas from CSV.
///
/// The raw file as `text/csv` or `application/octet-stream` (UTF-8), header
/// row `code,name,kind,parent_code,former_names,urban,unit_code`
/// (any order and case; `code`, `name` required, `kind` required on each
/// line); `former_names` separated by `;`; `urban` `true`/`false` (empty:
/// not known, or kept on an area already there); `unit_code` the unit serving the area, which must exist (empty:
/// inherited from the parent area). Same rules as the unit import. Admins
/// only.
#[utoipa::path(
    post, path = "/api/v1/areas/import", tag = "organisation",
    request_body(content = CsvFile, content_type = "application/octet-stream", description = "The CSV file (also taken as text/csv)",
        example = "code,name,kind,parent_code,former_names,urban,unit_code\nCM-TT,Xã Tân Thành,commune,CM,Huyện Đầm Dơi,false,\nCM,Tỉnh Cà Mau,province,,,,PC15\n"),
    responses(
        (status = 200, description = "What was imported, and why the other lines were not", body = ImportReport),
        TreeImportRefusals,
    ),
    security(("bearer" = []))
)]
pub async fn import_areas(State(st): State<AppState>, auth: Auth, req: Request) -> ApiResult<Json<ImportReport>> {
    let bytes = upload(&st, &auth, req, "import areas").await?;
    Ok(Json(import::import_areas(&st.app, &auth.0, &bytes).await?.into()))
}
