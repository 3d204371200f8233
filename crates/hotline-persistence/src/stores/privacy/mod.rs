//! Retention and erasure: pruning and anonymising in small batches, and
//! erasing one customer's or number's records on request.

mod applicants;
mod calls;
mod erasure;
mod prune;
mod scrub;
mod scrub_packed;
mod sql;
mod surveys;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::anonymise::{Anonymised, Pruned, Pseudonymiser};
use hotline_domain::ports::{RetentionStore, StoreResult};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Db;
use crate::entities::call;
use crate::errors::lift;

#[async_trait]
impl RetentionStore for Db {
    async fn prune(&self, kind: Pruned, before: DateTime<Utc>, limit: u64) -> StoreResult<u64> {
        lift(prune::batch(&self.conn, kind, before, limit)).await
    }

    async fn anonymise(
        &self,
        kind: Anonymised,
        before: DateTime<Utc>,
        with: &Pseudonymiser,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<u64> {
        lift(async move {
            match kind {
                Anonymised::Calls => calls::anonymise_batch(&self.conn, before, with, now, limit).await,
                Anonymised::Notes => calls::strip_notes_batch(&self.conn, before, now, limit).await,
                Anonymised::Callbacks => calls::anonymise_callbacks_batch(&self.conn, before, with, now, limit).await,
                Anonymised::SurveyAnswers => surveys::strip_text_answers_batch(&self.conn, before, now, limit).await,
                Anonymised::Applicants => applicants::anonymise_batch(&self.conn, before, with, now, limit).await,
            }
        })
        .await
    }

    async fn oldest_kept_call(&self) -> StoreResult<Option<DateTime<Utc>>> {
        lift(async move {
            Ok(call::Entity::find()
                .filter(sql::not_yet("anonymised_at"))
                .filter(call::Column::StartedAt.is_not_null())
                .order_by_asc(call::Column::StartedAt)
                .limit(1)
                .one(&self.conn)
                .await?
                .map(|c| c.started_at))
        })
        .await
    }
}
