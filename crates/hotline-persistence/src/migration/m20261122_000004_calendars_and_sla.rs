//! Working calendars and SLA policies, with the defaults: the `default`
//! calendar (Vietnam's office hours and public holidays, computed by the
//! domain) and one policy per category from the customer-care bulletin of
//! 2016 (see the README, "Calendars and service levels").

use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::calendar::{Calendar, Target};
use hotline_domain::call::Category;
use hotline_domain::sla::{AreaKind, DEFAULT_CALENDAR};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use uuid::Uuid;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A seeded policy: name, category, area kind, response, resolution.
type Seed = (&'static str, Category, Option<AreaKind>, Option<Target>, Target);

/// The seeded policies. Outages get a response target of 1 clock hour (the
/// bulletin only sets the 2-hour restoration); the others only a resolution
/// target.
fn default_policies() -> Vec<Seed> {
    use Target::{ClockHours, WorkingDays};
    vec![
        (
            "Khôi phục cấp điện sau sự cố",
            Category::Outage,
            None,
            Some(ClockHours(1)),
            ClockHours(2),
        ),
        (
            "Xử lý nguy cơ mất an toàn điện",
            Category::SafetyHazard,
            None,
            None,
            ClockHours(2),
        ),
        (
            "Cấp điện mới sinh hoạt — thành thị",
            Category::NewSupply,
            Some(AreaKind::Urban),
            None,
            WorkingDays(3),
        ),
        (
            "Cấp điện mới sinh hoạt — nông thôn",
            Category::NewSupply,
            Some(AreaKind::Rural),
            None,
            WorkingDays(5),
        ),
        (
            "Kiểm tra, kiểm định công tơ",
            Category::Metering,
            None,
            None,
            WorkingDays(2),
        ),
        (
            "Giải quyết khiếu nại hoá đơn",
            Category::Billing,
            None,
            None,
            ClockHours(24),
        ),
        (
            "Xử lý chất lượng điện áp",
            Category::VoltageQuality,
            None,
            None,
            WorkingDays(3),
        ),
        (
            "Trả lời phản ánh thái độ nhân viên",
            Category::StaffConduct,
            None,
            None,
            WorkingDays(5),
        ),
        ("Cung cấp thông tin", Category::Information, None, None, WorkingDays(1)),
        ("Yêu cầu khác", Category::Other, None, None, WorkingDays(1)),
    ]
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new("calendars")
            .col(string_len("code", 32).primary_key())
            .col(uuid_uniq("id"))
            .col(text("name"))
            .col(string_len_null("unit_code", 32))
            .col(text("definition"))
            .col(timestamp_with_time_zone("updated_at"))
            .col(big_integer("version"))
            .create(m)
            .await?;

        NewTable::keyed("sla_policies")
            .col(text("name"))
            .col(string_len("category", 32))
            .col(string_len_null("unit_code", 32))
            .col(string_len_null("area_kind", 16))
            .col(date("effective_from"))
            .col(text_null("response"))
            .col(text("resolution"))
            .col(string_len("calendar_code", 32))
            .versioned()
            .index("sla_policies_category_idx", &["category", "effective_from"])
            .create(m)
            .await?;

        let seeded_at: DateTime<Utc> = DateTime::from_timestamp(1_763_769_600, 0).unwrap_or_default();
        let mut calendar = Calendar::default_vietnam();
        calendar.code = DEFAULT_CALENDAR.into();
        m.execute(
            Query::insert()
                .into_table("calendars")
                .columns(["code", "id", "name", "unit_code", "definition", "updated_at", "version"])
                .values_panic([
                    calendar.code.clone().into(),
                    Uuid::now_v7().into(),
                    calendar.name.clone().into(),
                    Option::<String>::None.into(),
                    json(&calendar)?.into(),
                    seeded_at.into(),
                    1i64.into(),
                ])
                .to_owned(),
        )
        .await?;

        let effective_from = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
        let mut insert = Query::insert();
        insert.into_table("sla_policies").columns([
            "id",
            "name",
            "category",
            "unit_code",
            "area_kind",
            "effective_from",
            "response",
            "resolution",
            "calendar_code",
            "created_at",
            "updated_at",
            "version",
        ]);
        for (name, category, area_kind, response, resolution) in default_policies() {
            insert.values_panic([
                Uuid::now_v7().into(),
                name.into(),
                category.as_str().into(),
                Option::<String>::None.into(),
                area_kind.map(|k| k.as_str().to_string()).into(),
                effective_from.into(),
                response.as_ref().map(json).transpose()?.into(),
                json(&resolution)?.into(),
                DEFAULT_CALENDAR.into(),
                seeded_at.into(),
                seeded_at.into(),
                1i64.into(),
            ]);
        }
        m.execute(insert).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["sla_policies", "calendars"]).await
    }
}
