//! The customers a campaign may sample, and the feedback report's rows:
//! read in a few plain queries, the lists cut in chunks.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use hotline_domain::org::UnitScope;
use hotline_domain::survey::{Candidate, FeedbackMark};
use hotline_domain::{CustomerCode, TeamCode, UnitCode};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::survey::attribution;
use crate::entities::work_order::{feedback, row as work_order};
use crate::entities::{call, customer, customer_phone};
use crate::errors::DbResult;

/// When a customer's last work order in the period was opened, and its team.
type LastOrder = (DateTime<Utc>, Option<String>);

/// Values in one `IN (…)` list, at most.
const CHUNK: usize = 500;

pub(super) async fn candidates(
    conn: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    units: &[String],
) -> DbResult<Vec<Candidate>> {
    // Customer code → the team of their last work order in the period.
    let mut touched: BTreeMap<String, Option<LastOrder>> = BTreeMap::new();
    let called: Vec<Option<String>> = call::Entity::find()
        .select_only()
        .column(call::Column::CustomerCode)
        .distinct()
        .filter(call::Column::StartedAt.gte(from))
        .filter(call::Column::StartedAt.lt(to))
        .filter(call::Column::CustomerCode.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    for code in called.into_iter().flatten() {
        touched.entry(code).or_insert(None);
    }
    let orders: Vec<(Option<String>, DateTime<Utc>, Option<String>)> = work_order::Entity::find()
        .select_only()
        .column(work_order::Column::CustomerCode)
        .column(work_order::Column::CreatedAt)
        .column(work_order::Column::TeamCode)
        .filter(work_order::Column::CreatedAt.gte(from))
        .filter(work_order::Column::CreatedAt.lt(to))
        .filter(work_order::Column::CustomerCode.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    for (code, at, team) in orders {
        let Some(code) = code else { continue };
        let slot = touched.entry(code).or_insert(None);
        if slot.as_ref().is_none_or(|(last, _)| at >= *last) {
            *slot = Some((at, team));
        }
    }
    let codes: Vec<String> = touched.keys().cloned().collect();
    let mut out = Vec::new();
    for chunk in codes.chunks(CHUNK) {
        let found: Vec<(Uuid, String, Option<String>)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .column(customer::Column::Code)
            .column(customer::Column::UnitCode)
            .filter(customer::Column::Code.is_in(chunk.iter().map(String::as_str)))
            .filter(customer::Column::UnitCode.is_in(units.iter().map(String::as_str)))
            .into_tuple()
            .all(conn)
            .await?;
        let ids: Vec<Uuid> = found.iter().map(|f| f.0).collect();
        let phones: Vec<(Uuid, String)> = customer_phone::Entity::find()
            .select_only()
            .column(customer_phone::Column::CustomerId)
            .column(customer_phone::Column::Number)
            .filter(customer_phone::Column::CustomerId.is_in(ids))
            .order_by_desc(customer_phone::Column::Position)
            .into_tuple()
            .all(conn)
            .await?;
        // Ordered last position first: the first-given number wins.
        let first: HashMap<Uuid, String> = phones.into_iter().collect();
        for (id, code, unit) in found {
            let (Some(number), Some(unit)) = (first.get(&id), unit) else {
                continue;
            };
            let team = touched.get(&code).cloned().flatten().and_then(|(_, t)| t);
            out.push(Candidate {
                customer_code: CustomerCode::stored(code),
                unit_code: UnitCode::stored(unit),
                number: number.clone(),
                team_code: team.map(TeamCode::stored),
            });
        }
    }
    Ok(out)
}

pub(super) async fn feedback_marks(
    conn: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    units: Option<&UnitScope>,
) -> DbResult<Vec<FeedbackMark>> {
    let given: Vec<(Uuid, i32)> = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::WorkOrderId)
        .column(feedback::Column::Score)
        .filter(feedback::Column::GivenAt.gte(from))
        .filter(feedback::Column::GivenAt.lt(to))
        .into_tuple()
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for chunk in given.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|g| g.0).collect();
        let mut orders = work_order::Entity::find()
            .select_only()
            .column(work_order::Column::Id)
            .column(work_order::Column::UnitCode)
            .column(work_order::Column::TeamCode)
            .filter(work_order::Column::Id.is_in(ids.clone()));
        if let Some(scope) = units {
            let mut c =
                Condition::any().add(work_order::Column::UnitCode.is_in(scope.units.iter().map(String::as_str)));
            if scope.unplaced {
                c = c.add(work_order::Column::UnitCode.is_null());
            }
            orders = orders.filter(c);
        }
        let orders: HashMap<Uuid, (Option<String>, Option<String>)> = orders
            .into_tuple::<(Uuid, Option<String>, Option<String>)>()
            .all(conn)
            .await?
            .into_iter()
            .map(|(id, unit, team)| (id, (unit, team)))
            .collect();
        let credited: HashMap<Uuid, attribution::Model> = attribution::Entity::find()
            .filter(attribution::Column::WorkOrderId.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| (a.work_order_id, a))
            .collect();
        for (id, score) in chunk {
            let Some((unit, team)) = orders.get(id) else { continue };
            let a = credited.get(id);
            out.push(FeedbackMark {
                score: u8::try_from(*score).unwrap_or(0),
                agent: a.and_then(|a| a.agent.clone()),
                team_code: a
                    .map_or_else(|| team.clone(), |a| a.team_code.clone())
                    .map(TeamCode::stored),
                unit_code: a
                    .and_then(|a| a.unit_code.clone())
                    .or_else(|| unit.clone())
                    .map(UnitCode::stored),
            });
        }
    }
    Ok(out)
}
