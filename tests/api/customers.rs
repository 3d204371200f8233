//! The customer directory: add, read, correct, search, page, and the bulk
//! CSV import.

use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

fn customer() -> Value {
    json!({
        "customer_code": "pb0302 0045525",
        "name": "Nguyễn Văn Á",
        "phones": ["0912 345 678", "01623456789", "+84 912 345 678"],
        "email": "a@example.vn",
        "address": "Ấp 3, xã Tân Thành, Cà Mau",
        "area_code": "vn-cm",
        "unit_code": "PB0302"
    })
}

async fn import(app: &TestApp, token: &str, csv: impl Into<Vec<u8>>) -> Reply {
    import_as(app, token, "text/csv; charset=utf-8", csv).await
}

async fn import_as(app: &TestApp, token: &str, content_type: &str, csv: impl Into<Vec<u8>>) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/customers/import")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(csv.into()))
        .expect("request");
    app.send(req).await
}

/// The `(created, updated, unchanged, failed)` of an import report.
fn counts(r: &Reply) -> (u64, u64, u64, u64) {
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
    (n("created"), n("updated"), n("unchanged"), n("failed"))
}

/// The `(line, field)` of each error in an import report.
fn line_errors(r: &Reply) -> Vec<(u64, String)> {
    r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

async fn search(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/customers?{query}"), token).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["customer_code"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn by_code(app: &TestApp, code: &str) -> Value {
    let r = app.get(&format!("/api/v1/customers?code={code}"), &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.json()["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{code}: {items}");
    items[0].clone()
}

#[tokio::test]
async fn adding_a_customer_normalises_code_and_numbers() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let c = app.created_located(&agent, "/api/v1/customers", customer()).await;
    let id = c["id"].as_str().unwrap();
    assert_eq!(c["customer_code"], "PB03020045525");
    assert_eq!(c["area_code"], "VN-CM");
    assert_eq!(
        c["phones"],
        json!([
            {"number": "+84912345678", "raw": "0912 345 678", "renumbered": false},
            {"number": "+84323456789", "raw": "01623456789", "renumbered": true},
        ]),
        "the same number twice is kept once, in the order given"
    );
    assert_eq!(c["version"], 1);

    let got = app.get(&format!("/api/v1/customers/{id}"), &agent).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("etag"), Some("\"1\""));
    assert_eq!(got.json(), c, "what was answered is what is stored");

    let audit = app
        .get(&format!("/api/v1/audit?entity=customer&id={id}"), &app.admin)
        .await
        .json();
    assert_eq!(audit["items"][0]["action"], "create");
    assert_eq!(audit["items"][0]["actor"], "user:lan");
    assert_eq!(
        audit["items"][0]["changes"]["phones"],
        json!(["+84912345678", "+84323456789"])
    );
}

#[tokio::test]
async fn a_taken_code_is_a_conflict() {
    let app = TestApp::new().await;
    app.created("/api/v1/customers", customer()).await;
    let mut again = customer();
    again["customer_code"] = json!("PB0302-0045525");
    app.post("/api/v1/customers", &app.admin, again)
        .await
        .problem(409, "conflict");
}

#[tokio::test]
async fn validation_names_every_bad_field() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/customers",
            &app.admin,
            json!({
                "customer_code": "x",
                "name": "  ",
                "phones": ["0912345678", "not a phone", "012"],
                "email": "nobody",
                "unit_code": "PB 03"
            }),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(
        r.fields(),
        ["customer_code", "name", "phones[1]", "phones[2]", "email", "unit_code"]
    );
    let r = app
        .post(
            "/api/v1/customers",
            &app.admin,
            json!({"customer_code": "PB03020045525"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["name"]);
    let many: Vec<String> = (0..11).map(|i| format!("09123456{i:02}")).collect();
    let mut body = customer();
    body["phones"] = json!(many);
    let r = app.post("/api/v1/customers", &app.admin, body).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["phones"]);
    let mut body = customer();
    body["fax"] = json!("1");
    let r = app.post("/api/v1/customers", &app.admin, body).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["fax"]);
}

