//! The binary as a user runs it: first start on an empty database, a
//! restart, a wrong setting, graceful shutdown, and the other commands.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct TempDb(PathBuf);

impl TempDb {
    fn new() -> Self {
        TempDb(std::env::temp_dir().join(format!("hotline-cli-{}.db", uuid::Uuid::now_v7())))
    }

    fn url(&self) -> String {
        format!("sqlite:{}", self.0.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{s}", self.0.display()));
        }
    }
}

fn hotline(db: &TempDb) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hotline"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATABASE_URL", db.url())
        .env("HOTLINE_LISTEN", "127.0.0.1:0");
    c
}

/// Starts `serve` and waits for its "ready" line; returns the child, the
/// address it listens on, and every stdout line so far.
#[allow(clippy::zombie_processes)] // the child is handed to the caller, which waits for it
fn start(mut cmd: Command) -> (Child, String, Vec<String>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    loop {
        let line = rx.recv_timeout(Duration::from_secs(30)).expect("server became ready");
        lines.push(line.clone());
        if line.contains("hotline ready") {
            let v: serde_json::Value = serde_json::from_str(&line).expect("JSON log line");
            let addr = v["fields"]["listen"].as_str().unwrap().to_string();
            return (child, addr, lines);
        }
    }
}

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().ok();
    panic!("did not stop within 10 s of SIGTERM");
}

#[test]
fn first_start_creates_admin_once_and_sigterm_stops_cleanly() {
    let db = TempDb::new();
    let (mut child, addr, lines) = start(hotline(&db));
    let created = lines.iter().find(|l| l.contains("Created user `admin` with password"));
    assert!(created.is_some(), "the generated password is shown: {lines:?}");
    let health = http_get(&addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(http_get(&addr, "/readyz").starts_with("HTTP/1.1 200"));
    assert!(terminate(&mut child).success(), "exit 0 after draining");

    // A restart on the same database: no new admin, no password printed.
    let (mut child, _, lines) = start(hotline(&db));
    assert!(!lines.iter().any(|l| l.contains("password")), "{lines:?}");
    assert!(terminate(&mut child).success());
}

#[test]
fn the_configured_admin_password_is_used() {
    let db = TempDb::new();
    let mut cmd = hotline(&db);
    cmd.env("HOTLINE_ADMIN_PASSWORD", "chosen by the operator");
    let (mut child, addr, lines) = start(cmd);
    assert!(!lines.iter().any(|l| l.contains("password")));
    let body = r#"{"username":"admin","password":"chosen by the operator"}"#;
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("access_token"));
    terminate(&mut child);
}

#[test]
fn a_wrong_setting_names_the_variable() {
    let db = TempDb::new();
    let out = hotline(&db).env("HOTLINE_LISTEN", "everywhere").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOTLINE_LISTEN"));
    let out = hotline(&db).env("HOTLINE_JWT_SECRET", "short").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOTLINE_JWT_SECRET"));
}

#[test]
fn migrate_user_create_and_openapi_commands() {
    let db = TempDb::new();
    let out = hotline(&db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = hotline(&db)
        .args(["user", "create", "Lan", "agent"])
        .env("HOTLINE_NEW_USER_PASSWORD", "a good long password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created lan (agent)"));
    let again = hotline(&db).args(["user", "create", "lan", "agent"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("taken"));
    let bad_role = hotline(&db).args(["user", "create", "minh", "boss"]).output().unwrap();
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("role"));

    let spec = hotline(&db).arg("openapi").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&spec.stdout).expect("the spec is JSON");
    assert!(v["paths"]["/api/v1/calls"].is_object());
    let unknown = hotline(&db).arg("frobnicate").output().unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("usage"));
}

#[test]
fn seed_fills_a_database_with_sample_data() {
    let db = TempDb::new();
    let out = hotline(&db)
        .args(["seed", "--customers", "300", "--calls", "1_000"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("seeded 300 customers, 1000 calls and 0 work orders"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("calls: 1000/1000 (100%)"),
        "progress is shown"
    );
    let bad = hotline(&db).args(["seed", "--calls", "lots"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--calls"));
}

#[test]
fn a_replica_that_does_not_migrate_starts_only_on_its_own_schema() {
    let db = TempDb::new();
    let replica = |db: &TempDb| {
        let mut c = hotline(db);
        c.env("HOTLINE_MIGRATE_ON_START", "false");
        c
    };
    // Not migrated yet: behind this build.
    let out = replica(&db).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("behind this build") && said.contains("hotline migrate"),
        "{said}"
    );

    // Migrated by another process: it starts.
    assert!(hotline(&db).arg("migrate").output().unwrap().status.success());
    let (mut child, _, _) = start(replica(&db));
    assert!(terminate(&mut child).success());

    // Migrated on by a newer build: refused, naming what it does not know.
    let newer = "m20991231_000999_from_a_newer_build";
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = sea_orm::Database::connect(db.url()).await.unwrap();
        conn.execute_unprepared(&format!(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('{newer}', 0)"
        ))
        .await
        .unwrap();
    });
    let out = replica(&db).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains(newer) && said.contains("newer build"), "{said}");
}
