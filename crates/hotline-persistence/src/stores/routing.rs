//! The routing rules (one row with the whole list and its version) and the
//! open-work counts routing weighs teams by.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::ports::{RoutingRuleSet, RoutingStore, StoreResult};
use hotline_domain::work_order::{RoutingRule, Status};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use super::audit;
use crate::Db;
use crate::entities::routing_rule::{ActiveModel, Column, Entity};
use crate::entities::work_order::row as work_order;
use crate::errors::lift;

/// The one row's key.
pub(crate) const ROW: &str = "default";

#[async_trait]
impl RoutingStore for Db {
    async fn rules(&self) -> StoreResult<RoutingRuleSet> {
        let read = || {
            lift(async move {
                let Some(row) = Entity::find_by_id(ROW.to_string()).one(&self.conn).await? else {
                    return Ok(RoutingRuleSet::default());
                };
                let rules: Vec<RoutingRule> = serde_json::from_str(&row.rules)
                    .map_err(|e| StoreError::Other(format!("unreadable routing rules in the database: {e}")))?;
                Ok(RoutingRuleSet {
                    rules,
                    version: row.version,
                    updated_at: Some(row.updated_at),
                })
            })
        };
        self.refs.routing.get_or_load(ROW, read).await
    }

    async fn replace_rules(
        &self,
        rules: &[RoutingRule],
        expected_version: i64,
        at: DateTime<Utc>,
        audit_entry: &AuditEntry,
    ) -> StoreResult<bool> {
        let done = lift(async move {
            let json = serde_json::to_string(rules).map_err(|e| StoreError::Other(e.to_string()))?;
            let txn = self.conn.begin().await?;
            let written = if expected_version == 0 {
                let row = ActiveModel {
                    id: Set(ROW.to_string()),
                    rules: Set(json),
                    updated_at: Set(at),
                    version: Set(1),
                };
                Entity::insert(row)
                    .on_conflict(OnConflict::column(Column::Id).do_nothing().to_owned())
                    .exec_without_returning(&txn)
                    .await?
            } else {
                Entity::update_many()
                    .col_expr(Column::Rules, Expr::value(json))
                    .col_expr(Column::UpdatedAt, Expr::value(at))
                    .col_expr(Column::Version, Expr::value(expected_version + 1))
                    .filter(Column::Id.eq(ROW))
                    .filter(Column::Version.eq(expected_version))
                    .exec(&txn)
                    .await?
                    .rows_affected
            };
            if written != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            audit::record(&txn, audit_entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await;
        self.refs.routing.clear();
        done
    }

    async fn open_counts(&self, team_codes: &[String]) -> StoreResult<HashMap<String, u32>> {
        lift(async move {
            if team_codes.is_empty() {
                return Ok(HashMap::new());
            }
            let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
            let rows: Vec<(Option<String>, i64)> = work_order::Entity::find()
                .select_only()
                .column(work_order::Column::TeamCode)
                .column_as(work_order::Column::Id.count(), "n")
                .filter(work_order::Column::TeamCode.is_in(team_codes.iter().map(String::as_str)))
                .filter(work_order::Column::Status.is_in(open))
                .group_by(work_order::Column::TeamCode)
                .into_tuple()
                .all(&self.conn)
                .await?;
            Ok(rows
                .into_iter()
                .filter_map(|(team, n)| Some((team?, u32::try_from(n).unwrap_or(u32::MAX))))
                .collect())
        })
        .await
    }
}
