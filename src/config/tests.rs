use super::*;
use std::collections::HashMap;

fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn defaults_run_on_sqlite_locally() {
    let c = with(&[]).unwrap();
    assert_eq!(c.db.connect.url, DEFAULT_DATABASE_URL);
    assert_eq!(c.http.listen.to_string(), "127.0.0.1:8080");
    assert!(c.db.migrate_on_start);
    assert_eq!(c.workers.deadline_risk, chrono::Duration::minutes(30));
    assert_eq!(c.db.connect.max_connections, 8);
    let pg = with(&[("HOTLINE_DATABASE_URL", "postgres://h/db")]).unwrap();
    assert_eq!(pg.db.connect.max_connections, 16);
    assert_eq!(c.http.api.cti_outbound_caller_id, None);
    let caller = with(&[("HOTLINE_CTI_OUTBOUND_CALLER_ID", " 19001006 ")]).unwrap();
    assert_eq!(caller.http.api.cti_outbound_caller_id.as_deref(), Some("19001006"));
}

#[test]
fn defaults_match_what_the_http_layer_and_workers_assume() {
    let c = with(&[]).unwrap();
    let http = hotline_http::HttpConfig::default();
    let api = &c.http.api;
    assert_eq!(api.access_token_ttl_secs, http.access_token_ttl_secs);
    assert_eq!(api.refresh_token_ttl_secs, http.refresh_token_ttl_secs);
    assert_eq!(api.body_limit_bytes, http.body_limit_bytes);
    assert_eq!(api.request_timeout, http.request_timeout);
    assert_eq!(api.auth_cache, http.auth_cache);
    assert_eq!(c.use_cases.cluster_size, hotline_app::Settings::default().cluster_size);
    assert_eq!(api.service_level_seconds, http.service_level_seconds);
    assert_eq!(api.open311_public_reads, http.open311_public_reads);
    assert_eq!(c.http.header_timeout, Duration::from_secs(10));
    assert_eq!(c.workers.event_retention, chrono::Duration::hours(168));
    let webhooks = c.workers.webhooks.expect("the webhook worker runs by default");
    assert_eq!(webhooks.timeout, Duration::from_secs(10));
    assert!(c.db.connect.group_commit);
    assert!(c.auth.jwt_secret.is_none() && c.auth.admin_password.is_none());
}

#[test]
fn settings_land_in_their_section_and_reach_the_http_layer() {
    let c = with(&[
        ("HOTLINE_CLUSTER_SIZE", "7"),
        ("HOTLINE_CLUSTER_WINDOW_MINUTES", "45"),
        ("HOTLINE_CLUSTER_AUTO_ACTIVATE", "yes"),
        ("HOTLINE_WEBHOOKS_ALLOW_HTTP", "1"),
        ("HOTLINE_WEBHOOK_SECRET_OVERLAP_HOURS", "0"),
        ("HOTLINE_SERVICE_LEVEL_SECONDS", "30"),
        ("HOTLINE_CTI_OUTBOUND_CALLER_ID", "19001006"),
        ("HOTLINE_OPEN311_PUBLIC_READS", "false"),
        ("HOTLINE_ACCESS_TOKEN_TTL_SECS", "60"),
        ("HOTLINE_REFRESH_TOKEN_TTL_SECS", "120"),
        ("HOTLINE_AUTH_CACHE_SECS", "0"),
        ("HOTLINE_BODY_LIMIT_BYTES", "2048"),
        ("HOTLINE_REQUEST_TIMEOUT_SECS", "3"),
        ("HOTLINE_HEADER_TIMEOUT_SECS", "2"),
        ("HOTLINE_WEBHOOKS", "no"),
        ("HOTLINE_EVENT_RETENTION_HOURS", "2"),
        ("HOTLINE_GROUP_COMMIT", "false"),
        ("HOTLINE_REPORT_QUERIES", "3"),
        ("HOTLINE_REFERENCE_CACHE_SECS", "0"),
        ("HOTLINE_SEARCH_WINDOW", "5000"),
        ("HOTLINE_MIGRATE_ON_START", "0"),
    ])
    .unwrap();
    let u = &c.use_cases;
    assert_eq!(
        (u.cluster_size, u.cluster_window_minutes, u.cluster_auto_activate),
        (7, 45, true)
    );
    let api = &c.http.api;
    assert!(api.webhooks_allow_http && !api.open311_public_reads);
    assert_eq!((api.webhook_secret_overlap_hours, api.service_level_seconds), (0, 30));
    assert_eq!(api.cti_outbound_caller_id.as_deref(), Some("19001006"));
    assert_eq!((api.access_token_ttl_secs, api.refresh_token_ttl_secs), (60, 120));
    assert_eq!(api.auth_cache, Duration::ZERO);
    assert_eq!(api.body_limit_bytes, 2048);
    assert_eq!(api.request_timeout, Duration::from_secs(3));
    assert_eq!(c.http.header_timeout, Duration::from_secs(2));
    assert!(c.workers.webhooks.is_none());
    assert_eq!(c.workers.event_retention, chrono::Duration::hours(2));
    assert!(!c.db.connect.group_commit && !c.db.migrate_on_start);
    assert_eq!(c.db.connect.report_queries, 3);
    assert_eq!(c.db.connect.reference_cache, Duration::ZERO, "0 turns the cache off");
    assert_eq!(with(&[]).unwrap().db.connect.reference_cache, Duration::from_secs(5));
    assert_eq!(c.db.connect.search_window, 5000);
    assert_eq!(with(&[]).unwrap().db.connect.search_window, 20_000);
    let former = with(&[("HOTLINE_SQLITE_GROUP_COMMIT", "false")]).unwrap();
    assert!(!former.db.connect.group_commit, "the former name still turns it off");
    let both = with(&[
        ("HOTLINE_SQLITE_GROUP_COMMIT", "false"),
        ("HOTLINE_GROUP_COMMIT", "true"),
    ])
    .unwrap();
    assert!(both.db.connect.group_commit, "the new name wins");
}