#[tokio::test]
async fn search_by_code_phone_in_any_form_and_text_without_diacritics() {
    let app = TestApp::new().await;
    app.created("/api/v1/customers", customer()).await;
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PC15LL0001234", "name": "Trần Thị Bình", "phones": ["(0290) 3831 234", "0987 654 321"],
               "address": "Phường 5, Bạc Liêu"}),
    )
    .await;
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB03020045999", "name": "Lê Văn Nguyên", "phones": ["0987654321"]}),
    )
    .await;
    let a = "PB03020045525";
    let b = "PC15LL0001234";
    let c = "PB03020045999";

    assert_eq!(search(&app, &app.admin, "code=pb0302-0045525").await, [a]);
    assert_eq!(
        search(&app, &app.admin, "code=PB03020000000").await,
        Vec::<String>::new()
    );
    for form in [
        "0912 345 678",
        "+84912345678",
        "0084 912 345 678",
        "84912345678",
        "(091) 234-5678",
    ] {
        let q = format!("phone={}", form.replace('+', "%2B").replace(' ', "+"));
        assert_eq!(search(&app, &app.admin, &q).await, [a], "{form}");
    }
    // Written as a pre-2018 mobile, found by today's number, and the other way round.
    assert_eq!(search(&app, &app.admin, "phone=0323456789").await, [a]);
    assert_eq!(search(&app, &app.admin, "phone=0162+345+6789").await, [a]);
    assert_eq!(search(&app, &app.admin, "phone=0290+3831+234").await, [b]);
    assert_eq!(
        search(&app, &app.admin, "phone=0987.654.321").await,
        [c, b],
        "newest first"
    );

    assert_eq!(search(&app, &app.admin, "q=nguyen+van").await, [a]);
    assert_eq!(search(&app, &app.admin, "q=NGUYEN").await, [c, a]);
    assert_eq!(search(&app, &app.admin, "q=bac+lieu").await, [b], "address is searched");
    assert_eq!(search(&app, &app.admin, "q=pc15ll").await, [b], "code is searched");
    assert_eq!(search(&app, &app.admin, "q=50%25").await, Vec::<String>::new());
    assert_eq!(
        search(&app, &app.admin, "q=van&phone=0987654321").await,
        [c],
        "filters combine"
    );

    for (query, field) in [
        ("phone=not-a-phone", "phone"),
        ("phone=anonymous", "phone"),
        ("code=%3F%3F", "code"),
        ("limit=0", "limit"),
        ("cursor=bogus", "cursor"),
        ("bogus=1", "bogus"),
    ] {
        let r = app.get(&format!("/api/v1/customers?{query}"), &app.admin).await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), [field], "{query}");
    }
}

