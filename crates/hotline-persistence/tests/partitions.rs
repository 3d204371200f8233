//! Calls and events by month: on PostgreSQL both tables are partitioned by
//! local month, the months to come are made ahead, a row of a month with
//! no partition is kept (in the default partition) until the upkeep gives
//! its month one, old events go by whole months, and the migration carries
//! every row across both ways. On SQLite, which has no partitions, the same
//! calls and events are kept and pruned alike. Runs on PostgreSQL when
//! `HOTLINE_TEST_DATABASE_URL` names one.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Call;
use hotline_domain::ports::{CallStore, OutboxStore, PartitionStore};
use hotline_persistence::Db;
use hotline_persistence::migration::Migrator;
use hotline_persistence::partitions::{self, CALLS, EVENTS, MONTHS_AHEAD, Month};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;
use uuid::Uuid;

use common::{TempDb, agent, temp_db};

async fn log_call(db: &Db, started: DateTime<Utc>, notes: &str) -> Call {
    let call = common::inbound_call(started, notes);
    let entry = AuditEntry::derived_creation("call", call.id, &agent(), started);
    CallStore::create(db, &call, &[], &entry, None).await.expect("stored");
    call
}

async fn count(conn: &DatabaseConnection, sql: &str) -> i64 {
    let backend = conn.get_database_backend();
    conn.query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .expect("counted")
        .expect("a row")
        .try_get::<i64>("", "n")
        .expect("a number")
}

/// The partition of `table` a row with key `id` lies in (PostgreSQL).
async fn partition_of(conn: &DatabaseConnection, table: &str, key: &str, id: &str) -> String {
    let sql = format!("SELECT tableoid::regclass::text AS p FROM {table} WHERE {key} = {id}");
    conn.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect("read")
        .expect("a row")
        .try_get("", "p")
        .expect("a name")
}

async fn write_event(conn: &DatabaseConnection, at: DateTime<Utc>) {
    let backend = conn.get_database_backend();
    let marks = if backend == DbBackend::Postgres {
        "$1, $2, $3"
    } else {
        "?, ?, ?"
    };
    let sql = format!(
        "INSERT INTO events (id, event_type, subject_id, payload, created_at) \
         VALUES ({marks}, '{{\"data\":{{}},\"restricted\":false}}', '{}')",
        at.to_rfc3339()
    );
    let values = [Uuid::now_v7().into(), "call.created".into(), Uuid::now_v7().into()];
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .expect("event written");
}

/// A migrated database, a connection of the test's own to it, and
/// whether it is PostgreSQL.
async fn fresh() -> (TempDb, DatabaseConnection, bool) {
    let t = temp_db(|_| {}).await;
    let conn = sea_orm::Database::connect(t.url.as_str()).await.expect("connect");
    let postgres = conn.get_database_backend() == DbBackend::Postgres;
    (t, conn, postgres)
}

#[tokio::test]
async fn the_months_to_come_have_their_partitions() {
    let (t, conn, postgres) = fresh().await;
    for table in [CALLS.table, EVENTS.table] {
        assert_eq!(partitions::is_partitioned(&conn, table).await.expect("asked"), postgres);
        let have = partitions::months(&conn, table).await.expect("listed");
        let this = Month::of(Utc::now());
        for m in this.through(this.after(MONTHS_AHEAD)) {
            assert_eq!(have.contains(&m), postgres, "{table} {m:?} in {have:?}");
        }
    }
    // Made already: the upkeep finds nothing to do.
    assert_eq!(
        PartitionStore::keep_partitions(&t.db, Utc::now()).await.expect("kept"),
        0
    );
    // A month later, the next month ahead is made, for each table.
    let later = Utc::now() + Duration::days(31);
    let made = PartitionStore::keep_partitions(&t.db, later).await.expect("kept");
    assert_eq!(made, if postgres { 2 } else { 0 });
    if postgres {
        // Each month has every index of its table.
        let per_month = count(
            &conn,
            &format!(
                "SELECT COUNT(*) AS n FROM pg_indexes WHERE tablename = '{}'",
                Month::of(later).after(MONTHS_AHEAD).partition("calls")
            ),
        )
        .await;
        let parent = count(&conn, "SELECT COUNT(*) AS n FROM pg_indexes WHERE tablename = 'calls'").await;
        assert!(parent >= 10 && per_month == parent, "{per_month} of {parent}");
    }
}

