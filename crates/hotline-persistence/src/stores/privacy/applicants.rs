//! New-supply applications finished (energised or cancelled) longer ago
//! than the calls retention: the applicant's name, e-mail, address and ID
//! number go, the phone becomes its pseudonym, the e-mail text goes. The
//! application's stage, steps, type and deadline (what the reports count)
//! stay.

use chrono::{DateTime, Utc};
use hotline_domain::anonymise::{ERASED, Pseudonymiser, Scrub};
use hotline_domain::new_supply::Applicant;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::scrub::scrub_audit;
use super::sql::oldest;
use crate::entities::new_supply as row;
use crate::errors::DbResult;

/// Adds an applicant's name, e-mail, address and ID number to `scrub`, and
/// their phone under its pseudonym; the pseudonym, if they gave a phone.
pub(super) fn scrub_applicant(who: &Applicant, with: &Pseudonymiser, scrub: &mut Scrub) -> Option<String> {
    let texts = [
        Some(&who.name),
        who.email.as_ref(),
        who.address.as_ref(),
        who.national_id.as_ref(),
    ];
    for t in texts.into_iter().flatten() {
        scrub.text(t);
    }
    who.phone.as_ref().map(|p| {
        let pseudonym = with.of(p);
        scrub.number(p, &pseudonym);
        pseudonym
    })
}

/// Stages after which nothing more happens to an application.
const FINISHED: [&str; 2] = ["energised", "cancelled"];

pub async fn anonymise_batch(
    conn: &DatabaseConnection,
    before: DateTime<Utc>,
    with: &Pseudonymiser,
    now: DateTime<Utc>,
    limit: u64,
) -> DbResult<u64> {
    let finished = row::Entity::find().filter(row::Column::Stage.is_in(FINISHED));
    let (txn, rows) = oldest(conn, finished, "anonymised_at", row::Column::UpdatedAt, before, limit).await?;
    for a in &rows {
        let mut scrub = Scrub::new();
        let mut q = Query::update();
        q.table(row::Entity)
            .value(row::Column::Message, Expr::value(Option::<String>::None))
            .value(row::Column::SearchText, "")
            .value(row::Column::Version, Expr::col(row::Column::Version).add(1))
            .value(Alias::new("anonymised_at"), now)
            .and_where(row::Column::WorkOrderId.eq(a.work_order_id));
        if let Some(m) = &a.message {
            scrub.text(m);
        }
        if let Ok(mut who) = serde_json::from_str::<Applicant>(&a.applicant) {
            if let Some(pseudonym) = scrub_applicant(&who, with, &mut scrub) {
                who.phone = Some(pseudonym);
            }
            who.name = ERASED.into();
            who.email = None;
            who.address = None;
            who.national_id = None;
            q.value(row::Column::Applicant, serde_json::to_string(&who).unwrap_or_default());
        }
        txn.execute_raw(txn.get_database_backend().build(&q)).await?;
        scrub_audit(&txn, "work_order", &[a.work_order_id], &scrub).await?;
    }
    txn.commit().await?;
    Ok(rows.len() as u64)
}
