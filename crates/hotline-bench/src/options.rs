//! Command-line options.

use std::time::Duration;

pub const USAGE: &str =
    "usage: hotline-bench <read|import|ingest|baseline|ingest-vs-baseline|cti|reports|storm|work-orders|ramp|footprint> [options]
  --database sqlite|postgres  backend (postgres needs HOTLINE_BENCH_DATABASE_URL, a server
                              where the bench may create a database); default sqlite
  --connections N             concurrent connections (default 64)
  --duration SECONDS          how long to drive load per phase (default 10; ramp: 60, the length
                              of the ramp)
  --rate R                    ingest, cti, work-orders: open loop at R requests a second (cti: R call
                              sequences a second), sent on time whatever the server answers, latency
                              from each request's intended send; --connections is then unused
  --dashboards N              storm, ramp: dashboards refreshing beside the calls (default 8)
  --customers N               customers to seed (default 1000000 for read, 100000 for reports, storm
                              and ramp, 0 otherwise)
  --calls N                   calls to seed (default 1000000 for read and reports, 200000 for storm
                              and ramp, 0 otherwise)
  --work-orders N             work orders to seed (default 200000 for reports, storm and ramp,
                              0 otherwise)
  --rows N                    CSV rows for the import scenario (default 100000)
  --pool N                    database connections of the server and of baseline
                              (default: the server's default, 8 on SQLite, 32 on PostgreSQL)
  --server PATH               the hotline binary (default: the release build, rebuilt first)
  --replicas N                servers on the one database (default 1); requests go to them in turn,
                              as a round-robin balancer sends them; the first migrates, the others
                              start after it without migrating

footprint logs 4000 calls (300-character Vietnamese notes, each with an Idempotency-Key) on a
fresh database and prints what each table and index grew by, per call; then as many calls logged
by a PBX (Zammad CTI: newCall, answer, hangup), the same way";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Read,
    Import,
    Ingest,
    /// The rows of `ingest` through the server's store (no HTTP).
    Baseline,
    /// `baseline` then `ingest` on the same database, and their ratio.
    IngestVsBaseline,
    Cti,
    Reports,
    /// `ingest` alone, then again while dashboards refresh reports.
    Storm,
    /// `POST /api/v1/work-orders`, then a check of the codes given.
    WorkOrders,
    /// Open-loop CTI calls ramping from 5 to 300 a second beside dashboards.
    Ramp,
    /// Bytes on disk per logged call, table by table.
    Footprint,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub scenario: Scenario,
    pub postgres: bool,
    pub connections: usize,
    /// `storm`: concurrent dashboards beside the calls.
    pub dashboards: usize,
    pub duration: Duration,
    /// Open loop at this many arrivals a second (None: closed loop).
    pub rate: Option<f64>,
    pub customers: u64,
    pub calls: u64,
    pub work_orders: u64,
    pub rows: u64,
    pub server: Option<String>,
    pub pool: Option<u32>,
    pub replicas: u32,
}

impl Options {
    pub fn from_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let scenario = match args.next().as_deref() {
            Some("read") => Scenario::Read,
            Some("import") => Scenario::Import,
            Some("ingest") => Scenario::Ingest,
            Some("baseline") => Scenario::Baseline,
            Some("ingest-vs-baseline") => Scenario::IngestVsBaseline,
            Some("cti") => Scenario::Cti,
            Some("reports") => Scenario::Reports,
            Some("storm") => Scenario::Storm,
            Some("work-orders") => Scenario::WorkOrders,
            Some("ramp") => Scenario::Ramp,
            Some("footprint") => Scenario::Footprint,
            Some(other) => return Err(format!("unknown scenario {other:?}")),
            None => return Err("name a scenario".into()),
        };
        let dashboards = matches!(scenario, Scenario::Reports | Scenario::Storm | Scenario::Ramp);
        let mut o = Options {
            scenario,
            postgres: false,
            connections: 64,
            dashboards: 8,
            duration: Duration::from_secs(if scenario == Scenario::Ramp { 60 } else { 10 }),
            rate: None,
            customers: match scenario {
                Scenario::Read => 1_000_000,
                Scenario::Reports | Scenario::Storm | Scenario::Ramp => 100_000,
                _ => 0,
            },
            calls: match scenario {
                Scenario::Read | Scenario::Reports => 1_000_000,
                Scenario::Storm | Scenario::Ramp => 200_000,
                _ => 0,
            },
            work_orders: if dashboards { 200_000 } else { 0 },
            rows: 100_000,
            server: None,
            replicas: 1,
            pool: None,
        };
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .replace('_', "")
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: {value:?} is not a number"))
            };
            match flag.as_str() {
                "--database" => {
                    o.postgres = match value.as_str() {
                        "sqlite" => false,
                        "postgres" => true,
                        other => return Err(format!("--database {other:?}: sqlite or postgres")),
                    }
                }
                "--connections" => o.connections = number()?.max(1) as usize,
                "--dashboards" => o.dashboards = number()?.max(1) as usize,
                "--duration" => o.duration = Duration::from_secs(number()?.max(1)),
                "--rate" => {
                    if !matches!(scenario, Scenario::Ingest | Scenario::Cti | Scenario::WorkOrders) {
                        return Err("--rate is for ingest, cti and work-orders".into());
                    }
                    let rate: f64 = value
                        .parse()
                        .map_err(|_| format!("--rate: {value:?} is not a number"))?;
                    if !(rate.is_finite() && rate > 0.0) {
                        return Err("--rate must be above 0".into());
                    }
                    o.rate = Some(rate);
                }
                "--customers" => o.customers = number()?,
                "--calls" => o.calls = number()?,
                "--work-orders" => o.work_orders = number()?,
                "--rows" => o.rows = number()?,
                "--server" => o.server = Some(value),
                "--pool" => o.pool = Some(number()?.clamp(1, 1000) as u32),
                "--replicas" => o.replicas = number()?.clamp(1, 16) as u32,
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(o)
    }
}
