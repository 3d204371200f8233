//! Two additions for a fresh installation and for integrators:
//!
//! - webhook subscriptions keep the secret a rotation replaced, and until
//!   when it still signs beside the new one (`previous_secret`,
//!   `previous_secret_expires_at`);
//! - the default routing rules (area owner, then least loaded, then the
//!   dispatcher; see `default_rules`), written only when the rule list has
//!   never been written: an installation whose administrator set rules, or
//!   cleared them, keeps what it has.

use hotline_domain::work_order::default_rules;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            "webhook_subscriptions",
            vec![
                string_len_null("previous_secret", 128),
                timestamp_with_time_zone_null("previous_secret_expires_at"),
            ],
        )
        .await?;

        let rules = serde_json::to_string(&default_rules()).map_err(|e| DbErr::Custom(e.to_string()))?;
        m.execute(
            Query::insert()
                .into_table("routing_rules")
                .columns(["id", "rules", "updated_at", "version"])
                .values_panic(["default".into(), rules.into(), chrono::Utc::now().into(), 1i64.into()])
                .on_conflict(OnConflict::column("id").do_nothing().to_owned())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            "webhook_subscriptions",
            &["previous_secret_expires_at", "previous_secret"],
        )
        .await
    }
}
