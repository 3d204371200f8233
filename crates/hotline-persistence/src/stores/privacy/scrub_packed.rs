//! Replacing personal texts in the events' compressed data
//! (`events.packed`), which no SQL `REPLACE` reaches: each event of the
//! log (a week by default) is unpacked, scrubbed as text, and packed again
//! where it changed. An erasure is rare and reads the log once, in pages.

use hotline_domain::anonymise::Scrub;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::event::{Column, Entity};
use crate::errors::DbResult;
use crate::packed::{pack, unpack};

/// Events read at a time.
const PAGE: u64 = 2_000;

/// Scrubs every packed event; answers the events changed.
pub async fn scrub_packed_events(txn: &DatabaseTransaction, scrub: &Scrub) -> DbResult<u64> {
    if scrub.is_empty() {
        return Ok(0);
    }
    let mut changed = 0;
    let mut after = i64::MIN;
    loop {
        let page: Vec<(i64, Option<Vec<u8>>)> = Entity::find()
            .select_only()
            .column(Column::Seq)
            .column(Column::Packed)
            .filter(Column::Packed.is_not_null())
            .filter(Column::Seq.gt(after))
            .order_by_asc(Column::Seq)
            .limit(PAGE)
            .into_tuple()
            .all(txn)
            .await?;
        let Some(&(last, _)) = page.last() else {
            return Ok(changed);
        };
        after = last;
        for (seq, packed) in page {
            // One that does not read holds nothing this could find.
            let Some(Ok(text)) = packed.map(|p| unpack(&p)) else {
                continue;
            };
            let scrubbed = scrub.apply(&text);
            if scrubbed == text {
                continue;
            }
            Entity::update_many()
                .col_expr(Column::Packed, Expr::value(pack(&scrubbed)))
                .filter(Column::Seq.eq(seq))
                .exec(txn)
                .await?;
            changed += 1;
        }
    }
}
