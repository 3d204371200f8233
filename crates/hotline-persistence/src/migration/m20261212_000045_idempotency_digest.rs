//! Idempotency records found by a digest of their scope and key.
//!
//! A record was keyed by its scope (`api_key:` and a UUID, 44 characters)
//! and the client's key (up to 255): both stored in the row and again in
//! the primary key's index, 141 bytes an entry on PostgreSQL. A key is
//! only ever looked up whole, so the record is now keyed by the first 16
//! bytes of SHA-256 over the two (`IdempotencyRecord::digest`), and the
//! two are not kept: the request that presents them again is what finds
//! the record. On SQLite the table is `WITHOUT ROWID`, its rows kept in
//! the key's own tree instead of a table and an index beside it.
//!
//! The records kept are carried over with their digests. The way down
//! cannot give scopes and keys back from digests: it leaves the table as
//! it was, empty, and a retry of a request made before it is taken as a
//! new request.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::tables::NewTable;

use hotline_domain::idempotency::key_digest;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Records carried over per statement.
const BATCH: u64 = 1_000;

fn new_table(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "CREATE TABLE idempotency_keys_new (digest bytea NOT NULL PRIMARY KEY, \
             fingerprint varchar(64) NOT NULL, status integer NOT NULL, body text NOT NULL, \
             location text NULL, created_at timestamptz NOT NULL)"
        }
        _ => {
            "CREATE TABLE idempotency_keys_new (\"digest\" blob NOT NULL PRIMARY KEY, \
             \"fingerprint\" varchar(64) NOT NULL, \"status\" integer NOT NULL, \"body\" text NOT NULL, \
             \"location\" text NULL, \"created_at\" timestamp_with_timezone_text NOT NULL) WITHOUT ROWID"
        }
    }
}

/// Copies every record into the new table, with its digest, by pages of
/// the old primary key.
async fn carry_over(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = m.get_database_backend();
    let mut after: Option<(String, String)> = None;
    loop {
        let mut q = Query::select();
        q.columns(["scope", "key", "fingerprint", "status", "body", "location", "created_at"])
            .from("idempotency_keys")
            .order_by("scope", Order::Asc)
            .order_by("key", Order::Asc)
            .limit(BATCH);
        if let Some((scope, key)) = &after {
            q.and_where(
                Expr::tuple([Expr::col("scope"), Expr::col("key")])
                    .gt(Expr::tuple([Expr::val(scope.as_str()), Expr::val(key.as_str())])),
            );
        }
        let rows = db.query_all_raw(backend.build(&q)).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut insert = Query::insert();
        insert.into_table("idempotency_keys_new").columns([
            "digest",
            "fingerprint",
            "status",
            "body",
            "location",
            "created_at",
        ]);
        for r in &rows {
            let (scope, key): (String, String) = (r.try_get("", "scope")?, r.try_get("", "key")?);
            let created: chrono::DateTime<chrono::Utc> = r.try_get("", "created_at")?;
            insert.values_panic([
                key_digest(&scope, &key).to_vec().into(),
                r.try_get::<String>("", "fingerprint")?.into(),
                r.try_get::<i32>("", "status")?.into(),
                r.try_get::<String>("", "body")?.into(),
                r.try_get::<Option<String>>("", "location")?.into(),
                created.into(),
            ]);
            after = Some((scope, key));
        }
        db.execute_raw(backend.build(&insert)).await?;
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// On SQLite too: every statement on the one connection, and a table
    /// never dropped without its successor in place.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = m.get_database_backend();
        db.execute_unprepared(new_table(backend)).await?;
        carry_over(m).await?;
        db.execute_unprepared("DROP TABLE idempotency_keys").await?;
        db.execute_unprepared("ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys")
            .await?;
        if backend == DbBackend::Postgres {
            db.execute_unprepared("ALTER INDEX idempotency_keys_new_pkey RENAME TO idempotency_keys_pkey")
                .await?;
        }
        db.execute_unprepared("CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP TABLE idempotency_keys").await?;
        // As migrations 000001 and 000032 made it.
        NewTable::new("idempotency_keys")
            .col(string_len("scope", 100))
            .col(string_len("key", 255))
            .col(string_len("fingerprint", 64))
            .col(integer("status"))
            .col(text("body"))
            .col(text_null("location"))
            .col(timestamp_with_time_zone("created_at"))
            .primary_key(&["scope", "key"])
            .index("idempotency_keys_created_idx", &["created_at"])
            .create(m)
            .await
    }
}
