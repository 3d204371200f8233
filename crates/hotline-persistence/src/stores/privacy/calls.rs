//! Anonymisation by age, one batch per transaction: calls past the calls
//! retention (the caller's side number becomes its pseudonym, name,
//! address, notes and search text go), free text past the notes retention
//! (a call's notes and its topics' texts), callbacks past the calls
//! retention (number pseudonymised, note gone). Every figure the reports
//! count stays: times, outcomes, categories, queues, agents, links.

use chrono::{DateTime, Utc};
use hotline_domain::anonymise::{Pseudonymiser, Scrub};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::scrub::scrub_audit;
use super::sql::oldest;
use crate::entities::{call, call_topic, callback};
use crate::errors::DbResult;

/// The note of a call whose note is being removed, for scrubbing its
/// copies. A note that does not read (its packed bytes damaged) is removed
/// all the same: the error is logged, and where the audit quoted its
/// words they stay. Stopping instead would stop every later call's removal
/// with it, pass after pass.
fn removed_note(c: &call::Model) -> Option<String> {
    c.note().unwrap_or_else(|e| {
        tracing::error!(call = %c.id, error = ?e, "removing a note that does not read, its words unscrubbed from the audit");
        None
    })
}

/// The texts of a call that may name or describe a person.
fn call_texts(c: &call::Model, scrub: &mut Scrub) {
    for t in [&c.caller_name, &c.address, &removed_note(c)].into_iter().flatten() {
        scrub.text(t);
    }
}

/// The call's customer-side number (the caller's on an inbound call, the
/// callee's on an outbound one) as stored and as typed.
fn customer_side(c: &call::Model) -> (Option<&String>, &String, bool) {
    if c.direction == "outbound" {
        (c.callee_number.as_ref(), &c.callee_number_raw, false)
    } else {
        (c.caller_number.as_ref(), &c.caller_number_raw, true)
    }
}

/// Anonymises one call in `txn`: answers the texts its audit entries must
/// lose.
pub async fn anonymise_call(
    txn: &DatabaseTransaction,
    c: &call::Model,
    with: &Pseudonymiser,
    now: DateTime<Utc>,
) -> DbResult<Scrub> {
    let mut scrub = Scrub::new();
    call_texts(c, &mut scrub);
    let (number, raw, caller) = customer_side(c);
    let pseudonym = number.map(|n| with.of(n));
    if let (Some(n), Some(p)) = (number, &pseudonym) {
        scrub.number(n, p);
        scrub.number(raw, p);
    }
    let (number_col, raw_col) = if caller {
        (call::Column::CallerNumber, call::Column::CallerNumberRaw)
    } else {
        (call::Column::CalleeNumber, call::Column::CalleeNumberRaw)
    };
    let none = || Expr::value(Option::<String>::None);
    let mut q = Query::update();
    q.table(call::Entity)
        .value(call::Column::CallerName, none())
        .value(call::Column::Address, none())
        .value(call::Column::Notes, none())
        .value(call::Column::NotesPacked, Expr::value(Option::<Vec<u8>>::None))
        .value(call::Column::SearchText, "")
        .value(call::Column::Version, Expr::col(call::Column::Version).add(1))
        .value(Alias::new("anonymised_at"), now)
        .value(Alias::new("notes_removed_at"), now)
        .and_where(call::Column::Id.eq(c.id));
    if let Some(p) = pseudonym {
        q.value(number_col, p.clone()).value(raw_col, p);
    } else if !raw.is_empty() {
        // A withheld or unparsable number as typed: nothing to group by.
        q.value(raw_col, "");
    }
    txn.execute_raw(txn.get_database_backend().build(&q)).await?;
    Ok(scrub)
}

/// Removes the free text of the topics of `calls`; the topics' texts are
/// added to `scrub`.
pub async fn strip_topics(txn: &DatabaseTransaction, calls: &[Uuid], scrub: &mut Scrub) -> DbResult<u64> {
    let topics = call_topic::Entity::find()
        .filter(call_topic::Column::CallId.is_in(calls.iter().copied()))
        .filter(
            call_topic::Column::Asked
                .is_not_null()
                .or(call_topic::Column::Note.is_not_null()),
        )
        .all(txn)
        .await?;
    for t in &topics {
        for text in [&t.asked, &t.note].into_iter().flatten() {
            scrub.text(text);
        }
    }
    if topics.is_empty() {
        return Ok(0);
    }
    call_topic::Entity::update_many()
        .col_expr(call_topic::Column::Asked, Expr::value(Option::<String>::None))
        .col_expr(call_topic::Column::Note, Expr::value(Option::<String>::None))
        .filter(call_topic::Column::CallId.is_in(calls.iter().copied()))
        .exec(txn)
        .await?;
    Ok(topics.len() as u64)
}