#[tokio::test]
async fn pages_are_newest_first_without_gaps_or_repeats() {
    let app = TestApp::new().await;
    let mut codes = Vec::new();
    for i in 0..7 {
        let code = format!("PB0302{i:07}");
        app.created(
            "/api/v1/customers",
            json!({"customer_code": code, "name": format!("Khách {i}")}),
        )
        .await;
        codes.push(code);
    }
    codes.reverse();
    let mut seen = Vec::new();
    let mut uri = "/api/v1/customers?limit=3".to_string();
    let mut pages = 0;
    loop {
        let page = app.get(&uri, &app.admin).await.json();
        pages += 1;
        for c in page["items"].as_array().unwrap() {
            seen.push(c["customer_code"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(cur) => uri = format!("/api/v1/customers?limit=3&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, codes);
}

#[tokio::test]
async fn correcting_a_customer_needs_the_current_etag() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let c = app.created_by(&agent, "/api/v1/customers", customer()).await;
    let uri = format!("/api/v1/customers/{}", c["id"].as_str().unwrap());
    let patch = json!({"phones": ["0987 654 321"], "address": null, "notes": "Đổi số điện thoại"});

    let updated = app.first_change(&agent, &uri, patch).await;
    assert_eq!(updated["phones"][0]["number"], "+84987654321");
    assert_eq!(updated["phones"].as_array().map(Vec::len), Some(1));
    assert_eq!(updated["address"], json!(null));
    assert_eq!(updated["email"], c["email"], "fields not sent are kept");
    assert_eq!(updated["version"], 2);
    assert_eq!(app.get(&uri, &agent).await.json(), updated);

    // The old numbers no longer find the customer; the new one does.
    assert!(search(&app, &agent, "phone=0912345678").await.is_empty());
    assert_eq!(search(&app, &agent, "phone=0987654321").await, ["PB03020045525"]);

    app.patch_if_match(&agent, &uri, "\"1\"", json!({"notes": "cũ"}))
        .await
        .problem(412, "precondition-failed");

    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&agent),
            Some(json!({"phones": ["0912345678", "12ab"], "name": null, "email": "x"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["name", "phones[1]", "email"]);
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&agent),
            Some(json!({"customer_code": "PB03020000001"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["customer_code"], "the code is not editable");
    assert_eq!(app.get(&uri, &agent).await.json()["version"], 2);

    let audit = app
        .get(
            &format!("/api/v1/audit?entity=customer&id={}", c["id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    assert_eq!(audit["items"][0]["action"], "update");
    assert_eq!(
        audit["items"][0]["changes"]["address"],
        json!({"from": "Ấp 3, xã Tân Thành, Cà Mau", "to": null})
    );
    app.call(
        Method::PATCH,
        "/api/v1/customers/0190b8a4-0000-7000-8000-000000000000",
        Some(&agent),
        Some(json!({"notes": "x"})),
        &[("if-match", "*")],
    )
    .await
    .problem(404, "not-found");
}

#[tokio::test]
async fn who_may_read_write_and_import() {
    let app = TestApp::new().await;
    let c = app.created("/api/v1/customers", customer()).await;
    let uri = format!("/api/v1/customers/{}", c["id"].as_str().unwrap());
    let csv = "customer_code,name\nPB03020000001,Khách Một\n";
    // role, may read, may add and correct, may import
    let table = [
        ("supervisor", true, true, true),
        ("agent", true, true, false),
        ("dispatcher", true, false, false),
        ("field", false, false, false),
        ("viewer", true, false, false),
        ("integration", true, true, true),
    ];
    for (i, (role, read, write, bulk)) in table.into_iter().enumerate() {
        let token = if role == "integration" {
            app.api_key("billing sync", role).await
        } else {
            app.user(&format!("{role}-user"), role).await
        };
        let expect = |allowed: bool, ok: u16| if allowed { ok } else { 403 };
        assert_eq!(app.get(&uri, &token).await.status, expect(read, 200), "{role} reads");
        assert_eq!(
            app.get("/api/v1/customers", &token).await.status,
            expect(read, 200),
            "{role} lists"
        );
        let body = json!({"customer_code": format!("PB0302{:07}", 100 + i), "name": role});
        let r = app.post("/api/v1/customers", &token, body).await;
        assert_eq!(r.status, expect(write, 201), "{role} adds: {}", r.text);
        let r = app
            .call(
                Method::PATCH,
                &uri,
                Some(&token),
                Some(json!({"notes": role})),
                &[("if-match", "*")],
            )
            .await;
        assert_eq!(r.status, expect(write, 200), "{role} corrects: {}", r.text);
        let r = import(&app, &token, csv).await;
        assert_eq!(r.status, expect(bulk, 200), "{role} imports: {}", r.text);
        if !bulk {
            r.problem(403, "forbidden");
        }
    }
    let r = app.get("/api/v1/customers", "not-a-token").await;
    r.problem(401, "unauthorized");
}

const HEADER: &str = "customer_code,name,phones,email,address,area_code,unit_code,notes\n";

#[tokio::test]
async fn import_stores_good_lines_and_reports_bad_ones() {
    let app = TestApp::new().await;
    let supervisor = app.user("hoa", "supervisor").await;
    let csv = format!(
        "{HEADER}\
PB03020045525,Nguyễn Văn Á,0912 345 678; 01623456789,a@example.vn,Cà Mau,VN-CM,PB0302,
xx,,,,,,,
PB03020045526,Trần Thị Bình,0290 3831 234/0987654321,,Bạc Liêu,,,Khách VIP

PB03020045527,Lê Văn C,0912345678;abc,nobody,,,PB 03,
PB03020045528,Phạm Thị D
PB03020045529,Hoàng Văn E,,,,,,
"
    );
    let r = import(&app, &supervisor, csv).await;
    assert_eq!(counts(&r), (3, 0, 0, 3));
    assert_eq!(
        line_errors(&r),
        [
            (3, "customer_code".to_string()),
            (3, "name".to_string()),
            (6, "phones[1]".to_string()),
            (6, "email".to_string()),
            (6, "unit_code".to_string()),
            (7, "record".to_string()),
        ],
        "{}",
        r.text
    );
    assert!(
        r.json()["errors"][5]["message"]
            .as_str()
            .unwrap()
            .contains("has 2 fields")
    );

    let a = by_code(&app, "PB03020045525").await;
    assert_eq!(a["name"], "Nguyễn Văn Á");
    assert_eq!(a["phones"][1]["number"], "+84323456789");
    assert_eq!(a["phones"][1]["renumbered"], true);
    let b = by_code(&app, "PB03020045526").await;
    assert_eq!(b["phones"][0]["number"], "+842903831234");
    assert_eq!(b["phones"][1]["number"], "+84987654321");
    assert_eq!(b["notes"], "Khách VIP");
    assert_eq!(by_code(&app, "PB03020045529").await["phones"], json!([]));
    assert!(search(&app, &app.admin, "code=PB03020045527").await.is_empty());
    assert_eq!(search(&app, &app.admin, "phone=0323456789").await, ["PB03020045525"]);

    let audit = app
        .get(
            &format!("/api/v1/audit?entity=customer&id={}", a["id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    assert_eq!(audit["items"][0]["action"], "create");
    assert_eq!(audit["items"][0]["actor"], "user:hoa");
}

#[tokio::test]
async fn importing_twice_changes_nothing_and_a_changed_line_is_updated() {
    let app = TestApp::new().await;
    let key = app.api_key("billing sync", "integration").await;
    let mut csv = HEADER.to_string();
    for i in 0..1200 {
        csv.push_str(&format!(
            "PB0302{i:07},Khách hàng {i},09{:08},,\"Số {i}, Cà Mau\",VN-CM,PB0302,\n",
            10_000_000 + i
        ));
    }
    assert_eq!(counts(&import(&app, &key, csv.clone()).await), (1200, 0, 0, 0));
    assert_eq!(counts(&import(&app, &key, csv.clone()).await), (0, 0, 1200, 0));
    let before = by_code(&app, "PB03020000700").await;
    assert_eq!(before["version"], 1);

    let changed = csv.replace(
        "PB03020000700,Khách hàng 700,0910000700,",
        "PB03020000700,Khách hàng 700,0910000700;0290 3831 234,",
    );
    assert_ne!(changed, csv);
    assert_eq!(counts(&import(&app, &key, changed).await), (0, 1, 1199, 0));
    let after = by_code(&app, "PB03020000700").await;
    assert_eq!(
        (&after["id"], &after["created_at"]),
        (&before["id"], &before["created_at"])
    );
    assert_eq!(after["version"], 2);
    assert_eq!(after["phones"].as_array().map(Vec::len), Some(2));
    assert_eq!(search(&app, &app.admin, "phone=02903831234").await, ["PB03020000700"]);

    let audit = app
        .get(
            &format!("/api/v1/audit?entity=customer&id={}", after["id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "one create, one update");
    assert_eq!(items[0]["action"], "update");
    assert_eq!(items[0]["actor"], "api_key:billing sync");
    assert_eq!(
        items[0]["changes"],
        json!({"phones": {"from": ["+84910000700"], "to": ["+84910000700", "+842903831234"]}})
    );
}

#[tokio::test]
async fn a_code_repeated_in_the_file_ends_as_its_last_line() {
    let app = TestApp::new().await;
    let csv =
        "customer_code,name\nPB03020000001,First\nPB03020000002,Other\npb0302-0000001,Second\nPB03020000001,Second\n";
    assert_eq!(counts(&import(&app, &app.admin, csv).await), (2, 1, 1, 0));
    let c = by_code(&app, "PB03020000001").await;
    assert_eq!((c["name"].as_str(), c["version"].as_i64()), (Some("Second"), Some(2)));
}

#[tokio::test]
async fn bom_quotes_newlines_header_case_and_vietnamese() {
    let app = TestApp::new().await;
    let mut csv = b"\xEF\xBB\xBF".to_vec();
    csv.extend_from_slice(
        "Name,CUSTOMER_CODE, Phones ,Address,Notes\r\n\
\"Công ty TNHH \"\"Điện Lực\"\", Cà Mau\",PB03020045525,\"0912 345 678, 0290 3831 234\",\"Số 12, Ấp 3,\r\nxã Tân Thành\",\"Dòng 1\nDòng 2\"\r\n\
Bà Ngô Thị Ánh,PB03020045526,,,\r\n\
,PB03020045527,,,\r\n"
            .as_bytes(),
    );
    let r = import(&app, &app.admin, csv).await;
    assert_eq!(counts(&r), (2, 0, 0, 1));
    assert_eq!(
        line_errors(&r),
        [(6, "name".to_string())],
        "the quoted newlines count as lines"
    );
    let c = by_code(&app, "PB03020045525").await;
    assert_eq!(c["name"], "Công ty TNHH \"Điện Lực\", Cà Mau");
    assert_eq!(c["address"], "Số 12, Ấp 3,\r\nxã Tân Thành");
    assert_eq!(c["notes"], "Dòng 1\nDòng 2");
    assert_eq!(c["phones"].as_array().map(Vec::len), Some(2));
    assert_eq!(search(&app, &app.admin, "q=dien+luc").await, ["PB03020045525"]);
    assert_eq!(search(&app, &app.admin, "q=ngo+thi+anh").await, ["PB03020045526"]);
}

#[tokio::test]
async fn unknown_missing_or_repeated_columns_are_bad_requests() {
    let app = TestApp::new().await;
    for (csv, fields) in [
        ("customer_code,name,fax\nPB03020045525,A,1\n", vec!["fax"]),
        ("customer_code,phones\nPB03020045525,0912345678\n", vec!["name"]),
        ("customer_code,name,Name\n", vec!["name"]),
        ("customer_code,name,\n", vec!["column 3"]),
    ] {
        let r = import(&app, &app.admin, csv).await;
        r.problem(400, "malformed-request");
        assert_eq!(r.fields(), fields, "{csv}");
    }
    import(&app, &app.admin, "").await.problem(400, "malformed-request");
    import(&app, &app.admin, "\u{feff}\n\n")
        .await
        .problem(400, "malformed-request");
    assert!(search(&app, &app.admin, "").await.is_empty(), "nothing was imported");
    for ct in ["application/json", "text/csv; charset=windows-1258"] {
        import_as(&app, &app.admin, ct, "customer_code,name\n")
            .await
            .problem(415, "unsupported-media-type");
    }
    // A header-only file imports nothing and is fine.
    assert_eq!(
        counts(&import(&app, &app.admin, "customer_code,name\n").await),
        (0, 0, 0, 0)
    );
}

#[tokio::test]
async fn bytes_that_are_not_utf8_fail_their_line_only() {
    let app = TestApp::new().await;
    let mut csv = b"customer_code,name,address\n".to_vec();
    csv.extend_from_slice(b"PB03020045525,Nguy\xea\xe3n V\xe3n A,C\xe0 Mau\n");
    csv.extend_from_slice("PB03020045526,Trần Thị Bình,Cà Mau\n".as_bytes());
    let r = import(&app, &app.admin, csv).await;
    assert_eq!(counts(&r), (1, 0, 0, 1));
    assert_eq!(line_errors(&r), [(2, "name".to_string()), (2, "address".to_string())]);
    assert!(r.json()["errors"][0]["message"].as_str().unwrap().contains("UTF-8"));
    by_code(&app, "PB03020045526").await;

    let r = import(&app, &app.admin, b"customer_code,\xffname\n".to_vec()).await;
    r.problem(400, "malformed-request");
    assert_eq!(r.fields(), ["column 2", "name"]);
}

#[tokio::test]
async fn an_unclosed_quote_is_reported_on_its_line() {
    let app = TestApp::new().await;
    let csv = "customer_code,name,address\nPB03020045525,A,Cà Mau\nPB03020045526,B,\"Ấp 3\nPB03020045527,C,Bạc Liêu\n";
    let r = import(&app, &app.admin, csv).await;
    assert_eq!(counts(&r), (1, 0, 0, 1));
    assert_eq!(line_errors(&r), [(3, "address".to_string())], "{}", r.text);
}

#[tokio::test]
async fn an_import_may_be_larger_than_other_bodies() {
    let app = TestApp::new().await;
    let notes = "ghi chú ".repeat(240);
    let mut csv = String::from("customer_code,name,notes\n");
    for i in 0..700 {
        csv.push_str(&format!("PB0302{i:07},Khách {i},{notes}\n"));
    }
    assert!(csv.len() > 1024 * 1024);
    assert_eq!(counts(&import(&app, &app.admin, csv).await), (700, 0, 0, 0));
    let mut big = customer();
    big["notes"] = json!("x".repeat(1024 * 1024 + 1));
    app.post("/api/v1/customers", &app.admin, big)
        .await
        .problem(413, "payload-too-large");
}

/// The OpenAPI document describes the imports' body as a file
/// (`application/octet-stream`), which is what generated clients send.
#[tokio::test]
async fn every_import_takes_the_file_as_generated_clients_send_it() {
    let app = TestApp::new().await;
    let octet = "application/octet-stream";
    let r = import_as(
        &app,
        &app.admin,
        octet,
        "customer_code,name\nPB03020045525,Lê Văn Tám\n",
    )
    .await;
    assert_eq!(counts(&r), (1, 0, 0, 0), "{}", r.text);
    assert_eq!(by_code(&app, "PB03020045525").await["name"], "Lê Văn Tám");
    for (what, csv) in [
        ("units", "code,name,parent_code\nPB12,Điện lực Cà Mau,\n"),
        ("areas", "code,name,kind,parent_code\nCM,Tỉnh Cà Mau,province,\n"),
    ] {
        let r = app
            .send(
                Request::builder()
                    .method(Method::POST)
                    .uri(format!("/api/v1/{what}/import"))
                    .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
                    .header(header::CONTENT_TYPE, octet)
                    .body(Body::from(csv))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 200, "{what}: {}", r.text);
        assert_eq!(r.json()["created"], 1, "{what}: {}", r.text);
    }
    // Still not any type at all.
    import_as(&app, &app.admin, "text/plain", "customer_code,name\n")
        .await
        .problem(415, "unsupported-media-type");
}