#[test]
fn wrong_values_name_the_variable() {
    for (k, v) in [
        ("HOTLINE_LISTEN", "localhost"),
        ("HOTLINE_DATABASE_URL", "mysql://x"),
        ("HOTLINE_JWT_SECRET", "short"),
        ("HOTLINE_ADMIN_PASSWORD", "123"),
        ("HOTLINE_DB_MAX_CONNECTIONS", "0"),
        ("HOTLINE_MIGRATE_ON_START", "maybe"),
        ("HOTLINE_DEADLINE_RISK_MINUTES", "0"),
        ("HOTLINE_WEBHOOKS", "maybe"),
        ("HOTLINE_SQLITE_GROUP_COMMIT", "maybe"),
        ("HOTLINE_GROUP_COMMIT", "maybe"),
        ("HOTLINE_REPORT_QUERIES", "0"),
        ("HOTLINE_SEARCH_WINDOW", "10"),
        ("HOTLINE_SEARCH_WINDOW", "lots"),
        ("HOTLINE_WEBHOOK_TIMEOUT_SECS", "0"),
        ("HOTLINE_CTI_OUTBOUND_CALLER_ID", "call us"),
        ("HOTLINE_CLUSTER_AUTO_ACTIVATE", "maybe"),
        ("HOTLINE_AUTH_CACHE_SECS", "301"),
        ("HOTLINE_EVENT_RETENTION_HOURS", "0"),
        ("HOTLINE_OPEN311_PUBLIC_READS", "maybe"),
        ("HOTLINE_CALLBACK_HOURS", "22:00-07:00"),
    ] {
        let e = with(&[(k, v)]).unwrap_err();
        assert_eq!(e.variable, k);
    }
}

