//! The audit trail: who changed what, and when. Written in the same
//! transaction as the change it describes.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::principal::Principal;

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// `{field: {"from": old, "to": new}}` for updates; the new state for
    /// creations. `null` for a creation whose state is not stored but
    /// derived when read (see [`AuditEntry::derived_creation`]).
    pub changes: Value,
}

impl AuditEntry {
    pub fn new(
        entity: &str,
        entity_id: Uuid,
        action: &str,
        actor: &Principal,
        at: DateTime<Utc>,
        changes: Value,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            entity: entity.into(),
            entity_id,
            action: action.into(),
            actor: actor.actor(),
            at,
            changes,
        }
    }
}

impl AuditEntry {
    /// The creation of a record whose first state is not copied into the
    /// trail: it is the record as it is now with every later entry's
    /// changes undone ([`first_version`]), worked out when the trail is
    /// read. For records written often (calls), where the copy would be
    /// the largest part of what each one stores.
    pub fn derived_creation(entity: &str, entity_id: Uuid, actor: &Principal, at: DateTime<Utc>) -> Self {
        Self::new(entity, entity_id, "create", actor, at, Value::Null)
    }

    /// Whether this creation's state is to be derived when read.
    pub fn is_derived_creation(&self) -> bool {
        self.action == "create" && self.changes.is_null()
    }
}

/// A record's first state: `now` (its audit view as it is now) with the
/// `{field: {from, to}}` changes of `later` (its entries after the
/// creation, in any order) undone, newest first. Fields of a change that
/// the view does not have (a call's topics) are not part of it and are
/// left out. What was changed without an entry (personal data removed by
/// retention or erasure) shows as it is now: the derived state never
/// brings back what was removed.
pub fn first_version(now: &Value, later: &[&AuditEntry]) -> Value {
    let mut state = now.clone();
    let Some(fields) = state.as_object_mut() else {
        return state;
    };
    let mut newest_first: Vec<&&AuditEntry> = later.iter().collect();
    newest_first.sort_by_key(|e| std::cmp::Reverse((e.at, e.id)));
    for entry in newest_first {
        let Some(changes) = entry.changes.as_object() else {
            continue;
        };
        for (field, change) in changes {
            if let (Some(slot), Some(from)) = (fields.get_mut(field), change.get("from")) {
                *slot = from.clone();
            }
        }
    }
    state
}

/// The fields that differ between two JSON objects, as `{field: {from, to}}`.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for (k, new) in a {
        let old = b.get(k).unwrap_or(&Value::Null);
        if old != new {
            out.insert(k.clone(), serde_json::json!({ "from": old, "to": new }));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_only_changed_fields() {
        let d = diff(
            &json!({"a": 1, "b": "x", "c": null}),
            &json!({"a": 1, "b": "y", "c": 2}),
        );
        assert_eq!(d, json!({"b": {"from": "x", "to": "y"}, "c": {"from": null, "to": 2}}));
        assert_eq!(diff(&json!({"a": 1}), &json!({"a": 1})), json!({}));
    }

    fn entry(changes: Value, second: i64) -> AuditEntry {
        let at = DateTime::from_timestamp(1_800_000_000 + second, 0).unwrap();
        AuditEntry {
            id: Uuid::from_u128(second as u128),
            entity: "call".into(),
            entity_id: Uuid::from_u128(7),
            action: "update".into(),
            actor: "user:lan".into(),
            at,
            changes,
        }
    }

    #[test]
    fn the_first_version_undoes_every_later_change_newest_first() {
        let first = json!({"category": "outage", "notes": "mất điện", "agent": null, "outcome": "answered"});
        let second = json!({"category": "billing", "notes": "mất điện", "agent": "lan", "outcome": "answered"});
        let third = json!({"category": "metering", "notes": "hỏi hoá đơn", "agent": "lan", "outcome": "answered"});
        let a = entry(diff(&first, &second), 1);
        // Topics are not part of a call's view: left out.
        let mut b_changes = diff(&second, &third);
        b_changes["topics"] = json!({"from": [], "to": ["billing"]});
        let b = entry(b_changes, 2);
        // Whatever order the entries come in.
        assert_eq!(first_version(&third, &[&b, &a]), first);
        assert_eq!(first_version(&third, &[&a, &b]), first);
        assert_eq!(first_version(&second, &[&a]), first);
        assert_eq!(first_version(&first, &[]), first);
        // Undone in the wrong order, the category would come out `billing`.
        let same_field_twice = entry(json!({"category": {"from": "billing", "to": "metering"}}), 2);
        let once = entry(json!({"category": {"from": "outage", "to": "billing"}}), 1);
        assert_eq!(
            first_version(&json!({"category": "metering"}), &[&once, &same_field_twice])["category"],
            "outage"
        );
    }

    #[test]
    fn a_derived_creation_stores_no_state() {
        let who = Principal {
            id: Uuid::from_u128(1),
            name: "lan".into(),
            role: crate::role::Role::Agent,
            kind: crate::principal::PrincipalKind::User,
            unit_code: None,
            team_code: None,
            language: None,
        };
        let e = AuditEntry::derived_creation("call", Uuid::from_u128(7), &who, Utc::now());
        assert!(e.is_derived_creation());
        assert_eq!(e.changes, Value::Null);
        let stored = AuditEntry::new("call", Uuid::from_u128(7), "create", &who, Utc::now(), json!({"a": 1}));
        assert!(!stored.is_derived_creation());
    }
}
