//! A problem+json body in another language: `title`, `detail` and each
//! `errors[].message`; `type`, `status` and field names stay as they are.

use serde_json::Value;

use super::Lang;
use super::catalogue::message;

/// The texts of a problem a reader sees.
fn texts(problem: &mut Value) -> Vec<&mut Value> {
    let Value::Object(map) = problem else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in map.iter_mut() {
        match k.as_str() {
            "title" | "detail" => out.push(v),
            "errors" => {
                if let Value::Array(items) = v {
                    for item in items {
                        if let Some(m) = item.get_mut("message") {
                            out.push(m);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Translates the problem's texts into `lang`; a text the catalogue lacks
/// stays in English (and is logged: the tests make sure there is none).
pub fn translate_problem(problem: &mut Value, lang: Lang) {
    if lang == Lang::En {
        return;
    }
    for v in texts(problem) {
        let Some(en) = v.as_str() else { continue };
        match message(en) {
            Some(vi) => *v = Value::String(vi),
            None => tracing::warn!(text = en, "no Vietnamese for this problem text"),
        }
    }
}

/// The problem's texts the catalogue cannot translate.
pub fn untranslated(problem: &Value) -> Vec<String> {
    let mut copy = problem.clone();
    texts(&mut copy)
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .filter(|t| message(t).is_none())
        .collect()
}
