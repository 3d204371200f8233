//! CSV import of units and areas: upsert by code, children may come before
//! their parents, bad lines are reported and never stop the good ones.
//!
//! The whole file is read first; the tree it leaves (stored nodes with the
//! file's lines applied, a code on several lines taking its last) is placed
//! in one pass, so a line whose parent is neither stored nor in the file —
//! or whose parents lead back to it — fails with everything below it.
//! Every node whose row changes (including descendants of a moved node) is
//! written in one transaction.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::audit::{self, AuditEntry};
use hotline_domain::org::tree::{self, Unplaced};
use hotline_domain::org::{Area, NodeInput, TreeWrite, Unit};
use hotline_domain::principal::Principal;
use serde_json::Value;

use crate::dto::customers::{CsvFile, ImportLineError, ImportReport};
use crate::dto::problems::{AdminsOnly, FileTooLarge, NotCsv, TreeChanged, Unavailable, UnreadableFile};
use crate::error::{ApiError, ApiResult, ProblemField};
use crate::extract::{Auth, is_csv_upload, media_type, read_body};
use crate::import::MAX_REPORTED_ERRORS;
use crate::state::AppState;

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

/// What the import needs of a unit or an area.
trait Node: Clone {
    const ENTITY: &'static str;
    fn code(&self) -> &str;
    fn parent(&self) -> Option<&str>;
    fn path(&self) -> &str;
    fn version(&self) -> i64;
    fn id(&self) -> uuid::Uuid;
    fn with_path(self, path: String) -> Self;
    fn same(&self, other: &Self) -> bool;
    fn replacing(self, existing: &Self, now: DateTime<Utc>) -> Self;
    fn view(&self) -> Value;
}

macro_rules! node {
    ($t:ty, $entity:literal) => {
        impl Node for $t {
            const ENTITY: &'static str = $entity;
            fn code(&self) -> &str {
                &self.code
            }
            fn parent(&self) -> Option<&str> {
                self.parent_code.as_deref()
            }
            fn path(&self) -> &str {
                &self.path
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn id(&self) -> uuid::Uuid {
                self.id
            }
            fn with_path(mut self, path: String) -> Self {
                self.path = path;
                self
            }
            fn same(&self, other: &Self) -> bool {
                self.same_content(other)
            }
            fn replacing(self, existing: &Self, now: DateTime<Utc>) -> Self {
                <$t>::replacing(self, existing, now)
            }
            fn view(&self) -> Value {
                self.audit_view()
            }
        }
    };
}
node!(Unit, "unit");
node!(Area, "area");

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

/// The lines of a file as `(line, column → value)`; bad lines go to `report`.
fn read_lines(file: &[u8], columns: &[&str], report: &mut Report) -> ApiResult<Vec<(u64, HashMap<String, String>)>> {
    let input = file.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(ApiError::malformed(format!("cannot read the file: {e}"))),
        None => {
            return Err(ApiError::malformed(format!(
                "the file is empty; the first line must name the columns: {}",
                columns.join(",")
            )));
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|n| String::from_utf8_lossy(n).trim().to_ascii_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if !columns.contains(&n.as_str()) {
            problems.push(ProblemField {
                field: if n.is_empty() {
                    format!("column {}", i + 1)
                } else {
                    n.clone()
                },
                message: format!("is not a known column; the columns are {}", columns.join(", ")),
            });
        } else if names[..i].contains(n) {
            problems.push(ProblemField {
                field: n.clone(),
                message: "is given twice".into(),
            });
        }
    }
    for required in ["code", "name"] {
        if !names.iter().any(|n| n == required) {
            problems.push(ProblemField {
                field: required.into(),
                message: "is a required column and is missing".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::malformed(format!(
            "the header row is not usable; it must name the columns {} (code and name required)",
            columns.join(", ")
        ))
        .with_errors(problems));
    }
    let mut out = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.fail(line, [("record".to_string(), format!("cannot be read: {e}"))]);
                continue;
            }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != names.len() {
            let message = format!("has {} fields; the header has {}", record.len(), names.len());
            report.fail(line, [("record".to_string(), message)]);
            continue;
        }
        let mut values = HashMap::new();
        let mut bad = Vec::new();
        for (name, raw) in names.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(v) => {
                    values.insert(name.clone(), v.to_string());
                }
                Err(_) => bad.push((name.clone(), "is not valid UTF-8 (save the file as UTF-8)".to_string())),
            }
        }
        if bad.is_empty() {
            out.push((line, values));
        } else {
            report.fail(line, bad);
        }
    }
    Ok(out)
}

struct Report(ImportReport);

impl Report {
    fn fail(&mut self, line: u64, errors: impl IntoIterator<Item = (String, String)>) {
        self.0.failed += 1;
        for (field, message) in errors {
            if self.0.errors.len() < MAX_REPORTED_ERRORS {
                self.0.errors.push(ImportLineError { line, field, message });
            }
        }
    }
}

fn field_errors(e: DomainError) -> Vec<(String, String)> {
    match e {
        DomainError::Validation(f) => f.into_iter().map(|f| (f.field, f.message)).collect(),
        other => vec![("record".into(), other.to_string())],
    }
}

