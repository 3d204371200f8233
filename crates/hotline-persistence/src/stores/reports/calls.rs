//! The call report. Whole past days the day summary holds exactly come
//! from it ([`super::day_stats`]); of the rest, whole past hours the hour
//! summary holds, then whole past five minutes the five-minute summary
//! holds; what is left (the current five minutes, partial slots, slots
//! with a call changed since they were summarised) from the calls, joined
//! to their bucket by an index range on `started_at`. With no summarised
//! slot in range, one statement folds the calls into a histogram of waits
//! per bucket, group and kind and reads every figure (and the exact 90th
//! percentile) from it; with some, the calls' histograms come back to be
//! added to the summaries' and the figures are read from the sum.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::days::{self, DayPlan, Finer, Grain, SummaryDimension, day_key};
use hotline_domain::report::{CallCounts, CallGroup, CallKind, CallReportQuery, CallTally, Span, WAIT_PERCENTILE};
use sea_orm::DbBackend;

use super::call_days::{CallDays, CallFiveMinutes, CallHours};
use super::day_stats;
use super::day_stats::Summarised;
use super::day_upkeep::{DaySummary, changed_slots};
use super::sql::{self, Sql};
use crate::Db;

fn group_column(g: Option<CallGroup>) -> &'static str {
    match g {
        None => "CAST(NULL AS TEXT)",
        Some(CallGroup::Category) => "c.category",
        Some(CallGroup::Queue) => "c.queue",
        Some(CallGroup::Agent) => "c.agent",
        Some(CallGroup::Area) => "cu.area_code",
        Some(CallGroup::Unit) => "cu.unit_code",
    }
}

/// Whether the query needs the caller's customer (for their unit or area).
fn needs_customer(q: &CallReportQuery) -> bool {
    q.scope.within_units.is_some() || matches!(q.group_by, Some(CallGroup::Area | CallGroup::Unit))
}

/// `f AS (…)`: each inbound call in a stretch of `b` with its stretch `i`,
/// the `columns` asked, its kind `k` (0 ringing, 1 answered, 2 missed, 3
/// abandoned, 4 blocked: see the domain docs), wait `w` and talk `t` in
/// whole seconds (none for a blocked call).
/// The caller adds conditions and closes the parenthesis. The report and
/// the day summary both count through this, so they count alike.
pub(super) fn push_facts(s: &mut Sql, columns: &str, with_customer: bool) {
    let wait_answered = s.seconds("c.answered_at", "c.started_at");
    let wait_hung_up = s.seconds("c.ended_at", "c.started_at");
    let talk = s.seconds("c.ended_at", "c.answered_at");
    let (piece, from) = s.pieces_of("c.started_at", "calls c", "");
    s.push(&format!(
        ", f AS (SELECT {piece} AS i, {columns}, \
         CASE WHEN c.blocked THEN 4 WHEN c.answered_at IS NOT NULL THEN 1 WHEN c.ended_at IS NULL THEN 0 \
              WHEN c.outcome = 'abandoned' THEN 3 ELSE 2 END AS k, \
         CASE WHEN c.blocked THEN NULL WHEN c.answered_at IS NOT NULL THEN {wait_answered} \
              WHEN c.ended_at IS NOT NULL THEN {wait_hung_up} END AS w, \
         CASE WHEN c.blocked THEN NULL WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN {talk} END AS t \
         FROM {from}",
    ));
    if with_customer {
        s.push(" LEFT JOIN customers cu ON cu.code = c.customer_code");
    }
    s.push(" WHERE c.direction = 'inbound'");
    s.within_pieces("c.started_at");
}

fn facts(backend: DbBackend, q: &CallReportQuery, pieces: impl IntoIterator<Item = (i64, Span)>) -> Sql {
    let mut s = Sql::new(backend);
    s.push("WITH ").pieces(pieces);
    push_facts(&mut s, &format!("{} AS g", group_column(q.group_by)), needs_customer(q));
    s.unit_scope(&q.scope, "cu.unit_code", false);
    s.push(")");
    s
}

