use async_trait::async_trait;
use hotline_domain::audit::AuditEntry;
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::{StoreResult, UserStore};
use hotline_domain::role::Role;
use hotline_domain::user::{User, UserCredentials};
use hotline_domain::{TeamCode, UnitCode};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::{decode, insert_audited, newest_first, page_of, update_audited};
use crate::Db;
use crate::entities::user::{ActiveModel, Column, Entity, Model};
use crate::errors::{DbResult, lift};

pub(super) fn to_domain(m: Model) -> DbResult<UserCredentials> {
    Ok(UserCredentials {
        user: User {
            id: m.id,
            username: m.username,
            role: decode("role", &m.role, |r| r.parse::<Role>().ok())?,
            disabled: m.disabled,
            unit_code: m.unit_code.map(UnitCode::stored),
            team_code: m.team_code.map(TeamCode::stored),
            language: m.language.as_deref().and_then(|l| l.parse().ok()),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            password_changed_at: m.password_changed_at,
            sessions_version: m.sessions_version,
        },
        password_hash: m.password_hash,
    })
}

#[async_trait]
impl UserStore for Db {
    async fn create(&self, user: &User, password_hash: &str, audit_entry: &AuditEntry) -> StoreResult<()> {
        let row = ActiveModel {
            id: Set(user.id),
            username: Set(user.username.clone()),
            password_hash: Set(password_hash.into()),
            role: Set(user.role.as_str().into()),
            disabled: Set(user.disabled),
            unit_code: Set(user.unit_code.as_ref().map(ToString::to_string)),
            team_code: Set(user.team_code.as_ref().map(ToString::to_string)),
            language: Set(user.language.map(|l| l.code().to_string())),
            created_at: Set(user.created_at),
            updated_at: Set(user.updated_at),
            version: Set(user.version),
            password_changed_at: Set(user.password_changed_at),
            sessions_version: Set(user.sessions_version),
        };
        Ok(insert_audited(&self.conn, row, audit_entry).await?)
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<User>> {
        lift(async move {
            let row = Entity::find_by_id(id).one(&self.conn).await?;
            Ok(row.map(to_domain).transpose()?.map(|c| c.user))
        })
        .await
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>> {
        lift(async move {
            let row = Entity::find()
                .filter(Column::Username.eq(username))
                .one(&self.conn)
                .await?;
            row.map(to_domain).transpose()
        })
        .await
    }

    async fn list(&self, after: Option<Position>, limit: u64) -> StoreResult<Page<User>> {
        lift(async move {
            let rows = newest_first(
                &self.conn,
                Entity::find(),
                (Column::CreatedAt, Column::Id),
                after,
                limit,
            )
            .await?;
            let items = rows
                .into_iter()
                .map(|m| to_domain(m).map(|c| c.user))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(page_of(items, limit, None))
        })
        .await
    }

    async fn update(&self, user: &User, expected_version: i64, audit_entry: &AuditEntry) -> StoreResult<bool> {
        let row = ActiveModel {
            id: NotSet,
            username: NotSet,
            password_hash: NotSet,
            role: Set(user.role.as_str().into()),
            disabled: Set(user.disabled),
            unit_code: Set(user.unit_code.as_ref().map(ToString::to_string)),
            team_code: Set(user.team_code.as_ref().map(ToString::to_string)),
            language: Set(user.language.map(|l| l.code().to_string())),
            created_at: NotSet,
            updated_at: Set(user.updated_at),
            version: Set(user.version),
            password_changed_at: NotSet,
            sessions_version: NotSet,
        };
        let update = Entity::update_many()
            .set(row)
            .filter(Column::Id.eq(user.id))
            .filter(Column::Version.eq(expected_version));
        Ok(update_audited(&self.conn, update, audit_entry).await?)
    }

    async fn count(&self) -> StoreResult<u64> {
        lift(async move { Ok(Entity::find().count(&self.conn).await?) }).await
    }
}