#[test]
fn messages_stay_as_documented() {
    let msg = |k, v| with(&[(k, v)]).unwrap_err().to_string();
    assert_eq!(
        msg("HOTLINE_DATABASE_URL", "mysql://x"),
        "HOTLINE_DATABASE_URL: must start with sqlite: or postgres://"
    );
    assert_eq!(
        msg("HOTLINE_JWT_SECRET", "short"),
        "HOTLINE_JWT_SECRET: must be at least 32 characters"
    );
    assert_eq!(
        msg("HOTLINE_DB_MAX_CONNECTIONS", "0"),
        "HOTLINE_DB_MAX_CONNECTIONS: must be a whole number from 1 to 1000"
    );
    assert_eq!(
        msg("HOTLINE_WEBHOOKS", "maybe"),
        "HOTLINE_WEBHOOKS: must be true or false"
    );
    assert_eq!(
        msg("HOTLINE_CTI_OUTBOUND_CALLER_ID", "call us"),
        "HOTLINE_CTI_OUTBOUND_CALLER_ID: must be a phone number"
    );
    assert_eq!(
        msg("HOTLINE_CALLBACK_HOURS", "7h-22h"),
        "HOTLINE_CALLBACK_HOURS: \"7h-22h\" is not a daily window such as 07:00-22:00"
    );
    assert!(msg("HOTLINE_LISTEN", "localhost").starts_with("HOTLINE_LISTEN: must be host:port, like 127.0.0.1:8080 ("));
}