/// Every figure of the buckets, from the calls alone.
pub(super) fn statement(backend: DbBackend, q: &CallReportQuery) -> sea_orm::Statement {
    let mut s = facts(backend, q, q.spans.iter().enumerate().map(|(i, s)| (i as i64, *s)));
    s.push(
        ", h AS (SELECT i, g, k, w, COUNT(*) AS n, SUM(t) AS ts, COUNT(t) AS tn FROM f GROUP BY i, g, k, w), \
         p AS (SELECT i, g, k, w, n, ts, tn, \
           SUM(CASE WHEN w IS NULL THEN 0 ELSE n END) OVER (PARTITION BY i, g ORDER BY w ROWS UNBOUNDED PRECEDING) AS cum, \
           SUM(CASE WHEN w IS NULL THEN 0 ELSE n END) OVER (PARTITION BY i, g) AS tot FROM h) \
         SELECT CAST(i AS BIGINT) AS i, g, \
           CAST(SUM(CASE WHEN k = 4 THEN 0 ELSE n END) AS BIGINT) AS offered, \
           CAST(SUM(CASE WHEN k = 4 THEN n ELSE 0 END) AS BIGINT) AS blocked, \
           CAST(SUM(CASE WHEN k = 1 THEN n ELSE 0 END) AS BIGINT) AS answered, \
           CAST(SUM(CASE WHEN k = 2 THEN n ELSE 0 END) AS BIGINT) AS missed, \
           CAST(SUM(CASE WHEN k = 3 THEN n ELSE 0 END) AS BIGINT) AS abandoned, \
           CAST(SUM(CASE WHEN w IS NULL THEN 0 ELSE n END) AS BIGINT) AS waits, \
           CAST(SUM(CASE WHEN w IS NULL THEN 0 ELSE w * n END) AS BIGINT) AS wait_sum, ",
    );
    s.push(&format!(
        "CAST(MIN(CASE WHEN w IS NOT NULL AND cum * 100 >= tot * {WAIT_PERCENTILE} THEN w END) AS BIGINT) AS p90, "
    ));
    s.push(
        "CAST(SUM(tn) AS BIGINT) AS talks, CAST(SUM(COALESCE(ts, 0)) AS BIGINT) AS talk_sum, \
         CAST(SUM(CASE WHEN k = 1 AND w <= ",
    );
    s.bind(i64::from(q.service_level_seconds));
    s.push(" THEN n ELSE 0 END) AS BIGINT) AS within FROM p GROUP BY i, g");
    s.statement()
}

/// The calls of `pieces` as histograms per bucket, group, kind and wait.
fn histogram_statement(backend: DbBackend, q: &CallReportQuery, pieces: &[(usize, Span)]) -> sea_orm::Statement {
    let mut s = facts(backend, q, pieces.iter().map(|(i, s)| (*i as i64, *s)));
    s.push(
        " SELECT CAST(i AS BIGINT) AS i, g, CAST(k AS BIGINT) AS k, CAST(w AS BIGINT) AS w, \
           CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(COALESCE(t, 0)) AS BIGINT) AS ts, \
           CAST(COUNT(t) AS BIGINT) AS tn FROM f GROUP BY i, g, k, w",
    );
    s.statement()
}