fn node_input(mut v: HashMap<String, String>) -> Result<NodeInput, Vec<(String, String)>> {
    let urban = match v.get("urban").map(|s| s.trim().to_ascii_lowercase()) {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) if matches!(s.as_str(), "true" | "1" | "yes" | "x") => Some(true),
        Some(s) if matches!(s.as_str(), "false" | "0" | "no") => Some(false),
        Some(_) => return Err(vec![("urban".into(), "must be true or false".into())]),
    };
    Ok(NodeInput {
        code: v.remove("code"),
        name: v.remove("name"),
        parent_code: v.remove("parent_code"),
        kind: v.remove("kind"),
        former_names: v
            .remove("former_names")
            .map(|f| {
                f.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        urban,
        unit_code: v.remove("unit_code"),
    })
}

/// Places the file's nodes among the stored ones and works out what to
/// write. Fills the report's counts and line errors.
fn plan<N: Node>(
    stored: Vec<N>,
    lines: Vec<(u64, N)>,
    actor: &Principal,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Vec<TreeWrite<N>> {
    let stored: HashMap<String, N> = stored.into_iter().map(|n| (n.code().to_string(), n)).collect();
    let mut failed: HashMap<String, Unplaced> = HashMap::new();
    let mut placed;
    loop {
        let mut merged: HashMap<String, Option<String>> = stored
            .iter()
            .map(|(c, n)| (c.clone(), n.parent().map(str::to_string)))
            .collect();
        for (_, n) in &lines {
            if !failed.contains_key(n.code()) {
                merged.insert(n.code().to_string(), n.parent().map(str::to_string));
            }
        }
        let (p, f) = tree::place_all(&merged);
        placed = p;
        let incoming: HashSet<&str> = lines.iter().map(|(_, n)| n.code()).collect();
        let new_failures: Vec<(String, Unplaced)> = f
            .into_iter()
            .filter(|(c, _)| incoming.contains(c.as_str()) && !failed.contains_key(c))
            .collect();
        if new_failures.is_empty() {
            break;
        }
        failed.extend(new_failures);
    }

    // Lines in file order against the state each one finds.
    let mut current: HashMap<String, N> = stored.clone();
    for (line, n) in lines {
        if let Some(why) = failed.get(n.code()) {
            let message = match why {
                Unplaced::UnknownParent(p) => {
                    format!("there is no {} {p}, neither stored nor in the file", N::ENTITY)
                }
                Unplaced::Cycle => "its parents lead back to it".to_string(),
            };
            report.fail(line, [("parent_code".to_string(), message)]);
            continue;
        }
        let path = placed.get(n.code()).cloned().unwrap_or_default();
        let n = n.with_path(path);
        match current.get(n.code()) {
            Some(c) if c.same(&n) => report.0.unchanged += 1,
            Some(c) => {
                let next = n.replacing(c, now);
                current.insert(next.code().to_string(), next);
                report.0.updated += 1;
            }
            None => {
                current.insert(n.code().to_string(), n);
                report.0.created += 1;
            }
        }
    }

    // Every node whose row differs from the stored one, with its final path.
    let mut writes = Vec::new();
    let mut codes: Vec<&String> = current.keys().collect();
    codes.sort_unstable();
    for code in codes {
        let mut node = current[code].clone();
        let Some(path) = placed.get(code) else { continue };
        node = node.with_path(path.clone());
        match stored.get(code) {
            None => writes.push(TreeWrite {
                audit: AuditEntry::new(N::ENTITY, node.id(), "create", actor, now, node.view()),
                node,
                expected_version: None,
            }),
            Some(before) if before.same(&node) && before.path() == node.path() => {}
            Some(before) => {
                if node.version() == before.version() {
                    // Only its path moved, with an ancestor.
                    node = node.replacing(before, now);
                }
                writes.push(TreeWrite {
                    audit: AuditEntry::new(
                        N::ENTITY,
                        node.id(),
                        "update",
                        actor,
                        now,
                        audit::diff(&before.view(), &node.view()),
                    ),
                    expected_version: Some(before.version()),
                    node,
                })
            }
        }
    }
    writes
}

/// Reads a tree's CSV file, builds a node from each line with `create`
/// (which may also refuse it), and plans the writes against the stored
/// tree; the report lists the lines that failed. Shared by the unit and
/// area imports.
fn prepare<N: Node>(
    file: &[u8],
    columns: &[&str],
    stored: Vec<N>,
    actor: &Principal,
    create: impl Fn(NodeInput, DateTime<Utc>) -> Result<N, Vec<(String, String)>>,
) -> ApiResult<(Vec<TreeWrite<N>>, Report)> {
    let mut report = Report(ImportReport::default());
    let now = hotline_domain::time::now();
    let mut lines = Vec::new();
    for (line, values) in read_lines(file, columns, &mut report)? {
        match node_input(values).and_then(|i| create(i, now)) {
            Ok(node) => lines.push((line, node)),
            Err(e) => report.fail(line, e),
        }
    }
    let writes = plan(stored, lines, actor, now, &mut report);
    report.0.errors.sort_by_key(|e| e.line);
    Ok((writes, report))
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
    let stored = st.ports.org.all_units().await?;
    let create = |i, now| Unit::create(i, now).map_err(field_errors);
    let (writes, report) = prepare(&bytes, &UNIT_COLUMNS, stored, &auth.0, create)?;
    if !writes.is_empty() && !st.ports.org.write_units(&writes).await? {
        return Err(conflict());
    }
    Ok(Json(report.0))
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
    let stored = st.ports.org.all_areas().await?;
    // An area's unit must exist, as when it is added alone.
    let units: HashSet<String> = st.ports.org.all_units().await?.into_iter().map(|u| u.code).collect();
    let create = |i, now| {
        let area = Area::create(i, now).map_err(field_errors)?;
        match &area.unit_code {
            Some(u) if !units.contains(u) => Err(vec![("unit_code".to_string(), format!("there is no unit {u}"))]),
            _ => Ok(area),
        }
    };
    let (writes, report) = prepare(&bytes, &AREA_COLUMNS, stored, &auth.0, create)?;
    if !writes.is_empty() && !st.ports.org.write_areas(&writes).await? {
        return Err(conflict());
    }
    Ok(Json(report.0))
}
