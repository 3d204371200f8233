//! Consistent copies of a SQLite database, taken while the service keeps
//! writing, and the checks a copy must pass before it is trusted.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, Database, DbBackend, DbErr, Statement, Value};

use crate::Db;

/// The file a `sqlite:` URL names (`sqlite:./hotline.db`,
/// `sqlite:///var/lib/hotline.db?mode=rwc`); None for another database or
/// an in-memory one.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

impl Db {
    /// SQLite: writes a consistent copy of the whole database to `path`
    /// while other connections keep reading and writing (`VACUUM INTO`
    /// reads one snapshot: every transaction committed before it began,
    /// none after), then checks the copy. An existing file is refused, never
    /// overwritten.
    pub async fn backup_sqlite_to(&self, path: &Path) -> Result<Copy, DbErr> {
        if !self.is_sqlite() {
            return Err(DbErr::Custom("not a SQLite database".into()));
        }
        if path.exists() {
            return Err(DbErr::Custom(format!(
                "{} exists already: choose a new file",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| DbErr::Custom("the path is not UTF-8".into()))?;
        self.conn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [Value::from(target)],
            ))
            .await?;
        check_sqlite_copy(path).await
    }
}

/// What a checked copy holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copy {
    /// Calls logged.
    pub calls: i64,
    /// Migrations applied.
    pub migrations: i64,
}

/// Opens a SQLite file read-only and checks it is a whole hotline database:
/// SQLite's own integrity check passes and it has the migration table and
/// the calls. Answers what it holds.
pub async fn check_sqlite_copy(path: &Path) -> Result<Copy, DbErr> {
    if !path.is_file() {
        return Err(DbErr::Custom(format!("{} is not a file", path.display())));
    }
    let db = Database::connect(format!("sqlite:{}?mode=ro", path.display())).await?;
    let one = async |sql: &str| -> Result<Option<sea_orm::QueryResult>, DbErr> {
        db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await
    };
    let verdict = one("PRAGMA integrity_check")
        .await?
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    if verdict != "ok" {
        db.close().await.ok();
        return Err(DbErr::Custom(format!(
            "{} fails SQLite's integrity check: {verdict}",
            path.display()
        )));
    }
    let count = async |sql: &str| -> Result<i64, DbErr> {
        Ok(one(sql)
            .await
            .map_err(|_| DbErr::Custom(format!("{} is not a hotline database", path.display())))?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0))
    };
    let copy = Copy {
        migrations: count("SELECT COUNT(*) FROM seaql_migrations").await?,
        calls: count("SELECT COUNT(*) FROM calls").await?,
    };
    db.close().await.ok();
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;
    use std::path::PathBuf;

    #[test]
    fn the_file_of_a_sqlite_url() {
        assert_eq!(sqlite_file("sqlite:./hotline.db"), Some(PathBuf::from("./hotline.db")));
        assert_eq!(
            sqlite_file("sqlite:///var/lib/hotline.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/hotline.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
