//! Several inserts that commit together, in as few round trips as the
//! backend allows.
//!
//! On PostgreSQL they go as one statement: every insert but the last in a
//! `WITH` clause of its own, the last as the statement's body. One
//! statement is one transaction, so they commit (or fail) together, and
//! the database sees one message instead of `BEGIN`, each insert and
//! `COMMIT` one after the other. That is most of the cost of a small write
//! once the server and the database share a machine. The inserts must not
//! depend on each other's rows (a statement's parts all see the database
//! as it was when it began).
//!
//! Elsewhere (SQLite) they run one by one inside a transaction.

use sea_orm::sea_query::{Alias, CommonTableExpression, InsertStatement, WithClause};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryTrait, TransactionTrait};

/// Inserts to be written together; see the module's text.
#[derive(Default)]
pub(crate) struct Inserts(Vec<InsertStatement>);

impl Inserts {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds `insert` (its rows, and any `ON CONFLICT` it carries).
    pub(crate) fn push(&mut self, insert: impl QueryTrait<QueryStatement = InsertStatement>) -> &mut Self {
        self.0.push(insert.into_query());
        self
    }

    /// Runs the inserts, in order, inside `txn`.
    pub(crate) async fn run_in(&self, txn: &impl ConnectionTrait) -> Result<(), DbErr> {
        for insert in &self.0 {
            txn.execute(insert).await?;
        }
        Ok(())
    }

    /// Writes them all or none: one statement on PostgreSQL, a
    /// transaction elsewhere.
    pub(crate) async fn write(self, conn: &DatabaseConnection) -> Result<(), DbErr> {
        let backend = conn.get_database_backend();
        if backend != DbBackend::Postgres || self.0.len() < 2 {
            let txn = conn.begin().await?;
            self.run_in(&txn).await?;
            return txn.commit().await;
        }
        let mut inserts = self.0;
        let body = inserts.pop().unwrap_or_default();
        let mut with = WithClause::new();
        for (i, insert) in inserts.into_iter().enumerate() {
            with.cte(
                CommonTableExpression::new()
                    .table_name(Alias::new(format!("w{i}")))
                    .query(insert)
                    .to_owned(),
            );
        }
        conn.execute(&with.query(body)).await?;
        Ok(())
    }
}
