//! The organisation: units (corporation → provincial company → local office
//! → team level), areas (province → commune, former districts kept), and
//! field teams with their on-call rosters.
//!
//! Units and areas are trees stored with a materialised path (see
//! [`tree`]): "this unit and everything below" is one prefix query. What
//! they share as nodes (creating, changing, re-importing, auditing) is
//! [`TreeNode`], so the tree's use cases and import are written once.

pub mod node;
pub mod scope;
pub mod team;
pub mod tree;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::audit::AuditEntry;
use crate::codes::{AreaCode, UnitCode};
use crate::principal::Principal;
use crate::text;
use crate::user::User;
use crate::validation::{Validation, optional_text};

pub use crate::ports::OrgStore;
pub use node::TreeNode;
pub use scope::UnitScope;
pub use team::{Shift, Team, TeamFilter, TeamInput, TeamPatch};

pub const MAX_NAME: usize = 200;
pub const MAX_FORMER_NAMES: usize = 20;

named_enum!(
    /// What level of government an area is.
    AreaKind {
        Province => "province",
        District => "district",
        Commune => "commune",
        Ward => "ward",
        SpecialZone => "special_zone",
        Other => "other",
    }
);

/// A unit of the utility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: Uuid,
    pub code: UnitCode,
    pub name: String,
    pub parent_code: Option<UnitCode>,
    /// `/EVNSPC/PB03/PC15/`: the codes from the root down to this unit.
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// An area (province, commune, former district…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub id: Uuid,
    pub code: AreaCode,
    pub name: String,
    pub kind: AreaKind,
    pub parent_code: Option<AreaCode>,
    /// Names it had before (a former district's name on a commune).
    pub former_names: Vec<String>,
    /// Urban (true) or rural (false), for the service-level targets and
    /// the type of a new supply; None when nobody has said.
    pub urban: Option<bool>,
    /// The unit that serves this area (and the areas below it that name no
    /// unit of their own); see [`owner_unit`].
    pub unit_code: Option<UnitCode>,
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A unit or area as submitted, fields as typed. `kind`, `former_names`,
/// `urban` and `unit_code` only apply to areas.
#[derive(Debug, Clone, Default)]
pub struct NodeInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub parent_code: Option<String>,
    pub kind: Option<String>,
    pub former_names: Vec<String>,
    pub urban: Option<bool>,
    pub unit_code: Option<String>,
}

/// Changes to a unit or area; absent fields are kept, `Some(None)` makes it a root.
#[derive(Debug, Clone, Default)]
pub struct NodePatch {
    pub name: Option<String>,
    pub parent_code: Option<Option<String>>,
    pub kind: Option<String>,
    pub former_names: Option<Vec<String>>,
    pub urban: Option<bool>,
    /// `Some(None)` leaves the area to inherit its parent's unit.
    pub unit_code: Option<Option<String>>,
}

/// Filters for unit and area lists.
#[derive(Debug, Clone, Default)]
pub struct NodeFilter {
    /// Direct children of this code.
    pub parent: Option<String>,
    /// This path and everything below.
    pub within: Option<String>,
    /// Folded text over the name (and an area's former names).
    pub text: Option<String>,
    pub kind: Option<AreaKind>,
}

fn name(v: &mut Validation, raw: Option<&str>) -> String {
    let n = optional_text(v, "name", raw, MAX_NAME);
    if n.is_none() && v.errors().iter().all(|e| e.field != "name") {
        v.add("name", "is required");
    }
    n.unwrap_or_default()
}

