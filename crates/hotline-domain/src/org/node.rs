//! What units and areas share as nodes of a tree: a code, a parent, a
//! materialised path, a version, and the same rules for creating, changing,
//! re-importing and auditing them. The tree's use cases, its import and its
//! routes are written once over [`TreeNode`].

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Area, NodeInput, NodePatch, Unit, former_names, kind, name, tree};
use crate::DomainError;
use crate::codes::{self, AreaCode, Code, UnitCode};
use crate::validation::{Validation, present};

/// A unit or an area as a node of its tree.
pub trait TreeNode: Clone + Send + Sync + 'static {
    /// The entity in audit entries, events and messages (`unit`, `area`).
    const ENTITY: &'static str;
    /// Its indefinite article in messages (`a unit`, `an area`).
    const ARTICLE: &'static str;
    /// The kind of code that names it.
    type Code: Code + PartialEq;

    /// A new node; its path is set once the parent is known ([`TreeNode::placed`]).
    fn create(input: NodeInput, now: DateTime<Utc>) -> Result<Self, DomainError>;
    /// Applies a patch; the path is recomputed by the caller when the parent changed.
    fn patched(&self, patch: NodePatch, now: DateTime<Utc>) -> Result<Self, DomainError>;
    /// Whether an imported line says nothing new about the stored node.
    fn same_content(&self, other: &Self) -> bool;
    /// What the audit trail records of it.
    fn audit_view(&self) -> Value;

    fn id(&self) -> Uuid;
    fn code(&self) -> &str;
    fn name(&self) -> &str;
    fn parent(&self) -> Option<&str>;
    fn path(&self) -> &str;
    fn version(&self) -> i64;
    /// The same node at `path`.
    fn with_path(self, path: String) -> Self;
    /// An imported line for a node that already exists: it keeps the stored
    /// identity and creation time, and is the next version.
    fn replacing(self, existing: &Self, now: DateTime<Utc>) -> Self;

    /// The same node placed under a parent with `parent_path` (root when None).
    fn placed(self, parent_path: Option<&str>) -> Self {
        let path = tree::path_of(parent_path, self.code());
        self.with_path(path)
    }
}

