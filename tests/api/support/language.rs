//! Every answer a test sees is checked for its Vietnamese: a problem whose
//! title, detail or field message the catalogue cannot translate, or a CSV
//! export with a header or code it cannot name, or an Open311 error list
//! with a description it cannot translate, fails the test that met it.
//! With `HOTLINE_I18N_COLLECT=FILE` the texts are written there instead, one
//! per line, to fill the catalogue in one go.

use std::io::Write;

use axum::http::header;

use super::Reply;

/// The descriptions of an Open311 error list the catalogue cannot
/// translate (nothing for any other JSON).
fn open311_errors(text: &str) -> Vec<String> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|i| i["code"].is_u64())
        .filter_map(|i| i["description"].as_str())
        .filter(|d| hotline_http::i18n::catalogue::message(d).is_none())
        .map(str::to_string)
        .collect()
}

pub fn every_text_has_vietnamese(reply: &Reply) {
    let kind = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Checked in English, the language the catalogue translates from.
    if reply.headers.get(header::CONTENT_LANGUAGE).is_some_and(|l| l != "en") {
        return;
    }
    let missing = if kind.starts_with("application/problem+json") {
        match serde_json::from_str(&reply.text) {
            Ok(problem) => hotline_http::i18n::untranslated(&problem),
            Err(_) => Vec::new(),
        }
    } else if kind.starts_with("text/csv") {
        hotline_http::i18n::untranslated_csv(&reply.text)
    } else if reply.status.is_client_error() && kind.starts_with("application/json") {
        open311_errors(&reply.text)
    } else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    if let Some(path) = std::env::var_os("HOTLINE_I18N_COLLECT") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("the collection file");
        for m in &missing {
            writeln!(f, "{}\t{m}", if kind.starts_with("text/csv") { "csv" } else { "msg" }).expect("written");
        }
        return;
    }
    panic!("no Vietnamese for {missing:?} in {}", reply.text);
}
