//! A call's note is kept compressed (`calls.notes_packed`) when that is
//! shorter, read back as it was written, and a note an older build wrote
//! as text beside a packed one is the one read. Runs on PostgreSQL when
//! `HOTLINE_TEST_DATABASE_URL` names one.

mod common;

use chrono::Utc;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Call;
use hotline_domain::ports::CallStore;
use hotline_persistence::Db;
use sea_orm::{ConnectionTrait, Database};

use common::{agent, inbound_call, temp_db};

const LONG: &str = "Khách báo dây điện từ trụ vào nhà bị chùng, sát mái tôn, sợ chạm điện khi mưa; \
    đã ghi nhận và chuyển đội quản lý vận hành kiểm tra, hẹn gọi lại trong ngày.";

async fn log(db: &Db, notes: &str) -> Call {
    let call = inbound_call(Utc::now(), notes);
    let entry = AuditEntry::derived_creation("call", call.id, &agent(), Utc::now());
    CallStore::create(db, &call, &[], &entry, None).await.expect("stored");
    call
}

/// How many calls `condition` holds for.
async fn count(url: &str, condition: &str) -> i64 {
    common::count(url, "calls", condition).await
}

#[tokio::test]
async fn a_long_note_is_packed_a_short_one_stays_text_and_both_read_back() {
    let t = temp_db(|_| {}).await;
    let long = log(&t.db, LONG).await;
    let short = log(&t.db, "Gọi lại").await;
    assert_eq!(count(&t.url, "notes IS NULL AND notes_packed IS NOT NULL").await, 1);
    assert_eq!(count(&t.url, "notes = 'Gọi lại' AND notes_packed IS NULL").await, 1);
    for call in [&long, &short] {
        let read = CallStore::get(&t.db, call.id).await.expect("read").expect("kept");
        assert_eq!(read.notes, call.notes);
    }
}

#[tokio::test]
async fn a_note_an_older_build_wrote_as_text_is_read_over_the_packed_one() {
    let t = temp_db(|_| {}).await;
    let call = log(&t.db, LONG).await;
    // A replica not yet upgraded edits the note: it knows only `notes`.
    let conn = Database::connect(&t.url).await.expect("connected");
    conn.execute_unprepared("UPDATE calls SET notes = 'Đã có điện lại lúc 9 giờ'")
        .await
        .expect("updated");
    let read = CallStore::get(&t.db, call.id).await.expect("read").expect("kept");
    assert_eq!(read.notes.as_deref(), Some("Đã có điện lại lúc 9 giờ"));
}