#[test]
fn debug_shows_every_section_and_no_secret() {
    let c = with(&[
        ("HOTLINE_DATABASE_URL", "postgres://hotline:s3cret-db@db/hotline"),
        ("HOTLINE_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ("HOTLINE_ADMIN_PASSWORD", "Adm1n-passw0rd-xyz"),
        ("HOTLINE_CTI_OUTBOUND_CALLER_ID", "19001006"),
    ])
    .unwrap();
    let shown = format!("{c:?}");
    for secret in ["s3cret-db", "0123456789abcdef", "Adm1n-passw0rd-xyz"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    let pretty = format!("{c:#?}");
    assert!(!pretty.contains("s3cret-db") && !pretty.contains("Adm1n-passw0rd-xyz"));
    assert!(shown.contains("postgres://hotline:<redacted>@db/hotline"), "{shown}");
    assert!(shown.contains("jwt_secret: Some(<redacted>)"), "{shown}");
    assert!(shown.contains("admin_password: Some(<redacted>)"), "{shown}");
    for section in [
        "log:",
        "http: HttpSettings",
        "db: DbSettings",
        "workers: WorkerSettings",
        "auth: AuthSettings",
        "use_cases: Settings",
    ] {
        assert!(shown.contains(section), "{section} missing: {shown}");
    }
    // Settings the old output left out.
    for field in [
        "listen: 127.0.0.1:8080",
        "header_timeout:",
        "access_token_ttl_secs: 900",
        "refresh_token_ttl_secs:",
        "auth_cache:",
        "max_connections: 16",
        "group_commit: true",
        "report_queries:",
        "migrate_on_start: true",
        "deadline_risk:",
        "event_retention:",
        "webhooks: Some(WebhookSettings",
        "timeout: 10s",
        "cluster_size: 5",
        "cluster_window_minutes: 30",
        "cluster_auto_activate: false",
        "webhooks_allow_http: false",
        "webhook_secret_overlap_hours: 24",
        "service_level_seconds: 20",
        "cti_outbound_caller_id: Some(\"19001006\")",
        "open311_public_reads: true",
    ] {
        assert!(shown.contains(field), "{field} missing: {shown}");
    }
}

#[test]
fn retention_is_read_checked_and_its_key_never_shown() {
    let c = with(&[]).unwrap();
    let r = &c.use_cases.retention;
    assert_eq!(
        (
            r.calls_months,
            r.notes_months,
            r.audit_years,
            r.idempotency_days,
            r.webhook_bodies_days,
            r.batch
        ),
        (24, 12, 5, 7, 30, 500)
    );
    assert!(r.anonymisation_key.is_none());
    let key = "a key of at least thirty-two characters";
    let set = with(&[
        ("HOTLINE_RETAIN_CALLS_MONTHS", "36"),
        ("HOTLINE_RETAIN_NOTES_MONTHS", "6"),
        ("HOTLINE_RETAIN_AUDIT_YEARS", "10"),
        ("HOTLINE_RETAIN_IDEMPOTENCY_DAYS", "1"),
        ("HOTLINE_RETAIN_WEBHOOK_BODIES_DAYS", "90"),
        ("HOTLINE_RETENTION_BATCH", "100"),
        ("HOTLINE_ANONYMISATION_KEY", key),
    ])
    .unwrap();
    let r = &set.use_cases.retention;
    assert_eq!(
        (
            r.calls_months,
            r.notes_months,
            r.audit_years,
            r.idempotency_days,
            r.webhook_bodies_days,
            r.batch
        ),
        (36, 6, 10, 1, 90, 100)
    );
    assert!(!format!("{set:?}").contains(key));
    for (k, v) in [
        ("HOTLINE_RETAIN_CALLS_MONTHS", "0"),
        ("HOTLINE_RETAIN_NOTES_MONTHS", "twelve"),
        ("HOTLINE_RETAIN_AUDIT_YEARS", "0"),
        ("HOTLINE_RETAIN_IDEMPOTENCY_DAYS", "-1"),
        ("HOTLINE_RETAIN_WEBHOOK_BODIES_DAYS", "0"),
        ("HOTLINE_RETENTION_BATCH", "0"),
        ("HOTLINE_ANONYMISATION_KEY", "short"),
    ] {
        assert_eq!(with(&[(k, v)]).unwrap_err().variable, k);
    }
    assert_eq!(
        with(&[("HOTLINE_ANONYMISATION_KEY", "short")]).unwrap_err().to_string(),
        "HOTLINE_ANONYMISATION_KEY: must be at least 32 characters"
    );
}

#[test]
fn rate_limits_proxies_and_browser_origins() {
    let c = with(&[]).unwrap();
    let api = &c.http.api;
    assert_eq!((api.rate_limit_per_minute, api.rate_limit_burst), (6000, 1000));
    // A PBX key takes a storm: 300 calls a second, four events each.
    assert_eq!(
        (api.key_rate_limit_per_minute, api.key_rate_limit_burst),
        (120_000, 10_000)
    );
    assert!(api.key_rate_limit_per_minute / 60 >= 300 * 4);
    assert!(api.trusted_proxies.is_empty() && api.cors_origins.0.is_empty());
    let c = with(&[
        ("HOTLINE_RATE_LIMIT_PER_MINUTE", "0"),
        ("HOTLINE_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::1"),
        ("HOTLINE_CORS_ORIGINS", "https://wallboard.evnspc.vn"),
    ])
    .unwrap();
    assert_eq!(c.http.api.rate_limit_per_minute, 0);
    assert_eq!(c.http.api.trusted_proxies.len(), 2);
    assert_eq!(c.http.api.cors_origins.0.as_slice(), ["https://wallboard.evnspc.vn"]);
    for (var, value) in [
        ("HOTLINE_TRUSTED_PROXIES", "10.0.0.0/40"),
        ("HOTLINE_CORS_ORIGINS", "*"),
        ("HOTLINE_CORS_ORIGINS", "wallboard.vn"),
        ("HOTLINE_RATE_LIMIT_BURST", "0"),
    ] {
        let e = with(&[(var, value)]).unwrap_err();
        assert_eq!(e.variable, var, "{value}");
    }
}

#[test]
fn spans_are_exported_only_where_opentelemetrys_variables_say() {
    assert!(with(&[]).unwrap().otlp.is_none(), "off by default");
    let c = with(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=s%C3%A9cret, tenant=evnspc"),
        ("OTEL_SERVICE_NAME", "hotline-hcm"),
    ])
    .unwrap();
    let o = c.otlp.as_ref().unwrap();
    assert_eq!(o.endpoint, "http://collector:4318/v1/traces");
    assert_eq!(
        o.headers,
        [
            ("x-api-key".into(), "sécret".into()),
            ("tenant".into(), "evnspc".into())
        ]
    );
    assert_eq!(o.service_name, "hotline-hcm");
    assert!(!format!("{c:?}").contains("sécret"), "header values never shown");
    let full = with(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/otlp"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
    ])
    .unwrap();
    assert_eq!(
        full.otlp.unwrap().endpoint,
        "https://traces.example/otlp",
        "used as it is"
    );
    let disabled = with(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"),
        ("OTEL_SDK_DISABLED", "true"),
    ]);
    assert!(disabled.unwrap().otlp.is_none());
    for (var, value) in [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "no-equals-sign"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "0"),
    ] {
        let e = with(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), (var, value)]).unwrap_err();
        assert_eq!(e.variable, var, "{value}");
    }
    let e = with(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")]).unwrap_err();
    assert_eq!(e.variable, "OTEL_EXPORTER_OTLP_ENDPOINT");
}
