//! Fixtures: what a test stands on (units, areas, teams, routing rules,
//! anything created), made through the API as an admin would, each
//! asserting that it was made.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Reply, TestApp};

/// A work order as a test holds it: its JSON (by its `id`), or its id or
/// code.
pub trait WorkOrderRef {
    fn path_segment(&self) -> String;
}

impl WorkOrderRef for Value {
    fn path_segment(&self) -> String {
        self["id"].as_str().expect("a work order's id").to_string()
    }
}

impl WorkOrderRef for str {
    fn path_segment(&self) -> String {
        self.to_string()
    }
}

impl WorkOrderRef for String {
    fn path_segment(&self) -> String {
        self.clone()
    }
}

impl TestApp {
    /// POSTs `body` to `path` as the admin: asserts 201, returns what was
    /// created.
    pub async fn created(&self, path: &str, body: Value) -> Value {
        self.created_by(&self.admin, path, body).await
    }

    /// POSTs `body` to `path` with `token`: asserts 201, returns what was
    /// created.
    pub async fn created_by(&self, token: &str, path: &str, body: Value) -> Value {
        let r = self.post(path, token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text);
        r.json()
    }

    /// POSTs `body` to `path` with `token`: asserts 201, a `Location` at the
    /// new record under `path` and its first ETag (`"1"`); returns the record.
    pub async fn created_located(&self, token: &str, path: &str, body: Value) -> Value {
        let r = self.post(path, token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text);
        let created = r.json();
        let id = created["id"].as_str().expect("the new record's id");
        assert_eq!(r.header("location"), Some(format!("{path}/{id}").as_str()));
        assert_eq!(r.header("etag"), Some("\"1\""));
        created
    }

    /// A unit, under `parent` or at the top.
    pub async fn unit(&self, code: &str, name: &str, parent: Option<&str>) -> Value {
        self.created(
            "/api/v1/units",
            json!({"code": code, "name": name, "parent_code": parent}),
        )
        .await
    }

    /// Units named by their codes: EVNSPC ⊃ PB98 ⊃ PB98LL, and PB97 beside
    /// PB98.
    pub async fn unit_tree(&self) {
        for (code, parent) in [
            ("EVNSPC", None),
            ("PB98", Some("EVNSPC")),
            ("PB98LL", Some("PB98")),
            ("PB97", Some("EVNSPC")),
        ] {
            self.unit(code, code, parent).await;
        }
    }

    /// An area of this kind (`province`, `commune`, …), under `parent` or at
    /// the top.
    pub async fn area(&self, code: &str, name: &str, kind: &str, parent: Option<&str>) -> Value {
        self.created(
            "/api/v1/areas",
            json!({"code": code, "name": name, "kind": kind, "parent_code": parent}),
        )
        .await
    }

    /// A team named `Tổ {code}` of `unit`, serving `areas` with `skills`.
    pub async fn team(&self, code: &str, unit: &str, areas: &[&str], skills: &[&str], capacity: u32) -> Value {
        self.created(
            "/api/v1/teams",
            json!({"code": code, "name": format!("Tổ {code}"), "unit_code": unit, "area_codes": areas,
                   "skills": skills, "capacity": capacity}),
        )
        .await
    }

    /// Opens a work order with `token`; asserts 201, returns it.
    pub async fn work_order(&self, token: &str, body: Value) -> Value {
        self.created_by(token, "/api/v1/work-orders", body).await
    }

    /// Moves a work order on (`{"action": …}`) with `token`, whatever its
    /// version (`If-Match: *`).
    pub async fn transition<W: WorkOrderRef + ?Sized>(&self, token: &str, work_order: &W, body: Value) -> Reply {
        self.call(
            Method::POST,
            &format!("/api/v1/work-orders/{}/transitions", work_order.path_segment()),
            Some(token),
            Some(body),
            &[("if-match", "*")],
        )
        .await
    }

    /// Moves a work order on as the admin: asserts 200, returns it.
    pub async fn transitioned<W: WorkOrderRef + ?Sized>(&self, work_order: &W, body: Value) -> Value {
        let r = self.transition(&self.admin, work_order, body.clone()).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text);
        r.json()
    }

    /// Replaces the routing rules with `rules` (`{"rules": [...]}`).
    pub async fn routing_rules(&self, rules: Value) {
        let r = self
            .call(
                Method::PUT,
                "/api/v1/routing/rules",
                Some(&self.admin),
                Some(rules),
                &[("if-match", "*")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }

    /// A user's id, by username.
    pub async fn user_id(&self, username: &str) -> String {
        let users = self.get("/api/v1/users?limit=200", &self.admin).await.json();
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == username)
            .unwrap_or_else(|| panic!("no user {username}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}
