//! The 3CX CRM integration: contact lookup by number and call journaling,
//! as the template in `integrations/3cx/hotline.xml` uses them.

use axum::body::Body;
use axum::http::{Method, Request, header};
use hotline_domain::audit::AuditEntry;
use hotline_domain::customer::{Customer, CustomerInput};
use hotline_domain::ports::CustomerStore;
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

const CONTACTS: &str = "/api/v1/integrations/3cx/contacts";
const JOURNAL: &str = "/api/v1/integrations/3cx/journal";

fn lookup_uri(number: &str) -> String {
    format!("{CONTACTS}?number={}", encode(number))
}

/// Percent-encodes a form or query value (what 3CX does with `[Number]`).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn post_form(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let req = Request::builder()
        .method(Method::POST)
        .uri(JOURNAL)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    app.send(req).await
}

async fn post_json(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> Reply {
    let body: serde_json::Map<String, Value> = fields.iter().map(|(k, v)| ((*k).to_string(), json!(v))).collect();
    app.post(JOURNAL, token, Value::Object(body)).await
}

/// The four call types as 3CX journals them, with what the call log must
/// show for each. `times` are written the way 3CX renders them by default.
fn journals(style: TimeStyle) -> Vec<(Vec<(&'static str, String)>, Value)> {
    let t = |h: u32, m: u32, s: u32| style.render(h, m, s);
    vec![
        (
            vec![
                ("CallType", "Inbound".into()),
                ("Number", "0912 345 678".into()),
                ("Name", "Nguyễn Văn Á".into()),
                ("Agent", "101".into()),
                ("Duration", "00:03:40".into()),
                ("CallStartTimeUTC", t(1, 0, 0)),
                ("CallEstablishedTimeUTC", t(1, 0, 25)),
                ("CallEndTimeUTC", t(1, 4, 5)),
                ("QueueExtension", "800".into()),
                ("AgentFirstName", "Lan".into()),
                ("Entity", "".into()),
            ],
            json!({
                "direction": "inbound", "outcome": "answered",
                "caller_number": "+84912345678", "caller_number_raw": "0912 345 678", "callee_number": "800",
                "started_at": "2026-11-20T01:00:00Z", "answered_at": "2026-11-20T01:00:25Z", "ended_at": "2026-11-20T01:04:05Z",
                "wait_seconds": 25, "talk_seconds": 220, "agent": "101", "queue": "800", "caller_name": "Nguyễn Văn Á",
            }),
        ),
        (
            vec![
                ("CallType", "Missed".into()),
                ("Number", "+84 28 3822 1234".into()),
                ("Agent", "102".into()),
                ("Duration", "00:00:00".into()),
                ("CallStartTimeUTC", t(2, 0, 0)),
                ("CallEstablishedTimeUTC", "".into()),
                ("CallEndTimeUTC", t(2, 0, 40)),
                ("QueueExtension", "800".into()),
            ],
            json!({
                "direction": "inbound", "outcome": "missed",
                "caller_number": "+842838221234", "callee_number": "800",
                "started_at": "2026-11-20T02:00:00Z", "answered_at": null, "ended_at": "2026-11-20T02:00:40Z",
                "wait_seconds": 40, "talk_seconds": null, "agent": "102", "queue": "800", "caller_name": null,
            }),
        ),
        (
            vec![
                ("CallType", "Outbound".into()),
                ("Number", "0987654321".into()),
                ("Agent", "103".into()),
                ("Duration", "120".into()),
                ("CallStartTimeUTC", t(3, 0, 0)),
                ("CallEstablishedTimeUTC", t(3, 0, 10)),
                ("CallEndTimeUTC", t(3, 2, 10)),
                ("QueueExtension", "".into()),
            ],
            json!({
                "direction": "outbound", "outcome": "answered",
                "caller_number": "103", "callee_number": "+84987654321",
                "started_at": "2026-11-20T03:00:00Z", "answered_at": "2026-11-20T03:00:10Z", "ended_at": "2026-11-20T03:02:10Z",
                "wait_seconds": 10, "talk_seconds": 120, "agent": "103", "queue": null,
            }),
        ),
        (
            vec![
                ("CallType", "Notanswered".into()),
                ("Number", "01623456789".into()),
                ("Agent", "104".into()),
                ("Duration", "00:00:00".into()),
                ("CallStartTimeUTC", t(4, 0, 0)),
                ("CallEstablishedTimeUTC", "".into()),
                ("CallEndTimeUTC", t(4, 0, 30)),
            ],
            json!({
                "direction": "outbound", "outcome": "missed",
                "caller_number": "104", "callee_number": "+84323456789",
                "started_at": "2026-11-20T04:00:00Z", "answered_at": null, "ended_at": "2026-11-20T04:00:30Z",
                "wait_seconds": 30, "talk_seconds": null, "agent": "104", "queue": null,
            }),
        ),
    ]
}

#[derive(Clone, Copy)]
enum TimeStyle {
    /// `11/20/2026 01:00:00`: 3CX's own rendering.
    ThreeCx,
    /// `2026-11-20 01:00:00`.
    Iso,
    /// `2026-11-20T08:00:00+07:00`.
    Rfc3339,
}

impl TimeStyle {
    fn render(self, h: u32, m: u32, s: u32) -> String {
        match self {
            TimeStyle::ThreeCx => format!("11/20/2026 {h:02}:{m:02}:{s:02}"),
            TimeStyle::Iso => format!("2026-11-20 {h:02}:{m:02}:{s:02}"),
            TimeStyle::Rfc3339 => format!("2026-11-20T{:02}:{m:02}:{s:02}+07:00", h + 7),
        }
    }
}

/// Posts every journal and checks the answer and the stored call-log record.
async fn journal_all(json_body: bool, style: TimeStyle) {
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    for (fields, expected) in journals(style) {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = if json_body {
            post_json(&app, &key, &fields).await
        } else {
            post_form(&app, &key, &fields).await
        };
        assert_eq!(r.status, 201, "{}", r.text);
        let call = r.json();
        let id = call["id"].as_str().expect("id").to_string();
        assert_eq!(r.header("location"), Some(format!("/api/v1/calls/{id}").as_str()));
        assert_eq!(call["source"], "3cx");
        assert_eq!(call["created_by"], "api_key:3CX");
        let stored = app.get(&format!("/api/v1/calls/{id}"), &app.admin).await.json();
        assert_eq!(stored, call, "what was answered is what is stored");
        for (field, value) in expected.as_object().expect("object") {
            assert_eq!(&stored[field], value, "{field} of {fields:?}");
        }
    }
    let list = app.get("/api/v1/calls?include_total=true", &app.admin).await.json();
    assert_eq!(list["total"], 4);
    let missed = app.get("/api/v1/calls?outcome=missed", &app.admin).await.json();
    let agents: Vec<&str> = missed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["agent"].as_str())
        .collect();
    assert_eq!(agents, ["104", "102"], "newest first");
    let queue = app.get("/api/v1/calls?queue=800", &app.admin).await.json();
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(2));
    let by_caller = app.get("/api/v1/calls?caller=0912345678", &app.admin).await.json();
    assert_eq!(by_caller["items"][0]["agent"], "101");
}

