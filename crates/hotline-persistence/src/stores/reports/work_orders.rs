//! The work-order report. Whole past days the summary holds exactly come
//! from it ([`super::work_order_days`]); the rest (today, partial days, hour
//! buckets, and past days with a work order changed since the summary was
//! computed) from the work orders, each fact over an index range on its
//! instant (opened by `created_at`, resolved by `resolved_at`,
//! acknowledged by `acknowledged_at`, cancelled by `updated_at`, feedback
//! by `given_at`). Both come as counts that add up, the times to resolve
//! as histograms, so the median of a bucket is exact however it is made up.

use std::collections::HashMap;

use hotline_domain::StoreError;
use hotline_domain::report::days::{self, day_key};
use hotline_domain::report::{Span, WorkOrderCounts, WorkOrderGroup, WorkOrderReportQuery, WorkOrderTallies};
use hotline_domain::work_order::Status;

use super::day_stats;
use super::sql::{self, Sql};
use super::work_order_days::{self, WorkOrderDays, fact};
use crate::Db;
use crate::errors::DbResult;

fn group_column(g: Option<WorkOrderGroup>) -> &'static str {
    match g {
        None => "CAST(NULL AS TEXT)",
        Some(WorkOrderGroup::Category) => "w.category",
        Some(WorkOrderGroup::Unit) => "w.unit_code",
        Some(WorkOrderGroup::Team) => "w.team_code",
        Some(WorkOrderGroup::Area) => "w.area_code",
    }
}

fn open_statuses() -> Vec<&'static str> {
    Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect()
}

pub(super) async fn tallies(db: &Db, q: &WorkOrderReportQuery) -> Result<WorkOrderTallies, StoreError> {
    let Some(from) = q.from() else {
        return Ok(WorkOrderTallies::default());
    };
    let range = Span {
        start: from,
        end: q.spans.iter().map(|s| s.end).max().unwrap_or(from),
    };
    let summarised = day_stats::summarised::<WorkOrderDays>(db, range, false).await?;
    let plan = days::plan(&q.spans, |d| d < q.today && summarised.covers(day_key(d)));
    let day_keys = plan.day_keys();
    let raw: Vec<(i64, Span)> = plan.raw.iter().map(|(i, s)| (*i as i64, *s)).collect();
    let from_rows = async {
        if raw.is_empty() {
            return Ok(Vec::new());
        }
        let g = format!("{} AS g", group_column(q.group_by));
        work_order_days::facts(db, &raw, &[&g], &q.scope).await
    };
    let (rows, summary, open_at_start) = tokio::try_join!(
        from_rows,
        async { Ok(work_order_days::read(db, &day_keys, q.group_by, &q.scope).await?) },
        backlog_at(db, q, from),
    )?;
    let mut sums: HashMap<(usize, Option<String>), WorkOrderCounts> = HashMap::new();
    for r in &rows {
        let (fact, n) = fact(r)?;
        sums.entry((sql::bucket(r)?, sql::text(r, "g")?))
            .or_default()
            .add(fact, n);
    }
    let bucket_of: HashMap<i64, usize> = day_keys.iter().map(|(i, k)| (*k, *i)).collect();
    work_order_days::add_read(&summary, &bucket_of, &mut sums)?;
    Ok(WorkOrderTallies {
        rows: sums.into_iter().map(|((i, g), c)| c.tally(i, g)).collect(),
        open_at_start,
    })
}

/// The backlog at `from`: opened before it and either still open now, or
/// resolved or cancelled since. Three small index reads instead of a scan
/// of every work order ever opened.
async fn backlog_at(
    db: &Db,
    q: &WorkOrderReportQuery,
    from: chrono::DateTime<chrono::Utc>,
) -> DbResult<Vec<(Option<String>, u64)>> {
    // Grouped by an expression, not the bare column: on the bare column
    // SQLite walks the (team|unit|area, created_at) index for its order and
    // reads every work order opened before `from` (a second a part at
    // 200,000 work orders) instead of the status and resolution ranges.
    let g = match q.group_by {
        None => group_column(None).to_string(),
        Some(_) => format!("({} || '')", group_column(q.group_by)),
    };
    let mut s = Sql::new(db.conn.get_database_backend());
    let parts: [(&str, bool); 3] = [
        ("w.status IN ", true),
        ("w.resolved_at >= ", false),
        ("w.status = 'cancelled' AND w.updated_at >= ", false),
    ];
    s.push("SELECT g, CAST(SUM(n) AS BIGINT) AS n FROM (");
    for (i, (cond, is_list)) in parts.iter().enumerate() {
        if i > 0 {
            s.push(" UNION ALL ");
        }
        s.push(&format!(
            "SELECT {g} AS g, COUNT(*) AS n FROM work_orders w WHERE {cond}"
        ));
        if *is_list {
            s.list(open_statuses());
        } else {
            s.time(from);
        }
        s.push(" AND w.created_at < ").time(from);
        s.unit_scope(&q.scope, "w.unit_code", true);
        s.hidden_categories(&q.scope, "w.category");
        s.push(" GROUP BY 1");
    }
    s.push(") x GROUP BY g");
    sql::rows(db, s.statement())
        .await?
        .iter()
        .map(|r| Ok((sql::text(r, "g")?, sql::count(r, "n")?)))
        .collect()
}
