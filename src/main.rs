//! `hotline` — serve the API (default), run migrations, print the OpenAPI
//! document, or create a user.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use hotline::config::{Config, Secret};
use hotline::{bootstrap, wiring};
use hotline_domain::role::Role;
use hotline_persistence::Db;
use tracing_subscriber::EnvFilter;

const USAGE: &str =
    "usage: hotline [serve | migrate | openapi | user create <username> <role> | import customers <file> | seed | backup <file> | restore <file> | healthcheck]
  serve                        run the API (default)
  migrate                      apply database migrations and exit
  openapi                      print the OpenAPI document
  user create <name> <role>    create a user; the password comes from
                               HOTLINE_NEW_USER_PASSWORD or is generated and printed
  import customers <file.csv>  upsert the customer directory from a CSV file (columns
                               customer_code,name,phones,email,address,area_code,unit_code,notes);
                               bad lines are listed and skipped
  seed [--customers N] [--calls N] [--work-orders N]
                               fill the database with sample data (marked as such)
  backup <file>                copy the database, consistently, while the service runs
                               (SQLite by itself; PostgreSQL with pg_dump)
  restore <file>               bring the database back to a backup, then migrate it
                               (stop the service first; a SQLite database is kept aside)
  healthcheck                  exit 0 when the service at HOTLINE_LISTEN is ready (for
                               container health checks)
Configuration: HOTLINE_* environment variables (see README).";

/// The server's own allocations (requests, JSON, statements) go to
/// mimalloc: under ingest load glibc's malloc and free took a quarter of
/// the server's CPU, much of it merging and splitting free chunks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What SQLite itself allocates still comes from glibc, which gives a thread that meets contention in malloc an arena of its
/// own (up to eight per core) and keeps what is freed there for that arena.
/// SQLite runs each pooled connection on a thread of its own, so eight
/// concurrent work-order reports took the server from 90 to 130 MiB. Two
/// arenas are enough for two to four cores; `MALLOC_ARENA_MAX` in the
/// environment still decides when set.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it is called
        // before the database pool and the server start their threads.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    limit_malloc_arenas();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] | ["serve"] => serve().await,
        ["migrate"] => migrate().await,
        ["openapi"] => openapi(),
        ["user", "create", name, role] => create_user(name, role).await,
        ["import", "customers", file] => import_customers(file).await,
        ["seed", rest @ ..] => seed(rest).await,
        ["backup", file] => database_copy(file, true).await,
        ["restore", file] => database_copy(file, false).await,
        ["healthcheck"] => healthcheck().await,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hotline: {e}");
            ExitCode::FAILURE
        }
    }
}

fn config() -> Result<Config, String> {
    Config::from_env().map_err(|e| e.to_string())
}

fn init_logs(filter: &str) -> Result<(), String> {
    let filter = EnvFilter::try_new(filter).map_err(|e| format!("HOTLINE_LOG: {e}"))?;
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| e.to_string())
}

async fn connect(c: &Config) -> Result<Db, String> {
    Db::connect(&c.db.connect)
        .await
        .map_err(|e| format!("HOTLINE_DATABASE_URL: cannot open the database: {e}"))
}

/// Brings the schema up to date; or, where another process migrates
/// (`HOTLINE_MIGRATE_ON_START=false`, as the compose file's replicas),
/// checks that the database is at this build's schema. One behind it lacks
/// what this build writes; one ahead of it, migrated by a newer build,
/// holds what this one would misread (notes and events kept in a form it
/// does not know: its stream and webhooks would send them empty).
async fn prepare(db: &Db, c: &Config) -> Result<(), String> {
    if c.db.migrate_on_start {
        return db.migrate().await.map_err(|e| format!("migration failed: {e}"));
    }
    match db.pending_migrations().await {
        Ok(0) => Ok(()),
        Ok(n) => Err(format!(
            "the database is {n} migration(s) behind this build: run `hotline migrate` first, or set \
             HOTLINE_MIGRATE_ON_START=true"
        )),
        Err(e) => Err(format!(
            "the database's schema does not match this build: {e}. If a newer build migrated it, run that \
             build (HOTLINE_MIGRATE_ON_START=false)"
        )),
    }
}