#[tokio::test]
async fn journal_every_call_type_as_json() {
    journal_all(true, TimeStyle::ThreeCx).await;
}

#[tokio::test]
async fn journal_every_call_type_form_encoded() {
    journal_all(false, TimeStyle::ThreeCx).await;
}

#[tokio::test]
async fn journal_times_in_iso_and_rfc3339_forms() {
    journal_all(false, TimeStyle::Iso).await;
    journal_all(true, TimeStyle::Rfc3339).await;
}

fn inbound() -> Vec<(&'static str, &'static str)> {
    vec![
        ("CallType", "Inbound"),
        ("Number", "0912345678"),
        ("Agent", "101"),
        ("Duration", "00:03:40"),
        ("CallStartTimeUTC", "11/20/2026 01:00:00"),
        ("CallEstablishedTimeUTC", "11/20/2026 01:00:25"),
        ("CallEndTimeUTC", "11/20/2026 01:04:05"),
        ("QueueExtension", "800"),
    ]
}

#[tokio::test]
async fn the_same_journal_twice_stores_one_call() {
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    let first = post_form(&app, &key, &inbound()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.header("idempotent-replayed"), None);

    let again = post_form(&app, &key, &inbound()).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json(), first.json());

    // The same call again in the other encoding, with the number and the
    // start time written differently: still the same call.
    let mut other = inbound();
    other[1] = ("Number", "+84 912 345 678");
    other[4] = ("CallStartTimeUTC", "2026-11-20T01:00:00Z");
    let json = post_json(&app, &key, &other).await;
    assert_eq!(json.status, 200, "{}", json.text);
    assert_eq!(json.json()["id"], first.json()["id"]);
    assert_eq!(app.stored_calls().await, 1);

    // Another start time is another call.
    let mut later = inbound();
    later[4] = ("CallStartTimeUTC", "11/20/2026 01:00:01");
    assert_eq!(post_form(&app, &key, &later).await.status, 201);
    // So is the same call journaled by another agent's leg.
    let mut other_agent = inbound();
    other_agent[2] = ("Agent", "102");
    assert_eq!(post_form(&app, &key, &other_agent).await.status, 201);
    assert_eq!(app.stored_calls().await, 3);
}

