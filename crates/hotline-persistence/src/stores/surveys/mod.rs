//! Survey campaigns, samples and responses (feedback attribution is
//! written with the feedback, `credit`). Each
//! change commits with its audit entries, its events and the callbacks it
//! opens or closes.

mod credit;
mod pages;
mod reads;
mod rows;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::callback::Callback;
use hotline_domain::event::OutboxEvent;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::org::UnitScope;
use hotline_domain::ports::{CampaignChange, Created, StoreResult, SurveyStore};
use hotline_domain::survey::{Campaign, CampaignFilter, CampaignStatus, Candidate, FeedbackMark, Response, Sampled};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use uuid::Uuid;

use super::{audit, callbacks, idempotency, outbox};
use crate::Db;
use crate::entities::callback as callback_rows;
use crate::entities::survey::{campaign, response, sample};
use crate::errors::{DbResult, lift};
pub(crate) use credit::attribute;
use rows::{campaign_of, campaign_row, response_of, response_row, sample_row, sampled_of};

/// Writes the campaign over `expected`; false when it changed meanwhile.
async fn write_campaign(txn: &DatabaseTransaction, c: &Campaign, expected: i64) -> DbResult<bool> {
    let done = campaign::Entity::update_many()
        .set(campaign_row(c))
        .filter(campaign::Column::Id.eq(c.id))
        .filter(campaign::Column::Version.eq(expected))
        .exec(txn)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Writes a callback over `expected`; false when it changed meanwhile.
async fn write_callback(txn: &DatabaseTransaction, cb: &Callback, expected: i64) -> DbResult<bool> {
    let done = callback_rows::Entity::update_many()
        .set(callbacks::to_row(cb))
        .filter(callback_rows::Column::Id.eq(cb.id))
        .filter(callback_rows::Column::Version.eq(expected))
        .exec(txn)
        .await?;
    Ok(done.rows_affected == 1)
}

async fn finish(db: &Db, txn: DatabaseTransaction, audits: &[AuditEntry], events: &[OutboxEvent]) -> DbResult<bool> {
    for a in audits {
        audit::record(&txn, a).await?;
    }
    outbox::append(&txn, events).await?;
    txn.commit().await?;
    db.events_written();
    Ok(true)
}

#[async_trait]
impl SurveyStore for Db {
    async fn create_campaign(
        &self,
        c: &Campaign,
        entry: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        lift(async move {
            let txn = match idempotency::claim_or_holder(self.conn.begin().await?, &self.conn, idem).await? {
                Ok(txn) => txn,
                Err(first) => return Ok(Created::KeyTaken(first)),
            };
            campaign::Entity::insert(campaign_row(c))
                .exec_without_returning(&txn)
                .await?;
            audit::record(&txn, entry).await?;
            txn.commit().await?;
            Ok(Created::Stored(()))
        })
        .await
    }

    async fn get_campaign(&self, id: Uuid) -> StoreResult<Option<Campaign>> {
        lift(async move {
            campaign::Entity::find_by_id(id)
                .one(&self.conn)
                .await?
                .map(campaign_of)
                .transpose()
        })
        .await
    }

    async fn list_campaigns(&self, f: &CampaignFilter, before: Option<Uuid>, limit: u64) -> StoreResult<Vec<Campaign>> {
        lift(async move {
            let mut q = campaign::Entity::find();
            if let Some(units) = &f.units {
                q = q.filter(campaign::Column::UnitCode.is_in(units.iter().map(String::as_str)));
            }
            if let Some(s) = f.status {
                q = q.filter(campaign::Column::Status.eq(s.as_str()));
            }
            if let Some(b) = before {
                q = q.filter(campaign::Column::Id.lt(b));
            }
            q.order_by_desc(campaign::Column::Id)
                .limit(limit + 1)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(campaign_of)
                .collect()
        })
        .await
    }

    async fn previous_closed(&self, c: &Campaign) -> StoreResult<Option<Campaign>> {
        lift(async move {
            campaign::Entity::find()
                .filter(campaign::Column::UnitCode.eq(c.unit_code.as_str()))
                .filter(campaign::Column::Status.eq(CampaignStatus::Closed.as_str()))
                .filter(campaign::Column::Id.ne(c.id))
                .filter(campaign::Column::CreatedAt.lt(c.created_at))
                .order_by_desc(campaign::Column::CreatedAt)
                .one(&self.conn)
                .await?
                .map(campaign_of)
                .transpose()
        })
        .await
    }

    async fn candidates(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        units: &[String],
    ) -> StoreResult<Vec<Candidate>> {
        lift(reads::candidates(&self.conn, from, to, units)).await
    }

    async fn save_sample(
        &self,
        c: &Campaign,
        expected: i64,
        sample: &[Sampled],
        entry: &AuditEntry,
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            if !write_campaign(&txn, c, expected).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            for chunk in sample.chunks(200) {
                sample::Entity::insert_many(chunk.iter().map(|s| sample_row(c.id, s)))
                    .exec_without_returning(&txn)
                    .await?;
            }
            finish(self, txn, std::slice::from_ref(entry), &[]).await
        })
        .await
    }

    async fn sample(&self, campaign_id: Uuid) -> StoreResult<Vec<Sampled>> {
        lift(async move {
            Ok(sample::Entity::find()
                .filter(sample::Column::CampaignId.eq(campaign_id))
                .order_by_asc(sample::Column::Position)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(sampled_of)
                .collect())
        })
        .await
    }

    async fn change_campaign(&self, ch: CampaignChange<'_>) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            if !write_campaign(&txn, ch.campaign, ch.expected_version).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            for cb in ch.opened {
                callback_rows::Entity::insert(callbacks::to_row(cb))
                    .exec_without_returning(&txn)
                    .await?;
                if let Some(code) = &cb.customer_code {
                    sample::Entity::update_many()
                        .col_expr(sample::Column::CallbackId, Expr::value(cb.id))
                        .filter(sample::Column::CampaignId.eq(ch.campaign.id))
                        .filter(sample::Column::CustomerCode.eq(code.as_str()))
                        .exec(&txn)
                        .await?;
                }
            }
            for (cb, expected) in ch.changed {
                if !write_callback(&txn, cb, *expected).await? {
                    txn.rollback().await?;
                    return Ok(false);
                }
            }
            finish(self, txn, ch.audit, ch.events).await
        })
        .await
    }

    async fn record_response(
        &self,
        r: &Response,
        callback: Option<(&Callback, i64)>,
        audits: &[AuditEntry],
        events: &[OutboxEvent],
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            response::Entity::insert(response_row(r))
                .exec_without_returning(&txn)
                .await?;
            if let Some((cb, expected)) = callback
                && !write_callback(&txn, cb, expected).await?
            {
                txn.rollback().await?;
                return Ok(false);
            }
            finish(self, txn, audits, events).await
        })
        .await
    }

    async fn responses(&self, campaign_id: Uuid) -> StoreResult<Vec<Response>> {
        lift(async move {
            response::Entity::find()
                .filter(response::Column::CampaignId.eq(campaign_id))
                .order_by_asc(response::Column::RecordedAt)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(response_of)
                .collect()
        })
        .await
    }

    async fn responses_page(&self, campaign_id: Uuid, after: Option<Uuid>, limit: u64) -> StoreResult<Vec<Response>> {
        lift(pages::responses_page(&self.conn, campaign_id, after, limit)).await
    }

    async fn get_response(&self, id: Uuid) -> StoreResult<Option<Response>> {
        lift(pages::get_response(&self.conn, id)).await
    }

    async fn responses_of_customer(&self, customer_code: &str, limit: u64) -> StoreResult<Vec<Response>> {
        lift(pages::responses_of_customer(&self.conn, customer_code, limit)).await
    }

    async fn delete_campaign(&self, id: Uuid, expected_version: i64, entry: &AuditEntry) -> StoreResult<bool> {
        lift(pages::delete_draft(&self.conn, id, expected_version, entry)).await
    }

    async fn feedback_marks(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        units: Option<&UnitScope>,
    ) -> StoreResult<Vec<FeedbackMark>> {
        lift(reads::feedback_marks(&self.conn, from, to, units)).await
    }
}
