//! The topics of a call: checked against the articles and work orders they
//! name, replaced as a whole, traced back from an article version, counted.

use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Call;
use hotline_domain::call_topic::{self, CallTopic, Handling, NewTopic, TopicCount};
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, FieldError};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::roles::require;
use crate::{App, AppResult, articles, calls, reports, versions};

/// Calls listed when tracing an article version, at most.
pub const MAX_TOLD: u64 = 500;

/// Checks the topics and what they name: an `answered_on_call` topic an
/// article version that exists and was approved, a `work_order` topic a
/// work order that exists (422 naming `topics[i].…` otherwise).
pub async fn checked(app: &App, list: Vec<NewTopic>) -> AppResult<Vec<CallTopic>> {
    let topics = call_topic::check(list)?;
    let mut errors = Vec::new();
    for (i, t) in topics.iter().enumerate() {
        match t.handling {
            Some(Handling::AnsweredOnCall) => {
                let (Some(id), Some(n)) = (t.article_id, t.article_version) else {
                    continue;
                };
                let v = app.store.articles().version(id, n).await?;
                if v.is_none_or(|v| v.approved_at.is_none()) {
                    errors.push(FieldError {
                        field: format!("topics[{i}].article_version"),
                        message: format!("article {id} has no approved version {n}"),
                    });
                }
            }
            Some(Handling::WorkOrder) => {
                let Some(code) = &t.work_order_code else { continue };
                if app.store.work_orders().get_by_code(code).await?.is_none() {
                    errors.push(FieldError {
                        field: format!("topics[{i}].work_order_code"),
                        message: format!("no work order {code}"),
                    });
                }
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(topics)
    } else {
        Err(DomainError::Validation(errors))
    }
}

/// The topics a new call is stored with: those given (the call's category
/// becomes the first one's), or, with none, one topic for its category.
pub async fn for_new_call(app: &App, call: &mut Call, given: Option<Vec<NewTopic>>) -> AppResult<Vec<CallTopic>> {
    match given.filter(|l| !l.is_empty()) {
        Some(list) => {
            let topics = checked(app, list).await?;
            call.category = topics.first().map(|t| t.category);
            Ok(topics)
        }
        None => Ok(call.category.map(call_topic::implied).into_iter().collect()),
    }
}

/// One call with its topics.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<(Call, Vec<CallTopic>)> {
    let call = calls::get(app, who, id).await?;
    let topics = app.store.call_topics().topics(id).await?;
    Ok((call, topics))
}

/// Replaces a call's topics over the call version the caller read (412
/// otherwise); the call's category becomes the first topic's. The stored
/// call (version bumped) and its topics.
pub async fn replace(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    list: Vec<NewTopic>,
) -> AppResult<(Call, Vec<CallTopic>)> {
    require(who, who.role.can_log_calls(), "change calls")?;
    let current = app.store.calls().get(id).await?.ok_or(DomainError::NotFound("call"))?;
    versions::check(expected_version, current.version)?;
    let topics = checked(app, list).await?;
    let before = app.store.call_topics().topics(id).await?;
    let now = app.now();
    let mut next = current.clone();
    if let Some(first) = topics.first() {
        next.category = Some(first.category);
    }
    next.updated_at = now.max(current.updated_at);
    next.version += 1;
    let changes = json!({
        "topics": {"from": audit_view(&before), "to": audit_view(&topics)},
        "category": {"from": current.category, "to": next.category},
    });
    let entry = AuditEntry::new("call", id, "topics", who, now, changes);
    versions::stored(
        app.store
            .call_topics()
            .replace(&next, current.version, &topics, &entry)
            .await?,
    )?;
    Ok((next, topics))
}

/// Keeps the first topic's category with the call's after a wrap-up
/// changed the category; the topics to store with it (None: unchanged).
pub async fn following(app: &App, before: &Call, after: &Call) -> AppResult<Option<Vec<CallTopic>>> {
    let (Some(category), true) = (after.category, after.category != before.category) else {
        return Ok(None);
    };
    let mut topics = app.store.call_topics().topics(after.id).await?;
    match topics.first_mut() {
        Some(first) => first.category = category,
        None => return Ok(None),
    }
    Ok(Some(topics))
}

/// The calls told an article's version `number` (any version when None),
/// newest first: who heard an answer that may since have changed. The
/// caller must read calls and see that version.
pub async fn told(app: &App, who: &Principal, article_id: Uuid, number: Option<i32>) -> AppResult<Vec<(Call, i32)>> {
    calls::may_read(who)?;
    match number {
        Some(n) => {
            articles::get(app, who, article_id, Some(n)).await?;
        }
        None => {
            articles::versions(app, who, article_id).await?;
        }
    }
    let told = app.store.call_topics().told(article_id, number, MAX_TOLD).await?;
    let ids: Vec<Uuid> = told.iter().map(|(id, _)| *id).collect();
    let calls: std::collections::HashMap<Uuid, Call> = app
        .store
        .calls()
        .get_many(&ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut out: Vec<(Call, i32)> = told
        .into_iter()
        .filter_map(|(id, n)| Some((calls.get(&id)?.clone(), n)))
        .collect();
    out.sort_by(|a, b| b.0.started_at.cmp(&a.0.started_at).then(b.0.id.cmp(&a.0.id)));
    Ok(out)
}

/// Topics of calls started in [from, to), by category and handling, as
/// the caller's reports count (their units' customers' calls; staff-conduct
/// topics for supervisors and admins only).
pub async fn counts(app: &App, who: &Principal, from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<Vec<TopicCount>> {
    require(who, who.role.can_read_reports(), "read reports")?;
    if to <= from {
        return Err(DomainError::invalid("to", "must be after from"));
    }
    let scope = reports::scope(app, who).await?;
    Ok(app.store.call_topics().counts(from, to, &scope).await?)
}

fn audit_view(topics: &[CallTopic]) -> Value {
    topics
        .iter()
        .map(|t| {
            json!({
                "category": t.category,
                "handling": t.handling,
                "article_id": t.article_id,
                "article_version": t.article_version,
                "work_order_code": t.work_order_code,
            })
        })
        .collect()
}
