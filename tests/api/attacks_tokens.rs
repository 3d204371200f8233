//! Attacks on credentials: forged, stale, tampered and misused tokens and
//! keys. Every one is a 401 problem with `WWW-Authenticate`, never a 500 and
//! never the data. The forged JWTs are built here by hand.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, JWT_SECRET, Reply, TestApp};

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

fn now() -> i64 {
    hotline_domain::time::now().timestamp()
}

/// Claims as the server issues them, for `sub`, valid from `nbf` to `exp`.
fn claims(sub: &str, nbf: i64, exp: i64) -> Value {
    json!({"sub": sub, "iat": nbf, "nbf": nbf, "exp": exp, "jti": uuid::Uuid::now_v7(), "iss": "hotline"})
}

fn sign(alg: Algorithm, secret: &[u8], claims: &Value) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).expect("sign")
}

fn assert_refused(r: &Reply, label: &str) {
    assert_eq!(r.status, 401, "{label}: {}", r.text);
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{label}: {}",
        r.text
    );
    assert_eq!(r.json()["type"], "/problems/unauthorized", "{label}");
    let challenge = r.header("www-authenticate").unwrap_or("");
    assert!(challenge.starts_with("Bearer"), "{label}: challenge {challenge:?}");
}

/// GET a protected list with a raw Authorization header value.
async fn with_authorization(app: &TestApp, value: HeaderValue) -> Reply {
    let req = Request::builder()
        .method(Method::GET)
        .uri("/api/v1/calls")
        .header(header::AUTHORIZATION, value)
        .body(Body::empty())
        .expect("request");
    app.send(req).await
}

#[tokio::test]
async fn forged_and_stale_access_tokens_are_refused() {
    let app = TestApp::new().await;
    let viewer = app.user("xem", "viewer").await;
    let admin_id = app.user_id("admin").await;
    let n = now();
    let valid_claims = claims(&admin_id, n - 10, n + 600);
    // The same claims signed properly are accepted: the refusals below are
    // about the one thing each changes.
    let control = sign(Algorithm::HS256, JWT_SECRET, &valid_claims);
    assert_eq!(app.get("/api/v1/calls", &control).await.status, 200);

    let [vh, vp, vs]: [&str; 3] = viewer.split('.').collect::<Vec<_>>().try_into().unwrap();
    let mut promoted: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(vp).unwrap()).unwrap();
    promoted["role"] = json!("admin");
    let mut swapped: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(vp).unwrap()).unwrap();
    swapped["sub"] = json!(admin_id);
    let hs256_sig = control.rsplit('.').next().unwrap().to_string();
    let mut no_exp = valid_claims.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    let mut other_issuer = valid_claims.clone();
    other_issuer["iss"] = json!("evil");

    let cases: Vec<(&str, String)> = vec![
        (
            "alg none, no signature",
            format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&valid_claims)),
        ),
        (
            "alg none, signature kept",
            format!(
                "{}.{}.{hs256_sig}",
                b64(&json!({"alg": "none", "typ": "JWT"})),
                b64(&valid_claims)
            ),
        ),
        (
            "alg NONE (upper case)",
            format!("{}.{}.", b64(&json!({"alg": "NONE"})), b64(&valid_claims)),
        ),
        (
            "HS512 with the real secret",
            sign(Algorithm::HS512, JWT_SECRET, &valid_claims),
        ),
        (
            "HS384 with the real secret",
            sign(Algorithm::HS384, JWT_SECRET, &valid_claims),
        ),
        (
            "RS256 header over an HS256 signature (key confusion)",
            format!(
                "{}.{}.{hs256_sig}",
                b64(&json!({"alg": "RS256", "typ": "JWT"})),
                b64(&valid_claims)
            ),
        ),
        (
            "wrong secret",
            sign(
                Algorithm::HS256,
                b"not the server's secret, but long enough",
                &valid_claims,
            ),
        ),
        (
            "expired a second ago",
            sign(Algorithm::HS256, JWT_SECRET, &claims(&admin_id, n - 900, n - 1)),
        ),
        (
            "not valid for ten minutes",
            sign(Algorithm::HS256, JWT_SECRET, &claims(&admin_id, n + 600, n + 1200)),
        ),
        ("no exp", sign(Algorithm::HS256, JWT_SECRET, &no_exp)),
        ("another issuer", sign(Algorithm::HS256, JWT_SECRET, &other_issuer)),
        (
            "a user that does not exist",
            sign(
                Algorithm::HS256,
                JWT_SECRET,
                &claims(&uuid::Uuid::now_v7().to_string(), n - 10, n + 600),
            ),
        ),
        (
            "sub is not a uuid",
            sign(Algorithm::HS256, JWT_SECRET, &claims("admin", n - 10, n + 600)),
        ),
        (
            "viewer's token given a role claim, signature kept",
            format!("{vh}.{}.{vs}", b64(&promoted)),
        ),
        (
            "viewer's token with admin's sub, signature kept",
            format!("{vh}.{}.{vs}", b64(&swapped)),
        ),
        ("signature stripped", format!("{vh}.{vp}.")),
        ("signature of another token", format!("{vh}.{vp}.{hs256_sig}")),
        ("two parts", format!("{vh}.{vp}")),
        ("four parts", format!("{viewer}.{vs}")),
        ("header not base64", format!("!!!.{vp}.{vs}")),
        (
            "header not JSON",
            format!("{}.{vp}.{vs}", URL_SAFE_NO_PAD.encode("nope")),
        ),
    ];
    for (label, token) in &cases {
        assert_refused(&app.get("/api/v1/calls", token).await, label);
        // Writes too, not only reads.
        let r = app.post("/api/v1/calls", token, crate::support::answered_call()).await;
        assert_refused(&r, &format!("{label} (write)"));
    }
    assert_eq!(app.stored_calls().await, 0, "no forged write got through");
}

