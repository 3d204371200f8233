//! Bulk loading for sample data and benchmarks: multi-row inserts in large
//! transactions, no audit trail (nothing was changed by anyone).

use hotline_domain::call::Call;
use hotline_domain::customer::Customer;
use hotline_domain::work_order::{Feedback, WorkOrder};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Statement, TransactionTrait};

use crate::Db;
use crate::entities::call as call_rows;
use crate::entities::work_order as wo_rows;
use crate::stores::calls::to_row;
use crate::stores::work_orders::to_row as work_order_row;

/// Rows per INSERT: calls have 26 columns, and SQLite allows 32,766
/// bound parameters per statement.
const CALLS_PER_STATEMENT: usize = 1000;
/// Work orders have about 35 columns.
const WORK_ORDERS_PER_STATEMENT: usize = 500;

impl Db {
    /// Inserts calls as they are, in one transaction.
    pub async fn bulk_insert_calls(&self, calls: &[Call]) -> Result<(), DbErr> {
        let txn = self.conn.begin().await?;
        for chunk in calls.chunks(CALLS_PER_STATEMENT) {
            call_rows::Entity::insert_many(chunk.iter().map(to_row))
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await
    }

    /// Inserts work orders (and their feedback) as they are, in one
    /// transaction: no history lines, no audit.
    pub async fn bulk_insert_work_orders(&self, orders: &[(WorkOrder, Option<Feedback>)]) -> Result<(), DbErr> {
        let txn = self.conn.begin().await?;
        for chunk in orders.chunks(WORK_ORDERS_PER_STATEMENT) {
            wo_rows::row::Entity::insert_many(chunk.iter().map(|(w, _)| work_order_row(w)))
                .exec_without_returning(&txn)
                .await?;
            let feedback: Vec<_> = chunk
                .iter()
                .filter_map(|(w, f)| f.as_ref().map(|f| (w.id, f)))
                .map(|(id, f)| wo_rows::feedback::ActiveModel {
                    work_order_id: Set(id),
                    score: Set(i32::from(f.score)),
                    comment: Set(f.comment.clone()),
                    given_by: Set(f.given_by.clone()),
                    given_at: Set(f.given_at),
                })
                .collect();
            if !feedback.is_empty() {
                wo_rows::feedback::Entity::insert_many(feedback)
                    .exec_without_returning(&txn)
                    .await?;
            }
        }
        txn.commit().await
    }

    /// Inserts customers and their phones as they are, in one transaction.
    pub async fn bulk_insert_customers(&self, customers: &[Customer]) -> Result<(), DbErr> {
        let txn = self.conn.begin().await?;
        let refs: Vec<&Customer> = customers.iter().collect();
        crate::stores::customers::insert_customers(&txn, &refs).await?;
        txn.commit().await
    }

    /// Refreshes the planner's statistics after a bulk load, so the first
    /// queries already get the index plans.
    pub async fn analyze(&self) -> Result<(), DbErr> {
        let backend = self.conn.get_database_backend();
        self.conn
            .execute_raw(Statement::from_string(backend, "ANALYZE"))
            .await?;
        Ok(())
    }
}
