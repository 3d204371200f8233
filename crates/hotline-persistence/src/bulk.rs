//! Bulk loading for sample data and benchmarks: multi-row inserts in large
//! transactions, no audit trail (nothing was changed by anyone).

use hotline_domain::call::Call;
use hotline_domain::customer::Customer;
use hotline_domain::work_order::{Feedback, WorkOrder};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, Statement, TransactionTrait};

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

    /// Takes `table`'s secondary indexes away for a bulk load of `loading`
    /// rows into it, when it holds no more rows than that (and the load is
    /// not empty); their definitions, to give
    /// to [`Db::restore_indexes`] afterwards. Every row then goes into the
    /// table alone, and each index is built once, sorted, at the end: with
    /// the indexes in place, ten million calls went in at 14,000 a second
    /// at first and 5,000 by the fourth million, each row's entries placed
    /// at random in indexes grown past the database's cache. Unique
    /// indexes (the key) stay. None are taken from a table already larger
    /// than the load, where building them again would cost more.
    pub async fn set_indexes_aside(&self, table: &str, loading: u64) -> Result<Vec<String>, DbErr> {
        if loading == 0 {
            return Ok(Vec::new());
        }
        let backend = self.conn.get_database_backend();
        let count = self
            .conn
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if count as u64 > loading {
            return Ok(Vec::new());
        }
        let mut aside: Vec<(String, String)> = Vec::new();
        if backend == DbBackend::Postgres {
            for index in crate::partitions::secondary_indexes(&self.conn, table).await? {
                if !index.unique {
                    aside.push((index.name, index.sql));
                }
            }
        } else {
            let sql = format!(
                "SELECT name, sql AS def FROM sqlite_schema \
                 WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
            );
            for r in self.conn.query_all_raw(Statement::from_string(backend, sql)).await? {
                aside.push((r.try_get("", "name")?, r.try_get("", "def")?));
            }
        }
        let mut defs = Vec::with_capacity(aside.len());
        for (name, def) in aside {
            self.conn
                .execute_unprepared(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .await?;
            defs.push(def);
        }
        Ok(defs)
    }

    /// Builds again the indexes [`Db::set_indexes_aside`] took away.
    pub async fn restore_indexes(&self, defs: &[String]) -> Result<(), DbErr> {
        for def in defs {
            self.conn.execute_unprepared(def).await?;
        }
        Ok(())
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