#[tokio::test]
async fn garbage_authorization_headers_are_401_not_500() {
    let app = TestApp::new().await;
    let long_jwt = format!("eyJ{}", "A".repeat(200_000));
    let long_key = format!("hk_{}", "k".repeat(200_000));
    let values: Vec<(&str, HeaderValue)> = vec![
        ("empty", HeaderValue::from_static("")),
        ("scheme only", HeaderValue::from_static("Bearer")),
        ("scheme and spaces", HeaderValue::from_static("Bearer    ")),
        ("Basic", HeaderValue::from_static("Basic YWRtaW46Y29ycmVjdCBob3JzZQ==")),
        ("Digest", HeaderValue::from_static("Digest username=\"admin\"")),
        ("dots", HeaderValue::from_static("Bearer ...")),
        ("two tokens", HeaderValue::from_static("Bearer a.b.c d.e.f")),
        ("quote", HeaderValue::from_static("Bearer 'OR'1'='1")),
        ("a lone API-key prefix", HeaderValue::from_static("Bearer hk_")),
        (
            "opaque bytes",
            HeaderValue::from_bytes(b"Bearer \xff\xfe\x80token").unwrap(),
        ),
        ("tab separated", HeaderValue::from_static("Bearer\tabc")),
        (
            "200 kB JWT-looking",
            HeaderValue::from_str(&format!("Bearer {long_jwt}")).unwrap(),
        ),
        (
            "200 kB key-looking",
            HeaderValue::from_str(&format!("Bearer {long_key}")).unwrap(),
        ),
        (
            "200 kB of spaces",
            HeaderValue::from_str(&format!("Bearer {}x", " ".repeat(200_000))).unwrap(),
        ),
    ];
    for (label, value) in values {
        assert_refused(&with_authorization(&app, value).await, label);
    }
}

