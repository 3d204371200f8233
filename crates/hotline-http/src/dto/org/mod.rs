//! Units, areas and teams: bodies, views and list filters.

use chrono::{DateTime, Utc};
use hotline_domain::org::{Area, AreaKind, NodeInput, NodePatch, Shift, Team, TeamInput, TeamPatch, Unit};
use hotline_domain::user::User;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::{CategoryDto, RoleDto};
use super::present;
use crate::dto::page::{NULL_ON_LAST, Page, Paged};

/// What level of government an area is (former districts are kept as `district`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AreaKind)]
pub enum AreaKindDto {
    Province,
    District,
    Commune,
    Ward,
    SpecialZone,
    Other,
}

impl From<AreaKind> for AreaKindDto {
    fn from(k: AreaKind) -> Self {
        match k {
            AreaKind::Province => AreaKindDto::Province,
            AreaKind::District => AreaKindDto::District,
            AreaKind::Commune => AreaKindDto::Commune,
            AreaKind::Ward => AreaKindDto::Ward,
            AreaKind::SpecialZone => AreaKindDto::SpecialZone,
            AreaKind::Other => AreaKindDto::Other,
        }
    }
}

impl From<AreaKindDto> for AreaKind {
    fn from(k: AreaKindDto) -> Self {
        match k {
            AreaKindDto::Province => AreaKind::Province,
            AreaKindDto::District => AreaKind::District,
            AreaKindDto::Commune => AreaKind::Commune,
            AreaKindDto::Ward => AreaKind::Ward,
            AreaKindDto::SpecialZone => AreaKind::SpecialZone,
            AreaKindDto::Other => AreaKind::Other,
        }
    }
}

/// A unit to add. Codes are upper-cased: letters, digits, `-`, `_`, `.`, at most 32.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnitBody {
    #[schema(example = "PC15LL")]
    pub code: String,
    #[schema(example = "Điện lực Lộc Ninh")]
    pub name: String,
    /// The unit above; must exist. Omit or `null` for the root.
    #[schema(example = "PC15")]
    pub parent_code: Option<String>,
}

impl From<NewUnitBody> for NodeInput {
    fn from(b: NewUnitBody) -> Self {
        NodeInput {
            code: Some(b.code),
            name: Some(b.name),
            parent_code: b.parent_code,
            ..Default::default()
        }
    }
}

/// Changes to a unit: `parent_code` moves it (and everything below it);
/// `null` makes it a root. A move below itself is refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatchBody {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub parent_code: Option<Option<String>>,
}

impl From<UnitPatchBody> for NodePatch {
    fn from(b: UnitPatchBody) -> Self {
        NodePatch {
            name: b.name,
            parent_code: b.parent_code,
            ..Default::default()
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitView {
    pub id: Uuid,
    #[schema(example = "PC15LL")]
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    /// The codes from the root down to this unit.
    #[schema(example = "/EVNSPC/PC15/PC15LL/")]
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases with every change; the ETag is this number in quotes.
    pub version: i64,
}

impl From<&Unit> for UnitView {
    fn from(u: &Unit) -> Self {
        UnitView {
            id: u.id,
            code: u.code.to_string(),
            name: u.name.clone(),
            parent_code: u.parent_code.as_ref().map(ToString::to_string),
            path: u.path.clone(),
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        }
    }
}

/// A unit or area named by code.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeRef {
    pub code: String,
    pub name: String,
}

/// A unit with its ancestors (parent first) and direct children (by code).
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDetail {
    #[serde(flatten)]
    pub unit: UnitView,
    pub ancestors: Vec<NodeRef>,
    pub children: Vec<NodeRef>,
}

pub type UnitPage = Page<UnitView>;

impl Paged for UnitView {
    const PAGE: &'static str = "UnitPage";
    const NEXT_CURSOR: Option<&'static str> = NULL_ON_LAST;
}

/// Filters for units, in code order.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnitListQuery {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    /// Direct children of this unit.
    pub parent: Option<String>,
    /// This unit and everything below it.
    pub within: Option<String>,
    /// Code or name, without diacritics or case.
    pub q: Option<String>,
}

/// An area to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAreaBody {
    #[schema(example = "CM-TT")]
    pub code: String,
    #[schema(example = "Xã Tân Thành")]
    pub name: String,
    pub kind: AreaKindDto,
    /// The area above; must exist. Omit or `null` for a root.
    #[schema(example = "CM")]
    pub parent_code: Option<String>,
    /// Names it had before, searchable too (`Huyện Đầm Dơi`).
    #[serde(default)]
    pub former_names: Vec<String>,
    /// Urban (`true`) or rural (default) for the service-level targets.
    pub urban: Option<bool>,
    /// The unit that serves the area; must exist. Omit to inherit the
    /// parent area's. Work orders opened in the area belong to this unit
    /// until a team takes them.
    #[schema(example = "PC15")]
    pub unit_code: Option<String>,
}

