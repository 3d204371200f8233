//! Reading the responses a page at a time, one by id, and deleting a
//! draft campaign.

use hotline_domain::audit::AuditEntry;
use hotline_domain::survey::{CampaignStatus, Response};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use uuid::Uuid;

use super::audit;
use super::rows::response_of;
use crate::entities::survey::{campaign, response};
use crate::errors::DbResult;

pub(super) async fn responses_page(
    conn: &DatabaseConnection,
    campaign_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> DbResult<Vec<Response>> {
    let mut q = response::Entity::find().filter(response::Column::CampaignId.eq(campaign_id));
    if let Some(a) = after {
        q = q.filter(response::Column::Id.gt(a));
    }
    q.order_by_asc(response::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?
        .into_iter()
        .map(response_of)
        .collect()
}

pub(super) async fn get_response(conn: &DatabaseConnection, id: Uuid) -> DbResult<Option<Response>> {
    response::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(response_of)
        .transpose()
}

/// Deletes the campaign if it is still a draft at `expected`, with its
/// audit entry; false (nothing written) otherwise.
pub(super) async fn delete_draft(
    conn: &DatabaseConnection,
    id: Uuid,
    expected: i64,
    entry: &AuditEntry,
) -> DbResult<bool> {
    let txn = conn.begin().await?;
    let done = campaign::Entity::delete_many()
        .filter(campaign::Column::Id.eq(id))
        .filter(campaign::Column::Version.eq(expected))
        .filter(campaign::Column::Status.eq(CampaignStatus::Draft.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(true)
}

/// A customer's responses, newest first, at most `limit` (and one more, to
/// tell there are more).
pub(super) async fn responses_of_customer(
    conn: &DatabaseConnection,
    customer_code: &str,
    limit: u64,
) -> DbResult<Vec<Response>> {
    response::Entity::find()
        .filter(response::Column::CustomerCode.eq(customer_code))
        .order_by_desc(response::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?
        .into_iter()
        .map(response_of)
        .collect()
}
