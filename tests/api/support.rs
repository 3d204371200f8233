//! The test harness: a fresh database and app per test, and a small client;
//! the fixtures tests stand on are in [`fixtures`], changes under `If-Match`
//! in [`changes`].

pub mod changes;
pub mod fixtures;
mod language;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use hotline::wiring;
use hotline_app::{App, Clock, FixedClock, Settings, SystemClock};
use hotline_http::auth::jwt::JwtKeys;
use hotline_http::auth::principals::PrincipalCache;
use hotline_http::{AppState, HttpConfig};
use hotline_persistence::{Db, DbConfig};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

pub const ADMIN_PASSWORD: &str = "correct horse battery";
pub const JWT_SECRET: &[u8] = b"test secret that is long enough for hs256";

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    /// The database's URL, for a second replica on it.
    pub url: String,
    pub admin: String,
    sqlite_file: Option<std::path::PathBuf>,
    postgres_database: Option<String>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(f) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
        if let (Some(name), Ok(admin_url)) = (
            self.postgres_database.take(),
            std::env::var("HOTLINE_TEST_DATABASE_URL"),
        ) {
            // Drop runs outside async; a short-lived runtime on its own thread does the clean-up.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let admin = Database::connect(&admin_url).await.ok()?;
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    admin
                        .execute_raw(Statement::from_string(admin.get_database_backend(), sql))
                        .await
                        .ok()?;
                    admin.close().await.ok()
                })
            })
            .join();
        }
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json answer with this status and type, and returns it.
    pub fn problem(&self, status: u16, kind: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "body: {}",
            self.text
        );
        let p = self.json();
        assert_eq!(p["type"], format!("/problems/{kind}"), "body: {}", self.text);
        assert_eq!(p["status"], status);
        assert!(p["title"].is_string() && p["detail"].is_string());
        p
    }

    /// The fields named in a problem's `errors`.
    pub fn fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A database URL for one test, with what to delete afterwards.
async fn fresh_database() -> (String, Option<std::path::PathBuf>, Option<String>) {
    match std::env::var("HOTLINE_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let name = format!("hotline_test_{}", Uuid::now_v7().simple());
            (postgres_database(&url, &name).await, None, Some(name))
        }
        _ => {
            let file = std::env::temp_dir().join(format!("hotline-test-{}.db", Uuid::now_v7()));
            (format!("sqlite:{}", file.display()), Some(file), None)
        }
    }
}

