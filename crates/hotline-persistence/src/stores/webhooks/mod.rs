//! Webhook subscriptions and their deliveries. What admins do is here;
//! the worker's fan-out, claim and attempt bookkeeping are in [`delivery`].

mod delivery;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::UnitCode;
use hotline_domain::audit::AuditEntry;
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::StoreResult;
use hotline_domain::webhook::{
    Attempt, AttemptOutcome, Delivery, DeliveryStatus, DueDelivery, FanOut, Subscription, WebhookSecret, WebhookStore,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use super::{audit, decode, insert_audited, newest_first, page_of, update_audited};
use crate::Db;
use crate::entities::webhook::{attempt, delivery as dl, subscription as sub};
use crate::errors::{DbResult, lift};

fn to_row(s: &Subscription, secret: &str) -> sub::ActiveModel {
    sub::ActiveModel {
        id: Set(s.id),
        url: Set(s.url.clone()),
        events: Set(serde_json::to_string(&s.events).unwrap_or_else(|_| "[]".into())),
        unit_code: Set(s.unit_code.as_ref().map(ToString::to_string)),
        include_restricted: Set(s.include_restricted),
        description: Set(s.description.clone()),
        secret: Set(secret.to_string()),
        previous_secret: Set(None),
        previous_secret_expires_at: Set(None),
        enabled: Set(s.enabled),
        disabled_reason: Set(s.disabled_reason.clone()),
        disabled_at: Set(s.disabled_at),
        last_success_at: Set(s.last_success_at),
        created_at: Set(s.created_at),
        updated_at: Set(s.updated_at),
        version: Set(s.version),
    }
}

pub(crate) fn to_domain(m: sub::Model) -> DbResult<Subscription> {
    let events: Vec<String> = serde_json::from_str(&m.events)
        .map_err(|e| StoreError::Other(format!("unexpected webhook events {:?}: {e}", m.events)))?;
    Ok(Subscription {
        id: m.id,
        url: m.url,
        events,
        unit_code: m.unit_code.map(UnitCode::stored),
        include_restricted: m.include_restricted,
        description: m.description,
        enabled: m.enabled,
        disabled_reason: m.disabled_reason,
        disabled_at: m.disabled_at,
        last_success_at: m.last_success_at,
        previous_secret_expires_at: m.previous_secret_expires_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

pub(crate) fn delivery_to_domain(m: dl::Model) -> DbResult<Delivery> {
    Ok(Delivery {
        id: m.id,
        subscription_id: m.subscription_id,
        event_id: m.event_id,
        event_type: m.event_type,
        status: decode("webhook delivery status", &m.status, DeliveryStatus::parse)?,
        attempts: u32::try_from(m.attempts).unwrap_or(0),
        next_attempt_at: m.next_attempt_at,
        last_attempt_at: m.last_attempt_at,
        last_status_code: m.last_status_code.and_then(|c| u16::try_from(c).ok()),
        last_error: m.last_error,
        delivered_at: m.delivered_at,
        run_started_at: m.run_started_at,
        created_at: m.created_at,
    })
}

fn attempt_to_domain(m: attempt::Model) -> Attempt {
    Attempt {
        id: m.id,
        delivery_id: m.delivery_id,
        attempted_at: m.attempted_at,
        duration_ms: m.duration_ms,
        status_code: m.status_code.and_then(|c| u16::try_from(c).ok()),
        error: m.error,
        response_body: m.response_body,
    }
}

#[async_trait]
impl WebhookStore for Db {
    async fn create(&self, s: &Subscription, secret: &WebhookSecret, entry: &AuditEntry) -> StoreResult<()> {
        Ok(insert_audited(&self.conn, to_row(s, secret.expose()), entry).await?)
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Subscription>> {
        lift(async move {
            let found = sub::Entity::find_by_id(id).one(&self.conn).await?;
            found.map(to_domain).transpose()
        })
        .await
    }

    async fn list(&self) -> StoreResult<Vec<Subscription>> {
        lift(async move {
            let rows = sub::Entity::find()
                .order_by_desc(sub::Column::CreatedAt)
                .order_by_desc(sub::Column::Id)
                .all(&self.conn)
                .await?;
            rows.into_iter().map(to_domain).collect()
        })
        .await
    }

    async fn update(&self, s: &Subscription, expected_version: i64, entry: &AuditEntry) -> StoreResult<bool> {
        let write = sub::Entity::update_many()
            .col_expr(sub::Column::Url, Expr::value(s.url.clone()))
            .col_expr(
                sub::Column::Events,
                Expr::value(serde_json::to_string(&s.events).unwrap_or_else(|_| "[]".into())),
            )
            .col_expr(
                sub::Column::UnitCode,
                Expr::value(s.unit_code.as_ref().map(ToString::to_string)),
            )
            .col_expr(sub::Column::IncludeRestricted, Expr::value(s.include_restricted))
            .col_expr(sub::Column::Description, Expr::value(s.description.clone()))
            .col_expr(sub::Column::Enabled, Expr::value(s.enabled))
            .col_expr(sub::Column::DisabledReason, Expr::value(s.disabled_reason.clone()))
            .col_expr(sub::Column::DisabledAt, Expr::value(s.disabled_at))
            .col_expr(sub::Column::UpdatedAt, Expr::value(s.updated_at))
            .col_expr(sub::Column::Version, Expr::value(s.version))
            .filter(sub::Column::Id.eq(s.id))
            .filter(sub::Column::Version.eq(expected_version));
        Ok(update_audited(&self.conn, write, entry).await?)
    }

    async fn rotate_secret(
        &self,
        s: &Subscription,
        secret: &WebhookSecret,
        previous_until: Option<DateTime<Utc>>,
        entry: &AuditEntry,
    ) -> StoreResult<bool> {
        // Every right-hand side reads the row as it was: the replaced
        // secret becomes the previous one.
        let previous = match previous_until {
            Some(_) => Expr::col(sub::Column::Secret),
            None => Expr::value(Option::<String>::None),
        };
        let write = sub::Entity::update_many()
            .col_expr(sub::Column::PreviousSecret, previous)
            .col_expr(sub::Column::PreviousSecretExpiresAt, Expr::value(previous_until))
            .col_expr(sub::Column::Secret, Expr::value(secret.expose()))
            .col_expr(sub::Column::UpdatedAt, Expr::value(s.updated_at))
            .col_expr(sub::Column::Version, Expr::col(sub::Column::Version).add(1))
            .filter(sub::Column::Id.eq(s.id));
        Ok(update_audited(&self.conn, write, entry).await?)
    }

    async fn delete(&self, id: Uuid, entry: &AuditEntry) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let gone = sub::Entity::delete_by_id(id).exec(&txn).await?;
            if gone.rows_affected == 0 {
                txn.rollback().await?;
                return Ok(false);
            }
            let deliveries = Query::select()
                .column(dl::Column::Id)
                .from(dl::Entity)
                .and_where(dl::Column::SubscriptionId.eq(id))
                .to_owned();
            attempt::Entity::delete_many()
                .filter(attempt::Column::DeliveryId.in_subquery(deliveries))
                .exec(&txn)
                .await?;
            dl::Entity::delete_many()
                .filter(dl::Column::SubscriptionId.eq(id))
                .exec(&txn)
                .await?;
            audit::record(&txn, entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn deliveries(
        &self,
        subscription_id: Uuid,
        status: Option<DeliveryStatus>,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<Delivery>> {
        lift(async move {
            let mut q = dl::Entity::find().filter(dl::Column::SubscriptionId.eq(subscription_id));
            if let Some(s) = status {
                q = q.filter(dl::Column::Status.eq(s.as_str()));
            }
            let rows = newest_first(&self.conn, q, (dl::Column::CreatedAt, dl::Column::Id), after, limit).await?;
            let items = rows
                .into_iter()
                .map(delivery_to_domain)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(page_of(items, limit, None))
        })
        .await
    }

    async fn delivery(&self, subscription_id: Uuid, id: Uuid) -> StoreResult<Option<(Delivery, Vec<Attempt>)>> {
        lift(async move {
            let found = dl::Entity::find_by_id(id)
                .filter(dl::Column::SubscriptionId.eq(subscription_id))
                .one(&self.conn)
                .await?;
            let Some(row) = found else { return Ok(None) };
            let attempts = attempt::Entity::find()
                .filter(attempt::Column::DeliveryId.eq(id))
                .order_by_asc(attempt::Column::AttemptedAt)
                .order_by_asc(attempt::Column::Id)
                .all(&self.conn)
                .await?;
            Ok(Some((
                delivery_to_domain(row)?,
                attempts.into_iter().map(attempt_to_domain).collect(),
            )))
        })
        .await
    }

    async fn redeliver(
        &self,
        subscription_id: Uuid,
        id: Uuid,
        now: DateTime<Utc>,
        entry: &AuditEntry,
    ) -> StoreResult<Option<Delivery>> {
        let write = dl::Entity::update_many()
            .col_expr(dl::Column::Status, Expr::value(DeliveryStatus::Pending.as_str()))
            .col_expr(dl::Column::Attempts, Expr::value(0))
            .col_expr(dl::Column::NextAttemptAt, Expr::value(now))
            .col_expr(dl::Column::RunStartedAt, Expr::value(now))
            .filter(dl::Column::Id.eq(id))
            .filter(dl::Column::SubscriptionId.eq(subscription_id))
            // A body blanked by retention cannot be sent again.
            .filter(dl::Column::Body.ne(""));
        if !update_audited(&self.conn, write, entry).await? {
            return Ok(None);
        }
        Ok(self.delivery(subscription_id, id).await?.map(|(d, _)| d))
    }

    async fn fan_out(&self, now: DateTime<Utc>, limit: u64) -> StoreResult<FanOut> {
        Ok(delivery::fan_out(self, now, limit).await?)
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<DueDelivery>> {
        Ok(delivery::claim_due(&self.conn, now, lease_until, limit).await?)
    }

    async fn record_attempt(
        &self,
        due: &DueDelivery,
        attempt: &Attempt,
        outcome: AttemptOutcome,
        disable_reason: &str,
    ) -> StoreResult<bool> {
        Ok(delivery::record_attempt(&self.conn, due, attempt, outcome, disable_reason).await?)
    }

    async fn failing(&self) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        let failing = [DeliveryStatus::Retrying.as_str(), DeliveryStatus::Failed.as_str()];
        lift(async move {
            Ok(dl::Entity::find()
                .filter(dl::Column::Status.is_in(failing))
                .count(&self.conn)
                .await?)
        })
        .await
    }
}
