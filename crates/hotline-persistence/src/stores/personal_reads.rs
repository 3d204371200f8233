use async_trait::async_trait;
use hotline_domain::page::{Page, Position};
use hotline_domain::personal_read::{PersonalRead, ReadFilter, ReadLogState};
use hotline_domain::ports::{PersonalReadStore, StoreResult};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::{newest_first, page_of};
use crate::Db;
use crate::entities::personal_read::{Column, Entity, Model};
use crate::errors::lift;

fn to_domain(m: Model) -> PersonalRead {
    PersonalRead {
        id: m.id,
        at: m.at,
        actor: m.actor,
        actor_unit: m.actor_unit,
        endpoint: m.endpoint,
        customer_code: m.customer_code,
        customer_unit: m.customer_unit,
        number: m.number,
        request_id: m.request_id,
    }
}

fn filtered(f: &ReadFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if let Some(c) = &f.customer_code {
        q = q.filter(Column::CustomerCode.eq(c.as_str()));
    }
    if let Some(n) = &f.number {
        q = q.filter(Column::Number.eq(n.as_str()));
    }
    if let Some(a) = &f.actor {
        q = q.filter(Column::Actor.eq(a.as_str()));
    }
    if let Some(from) = f.from {
        q = q.filter(Column::At.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(Column::At.lt(to));
    }
    if let Some(scope) = &f.scope {
        let units = || scope.units.iter().map(String::as_str);
        let mut seen = Condition::any()
            .add(Column::CustomerUnit.is_in(units()))
            .add(Column::ActorUnit.is_in(units()));
        if scope.unplaced {
            seen = seen.add(Column::CustomerUnit.is_null());
        }
        q = q.filter(seen);
    }
    q
}

#[async_trait]
impl PersonalReadStore for Db {
    async fn record(&self, reads: Vec<PersonalRead>) -> StoreResult<()> {
        self.reads.record(reads).await
    }

    async fn flush(&self) -> StoreResult<()> {
        self.reads.flush().await
    }

    fn state(&self) -> ReadLogState {
        self.reads.state()
    }

    async fn list(&self, filter: &ReadFilter, after: Option<Position>, limit: u64) -> StoreResult<Page<PersonalRead>> {
        lift(async move {
            let rows = newest_first(&self.conn, filtered(filter), (Column::At, Column::Id), after, limit).await?;
            let items = rows.into_iter().map(to_domain).collect();
            Ok(page_of(items, limit, None))
        })
        .await
    }
}