pub async fn anonymise_batch(
    conn: &DatabaseConnection,
    before: DateTime<Utc>,
    with: &Pseudonymiser,
    now: DateTime<Utc>,
    limit: u64,
) -> DbResult<u64> {
    let (txn, rows) = oldest(
        conn,
        call::Entity::find(),
        "anonymised_at",
        call::Column::StartedAt,
        before,
        limit,
    )
    .await?;
    let mut scrub = Scrub::new();
    for c in &rows {
        let s = anonymise_call(&txn, c, with, now).await?;
        scrub_audit(&txn, "call", &[c.id], &s).await?;
    }
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    strip_topics(&txn, &ids, &mut scrub).await?;
    scrub_audit(&txn, "call", &ids, &scrub).await?;
    txn.commit().await?;
    Ok(rows.len() as u64)
}

pub async fn strip_notes_batch(
    conn: &DatabaseConnection,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: u64,
) -> DbResult<u64> {
    let (txn, rows) = oldest(
        conn,
        call::Entity::find(),
        "notes_removed_at",
        call::Column::StartedAt,
        before,
        limit,
    )
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let mut scrub = Scrub::new();
    let mut bare = Vec::new();
    let backend = txn.get_database_backend();
    for mut row in rows {
        if row.notes.is_none() && row.notes_packed.is_none() {
            bare.push(row.id);
            continue;
        }
        if let Some(note) = removed_note(&row) {
            scrub.text(&note);
        }
        row.notes = None;
        row.notes_packed = None;
        let c = call::to_domain(row)?;
        // The note goes, and the search copy is made again without its
        // words (which it held until the calls retention before); the
        // version moves only for the calls whose notes went.
        let mut q = Query::update();
        q.table(call::Entity)
            .value(call::Column::Notes, Expr::value(Option::<String>::None))
            .value(call::Column::NotesPacked, Expr::value(Option::<Vec<u8>>::None))
            .value(call::Column::SearchText, c.search_text())
            .value(call::Column::Version, Expr::col(call::Column::Version).add(1))
            .value(Alias::new("notes_removed_at"), now)
            .and_where(call::Column::Id.eq(c.id));
        txn.execute_raw(backend.build(&q)).await?;
    }
    if !bare.is_empty() {
        // Calls without a note are only marked as past the pass.
        let mut q = Query::update();
        q.table(call::Entity)
            .value(Alias::new("notes_removed_at"), now)
            .and_where(call::Column::Id.is_in(bare));
        txn.execute_raw(backend.build(&q)).await?;
    }
    strip_topics(&txn, &ids, &mut scrub).await?;
    scrub_audit(&txn, "call", &ids, &scrub).await?;
    txn.commit().await?;
    Ok(ids.len() as u64)
}

pub async fn anonymise_callbacks_batch(
    conn: &DatabaseConnection,
    before: DateTime<Utc>,
    with: &Pseudonymiser,
    now: DateTime<Utc>,
    limit: u64,
) -> DbResult<u64> {
    let (txn, rows) = oldest(
        conn,
        callback::Entity::find(),
        "anonymised_at",
        callback::Column::CreatedAt,
        before,
        limit,
    )
    .await?;
    for cb in &rows {
        let pseudonym = with.of(&cb.number);
        let mut scrub = Scrub::new();
        scrub.number(&cb.number, &pseudonym);
        if let Some(n) = &cb.note {
            scrub.text(n);
        }
        let mut q = Query::update();
        q.table(callback::Entity)
            .value(callback::Column::Number, pseudonym)
            .value(callback::Column::Note, Expr::value(Option::<String>::None))
            .value(callback::Column::Version, Expr::col(callback::Column::Version).add(1))
            .value(Alias::new("anonymised_at"), now)
            .and_where(callback::Column::Id.eq(cb.id));
        txn.execute_raw(txn.get_database_backend().build(&q)).await?;
        scrub_audit(&txn, "callback", &[cb.id], &scrub).await?;
    }
    txn.commit().await?;
    Ok(rows.len() as u64)
}
