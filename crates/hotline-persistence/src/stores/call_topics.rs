//! The topics of calls. Replacing them stores the call (its version and
//! category) with them, its audit entry and its event, in one transaction.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{Call, Category};
use hotline_domain::call_topic::{CallTopic, Handling, TopicCount};
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::ports::{CallTopicStore, StoreResult};
use hotline_domain::report::ReportScope;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait};
use uuid::Uuid;

use super::{audit, decode, outbox};
use crate::Db;
use crate::entities::call_topic::{Column, Entity, to_domain, to_row};
use crate::entities::{call, customer};
use crate::errors::lift;

#[async_trait]
impl CallTopicStore for Db {
    async fn topics(&self, call_id: Uuid) -> StoreResult<Vec<CallTopic>> {
        lift(async move {
            Entity::find()
                .filter(Column::CallId.eq(call_id))
                .order_by_asc(Column::Position)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(to_domain)
                .collect()
        })
        .await
    }

    async fn topics_of(&self, call_ids: &[Uuid]) -> StoreResult<HashMap<Uuid, Vec<CallTopic>>> {
        lift(async move {
            let mut out: HashMap<Uuid, Vec<CallTopic>> = HashMap::new();
            if call_ids.is_empty() {
                return Ok(out);
            }
            let rows = Entity::find()
                .filter(Column::CallId.is_in(call_ids.iter().copied()))
                .order_by_asc(Column::CallId)
                .order_by_asc(Column::Position)
                .all(&self.conn)
                .await?;
            for m in rows {
                let call_id = m.call_id;
                out.entry(call_id).or_default().push(to_domain(m)?);
            }
            Ok(out)
        })
        .await
    }

    async fn replace(
        &self,
        c: &Call,
        expected_version: i64,
        topics: &[CallTopic],
        entry: &AuditEntry,
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let done = call::Entity::update_many()
                .set(call::to_row(c))
                .filter(call::Column::Id.eq(c.id))
                .filter(call::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            Entity::delete_many().filter(Column::CallId.eq(c.id)).exec(&txn).await?;
            if !topics.is_empty() {
                Entity::insert_many(topics.iter().map(|t| to_row(c.id, t)))
                    .exec_without_returning(&txn)
                    .await?;
            }
            audit::record(&txn, entry).await?;
            outbox::append(&txn, &[OutboxEvent::call(event::CALL_UPDATED, c, c.updated_at)]).await?;
            txn.commit().await?;
            self.events_written();
            Ok(true)
        })
        .await
    }

    async fn told(&self, article_id: Uuid, version: Option<i32>, limit: u64) -> StoreResult<Vec<(Uuid, i32)>> {
        lift(async move {
            let mut q = Entity::find().filter(Column::ArticleId.eq(article_id));
            if let Some(v) = version {
                q = q.filter(Column::ArticleVersion.eq(v));
            }
            let rows = q
                .order_by_desc(Column::CallId)
                .order_by_asc(Column::Position)
                .all(&self.conn)
                .await?;
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for r in rows {
                if out.len() as u64 == limit {
                    break;
                }
                if seen.insert(r.call_id) {
                    out.push((r.call_id, r.article_version.unwrap_or(0)));
                }
            }
            Ok(out)
        })
        .await
    }

    async fn counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: &ReportScope,
    ) -> StoreResult<Vec<TopicCount>> {
        lift(async move {
            let mut calls = call::Entity::find()
                .select_only()
                .column(call::Column::Id)
                .filter(call::Column::StartedAt.gte(from))
                .filter(call::Column::StartedAt.lt(to));
            // As the call report: a scoped caller counts the calls of
            // customers of their units.
            if let Some(within) = &scope.within_units {
                let customers = customer::Entity::find()
                    .select_only()
                    .column(customer::Column::Code)
                    .filter(customer::Column::UnitCode.is_in(within.units.iter().map(String::as_str)));
                calls = calls.filter(call::Column::CustomerCode.in_subquery(customers.into_query()));
            }
            let mut topics = Entity::find()
                .select_only()
                .column(Column::CallId)
                .column(Column::Category)
                .column(Column::Handling)
                .filter(Column::CallId.in_subquery(calls.into_query()));
            if !scope.hidden_categories.is_empty() {
                topics = topics.filter(Column::Category.is_not_in(scope.hidden_categories.iter().map(|c| c.as_str())));
            }
            let rows = topics
                .into_tuple::<(Uuid, String, Option<String>)>()
                .all(&self.conn)
                .await?;
            let mut by: HashMap<(String, Option<String>), (u64, HashSet<Uuid>)> = HashMap::new();
            for (call_id, category, handling) in rows {
                let e = by.entry((category, handling)).or_default();
                e.0 += 1;
                e.1.insert(call_id);
            }
            let mut out = Vec::with_capacity(by.len());
            for ((category, handling), (topics, calls)) in by {
                out.push(TopicCount {
                    category: decode("category", &category, Category::parse)?,
                    handling: handling.map(|h| decode("handling", &h, Handling::parse)).transpose()?,
                    topics,
                    calls: calls.len() as u64,
                });
            }
            out.sort_by(|a, b| {
                (a.category.as_str(), a.handling.map(Handling::as_str))
                    .cmp(&(b.category.as_str(), b.handling.map(Handling::as_str)))
            });
            Ok(out)
        })
        .await
    }
}
