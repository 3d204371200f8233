//! Who after-contact feedback is credited to, written in the transaction
//! that stores the feedback.

use hotline_domain::survey::FeedbackAttribution;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::entities::survey::attribution;
use crate::errors::DbResult;

/// Keeps the attribution unless the work order has one (the first stays).
pub(crate) async fn attribute(conn: &impl ConnectionTrait, a: &FeedbackAttribution) -> DbResult<()> {
    let row = attribution::ActiveModel {
        work_order_id: Set(a.work_order_id),
        agent: Set(a.agent.clone()),
        team_code: Set(a.team_code.as_ref().map(ToString::to_string)),
        unit_code: Set(a.unit_code.as_ref().map(ToString::to_string)),
    };
    attribution::Entity::insert(row)
        .on_conflict(
            OnConflict::column(attribution::Column::WorkOrderId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
