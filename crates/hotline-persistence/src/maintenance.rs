//! Upkeep of the database file itself, for the command line.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use crate::Db;

impl Db {
    /// SQLite: copies the write-ahead log into the database file and
    /// empties it (`PRAGMA wal_checkpoint(TRUNCATE)`). After a bulk load the
    /// log holds every page written; left behind, the next process to open
    /// the database starts by reading all of it. Fails when another
    /// connection is reading or writing meanwhile (the log is then left as
    /// it is). Does nothing on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<(), DbErr> {
        let backend = self.conn.get_database_backend();
        if backend != DbBackend::Sqlite {
            return Ok(());
        }
        let row = self
            .conn
            .query_one_raw(Statement::from_string(backend, "PRAGMA wal_checkpoint(TRUNCATE)"))
            .await?;
        // One row: busy (1 when the checkpoint could not finish), then the
        // log's pages and those copied.
        let busy = match row {
            Some(r) => r.try_get::<i64>("", "busy")?,
            None => 0,
        };
        if busy != 0 {
            return Err(DbErr::Custom(
                "the write-ahead log is in use by another connection; it was not emptied".into(),
            ));
        }
        Ok(())
    }
}
