//! The call log: logging a call, reading one, correcting one (the agent's
//! wrap-up), listing and searching them.

use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::{Call, CallFilter, CallPatch, NewCall};
use hotline_domain::call_topic::{CallTopic, NewTopic};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use crate::roles::require;
use crate::{App, AppResult};
use crate::{call_topics, versions};

/// What logging a call came to.
pub enum Logged<A> {
    /// Stored, with the answer made for it.
    New(Box<Call>, A),
    /// Another request with the same idempotency key was first: nothing
    /// was stored; its record.
    Taken(IdempotencyRecord),
}

/// 403 unless the caller's role may read the call log.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_calls(), "read calls")
}

/// Logs a call with its audit entry. `answer` makes the caller's answer
/// before the call is stored, with the idempotency record to keep for it
/// (if any), so that the record is kept in the same transaction and
/// replayed to retries. No look-up of the key first: the store claims it
/// in the call's own transaction and answers with the first record when a
/// retry comes in, so a new call (nearly all of them) costs one read less
/// on the busiest write path.
pub async fn log<A, E>(
    app: &App,
    who: &Principal,
    input: NewCall,
    answer: impl FnOnce(&Call) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Logged<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    log_with_topics(app, who, input, None, |call, _| answer(call)).await
}

/// [`log`] with the call's topics, in order (see
/// [`crate::call_topics::for_new_call`]); `answer` sees them too.
pub async fn log_with_topics<A, E>(
    app: &App,
    who: &Principal,
    input: NewCall,
    topics: Option<Vec<NewTopic>>,
    answer: impl FnOnce(&Call, &[CallTopic]) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Logged<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    require(who, who.role.can_log_calls(), "log calls")?;
    let now = app.now();
    let mut call = Call::create(input, who, now)?;
    let topics = call_topics::for_new_call(app, &mut call, topics).await?;
    let (answer, record) = answer(&call, &topics)?;
    // The call's first state is derived when the trail is read, not copied.
    let entry = AuditEntry::derived_creation("call", call.id, who, now);
    match app
        .store
        .calls()
        .create(&call, &topics, &entry, record.as_ref())
        .await?
    {
        Created::Stored(()) => {
            crate::callbacks::follow_call(app, who, &call).await?;
            Ok(Logged::New(Box::new(call), answer))
        }
        Created::KeyTaken(first) => Ok(Logged::Taken(first)),
    }
}

/// One call; 404 when there is none with this id.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Call> {
    may_read(who)?;
    app.store.calls().get(id).await?.ok_or(DomainError::NotFound("call"))
}

/// Corrects a call (category, outcome, customer, notes, …) and stores it
/// with its audit entry over the version read; the stored call. 412 when
/// the caller read another version (`expected_version`, None for any) or
/// someone else stored a change in between.
pub async fn correct(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    patch: CallPatch,
) -> AppResult<Call> {
    require(who, who.role.can_log_calls(), "change calls")?;
    let current = app.store.calls().get(id).await?.ok_or(DomainError::NotFound("call"))?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let next = current.patched(patch, now)?;
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("call", id, "update", who, now, changes);
    // The first topic follows a changed category (the call's category is
    // its first topic's).
    let stored = match call_topics::following(app, &current, &next).await? {
        Some(topics) => {
            app.store
                .call_topics()
                .replace(&next, current.version, &topics, &entry)
                .await?
        }
        None => app.store.calls().update(&next, current.version, &entry).await?,
    };
    versions::stored(stored)?;
    // Only the outcome of a wrap-up bears on callbacks (an abandoned call
    // corrected to answered, or back): notes and categories need no read.
    if next.outcome != current.outcome {
        crate::callbacks::follow_call(app, who, &next).await?;
    }
    Ok(next)
}

/// Which calls a caller asks for.
#[derive(Debug, Clone)]
pub struct CallQuery {
    pub filter: CallFilter,
    /// Where the previous page ended.
    pub after: Option<Position>,
    pub limit: u64,
    /// Count every match too (one more query).
    pub with_total: bool,
}

/// A page of calls, newest first.
pub async fn list(app: &App, who: &Principal, q: &CallQuery) -> AppResult<Page<Call>> {
    may_read(who)?;
    Ok(app
        .store
        .calls()
        .list(&q.filter, q.after, q.limit, q.with_total)
        .await?)
}
