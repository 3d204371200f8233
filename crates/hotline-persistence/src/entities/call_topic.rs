//! The `call_topics` table: one row per topic of a call.

use hotline_domain::call::Category;
use hotline_domain::call_topic::{CallTopic, Handling};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use crate::errors::DbResult;
use crate::stores::decode;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_topics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub category: String,
    pub asked: Option<String>,
    pub handling: Option<String>,
    pub article_id: Option<Uuid>,
    pub article_version: Option<i32>,
    pub work_order_code: Option<String>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub(crate) fn to_row(call_id: Uuid, t: &CallTopic) -> ActiveModel {
    ActiveModel {
        call_id: Set(call_id),
        position: Set(t.position),
        category: Set(t.category.as_str().into()),
        asked: Set(t.asked.clone()),
        handling: Set(t.handling.map(|h| h.as_str().into())),
        article_id: Set(t.article_id),
        article_version: Set(t.article_version),
        work_order_code: Set(t.work_order_code.clone()),
        note: Set(t.note.clone()),
    }
}

pub(crate) fn to_domain(m: Model) -> DbResult<CallTopic> {
    Ok(CallTopic {
        position: m.position,
        category: decode("category", &m.category, Category::parse)?,
        asked: m.asked,
        handling: m
            .handling
            .map(|h| decode("handling", &h, Handling::parse))
            .transpose()?,
        article_id: m.article_id,
        article_version: m.article_version,
        work_order_code: m.work_order_code,
        note: m.note,
    })
}