#[tokio::test]
async fn a_call_of_a_month_without_a_partition_is_kept_and_then_moved_to_its_own() {
    let (t, conn, postgres) = fresh().await;
    // Local midnight of 1 March 2020 is still February in UTC.
    let first_of_march = Utc.with_ymd_and_hms(2020, 2, 29, 17, 0, 0).unwrap();
    let march = log_call(&t.db, first_of_march, "Mất điện cả xóm, gọi lại từ tổng đài cũ").await;
    let february = log_call(&t.db, first_of_march - Duration::seconds(1), "Hỏi hoá đơn").await;
    let recent = log_call(&t.db, Utc::now(), "Điện chập chờn").await;
    if postgres {
        let key = |c: &Call| format!("'{}'", c.id);
        assert_eq!(partition_of(&conn, "calls", "id", &key(&march)).await, "calls_default");
        assert_eq!(
            partition_of(&conn, "calls", "id", &key(&recent)).await,
            Month::of(Utc::now()).partition("calls")
        );
        let made = PartitionStore::keep_partitions(&t.db, Utc::now()).await.expect("kept");
        // February and March 2020, of calls and of the events the calls
        // wrote when they were logged.
        assert_eq!(made, 4);
        assert_eq!(partition_of(&conn, "calls", "id", &key(&march)).await, "calls_p2020_03");
        assert_eq!(
            partition_of(&conn, "calls", "id", &key(&february)).await,
            "calls_p2020_02"
        );
        assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM calls_default").await, 0);
    } else {
        assert_eq!(
            PartitionStore::keep_partitions(&t.db, Utc::now()).await.expect("kept"),
            0
        );
    }
    // Every call is read back as it was logged, wherever it lies.
    for call in [&march, &february, &recent] {
        let read = CallStore::get(&t.db, call.id).await.expect("read").expect("kept");
        assert_eq!(read.started_at, call.started_at);
        assert_eq!(read.notes, call.notes);
    }
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM calls").await, 3);
}

#[tokio::test]
async fn old_events_go_by_whole_months_and_the_rest_row_by_row() {
    let (t, conn, postgres) = fresh().await;
    let now = Utc::now();
    let old = Month::of(now - Duration::days(100));
    for at in [
        old.start(),
        old.start() + Duration::days(3),
        now - Duration::days(45),
        now - Duration::days(9),
        now - Duration::days(1),
        now,
    ] {
        write_event(&conn, at).await;
    }
    PartitionStore::keep_partitions(&t.db, now).await.expect("kept");
    if postgres {
        assert!(
            partitions::months(&conn, "events")
                .await
                .expect("listed")
                .contains(&old)
        );
    }
    // A week kept: three go, one of them with the whole month before last.
    let gone = OutboxStore::prune(&t.db, now - Duration::days(7))
        .await
        .expect("pruned");
    assert_eq!(gone, 4);
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM events").await, 2);
    if postgres {
        let left = partitions::months(&conn, "events").await.expect("listed");
        assert!(!left.contains(&old), "{left:?}");
        assert!(left.contains(&Month::of(now)), "{left:?}");
    }
    // Nothing more to prune.
    assert_eq!(
        OutboxStore::prune(&t.db, now - Duration::days(7))
            .await
            .expect("pruned"),
        0
    );
}

/// A note long enough to be kept packed.
const LONG_NOTE: &str = "Xin cấp điện mới cho nhà xây ở ấp 3, xã Tân Phú; đã hướng dẫn nộp hồ sơ trực tuyến, \
    khách hỏi thời gian lắp công tơ và sẽ gửi giấy tờ nhà đất trong tuần.";