#[tokio::test]
async fn bad_journals_are_refused_naming_the_3cx_field() {
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    let with = |field: &'static str, value: &'static str| {
        let mut f = inbound();
        f.retain(|(k, _)| *k != field);
        f.push((field, value));
        f
    };
    let cases = [
        (with("CallType", "Transferred"), vec!["CallType"]),
        (with("CallType", ""), vec!["CallType"]),
        (with("CallStartTimeUTC", "sometime"), vec!["CallStartTimeUTC"]),
        (with("CallStartTimeUTC", ""), vec!["CallStartTimeUTC"]),
        (with("CallEndTimeUTC", "31/31/2026 01:00:00"), vec!["CallEndTimeUTC"]),
        (with("Duration", "long"), vec!["Duration"]),
        (with("Number", "call me"), vec!["Number"]),
        (with("CallEndTimeUTC", "11/20/2026 00:59:00"), vec!["CallEndTimeUTC"]),
        (
            with("CallStartTimeUTC", "11/20/2099 01:00:00"),
            vec!["CallStartTimeUTC", "CallEstablishedTimeUTC", "CallEndTimeUTC"],
        ),
    ];
    for (fields, named) in cases {
        for r in [
            post_form(&app, &key, &fields).await,
            post_json(&app, &key, &fields).await,
        ] {
            r.problem(422, "validation");
            assert_eq!(r.fields(), named, "{fields:?}: {}", r.text);
        }
    }
    let r = app.post(JOURNAL, &key, json!({"CallType": ["Inbound"]})).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["CallType"]);
    let r = app
        .call(
            Method::POST,
            JOURNAL,
            Some(&key),
            None,
            &[("content-type", "text/plain")],
        )
        .await;
    r.problem(415, "unsupported-media-type");
    assert_eq!(app.stored_calls().await, 0);
}

#[tokio::test]
async fn who_may_journal_and_look_up() {
    let app = TestApp::new().await;
    // Admins journal (and read) like the integration key.
    let r = post_form(&app, &app.admin, &inbound()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(app.get(&lookup_uri("0912345678"), &app.admin).await.status, 200);

    let viewer = app.user("xem", "viewer").await;
    post_form(&app, &viewer, &inbound()).await.problem(403, "forbidden");
    post_json(&app, &viewer, &inbound()).await.problem(403, "forbidden");
    // Anyone who reads the call log may look a caller up; field crews may not.
    assert_eq!(app.get(&lookup_uri("0912345678"), &viewer).await.status, 200);
    let field = app.user("doi", "field").await;
    app.get(&lookup_uri("0912345678"), &field)
        .await
        .problem(403, "forbidden");

    let anonymous = app.call(Method::GET, &lookup_uri("0912345678"), None, None, &[]).await;
    anonymous.problem(401, "unauthorized");
    let anonymous = app
        .call(Method::POST, JOURNAL, None, Some(json!({"CallType": "Inbound"})), &[])
        .await;
    anonymous.problem(401, "unauthorized");
    assert_eq!(app.stored_calls().await, 1);
}

#[tokio::test]
async fn an_unknown_number_finds_nobody() {
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    let r = app.get(&lookup_uri("0912345678"), &key).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!({"contacts": []}));
}

#[tokio::test]
async fn withheld_or_garbage_numbers_answer_an_empty_list() {
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    for number in [
        "anonymous",
        "Unknown",
        "",
        " ",
        "abc",
        "12",
        "0912",
        "+",
        "'; DROP TABLE customers; --",
        "😀",
    ] {
        let r = app.get(&lookup_uri(number), &key).await;
        assert_eq!(r.status, 200, "{number:?}: {}", r.text);
        assert_eq!(r.json(), json!({"contacts": []}), "{number:?}");
    }
    let r = app.get(CONTACTS, &key).await;
    assert_eq!((r.status.as_u16(), r.json()), (200, json!({"contacts": []})));
    let long = "9".repeat(5000);
    let r = app.get(&lookup_uri(&long), &key).await;
    assert_eq!((r.status.as_u16(), r.json()), (200, json!({"contacts": []})));
}

