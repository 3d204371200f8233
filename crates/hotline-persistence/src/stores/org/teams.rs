//! Teams, the areas they serve, their on-call shifts and members.

use hotline_domain::{AreaCode, TeamCode, UnitCode};
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::org::{Shift, Team, TeamFilter};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::user::User;
use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::super::{audit, users};
use super::like_prefix;
use crate::entities::org::{team, team_area, team_shift, unit};
use crate::entities::user as user_rows;
use crate::errors::DbResult;

const CHUNK: usize = 500;

fn skills_text(skills: &[Category]) -> String {
    let mut s = String::from(",");
    for k in skills {
        s.push_str(k.as_str());
        s.push(',');
    }
    s
}

fn row(t: &Team) -> team::ActiveModel {
    team::ActiveModel {
        id: Set(t.id),
        code: Set(t.code.to_string()),
        name: Set(t.name.clone()),
        unit_code: Set(t.unit_code.to_string()),
        skills: Set(skills_text(&t.skills)),
        capacity: Set(i32::try_from(t.capacity).unwrap_or(i32::MAX)),
        contact_number: Set(t.contact_number.as_ref().map(|n| n.as_str().to_string())),
        created_at: Set(t.created_at),
        updated_at: Set(t.updated_at),
        version: Set(t.version),
    }
}

