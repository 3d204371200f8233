//! The way out: problems and CSV exports in the caller's language.

use std::sync::{Arc, OnceLock};

use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{Lang, catalogue, csv, translate_problem};
use crate::error::PROBLEM_JSON;
use crate::routes::open311::{Open311List, dress};

/// The largest answer translated (a bigger export goes as it is).
const MAX_TRANSLATED: usize = 64 * 1024 * 1024;

/// The request's language: its `Accept-Language`, else `default`.
pub fn language(req: &Request, default: Lang) -> Lang {
    req.headers()
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(Lang::preferred)
        .unwrap_or(default)
}

/// Where the authenticated caller's own choice of language is left for
/// the way out (the credential is checked inside the handler).
#[derive(Clone, Default)]
pub struct Preferred(Arc<OnceLock<Lang>>);

impl Preferred {
    /// Records the caller's choice (a user's or API key's `language`).
    pub fn set(&self, lang: Lang) {
        let _ = self.0.set(lang);
    }
}

/// Puts problems and CSV exports into the caller's language: the language
/// the signed-in user or API key chose, else the request's
/// `Accept-Language`, else `default`; saying which (`Content-Language`) and
/// that it depends on the request (`Vary`).
pub async fn localise(State(default): State<Lang>, mut req: Request, next: Next) -> Response {
    let asked = language(&req, default);
    let preferred = Preferred::default();
    req.extensions_mut().insert(preferred.clone());
    let res = next.run(req).await;
    let lang = preferred.0.get().copied().unwrap_or(asked);
    if res.extensions().get::<Open311List>().is_some() {
        return open311_list(res, lang);
    }
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let problem = kind.starts_with(PROBLEM_JSON);
    let export = kind.starts_with("text/csv");
    if !(problem || export) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    say_language(&mut parts.headers, lang);
    // Bodies here are built in memory, their size known: one too large to
    // translate goes out as it is, never cut.
    let too_large = body.size_hint().upper().is_none_or(|n| n > MAX_TRANSLATED as u64);
    if lang == Lang::En || too_large {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(body, MAX_TRANSLATED).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let translated = if problem {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|mut v| {
                translate_problem(&mut v, lang);
                serde_json::to_vec(&v).ok()
            })
    } else {
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(csv::translate)
            .map(String::into_bytes)
    };
    let out = translated.unwrap_or_else(|| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

/// Says which language an answer is in, and that it depends on the request.
fn say_language(headers: &mut HeaderMap, lang: Lang) {
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    headers.append(header::VARY, HeaderValue::from_static("accept-language"));
}

/// An Open311 error list (JSON or XML) with each description in `lang`;
/// codes and the list's shape stay as the spec has them.
fn open311_list(mut res: Response, lang: Lang) -> Response {
    say_language(res.headers_mut(), lang);
    if lang == Lang::En {
        return res;
    }
    let Some(kept) = res.extensions_mut().remove::<Open311List>() else {
        return res;
    };
    let list: Vec<(u16, String)> = kept
        .list
        .into_iter()
        .map(|(code, text)| match catalogue::message(&text) {
            Some(vi) => (code, vi),
            None => {
                tracing::warn!(text, "no Vietnamese for this Open311 error");
                (code, text)
            }
        })
        .collect();
    dress(&mut res, &list, kept.format);
    res
}
