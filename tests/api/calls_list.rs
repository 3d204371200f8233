//! Listing and searching the call log.

use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

async fn seed(app: &TestApp) {
    let rows = [
        (
            "0912 345 678",
            "2026-11-20T08:00:00+07:00",
            "outage",
            "lan",
            "Nguyễn Văn Á",
            "Cà Mau",
        ),
        (
            "0987 654 321",
            "2026-11-20T09:00:00+07:00",
            "billing",
            "hoa",
            "Trần Thị Bích",
            "Thủ Đức",
        ),
        (
            "+84 912 345 678",
            "2026-11-21T07:30:00+07:00",
            "metering",
            "lan",
            "NGUYỄN VĂN Á",
            "CÀ MAU",
        ),
        (
            "anonymous",
            "2026-11-21T23:30:00+07:00",
            "information",
            "hoa",
            "",
            "Đồng Nai",
        ),
        (
            "01623456789",
            "2026-11-22T00:30:00+07:00",
            "outage",
            "minh",
            "Lê Văn Cường",
            "Bến Tre",
        ),
    ];
    for (number, started, category, agent, name, address) in rows {
        let mut b = answered_call();
        b["caller_number"] = json!(number);
        b["started_at"] = json!(started);
        b.as_object_mut().unwrap().remove("answered_at");
        b["ended_at"] = json!(started);
        b["category"] = json!(category);
        b["agent"] = json!(agent);
        b["caller_name"] = json!(name);
        b["address"] = json!(address);
        b["notes"] = json!(null);
        app.log_call(&app.admin, b).await;
    }
}

fn names(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["address"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn newest_first_with_cursor_pages() {
    let app = TestApp::new().await;
    seed(&app).await;
    let first = app
        .get("/api/v1/calls?limit=2&include_total=true", &app.admin)
        .await
        .json();
    assert_eq!(names(&first), ["Bến Tre", "Đồng Nai"]);
    assert_eq!(first["total"], 5);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!("/api/v1/calls?limit=2&cursor={cursor}"), &app.admin)
        .await
        .json();
    assert_eq!(names(&second), ["CÀ MAU", "Thủ Đức"]);
    let cursor = second["next_cursor"].as_str().unwrap();
    let last = app
        .get(&format!("/api/v1/calls?limit=2&cursor={cursor}"), &app.admin)
        .await
        .json();
    assert_eq!(names(&last), ["Cà Mau"]);
    assert_eq!(last["next_cursor"], Value::Null);
    assert!(last.get("total").is_none(), "total only when asked");
}

#[tokio::test]
async fn caller_filter_matches_any_written_form() {
    let app = TestApp::new().await;
    seed(&app).await;
    for form in ["0912%20345%20678", "%2B84912345678", "84912345678", "0912-345-678"] {
        let r = app
            .get(&format!("/api/v1/calls?caller={form}"), &app.admin)
            .await
            .json();
        assert_eq!(names(&r), ["CÀ MAU", "Cà Mau"], "{form}");
    }
    let legacy = app.get("/api/v1/calls?caller=0323456789", &app.admin).await.json();
    assert_eq!(names(&legacy), ["Bến Tre"], "old 11-digit number found by its new form");
    let withheld = app.get("/api/v1/calls?caller=anonymous", &app.admin).await.json();
    assert_eq!(names(&withheld), ["Đồng Nai"]);
    let r = app.get("/api/v1/calls?caller=abc", &app.admin).await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["caller"]);
}

#[tokio::test]
async fn free_text_ignores_diacritics_and_case() {
    let app = TestApp::new().await;
    seed(&app).await;
    for q in ["ca%20mau", "C%C3%A0%20Mau", "CA%20MAU", "nguyen%20van"] {
        let r = app.get(&format!("/api/v1/calls?q={q}"), &app.admin).await.json();
        assert_eq!(names(&r), ["CÀ MAU", "Cà Mau"], "{q}");
    }
    assert_eq!(
        names(&app.get("/api/v1/calls?q=thu%20duc", &app.admin).await.json()),
        ["Thủ Đức"]
    );
    assert_eq!(
        names(&app.get("/api/v1/calls?q=dong%20nai", &app.admin).await.json()),
        ["Đồng Nai"]
    );
    // LIKE metacharacters match literally, not as wildcards.
    assert_eq!(
        names(&app.get("/api/v1/calls?q=%25", &app.admin).await.json()),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&app.get("/api/v1/calls?q=c_%20mau", &app.admin).await.json()),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn filters_combine() {
    let app = TestApp::new().await;
    seed(&app).await;
    let get = |q: &'static str| {
        let app = &app;
        async move { names(&app.get(&format!("/api/v1/calls?{q}"), &app.admin).await.json()) }
    };
    assert_eq!(get("category=outage").await, ["Bến Tre", "Cà Mau"]);
    assert_eq!(get("agent=lan&category=metering").await, ["CÀ MAU"]);
    assert_eq!(get("outcome=missed&agent=hoa").await, ["Đồng Nai", "Thủ Đức"]);
    // Local days in Vietnam: the 21st runs from 17:00 UTC on the 20th.
    assert_eq!(get("from=2026-11-21&to=2026-11-21").await, ["Đồng Nai", "CÀ MAU"]);
    assert_eq!(
        get("from=2026-11-20T09:00:00%2B07:00&to=2026-11-21T07:30:00%2B07:00").await,
        ["Thủ Đức"]
    );
    // A `+` left unencoded arrives as a space and is still understood.
    assert_eq!(get("from=2026-11-22T00:00:00+07:00").await, ["Bến Tre"]);
    assert_eq!(get("queue=outage&limit=1").await.len(), 1);
}

#[tokio::test]
async fn bad_list_parameters_are_named() {
    let app = TestApp::new().await;
    for (q, field) in [
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("cursor=garbage", "cursor"),
        ("from=yesterday", "from"),
        ("category=weather", "category"),
        ("sort=asc", "sort"),
    ] {
        let r = app.get(&format!("/api/v1/calls?{q}"), &app.admin).await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), [field], "{q}");
    }
    let capped = app.get("/api/v1/calls?limit=100000", &app.admin).await;
    assert_eq!(capped.status, 200, "limits above the cap are capped, not refused");
}