/// The accessors and [`TreeNode::replacing`], the same for every node.
macro_rules! node_fields {
    () => {
        fn id(&self) -> Uuid {
            self.id
        }
        fn code(&self) -> &str {
            &self.code
        }
        fn name(&self) -> &str {
            &self.name
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
        fn with_path(mut self, path: String) -> Self {
            self.path = path;
            self
        }
        fn replacing(mut self, existing: &Self, now: DateTime<Utc>) -> Self {
            self.id = existing.id;
            self.created_at = existing.created_at;
            self.updated_at = now;
            self.version = existing.version + 1;
            self
        }
    };
}

/// The parent code under `parent_code`, which must not be the node itself.
fn parent_code<N: TreeNode>(v: &mut Validation, raw: Option<&str>, own: Option<&N::Code>) -> Option<N::Code> {
    let parent = codes::optional::<N::Code>(v, "parent_code", raw);
    if parent.is_some() && parent.as_ref() == own {
        v.add("parent_code", format!("cannot be the {} itself", N::ENTITY));
    }
    parent
}

/// A patch's time of change once it is valid: never before the last one.
fn changed_at(v: Validation, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, DomainError> {
    v.finish()?;
    Ok(now.max(before))
}

impl TreeNode for Unit {
    type Code = UnitCode;
    const ENTITY: &'static str = "unit";
    const ARTICLE: &'static str = "a";

    node_fields!();

    fn create(input: NodeInput, now: DateTime<Utc>) -> Result<Unit, DomainError> {
        let mut v = Validation::new();
        let code = codes::required(&mut v, "code", input.code.as_deref());
        let name = name(&mut v, input.name.as_deref());
        let parent_code = parent_code::<Unit>(&mut v, input.parent_code.as_deref(), code.as_ref());
        v.finish()?;
        let code = present(code, "code")?;
        Ok(Unit {
            id: Uuid::now_v7(),
            path: tree::path_of(None, &code),
            code,
            name,
            parent_code,
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    fn patched(&self, patch: NodePatch, now: DateTime<Utc>) -> Result<Unit, DomainError> {
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(n) = patch.name {
            next.name = name(&mut v, Some(&n));
        }
        if let Some(p) = patch.parent_code {
            next.parent_code = parent_code::<Unit>(&mut v, p.as_deref(), Some(&self.code));
        }
        next.updated_at = changed_at(v, self.updated_at, now)?;
        next.version += 1;
        Ok(next)
    }

    fn same_content(&self, other: &Unit) -> bool {
        self.code == other.code && self.name == other.name && self.parent_code == other.parent_code
    }

    fn audit_view(&self) -> Value {
        json!({"code": self.code, "name": self.name, "parent_code": self.parent_code, "path": self.path})
    }
}

impl TreeNode for Area {
    type Code = AreaCode;
    const ENTITY: &'static str = "area";
    const ARTICLE: &'static str = "an";

    node_fields!();

    fn create(input: NodeInput, now: DateTime<Utc>) -> Result<Area, DomainError> {
        let mut v = Validation::new();
        let code = codes::required(&mut v, "code", input.code.as_deref());
        let name = name(&mut v, input.name.as_deref());
        let kind = kind(&mut v, input.kind.as_deref());
        let parent_code = parent_code::<Area>(&mut v, input.parent_code.as_deref(), code.as_ref());
        let former_names = former_names(&mut v, &input.former_names);
        let unit_code = codes::optional(&mut v, "unit_code", input.unit_code.as_deref());
        v.finish()?;
        let code = present(code, "code")?;
        Ok(Area {
            id: Uuid::now_v7(),
            path: tree::path_of(None, &code),
            code,
            name,
            kind,
            parent_code,
            former_names,
            urban: input.urban,
            unit_code,
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    fn patched(&self, patch: NodePatch, now: DateTime<Utc>) -> Result<Area, DomainError> {
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(n) = patch.name {
            next.name = name(&mut v, Some(&n));
        }
        if let Some(k) = patch.kind {
            next.kind = kind(&mut v, Some(&k));
        }
        if let Some(f) = patch.former_names {
            next.former_names = former_names(&mut v, &f);
        }
        if let Some(u) = patch.urban {
            next.urban = Some(u);
        }
        if let Some(u) = patch.unit_code {
            next.unit_code = codes::optional(&mut v, "unit_code", u.as_deref());
        }
        if let Some(p) = patch.parent_code {
            next.parent_code = parent_code::<Area>(&mut v, p.as_deref(), Some(&self.code));
        }
        next.updated_at = changed_at(v, self.updated_at, now)?;
        next.version += 1;
        Ok(next)
    }

    fn same_content(&self, other: &Area) -> bool {
        self.code == other.code
            && self.name == other.name
            && self.kind == other.kind
            && self.parent_code == other.parent_code
            && self.former_names == other.former_names
            && self.urban == other.urban
            && self.unit_code == other.unit_code
    }

    fn audit_view(&self) -> Value {
        json!({
            "code": self.code, "name": self.name, "kind": self.kind.as_str(), "parent_code": self.parent_code,
            "former_names": self.former_names, "urban": self.urban, "unit_code": self.unit_code,
            "path": self.path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_600_000 + secs, 0).unwrap()
    }

    fn input(code: &str, parent: Option<&str>) -> NodeInput {
        NodeInput {
            code: Some(code.into()),
            name: Some(code.into()),
            parent_code: parent.map(Into::into),
            kind: Some("commune".into()),
            ..Default::default()
        }
    }

    fn own_parent_message<N: TreeNode>() -> String {
        let Err(DomainError::Validation(f)) = N::create(input("X", Some("x")), at(0)) else {
            panic!("a node under itself was accepted")
        };
        assert_eq!(f.len(), 1);
        format!("{}: {}", f[0].field, f[0].message)
    }

    #[test]
    fn a_node_cannot_be_its_own_parent_and_the_message_names_its_kind() {
        assert_eq!(own_parent_message::<Unit>(), "parent_code: cannot be the unit itself");
        assert_eq!(own_parent_message::<Area>(), "parent_code: cannot be the area itself");
        let unit = Unit::create(input("X", None), at(0)).unwrap();
        let patch = NodePatch {
            parent_code: Some(Some("x".into())),
            ..Default::default()
        };
        assert!(unit.patched(patch, at(1)).is_err());
    }

    #[test]
    fn a_reimported_node_keeps_its_identity_and_is_the_next_version() {
        let stored = Area::create(input("CM-TT", Some("CM")), at(0))
            .unwrap()
            .placed(Some("/CM/"));
        assert_eq!(stored.path(), "/CM/CM-TT/");
        let line = Area::create(input("CM-TT", Some("CM")), at(5)).unwrap();
        assert!(line.same_content(&stored), "the path is not the line's content");
        let mut renamed = line.clone();
        renamed.name = "Xã Tân Thành".into();
        assert!(!renamed.same_content(&stored));
        let next = renamed.replacing(&stored, at(9));
        assert_eq!((next.id(), next.created_at), (stored.id, stored.created_at));
        assert_eq!((next.version(), next.updated_at), (2, at(9)));
    }

    #[test]
    fn a_patch_never_moves_time_back_and_bumps_the_version_once() {
        let unit = Unit::create(input("PC15", None), at(10)).unwrap();
        let patch = NodePatch {
            name: Some("Điện lực Cà Mau".into()),
            ..Default::default()
        };
        let next = unit.patched(patch, at(0)).unwrap();
        assert_eq!(
            (next.name(), next.version(), next.updated_at),
            ("Điện lực Cà Mau", 2, at(10))
        );
        assert_eq!(next.audit_view()["name"], "Điện lực Cà Mau");
        let blank = NodePatch {
            name: Some(" ".into()),
            ..Default::default()
        };
        assert!(unit.patched(blank, at(20)).is_err());
    }
}