impl From<NewAreaBody> for NodeInput {
    fn from(b: NewAreaBody) -> Self {
        NodeInput {
            code: Some(b.code),
            name: Some(b.name),
            parent_code: b.parent_code,
            kind: Some(AreaKind::from(b.kind).as_str().to_string()),
            former_names: b.former_names,
            urban: b.urban,
            unit_code: b.unit_code,
        }
    }
}

/// Changes to an area; `parent_code` moves it with everything below it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaPatchBody {
    pub name: Option<String>,
    pub kind: Option<AreaKindDto>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub parent_code: Option<Option<String>>,
    /// Replaces the former names.
    pub former_names: Option<Vec<String>>,
    pub urban: Option<bool>,
    /// The unit that serves the area; `null` to inherit the parent area's.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub unit_code: Option<Option<String>>,
}

impl From<AreaPatchBody> for NodePatch {
    fn from(b: AreaPatchBody) -> Self {
        NodePatch {
            name: b.name,
            parent_code: b.parent_code,
            kind: b.kind.map(|k| AreaKind::from(k).as_str().to_string()),
            former_names: b.former_names,
            urban: b.urban,
            unit_code: b.unit_code,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaView {
    pub id: Uuid,
    #[schema(example = "CM-TT")]
    pub code: String,
    pub name: String,
    pub kind: AreaKindDto,
    pub parent_code: Option<String>,
    pub former_names: Vec<String>,
    /// Town centre (true) or rural (false); null when not known (a
    /// household's new supply there must then name its `supply_type`).
    pub urban: Option<bool>,
    /// The unit named on this area; `null` when it inherits its parent's
    /// (see `served_by` on the area's own page).
    pub unit_code: Option<String>,
    #[schema(example = "/CM/CM-TT/")]
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&Area> for AreaView {
    fn from(a: &Area) -> Self {
        AreaView {
            id: a.id,
            code: a.code.to_string(),
            name: a.name.clone(),
            kind: a.kind.into(),
            parent_code: a.parent_code.as_ref().map(ToString::to_string),
            former_names: a.former_names.clone(),
            urban: a.urban,
            unit_code: a.unit_code.as_ref().map(ToString::to_string),
            path: a.path.clone(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}

/// An area with its ancestry and direct children.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaDetail {
    #[serde(flatten)]
    pub area: AreaView,
    /// The area's code, then its parent's, … up to the root: the order
    /// routing walks.
    #[schema(example = json!(["CM-TT", "CM"]))]
    pub area_ancestry: Vec<String>,
    /// The unit serving the area: its own `unit_code`, else the closest
    /// ancestor's; `null` when no unit serves it.
    pub served_by: Option<String>,
    /// Parent first.
    pub ancestors: Vec<NodeRef>,
    pub children: Vec<NodeRef>,
}

pub type AreaPage = Page<AreaView>;

impl Paged for AreaView {
    const PAGE: &'static str = "AreaPage";
}

/// Filters for areas, in code order.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AreaListQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    pub cursor: Option<String>,
    /// Direct children of this area.
    pub parent: Option<String>,
    /// This area and everything below it.
    pub within: Option<String>,
    /// Code, name or a former name, without diacritics or case (`ca mau`).
    pub q: Option<String>,
    pub kind: Option<AreaKindDto>,
}

/// A field team to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeamBody {
    #[schema(example = "PC15LL01")]
    pub code: String,
    #[schema(example = "Tổ trực vận hành 1")]
    pub name: String,
    /// Its unit; must exist (a supervisor only within their own unit's subtree).
    #[schema(example = "PC15LL")]
    pub unit_code: String,
    /// The areas it serves (each with its subtree); each must exist.
    #[serde(default)]
    pub area_codes: Vec<String>,
    /// The categories it handles.
    #[serde(default)]
    pub skills: Vec<CategoryDto>,
    /// Open work orders it takes at once, 1–10000 (default 1).
    pub capacity: Option<u32>,
    /// Any written form; stored as E.164.
    #[schema(example = "0912 345 678")]
    pub contact_number: Option<String>,
}

impl From<NewTeamBody> for TeamInput {
    fn from(b: NewTeamBody) -> Self {
        TeamInput {
            code: Some(b.code),
            name: Some(b.name),
            unit_code: Some(b.unit_code),
            area_codes: b.area_codes,
            skills: b.skills.into_iter().map(Into::into).collect(),
            capacity: b.capacity,
            contact_number: b.contact_number,
        }
    }
}

/// Changes to a team; lists replace the old ones; `contact_number: null` clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatchBody {
    pub name: Option<String>,
    pub unit_code: Option<String>,
    pub area_codes: Option<Vec<String>>,
    pub skills: Option<Vec<CategoryDto>>,
    pub capacity: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub contact_number: Option<Option<String>>,
}

impl From<TeamPatchBody> for TeamPatch {
    fn from(b: TeamPatchBody) -> Self {
        TeamPatch {
            name: b.name,
            unit_code: b.unit_code,
            area_codes: b.area_codes,
            skills: b.skills.map(|s| s.into_iter().map(Into::into).collect()),
            capacity: b.capacity,
            contact_number: b.contact_number,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub unit_code: String,
    pub area_codes: Vec<String>,
    pub skills: Vec<CategoryDto>,
    pub capacity: u32,
    /// E.164.
    #[schema(example = "+84912345678")]
    pub contact_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&Team> for TeamView {
    fn from(t: &Team) -> Self {
        TeamView {
            id: t.id,
            code: t.code.to_string(),
            name: t.name.clone(),
            unit_code: t.unit_code.to_string(),
            area_codes: t.area_codes.iter().map(ToString::to_string).collect(),
            skills: t.skills.iter().map(|s| (*s).into()).collect(),
            capacity: t.capacity,
            contact_number: t.contact_number.as_ref().map(|n| n.as_str().to_string()),
            created_at: t.created_at,
            updated_at: t.updated_at,
            version: t.version,
        }
    }
}

/// A user in a team.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub id: Uuid,
    pub username: String,
    pub role: RoleDto,
    pub disabled: bool,
}

impl From<&User> for MemberView {
    fn from(u: &User) -> Self {
        MemberView {
            id: u.id,
            username: u.username.clone(),
            role: u.role.into(),
            disabled: u.disabled,
        }
    }
}

/// A team with its members and whether it is on call now.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamDetail {
    #[serde(flatten)]
    pub team: TeamView,
    /// Users whose `team_code` is this team, by username.
    pub members: Vec<MemberView>,
    /// On its on-call roster right now.
    pub on_shift: bool,
}

pub type TeamPage = Page<TeamView>;

impl Paged for TeamView {
    const PAGE: &'static str = "TeamPage";
}

/// Filters for teams, in code order.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TeamListQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    pub cursor: Option<String>,
    /// Teams of this unit or any unit below it.
    pub unit: Option<String>,
    /// Teams serving this area (as listed on the team).
    pub area: Option<String>,
    /// Teams with this skill.
    pub skill: Option<CategoryDto>,
}

/// One on-call shift, `[starts_at, ends_at)`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftBody {
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`.
    pub ends_at: DateTime<Utc>,
}

impl From<&ShiftBody> for Shift {
    fn from(s: &ShiftBody) -> Self {
        Shift {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
        }
    }
}

impl From<&Shift> for ShiftBody {
    fn from(s: &Shift) -> Self {
        ShiftBody {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
        }
    }
}

/// A team's whole on-call roster (replaces the stored one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterBody {
    /// RFC 3339 instants; at most 2000 shifts.
    pub shifts: Vec<ShiftBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterView {
    pub team_code: String,
    /// Earliest first.
    pub shifts: Vec<ShiftBody>,
}

/// The window of shifts to list (RFC 3339); default from now for 7 days.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShiftQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}
