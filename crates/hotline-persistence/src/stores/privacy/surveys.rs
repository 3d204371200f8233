//! Survey responses past the notes retention lose their free-text answers
//! (the scores and yes/no answers the results count stay).

use chrono::{DateTime, Utc};
use hotline_domain::anonymise::Scrub;
use hotline_domain::survey::{Answer, AnswerValue};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait};

use super::scrub::scrub_audit;
use super::sql::oldest;
use crate::entities::survey::response;
use crate::errors::DbResult;

pub async fn strip_text_answers_batch(
    conn: &DatabaseConnection,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: u64,
) -> DbResult<u64> {
    let (txn, rows) = oldest(
        conn,
        response::Entity::find(),
        "notes_removed_at",
        response::Column::RecordedAt,
        before,
        limit,
    )
    .await?;
    for r in &rows {
        let mut scrub = Scrub::new();
        let mut q = Query::update();
        q.table(response::Entity)
            .value(Alias::new("notes_removed_at"), now)
            .and_where(response::Column::Id.eq(r.id));
        if let Ok(mut answers) = serde_json::from_str::<Vec<Answer>>(&r.answers) {
            let mut stripped = false;
            for a in &mut answers {
                if let AnswerValue::Text(t) = &mut a.value {
                    scrub.text(t);
                    stripped |= !t.is_empty();
                    t.clear();
                }
            }
            if stripped {
                q.value(
                    response::Column::Answers,
                    serde_json::to_string(&answers).unwrap_or_default(),
                );
            }
        }
        txn.execute_raw(txn.get_database_backend().build(&q)).await?;
        scrub_audit(&txn, "survey_response", &[r.id], &scrub).await?;
    }
    txn.commit().await?;
    Ok(rows.len() as u64)
}
