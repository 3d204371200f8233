//! The tables of a call summary kept by a slot shorter than a day (the
//! hour, five minutes): the per-day summary's columns (migration 000014),
//! keyed by the slot; the upkeep's state (the first slot still kept, the
//! first not summarised yet, the change watermark); and the slots waiting
//! to be recomputed, with when a change last marked each.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::indexes::{drop_index, index};
use super::tables::{NewTable, drop_tables};

/// The names of one slot summary's tables and columns.
pub struct SlotSummary {
    pub stats: &'static str,
    pub summary: &'static str,
    pub dirty: &'static str,
    /// The slot's key column (YYYYMMDDHH…).
    pub key: &'static str,
    pub from: &'static str,
    pub through: &'static str,
    /// On `(dimension, key, unit_code)`, as a report reads the rows.
    pub index: &'static str,
}

pub async fn create(m: &SchemaManager<'_>, s: &SlotSummary) -> Result<(), DbErr> {
    // No primary key: a unit or a dimension value may be null.
    NewTable::new(s.stats)
        .col(big_integer(s.key))
        .col(string_len_null("unit_code", 32))
        .col(string_len("dimension", 16))
        .col(string_len_null("value", 100))
        .cols(
            big_integer,
            &[
                "offered",
                "answered",
                "missed",
                "abandoned",
                "blocked",
                "waits",
                "wait_sum",
                "talks",
                "talk_sum",
            ],
        )
        .cols(text, &["answered_waits", "unanswered_waits"])
        .create(m)
        .await?;
    NewTable::new(s.summary)
        .col(integer("id").primary_key())
        .col(big_integer_null(s.from))
        .col(big_integer_null(s.through))
        .col(timestamp_with_time_zone_null("watermark"))
        .create(m)
        .await?;
    m.get_connection()
        .execute_unprepared(&format!("INSERT INTO {} (id) VALUES (1)", s.summary))
        .await?;
    // `marked_at`: when a change last marked the slot; the upkeep leaves a
    // slot still being marked for a later tick.
    NewTable::new(s.dirty)
        .col(big_integer(s.key).primary_key())
        .col(timestamp_with_time_zone("marked_at"))
        .create(m)
        .await?;
    m.create_index(index(s.stats, s.index, &["dimension", s.key, "unit_code"]))
        .await
}

pub async fn drop(m: &SchemaManager<'_>, s: &SlotSummary) -> Result<(), DbErr> {
    drop_index(m, s.stats, s.index).await?;
    drop_tables(m, &[s.dirty, s.summary, s.stats]).await
}
