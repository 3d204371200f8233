//! Deleting (or blanking) one batch of records past their retention. One
//! statement: a sub-select picks at most `limit` rows (on PostgreSQL
//! `FOR UPDATE SKIP LOCKED`, so two replicas take different rows), the
//! outer statement deletes them by their physical row id.

use chrono::{DateTime, Utc};
use hotline_domain::anonymise::Pruned;
use sea_orm::{DatabaseConnection, DbBackend};

use super::sql::{exec, ph};
use crate::errors::DbResult;

/// The table, the rows past `before` (each `{}` a placeholder for it), and
/// for a blanking the assignment (None deletes).
fn target(kind: Pruned) -> (&'static str, &'static str, Option<&'static str>) {
    match kind {
        Pruned::IdempotencyRecords => ("idempotency_keys", "created_at < {}", None),
        // Only finished deliveries: one still to be sent needs its body.
        Pruned::WebhookBodies => (
            "webhook_deliveries",
            "created_at < {} AND body <> '' AND status IN ('delivered', 'failed')",
            Some("body = ''"),
        ),
        Pruned::RefreshTokens => ("refresh_tokens", "(expires_at < {} OR revoked_at < {})", None),
        Pruned::SignInFailures => ("login_failures", "at < {}", None),
        Pruned::AuditEntries => ("audit_log", "at < {}", None),
        Pruned::PersonalReads => ("personal_reads", "at < {}", None),
        // Read in a table scan: the table holds a week of calls, and the
        // hourly pass finds the oldest first.
        Pruned::PbxCallStates => ("cti_calls", "updated_at < {}", None),
    }
}

/// What picks a row of `table` on SQLite: its row id, or the key of a
/// table kept `WITHOUT ROWID`.
fn sqlite_row_id(table: &str) -> &'static str {
    match table {
        "idempotency_keys" => "digest",
        _ => "rowid",
    }
}

pub async fn batch(conn: &DatabaseConnection, kind: Pruned, before: DateTime<Utc>, limit: u64) -> DbResult<u64> {
    let backend = conn.get_database_backend();
    let (table, cond, set) = target(kind);
    let mut values = Vec::new();
    let mut filter = String::new();
    for (i, part) in cond.split("{}").enumerate() {
        if i > 0 {
            values.push(before.into());
            filter.push_str(&ph(backend, values.len()));
        }
        filter.push_str(part);
    }
    let rows = match backend {
        DbBackend::Postgres => {
            format!("ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {filter} LIMIT {limit} FOR UPDATE SKIP LOCKED))")
        }
        _ => {
            let id = sqlite_row_id(table);
            format!("{id} IN (SELECT {id} FROM {table} WHERE {filter} LIMIT {limit})")
        }
    };
    let sql = match set {
        Some(set) => format!("UPDATE {table} SET {set} WHERE {rows}"),
        None => format!("DELETE FROM {table} WHERE {rows}"),
    };
    exec(conn, sql, values).await
}
