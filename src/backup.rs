//! `hotline backup <file>` and `hotline restore <file>`: a consistent copy
//! of the database taken while the service takes calls, and bringing a
//! service back from one.
//!
//! SQLite is copied by the service itself (`VACUUM INTO`, one snapshot)
//! and the copy checked. PostgreSQL is copied by its own tools, `pg_dump`
//! (one snapshot too) and `pg_restore`, which must be installed; the
//! password goes to them in `PGPASSWORD`, never on their command line.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::Utc;
use hotline_persistence::backup::{check_sqlite_copy, sqlite_file};
use hotline_persistence::{Db, DbConfig};

/// What a backup or restore did, for the operator.
pub type Outcome = Result<String, String>;

/// Copies the database at `url` into `file` (a new file) while it is in use.
pub async fn backup(url: &str, file: &Path) -> Outcome {
    if file.exists() {
        return Err(format!("{} exists already: choose a new file", file.display()));
    }
    let started = Instant::now();
    if sqlite_file(url).is_some() {
        let db = Db::connect(&DbConfig {
            max_connections: 1,
            group_commit: false,
            ..DbConfig::new(url)
        })
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
        let copy = db
            .backup_sqlite_to(file)
            .await
            .map_err(|e| format!("backup failed: {e}"));
        db.close().await.ok();
        let copy = copy?;
        return Ok(format!(
            "backed up to {} in {:.1} s: {} calls, {} migrations; checked",
            file.display(),
            started.elapsed().as_secs_f64(),
            copy.calls,
            copy.migrations
        ));
    }
    let target = Postgres::of(url)?;
    target.run(
        "pg_dump",
        &[
            "--format=custom",
            "--no-owner",
            "--file",
            path_text(file)?,
            "--dbname",
            &target.url,
        ],
    )?;
    Ok(format!(
        "backed up to {} with pg_dump in {:.1} s",
        file.display(),
        started.elapsed().as_secs_f64()
    ))
}

/// Brings the database at `url` back to the copy in `file`, then migrates
/// it to this version. SQLite: the database there now is kept beside it
/// (`<name>.before-restore-<time>`), never deleted. PostgreSQL: the
/// objects in the copy are dropped and recreated (`pg_restore --clean`).
/// Stop the service first.
pub async fn restore(url: &str, file: &Path) -> Outcome {
    let started = Instant::now();
    let mut said = Vec::new();
    if let Some(target) = sqlite_file(url) {
        let copy = check_sqlite_copy(file)
            .await
            .map_err(|e| format!("{} cannot be restored: {e}", file.display()))?;
        said.push(format!("{} checked: {} calls", file.display(), copy.calls));
        if let Some(aside) = put_aside(&target)? {
            said.push(format!("the database there before is kept as {}", aside.display()));
        }
        let staged = with_suffix(&target, ".restoring");
        std::fs::copy(file, &staged).map_err(|e| format!("cannot copy into {}: {e}", staged.display()))?;
        std::fs::File::open(&staged)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("cannot write {}: {e}", staged.display()))?;
        std::fs::rename(&staged, &target).map_err(|e| format!("cannot put {} in place: {e}", target.display()))?;
    } else {
        let target = Postgres::of(url)?;
        target.run(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                &target.url,
                path_text(file)?,
            ],
        )?;
        said.push(format!("{} restored with pg_restore", file.display()));
    }
    let db = Db::connect(&DbConfig::new(url))
        .await
        .map_err(|e| format!("cannot open the restored database: {e}"))?;
    let pending = db.pending_migrations().await.unwrap_or(0);
    db.migrate()
        .await
        .map_err(|e| format!("the restored database cannot be migrated: {e}"))?;
    db.close().await.ok();
    said.push(format!(
        "{pending} migration(s) applied; done in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(said.join("\n"))
}

/// Moves the SQLite database at `target` (and its `-wal`, `-shm`) aside;
/// where it went, or None when there was none.
fn put_aside(target: &Path) -> Result<Option<PathBuf>, String> {
    if !target.exists() {
        return Ok(None);
    }
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = with_suffix(target, &format!(".before-restore-{stamp}"));
    for part in ["", "-wal", "-shm"] {
        let from = with_suffix(target, part);
        if from.exists() {
            let to = with_suffix(&aside, part);
            std::fs::rename(&from, &to).map_err(|e| format!("cannot move {} aside: {e}", from.display()))?;
        }
    }
    Ok(Some(aside))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn path_text(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", path.display()))
}

/// A PostgreSQL URL split for its tools: the URL without the password,
/// and the password for `PGPASSWORD`.
struct Postgres {
    url: String,
    password: Option<String>,
}

impl Postgres {
    fn of(url: &str) -> Result<Postgres, String> {
        let mut parsed = reqwest::Url::parse(url).map_err(|e| format!("the database URL cannot be read: {e}"))?;
        if !matches!(parsed.scheme(), "postgres" | "postgresql") {
            return Err(format!("{} databases cannot be backed up", parsed.scheme()));
        }
        let password = parsed
            .password()
            .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
        parsed
            .set_password(None)
            .map_err(|()| "the database URL cannot be read".to_string())?;
        Ok(Postgres {
            url: parsed.to_string(),
            password,
        })
    }

    /// Runs a PostgreSQL client tool; its own message when it fails.
    fn run(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let mut cmd = Command::new(tool);
        cmd.args(args);
        if let Some(p) = &self.password {
            cmd.env("PGPASSWORD", p);
        }
        let out = cmd.output().map_err(|e| {
            format!("cannot run {tool} ({e}): install PostgreSQL's client tools, or see the README for the steps")
        })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let p = Postgres::of("postgres://hotline:p%40ss%20word@db:5432/hotline?sslmode=require").unwrap();
        assert_eq!(p.url, "postgres://hotline@db:5432/hotline?sslmode=require");
        assert_eq!(p.password.as_deref(), Some("p@ss word"));
        assert!(Postgres::of("mysql://x/y").is_err());
    }

    #[test]
    fn a_database_is_put_aside_with_its_log() {
        let dir = std::env::temp_dir().join(format!("hotline-aside-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("hotline.db");
        std::fs::write(&db, "db").unwrap();
        std::fs::write(with_suffix(&db, "-wal"), "wal").unwrap();
        let aside = put_aside(&db).unwrap().unwrap();
        assert!(!db.exists());
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "db");
        assert_eq!(std::fs::read_to_string(with_suffix(&aside, "-wal")).unwrap(), "wal");
        assert_eq!(put_aside(&db).unwrap(), None);
        std::fs::remove_dir_all(dir).ok();
    }
}
