//! Fault drills against the real binary, on SQLite and (with
//! `HOTLINE_TEST_DATABASE_URL`) on PostgreSQL: a crash under load loses no
//! acknowledged call and retries with the same idempotency keys store
//! nothing twice; SIGTERM under load drains every accepted request; a
//! backup taken under load restores every call acknowledged before it.
//!
//! Each drill runs a few seconds of load from plain threads over loopback.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement};

const ADMIN_PASSWORD: &str = "drill admin password";
const CLIENTS: usize = 12;

/// A database for one drill: a SQLite file, or a fresh PostgreSQL database.
struct DrillDb {
    url: String,
    file: Option<PathBuf>,
    pg: Option<(String, String)>,
}

impl DrillDb {
    fn new(rt: &tokio::runtime::Runtime) -> DrillDb {
        match std::env::var("HOTLINE_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("hotline_drill_{}", uuid::Uuid::now_v7().simple());
                rt.block_on(async {
                    let db = Database::connect(&admin).await.expect("connect");
                    db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                        .await
                        .expect("create");
                    db.close().await.ok();
                });
                let url = match admin.rsplit_once('/') {
                    Some((base, _)) => format!("{base}/{name}"),
                    None => panic!("HOTLINE_TEST_DATABASE_URL has no database name"),
                };
                DrillDb {
                    url,
                    file: None,
                    pg: Some((admin, name)),
                }
            }
            _ => {
                let file = std::env::temp_dir().join(format!("hotline-drill-{}.db", uuid::Uuid::now_v7()));
                DrillDb {
                    url: format!("sqlite:{}", file.display()),
                    file: Some(file),
                    pg: None,
                }
            }
        }
    }

    /// How many calls carry each drill key (as `external_id`).
    fn stored(&self, rt: &tokio::runtime::Runtime) -> HashMap<String, i64> {
        rt.block_on(async {
            let db = Database::connect(&self.url).await.expect("connect");
            let sql =
                "SELECT external_id, COUNT(*) AS n FROM calls WHERE external_id LIKE 'drill-%' GROUP BY external_id";
            let rows = db
                .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .expect("count calls");
            let out = rows
                .iter()
                .map(|r| {
                    (
                        r.try_get::<String>("", "external_id").unwrap(),
                        r.try_get::<i64>("", "n").unwrap(),
                    )
                })
                .collect();
            db.close().await.ok();
            out
        })
    }

    fn drop_with(&mut self, rt: &tokio::runtime::Runtime) {
        if let Some(f) = &self.file {
            for s in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{s}", f.display()));
            }
        }
        if let Some((admin, name)) = self.pg.take() {
            rt.block_on(async {
                if let Ok(db) = Database::connect(&admin).await {
                    let _ = db
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    db.close().await.ok();
                }
            });
        }
    }
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &DrillDb) -> Server {
        Server::start_on(&db.url)
    }

    #[allow(clippy::zombie_processes)] // killed or waited for by the drill
    fn start_on(url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOTLINE_DATABASE_URL", url)
            .env("HOTLINE_LISTEN", "127.0.0.1:0")
            .env("HOTLINE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("HOTLINE_JWT_SECRET", "a drill secret that is long enough for hs256")
            .env("HOTLINE_LOG", "warn,hotline=info")
            // The load here is a flood from one key: not what limits are for.
            .env("HOTLINE_RATE_LIMIT_PER_MINUTE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the server became ready");
            if line.contains("hotline ready") {
                let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON log line");
                let addr = v["fields"]["listen"].as_str().unwrap().to_string();
                // Keep draining stdout so the server never blocks on it.
                std::thread::spawn(move || while rx.recv().is_ok() {});
                return Server { child, addr };
            }
        }
    }

    fn signal(&self, sig: &str) {
        Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .expect("kill");
    }

    fn wait(mut self, within: Duration) -> std::process::ExitStatus {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().ok();
        panic!("the server did not stop within {within:?}");
    }
}

/// One HTTP/1.1 request on its own connection; the status and body, or the
/// I/O error (refused, reset, timed out).
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> std::io::Result<(u16, String)> {
    http_full(addr, method, path, headers, body).map(|(s, _, b)| (s, b))
}

