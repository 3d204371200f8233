//! Two additions for a fresh installation and for integrators:
//!
//! - webhook subscriptions keep the secret a rotation replaced, and until
//!   when it still signs beside the new one (`previous_secret`,
//!   `previous_secret_expires_at`);
//! - the default routing rules (area owner, then least loaded, then the
//!   dispatcher; see `default_rules`), written only into a fresh
//!   installation: the rule list never written and no work order opened. An
//!   installation whose administrator set rules, or cleared them, or whose
//!   dispatchers have been routing by hand, keeps what it has.

use hotline_domain::work_order::default_rules;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};

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

        // Only into a fresh installation: none written yet, and no work
        // order opened yet. One that has run without rules had its
        // dispatchers route by hand; it keeps doing so until an
        // administrator sets rules.
        let rules = serde_json::to_string(&default_rules()).map_err(|e| DbErr::Custom(e.to_string()))?;
        let fresh = Query::select()
            .exprs([
                Expr::val(crate::stores::routing::ROW),
                Expr::val(rules),
                Expr::val(chrono::Utc::now()),
                Expr::val(1i64),
            ])
            .and_where(Expr::exists(Query::select().expr(Expr::val(1)).from("work_orders").to_owned()).not())
            .to_owned();
        m.execute(
            Query::insert()
                .into_table("routing_rules")
                .columns(["id", "rules", "updated_at", "version"])
                .select_from(fresh)
                .map_err(|e| DbErr::Custom(e.to_string()))?
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
