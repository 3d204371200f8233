//! Articles of approved answers: the article row, its versions, the audit
//! entry and the events of a change commit together.

use async_trait::async_trait;
use hotline_domain::UnitCode;
use hotline_domain::article::{Article, ArticleQuery, ArticleStatus, ArticleVersion};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::event::OutboxEvent;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::{ArticleStore, Created, StoreResult};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

use super::{audit, decode, idempotency, like_contains, outbox};
use crate::Db;
use crate::entities::article::{row, version};
use crate::errors::{DbResult, lift};

fn to_row(a: &Article) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(a.id),
        unit_code: Set(a.unit_code.as_ref().map(ToString::to_string)),
        latest: Set(a.latest),
        created_by: Set(a.created_by.clone()),
        created_at: Set(a.created_at),
        updated_at: Set(a.updated_at),
        version: Set(a.version),
    }
}

fn to_article(m: row::Model) -> Article {
    Article {
        id: m.id,
        unit_code: m.unit_code.map(UnitCode::stored),
        latest: m.latest,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn version_row(v: &ArticleVersion) -> version::ActiveModel {
    version::ActiveModel {
        article_id: Set(v.article_id),
        number: Set(v.number),
        title: Set(v.title.clone()),
        body: Set(v.body.clone()),
        category: Set(v.category.as_str().into()),
        keywords: Set(serde_json::to_string(&v.keywords).unwrap_or_else(|_| "[]".into())),
        search_text: Set(v.search_text()),
        effective_from: Set(v.effective_from),
        effective_to: Set(v.effective_to),
        status: Set(v.status.as_str().into()),
        author: Set(v.author.clone()),
        approved_by: Set(v.approved_by.clone()),
        approved_at: Set(v.approved_at),
        created_at: Set(v.created_at),
        updated_at: Set(v.updated_at),
    }
}

fn to_version(m: version::Model) -> DbResult<ArticleVersion> {
    Ok(ArticleVersion {
        article_id: m.article_id,
        number: m.number,
        title: m.title,
        body: m.body,
        category: decode("category", &m.category, Category::parse)?,
        keywords: serde_json::from_str(&m.keywords).unwrap_or_default(),
        effective_from: m.effective_from,
        effective_to: m.effective_to,
        status: decode("status", &m.status, ArticleStatus::parse)?,
        author: m.author,
        approved_by: m.approved_by,
        approved_at: m.approved_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The versions a query asks for (the article-level filters aside).
fn matching(q: &ArticleQuery) -> sea_orm::Select<version::Entity> {
    let mut s = version::Entity::find();
    for w in &q.words {
        s = s.filter(version::Column::SearchText.like(LikeExpr::new(like_contains(w)).escape('\\')));
    }
    if let Some(st) = q.status {
        s = s.filter(version::Column::Status.eq(st.as_str()));
    }
    if let Some(now) = q.in_force_at {
        s = s
            .filter(version::Column::Status.eq(ArticleStatus::Approved.as_str()))
            .filter(version::Column::EffectiveFrom.lte(now))
            .filter(
                Condition::any()
                    .add(version::Column::EffectiveTo.is_null())
                    .add(version::Column::EffectiveTo.gt(now)),
            );
    }
    if let Some(c) = q.category {
        s = s.filter(version::Column::Category.eq(c.as_str()));
    }
    s
}

fn owned_within(q: &ArticleQuery) -> Option<Condition> {
    let units = q.units.as_ref()?;
    let mut c = Condition::any().add(row::Column::UnitCode.is_in(units.units.iter().map(String::as_str)));
    if units.unplaced {
        c = c.add(row::Column::UnitCode.is_null());
    }
    Some(c)
}

#[async_trait]
impl ArticleStore for Db {
    async fn create(
        &self,
        article: &Article,
        first: &ArticleVersion,
        entry: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        lift(async move {
            let txn = match idempotency::claim_or_holder(self.conn.begin().await?, &self.conn, idem).await? {
                Ok(txn) => txn,
                Err(first) => return Ok(Created::KeyTaken(first)),
            };
            row::Entity::insert(to_row(article))
                .exec_without_returning(&txn)
                .await?;
            version::Entity::insert(version_row(first))
                .exec_without_returning(&txn)
                .await?;
            audit::record(&txn, entry).await?;
            txn.commit().await?;
            Ok(Created::Stored(()))
        })
        .await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Article>> {
        lift(async move { Ok(row::Entity::find_by_id(id).one(&self.conn).await?.map(to_article)) }).await
    }

    async fn versions(&self, id: Uuid) -> StoreResult<Vec<ArticleVersion>> {
        lift(async move {
            version::Entity::find()
                .filter(version::Column::ArticleId.eq(id))
                .order_by_asc(version::Column::Number)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(to_version)
                .collect()
        })
        .await
    }

    async fn version(&self, id: Uuid, number: i32) -> StoreResult<Option<ArticleVersion>> {
        lift(async move {
            version::Entity::find_by_id((id, number))
                .one(&self.conn)
                .await?
                .map(to_version)
                .transpose()
        })
        .await
    }

    async fn write(
        &self,
        article: &Article,
        expected_version: i64,
        v: &ArticleVersion,
        new: bool,
        entry: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let done = row::Entity::update_many()
                .set(to_row(article))
                .filter(row::Column::Id.eq(article.id))
                .filter(row::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            if new {
                version::Entity::insert(version_row(v))
                    .exec_without_returning(&txn)
                    .await?;
            } else {
                version::Entity::update_many()
                    .set(version_row(v))
                    .filter(version::Column::ArticleId.eq(v.article_id))
                    .filter(version::Column::Number.eq(v.number))
                    .exec(&txn)
                    .await?;
            }
            audit::record(&txn, entry).await?;
            outbox::append(&txn, events).await?;
            txn.commit().await?;
            if !events.is_empty() {
                self.events_written();
            }
            Ok(true)
        })
        .await
    }

    async fn search(&self, q: &ArticleQuery) -> StoreResult<Vec<(Article, ArticleVersion)>> {
        lift(async move {
            let mut versions = matching(q);
            if let Some(c) = owned_within(q) {
                let owned = row::Entity::find().select_only().column(row::Column::Id).filter(c);
                versions = versions.filter(version::Column::ArticleId.in_subquery(owned.into_query()));
            }
            let versions = versions
                .order_by_desc(version::Column::UpdatedAt)
                .order_by_desc(version::Column::ArticleId)
                .limit(q.limit)
                .all(&self.conn)
                .await?;
            if versions.is_empty() {
                return Ok(Vec::new());
            }
            let ids: Vec<Uuid> = versions.iter().map(|v| v.article_id).collect();
            let owners: HashMap<Uuid, Article> = row::Entity::find()
                .filter(row::Column::Id.is_in(ids))
                .all(&self.conn)
                .await?
                .into_iter()
                .map(|m| (m.id, to_article(m)))
                .collect();
            let mut out = Vec::new();
            for v in versions {
                if let Some(a) = owners.get(&v.article_id) {
                    out.push((a.clone(), to_version(v)?));
                }
            }
            Ok(out)
        })
        .await
    }
}
