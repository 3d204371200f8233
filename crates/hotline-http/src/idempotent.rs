//! Idempotent POSTs: the first answer to a key is stored with the change it
//! made (same transaction) and replayed to every retry with that key.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_domain::DomainError;
use hotline_domain::idempotency::{self, IdempotencyRecord, Replay};
use hotline_domain::principal::Principal;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::etag;

/// A request carrying an `Idempotency-Key`.
pub struct Idempotent {
    scope: String,
    key: String,
    fingerprint: String,
}

impl Idempotent {
    pub fn new(actor: &Principal, key: Option<String>, route: &str, body: &Value) -> Option<Self> {
        Some(Idempotent {
            scope: actor.idempotency_scope(),
            key: key?,
            fingerprint: idempotency::fingerprint(route, body),
        })
    }

    /// The stored answer when this key was used before (or a 422 when it was
    /// used with another body).
    pub async fn earlier(&self, app: &App) -> ApiResult<Option<Response>> {
        match self.first(app).await? {
            Some(stored) => Ok(Some(self.replay(&stored)?)),
            None => Ok(None),
        }
    }

    /// The record of the first request with this key, if any came.
    pub async fn first(&self, app: &App) -> ApiResult<Option<IdempotencyRecord>> {
        Ok(hotline_app::idempotency::earlier(app, &self.scope, &self.key).await?)
    }

    /// The stored answer (a 422 when the key came with another body). A
    /// record that refers to its resource is replayed with
    /// [`Idempotent::replay_referred`], which reads it.
    pub fn replay(&self, stored: &IdempotencyRecord) -> ApiResult<Response> {
        let stored = self.matching(stored)?;
        if stored.refers() {
            return Err(ApiError::internal(
                "an answer kept by reference replayed without its resource",
            ));
        }
        Ok(replayed(stored))
    }

    /// The stored first answer, when it was given to this same request (a
    /// 422 when the key came with another body); for answers that are
    /// replayed in another form than plain JSON.
    pub fn matching<'a>(&self, stored: &'a IdempotencyRecord) -> ApiResult<&'a IdempotencyRecord> {
        match idempotency::replay(stored, &self.fingerprint) {
            Replay::Same(r) => Ok(r),
            Replay::Mismatch => Err(DomainError::IdempotencyMismatch.into()),
        }
    }

    /// The record of a first answer.
    pub fn keep(&self, answer: &Answer, now: DateTime<Utc>) -> IdempotencyRecord {
        self.record(answer.status, &answer.body, answer.location.as_deref(), now)
    }

    /// The record of a first answer that keeps where its resource is, not
    /// its body (see [`IdempotencyRecord::refers`]); replayed with
    /// [`Idempotent::replay_referred`].
    pub fn refer(&self, answer: &Answer, now: DateTime<Utc>) -> IdempotencyRecord {
        self.record(answer.status, "", answer.location.as_deref(), now)
    }

    /// The answer to a retry of a create whose record may refer to its
    /// resource: `read` gives the resource's body and version as they are
    /// now (or its error, a 404 when it is no longer stored). A record kept whole
    /// (before references were kept) is replayed as it was kept.
    pub async fn replay_referred<F, Fut>(&self, stored: &IdempotencyRecord, read: F) -> ApiResult<Response>
    where
        F: FnOnce(Uuid) -> Fut,
        Fut: Future<Output = ApiResult<(String, i64)>>,
    {
        let stored = self.matching(stored)?;
        let Some(id) = stored.referred_id() else {
            return Ok(replayed(stored));
        };
        let (body, version) = read(id).await?;
        Ok(replayed_as(stored, body, Some(version)))
    }

    pub fn record(
        &self,
        status: StatusCode,
        body: &str,
        location: Option<&str>,
        now: DateTime<Utc>,
    ) -> IdempotencyRecord {
        IdempotencyRecord {
            scope: self.scope.clone(),
            key: self.key.clone(),
            fingerprint: self.fingerprint.clone(),
            status: status.as_u16(),
            body: body.to_string(),
            location: location.map(str::to_string),
            created_at: now,
        }
    }
}

/// The first answer to a create, made before the change is stored so that
/// it is kept with it.
/// An answer made before its change is stored, with the record to keep for
/// it when the request carried a key (stored in the same transaction).
pub fn keeping(idem: Option<&Idempotent>, answer: Answer, now: DateTime<Utc>) -> (Answer, Option<IdempotencyRecord>) {
    let record = idem.map(|i| i.keep(&answer, now));
    (answer, record)
}

pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub location: Option<String>,
}

/// A JSON response with an optional Location and ETag.
pub fn json_response(status: StatusCode, body: String, location: Option<&str>, version: Option<i64>) -> Response {
    let mut res = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    let h = res.headers_mut();
    if let Some(loc) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        h.insert(header::LOCATION, loc);
    }
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(&etag(v)).ok()) {
        h.insert(header::ETAG, v);
    }
    res
}

fn replayed(r: &IdempotencyRecord) -> Response {
    let version = serde_json::from_str::<Value>(&r.body)
        .ok()
        .and_then(|v| v.get("version").and_then(Value::as_i64));
    replayed_as(r, r.body.clone(), version)
}

/// The kept status and location with `body`, marked as a replay.
fn replayed_as(r: &IdempotencyRecord, body: String, version: Option<i64>) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
    let mut res = json_response(status, body, r.location.as_deref(), version);
    res.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}
