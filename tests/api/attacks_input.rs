//! Hostile input and leaks: secrets in answers and logs, password guessing,
//! SQL/LIKE metacharacters and confusables in filters, values echoed in
//! headers, hostile JSON bodies and CSV files. Nothing here may answer 500,
//! and nothing rejected may be half-stored.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, header};
use hotline_http::HttpConfig;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, Reply, TestApp};

/// Log lines while the test listens; once read, later lines are dropped.
#[derive(Clone)]
struct LogBuffer(Arc<Mutex<Option<Vec<u8>>>>);

impl Write for LogBuffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if let Some(buf) = self.0.lock().unwrap().as_mut() {
            buf.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn new() -> Self {
        LogBuffer(Arc::new(Mutex::new(Some(Vec::new()))))
    }

    fn take(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap().take().unwrap_or_default()).into_owned()
    }
}

async fn send_raw(app: &TestApp, method: Method, uri: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

fn assert_no_5xx(r: &Reply, label: &str) {
    assert!(r.status.as_u16() < 500, "{label}: {} {}", r.status, r.text);
}

#[tokio::test]
async fn secrets_and_personal_data_never_appear_in_answers_errors_or_logs() {
    // A thread-local subscriber misses callsites other tests' threads hit
    // first; a global one sees everything while this test listens.
    let logs = LogBuffer::new();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_env_filter("debug")
        .with_writer(move || writer.clone())
        .finish();
    assert!(
        tracing::subscriber::set_global_default(subscriber).is_ok(),
        "the only test that installs a subscriber"
    );
    tracing::callsite::rebuild_interest_cache();

    let app = TestApp::new().await;
    let password = "mật khẩu rất bí mật 4711";
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "lan", "password": password, "role": "agent"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let signed = app
        .call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "lan", "password": password})),
            &[],
        )
        .await
        .json();
    let access = signed["access_token"].as_str().unwrap().to_string();
    let refresh1 = signed["refresh_token"].as_str().unwrap().to_string();
    let rotated = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": refresh1})),
            &[],
        )
        .await;
    let refresh2 = rotated.json()["refresh_token"].as_str().unwrap().to_string();
    let key = app.api_key("PBX Cà Mau", "integration").await;
    let hook = app
        .post(
            "/api/v1/webhooks",
            &app.admin,
            json!({"url": "https://sms.example.vn/hooks/hotline", "events": ["*"]}),
        )
        .await;
    let webhook = (hook.status == 201).then(|| hook.json());
    let hook_secret = webhook.as_ref().and_then(|w| w["secret"].as_str().map(str::to_string));

    // Uses that put the secrets where a careless service would log them.
    app.call(
        Method::POST,
        "/api/v1/auth/token",
        None,
        Some(json!({"username": "lan", "password": format!("{password}x")})),
        &[],
    )
    .await
    .problem(401, "unauthorized");
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(json!({"refresh_token": refresh1})),
        &[],
    )
    .await
    .problem(401, "unauthorized");
    app.call(
        Method::POST,
        &format!("/api/v1/cti/{key}"),
        None,
        Some(json!({"event": "newCall", "from": "0912345678", "to": "19001006", "direction": "in", "callId": "c1"})),
        &[],
    )
    .await;
    {
        use tower::ServiceExt;
        let req = Request::builder()
            .uri(format!("/api/v1/stream?access_token={access}"))
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200);
    }
    app.get(&format!("/api/v1/calls?q={key}"), &access).await;
    app.post(
        "/api/v1/users",
        &app.admin,
        json!({"username": "x", "password": password, "role": "root"}),
    )
    .await
    .problem(422, "validation");

    // Every read an admin can make of these records.
    let mut answers = Vec::new();
    for uri in [
        "/api/v1/users?limit=200".to_string(),
        "/api/v1/api-keys".to_string(),
        "/api/v1/audit?entity=user&limit=200".to_string(),
        "/api/v1/audit?entity=api_key&limit=200".to_string(),
        "/api/v1/audit?entity=webhook&limit=200".to_string(),
        "/api/v1/webhooks".to_string(),
    ] {
        answers.push((uri.clone(), app.get(&uri, &app.admin).await.text));
    }
    let users = app.get("/api/v1/users?limit=200", &app.admin).await.json();
    for u in users["items"].as_array().unwrap() {
        let uri = format!("/api/v1/users/{}", u["id"].as_str().unwrap());
        answers.push((uri.clone(), app.get(&uri, &app.admin).await.text));
    }
    if let Some(w) = &webhook {
        let uri = format!("/api/v1/webhooks/{}", w["id"].as_str().unwrap());
        answers.push((uri.clone(), app.get(&uri, &app.admin).await.text));
    }

    let stored_hash = {
        use hotline_domain::ports::UserStore;
        app.db.credentials("lan").await.unwrap().unwrap().password_hash
    };
    let mut secrets = vec![
        ("password", password.to_string()),
        ("password hash", stored_hash),
        ("argon2 marker", "$argon2".to_string()),
        ("refresh token", refresh1.clone()),
        ("rotated refresh token", refresh2.clone()),
        ("API key", key.clone()),
        ("API key hash", hotline_app::secrets::hash(&key)),
        ("admin password", ADMIN_PASSWORD.to_string()),
    ];
    if let Some(s) = hook_secret {
        secrets.push(("webhook secret", s.clone()));
        secrets.push(("webhook secret body", s.trim_start_matches("whsec_").to_string()));
    }
    // Personal data where a careless service would log it: in bodies,
    // query strings, look-ups, searches and a failing request.
    let (number, raw, name, address) = (
        "918765432",
        "0918 765 432",
        "Phạm Thị Thu Trang",
        "123 Nguyễn Trãi, phường 7, Cà Mau",
    );
    let call = app
        .post(
            "/api/v1/calls",
            &app.admin,
            json!({"direction": "inbound", "caller_number": raw, "caller_name": name, "address": address,
                   "started_at": "2026-11-20T08:00:00+07:00", "notes": format!("Gọi lại số {raw}")}),
        )
        .await;
    assert_eq!(call.status, 201, "{}", call.text);
    app.post(
        "/api/v1/calls",
        &app.admin,
        json!({"direction": "inbound", "caller_number": format!("{raw}x"), "caller_name": name,
               "started_at": "2026-11-20T08:00:00+07:00"}),
    )
    .await
    .problem(422, "validation");
    app.call(
        Method::POST,
        &format!("/api/v1/cti/{key}"),
        None,
        Some(json!({"event": "newCall", "from": raw, "to": "19001006", "direction": "in", "callId": "c2"})),
        &[],
    )
    .await;
    for (uri, token) in [
        (format!("/api/v1/cti/lookup?number=0{number}"), &app.admin),
        (format!("/api/v1/integrations/3cx/contacts?number=%2B84{number}"), &key),
        (format!("/api/v1/customers?phone=0{number}"), &app.admin),
        (format!("/api/v1/calls?caller=0{number}"), &app.admin),
        (
            "/api/v1/calls?q=Ph%E1%BA%A1m%20Th%E1%BB%8B%20Thu%20Trang".to_string(),
            &app.admin,
        ),
        (format!("/api/v1/callbacks?number=0{number}"), &app.admin),
        (format!("/api/v1/privacy/subjects?number=0{number}"), &app.admin),
    ] {
        let r = app.get(&uri, token).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
    }
    let logs = logs.take();
    for (what, data) in [
        ("a caller's number", number),
        ("a caller's number as typed", raw),
        ("the number the CTI test used", "912345678"),
        ("a caller's name", name),
        ("a caller's name without diacritics", "pham thi thu trang"),
        ("a caller's address", address),
    ] {
        assert!(!logs.contains(data), "{what} in the logs");
    }
    assert!(
        logs.contains("request"),
        "the log capture works: {}",
        &logs[logs.len().saturating_sub(3000)..]
    );
    for (what, secret) in &secrets {
        for (uri, text) in &answers {
            assert!(!text.contains(secret.as_str()), "{what} in the answer to {uri}: {text}");
        }
        assert!(!logs.contains(secret.as_str()), "{what} in the logs");
    }
    assert!(!logs.contains(&access), "an access token in the logs");
}

