//! Writing articles: the first version, new versions, and each version's
//! way through review.

use hotline_domain::article::{Article, ArticleDraft, ArticleVersion, Transition};
use hotline_domain::audit::AuditEntry;
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError, UnitCode};
use serde_json::json;
use uuid::Uuid;

use super::{find_to_change, may_edit, vanished, version_of};
use crate::scope::sees_unit;
use crate::versions;
use crate::{App, AppResult};

/// What writing an article came to.
pub enum Written<A> {
    /// Stored, with the answer made for it.
    New(Box<(Article, ArticleVersion)>, A),
    /// Another request with the same idempotency key was first.
    Taken(IdempotencyRecord),
}

/// Writes a new article, owned by `unit_code` (the caller's unit when
/// None), as a first draft version. `answer` makes the caller's answer and
/// the idempotency record kept with it.
pub async fn create<A, E>(
    app: &App,
    who: &Principal,
    unit_code: Option<String>,
    draft: ArticleDraft,
    answer: impl FnOnce(&Article, &ArticleVersion) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Written<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    may_edit(who)?;
    let unit = owner(app, who, unit_code).await?;
    let now = app.now();
    let (article, first) = Article::create(unit, draft, &who.actor(), now)?;
    let (answer, record) = answer(&article, &first)?;
    let view = json!({ "article": article.audit_view(), "version": first.audit_view() });
    let entry = AuditEntry::new("article", article.id, "create", who, now, view);
    match app
        .store
        .articles()
        .create(&article, &first, &entry, record.as_ref())
        .await?
    {
        Created::Stored(()) => Ok(Written::New(Box::new((article, first)), answer)),
        Created::KeyTaken(first) => Ok(Written::Taken(first)),
    }
}

/// The owner unit: one that exists, in the caller's subtree (422 naming
/// `unit_code` otherwise).
async fn owner(app: &App, who: &Principal, raw: Option<String>) -> AppResult<Option<UnitCode>> {
    let code = match raw.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => return Ok(who.unit_code.clone()),
        Some(r) => UnitCode::parse(r).map_err(|m| DomainError::invalid("unit_code", m))?,
    };
    if app.store.org().get_unit(code.as_str()).await?.is_none() {
        return Err(DomainError::invalid("unit_code", format!("no unit {code}")));
    }
    if !sees_unit(app, who, Some(code.as_str())).await? {
        return Err(DomainError::invalid(
            "unit_code",
            format!("unit {code} is outside your unit"),
        ));
    }
    Ok(Some(code))
}

/// A new draft version over the newest one, with `draft`'s fields changed,
/// over the article version the caller read (412 otherwise).
pub async fn revise(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    draft: ArticleDraft,
) -> AppResult<(Article, ArticleVersion)> {
    let current = find_to_change(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let base = app
        .store
        .articles()
        .version(id, current.latest)
        .await?
        .ok_or_else(vanished)?;
    let now = app.now();
    let (article, next) = current.revise(&base, draft, &who.actor(), now)?;
    let entry = AuditEntry::new("article", id, "revise", who, now, next.audit_view());
    let stored = app
        .store
        .articles()
        .write(&article, current.version, &next, true, &entry, &[])
        .await?;
    versions::stored(stored)?;
    Ok((article, next))
}

/// Moves version `number` on (`submit`, `approve`, `reject`, `retire`)
/// over the article version the caller read; approving and retiring tell
/// the subscribers.
pub async fn transition(
    app: &App,
    who: &Principal,
    id: Uuid,
    number: i32,
    t: Transition,
    expected_version: Option<i64>,
) -> AppResult<(Article, ArticleVersion)> {
    let current = find_to_change(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let before = version_of(app, id, number).await?;
    let now = app.now();
    let after = before.moved(t, who, now)?;
    let article = current.touched(now);
    let changes = json!({ "version": number, "status": { "from": before.status, "to": after.status } });
    let entry = AuditEntry::new("article", id, t.as_str(), who, now, changes);
    let events: Vec<OutboxEvent> = match t {
        Transition::Approve => vec![OutboxEvent::article(event::ARTICLE_APPROVED, &article, &after, now)],
        Transition::Retire => vec![OutboxEvent::article(event::ARTICLE_RETIRED, &article, &after, now)],
        Transition::Submit | Transition::Reject => Vec::new(),
    };
    let stored = app
        .store
        .articles()
        .write(&article, current.version, &after, false, &entry, &events)
        .await?;
    versions::stored(stored)?;
    Ok((article, after))
}