async fn serve() -> Result<(), String> {
    let started = Instant::now();
    let c = config()?;
    init_logs(&c.log)?;
    let db = connect(&c).await?;
    prepare(&db, &c).await?;
    if let Some(generated) = bootstrap::ensure_admin(&db, c.auth.admin_password.as_ref().map(Secret::expose)).await? {
        println!(
            "Created user `admin` with password: {generated}\n(shown once; set HOTLINE_ADMIN_PASSWORD to choose it)"
        );
    }
    let (spans, exporter) = match c.otlp.clone() {
        Some(settings) => {
            let (spans, task) = hotline::otlp::start(settings)?;
            (spans, Some(task))
        }
        None => (hotline_app::trace::Spans::off(), None),
    };
    let state = wiring::state(&db, &c, spans).await?;
    // The escalation and deadline workers run beside the API and stop with it.
    let (stop_workers, workers_stop) = tokio::sync::watch::channel(false);
    let escalation = hotline::workers::escalation::spawn(state.app.clone(), workers_stop.clone());
    let webhooks = match &c.workers.webhooks {
        Some(settings) => {
            let worker = hotline::workers::webhooks::WebhookWorker::new(&state.app, settings.clone())?;
            Some(hotline::workers::webhooks::spawn(
                state.app.clone(),
                worker,
                workers_stop.clone(),
            ))
        }
        None => None,
    };
    let deadlines =
        hotline::workers::deadlines::spawn(state.app.clone(), c.workers.deadline_risk, workers_stop.clone());
    let retention =
        hotline::workers::retention::spawn(state.app.clone(), c.workers.event_retention, workers_stop.clone());
    let day_summaries = hotline::workers::day_summaries::spawn(state.app.clone(), workers_stop);
    // Other replicas' events reach this one's live stream (PostgreSQL).
    let listener_task = db.spawn_event_listener();
    let hub = state.events.clone();
    let app = hotline_http::app(state);
    let signal = shutdown_signal();
    // Open live streams would hold graceful shutdown up forever: end them.
    let shutdown = async move {
        signal.await;
        hub.close();
    };
    let listener = tokio::net::TcpListener::bind(c.http.listen)
        .await
        .map_err(|e| format!("HOTLINE_LISTEN: cannot listen on {}: {e}", c.http.listen))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(listen = %bound, database = %hotline::config::redact_url(&c.db.connect.url),
        startup_ms = started.elapsed().as_millis() as u64, "hotline ready");
    // Our own loop rather than axum::serve, for the header-read timeout.
    hotline::server::serve(listener, app, c.http.header_timeout, shutdown).await;
    let _ = stop_workers.send(true);
    let _ = escalation.await;
    let _ = deadlines.await;
    if let Some(w) = webhooks {
        let _ = w.await;
    }
    let _ = retention.await;
    let _ = day_summaries.await;
    if let Some(t) = listener_task {
        t.abort();
    }
    // The last spans: the exporter ends once every handle is gone.
    if let Some(t) = exporter {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), t).await;
    }
    tracing::info!("in-flight requests drained; closing the database");
    db.close().await.map_err(|e| e.to_string())
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish. The
/// handlers are installed when this is called, not when the future is first
/// polled, so a signal that arrives right after "ready" is never missed
/// (which would kill the process instead of draining it).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut term, mut int) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = term => {},
                () = int => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutdown requested");
    }
}

async fn migrate() -> Result<(), String> {
    let c = config()?;
    let db = connect(&c).await?;
    db.migrate().await.map_err(|e| format!("migration failed: {e}"))?;
    println!("migrations applied");
    Ok(())
}

