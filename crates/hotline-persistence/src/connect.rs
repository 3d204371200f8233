//! Opening the database (SQLite or PostgreSQL, from one URL) and migrating it.

use std::time::Duration;

use async_trait::async_trait;
use hotline_domain::ports::HealthCheck;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr, Statement};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;

#[derive(Clone, Debug)]
pub struct DbConfig {
    /// `sqlite:./hotline.db` or `postgres://user:pass@host/db`.
    pub url: String,
    pub max_connections: u32,
    /// How long a request waits for a pooled connection before it is told
    /// the database is unavailable.
    pub acquire_timeout: Duration,
    /// Concurrent creations of calls and work orders share one commit: on
    /// SQLite one transaction and one fsync (see `group_commit`), on
    /// PostgreSQL one statement (see `pg_group`). Off, each request
    /// commits on its own.
    pub group_commit: bool,
    /// How many report queries run at once in this process; more wait
    /// their turn. Reports are the heavy reads: each holds a connection
    /// and its working memory while it runs, so a room of wallboards and
    /// dashboards must not take every connection from call logging.
    pub report_queries: usize,
    /// How long areas read are kept in memory (see `ref_cache`); zero:
    /// read every time.
    pub reference_cache: Duration,
    /// Calls one page of a free-text call search reads at most (see
    /// `stores::search_window`).
    pub search_window: u64,
}

/// The default for [`DbConfig::report_queries`]: half the cores, so
/// that the other half stays for logging calls, and at least two, so that
/// a report's reads still overlap. On two cores, with 64 connections
/// logging calls and 8 dashboards refreshing every report without pause,
/// calls kept 82% of their rate with one turn, 53% with two, 39% with
/// three and 10% without a limit (their p99 was the same with one or two);
/// alone, a month of work orders by team took 235 ms with one turn, 196
/// with two and 137 with three.
pub fn default_report_queries() -> usize {
    std::thread::available_parallelism().map_or(2, |n| (n.get() / 2).max(2))
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            group_commit: true,
            report_queries: default_report_queries(),
            reference_cache: Duration::from_secs(5),
            search_window: crate::stores::search_window::WINDOW,
        }
    }
}

