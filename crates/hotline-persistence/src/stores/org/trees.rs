//! Units and areas: the same tree storage over two tables.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::org::{Area, AreaKind, NodeFilter, OrgStore, Shift, Team, TeamFilter, TreeWrite, Unit, tree};
use hotline_domain::ports::StoreResult;
use hotline_domain::user::User;
use hotline_domain::{AreaCode, UnitCode};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use super::super::{audit, decode, like_contains};
use super::{like_prefix, teams};
use crate::Db;
use crate::entities::org::{area, unit};
use crate::errors::{DbResult, lift};

const CHUNK: usize = 500;

fn unit_row(u: &Unit) -> unit::ActiveModel {
    unit::ActiveModel {
        id: Set(u.id),
        code: Set(u.code.to_string()),
        name: Set(u.name.clone()),
        parent_code: Set(u.parent_code.as_ref().map(ToString::to_string)),
        path: Set(u.path.clone()),
        search_text: Set(u.search_text()),
        created_at: Set(u.created_at),
        updated_at: Set(u.updated_at),
        version: Set(u.version),
    }
}

fn unit_of(m: unit::Model) -> Unit {
    Unit {
        id: m.id,
        code: UnitCode::stored(m.code),
        name: m.name,
        parent_code: m.parent_code.map(UnitCode::stored),
        path: m.path,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn area_row(a: &Area) -> area::ActiveModel {
    area::ActiveModel {
        id: Set(a.id),
        code: Set(a.code.to_string()),
        name: Set(a.name.clone()),
        kind: Set(a.kind.as_str().to_string()),
        parent_code: Set(a.parent_code.as_ref().map(ToString::to_string)),
        former_names: Set(serde_json::to_string(&a.former_names).unwrap_or_else(|_| "[]".into())),
        urban: Set(a.urban.unwrap_or(false)),
        urban_known: Set(a.urban.is_some()),
        unit_code: Set(a.unit_code.as_ref().map(ToString::to_string)),
        path: Set(a.path.clone()),
        search_text: Set(a.search_text()),
        created_at: Set(a.created_at),
        updated_at: Set(a.updated_at),
        version: Set(a.version),
    }
}

fn area_of(m: area::Model) -> DbResult<Area> {
    Ok(Area {
        id: m.id,
        kind: decode("kind", &m.kind, AreaKind::parse)?,
        former_names: serde_json::from_str(&m.former_names)
            .map_err(|e| StoreError::Other(format!("unexpected former_names in the database: {e}")))?,
        code: AreaCode::stored(m.code),
        name: m.name,
        parent_code: m.parent_code.map(AreaCode::stored),
        urban: m.urban_known.then_some(m.urban),
        unit_code: m.unit_code.map(UnitCode::stored),
        path: m.path,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

/// Rewrites the paths of everything below a node that moved from `old` to `new`.
macro_rules! rebase_descendants {
    ($txn:expr, $entity:ident, $code:expr, $old:expr, $new:expr) => {
        async {
            let below = $entity::Entity::find()
                .filter($entity::Column::Path.like(like_prefix($old)))
                .filter($entity::Column::Code.ne($code))
                .all($txn)
                .await?;
            for row in below {
                if let Some(path) = tree::rebased(&row.path, $old, $new) {
                    $entity::Entity::update_many()
                        .col_expr($entity::Column::Path, sea_orm::sea_query::Expr::value(path))
                        .filter($entity::Column::Id.eq(row.id))
                        .exec($txn)
                        .await?;
                }
            }
            Ok::<(), DbErr>(())
        }
        .await
    };
}

/// Updates one node if its version is still `$expected`, moving its
/// descendants along when its path changed, and audits it; all in one
/// transaction. Units and areas share it.
macro_rules! update_node {
    ($self:expr, $entity:ident, $row:ident, $node:expr, $expected:expr, $old_path:expr, $entry:expr) => {{
        lift(async move {
            let node = $node;
            let txn = $self.conn.begin().await?;
            let update = $entity::Entity::update_many()
                .set($row(node))
                .filter($entity::Column::Id.eq(node.id))
                .filter($entity::Column::Version.eq($expected));
            if !guarded(&txn, update).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            if $old_path != node.path {
                rebase_descendants!(&txn, $entity, node.code.as_str(), $old_path, &node.path)?;
            }
            audit::record(&txn, $entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }};
}

/// Writes an import's placed nodes (inserts, and guarded updates) with
/// their audit entries in one transaction; false, with nothing written,
/// when a node changed meanwhile.
macro_rules! write_nodes {
    ($self:expr, $entity:ident, $row:ident, $writes:expr) => {{
        lift(async move {
            let txn = $self.conn.begin().await?;
            for w in $writes {
                match w.expected_version {
                    None => {
                        $entity::Entity::insert($row(&w.node))
                            .exec_without_returning(&txn)
                            .await?;
                    }
                    Some(v) => {
                        let update = $entity::Entity::update_many()
                            .set($row(&w.node))
                            .filter($entity::Column::Id.eq(w.node.id))
                            .filter($entity::Column::Version.eq(v));
                        if !guarded(&txn, update).await? {
                            txn.rollback().await?;
                            return Ok(false);
                        }
                    }
                }
                audit::record(&txn, &w.audit).await?;
            }
            txn.commit().await?;
            Ok(true)
        })
        .await
    }};
}

macro_rules! filtered {
    ($entity:ident, $f:expr, $after:expr) => {{
        let f: &NodeFilter = $f;
        let mut q = $entity::Entity::find();
        if let Some(p) = &f.parent {
            q = q.filter($entity::Column::ParentCode.eq(p.as_str()));
        }
        if let Some(w) = &f.within {
            q = q.filter($entity::Column::Path.like(like_prefix(w)));
        }
        if let Some(t) = &f.text {
            q = q.filter($entity::Column::SearchText.like(LikeExpr::new(like_contains(t)).escape('\\')));
        }
        if let Some(a) = $after {
            q = q.filter($entity::Column::Code.gt(a));
        }
        q.order_by_asc($entity::Column::Code)
    }};
}

async fn guarded<E: EntityTrait>(txn: &impl ConnectionTrait, update: sea_orm::UpdateMany<E>) -> Result<bool, DbErr> {
    Ok(update.exec(txn).await?.rows_affected == 1)
}

#[async_trait]
impl OrgStore for Db {
    async fn create_unit(&self, u: &Unit, entry: &AuditEntry) -> StoreResult<()> {
        Ok(super::super::insert_audited(&self.conn, unit_row(u), entry).await?)
    }

    async fn get_unit(&self, code: &str) -> StoreResult<Option<Unit>> {
        lift(async move {
            let row = unit::Entity::find()
                .filter(unit::Column::Code.eq(code))
                .one(&self.conn)
                .await?;
            Ok(row.map(unit_of))
        })
        .await
    }

    async fn list_units(&self, filter: &NodeFilter, after: Option<&str>, limit: u64) -> StoreResult<Vec<Unit>> {
        lift(async move {
            let rows = filtered!(unit, filter, after).limit(limit).all(&self.conn).await?;
            Ok(rows.into_iter().map(unit_of).collect())
        })
        .await
    }

    async fn units_by_code(&self, codes: &[String]) -> StoreResult<Vec<Unit>> {
        lift(async move {
            let mut out = Vec::new();
            for chunk in codes.chunks(CHUNK) {
                let rows = unit::Entity::find()
                    .filter(unit::Column::Code.is_in(chunk.iter().map(String::as_str)))
                    .all(&self.conn)
                    .await?;
                out.extend(rows.into_iter().map(unit_of));
            }
            Ok(out)
        })
        .await
    }

    async fn all_units(&self) -> StoreResult<Vec<Unit>> {
        lift(async move {
            let rows = unit::Entity::find()
                .order_by_asc(unit::Column::Path)
                .all(&self.conn)
                .await?;
            Ok(rows.into_iter().map(unit_of).collect())
        })
        .await
    }

    async fn update_unit(&self, u: &Unit, expected: i64, old_path: &str, entry: &AuditEntry) -> StoreResult<bool> {
        update_node!(self, unit, unit_row, u, expected, old_path, entry)
    }

    async fn write_units(&self, writes: &[TreeWrite<Unit>]) -> StoreResult<bool> {
        write_nodes!(self, unit, unit_row, writes)
    }

    async fn create_area(&self, a: &Area, entry: &AuditEntry) -> StoreResult<()> {
        let done = super::super::insert_audited(&self.conn, area_row(a), entry).await;
        self.refs.areas.clear();
        Ok(done?)
    }

    async fn get_area(&self, code: &str) -> StoreResult<Option<Area>> {
        let read = || {
            lift(async move {
                let row = area::Entity::find()
                    .filter(area::Column::Code.eq(code))
                    .one(&self.conn)
                    .await?;
                row.map(area_of).transpose()
            })
        };
        self.refs.areas.get_or_load(code, read).await
    }

    async fn list_areas(&self, filter: &NodeFilter, after: Option<&str>, limit: u64) -> StoreResult<Vec<Area>> {
        lift(async move {
            let mut q = filtered!(area, filter, after);
            if let Some(k) = filter.kind {
                q = q.filter(area::Column::Kind.eq(k.as_str()));
            }
            let rows = q.limit(limit).all(&self.conn).await?;
            rows.into_iter().map(area_of).collect()
        })
        .await
    }

    async fn areas_by_code(&self, codes: &[String]) -> StoreResult<Vec<Area>> {
        lift(async move {
            let mut out = Vec::new();
            for chunk in codes.chunks(CHUNK) {
                let rows = area::Entity::find()
                    .filter(area::Column::Code.is_in(chunk.iter().map(String::as_str)))
                    .all(&self.conn)
                    .await?;
                for r in rows {
                    out.push(area_of(r)?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn all_areas(&self) -> StoreResult<Vec<Area>> {
        lift(async move {
            let rows = area::Entity::find()
                .order_by_asc(area::Column::Path)
                .all(&self.conn)
                .await?;
            rows.into_iter().map(area_of).collect()
        })
        .await
    }

    async fn update_area(&self, a: &Area, expected: i64, old_path: &str, entry: &AuditEntry) -> StoreResult<bool> {
        let done = update_node!(self, area, area_row, a, expected, old_path, entry);
        self.refs.areas.clear();
        done
    }

    async fn write_areas(&self, writes: &[TreeWrite<Area>]) -> StoreResult<bool> {
        let done = write_nodes!(self, area, area_row, writes);
        self.refs.areas.clear();
        done
    }

    async fn create_team(&self, t: &Team, entry: &AuditEntry) -> StoreResult<()> {
        Ok(teams::create(&self.conn, t, entry).await?)
    }

    async fn get_team(&self, code: &str) -> StoreResult<Option<Team>> {
        Ok(teams::get(&self.conn, code).await?)
    }

    async fn list_teams(&self, filter: &TeamFilter, after: Option<&str>, limit: u64) -> StoreResult<Vec<Team>> {
        Ok(teams::list(&self.conn, filter, after, limit).await?)
    }

    async fn update_team(&self, t: &Team, expected: i64, entry: &AuditEntry) -> StoreResult<bool> {
        Ok(teams::update(&self.conn, t, expected, entry).await?)
    }

    async fn team_members(&self, code: &str) -> StoreResult<Vec<User>> {
        Ok(teams::members(&self.conn, code).await?)
    }

    async fn replace_shifts(&self, code: &str, shifts: &[Shift], entry: &AuditEntry) -> StoreResult<()> {
        Ok(teams::replace_shifts(&self.conn, code, shifts, entry).await?)
    }

    async fn shifts(&self, code: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Shift>> {
        Ok(teams::shifts(&self.conn, code, from, to).await?)
    }

    async fn teams_for_routing(
        &self,
        area_ancestry: &[String],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<hotline_domain::work_order::Team>> {
        Ok(teams::for_routing(&self.conn, area_ancestry, at).await?)
    }
}
