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
    /// `{field: {"from": old, "to": new}}` for updates; the new state for creations.
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
}