fn openapi() -> Result<(), String> {
    let json = hotline_http::spec().to_pretty_json().map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

async fn create_user(name: &str, role: &str) -> Result<(), String> {
    let role: Role = role.parse().map_err(|m| format!("role {m}"))?;
    let c = config()?;
    let db = connect(&c).await?;
    prepare(&db, &c).await?;
    let given = std::env::var("HOTLINE_NEW_USER_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    let generated = given.is_none().then(|| hotline_app::secrets::random_token(15));
    let password = given.or(generated.clone()).unwrap_or_default();
    let user = bootstrap::create_user(&db, name, &password, role).await?;
    println!("created {} ({}) id {}", user.username, user.role, user.id);
    if let Some(p) = generated {
        println!("password: {p}");
    }
    Ok(())
}

async fn import_customers(file: &str) -> Result<(), String> {
    let input = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let c = config()?;
    let db = connect(&c).await?;
    prepare(&db, &c).await?;
    let started = Instant::now();
    let result = hotline_app::import::import_customers(&wiring::app(&db), &bootstrap::system(), &input).await;
    let report = result.map_err(|e| format!("{file}: {e}"))?;
    println!(
        "created {}, updated {}, unchanged {}, failed {} in {:.1} s",
        report.created,
        report.updated,
        report.unchanged,
        report.failed,
        started.elapsed().as_secs_f64()
    );
    for e in &report.errors {
        println!("line {}: {}: {}", e.line, e.field, e.message);
    }
    if report.errors.len() >= hotline_app::import::MAX_REPORTED_ERRORS {
        println!("(only the first {} errors are listed)", report.errors.len());
    }
    db.close().await.map_err(|e| e.to_string())
}

/// `seed --customers N --calls N --work-orders N`: sample data, in batches, with progress.
async fn seed(args: &[&str]) -> Result<(), String> {
    let mut customers = 0u64;
    let mut calls = 0u64;
    let mut work_orders = 0u64;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a number"))?;
        let n: u64 = value
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{flag}: {value:?} is not a number"))?;
        match *flag {
            "--customers" => customers = n,
            "--calls" => calls = n,
            "--work-orders" => work_orders = n,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let c = config()?;
    let db = connect(&c).await?;
    db.migrate().await.map_err(|e| format!("migration failed: {e}"))?;
    let now = hotline_domain::time::now();
    hotline::seed::customers(&db, customers, now).await?;
    hotline::seed::calls(&db, calls, customers, now).await?;
    hotline::seed::work_orders(&db, work_orders, now).await?;
    hotline::seed::articles(&db, now).await?;
    hotline::seed::planned_outages(&db, now).await?;
    hotline::seed::surveys(&db, customers, now).await?;
    hotline::seed::new_supply_applications(&db, now).await?;
    hotline::seed::retention(&db, &c.use_cases).await?;
    hotline::seed::day_summaries(&db, now).await?;
    hotline::seed::analyze(&db).await?;
    hotline::seed::checkpoint(&db).await;
    println!("seeded {customers} customers, {calls} calls and {work_orders} work orders");
    Ok(())
}

/// `backup` (or `restore`) with the configured database.
async fn database_copy(file: &str, backup: bool) -> Result<(), String> {
    let c = config()?;
    let url = &c.db.connect.url;
    let file = std::path::Path::new(file);
    let said = if backup {
        hotline::backup::backup(url, file).await?
    } else {
        hotline::backup::restore(url, file).await?
    };
    println!("{said}");
    Ok(())
}

/// Asks the service at `HOTLINE_LISTEN` (an unspecified address read as
/// loopback) whether it is ready; fails unless `/readyz` answers 200 within
/// three seconds.
async fn healthcheck() -> Result<(), String> {
    let c = config()?;
    let mut addr = c.http.listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .map_err(|e| e.to_string())?;
    let res = client
        .get(format!("http://{addr}/readyz"))
        .send()
        .await
        .map_err(|e| format!("not ready: {e}"))?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("not ready: /readyz answered {}", res.status()))
    }
}