/// [`http`] with the response's header block too.
fn http_full(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: drill\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes())?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let status = out
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {out:?}")))?;
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((out.as_str(), ""));
    Ok((status, head.to_ascii_lowercase(), body.to_string()))
}

fn token(addr: &str) -> String {
    let body = format!(r#"{{"username":"admin","password":"{ADMIN_PASSWORD}"}}"#);
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/json")],
        &body,
    )
    .expect("sign in");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["access_token"].as_str().unwrap().to_string()
}

fn call_body(key: &str) -> String {
    serde_json::json!({
        "direction": "inbound",
        "caller_number": "0912 345 678",
        "callee_number": "1900 1006",
        "started_at": "2026-11-20T08:00:00+07:00",
        "answered_at": "2026-11-20T08:00:20+07:00",
        "ended_at": "2026-11-20T08:03:00+07:00",
        "agent": "lan",
        "category": "outage",
        "caller_name": "Trần Thị Bích",
        "notes": "Mất điện sau cơn bão",
        "external_id": key,
    })
    .to_string()
}

fn post_call(addr: &str, token: &str, key: &str) -> std::io::Result<(u16, String)> {
    post_call_full(addr, token, key).map(|(s, _, b)| (s, b))
}

fn post_call_full(addr: &str, token: &str, key: &str) -> std::io::Result<(u16, String, String)> {
    let bearer = format!("Bearer {token}");
    http_full(
        addr,
        "POST",
        "/api/v1/calls",
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
        ],
        &call_body(key),
    )
}

/// What the clients saw: every key sent, and the answer each got (None when
/// the connection failed).
type Outcomes = Arc<Mutex<Vec<(String, Option<u16>)>>>;

/// `CLIENTS` threads posting calls, each with a fresh idempotency key, until
/// `stop`; the first failure of a connection ends that client.
fn load(addr: &str, token: &str, stop: Arc<AtomicBool>) -> (Vec<std::thread::JoinHandle<()>>, Outcomes) {
    let outcomes: Outcomes = Arc::default();
    let threads = (0..CLIENTS)
        .map(|_| {
            let (addr, token, stop, outcomes) = (addr.to_string(), token.to_string(), stop.clone(), outcomes.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let key = format!("drill-{}", uuid::Uuid::now_v7());
                    let got = post_call(&addr, &token, &key).ok().map(|(s, _)| s);
                    outcomes.lock().unwrap().push((key, got));
                    if got.is_none() {
                        break;
                    }
                }
            })
        })
        .collect();
    (threads, outcomes)
}