pub(super) async fn tallies(db: &Db, q: &CallReportQuery) -> Result<Vec<CallTally>, StoreError> {
    if q.spans.is_empty() {
        return Ok(Vec::new());
    }
    let range = Span {
        start: q.spans.iter().map(|s| s.start).min().unwrap_or_default(),
        end: q.spans.iter().map(|s| s.end).max().unwrap_or_default(),
    };
    let [by_day, hours, fives] = summarised(db, range, needs_customer(q)).await?;
    let day_ok = |d| d < q.today && by_day.covers(day_key(d));
    // What no whole summarised day covers (today, a recent day not
    // summarised yet, an hour bucket) may hold whole summarised hours, and
    // what no hour takes, whole summarised five minutes.
    let hour_ok = |k| hours.covers(k);
    let five_ok = |k| fives.covers(k);
    let mut finer: Vec<Finer<'_>> = Vec::new();
    for (grain, held, accepts) in [
        (Grain::Hour, &hours, &hour_ok as &(dyn Fn(i64) -> bool + Sync)),
        (Grain::FiveMinutes, &fives, &five_ok),
    ] {
        if let Some(within) = held.lies_in(grain, range)? {
            finer.push(Finer { grain, within, accepts });
        }
    }
    let plan = days::plan_finer(&q.spans, day_ok, &finer);
    if plan.days.is_empty() && plan.slots.is_empty() {
        return from_calls(db, q).await;
    }
    merged(db, q, &plan).await
}

/// Calls changed since the summaries' upkeep last looked beyond which a
/// report leaves the hour and five-minute summaries aside and counts what
/// they hold from the calls. Looking for the changes in today's slots reads
/// each changed call (about 100 ms per report at 120,000); the day summary's
/// look, for days before today, does not. A real storm's 90 s of writes
/// (its upkeep's tick and grace) hold a few thousand.
pub const FLOOD: u64 = 20_000;

/// Whether more than [`FLOOD`] calls changed after `since`: one short read
/// of the index on `updated_at`. The changes after a moment only grow, so a
/// flood found after `since` is a flood after any earlier moment: the
/// latest such moment is kept and no report reads the index again until the
/// upkeep's watermark passes it. (A call deleted since could make a kept
/// flood an overstatement; the report then counts from the calls, which is
/// slower, never wrong.)
async fn flooded(db: &Db, since: DateTime<Utc>) -> StoreResult<bool> {
    let at = since.timestamp_micros();
    if at <= db.flood_seen.load(Ordering::Relaxed) {
        return Ok(true);
    }
    let mut s = Sql::new(db.conn.get_database_backend());
    s.push("SELECT COUNT(*) AS n FROM (SELECT 1 FROM calls c WHERE c.updated_at > ")
        .time(since)
        .push(&format!(" LIMIT {}) x", FLOOD + 1));
    let rows = sql::rows(db, s.statement()).await?;
    let flood = match rows.first() {
        Some(r) => sql::count(r, "n")? > FLOOD,
        None => false,
    };
    if flood {
        db.flood_seen.fetch_max(at, Ordering::Relaxed);
    }
    Ok(flood)
}

/// The call summaries by day, hour and five minutes, each with the slots of
/// `range` it holds exactly. Their states are read at once, then the calls
/// (and, when `wide`, customers) changed since the earliest of their
/// watermarks are looked for once, by five minutes: each such slot lies in
/// one hour and one day, all of which are stale. Under a [`FLOOD`] of
/// changes the hour and five-minute summaries are left aside.
async fn summarised(db: &Db, range: Span, wide: bool) -> StoreResult<[Summarised; 3]> {
    let (days, mut hours, mut fives) = tokio::try_join!(
        day_stats::held::<CallDays>(db),
        day_stats::held::<CallHours>(db),
        day_stats::held::<CallFiveMinutes>(db),
    )?;
    let finer_since = [&hours, &fives].into_iter().flatten().map(|(_, since)| *since).min();
    if let Some(since) = finer_since
        && flooded(db, since).await?
    {
        (hours, fives) = (None, None);
    }
    let mut held = [(Grain::Day, days), (Grain::Hour, hours), (Grain::FiveMinutes, fives)];
    let mut look: Option<(DateTime<Utc>, Span)> = None;
    for (grain, h) in &held {
        let Some((summarised, since)) = h else { continue };
        let Some(span) = summarised.lies_in(*grain, range)? else {
            continue;
        };
        look = Some(match look {
            None => (*since, span),
            Some((s, l)) => (s.min(*since), l.hull(span)),
        });
    }
    if let Some((since, span)) = look {
        let stmt = CallFiveMinutes::changed_days_statement(
            db.conn.get_database_backend(),
            since,
            Some(span.start),
            span.end,
            wide,
        );
        for five in changed_slots(Grain::FiveMinutes, &sql::rows(db, stmt).await?)? {
            let Some(at) = Grain::FiveMinutes.span(five) else {
                continue;
            };
            for (grain, h) in held.iter_mut() {
                if let Some((summarised, _)) = h {
                    summarised.stale.insert(grain.key_of(at.start));
                }
            }
        }
    }
    Ok(held.map(|(_, h)| h.map(|(summarised, _)| summarised).unwrap_or_default()))
}