/// A sign-in from a given client address.
async fn sign_in_from(app: &TestApp, addr: &str, username: &str, password: &str) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap();
    let addr: SocketAddr = addr.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    app.send(req).await
}

#[tokio::test]
async fn password_guessing_is_slowed_per_user_and_per_address() {
    let app = TestApp::with_config(HttpConfig {
        login_max_failures_per_user: 3,
        login_max_failures_per_address: 5,
        ..HttpConfig::default()
    })
    .await;
    app.user("lan", "agent").await;
    app.user("minh", "agent").await;
    // Per user: guesses from three addresses lock the account everywhere…
    for addr in ["10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1"] {
        sign_in_from(&app, addr, "lan", "guess guess")
            .await
            .problem(401, "unauthorized");
    }
    let r = sign_in_from(&app, "10.0.0.9:1", "lan", "lan password").await;
    r.problem(429, "too-many-requests");
    let retry: i64 = r.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // …but not another user from those addresses.
    assert_eq!(
        sign_in_from(&app, "10.0.0.1:1", "minh", "minh password").await.status,
        200
    );

    // Per address: one address spraying many usernames is stopped…
    for n in 0..5 {
        sign_in_from(&app, "10.9.9.9:1", &format!("user{n}"), "guess guess")
            .await
            .problem(401, "unauthorized");
    }
    let r = sign_in_from(&app, "10.9.9.9:2", "minh", "minh password").await;
    r.problem(429, "too-many-requests");
    assert!(r.header("retry-after").is_some(), "per-address 429 has Retry-After");
    // …while other addresses sign in.
    assert_eq!(
        sign_in_from(&app, "10.0.0.5:1", "minh", "minh password").await.status,
        200
    );
}