#[tokio::test]
async fn refresh_replay_revokes_the_whole_sign_in_and_nothing_else() {
    let app = TestApp::new().await;
    let sign_in = || {
        app.call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "admin", "password": ADMIN_PASSWORD})),
            &[],
        )
    };
    let refresh = |token: String| {
        app.call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": token})),
            &[],
        )
    };
    let first = sign_in().await.json();
    let elsewhere = sign_in().await.json();
    let r1 = first["refresh_token"].as_str().unwrap().to_string();
    let r2 = refresh(r1.clone()).await.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r3 = refresh(r2.clone()).await.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();

    // An attacker replays the first one: refused, and the family is dead.
    assert_refused(&refresh(r1).await, "replayed r1");
    assert_refused(&refresh(r3).await, "r3 after the replay (family revoked)");
    assert_refused(&refresh(r2).await, "r2 after the replay");
    // Another sign-in of the same user is not affected.
    let other = refresh(elsewhere["refresh_token"].as_str().unwrap().to_string()).await;
    assert_eq!(other.status, 200, "another sign-in keeps working: {}", other.text);
}

#[tokio::test]
async fn credentials_used_in_the_wrong_place_are_refused() {
    let app = TestApp::new().await;
    let key = app.api_key("PBX", "integration").await;
    let signed = app
        .call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "admin", "password": ADMIN_PASSWORD})),
            &[],
        )
        .await
        .json();
    let access = signed["access_token"].as_str().unwrap().to_string();
    let refresh_token = signed["refresh_token"].as_str().unwrap().to_string();
    for (label, as_refresh) in [
        ("an API key as a refresh token", key.clone()),
        ("an access token as a refresh token", access.clone()),
        ("an empty refresh token", String::new()),
        ("a 100 kB refresh token", "r".repeat(100_000)),
    ] {
        let r = app
            .call(
                Method::POST,
                "/api/v1/auth/refresh",
                None,
                Some(json!({"refresh_token": as_refresh})),
                &[],
            )
            .await;
        assert_refused(&r, label);
    }
    // A refresh token is not a bearer credential.
    assert_refused(
        &app.get("/api/v1/calls", &refresh_token).await,
        "a refresh token as a bearer",
    );
    // Nor is a password.
    assert_refused(
        &app.get("/api/v1/calls", ADMIN_PASSWORD).await,
        "a password as a bearer",
    );
    // The refresh token still works after all that (none of it consumed it).
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": refresh_token})),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn disabled_users_and_revoked_keys_stop_at_once() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let signed = app
        .call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "lan", "password": "lan password"})),
            &[],
        )
        .await
        .json();
    // Used once first, so that the server has it in its memory of
    // recently checked credentials.
    assert_eq!(app.get("/api/v1/calls", &agent).await.status, 200);
    let id = app.user_id("lan").await;
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.admin),
            Some(json!({"disabled": true})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_refused(&app.get("/api/v1/calls", &agent).await, "disabled user's access token");
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": signed["refresh_token"]})),
            &[],
        )
        .await;
    assert_refused(&r, "disabled user's refresh token");

    let created = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "3CX", "role": "integration"}),
        )
        .await
        .json();
    let key = created["key"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/calls", &key).await.status, 200);
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/api-keys/{}", created["id"].as_str().unwrap()),
            Some(&app.admin),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 204);
    assert_refused(&app.get("/api/v1/calls", &key).await, "revoked key");
    assert_refused(&app.get("/api/v1/stream", &key).await, "revoked key on the live stream");
    assert_refused(
        &app.call(
            Method::GET,
            &format!("/api/v1/stream?access_token={key}"),
            None,
            None,
            &[],
        )
        .await,
        "revoked key in the stream's query",
    );
    let r = app
        .call(Method::POST, &format!("/api/v1/cti/{key}"), None, None, &[])
        .await;
    assert_eq!(r.status, 401, "revoked key in a CTI URL: {}", r.text);
    let r = app
        .call(
            Method::GET,
            &format!("/open311/v2/requests.json?api_key={key}"),
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 401, "revoked key for Open311: {}", r.text);
    assert!(r.header("www-authenticate").is_some(), "Open311 401 has a challenge");
    // A key with one character changed.
    let mut altered = key.clone().into_bytes();
    let last = altered.len() - 1;
    altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    assert_refused(&app.get("/api/v1/calls", &altered).await, "altered key");
}
