//! Calendars (the domain `Calendar` stored as JSON text, with its code,
//! name and unit as columns) and SLA policies (targets stored as the
//! domain `Target`'s JSON).

use async_trait::async_trait;
use hotline_domain::StoreError;
use hotline_domain::UnitCode;
use hotline_domain::audit::AuditEntry;
use hotline_domain::calendar::{Calendar, Target};
use hotline_domain::call::Category;
use hotline_domain::ports::StoreResult;
use hotline_domain::sla::{AreaKind, CalendarStore, SlaPolicy, SlaPolicyFilter, SlaPolicyStore, StoredCalendar};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{decode, insert_audited, update_audited};
use crate::Db;
use crate::entities::sla::calendar as calendar_rows;
use crate::entities::sla::sla_policy as policy_rows;
use crate::errors::{DbResult, lift};

fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("unreadable {column} in the database: {e}")))
}

fn calendar_row(c: &StoredCalendar) -> StoreResult<calendar_rows::ActiveModel> {
    Ok(calendar_rows::ActiveModel {
        code: Set(c.calendar.code.clone()),
        id: Set(c.id),
        name: Set(c.calendar.name.clone()),
        unit_code: Set(c.unit_code.as_ref().map(ToString::to_string)),
        definition: Set(to_json(&c.calendar)?),
        updated_at: Set(c.updated_at),
        version: Set(c.version),
    })
}

fn calendar_of(m: calendar_rows::Model) -> DbResult<StoredCalendar> {
    let mut calendar: Calendar = from_json("calendar definition", &m.definition)?;
    // The columns are the truth for what they hold.
    calendar.code = m.code;
    calendar.name = m.name;
    Ok(StoredCalendar {
        id: m.id,
        calendar,
        unit_code: m.unit_code.map(UnitCode::stored),
        updated_at: m.updated_at,
        version: m.version,
    })
}

fn policy_row(p: &SlaPolicy) -> StoreResult<policy_rows::ActiveModel> {
    Ok(policy_rows::ActiveModel {
        id: Set(p.id),
        name: Set(p.name.clone()),
        category: Set(p.category.as_str().into()),
        unit_code: Set(p.unit_code.as_ref().map(ToString::to_string)),
        area_kind: Set(p.area_kind.map(|k| k.as_str().into())),
        effective_from: Set(p.effective_from),
        response: Set(p.response.as_ref().map(to_json).transpose()?),
        resolution: Set(to_json(&p.resolution)?),
        calendar_code: Set(p.calendar_code.clone()),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
        version: Set(p.version),
    })
}

fn policy_of(m: policy_rows::Model) -> DbResult<SlaPolicy> {
    Ok(SlaPolicy {
        id: m.id,
        name: m.name,
        category: decode("category", &m.category, Category::parse)?,
        unit_code: m.unit_code.map(UnitCode::stored),
        area_kind: m
            .area_kind
            .as_deref()
            .map(|k| decode("area_kind", k, AreaKind::parse))
            .transpose()?,
        effective_from: m.effective_from,
        response: m
            .response
            .as_deref()
            .map(|r| from_json::<Target>("response", r))
            .transpose()?,
        resolution: from_json("resolution", &m.resolution)?,
        calendar_code: m.calendar_code,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

#[async_trait]
impl CalendarStore for Db {
    async fn list(&self) -> StoreResult<Vec<StoredCalendar>> {
        lift(async move {
            let rows = calendar_rows::Entity::find()
                .order_by_asc(calendar_rows::Column::Code)
                .all(&self.conn)
                .await?;
            rows.into_iter().map(calendar_of).collect()
        })
        .await
    }

    async fn get(&self, code: &str) -> StoreResult<Option<StoredCalendar>> {
        let read = || {
            lift(async move {
                let row = calendar_rows::Entity::find_by_id(code.to_string())
                    .one(&self.conn)
                    .await?;
                row.map(calendar_of).transpose()
            })
        };
        self.refs.calendars.get_or_load(code, read).await
    }

    async fn create(&self, calendar: &StoredCalendar, audit_entry: &AuditEntry) -> StoreResult<()> {
        let done = insert_audited(&self.conn, calendar_row(calendar)?, audit_entry).await;
        self.refs.calendars.clear();
        Ok(done?)
    }

    async fn replace(
        &self,
        calendar: &StoredCalendar,
        expected_version: i64,
        audit_entry: &AuditEntry,
    ) -> StoreResult<bool> {
        let update = calendar_rows::Entity::update_many()
            .set(calendar_row(calendar)?)
            .filter(calendar_rows::Column::Code.eq(calendar.code()))
            .filter(calendar_rows::Column::Version.eq(expected_version));
        let done = update_audited(&self.conn, update, audit_entry).await;
        self.refs.calendars.clear();
        Ok(done?)
    }
}

#[async_trait]
impl SlaPolicyStore for Db {
    async fn list(&self, filter: &SlaPolicyFilter) -> StoreResult<Vec<SlaPolicy>> {
        let key = format!("{:?}|{:?}", filter.category, filter.unit_code);
        let read = || {
            lift(async move {
                use policy_rows::Column;
                let mut q = policy_rows::Entity::find();
                if let Some(c) = filter.category {
                    q = q.filter(Column::Category.eq(c.as_str()));
                }
                if let Some(u) = &filter.unit_code {
                    q = q.filter(Column::UnitCode.eq(u.as_str()));
                }
                let rows = q
                    .order_by_asc(Column::Category)
                    .order_by_asc(Column::EffectiveFrom)
                    .order_by_asc(Column::Id)
                    .all(&self.conn)
                    .await?;
                rows.into_iter().map(policy_of).collect()
            })
        };
        self.refs.sla_policies.get_or_load(&key, read).await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<SlaPolicy>> {
        lift(async move {
            let row = policy_rows::Entity::find_by_id(id).one(&self.conn).await?;
            row.map(policy_of).transpose()
        })
        .await
    }

    async fn create(&self, policy: &SlaPolicy, audit_entry: &AuditEntry) -> StoreResult<()> {
        let done = insert_audited(&self.conn, policy_row(policy)?, audit_entry).await;
        self.refs.sla_policies.clear();
        Ok(done?)
    }

    async fn update(&self, policy: &SlaPolicy, expected_version: i64, audit_entry: &AuditEntry) -> StoreResult<bool> {
        let update = policy_rows::Entity::update_many()
            .set(policy_row(policy)?)
            .filter(policy_rows::Column::Id.eq(policy.id))
            .filter(policy_rows::Column::Version.eq(expected_version));
        let done = update_audited(&self.conn, update, audit_entry).await;
        self.refs.sla_policies.clear();
        Ok(done?)
    }

    async fn delete(&self, id: Uuid, audit_entry: &AuditEntry) -> StoreResult<bool> {
        let delete = policy_rows::Entity::delete_many().filter(policy_rows::Column::Id.eq(id));
        let done = update_audited(&self.conn, delete, audit_entry).await;
        self.refs.sla_policies.clear();
        Ok(done?)
    }
}
