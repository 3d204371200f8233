//! The fields of a Zammad/sipgate event body, however the PBX encoded it:
//! JSON, `application/x-www-form-urlencoded` (also assumed when no content
//! type is given, as some PBXs send), or `multipart/form-data` (what
//! `curl --form` sends). `user[]` and `user` are one field.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, header};
use serde_json::Value;

use crate::extract::is_json;

pub(super) struct ZammadFields(HashMap<String, Vec<String>>);

fn key(name: &str) -> String {
    name.trim_end_matches("[]").to_string()
}

impl ZammadFields {
    /// Reads `body` as its `media_type` says; `content_type` is the whole
    /// header (a multipart body needs its boundary).
    pub(super) async fn parse(
        media_type: &str,
        content_type: Option<&HeaderValue>,
        body: Bytes,
    ) -> Result<Self, String> {
        if is_json(media_type) {
            Self::json(&body)
        } else if media_type == "multipart/form-data" {
            Self::multipart(content_type, body).await
        } else {
            Self::form(&body)
        }
    }

    fn json(body: &[u8]) -> Result<Self, String> {
        let v: Value = serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
        let Value::Object(obj) = v else {
            return Err("the body must be a JSON object".into());
        };
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in obj {
            let values: Vec<String> = match v {
                Value::Array(items) => items.into_iter().filter_map(scalar).collect(),
                other => scalar(other).into_iter().collect(),
            };
            map.entry(key(&k)).or_default().extend(values);
        }
        Ok(ZammadFields(map))
    }

    fn form(body: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_string())?;
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in form_urlencoded::parse(text.as_bytes()) {
            map.entry(key(&k)).or_default().push(v.into_owned());
        }
        Ok(ZammadFields(map))
    }

    async fn multipart(content_type: Option<&HeaderValue>, body: Bytes) -> Result<Self, String> {
        let mut req = Request::new(Body::from(body));
        if let Some(ct) = content_type {
            req.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
        }
        let mut parts = Multipart::from_request(req, &())
            .await
            .map_err(|e| format!("the multipart body cannot be read: {}", e.body_text()))?;
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        loop {
            let field = parts
                .next_field()
                .await
                .map_err(|e| format!("the multipart body cannot be read: {}", e.body_text()))?;
            let Some(field) = field else { break };
            let name = key(field.name().unwrap_or_default());
            let value = field
                .text()
                .await
                .map_err(|e| format!("multipart field {name:?} is not text: {}", e.body_text()))?;
            map.entry(name).or_default().push(value);
        }
        Ok(ZammadFields(map))
    }

    /// The first non-blank value of the first of `keys` that has one.
    pub(super) fn one(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.0
                .get(*k)
                .and_then(|v| v.first())
                .map(String::as_str)
                .filter(|s| !s.trim().is_empty())
        })
    }

    /// Every non-blank value, comma-joined.
    pub(super) fn joined(&self, key: &str) -> Option<String> {
        let values: Vec<&str> = self
            .0
            .get(key)?
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

fn scalar(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_three_encodings_give_the_same_fields() {
        let form = ZammadFields::parse(
            "application/x-www-form-urlencoded",
            None,
            Bytes::from("event=newCall&call_id=1&user%5B%5D=a&user%5B%5D=b"),
        )
        .await
        .unwrap();
        let json = ZammadFields::parse(
            "application/json",
            None,
            Bytes::from(r#"{"event":"newCall","call_id":1,"user[]":["a","b"]}"#),
        )
        .await
        .unwrap();
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"event\"\r\n\r\nnewCall\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"call_id\"\r\n\r\n1\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"user[]\"\r\n\r\na\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"user[]\"\r\n\r\nb\r\n--XyZ--\r\n";
        let ct = HeaderValue::from_static("multipart/form-data; boundary=XyZ");
        let multipart = ZammadFields::parse("multipart/form-data", Some(&ct), Bytes::from(body))
            .await
            .unwrap();
        for f in [form, json, multipart] {
            assert_eq!(f.one(&["callId", "call_id"]), Some("1"));
            assert_eq!(f.one(&["event"]), Some("newCall"));
            assert_eq!(f.joined("user").as_deref(), Some("a, b"));
        }
    }

    #[tokio::test]
    async fn a_multipart_body_without_its_boundary_is_refused() {
        let ct = HeaderValue::from_static("multipart/form-data");
        let r = ZammadFields::parse("multipart/form-data", Some(&ct), Bytes::from("event=newCall")).await;
        assert!(r.is_err());
    }
}
