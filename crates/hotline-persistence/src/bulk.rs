//! Bulk loading for sample data and benchmarks: multi-row inserts in large
//! transactions, no audit trail (nothing was changed by anyone).

use hotline_domain::call::Call;
use hotline_domain::customer::Customer;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Statement, TransactionTrait};

use crate::Db;
use crate::entities::call as call_rows;
use crate::stores::calls::to_row;

/// Rows per INSERT: calls have 26 columns, and SQLite allows 32,766
/// bound parameters per statement.
const CALLS_PER_STATEMENT: usize = 1000;

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