/// Texts with SQL and LIKE metacharacters: they match themselves only.
#[tokio::test]
async fn filter_and_search_metacharacters_match_literally() {
    let app = TestApp::new().await;
    let names = [
        ("PB0000000001", "Nguyễn Văn Á"),
        ("PB0000000002", "Trạm 100% tải"),
        ("PB0000000003", "Lê_Thị Hoa"),
        ("PB0000000004", "O'Brien \"Tổ\" \\ Một"),
        ("PB0000000005", "Trần Văn Bình"),
    ];
    for (code, name) in names {
        let r = app
            .post(
                "/api/v1/customers",
                &app.admin,
                json!({"customer_code": code, "name": name, "address": name}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let mut call = crate::support::answered_call();
        call["caller_name"] = json!(name);
        call["notes"] = json!(name);
        call["agent"] = json!(name.chars().take(20).collect::<String>());
        app.log_call(&app.admin, call).await;
    }
    let codes = |r: &Reply| -> Vec<String> {
        let mut v: Vec<String> = r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customer_code"].as_str().unwrap_or("").to_string())
            .collect();
        v.sort();
        v
    };
    let expect: &[(&str, &[&str])] = &[
        ("%", &["PB0000000002"]),
        ("100%", &["PB0000000002"]),
        ("_", &["PB0000000003"]),
        ("\\", &["PB0000000004"]),
        ("'", &["PB0000000004"]),
        ("\"", &["PB0000000004"]),
        (";--", &[]),
        ("' OR 1=1 --", &[]),
        ("\" OR \"\"=\"", &[]),
        ("%' OR '1'='1", &[]),
        ("*", &[]),
        ("[a-z]", &[]),
        ("nguyen van a", &["PB0000000001"]),
        ("NGUYỄN", &["PB0000000001"]),
        // Cyrillic А and е look like the Latin ones; they are other letters.
        ("Nguy\u{0435}n", &[]),
        ("V\u{0430}n", &[]),
        // Decomposed (NFD) diacritics find the composed name.
        ("Nguye\u{0302}\u{0303}n", &["PB0000000001"]),
        ("\u{0}", &[]),
    ];
    for (q, want) in expect {
        let uri = format!("/api/v1/customers?q={}", urlencode(q));
        let r = app.get(&uri, &app.admin).await;
        assert_no_5xx(&r, &format!("customers q={q:?}"));
        if r.status == 200 {
            assert_eq!(codes(&r), *want, "customers q={q:?}");
        } else {
            assert_eq!(r.status, 400, "customers q={q:?}: {}", r.text);
        }
    }
    // The same texts through every other filter that takes text: never
    // 500, never the whole table.
    let total_calls = app.get("/api/v1/calls?limit=200", &app.admin).await.json()["items"]
        .as_array()
        .unwrap()
        .len();
    for (q, _) in expect {
        let v = urlencode(q);
        for uri in [
            format!("/api/v1/calls?q={v}"),
            format!("/api/v1/calls?agent={v}"),
            format!("/api/v1/calls?queue={v}"),
            format!("/api/v1/calls?caller={v}"),
            format!("/api/v1/customers?code={v}"),
            format!("/api/v1/customers?phone={v}"),
            format!("/api/v1/work-orders?unit={v}"),
            format!("/api/v1/work-orders?team={v}"),
            format!("/api/v1/work-orders?area={v}"),
            format!("/api/v1/units?q={v}"),
            format!("/api/v1/units?within={v}"),
            format!("/api/v1/areas?q={v}"),
            format!("/api/v1/teams?unit={v}"),
            format!("/api/v1/cti/lookup?number={v}"),
            format!("/api/v1/audit?entity={v}"),
            format!("/api/v1/reports/calls?group_by={v}"),
            format!("/open311/v2/requests.json?service_code={v}&api_key=x"),
        ] {
            let r = app.get(&uri, &app.admin).await;
            assert_no_5xx(&r, &uri);
            if r.status == 200 && uri.starts_with("/api/v1/calls") {
                let n = r.json()["items"].as_array().unwrap().len();
                assert!(n <= 1 || n < total_calls, "{uri} widened to {n} of {total_calls} calls");
            }
        }
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn values_echoed_in_headers_cannot_inject() {
    let app = TestApp::new().await;
    // A request id is echoed; one that is not a plain token is replaced.
    for (label, id) in [
        ("plain", "abc-123".to_string()),
        ("html", "\"><script>x</script>".to_string()),
        ("8 kB", "r".repeat(8192)),
    ] {
        let r = app
            .call(Method::GET, "/healthz", None, None, &[("x-request-id", id.as_str())])
            .await;
        assert_no_5xx(&r, label);
        let echoed = r.header("x-request-id").unwrap_or("");
        assert!(!echoed.contains('\r') && !echoed.contains('\n'), "{label}");
    }
    // Idempotency keys with control characters are refused by name.
    for bad in ["a\tb", "ключ", "a b"] {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/calls")
            .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
            .header(header::CONTENT_TYPE, "application/json")
            .header(
                "idempotency-key",
                axum::http::HeaderValue::from_bytes(bad.as_bytes()).unwrap(),
            )
            .body(Body::from(crate::support::answered_call().to_string()))
            .unwrap();
        let r = app.send(req).await;
        let p = r.problem(400, "invalid-parameter");
        assert_eq!(p["errors"][0]["field"], "Idempotency-Key", "{bad:?}");
    }
    assert_eq!(app.stored_calls().await, 0);
    // Location and ETag carry ids and versions only, whatever the body says.
    let call = app
        .post("/api/v1/calls", &app.admin, {
            let mut c = crate::support::answered_call();
            c["external_id"] = json!("x\r\nSet-Cookie: a=b");
            c["notes"] = json!("\r\nLocation: https://evil.example");
            c
        })
        .await;
    assert!(call.status.is_success() || call.status == 422, "{}", call.text);
    if call.status.is_success() {
        let loc = call.header("location").unwrap_or("");
        assert!(loc.starts_with("/api/v1/calls/") && !loc.contains("evil"), "{loc}");
        assert!(call.headers.get("set-cookie").is_none());
        let etag = call.header("etag").unwrap_or("");
        assert!(etag.trim_matches('"').parse::<i64>().is_ok(), "{etag}");
    }
    // A CSV report's file name is fixed, whatever the parameters.
    let r = app
        .call(
            Method::GET,
            "/api/v1/reports/calls?group_by=agent&from=2026-11-01&to=2026-11-30",
            Some(&app.admin),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cd = r.header("content-disposition").unwrap_or("");
    assert!(cd.contains("filename=\"") && !cd.contains("agent\r"), "{cd}");
}

#[tokio::test]
async fn hostile_json_bodies_are_refused_by_name_and_store_nothing() {
    let app = TestApp::with_config(HttpConfig {
        body_limit_bytes: 256 * 1024,
        ..HttpConfig::default()
    })
    .await;
    let customers = || async {
        app.get("/api/v1/customers?limit=200", &app.admin).await.json()["items"]
            .as_array()
            .map(|a| a.len())
            .unwrap_or(0)
    };
    let base = json!({"customer_code": "PB0000000001", "name": "Nguyễn Văn Á"});
    let with = |field: &str, v: Value| {
        let mut b = base.clone();
        b[field] = v;
        b.to_string().into_bytes()
    };
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let nested_obj = format!("{{\"name\":{}1{}}}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    // label, content type, body, status, the field named
    type Case<'a> = (&'a str, &'a str, Vec<u8>, u16, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "10,000 nested arrays",
            "application/json",
            nested.into_bytes(),
            400,
            None,
        ),
        (
            "10,000 nested objects",
            "application/json",
            nested_obj.into_bytes(),
            400,
            None,
        ),
        (
            "invalid UTF-8",
            "application/json",
            b"{\"customer_code\":\"PB0000000001\",\"name\":\"\xff\xfe\"}".to_vec(),
            400,
            None,
        ),
        (
            "NUL in a name",
            "application/json",
            with("name", json!("Nguyễn\u{0}Á")),
            422,
            Some("name"),
        ),
        (
            "name one past its limit",
            "application/json",
            with("name", json!("ầ".repeat(201))),
            422,
            Some("name"),
        ),
        (
            "address one past",
            "application/json",
            with("address", json!("ầ".repeat(501))),
            422,
            Some("address"),
        ),
        (
            "notes one past",
            "application/json",
            with("notes", json!("ầ".repeat(2001))),
            422,
            Some("notes"),
        ),
        (
            "11 phone numbers",
            "application/json",
            with("phones", json!(vec!["0912345678"; 11])),
            422,
            Some("phones"),
        ),
        (
            "100,000 phone numbers",
            "application/json",
            with("phones", json!(vec!["0912345678"; 100_000])),
            413,
            None,
        ),
        (
            "20,000 phone numbers",
            "application/json",
            with("phones", json!(vec!["0912345678"; 20_000])),
            422,
            Some("phones"),
        ),
        (
            "a number for a name",
            "application/json",
            with("name", json!(1e308)),
            422,
            Some("name"),
        ),
        (
            "duplicate keys",
            "application/json",
            br#"{"customer_code":"PB0000000001","name":"a","name":"b"}"#.to_vec(),
            422,
            Some("name"),
        ),
        ("text/plain", "text/plain", base.to_string().into_bytes(), 415, None),
        (
            "form-encoded",
            "application/x-www-form-urlencoded",
            b"customer_code=PB0000000001&name=x".to_vec(),
            415,
            None,
        ),
        ("no content type", "", base.to_string().into_bytes(), 415, None),
        (
            "over the body limit",
            "application/json",
            with("notes", json!("x".repeat(300 * 1024))),
            413,
            None,
        ),
        (
            "a JSON string",
            "application/json",
            b"\"PB0000000001\"".to_vec(),
            422,
            Some("body"),
        ),
        ("empty", "application/json", Vec::new(), 400, None),
    ];
    for (label, ct, body, status, field) in cases {
        let r = send_raw(&app, Method::POST, "/api/v1/customers", ct, body).await;
        assert_eq!(r.status.as_u16(), status, "{label}: {}", r.text);
        assert_eq!(r.header("content-type"), Some("application/problem+json"), "{label}");
        if let Some(f) = field {
            assert!(r.fields().iter().any(|x| x == f), "{label}: fields {:?}", r.fields());
        }
    }
    assert_eq!(customers().await, 0, "nothing was stored");

    // At the limits everything fits, Vietnamese letters counted as letters.
    let mut at = base.clone();
    at["name"] = json!("ầ".repeat(200));
    at["address"] = json!("ầ".repeat(500));
    at["notes"] = json!("ầ".repeat(2000));
    at["phones"] = json!((0..10).map(|n| format!("091234567{n}")).collect::<Vec<_>>());
    let r = app.post("/api/v1/customers", &app.admin, at).await;
    assert_eq!(r.status, 201, "every field at its limit: {}", r.text);

    // Numbers out of range elsewhere.
    for (uri, body) in [
        ("/api/v1/work-orders/x/feedback", r#"{"score": 1e40}"#),
        ("/api/v1/teams", r#"{"code": "T1", "name": "x", "capacity": -1}"#),
        (
            "/api/v1/teams",
            r#"{"code": "T1", "name": "x", "capacity": 18446744073709551616}"#,
        ),
        (
            "/api/v1/calls",
            r#"{"direction": "inbound", "started_at": "+275760-09-13T00:00:00Z"}"#,
        ),
        ("/api/v1/customers", r#"{"customer_code": 1e999, "name": "x"}"#),
    ] {
        let r = send_raw(&app, Method::POST, uri, "application/json", body.as_bytes().to_vec()).await;
        assert_no_5xx(&r, body);
        assert!(r.status.is_client_error(), "{uri} {body}: {}", r.text);
    }
}

#[tokio::test]
async fn hostile_csv_imports_name_the_line_and_store_nothing_partial() {
    let app = TestApp::new().await;
    let count = || async {
        app.get("/api/v1/customers?limit=200", &app.admin).await.json()["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let header = "customer_code,name,phones\r\n";
    let utf16: Vec<u8> = {
        let text = format!("{header}PB0000000001,Nguyễn Văn Á,0912345678\r\n");
        let mut v = vec![0xFF, 0xFE];
        v.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        v
    };
    // "Nguyễn" in Windows-1258 / Latin-1 bytes: not UTF-8.
    let latin1 = [
        header.as_bytes(),
        b"PB0000000002,Nguy\xea\xf1n V\xe3n A,0912345678\r\nPB0000000003,Tr\xe2n,0912345679\r\n",
    ]
    .concat();
    let mixed = [
        header.as_bytes(),
        "PB0000000004,Nguyễn Văn Á,0912345678\r\n".as_bytes(),
        b"PB0000000005,L\xea Th\xec,0912345679\r\n",
        "PB0000000006,\"Trần, \"\"Bình\"\"\",0912345670\r\n".as_bytes(),
    ]
    .concat();
    let broken_quote = format!("{header}PB0000000007,\"Nguyễn Văn Á,0912345678\r\nPB0000000008,Lê,0912345679\r\n");
    let bom = format!("\u{feff}{header}PB0000000009,Nguyễn Văn Á,0912345678\r\n");
    let lf_and_crlf = format!("{header}PB0000000010,A,0912345678\nPB0000000011,B,0912345679\r\n");
    let nul = format!("{header}PB0000000012,A\u{0}B,0912345678\r\n");

    // UTF-16 is refused as a whole (no usable header), nothing stored.
    let r = send_raw(&app, Method::POST, "/api/v1/customers/import", "text/csv", utf16).await;
    assert_eq!(r.status, 400, "UTF-16: {}", r.text);
    assert!(r.text.to_lowercase().contains("utf"), "names the encoding: {}", r.text);
    assert_eq!(count().await, 0);

    let imported = |r: &Reply| {
        let j = r.json();
        assert!(j["created"].is_u64(), "an import report: {}", r.text);
        (
            j["created"].as_u64().unwrap(),
            j["failed"].as_u64().unwrap(),
            j["errors"].clone(),
        )
    };
    let r = send_raw(&app, Method::POST, "/api/v1/customers/import", "text/csv", latin1).await;
    assert_eq!(r.status, 200, "Latin-1: {}", r.text);
    let (created, failed, errors) = imported(&r);
    assert_eq!((created, failed), (0, 2), "Latin-1 lines fail: {errors}");
    assert_eq!(errors[0]["line"], 2, "{errors}");
    assert_eq!(count().await, 0);

    let r = send_raw(&app, Method::POST, "/api/v1/customers/import", "text/csv", mixed).await;
    let (created, failed, errors) = imported(&r);
    assert_eq!((created, failed), (2, 1), "mixed encodings: {errors}");
    assert_eq!(errors[0]["line"], 3, "{errors}");
    assert_eq!(count().await, 2);

    let r = send_raw(
        &app,
        Method::POST,
        "/api/v1/customers/import",
        "text/csv",
        broken_quote.into_bytes(),
    )
    .await;
    assert_no_5xx(&r, "broken quote");
    let (created, _, errors) = imported(&r);
    assert_eq!(created, 0, "a quote never closed stores nothing after it: {errors}");
    assert_eq!(errors[0]["line"], 2, "{errors}");
    assert_eq!(count().await, 2);

    for (label, body, more) in [("BOM", bom, 1), ("LF and CRLF", lf_and_crlf, 2)] {
        let r = send_raw(
            &app,
            Method::POST,
            "/api/v1/customers/import",
            "text/csv",
            body.into_bytes(),
        )
        .await;
        let (created, failed, errors) = imported(&r);
        assert_eq!((created, failed), (more, 0), "{label}: {errors}");
    }
    assert_eq!(count().await, 5);
    let r = send_raw(
        &app,
        Method::POST,
        "/api/v1/customers/import",
        "text/csv",
        nul.into_bytes(),
    )
    .await;
    assert_no_5xx(&r, "NUL");
    let (_, failed, errors) = imported(&r);
    assert_eq!(failed, 1, "a NUL in a field fails its line: {errors}");

    // Units: the tree import is all or nothing per file.
    let units = || async {
        app.get("/api/v1/units?limit=200", &app.admin).await.json()["items"]
            .as_array()
            .unwrap()
            .len()
    };
    for (label, body) in [
        (
            "broken quote",
            b"code,name,parent_code\r\nEVN,\"T\xe1\xbb\x95ng,\r\nPB01,x,EVN\r\n".to_vec(),
        ),
        ("Latin-1", b"code,name,parent_code\r\nEVN,T\xf4ng,\r\n".to_vec()),
        ("UTF-16", {
            let mut v = vec![0xFF, 0xFE];
            v.extend(
                "code,name,parent_code\r\nEVN,x,\r\n"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes()),
            );
            v
        }),
        ("unknown column", b"code,name,parent_code,evil\r\nEVN,x,,1\r\n".to_vec()),
    ] {
        let r = send_raw(&app, Method::POST, "/api/v1/units/import", "text/csv", body).await;
        assert_no_5xx(&r, label);
        assert!(r.status == 400 || r.status == 200, "{label}: {}", r.text);
        if r.status == 200 {
            assert!(r.json()["failed"].as_u64().unwrap() > 0, "{label}: {}", r.text);
        }
    }
    assert_eq!(units().await, 0, "no unit of a refused file was stored");
}

/// Slow clients on a real socket: one trickles its headers, one its body,
/// a byte every 300 ms. Both are cut off by timeouts while a normal client
/// is served meanwhile.
#[tokio::test]
async fn slow_clients_are_cut_off_without_starving_others() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    let app = TestApp::with_config(HttpConfig {
        request_timeout: Duration::from_secs(2),
        ..HttpConfig::default()
    })
    .await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(hotline::server::serve(
        listener,
        app.router.clone(),
        Duration::from_secs(1),
        std::future::pending(),
    ));

    /// Writes `head` then `drip` a byte at a time; answers what the server
    /// sent back and how long until it closed (or 8 s passed).
    async fn trickle(addr: SocketAddr, head: String, drip: &'static [u8]) -> (String, Duration) {
        let started = Instant::now();
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        let mut got = Vec::new();
        for b in drip.iter().cycle() {
            if started.elapsed() > Duration::from_secs(8) || s.write_all(&[*b]).await.is_err() {
                break;
            }
            let mut buf = [0u8; 4096];
            match tokio::time::timeout(Duration::from_millis(300), s.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
        }
        (String::from_utf8_lossy(&got).into_owned(), started.elapsed())
    }

    let headers = tokio::spawn(trickle(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: hotline\r\n".into(),
        b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ));
    let body = tokio::spawn(trickle(
        addr,
        format!(
            "POST /api/v1/calls HTTP/1.1\r\nHost: hotline\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"notes\":\"",
            app.admin
        ),
        b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ));
    // Meanwhile a normal client is answered at once, several times.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: hotline\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "served while others trickle"
        );
    }
    let (answer, took) = headers.await.unwrap();
    assert!(
        took < Duration::from_secs(4),
        "trickled headers cut off after {took:?}: {answer}"
    );
    assert!(!answer.contains("200 OK"), "{answer}");
    let (answer, took) = body.await.unwrap();
    assert!(
        took < Duration::from_secs(5),
        "trickled body cut off after {took:?}: {answer}"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 503") || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert_eq!(app.stored_calls().await, 0);
    server.abort();
}
