//! The fields of a posted service request, form-encoded or JSON, read
//! alike as text, and a field of the query.

use std::collections::HashMap;

use hotline_domain::open311::RawRequest;
use serde_json::Value;

use crate::error::ApiError;

const FIELDS: &[&str] = &[
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "device_id",
    "account_id",
    "media_url",
];

/// The posted fields as text: known names and `attribute[…]`, the first of
/// a repeated one; empty values count as absent. Other fields (the
/// `jurisdiction_id` some apps always send) are ignored.
pub(super) fn form_fields(bytes: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        let known = FIELDS.contains(&k.as_ref()) || attribute_code(&k).is_some();
        if known && !v.trim().is_empty() && !out.contains_key(k.as_ref()) {
            out.insert(k.into_owned(), v.into_owned());
        }
    }
    out
}

/// A JSON object's fields, as the form's: numbers and booleans as written,
/// `attribute` as an object of answers or `attribute[code]` keys.
pub(super) fn json_fields(bytes: &[u8]) -> Result<HashMap<String, String>, ApiError> {
    let raw: Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::malformed(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(object) = raw else {
        return Err(ApiError::invalid_field("body", "must be a JSON object"));
    };
    let mut out = HashMap::new();
    let mut add = |name: String, value: &Value| -> Result<(), ApiError> {
        let text = match value {
            Value::Null => return Ok(()),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(ApiError::invalid_field(&name, "must be text")),
        };
        if !text.trim().is_empty() {
            out.insert(name, text);
        }
        Ok(())
    };
    for (k, v) in &object {
        if k == "attribute" {
            let Value::Object(answers) = v else {
                if v.is_null() {
                    continue;
                }
                return Err(ApiError::invalid_field("attribute", "must be an object of answers"));
            };
            for (code, answer) in answers {
                add(format!("attribute[{code}]"), answer)?;
            }
        } else if FIELDS.contains(&k.as_str()) || attribute_code(k).is_some() {
            add(k.clone(), v)?;
        }
    }
    Ok(out)
}

/// `attribute[code]` → `code`.
fn attribute_code(name: &str) -> Option<&str> {
    name.strip_prefix("attribute[")?.strip_suffix(']')
}

pub(super) fn raw_request(fields: &HashMap<String, String>) -> RawRequest {
    let get = |k: &str| fields.get(k).cloned();
    let mut attributes: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, v)| attribute_code(k).map(|c| (c.to_string(), v.clone())))
        .collect();
    attributes.sort();
    RawRequest {
        service_code: get("service_code"),
        lat: get("lat"),
        long: get("long"),
        address_string: get("address_string"),
        address_id: get("address_id"),
        description: get("description"),
        first_name: get("first_name"),
        last_name: get("last_name"),
        phone: get("phone"),
        email: get("email"),
        device_id: get("device_id"),
        account_id: get("account_id"),
        media_url: get("media_url"),
        attributes,
    }
}

pub(super) fn query_field(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_json_bodies_read_alike() {
        let form = form_fields(
            "service_code=outage&lat=9.18&long=105.15&attribute%5Bcallback_requested%5D=true&jurisdiction_id=x&phone=&description=M%E1%BA%A5t+%C4%91i%E1%BB%87n"
                .as_bytes(),
        );
        let json = json_fields(
            br#"{"service_code":"outage","lat":9.18,"long":105.15,"attribute":{"callback_requested":true},"jurisdiction_id":"x","phone":"","description":"M\u1ea5t \u0111i\u1ec7n"}"#,
        )
        .unwrap();
        assert_eq!(form, json);
        let raw = raw_request(&form);
        assert_eq!(raw.attributes, [("callback_requested".to_string(), "true".to_string())]);
        assert_eq!(raw.description.as_deref(), Some("Mất điện"));
        assert_eq!(raw.phone, None);
        assert!(json_fields(br#"{"lat":[1]}"#).is_err());
        assert!(json_fields(b"[]").is_err());
    }

    #[test]
    fn the_key_may_travel_in_the_query() {
        assert_eq!(
            query_field(Some("a=1&api_key=hk_x"), "api_key").as_deref(),
            Some("hk_x")
        );
        assert_eq!(query_field(Some("api_key="), "api_key"), None);
        assert_eq!(query_field(None, "api_key"), None);
    }
}