fn to_domain(m: team::Model, area_codes: Vec<String>) -> DbResult<Team> {
    let mut skills = Vec::new();
    for s in m.skills.split(',').filter(|s| !s.is_empty()) {
        skills.push(super::super::decode("skill", s, Category::parse)?);
    }
    Ok(Team {
        id: m.id,
        code: TeamCode::stored(m.code),
        name: m.name,
        unit_code: UnitCode::stored(m.unit_code),
        area_codes: area_codes.into_iter().map(AreaCode::stored).collect(),
        skills,
        capacity: u32::try_from(m.capacity).unwrap_or(0),
        contact_number: m.contact_number.map(PhoneNumber::from_stored),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

async fn with_areas(db: &impl ConnectionTrait, rows: Vec<team::Model>) -> DbResult<Vec<Team>> {
    let mut areas: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in rows.chunks(CHUNK) {
        let found = team_area::Entity::find()
            .filter(team_area::Column::TeamCode.is_in(chunk.iter().map(|m| m.code.as_str())))
            .order_by_asc(team_area::Column::AreaCode)
            .all(db)
            .await?;
        for a in found {
            areas.entry(a.team_code).or_default().push(a.area_code);
        }
    }
    rows.into_iter()
        .map(|m| {
            let own = areas.remove(&m.code).unwrap_or_default();
            to_domain(m, own)
        })
        .collect()
}

async fn insert_areas(db: &impl ConnectionTrait, t: &Team) -> Result<(), DbErr> {
    if t.area_codes.is_empty() {
        return Ok(());
    }
    team_area::Entity::insert_many(t.area_codes.iter().map(|a| team_area::ActiveModel {
        team_code: Set(t.code.to_string()),
        area_code: Set(a.to_string()),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub(super) async fn create(conn: &DatabaseConnection, t: &Team, entry: &AuditEntry) -> DbResult<()> {
    let txn = conn.begin().await?;
    team::Entity::insert(row(t)).exec_without_returning(&txn).await?;
    insert_areas(&txn, t).await?;
    audit::record(&txn, entry).await?;
    Ok(txn.commit().await?)
}

pub(super) async fn get(conn: &DatabaseConnection, code: &str) -> DbResult<Option<Team>> {
    let Some(m) = team::Entity::find()
        .filter(team::Column::Code.eq(code))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(with_areas(conn, vec![m]).await?.pop())
}

pub(super) async fn list(
    conn: &DatabaseConnection,
    f: &TeamFilter,
    after: Option<&str>,
    limit: u64,
) -> DbResult<Vec<Team>> {
    let mut q = team::Entity::find();
    if let Some(root) = &f.unit_within {
        let units = Query::select()
            .column(unit::Column::Code)
            .from(unit::Entity)
            .and_where(unit::Column::Path.like(like_prefix(root)))
            .to_owned();
        q = q.filter(team::Column::UnitCode.in_subquery(units));
    }
    if let Some(a) = &f.area {
        let serving = Query::select()
            .column(team_area::Column::TeamCode)
            .from(team_area::Entity)
            .and_where(team_area::Column::AreaCode.eq(a.as_str()))
            .to_owned();
        q = q.filter(team::Column::Code.in_subquery(serving));
    }
    if let Some(s) = f.skill {
        q = q.filter(team::Column::Skills.like(LikeExpr::new(format!("%,{},%", s.as_str()))));
    }
    if let Some(a) = after {
        q = q.filter(team::Column::Code.gt(a));
    }
    let rows = q.order_by_asc(team::Column::Code).limit(limit).all(conn).await?;
    with_areas(conn, rows).await
}

pub(super) async fn update(conn: &DatabaseConnection, t: &Team, expected: i64, entry: &AuditEntry) -> DbResult<bool> {
    let txn = conn.begin().await?;
    let rows = team::Entity::update_many()
        .set(row(t))
        .filter(team::Column::Id.eq(t.id))
        .filter(team::Column::Version.eq(expected))
        .exec(&txn)
        .await?
        .rows_affected;
    if rows != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    team_area::Entity::delete_many()
        .filter(team_area::Column::TeamCode.eq(t.code.as_str()))
        .exec(&txn)
        .await?;
    insert_areas(&txn, t).await?;
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(true)
}

pub(super) async fn members(conn: &DatabaseConnection, code: &str) -> DbResult<Vec<User>> {
    let rows = user_rows::Entity::find()
        .filter(user_rows::Column::TeamCode.eq(code))
        .order_by_asc(user_rows::Column::Username)
        .all(conn)
        .await?;
    rows.into_iter().map(|m| users::to_domain(m).map(|c| c.user)).collect()
}

pub(super) async fn replace_shifts(
    conn: &DatabaseConnection,
    code: &str,
    shifts: &[Shift],
    entry: &AuditEntry,
) -> DbResult<()> {
    let txn = conn.begin().await?;
    team_shift::Entity::delete_many()
        .filter(team_shift::Column::TeamCode.eq(code))
        .exec(&txn)
        .await?;
    for chunk in shifts.chunks(CHUNK) {
        team_shift::Entity::insert_many(chunk.iter().map(|s| team_shift::ActiveModel {
            id: Set(Uuid::now_v7()),
            team_code: Set(code.to_string()),
            starts_at: Set(s.starts_at),
            ends_at: Set(s.ends_at),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    audit::record(&txn, entry).await?;
    Ok(txn.commit().await?)
}

pub(super) async fn shifts(
    conn: &DatabaseConnection,
    code: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DbResult<Vec<Shift>> {
    let rows = team_shift::Entity::find()
        .filter(team_shift::Column::TeamCode.eq(code))
        .filter(team_shift::Column::StartsAt.lt(to))
        .filter(team_shift::Column::EndsAt.gt(from))
        .order_by_asc(team_shift::Column::StartsAt)
        .order_by_asc(team_shift::Column::EndsAt)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Shift {
            starts_at: r.starts_at,
            ends_at: r.ends_at,
        })
        .collect())
}

pub(super) async fn for_routing(
    conn: &DatabaseConnection,
    ancestry: &[String],
    at: DateTime<Utc>,
) -> DbResult<Vec<hotline_domain::work_order::Team>> {
    if ancestry.is_empty() {
        return Ok(Vec::new());
    }
    let serving = Query::select()
        .column(team_area::Column::TeamCode)
        .from(team_area::Entity)
        .and_where(team_area::Column::AreaCode.is_in(ancestry.iter().map(String::as_str)))
        .to_owned();
    let rows = team::Entity::find()
        .filter(team::Column::Code.in_subquery(serving))
        .order_by_asc(team::Column::Code)
        .all(conn)
        .await?;
    let teams = with_areas(conn, rows).await?;
    let mut on_call: HashSet<String> = HashSet::new();
    for chunk in teams.chunks(CHUNK) {
        let found = team_shift::Entity::find()
            .filter(team_shift::Column::TeamCode.is_in(chunk.iter().map(|t| t.code.as_str())))
            .filter(team_shift::Column::StartsAt.lte(at))
            .filter(team_shift::Column::EndsAt.gt(at))
            .all(conn)
            .await?;
        on_call.extend(found.into_iter().map(|s| s.team_code));
    }
    Ok(teams
        .iter()
        .map(|t| t.for_routing(on_call.contains(t.code.as_str())))
        .collect())
}