/// The database handle; implements every storage port of the domain.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) conn: DatabaseConnection,
    pub(crate) signal: std::sync::Arc<crate::signal::EventSignal>,
    /// SQLite only: shares one commit among concurrent call creations.
    pub(crate) group: Option<crate::group_commit::GroupCommitter>,
    /// PostgreSQL only: shares one statement among concurrent creations.
    pub(crate) pg_group: Option<crate::pg_group::PgGroup>,
    /// See [`DbConfig::search_window`].
    pub(crate) search_window: u64,
    /// The window ends of first search pages, kept a while.
    pub(crate) window_ends: std::sync::Arc<crate::stores::search_window::WindowEnds>,
    /// Turns for report queries (see [`DbConfig::report_queries`]).
    pub(crate) report_turns: std::sync::Arc<tokio::sync::Semaphore>,
    /// Writes reads of personal data off the request path.
    pub(crate) reads: crate::read_log::ReadLog,
    /// Hands out work-order numbers to concurrent requests together.
    pub(crate) numbering: crate::numbering::Numbering,
    /// Areas, calendars, SLA policies and routing rules, kept for a few seconds.
    pub(crate) refs: std::sync::Arc<crate::ref_cache::RefCaches>,
    /// The latest watermark after which the call reports found a flood of
    /// changes, in microseconds (see `reports::calls::flooded`).
    pub(crate) flood_seen: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Db {
    pub async fn connect(config: &DbConfig) -> Result<Db, DbErr> {
        let url = sqlite_url_with_create(&config.url);
        let mut opts = ConnectOptions::new(url);
        opts.max_connections(config.max_connections)
            .min_connections(1)
            .acquire_timeout(config.acquire_timeout)
            .connect_timeout(config.acquire_timeout)
            // A connection in steady use is not pinged before each use (a
            // round trip per query on PostgreSQL); one left idle is, since
            // the server or a firewall may have dropped it meanwhile.
            .test_before_acquire_if_idle_for(Duration::from_secs(10))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                // WAL lets readers run beside the one writer; FULL sync keeps
                // every acknowledged call through a power cut.
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // 1 MiB of page cache per connection, not SQLite's 2 MB:
                    // it is held once per pool slot, while the OS already
                    // caches the file once for all of them.
                    .pragma("cache_size", "-1024")
            })
            // PostgreSQL's JIT compiler is for long analytic queries: on the
            // reports' short ones (bucket bounds joined to an index range,
            // over-estimated by the planner) it spent ~350 ms compiling a
            // query that ran in 2 ms.
            .map_sqlx_postgres_opts(|o| o.options([("jit", "off")]));
        let conn = Database::connect(opts).await?;
        let signal: std::sync::Arc<crate::signal::EventSignal> = Default::default();
        let backend = conn.get_database_backend();
        let group = (config.group_commit && backend == DatabaseBackend::Sqlite)
            .then(|| crate::group_commit::GroupCommitter::start(conn.clone(), signal.clone()));
        let pg_group = (config.group_commit && backend == DatabaseBackend::Postgres)
            .then(|| crate::pg_group::PgGroup::start(conn.clone(), signal.clone()));
        if backend == DatabaseBackend::Postgres {
            crate::signal::spawn_announcer(conn.get_postgres_connection_pool().clone(), signal.clone());
        }
        let report_turns = std::sync::Arc::new(tokio::sync::Semaphore::new(config.report_queries.max(1)));
        let reads = crate::read_log::ReadLog::start(conn.clone());
        Ok(Db {
            reads,
            numbering: Default::default(),
            refs: std::sync::Arc::new(crate::ref_cache::RefCaches::new(config.reference_cache)),
            flood_seen: std::sync::Arc::new(std::sync::atomic::AtomicI64::new(i64::MIN)),
            search_window: config.search_window.max(1),
            window_ends: Default::default(),
            conn,
            signal,
            group,
            pg_group,
            report_turns,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.conn.get_database_backend() == DatabaseBackend::Sqlite
    }

    /// Brings the schema up to date; on PostgreSQL, also makes the
    /// monthly partitions of the months to come. Should that fail, the
    /// schema is still up to date: rows of a month with no partition go to
    /// the default one, and the hourly upkeep tries again.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.conn, None).await?;
        if let Err(e) = crate::partitions::keep(&self.conn, chrono::Utc::now()).await {
            tracing::warn!(error = %e, "cannot make the partitions of the months to come; the hourly upkeep will try again");
        }
        Ok(())
    }

    pub async fn pending_migrations(&self) -> Result<usize, DbErr> {
        Ok(Migrator::get_pending_migrations(&self.conn).await?.len())
    }

    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

/// `sqlite:path` opens read-write and creates the file when missing, so
/// `cargo run` works on a fresh machine.
fn sqlite_url_with_create(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    }
}

#[async_trait]
impl HealthCheck for Db {
    async fn ready(&self) -> Result<(), String> {
        let backend = self.conn.get_database_backend();
        self.conn
            .execute_raw(Statement::from_string(backend, "SELECT 1"))
            .await
            .map_err(|e| format!("database unreachable: {e}"))?;
        match self.pending_migrations().await {
            Ok(0) => Ok(()),
            Ok(n) => Err(format!("{n} migration(s) not applied")),
            Err(e) => Err(format!("cannot read migrations: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_url_with_create;

    #[test]
    fn sqlite_files_are_created_on_first_use() {
        for (given, used) in [
            ("sqlite:./hotline.db", "sqlite:./hotline.db?mode=rwc"),
            ("sqlite:a.db?cache=shared", "sqlite:a.db?cache=shared&mode=rwc"),
            // An explicit mode and other databases are left alone.
            ("sqlite:a.db?mode=ro", "sqlite:a.db?mode=ro"),
            ("postgres://x/y", "postgres://x/y"),
        ] {
            assert_eq!(sqlite_url_with_create(given), used);
        }
    }
}
