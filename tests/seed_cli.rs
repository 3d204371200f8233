//! `hotline seed` on SQLite hands over a database ready to open: the rows
//! are in the database file itself and the write-ahead log is empty, so the
//! first server start does not begin by reading the whole load; and the
//! personal-data retention has made its pass, as a running service keeps
//! the data, so that start does not begin with it either.

use std::path::PathBuf;
use std::process::Command;

use hotline_domain::ports::CallStore;
use hotline_persistence::{Db, DbConfig};
use sea_orm::{ConnectionTrait, Statement};

struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", self.0.display()));
        }
    }
}

#[tokio::test]
async fn seed_hands_over_a_database_as_a_running_service_keeps_it() {
    let db = TempDb(std::env::temp_dir().join(format!("hotline-seed-{}.db", uuid::Uuid::now_v7())));
    let url = format!("sqlite:{}", db.0.display());
    let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATABASE_URL", &url)
        .env("HOTLINE_RETAIN_NOTES_MONTHS", "6")
        .args(["seed", "--customers", "300", "--calls", "2000"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wal = std::fs::metadata(format!("{}-wal", db.0.display())).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the write-ahead log is left with {wal} bytes");

    // The rows are in the database file: it opens with all of them.
    let opened = Db::connect(&DbConfig::new(url.clone())).await.unwrap();
    let page = opened.list(&Default::default(), None, 1, true).await.unwrap();
    assert_eq!(page.total, Some(2000));
    opened.close().await.unwrap();

    // Calls of the year's first half lost their notes; the rest kept them.
    let conn = sea_orm::Database::connect(&url).await.unwrap();
    let count = async |sql: &str| -> i64 {
        let row = conn
            .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "n").unwrap()
    };
    let removed = count("SELECT COUNT(*) AS n FROM calls WHERE notes_removed_at IS NOT NULL").await;
    assert!(
        (600..1400).contains(&removed),
        "{removed} of 2000 calls past six months"
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM calls WHERE notes_removed_at IS NOT NULL AND notes IS NOT NULL").await,
        0
    );
    assert!(count("SELECT COUNT(*) AS n FROM calls WHERE notes IS NOT NULL").await > 0);
}