/// Every written form of a customer's numbers finds the customer; a second
/// customer sharing a number is listed too.
async fn find_by_every_form(app: &TestApp, token: &str, first: &str, second: &str) {
    let forms = [
        "0912345678",
        "0912 345 678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "tel:+84912345678",
    ];
    for form in forms {
        let r = app
            .call(
                Method::GET,
                &lookup_uri(form),
                Some(token),
                None,
                &[("host", "hotline.test:8080")],
            )
            .await;
        assert_eq!(r.status, 200, "{form}: {}", r.text);
        let contacts = r.json()["contacts"].clone();
        assert_eq!(contacts.as_array().map(Vec::len), Some(1), "{form}: {contacts}");
        assert_eq!(
            contacts[0],
            json!({
                "id": first,
                "firstName": "Nguyễn Văn Á",
                "lastName": "",
                "company": "PB03020045525",
                "email": "a@example.vn",
                "phoneMobile": "+84912345678",
                "phoneBusiness": "+842838221234",
                "url": format!("http://hotline.test:8080/api/v1/customers/{first}"),
                "notice": "",
            }),
            "{form}"
        );
    }
    // A `+` 3CX did not percent-encode arrives as a space and still works;
    // without a Host header the URL is relative.
    let r = app.get(&format!("{CONTACTS}?number=+84912345678"), token).await;
    assert_eq!(r.json()["contacts"][0]["url"], format!("/api/v1/customers/{first}"));

    // The landline finds both customers, ordered by customer code.
    for form in ["(028) 3822 1234", "028 3822 1234", "+842838221234", "(08) 3822 1234"] {
        let r = app.get(&lookup_uri(form), token).await;
        let ids: Vec<String> = r.json()["contacts"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["id"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        assert_eq!(ids, [first, second], "{form}");
    }
    // The second customer's pre-2018 mobile, old and new forms.
    for form in ["01623456789", "0162 345 6789", "0323456789", "+84 323 456 789"] {
        let r = app.get(&lookup_uri(form), token).await;
        let c = &r.json()["contacts"][0];
        assert_eq!(c["id"], second, "{form}");
        assert_eq!(c["firstName"], "Công ty TNHH Điện Cà Mau");
        assert_eq!(c["company"], "PB03020045526");
        assert_eq!(c["phoneMobile"], "+84323456789");
        assert_eq!(c["email"], "");
    }
}

fn first_customer() -> Value {
    json!({
        "customer_code": "PB03020045525",
        "name": "Nguyễn Văn Á",
        "phones": ["0912 345 678", "(028) 3822 1234"],
        "email": "a@example.vn",
        "address": "Ấp 3, xã Tân Thành, Cà Mau",
    })
}

fn second_customer() -> Value {
    json!({
        "customer_code": "PB03020045526",
        "name": "Công ty TNHH Điện Cà Mau",
        "phones": ["028 3822 1234", "01623456789"],
    })
}

#[tokio::test]
async fn customers_added_through_the_api_are_found_by_every_form_of_their_number() {
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    let mut ids = Vec::new();
    for body in [first_customer(), second_customer()] {
        let r = app.post("/api/v1/customers", &app.admin, body).await;
        assert_eq!(r.status, 201, "POST /api/v1/customers: {}", r.text);
        ids.push(r.json()["id"].as_str().expect("id").to_string());
    }
    find_by_every_form(&app, &key, &ids[0], &ids[1]).await;
}

/// Puts a customer straight into the directory (as its bulk import would),
/// without going through the directory's HTTP API; answers the id.
async fn seed(app: &TestApp, body: &Value) -> String {
    let importer = Principal {
        id: uuid::Uuid::now_v7(),
        name: "billing".into(),
        role: Role::Integration,
        kind: PrincipalKind::ApiKey,
        unit_code: None,
        team_code: None,
        language: None,
    };
    let now = hotline_domain::time::now();
    let text = |k: &str| body[k].as_str().map(str::to_string);
    let input = CustomerInput {
        code: text("customer_code"),
        name: text("name"),
        phones: body["phones"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
        email: text("email"),
        address: text("address"),
        ..Default::default()
    };
    let customer = Customer::create(input, now).expect("valid customer");
    let entry = AuditEntry::new("customer", customer.id, "create", &importer, now, customer.audit_view());
    CustomerStore::create(&app.db, &customer, &entry).await.expect("stored");
    customer.id.to_string()
}

#[tokio::test]
async fn customers_in_the_directory_are_found_by_every_form_of_their_number() {
    // The same through the directory's store, independent of its HTTP API.
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    let mut ids = Vec::new();
    for body in [first_customer(), second_customer()] {
        ids.push(seed(&app, &body).await);
    }
    find_by_every_form(&app, &key, &ids[0], &ids[1]).await;
}

/// Every `attr="…"` value in the template, in order.
fn attributes<'a>(xml: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    xml.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &xml[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[tokio::test]
async fn the_template_asks_what_the_api_answers() {
    let xml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/integrations/3cx/hotline.xml"))
        .expect("integrations/3cx/hotline.xml");
    let urls = attributes(&xml, "Url");
    assert_eq!(
        urls,
        [
            "[BaseUrl]/api/v1/integrations/3cx/contacts?number=[Number]",
            "[BaseUrl]/api/v1/integrations/3cx/journal"
        ]
    );
    let names = attributes(&xml, "Name");
    assert!(names.contains(&"BaseUrl") && names.contains(&"ApiKey"), "{names:?}");
    assert_eq!(
        xml.matches(">Bearer [ApiKey]</Value>").count(),
        2,
        "both requests send the key"
    );

    // Simulate 3CX: look the customer up, read the paths the template maps.
    let app = TestApp::new().await;
    let key = app.api_key("3CX", "integration").await;
    seed(&app, &first_customer()).await;
    let answer = app.get(&lookup_uri("+84912345678"), &key).await.json();
    let paths: Vec<&str> = attributes(&xml, "Path");
    assert_eq!(paths.len(), 9);
    for path in paths {
        let field = path.strip_prefix("contacts.").expect("under contacts");
        assert!(answer["contacts"][0][field].is_string(), "{path} in {answer}");
    }
    assert_eq!(
        attributes(&xml, "Type")
            .iter()
            .filter(|t| t.starts_with("Phone"))
            .count(),
        2
    );

    // Journal with exactly the keys the template posts.
    let posted: Vec<&str> = attributes(&xml, "Key")
        .into_iter()
        .filter(|k| *k != "Authorization")
        .collect();
    let example = |k: &str| match k {
        "CallType" => "Inbound",
        "Number" => "+84912345678",
        "Name" => "Nguyễn Văn Á",
        "Agent" => "101",
        "Duration" => "00:03:40",
        "DateTime" => "11/20/2026 08:00:00",
        "CallStartTimeUTC" => "11/20/2026 01:00:00",
        "CallEstablishedTimeUTC" => "11/20/2026 01:00:25",
        "CallEndTimeUTC" => "11/20/2026 01:04:05",
        "QueueExtension" => "800",
        other => panic!("the template posts {other}, which the API does not read"),
    };
    let fields: Vec<(&str, &str)> = posted.iter().map(|k| (*k, example(k))).collect();
    assert_eq!(fields.len(), 10);
    let r = post_form(&app, &key, &fields).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["talk_seconds"], 220);
}

/// A client other than 3CX may send its own Idempotency-Key, as for
/// `POST /api/v1/calls`: a retry with it answers the first result.
#[tokio::test]
async fn a_journal_with_its_own_idempotency_key_replays_on_that_key() {
    let app = TestApp::new().await;
    let key = app.api_key("CRM", "integration").await;
    let body: serde_json::Map<String, Value> = inbound().iter().map(|(k, v)| ((*k).to_string(), json!(v))).collect();
    let send = |idem: &'static str, body: Value| {
        let app = &app;
        let key = &key;
        async move {
            app.call(
                Method::POST,
                JOURNAL,
                Some(key),
                Some(body),
                &[("idempotency-key", idem)],
            )
            .await
        }
    };
    let first = send("crm-0001", Value::Object(body.clone())).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send("crm-0001", Value::Object(body.clone())).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["id"], first.json()["id"]);
    // The key with another call is refused; a bad key is a 400 naming it.
    let mut other = body.clone();
    other.insert("Number".into(), json!("0987654321"));
    let r = send("crm-0001", Value::Object(other)).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = send("bad key", Value::Object(body)).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.text.contains("Idempotency-Key"), "{}", r.text);
    assert_eq!(app.stored_calls().await, 1);
}