fn former_names(v: &mut Validation, raw: &[String]) -> Vec<String> {
    if raw.len() > MAX_FORMER_NAMES {
        v.add("former_names", format!("at most {MAX_FORMER_NAMES} names"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        if let Some(n) = optional_text(v, &format!("former_names[{i}]"), Some(r), MAX_NAME)
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

fn kind(v: &mut Validation, raw: Option<&str>) -> AreaKind {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => v.check("kind", k.parse::<AreaKind>()).unwrap_or(AreaKind::Other),
        None => {
            v.add("kind", "is required");
            AreaKind::Other
        }
    }
}

impl Unit {
    pub fn search_text(&self) -> String {
        text::fold(&format!("{} \u{1f} {}", self.code, self.name))
    }
}

impl Area {
    /// Code, name and former names folded: `ca mau` finds `Cà Mau`, and a
    /// commune is found by the name of the district it used to be in.
    pub fn search_text(&self) -> String {
        let mut parts = vec![self.code.as_str(), self.name.as_str()];
        parts.extend(self.former_names.iter().map(String::as_str));
        text::fold(&parts.join(" \u{1f} "))
    }

    /// The area itself, then its parent, …, the root.
    pub fn ancestry(&self) -> Vec<String> {
        tree::ancestry(&self.path)
    }
}

/// The unit serving the first of `ancestry` (an area, then its parent, …):
/// the closest area in it that names a unit. `areas` holds those areas in
/// any order; ones missing are skipped.
pub fn owner_unit(ancestry: &[String], areas: &[Area]) -> Option<UnitCode> {
    ancestry.iter().find_map(|code| {
        areas
            .iter()
            .find(|a| a.code.eq_ignore_ascii_case(code))
            .and_then(|a| a.unit_code.clone())
    })
}

/// What an import of units or areas writes: every node whose row changes
/// (created, replaced, or moved because an ancestor moved), with the version
/// it must still have when replaced.
#[derive(Debug, Clone)]
pub struct TreeWrite<T> {
    pub node: T,
    /// None for a new node.
    pub expected_version: Option<i64>,
    pub audit: AuditEntry,
}

/// Members of a team as routing and the API show them.
pub type Member = User;

/// Whether `actor` may manage teams and rosters of the unit at `unit_path`:
/// admins anywhere, supervisors within their own unit's subtree
/// (`actor_unit_path`).
pub fn may_manage_team(actor: &Principal, actor_unit_path: Option<&str>, unit_path: &str) -> bool {
    if actor.role.can_manage_org() {
        return true;
    }
    actor.role.can_manage_teams() && actor_unit_path.is_some_and(|root| tree::is_within(unit_path, root))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;
    use crate::principal::PrincipalKind;
    use crate::role::Role;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_600_000, 0).unwrap()
    }

    #[test]
    fn org_units_validate_and_place() {
        let u = Unit::create(
            NodeInput {
                code: Some(" pc15ll ".into()),
                name: Some("Điện lực Lộc Ninh".into()),
                parent_code: Some("pc15".into()),
                ..Default::default()
            },
            now(),
        )
        .unwrap()
        .placed(Some("/EVNSPC/PC15/"));
        assert_eq!((u.code.as_str(), u.path.as_str()), ("PC15LL", "/EVNSPC/PC15/PC15LL/"));
        assert_eq!(u.parent_code.as_deref(), Some("PC15"));
        let bad = Unit::create(
            NodeInput {
                code: Some("PC 15".into()),
                parent_code: Some("a/b".into()),
                ..Default::default()
            },
            now(),
        )
        .unwrap_err();
        let DomainError::Validation(f) = bad else { panic!() };
        let fields: Vec<_> = f.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "parent_code"]);
        let own = u
            .patched(
                NodePatch {
                    parent_code: Some(Some("pc15ll".into())),
                    ..Default::default()
                },
                now(),
            )
            .unwrap_err();
        assert!(matches!(own, DomainError::Validation(_)));
    }

    #[test]
    fn org_areas_search_former_names_and_ancestry() {
        let a = Area::create(
            NodeInput {
                code: Some("CM-TT".into()),
                name: Some("Xã Tân Thành".into()),
                parent_code: Some("CM".into()),
                kind: Some("commune".into()),
                former_names: vec!["Huyện Đầm Dơi".into(), "Huyện Đầm Dơi".into(), " ".into()],
                urban: None,
                unit_code: Some("PC15".into()),
            },
            now(),
        )
        .unwrap()
        .placed(Some("/VN/CM/"));
        assert_eq!(a.former_names, ["Huyện Đầm Dơi"]);
        assert_eq!(a.urban, None, "an area nobody classified is not silently rural");
        assert!(a.search_text().contains("huyen dam doi"));
        assert!(a.search_text().contains("xa tan thanh"));
        assert_eq!(a.ancestry(), ["CM-TT", "CM", "VN"]);
        assert!(
            Area::create(
                NodeInput {
                    code: Some("X".into()),
                    name: Some("X".into()),
                    kind: Some("county".into()),
                    ..Default::default()
                },
                now()
            )
            .is_err()
        );
    }

    #[test]
    fn org_an_area_is_served_by_the_closest_unit_named_above_it() {
        let area = |code: &str, parent: Option<&str>, unit: Option<&str>| {
            Area::create(
                NodeInput {
                    code: Some(code.into()),
                    name: Some(code.into()),
                    kind: Some("commune".into()),
                    parent_code: parent.map(Into::into),
                    unit_code: unit.map(Into::into),
                    ..Default::default()
                },
                now(),
            )
            .unwrap()
        };
        let areas = [
            area("CM", None, Some("PC15")),
            area("CM-DD", Some("CM"), None),
            area("CM-DD-01", Some("CM-DD"), Some("PC15DD")),
        ];
        let chain = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            owner_unit(&chain(&["CM-DD-01", "CM-DD", "CM"]), &areas).as_deref(),
            Some("PC15DD")
        );
        assert_eq!(
            owner_unit(&chain(&["CM-DD-02", "CM-DD", "CM"]), &areas).as_deref(),
            Some("PC15")
        );
        assert_eq!(owner_unit(&chain(&["cm-dd"]), &areas), None);
        assert_eq!(owner_unit(&chain(&["XX"]), &areas), None);
        assert!(
            Area::create(
                NodeInput {
                    unit_code: Some("bad/code".into()),
                    ..NodeInput {
                        code: Some("X".into()),
                        name: Some("X".into()),
                        kind: Some("commune".into()),
                        ..Default::default()
                    }
                },
                now()
            )
            .is_err()
        );
    }

    #[test]
    fn org_supervisors_manage_teams_of_their_subtree_only() {
        let p = |role| Principal {
            id: Uuid::nil(),
            name: "s".into(),
            role,
            kind: PrincipalKind::User,
            unit_code: Some("PC15".into()),
            team_code: None,
            language: None,
        };
        assert!(may_manage_team(&p(Role::Admin), None, "/X/"));
        assert!(may_manage_team(
            &p(Role::Supervisor),
            Some("/E/PC15/"),
            "/E/PC15/PC15LL/"
        ));
        assert!(!may_manage_team(&p(Role::Supervisor), Some("/E/PC15/"), "/E/PC16/"));
        assert!(!may_manage_team(&p(Role::Supervisor), None, "/E/PC15/"));
        assert!(!may_manage_team(&p(Role::Agent), Some("/E/PC15/"), "/E/PC15/"));
    }
}
