//! Units and areas are one kind of tree: the same answers (statuses,
//! problem details, headers, audit records) with each tree's own names, and
//! the area's own rules on top (its unit must exist, who serves it).

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

/// One of the two trees, as a client sees it.
struct Tree {
    /// `units`, `areas`: the collection's path.
    what: &'static str,
    entity: &'static str,
    /// How messages name one: `a unit`, `an area`.
    one: &'static str,
    /// The fields besides code, name and parent that a new node needs.
    extra: Value,
}

const TREES: [fn() -> Tree; 2] = [
    || Tree {
        what: "units",
        entity: "unit",
        one: "a unit",
        extra: json!({}),
    },
    || Tree {
        what: "areas",
        entity: "area",
        one: "an area",
        extra: json!({"kind": "commune"}),
    },
];

impl Tree {
    async fn add(&self, app: &TestApp, code: &str, parent: Option<&str>) -> Reply {
        let mut body = json!({"code": code, "name": format!("Node {code}"), "parent_code": parent});
        for (k, v) in self.extra.as_object().expect("extra fields") {
            body[k] = v.clone();
        }
        app.post(&format!("/api/v1/{}", self.what), &app.admin, body).await
    }

    async fn patch(&self, app: &TestApp, code: &str, etag: &str, body: Value) -> Reply {
        let path = format!("/api/v1/{}/{code}", self.what);
        app.call(
            Method::PATCH,
            &path,
            Some(&app.admin),
            Some(body),
            &[("if-match", etag)],
        )
        .await
    }
}

/// The only field error of a 422, as `field: message`.
fn field_error(r: &Reply) -> String {
    r.problem(422, "validation");
    let errors = r.json()["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{}", r.text);
    format!(
        "{}: {}",
        errors[0]["field"].as_str().unwrap_or(""),
        errors[0]["message"].as_str().unwrap_or("")
    )
}

fn codes(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|n| n["code"].as_str().unwrap_or(""))
        .collect()
}

