//! Replacing personal texts where they were copied: in the audit
//! snapshots of given records (anonymisation by age), or, for an
//! erasure, in the tables that hold copies and in the person's own rows.

use hotline_domain::anonymise::Scrub;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter, Statement, Value,
};
use uuid::Uuid;

use super::sql::{exec, ph};
use crate::entities::audit;
use crate::errors::DbResult;

/// Replaces `scrub`'s texts in the audit entries of the `entity` records `ids`.
pub async fn scrub_audit(txn: &DatabaseTransaction, entity: &str, ids: &[Uuid], scrub: &Scrub) -> DbResult<()> {
    if scrub.is_empty() || ids.is_empty() {
        return Ok(());
    }
    let entries = audit::Entity::find()
        .filter(audit::Column::Entity.eq(entity))
        .filter(audit::Column::EntityId.is_in(ids.iter().copied()))
        .all(txn)
        .await?;
    for e in entries {
        let before = e.changes.to_string();
        let after = scrub.apply(&before);
        if after == before {
            continue;
        }
        let Ok(changes) = serde_json::from_str::<serde_json::Value>(&after) else {
            continue;
        };
        audit::Entity::update_many()
            .col_expr(audit::Column::Changes, Expr::value(changes))
            .filter(audit::Column::Id.eq(e.id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// A text column: its name, PostgreSQL's `jsonb` or `json` type where it
/// is one, and the longest value it takes (`varchar(n)` on PostgreSQL).
type TextColumn = (String, Option<String>, Option<i32>);
/// A table and its text columns.
type TextColumns = (String, Vec<TextColumn>);

async fn text_columns(txn: &DatabaseTransaction) -> DbResult<Vec<TextColumns>> {
    let backend = txn.get_database_backend();
    let mut out: Vec<TextColumns> = Vec::new();
    let mut add = |table: String, column: TextColumn| match out.last_mut() {
        Some((t, cols)) if *t == table => cols.push(column),
        _ => out.push((table, vec![column])),
    };
    if backend == DbBackend::Postgres {
        let rows = txn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d, \
                 character_maximum_length::int AS n \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations' \
                 AND data_type IN ('text', 'character varying', 'json', 'jsonb') \
                 ORDER BY table_name, ordinal_position",
            ))
            .await?;
        for r in rows {
            let d: String = r.try_get("", "d")?;
            let longest: Option<i32> = r.try_get("", "n")?;
            add(
                r.try_get("", "t")?,
                (r.try_get("", "c")?, d.starts_with("json").then_some(d), longest),
            );
        }
    } else {
        let rows = txn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT m.name AS t, p.name AS c, lower(p.type) AS d FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'seaql_migrations' \
                 ORDER BY m.name, p.cid",
            ))
            .await?;
        for r in rows {
            let d: String = r.try_get("", "d")?;
            // Ids (kept as blobs) and instants hold no names or numbers.
            let text = d.is_empty() || ["text", "char", "json", "clob"].iter().any(|k| d.contains(k));
            if text && !["uuid", "time", "date"].iter().any(|k| d.contains(k)) {
                // SQLite never refuses a value for its length.
                add(r.try_get("", "t")?, (r.try_get("", "c")?, None, None));
            }
        }
    }
    Ok(out)
}

/// The tables that hold copies of records (snapshots, answers, bodies,
/// logs of reads, what a PBX told of its calls), as opposed to the records
/// themselves: swept whole.
const COPY_TABLES: [&str; 7] = [
    "audit_log",
    "cti_calls",
    "events",
    "idempotency_keys",
    "webhook_deliveries",
    "webhook_attempts",
    "personal_reads",
];

/// The person's own rows in a table of records: the table, the column
/// that picks them, and its values.
pub type OwnRows = (&'static str, &'static str, Vec<Value>);

/// Replaces `scrub`'s texts in every text column of the tables that hold
/// copies ([`COPY_TABLES`]) and of the person's own rows (`own`) in the
/// tables of records, one statement per table (each table read once);
/// answers the rows changed. Another person's record that happens to hold
/// the same name, address or a shared number (a family, a neighbour) is
/// theirs and is never touched.
pub async fn scrub_everywhere(txn: &DatabaseTransaction, scrub: &Scrub, own: &[OwnRows]) -> DbResult<u64> {
    if scrub.is_empty() {
        return Ok(0);
    }
    let backend = txn.get_database_backend();
    let mut changed = super::scrub_packed::scrub_packed_events(txn, scrub).await?;
    let tables = text_columns(txn).await?;
    for (table, columns) in tables {
        let rows = if COPY_TABLES.contains(&table.as_str()) {
            None
        } else {
            match own.iter().find(|(t, _, ids)| *t == table && !ids.is_empty()) {
                Some((_, column, ids)) => Some((column, ids)),
                None => continue,
            }
        };
        let mut values: Vec<Value> = Vec::new();
        let mut sets = Vec::new();
        let mut wheres = Vec::new();
        for (column, json, longest) in &columns {
            let text = if json.is_some() {
                format!("CAST(\"{column}\" AS TEXT)")
            } else {
                format!("\"{column}\"")
            };
            let mut expr = text.clone();
            for (from, to) in scrub.pairs() {
                values.push(from.clone().into());
                let a = ph(backend, values.len());
                values.push(to.clone().into());
                let b = ph(backend, values.len());
                expr = format!("REPLACE({expr}, {a}, {b})");
            }
            // A pseudonym is longer than the number it replaces: cut to
            // what the column takes, still no number (else the whole
            // erasure would fail on a short column).
            if let Some(n) = longest {
                expr = format!("LEFT({expr}, {n})");
            }
            sets.push(if let Some(kind) = json {
                format!("\"{column}\" = CAST({expr} AS {kind})")
            } else {
                format!("\"{column}\" = {expr}")
            });
        }
        for (column, json, _) in &columns {
            let text = if json.is_some() {
                format!("CAST(\"{column}\" AS TEXT)")
            } else {
                format!("\"{column}\"")
            };
            for (from, _) in scrub.pairs() {
                values.push(from.clone().into());
                let p = ph(backend, values.len());
                wheres.push(match backend {
                    DbBackend::Postgres => format!("strpos({text}, {p}) > 0"),
                    _ => format!("instr({text}, {p}) > 0"),
                });
            }
        }
        let mut only = String::new();
        if let Some((column, ids)) = rows {
            let mut marks = Vec::with_capacity(ids.len());
            for id in ids {
                values.push(id.clone());
                marks.push(ph(backend, values.len()));
            }
            only = format!(" AND \"{column}\" IN ({})", marks.join(", "));
        }
        let sql = format!(
            "UPDATE \"{table}\" SET {} WHERE ({}){only}",
            sets.join(", "),
            wheres.join(" OR ")
        );
        changed += exec(txn, sql, values).await?;
    }
    Ok(changed)
}