/// A new database cloned from a migrated template (created once per
/// migration set, under an advisory lock so parallel tests agree).
async fn postgres_database(admin_url: &str, name: &str) -> String {
    use sea_orm_migration::MigratorTrait;
    let names: Vec<String> = hotline_persistence::migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let template = format!("hotline_tmpl_{:x}", fnv(&names.join(",")));
    let admin = Database::connect(admin_url)
        .await
        .expect("connect to HOTLINE_TEST_DATABASE_URL");
    let exec = |sql: String| {
        let admin = admin.clone();
        async move {
            admin
                .execute_raw(Statement::from_string(admin.get_database_backend(), sql))
                .await
        }
    };
    exec("SELECT pg_advisory_lock(7410061)".into()).await.expect("lock");
    let exists = admin
        .query_one_raw(Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT 1 FROM pg_database WHERE datname = '{template}'"),
        ))
        .await
        .expect("query templates")
        .is_some();
    if !exists {
        exec(format!("CREATE DATABASE {template}"))
            .await
            .expect("create template");
        let db = Db::connect(&DbConfig::new(with_database(admin_url, &template)))
            .await
            .expect("connect template");
        db.migrate().await.expect("migrate template");
        db.close().await.expect("close template");
    }
    exec(format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("create test database");
    exec("SELECT pg_advisory_unlock(7410061)".into()).await.expect("unlock");
    admin.close().await.ok();
    with_database(admin_url, name)
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_config(HttpConfig::default()).await
    }

    pub async fn with_config(config: HttpConfig) -> TestApp {
        Self::with_settings(config, Settings::default()).await
    }

    /// With the use cases' settings too (outage clustering).
    pub async fn with_settings(config: HttpConfig, settings: Settings) -> TestApp {
        Self::build(config, settings, Arc::new(SystemClock)).await
    }

    /// On a clock the test holds: the service's "now" (codes' years,
    /// deadlines, tokens, history lines) is what the test sets.
    pub async fn at(clock: Arc<FixedClock>) -> TestApp {
        Self::build(HttpConfig::default(), Settings::default(), clock).await
    }

    /// Recording spans to `spans` (an exporter's handle).
    pub async fn with_spans(spans: hotline_app::trace::Spans) -> TestApp {
        Self::build_with(HttpConfig::default(), Settings::default(), Arc::new(SystemClock), spans).await
    }

    async fn build(config: HttpConfig, settings: Settings, clock: Arc<dyn Clock>) -> TestApp {
        Self::build_with(config, settings, clock, hotline_app::trace::Spans::off()).await
    }

    async fn build_with(
        config: HttpConfig,
        settings: Settings,
        clock: Arc<dyn Clock>,
        spans: hotline_app::trace::Spans,
    ) -> TestApp {
        let (url, sqlite_file, postgres_database) = fresh_database().await;
        let mut db_config = DbConfig::new(url.clone());
        db_config.max_connections = 8;
        // The strictest setting: a report whose reads waited on each
        // other's turns would hang every report test.
        db_config.report_queries = 1;
        let db = Db::connect(&db_config).await.expect("connect");
        db.migrate().await.expect("migrate");
        hotline::bootstrap::ensure_admin(&db, Some(ADMIN_PASSWORD))
            .await
            .expect("admin");
        let app = App::new(Arc::new(db.clone()), settings)
            .with_clock(clock)
            .with_spans(spans);
        let state = AppState {
            events: hotline_http::stream::EventHub::new(app.store.clone()),
            app,
            jwt: Arc::new(JwtKeys::new(JWT_SECRET)),
            principals: Arc::new(PrincipalCache::new(config.auth_cache)),
            config: Arc::new(config),
            metrics: hotline_http::middleware::install_recorder(),
        };
        let router = hotline_http::app(state);
        let mut app = TestApp {
            router,
            db,
            url,
            admin: String::new(),
            sqlite_file,
            postgres_database,
        };
        app.admin = app.login("admin", ADMIN_PASSWORD).await;
        app
    }

    /// Another handle on the same database, with its own connections, as
    /// another replica's process has.
    pub async fn second_db(&self) -> Db {
        Db::connect(&DbConfig::new(self.url.clone())).await.expect("connect")
    }

    /// A second replica on the same database: its own connections, event
    /// listener and live-stream hub, as another process would have.
    pub async fn replica(&self) -> Router {
        let db = self.second_db().await;
        db.spawn_event_listener();
        let app = wiring::app(&db);
        hotline_http::app(AppState {
            events: hotline_http::stream::EventHub::new(app.store.clone()),
            app,
            jwt: Arc::new(JwtKeys::new(JWT_SECRET)),
            principals: Arc::new(PrincipalCache::new(HttpConfig::default().auth_cache)),
            config: Arc::new(HttpConfig::default()),
            metrics: hotline_http::middleware::install_recorder(),
        })
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let reply = Reply {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        };
        language::every_text_has_vietnamese(&reply);
        reply
    }

    /// A request with an optional bearer token, JSON body and extra headers.
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            b = b.header(header::CONTENT_TYPE, "application/json");
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = body.map_or_else(Body::empty, |v| Body::from(v.to_string()));
        self.send(b.body(body).expect("request")).await
    }

    pub async fn get(&self, uri: &str, token: &str) -> Reply {
        self.call(Method::GET, uri, Some(token), None, &[]).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, uri, Some(token), Some(body), &[]).await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"username": username, "password": password})),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text);
        r.json()["access_token"].as_str().expect("token").to_string()
    }

    /// Creates a user with this role through the API and signs them in.
    pub async fn user(&self, username: &str, role: &str) -> String {
        let password = format!("{username} password");
        let r = self
            .post(
                "/api/v1/users",
                &self.admin,
                json!({"username": username, "password": password, "role": role}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        self.login(username, &password).await
    }

    /// An integration API key with this role.
    /// A user with this role, then changed by `patch` (e.g. `{"unit_code":
    /// "PB98"}` or `{"team_code": "CM01"}`), signed in.
    pub async fn placed_user(&self, username: &str, role: &str, patch: Value) -> String {
        let token = self.user(username, role).await;
        let id = self.user_id(username).await;
        let r = self
            .call(
                Method::PATCH,
                &format!("/api/v1/users/{id}"),
                Some(&self.admin),
                Some(patch),
                &[("if-match", "*")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        token
    }

    pub async fn api_key(&self, name: &str, role: &str) -> String {
        let r = self
            .post("/api/v1/api-keys", &self.admin, json!({"name": name, "role": role}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["key"].as_str().expect("key").to_string()
    }

    /// Clears the routing rules (a fresh database has the default set), so
    /// that new work orders wait in the dispatcher queue.
    pub async fn without_routing_rules(&self) {
        self.routing_rules(json!({"rules": []})).await;
    }

    /// Damages every packed call note in the database, as a bad disk
    /// would (a frame that no longer reads); answers how many.
    pub async fn damage_packed_notes(&self) -> u64 {
        let db = Database::connect(&self.url).await.unwrap();
        let backend = db.get_database_backend();
        let damaged = match backend {
            sea_orm::DbBackend::Postgres => "'\\x0201020304'::bytea",
            _ => "X'0201020304'",
        };
        let sql = format!("UPDATE calls SET notes_packed = {damaged} WHERE notes_packed IS NOT NULL");
        db.execute_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .rows_affected()
    }

    /// A call as a PBX reports it through the Zammad CTI endpoint of the
    /// integration key `token`: rung, answered by agent01, hung up.
    pub async fn pbx_call(&self, token: &str, call_id: &str, from: &str) {
        for event in ["newCall", "answer", "hangup"] {
            let body = json!({"event": event, "from": from, "to": "19001006",
                "direction": "in", "call_id": call_id, "user": "agent01"});
            let r = self
                .call(Method::POST, &format!("/api/v1/cti/{token}"), None, Some(body), &[])
                .await;
            assert_eq!(r.status, StatusCode::OK, "{event}: {}", r.text);
        }
    }

    pub async fn log_call(&self, token: &str, body: Value) -> Value {
        let r = self.post("/api/v1/calls", token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()
    }

    /// Logs `answered_call()` as the admin under the caller's `traceparent`;
    /// the context of the server's span that answered.
    pub async fn log_call_traced(&self, traceparent: &str) -> hotline_app::trace::TraceContext {
        let r = self
            .call(
                Method::POST,
                "/api/v1/calls",
                Some(&self.admin),
                Some(answered_call()),
                &[("traceparent", traceparent)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        hotline_app::trace::TraceContext::parse(r.header("traceparent").expect("traceparent")).expect("valid")
    }

    /// How many calls are stored, read straight from the database.
    pub async fn stored_calls(&self) -> u64 {
        use hotline_domain::ports::CallStore;
        let page = self
            .db
            .list(&Default::default(), None, 1, true)
            .await
            .expect("count calls");
        page.total.unwrap_or(0)
    }
}

/// A complete, valid inbound call.
pub fn answered_call() -> Value {
    json!({
        "direction": "inbound",
        "caller_number": "0912 345 678",
        "callee_number": "1900 1006",
        "started_at": "2026-11-20T08:00:00+07:00",
        "answered_at": "2026-11-20T08:00:25+07:00",
        "ended_at": "2026-11-20T08:04:05+07:00",
        "agent": "lan",
        "queue": "outage",
        "category": "outage",
        "customer_code": "PB03020045525",
        "caller_name": "Nguyễn Văn Á",
        "address": "Ấp 3, xã Tân Thành, Cà Mau",
        "notes": "Mất điện từ 7 giờ sáng"
    })
}