/// Lets the load run until `n` requests were answered (or 15 s passed), so
/// a busy machine still gets a real drill.
fn until_answered(outcomes: &Outcomes, n: usize) {
    let until = Instant::now() + Duration::from_secs(15);
    while Instant::now() < until && outcomes.lock().unwrap().len() < n {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts a server on `db`, loads it until 200 requests were answered, sends
/// it `signal` and waits for it to stop; answers what every client saw and
/// how the server exited.
fn signal_under_load(db: &DrillDb, signal: &str) -> (Vec<(String, Option<u16>)>, std::process::ExitStatus) {
    let server = Server::start(db);
    let token = token(&server.addr);
    let stop = Arc::new(AtomicBool::new(false));
    let (threads, outcomes) = load(&server.addr, &token, stop.clone());
    until_answered(&outcomes, 200);
    server.signal(signal);
    let status = server.wait(Duration::from_secs(20));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let outcomes = outcomes.lock().unwrap().clone();
    (outcomes, status)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_crash_under_load_loses_no_acknowledged_call_and_retries_store_nothing_twice() {
    let rt = runtime();
    let mut db = DrillDb::new(&rt);
    let (outcomes, _) = signal_under_load(&db, "-KILL");
    let acked: HashSet<&String> = outcomes
        .iter()
        .filter(|(_, s)| s.is_some_and(|s| (200..300).contains(&s)))
        .map(|(k, _)| k)
        .collect();
    assert!(acked.len() > 20, "the load ran: {} acknowledged", acked.len());
    assert!(
        outcomes.iter().all(|(_, s)| s.is_none_or(|s| s == 201)),
        "only 201s before the crash"
    );

    // Every acknowledged call survived, once.
    let stored = db.stored(&rt);
    for k in &acked {
        assert_eq!(stored.get(*k), Some(&1), "acknowledged call {k} stored exactly once");
    }
    assert!(stored.values().all(|n| *n == 1), "no key stored twice");

    // The clients retry every request with its key after the restart: the
    // acknowledged ones replay, the lost ones are stored now, none twice.
    let server = Server::start(&db);
    let token = self::token(&server.addr);
    for (key, _) in &outcomes {
        let (status, body) = post_call(&server.addr, &token, key).expect("retry");
        assert_eq!(status, 201, "retry of {key}: {body}");
    }
    let stored = db.stored(&rt);
    assert_eq!(stored.len(), outcomes.len(), "every request stored in the end");
    assert!(stored.values().all(|n| *n == 1), "no duplicates after retries");
    server.signal("-TERM");
    assert!(server.wait(Duration::from_secs(15)).success());
    db.drop_with(&rt);
}

/// Runs `hotline <args>` against the database at `url`: whether it
/// succeeded, and what it printed.
fn hotline_cli(url: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATABASE_URL", url)
        .env("HOTLINE_LOG", "warn")
        .args(args)
        .output()
        .expect("run hotline");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// The keys answered 2xx so far.
fn acknowledged(outcomes: &Outcomes) -> HashSet<String> {
    outcomes
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, s)| s.is_some_and(|s| (200..300).contains(&s)))
        .map(|(k, _)| k.clone())
        .collect()
}

#[test]
fn a_backup_taken_under_load_restores_every_call_acknowledged_before_it() {
    let rt = runtime();
    let mut db = DrillDb::new(&rt);
    let server = Server::start(&db);
    let token = token(&server.addr);
    let stop = Arc::new(AtomicBool::new(false));
    let (threads, outcomes) = load(&server.addr, &token, stop.clone());
    until_answered(&outcomes, 200);
    let before = acknowledged(&outcomes);
    let sent_before = outcomes.lock().unwrap().len();
    let file = std::env::temp_dir().join(format!("hotline-backup-{}.copy", uuid::Uuid::now_v7()));
    let (ok, said) = hotline_cli(&db.url, &["backup", file.to_str().unwrap()]);
    assert!(ok, "backup under load: {said}");
    // The service kept taking calls while the copy was made, and after.
    let answered = outcomes.lock().unwrap().len();
    until_answered(&outcomes, answered + 100);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let outcomes = outcomes.lock().unwrap().clone();
    assert!(outcomes.len() > sent_before + 50, "the load went on past the backup");
    assert!(
        outcomes.iter().all(|(_, s)| *s == Some(201)),
        "every call was taken during the backup"
    );
    server.signal("-TERM");
    assert!(server.wait(Duration::from_secs(20)).success());
    assert!(
        hotline_cli(&db.url, &["backup", file.to_str().unwrap()])
            .1
            .contains("exists already"),
        "a backup never overwrites a file"
    );

    // Restored into a new database: every call acknowledged before the
    // backup began is there, once; none is there twice.
    let mut restored = DrillDb::new(&rt);
    let (ok, said) = hotline_cli(&restored.url, &["restore", file.to_str().unwrap()]);
    assert!(ok, "restore: {said}");
    let stored = restored.stored(&rt);
    for k in &before {
        assert_eq!(stored.get(k), Some(&1), "call {k} acknowledged before the backup");
    }
    assert!(stored.values().all(|n| *n == 1), "no call twice");
    assert!(stored.len() >= before.len());

    // The service comes back on it and serves.
    let server = Server::start(&restored);
    let token = self::token(&server.addr);
    let auth = format!("Bearer {token}");
    let (status, body) = http(
        &server.addr,
        "GET",
        "/api/v1/calls?limit=1",
        &[("Authorization", &auth)],
        "",
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    server.signal("-TERM");
    assert!(server.wait(Duration::from_secs(20)).success());

    // Restoring over a SQLite database keeps the one there aside.
    if let Some(target) = &restored.file {
        let (ok, said) = hotline_cli(&restored.url, &["restore", file.to_str().unwrap()]);
        assert!(ok, "{said}");
        let aside = said
            .lines()
            .find_map(|l| l.strip_prefix("the database there before is kept as "))
            .unwrap_or_else(|| panic!("where the old one went: {said}"));
        assert!(std::path::Path::new(aside).is_file(), "{aside}");
        assert!(target.is_file());
        for part in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{aside}{part}"));
        }
    }
    let _ = std::fs::remove_file(&file);
    db.drop_with(&rt);
    restored.drop_with(&rt);
}

#[test]
fn sigterm_under_load_drains_every_accepted_request() {
    let rt = runtime();
    let mut db = DrillDb::new(&rt);
    let (outcomes, status) = signal_under_load(&db, "-TERM");
    assert!(status.success(), "exit 0 after draining: {status:?}");
    let answered: Vec<&(String, Option<u16>)> = outcomes.iter().filter(|(_, s)| s.is_some()).collect();
    assert!(answered.len() > 20, "the load ran: {} answered", answered.len());
    for (key, s) in &answered {
        assert_eq!(*s, Some(201), "{key}: an accepted request is answered, not dropped");
    }
    let stored = db.stored(&rt);
    for (key, _) in &answered {
        assert_eq!(stored.get(key), Some(&1), "{key} answered 201 and stored once");
    }
    db.drop_with(&rt);
}

/// Opens the live stream and reads its response head; the stream stays open.
fn open_stream(addr: &str, token: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(
        s,
        "GET /api/v1/stream HTTP/1.1\r\nHost: drill\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).expect("the stream's response head");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("text/event-stream"), "{head}");
    s
}

/// Reads `s` until the server ends it cleanly; false when it broke off or
/// is still open after `within` (a live stream sends keep-alive comments, so a read timeout
/// alone would never come).
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let until = Instant::now() + within;
    s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut buf = [0u8; 4096];
    while Instant::now() < until {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return false,
        }
    }
    false
}

/// Waits until a fresh connection is refused: the listener is closed.
fn until_refused(addr: &str) {
    let until = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < until, "the listener still accepts 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGTERM while a request is half sent and a live stream is open: the
/// server stops accepting at once, ends the stream (its client reconnects
/// elsewhere), waits for the rest of the request, answers and stores it,
/// and only then exits 0.
#[test]
fn sigterm_lets_a_request_in_flight_finish_and_ends_live_streams() {
    let rt = runtime();
    let mut db = DrillDb::new(&rt);
    let server = Server::start(&db);
    let token = token(&server.addr);
    let mut stream = open_stream(&server.addr, &token);

    let key = format!("drill-{}", uuid::Uuid::now_v7());
    let body = call_body(&key);
    let (first, rest) = body.split_at(body.len() / 2);
    let mut slow = TcpStream::connect(&server.addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        slow,
        "POST /api/v1/calls HTTP/1.1\r\nHost: drill\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nIdempotency-Key: {key}\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));

    server.signal("-TERM");
    until_refused(&server.addr);
    if !closed_within(&mut stream, Duration::from_secs(10)) {
        server.signal("-KILL");
        panic!("the live stream did not end cleanly within 10 s of SIGTERM");
    }

    std::thread::sleep(Duration::from_millis(500));
    slow.write_all(rest.as_bytes())
        .expect("the request in flight is still read");
    let mut answer = String::new();
    slow.read_to_string(&mut answer).expect("an answer");
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request in flight is answered: {answer}"
    );
    assert!(server.wait(Duration::from_secs(20)).success(), "exit 0 after draining");
    assert_eq!(db.stored(&rt).get(&key), Some(&1), "{key} answered 201 and stored once");
    db.drop_with(&rt);
}

/// A private PostgreSQL cluster this drill may stop and start (the suite's
/// shared one must keep running for the other tests).
struct PrivateCluster {
    state: PathBuf,
    url: String,
}

impl PrivateCluster {
    fn script(&self, cmd: &str) -> std::process::Output {
        Command::new("bash")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres.sh"))
            .arg(cmd)
            .env("HOTLINE_CI_PG_STATE", &self.state)
            .env("HOTLINE_CI_PG_PORT", "56432")
            .output()
            .expect("run .ci/postgres.sh")
    }

    fn start() -> PrivateCluster {
        let mut c = PrivateCluster {
            state: std::env::temp_dir().join(format!("hotline-drill-pg-{}.env", uuid::Uuid::now_v7())),
            url: String::new(),
        };
        let out = c.script("start");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let exports = String::from_utf8_lossy(&out.stdout);
        let admin = exports
            .lines()
            .find_map(|l| l.strip_prefix("export HOTLINE_TEST_DATABASE_URL="))
            .expect("the cluster's URL")
            .trim_matches(['\'', '"'])
            .to_string();
        c.url = admin;
        c
    }

    fn pause(&self) {
        let out = self.script("pause");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    fn resume(&self) {
        let out = self.script("resume");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self.script("stop");
    }
}

/// What one request saw: its status (None: no HTTP answer), how long it
/// took, and its Retry-After and content type.
#[derive(Debug, Clone)]
struct Seen {
    status: Option<u16>,
    took: Duration,
    head: String,
    body: String,
}

fn timed_post(addr: &str, token: &str) -> Seen {
    let started = Instant::now();
    let key = format!("drill-{}", uuid::Uuid::now_v7());
    match post_call_full(addr, token, &key) {
        Ok((s, head, body)) => Seen {
            status: Some(s),
            took: started.elapsed(),
            head,
            body,
        },
        Err(e) => Seen {
            status: None,
            took: started.elapsed(),
            head: String::new(),
            body: e.to_string(),
        },
    }
}

/// PostgreSQL goes away under load: requests fail fast with 503 and
/// Retry-After, /readyz turns red, and when the database is back the
/// service recovers by itself. A PostgreSQL drill: it runs in the
/// PostgreSQL pass of the suite (`HOTLINE_TEST_DATABASE_URL` set), on a
/// cluster of its own.
#[test]
fn losing_postgres_fails_fast_with_503_and_recovers_without_a_restart() {
    if std::env::var("HOTLINE_TEST_DATABASE_URL").is_err() {
        return; // the SQLite pass: there is no database server to lose
    }
    let cluster = PrivateCluster::start();
    let server = Server::start_on(&cluster.url);
    let token = token(&server.addr);
    for _ in 0..5 {
        assert_eq!(timed_post(&server.addr, &token).status, Some(201));
    }

    cluster.pause();
    let down = Instant::now();
    let mut seen = Vec::new();
    while down.elapsed() < Duration::from_secs(8) {
        seen.push(timed_post(&server.addr, &token));
    }
    for s in &seen {
        assert_eq!(s.status, Some(503), "the database is down: {s:?}");
        assert!(s.took < Duration::from_secs(8), "failed fast: {s:?}");
        assert!(s.body.contains("\"status\":503"), "problem+json: {s:?}");
        assert!(s.head.contains("content-type: application/problem+json"), "{s:?}");
        assert!(s.head.contains("retry-after: "), "says when to retry: {s:?}");
    }
    let (ready, _) = http(&server.addr, "GET", "/readyz", &[], "").expect("readyz");
    assert_eq!(ready, 503, "/readyz is red while the database is down");

    cluster.resume();
    let back = Instant::now();
    let recovered = loop {
        let s = timed_post(&server.addr, &token);
        if s.status == Some(201) {
            break back.elapsed();
        }
        assert!(back.elapsed() < Duration::from_secs(30), "recovered within 30 s: {s:?}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let (ready, _) = http(&server.addr, "GET", "/readyz", &[], "").expect("readyz");
    assert_eq!(ready, 200, "/readyz is green again");
    eprintln!("recovered {recovered:?} after the database came back");
    server.signal("-TERM");
    assert!(server.wait(Duration::from_secs(15)).success());
}
