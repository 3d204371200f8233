//! Several inserts that commit together, in as few round trips as the
//! backend allows.
//!
//! On PostgreSQL they go as one statement: every table's rows but the last
//! in a `WITH` clause of their own, the last as the statement's body. One
//! statement is one transaction, so they commit (or fail) together, and
//! the database sees one message instead of `BEGIN`, each insert and
//! `COMMIT` one after the other. That is most of the cost of a small write
//! once the server and the database share a machine. The inserts must not
//! depend on each other's rows (a statement's parts all see the database
//! as it was when it began; foreign keys are checked at its end).
//!
//! The rows are kept as rows, by table, so that the inserts of several
//! requests can be [`merged`](Inserts::merged): one multi-row insert a table
//! for a whole batch (see `pg_group`).
//!
//! Elsewhere (SQLite) they run one by one inside a transaction.

use std::any::Any;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, CommonTableExpression, InsertStatement, PostgresQueryBuilder, WithClause, WithQuery};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryTrait, RuntimeErr,
    TransactionTrait,
};
use sea_query_sqlx::SqlxValues;

/// What [`Inserts::one_statement`] makes.
enum Statement {
    Insert(Box<InsertStatement>),
    With(Box<WithQuery>),
}

/// One table's rows, whatever the table.
trait Rows: Send + Sync {
    fn into_statement(self: Box<Self>) -> InsertStatement;
    /// Adds copies of `other`'s rows when they are of the same table;
    /// false otherwise.
    fn absorb(&mut self, other: &dyn Rows) -> bool;
    fn copy(&self) -> Box<dyn Rows>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

struct Table<A>(Vec<A>);

impl<A> Rows for Table<A>
where
    A: ActiveModelTrait + Clone + Send + Sync + 'static,
{
    fn into_statement(self: Box<Self>) -> InsertStatement {
        <A::Entity as EntityTrait>::insert_many(self.0).into_query()
    }

    fn absorb(&mut self, other: &dyn Rows) -> bool {
        match other.as_any().downcast_ref::<Table<A>>() {
            Some(theirs) => {
                self.0.extend_from_slice(&theirs.0);
                true
            }
            None => false,
        }
    }

    fn copy(&self) -> Box<dyn Rows> {
        Box::new(Table(self.0.clone()))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Inserts to be written together; see the module's text.
#[derive(Default)]
pub(crate) struct Inserts(Vec<Box<dyn Rows>>);

impl Inserts {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds `rows`, all of one table; none adds nothing. Rows of a table
    /// already added join its insert.
    pub(crate) fn push<A>(&mut self, rows: impl IntoIterator<Item = A>) -> &mut Self
    where
        A: ActiveModelTrait + Clone + Send + Sync + 'static,
    {
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            return self;
        }
        match self
            .0
            .iter_mut()
            .find_map(|t| t.as_any_mut().downcast_mut::<Table<A>>())
        {
            Some(table) => table.0.extend(rows),
            None => self.0.push(Box::new(Table(rows.collect::<Vec<A>>()))),
        }
        self
    }

    /// Copies of everyone's rows, a table's rows in one insert, in the
    /// order given.
    pub(crate) fn merged<'a>(all: impl IntoIterator<Item = &'a Inserts>) -> Inserts {
        let mut out = Inserts::new();
        for table in all.into_iter().flat_map(|inserts| &inserts.0) {
            if !out.0.iter_mut().any(|t| t.absorb(table.as_ref())) {
                out.0.push(table.copy());
            }
        }
        out
    }

    /// Runs the inserts, in order, inside `txn`.
    pub(crate) async fn run_in(self, txn: &impl ConnectionTrait) -> Result<(), DbErr> {
        for table in self.0 {
            txn.execute(&table.into_statement()).await?;
        }
        Ok(())
    }

    /// Writes them all or none: one statement on PostgreSQL, a
    /// transaction elsewhere.
    pub(crate) async fn write(self, conn: &DatabaseConnection) -> Result<(), DbErr> {
        if self.0.is_empty() {
            return Ok(());
        }
        if conn.get_database_backend() != DbBackend::Postgres && self.0.len() > 1 {
            let txn = conn.begin().await?;
            self.run_in(&txn).await?;
            return txn.commit().await;
        }
        match self.one_statement() {
            Statement::Insert(insert) => conn.execute(&*insert).await?,
            Statement::With(with) => conn.execute(&*with).await?,
        };
        Ok(())
    }

    /// [`write`](Self::write) on PostgreSQL, for a statement of a shape
    /// seldom seen again (a batch's): it is not kept prepared on the
    /// connection. Prepared, every batch size and mix would be a
    /// statement of its own, tens of kilobytes each, held by every pooled
    /// connection on both sides.
    pub(crate) async fn write_once(self, conn: &DatabaseConnection) -> Result<(), DbErr> {
        if self.0.is_empty() || conn.get_database_backend() != DbBackend::Postgres {
            return self.write(conn).await;
        }
        let (sql, values) = match self.one_statement() {
            Statement::Insert(insert) => insert.build(PostgresQueryBuilder),
            Statement::With(with) => with.build(PostgresQueryBuilder),
        };
        sqlx::query_with(sqlx::AssertSqlSafe(sql), SqlxValues(values))
            .persistent(false)
            .execute(conn.get_postgres_connection_pool())
            .await
            .map_err(|e| DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e))))?;
        Ok(())
    }

    /// Every table's rows but the last in a `WITH` clause of their own,
    /// the last as the body; one table's alone. Built from the rows
    /// themselves, not copies of them.
    fn one_statement(self) -> Statement {
        let mut statements: Vec<InsertStatement> = self.0.into_iter().map(|t| t.into_statement()).collect();
        let body = statements.pop().unwrap_or_default();
        if statements.is_empty() {
            return Statement::Insert(Box::new(body));
        }
        let mut with = WithClause::new();
        for (i, insert) in statements.into_iter().enumerate() {
            let mut cte = CommonTableExpression::new();
            cte.table_name(Alias::new(format!("w{i}"))).query(insert);
            with.cte(cte);
        }
        let mut query = WithQuery::new();
        query.with_clause(with).query(body);
        Statement::With(Box::new(query))
    }
}