async fn from_calls(db: &Db, q: &CallReportQuery) -> Result<Vec<CallTally>, StoreError> {
    let stmt = statement(db.conn.get_database_backend(), q);
    let rows = sql::rows(db, stmt).await?;
    rows.iter()
        .map(|r| {
            Ok(CallTally {
                bucket: sql::bucket(r)?,
                group: sql::text(r, "g")?,
                offered: sql::count(r, "offered")?,
                answered: sql::count(r, "answered")?,
                missed: sql::count(r, "missed")?,
                abandoned: sql::count(r, "abandoned")?,
                blocked: sql::count(r, "blocked")?,
                waits: sql::count(r, "waits")?,
                wait_seconds_sum: sql::int(r, "wait_sum")?,
                p90_wait_seconds: sql::opt_int(r, "p90")?,
                talks: sql::count(r, "talks")?,
                talk_seconds_sum: sql::int(r, "talk_sum")?,
                answered_within_threshold: sql::count(r, "within")?,
            })
        })
        .collect()
}

/// Summarised days and hours and the calls of the rest, added up per
/// bucket and group.
async fn merged(db: &Db, q: &CallReportQuery, plan: &DayPlan) -> Result<Vec<CallTally>, StoreError> {
    let mut sums: HashMap<(usize, Option<String>), CallCounts> = HashMap::new();
    let dimension = SummaryDimension::for_group(q.group_by);
    let by_unit = q.group_by == Some(CallGroup::Unit);
    let raw = async {
        if plan.raw.is_empty() {
            return Ok(Vec::new());
        }
        let stmt = histogram_statement(db.conn.get_database_backend(), q, &plan.raw);
        Ok(sql::rows(db, stmt).await?)
    };
    let day_keys = plan.day_keys();
    let hour_keys = plan.slots_of(Grain::Hour);
    let five_keys = plan.slots_of(Grain::FiveMinutes);
    let (rows, days, hours, fives) = tokio::try_join!(
        raw,
        day_stats::read(db, Grain::Day, &day_keys, dimension, by_unit, &q.scope),
        day_stats::read(db, Grain::Hour, &hour_keys, dimension, by_unit, &q.scope),
        day_stats::read(db, Grain::FiveMinutes, &five_keys, dimension, by_unit, &q.scope),
    )?;
    for r in rows {
        let k = sql::int(&r, "k")?;
        let kind = CallKind::from_code(k).ok_or_else(|| StoreError::Other(format!("call kind {k}")))?;
        sums.entry((sql::bucket(&r)?, sql::text(&r, "g")?)).or_default().add(
            kind,
            sql::opt_int(&r, "w")?,
            sql::count(&r, "n")?,
            sql::count(&r, "tn")?,
            sql::int(&r, "ts")?,
        );
    }
    for (keys, read) in [(&day_keys, days), (&hour_keys, hours), (&five_keys, fives)] {
        let bucket_of: HashMap<i64, usize> = keys.iter().map(|(i, k)| (*k, *i)).collect();
        for (key, group, counts) in read {
            if let Some(i) = bucket_of.get(&key) {
                sums.entry((*i, group)).or_default().merge(&counts);
            }
        }
    }
    Ok(sums
        .into_iter()
        .map(|((i, g), c)| c.tally(i, g, q.service_level_seconds, WAIT_PERCENTILE))
        .collect())
}