#[tokio::test]
async fn the_migration_carries_every_row_across_both_ways() {
    let (t, conn, postgres) = fresh().await;
    let long_ago = Utc.with_ymd_and_hms(2021, 6, 15, 3, 0, 0).unwrap();
    let calls = [
        log_call(&t.db, long_ago, LONG_NOTE).await,
        log_call(&t.db, Utc::now(), "Báo mất điện").await,
    ];
    // The long note is kept packed (migration 000047), the short one as text.
    let packed_notes = "SELECT COUNT(*) AS n FROM calls WHERE notes_packed IS NOT NULL AND notes IS NULL";
    assert_eq!(count(&conn, packed_notes).await, 1);
    assert_eq!(
        count(&conn, "SELECT COUNT(*) AS n FROM calls WHERE notes = 'Báo mất điện'").await,
        1
    );
    write_event(&conn, long_ago).await;
    write_event(&conn, Utc::now()).await;
    let last_seq = count(&conn, "SELECT MAX(seq) AS n FROM events").await;
    // Each call wrote its event too, its data packed (migration 000043).
    let events = count(&conn, "SELECT COUNT(*) AS n FROM events").await;
    assert_eq!(events, 4);
    let packed = "SELECT COUNT(*) AS n FROM events WHERE packed IS NOT NULL AND payload = ''";
    assert_eq!(count(&conn, packed).await, 2);

    // Down to before the partitions' migration, whatever came after it.
    let steps = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261209_000039_monthly_partitions")
        .expect("the partitions' migration")
        + 1;
    Migrator::down(&conn, Some(steps as u32)).await.expect("migrated down");
    for table in [CALLS.table, EVENTS.table] {
        assert!(!partitions::is_partitioned(&conn, table).await.expect("asked"));
    }
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM calls").await, 2);
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM events").await, events);
    // The way down past 000047 wrote the packed note back as text.
    let as_text = format!("SELECT COUNT(*) AS n FROM calls WHERE notes = '{LONG_NOTE}'");
    assert_eq!(count(&conn, &as_text).await, 1);
    // The way down past 000043 wrote each packed event's data back as text.
    for call in &calls {
        let holding = format!(
            "SELECT COUNT(*) AS n FROM events WHERE payload LIKE '%\"id\":\"{}\"%'",
            call.id
        );
        assert_eq!(count(&conn, &holding).await, 1, "{holding}");
    }
    if postgres {
        let unique_id =
            "SELECT COUNT(*) AS n FROM pg_indexes WHERE tablename = 'events' AND indexname = 'events_id_key'";
        assert_eq!(
            count(&conn, unique_id).await,
            1,
            "the way down makes the id's index again"
        );
    }

    Migrator::up(&conn, None).await.expect("migrated up");
    for table in [CALLS.table, EVENTS.table] {
        assert_eq!(partitions::is_partitioned(&conn, table).await.expect("asked"), postgres);
    }
    if postgres {
        // The oldest row's month was made for it, and not every month
        // between it and now.
        assert_eq!(
            partition_of(&conn, "calls", "id", &format!("'{}'", calls[0].id)).await,
            "calls_p2021_06"
        );
        let months = partitions::months(&conn, "calls").await.expect("listed");
        assert!(!months.contains(&Month::new(2021, 7).unwrap()), "{months:?}");
        assert_eq!(months.len() as u32, 1 + MONTHS_AHEAD + 1, "{months:?}");
        assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM calls_default").await, 0);
        // No index on the event's id (nothing reads one), on the log or on
        // any of its months; the way down made it again.
        let id_indexes =
            "SELECT COUNT(*) AS n FROM pg_indexes WHERE tablename LIKE 'events%' AND indexdef LIKE '%(id%'";
        assert_eq!(count(&conn, id_indexes).await, 0);
    }
    for call in &calls {
        let read = CallStore::get(&t.db, call.id).await.expect("read").expect("kept");
        assert_eq!(read.notes, call.notes);
    }
    // Events kept as text read as packed ones do.
    common::settled("the calls' events, read back", async || {
        let read = OutboxStore::read_after(&t.db, None, 10).await.expect("read");
        let about: Vec<String> = read.iter().map(|e| e.event.payload["id"].to_string()).collect();
        calls
            .iter()
            .all(|call| about.contains(&format!("\"{}\"", call.id)))
            .then_some(())
    })
    .await;
    // The event numbers go on from where they were.
    write_event(&conn, Utc::now()).await;
    assert!(count(&conn, "SELECT MAX(seq) AS n FROM events").await > last_seq);
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM events").await, events + 1);
    // A call with the id of one kept is refused, as before.
    let twin = Call {
        notes: Some("bản sao".into()),
        ..calls[1].clone()
    };
    let entry = AuditEntry::derived_creation("call", twin.id, &agent(), Utc::now());
    assert!(CallStore::create(&t.db, &twin, &[], &entry, None).await.is_err());
}

#[tokio::test]
async fn a_list_pages_across_months_newest_first_each_call_once() {
    let t = temp_db(|_| {}).await;
    let now = Utc::now();
    // Three calls this week and three a season ago (in months a first try
    // at a page, over the recent weeks, does not read).
    let mut logged = Vec::new();
    for days in [1, 2, 3, 100, 101, 102] {
        logged.push(log_call(&t.db, now - Duration::days(days), "Cúp điện").await.id);
    }
    let filter = hotline_domain::call::CallFilter::default();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = CallStore::list(&t.db, &filter, after, 2, false).await.expect("listed");
        assert!(page.items.len() == 2 || page.next.is_none(), "{page:?}");
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, logged, "newest first, every call once");
}
