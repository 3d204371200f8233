//! The server under test: its own database, seeded by `hotline seed`, run as
//! a child process on a free loopback port (or `--replicas` of them on the
//! one database); its peak memory read from /proc.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::Http;
use crate::options::Options;

pub const ADMIN_PASSWORD: &str = "benchmark admin password";

pub struct Server {
    children: Vec<Child>,
    /// The first replica's address.
    pub base: String,
    /// Every replica's address, the first first.
    pub bases: Vec<String>,
    pub startup: Duration,
    pub database: String,
    dir: PathBuf,
}

/// PostgreSQL: the database made for this run, dropped at the end unless
/// `HOTLINE_BENCH_KEEP` is set (to look into it afterwards); one named by
/// `HOTLINE_BENCH_SEEDED` is never dropped.
fn drop_database(database: &str) {
    if !database.starts_with("postgres")
        || std::env::var_os("HOTLINE_BENCH_KEEP").is_some()
        || std::env::var_os("HOTLINE_BENCH_SEEDED").is_some()
    {
        return;
    }
    let (Ok(admin), Some((_, name))) = (std::env::var("HOTLINE_BENCH_DATABASE_URL"), database.rsplit_once('/')) else {
        return;
    };
    let dropped = Command::new("psql")
        .args([admin.as_str(), "-qc", &format!("DROP DATABASE IF EXISTS {name}")])
        .stderr(Stdio::null())
        .status();
    if !dropped.is_ok_and(|s| s.success()) {
        eprintln!("could not drop the benchmark database {name}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        drop_database(&self.database);
    }
}

fn binary(opts: &Options) -> Result<PathBuf, String> {
    let path = match &opts.server {
        Some(p) => PathBuf::from(p),
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("hotline"),
    };
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: build it with `cargo build --release --bins`",
            path.display()
        ))
    }
}

/// The server's database pool (and the `baseline` scenario's): `--pool`,
/// or the server's default.
pub fn pool_size(opts: &Options) -> u32 {
    opts.pool.unwrap_or(if opts.postgres { 32 } else { 8 })
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn database_url(opts: &Options, dir: &std::path::Path) -> Result<String, String> {
    if !opts.postgres {
        return Ok(format!("sqlite:{}", dir.join("bench.db").display()));
    }
    let admin = std::env::var("HOTLINE_BENCH_DATABASE_URL")
        .map_err(|_| "--database postgres needs HOTLINE_BENCH_DATABASE_URL=postgres://…".to_string())?;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    if let Ok(seeded) = std::env::var("HOTLINE_BENCH_SEEDED") {
        // A database an earlier `hotline seed` filled (ten million calls
        // take a while): used as it is, and kept.
        return Ok(format!("{base}/{seeded}"));
    }
    let name = format!("hotline_bench_{}", std::process::id());
    let status = Command::new("psql")
        .args([
            admin.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {name}"),
            "-c",
            &format!("CREATE DATABASE {name}"),
        ])
        .status()
        .map_err(|e| format!("psql: {e}"))?;
    if !status.success() {
        return Err("could not create the benchmark database".into());
    }
    Ok(format!("{base}/{name}"))
}

impl Server {
    /// Seeds a fresh database and starts the server on it.
    pub async fn start(opts: &Options) -> Result<Server, String> {
        let bin = binary(opts)?;
        let dir = std::env::temp_dir().join(format!("hotline-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let database = database_url(opts, &dir)?;
        let seeded = std::env::var_os("HOTLINE_BENCH_SEEDED");
        if opts.postgres && seeded.is_some() {
            println!("seed: the existing database {}", hotline::config::redact_url(&database));
        } else if let Some(file) = seeded {
            // A SQLite database an earlier run seeded with the same options:
            // measured again without waiting for the seed.
            std::fs::copy(&file, dir.join("bench.db"))
                .map_err(|e| format!("{}: {e}", PathBuf::from(&file).display()))?;
            println!("seed: copied from {}", PathBuf::from(&file).display());
        } else if opts.customers + opts.calls + opts.work_orders > 0 {
            let started = Instant::now();
            let status = Command::new(&bin)
                .args([
                    "seed",
                    "--customers",
                    &opts.customers.to_string(),
                    "--calls",
                    &opts.calls.to_string(),
                    "--work-orders",
                    &opts.work_orders.to_string(),
                ])
                .env("HOTLINE_DATABASE_URL", &database)
                .stdout(Stdio::null())
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err("seeding failed".into());
            }
            println!(
                "seed: {} customers + {} calls + {} work orders in {:.1} s",
                opts.customers,
                opts.calls,
                opts.work_orders,
                started.elapsed().as_secs_f64()
            );
        }
        let started = Instant::now();
        let mut server = Server {
            children: Vec::new(),
            base: String::new(),
            bases: Vec::new(),
            startup: Duration::ZERO,
            database,
            dir,
        };
        for replica in 0..opts.replicas {
            // The first migrates; the others start on the schema it left.
            server.spawn(&bin, opts, replica == 0).await?;
            if replica == 0 {
                server.startup = started.elapsed();
            }
        }
        server.base = server.bases[0].clone();
        Ok(server)
    }

    /// Starts one replica and waits until it is ready.
    async fn spawn(&mut self, bin: &std::path::Path, opts: &Options, migrate: bool) -> Result<(), String> {
        let port = free_port()?;
        let started = Instant::now();
        let child = Command::new(bin)
            .arg("serve")
            .env("HOTLINE_DATABASE_URL", &self.database)
            .env("HOTLINE_LISTEN", format!("127.0.0.1:{port}"))
            .env("HOTLINE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("HOTLINE_LOG", "warn")
            .env("HOTLINE_DB_MAX_CONNECTIONS", pool_size(opts).to_string())
            .env("HOTLINE_MIGRATE_ON_START", if migrate { "true" } else { "false" })
            // Rate limits on, so their cost is in the figures, but far above
            // what the load generator sends, signed in or with its one key
            // (the key's default, 2,000 a second after a burst of 10,000,
            // capped the storm's 20-second phases).
            .env("HOTLINE_RATE_LIMIT_PER_MINUTE", "10000000")
            .env("HOTLINE_RATE_LIMIT_BURST", "1000000")
            .env("HOTLINE_KEY_RATE_LIMIT_PER_MINUTE", "100000000")
            .env("HOTLINE_KEY_RATE_LIMIT_BURST", "1000000")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        self.children.push(child);
        let base = format!("http://127.0.0.1:{port}");
        let probe = Http::new(base.clone(), 1);
        loop {
            if let Ok(a) = probe.get("/readyz").await
                && a.status.is_success()
            {
                break;
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err("the server did not become ready within 60 s".into());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.bases.push(base);
        Ok(())
    }

    /// Peak resident memory so far (VmHWM), in MiB, of each replica.
    pub fn peak_memory_mib(&self) -> Option<Vec<f64>> {
        self.children
            .iter()
            .map(|child| {
                let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).ok()?;
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(kib / 1024.0)
            })
            .collect()
    }
}