#[tokio::test]
async fn units_and_areas_answer_alike_each_in_its_own_words() {
    let app = TestApp::new().await;
    for tree in TREES.map(|t| t()) {
        let (what, entity, one) = (tree.what, tree.entity, tree.one);
        let r = tree.add(&app, "ROOT", None).await;
        assert_eq!(r.status, 201, "{what}: {}", r.text);
        assert_eq!(r.header("location"), Some(format!("/api/v1/{what}/ROOT").as_str()));
        assert_eq!(r.header("etag"), Some("\"1\""), "{what}");
        assert_eq!(tree.add(&app, "MID", Some("root")).await.status, 201);
        let low = tree.add(&app, "LOW", Some("MID")).await.json();
        assert_eq!(low["path"], "/ROOT/MID/LOW/", "{what}");

        let r = tree.add(&app, "root", None).await;
        assert_eq!(
            r.problem(409, "conflict")["detail"],
            format!("{one} ROOT already exists")
        );
        let r = tree.add(&app, "ELSE", Some("NOPE")).await;
        assert_eq!(field_error(&r), format!("parent_code: there is no {entity} NOPE"));
        let r = tree.add(&app, "SELF", Some("self")).await;
        assert_eq!(field_error(&r), format!("parent_code: cannot be the {entity} itself"));

        let r = tree.patch(&app, "ROOT", "*", json!({"parent_code": "LOW"})).await;
        assert_eq!(
            field_error(&r),
            format!("parent_code: LOW is below ROOT; {one} cannot move below itself")
        );
        let r = tree.patch(&app, "MID", "*", json!({"parent_code": "NOPE"})).await;
        assert_eq!(field_error(&r), format!("parent_code: there is no {entity} NOPE"));
        let r = tree.patch(&app, "MID", "\"7\"", json!({"name": "x"})).await;
        r.problem(412, "precondition-failed");
        let r = tree.patch(&app, "NOPE", "*", json!({"name": "x"})).await;
        assert_eq!(r.problem(404, "not-found")["detail"], format!("no such {entity}"));

        let r = app.get(&format!("/api/v1/{what}/nope"), &app.admin).await;
        assert_eq!(r.problem(404, "not-found")["detail"], format!("no such {entity}"));
        let r = app.get(&format!("/api/v1/{what}?within=NOPE"), &app.admin).await;
        assert_eq!(
            r.problem(400, "invalid-parameter")["detail"],
            format!("within: there is no {entity} NOPE")
        );

        // A rename keeps the node where it is; a move takes its subtree along.
        let r = tree.patch(&app, "MID", "\"1\"", json!({"name": "Middle"})).await;
        assert_eq!(r.status, 200, "{what}: {}", r.text);
        assert_eq!(r.header("etag"), Some("\"2\""), "{what}");
        let mid = r.json();
        assert_eq!((&mid["path"], mid["version"].as_i64()), (&json!("/ROOT/MID/"), Some(2)));
        let r = tree.patch(&app, "MID", "\"2\"", json!({"parent_code": null})).await;
        assert_eq!(r.json()["path"], "/MID/", "{what}: {}", r.text);
        let r = app.get(&format!("/api/v1/{what}/LOW"), &app.admin).await;
        assert_eq!(r.header("etag"), Some("\"1\""), "{what}");
        let detail = r.json();
        assert_eq!(detail["path"], "/MID/LOW/", "{what}");
        assert_eq!(codes(&detail["ancestors"]), ["MID"], "{what}");
        assert_eq!(detail["ancestors"][0]["name"], "Middle", "{what}");
        let r = tree.patch(&app, "MID", "*", json!({"parent_code": "ROOT"})).await;
        assert_eq!(r.status, 200, "{what}: {}", r.text);
        let root = app.get(&format!("/api/v1/{what}/ROOT"), &app.admin).await.json();
        assert_eq!(codes(&root["children"]), ["MID"], "{what}");
        assert!(codes(&root["ancestors"]).is_empty(), "{what}");
        let below = app.get(&format!("/api/v1/{what}?within=MID"), &app.admin).await.json();
        assert_eq!(codes(&below["items"]), ["LOW", "MID"], "{what}");

        // Every change is audited under the tree's entity, newest first.
        let id = mid["id"].as_str().expect("id");
        let audit = app
            .get(&format!("/api/v1/audit?entity={entity}&id={id}"), &app.admin)
            .await
            .json();
        let actions: Vec<&str> = audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|e| e["action"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(actions, ["update", "update", "update", "create"], "{what}");
        assert_eq!(
            audit["items"][2]["changes"]["name"],
            json!({"from": "Node MID", "to": "Middle"}),
            "{what}"
        );
        assert_eq!(
            audit["items"][0]["changes"]["path"],
            json!({"from": "/MID/", "to": "/ROOT/MID/"}),
            "{what}"
        );
        assert_eq!(audit["items"][3]["changes"]["parent_code"], "ROOT", "{what}");
    }
}

#[tokio::test]
async fn an_areas_unit_must_exist_when_added_and_when_changed() {
    let app = TestApp::new().await;
    app.unit("PC15", "Unit PC15", None).await;
    let new = |code: &str, unit: &str| json!({"code": code, "name": code, "kind": "province", "unit_code": unit});
    let r = app.post("/api/v1/areas", &app.admin, new("CM", "NOPE")).await;
    assert_eq!(field_error(&r), "unit_code: there is no unit NOPE");
    let r = app.post("/api/v1/areas", &app.admin, new("CM", "pc15")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.area("CM-TT", "Xã Tân Thành", "commune", Some("CM")).await;

    let patch = |body: Value| {
        let app = &app;
        async move {
            app.call(
                Method::PATCH,
                "/api/v1/areas/CM-TT",
                Some(&app.admin),
                Some(body),
                &[("if-match", "*")],
            )
            .await
        }
    };
    let r = patch(json!({"unit_code": "NOPE"})).await;
    assert_eq!(field_error(&r), "unit_code: there is no unit NOPE");
    // The unit is checked once the area itself is valid, before its parent.
    let r = patch(json!({"unit_code": "NOPE", "kind": "county"})).await;
    assert_eq!(r.fields(), ["kind"]);
    let r = patch(json!({"unit_code": "NOPE", "parent_code": "ALSO-NOPE"})).await;
    assert_eq!(field_error(&r), "unit_code: there is no unit NOPE");

    let detail = app.get("/api/v1/areas/CM-TT", &app.admin).await.json();
    assert_eq!(detail["served_by"], "PC15");
    assert_eq!(detail["area_ancestry"], json!(["CM-TT", "CM"]));
    assert_eq!(detail["unit_code"], Value::Null);
    let r = patch(json!({"unit_code": "PC15", "name": "Xã Tân Thành mới"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["unit_code"], "PC15");
}
