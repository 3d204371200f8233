//! A free-text search of calls or customers reads a bounded window of
//! records per page: a rare phrase gives short or empty pages with a
//! cursor, and following the cursors finds every match, newest first,
//! exactly once. Runs on PostgreSQL when `HOTLINE_TEST_DATABASE_URL`
//! names one.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use hotline_domain::CustomerCode;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{Call, CallFilter, CallerMatch, Direction, NewCall};
use hotline_domain::customer::{Customer, CustomerFilter, CustomerInput};
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::{CallStore, CustomerStore};
use hotline_persistence::Db;
use uuid::Uuid;

use common::{agent, temp_db};

fn minute(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap() + Duration::minutes(n)
}

/// The customer the two oldest calls are tied to.
const CUSTOMER: &str = "PB03020045525";

/// Twelve calls a minute apart, the newest last; those at `matching`
/// mention a leaning pole, and the two oldest are [`CUSTOMER`]'s.
async fn log_calls(db: &Db, matching: &[i64]) -> Vec<Uuid> {
    log_minutes(db, 0..12, matching).await
}

async fn log_minutes(db: &Db, minutes: std::ops::Range<i64>, matching: &[i64]) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for n in minutes {
        let notes = if matching.contains(&n) {
            "Cột điện nghiêng trước nhà"
        } else {
            "Hỏi tiền điện tháng 11"
        };
        let input = NewCall {
            direction: Some(Direction::Inbound),
            caller_number: Some("0912345678".into()),
            started_at: Some(minute(n)),
            notes: Some(notes.into()),
            customer_code: (n < 2).then(|| CUSTOMER.into()),
            queue: Some("outage".into()),
            ..Default::default()
        };
        let call = Call::create(input, &agent(), minute(n)).expect("a valid call");
        let entry = AuditEntry::derived_creation("call", call.id, &agent(), minute(n));
        CallStore::create(db, &call, &[], &entry, None).await.expect("stored");
        ids.push(call.id);
    }
    ids
}

fn search(text: &str) -> CallFilter {
    CallFilter {
        text: Some(text.into()),
        ..CallFilter::default()
    }
}

async fn page(db: &Db, filter: &CallFilter, after: Option<Position>, limit: u64) -> Page<Call> {
    CallStore::list(db, filter, after, limit, false).await.expect("listed")
}

/// Every page `next_page` gives, each after the previous one's cursor,
/// until the cursor runs out: the ids of each page.
async fn pages_of<T, Fut>(next_page: impl Fn(Option<Position>) -> Fut, id: impl Fn(&T) -> Uuid) -> Vec<Vec<Uuid>>
where
    Fut: Future<Output = Page<T>>,
{
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let p = next_page(after).await;
        pages.push(p.items.iter().map(&id).collect());
        match p.next {
            Some(next) => after = Some(next),
            None => return pages,
        }
        assert!(pages.len() < 50, "the cursor never runs out");
    }
}

/// Every page of a call search.
async fn all_pages(db: &Db, filter: &CallFilter, limit: u64) -> Vec<Vec<Uuid>> {
    pages_of(|after| page(db, filter, after, limit), |c: &Call| c.id).await
}

#[tokio::test]
async fn a_rare_phrase_is_found_page_by_page_through_short_pages() {
    let t = temp_db(|c| c.search_window = 5).await;
    let ids = log_calls(&t.db, &[10, 3, 2]).await;
    let pages = all_pages(&t.db, &search("cot dien"), 20).await;
    // The newest five calls hold one match, the next five two, the last
    // two none: each page reads five calls at most.
    assert_eq!(pages, [vec![ids[10]], vec![ids[3], ids[2]], vec![]]);

    // A page holding as many as asked for, with no more in its window,
    // reads on from the window's end; one with more matches than asked for
    // from its last call, as any list.
    let first = page(&t.db, &search("cot dien"), None, 1).await;
    assert_eq!(first.items.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[10]]);
    assert_eq!(first.next.map(|p| p.id), Some(ids[7]));
    let second = page(&t.db, &search("cot dien"), first.next, 1).await;
    assert_eq!(second.items.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[3]]);
    assert_eq!(second.next.map(|p| p.id), Some(ids[3]));
    let pages = all_pages(&t.db, &search("cot dien"), 1).await;
    let found: Vec<Uuid> = pages.into_iter().flatten().collect();
    assert_eq!(found, [ids[10], ids[3], ids[2]]);

    // A phrase no call holds: empty pages, then the end.
    let pages = all_pages(&t.db, &search("xyzzy"), 20).await;
    assert!(pages.iter().all(Vec::is_empty), "{pages:?}");
    assert_eq!(pages.len(), 3);
}

#[tokio::test]
async fn calls_logged_after_a_first_page_are_found_by_the_next_first_page() {
    let t = temp_db(|c| c.search_window = 5).await;
    let ids = log_calls(&t.db, &[10, 3, 2]).await;
    let first = page(&t.db, &search("cot dien"), None, 20).await;
    assert_eq!(first.items.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[10]]);
    // Three newer calls, one of them a match: the first page, whose window
    // end is kept a while, holds it too, and paging on finds the rest.
    let newer = log_minutes(&t.db, 12..15, &[13]).await;
    let pages = all_pages(&t.db, &search("cot dien"), 20).await;
    let found: Vec<Uuid> = pages.into_iter().flatten().collect();
    assert_eq!(found, [newer[1], ids[10], ids[3], ids[2]]);
}

#[tokio::test]
async fn the_window_counts_only_calls_in_the_time_range_and_lists_are_whole() {
    let t = temp_db(|c| c.search_window = 5).await;
    let ids = log_calls(&t.db, &[10, 3, 2, 1]).await;
    // From minute 3: calls 3 to 11, nine of them, read as five then four.
    let mut filter = search("cot dien");
    filter.from = Some(minute(3));
    let pages = all_pages(&t.db, &filter, 20).await;
    assert_eq!(pages, [vec![ids[10]], vec![ids[3]]]);

    // The window counts the calls the other filters leave: a search of one
    // customer's two calls reads them both, past the other ten.
    let mut filter = search("cot dien");
    filter.customer_code = Some(CustomerCode::parse(CUSTOMER).expect("a valid code"));
    let theirs = page(&t.db, &filter, None, 20).await;
    assert_eq!(theirs.items.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[1]]);
    assert_eq!(theirs.next, None);

    // A list without a phrase is not windowed: one page of all twelve.
    let whole = page(&t.db, &CallFilter::default(), None, 20).await;
    assert_eq!(whole.items.len(), 12);
    assert_eq!(whole.next, None);
}

#[tokio::test]
async fn with_the_default_window_a_search_reads_to_the_end_in_one_page() {
    let t = temp_db(|_| {}).await;
    let ids = log_calls(&t.db, &[10, 3, 2]).await;
    let p = page(&t.db, &search("cot dien"), None, 20).await;
    assert_eq!(
        p.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [ids[10], ids[3], ids[2]]
    );
    assert_eq!(p.next, None);
}

/// `count` customers, the one at `n` created at `at(n)`; those at
/// `matching` named Lê Thị Hoa.
async fn add_customers(db: &Db, count: i64, matching: &[i64], at: impl Fn(i64) -> DateTime<Utc>) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for n in 0..count {
        let name = if matching.contains(&n) {
            "Lê Thị Hoa"
        } else {
            "Nguyễn Văn An"
        };
        let input = CustomerInput {
            code: Some(format!("PB0302004{n:04}")),
            name: Some(name.into()),
            ..Default::default()
        };
        let customer = Customer::create(input, at(n)).expect("a valid customer");
        let entry = AuditEntry::new(
            "customer",
            customer.id,
            "create",
            &agent(),
            at(n),
            serde_json::json!({}),
        );
        CustomerStore::create(db, &customer, &entry).await.expect("stored");
        ids.push(customer.id);
    }
    ids
}

/// Every page of a search for Lê Thị Hoa.
async fn customer_pages(db: &Db) -> Vec<Vec<Uuid>> {
    let filter = CustomerFilter {
        text: Some("le thi hoa".into()),
        ..CustomerFilter::default()
    };
    let filter = &filter;
    pages_of(
        |after| async move { CustomerStore::list(db, filter, after, 20).await.expect("listed") },
        |c: &Customer| c.id,
    )
    .await
}

#[tokio::test]
async fn a_customer_search_reads_a_window_of_customers_per_page() {
    // Five customers for each call of the window: 20.
    let t = temp_db(|c| c.search_window = 4).await;
    let ids = add_customers(&t.db, 50, &[48, 1], minute).await;
    // Customers 49 to 30, 29 to 10, then 9 to 0.
    assert_eq!(customer_pages(&t.db).await, [vec![ids[48]], vec![], vec![ids[1]]]);
}

#[tokio::test]
async fn customers_imported_at_one_instant_are_paged_through_by_id() {
    // Five customers for each call of the window: 5.
    let t = temp_db(|c| c.search_window = 1).await;
    // One import: the same instant for all.
    let ids = add_customers(&t.db, 12, &[11, 6, 5, 0], |_| minute(0)).await;
    // Newest first is highest id first among equals.
    let mut expected: Vec<Uuid> = [11, 6, 5, 0].iter().map(|&n| ids[n]).collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    let found: Vec<Uuid> = customer_pages(&t.db).await.into_iter().flatten().collect();
    assert_eq!(found, expected);
}

#[tokio::test]
async fn calls_of_one_instant_are_paged_through_by_id_whatever_the_filter() {
    let t = temp_db(|c| c.search_window = 1_000).await;
    // Nine calls from one number at one instant (a PBX's import), three
    // before them; each list below reads through a different index.
    let mut ids = log_minutes(&t.db, 0..3, &[]).await;
    for _ in 0..9 {
        ids.extend(log_minutes(&t.db, 5..6, &[]).await);
    }
    let mut expected = ids[3..].to_vec();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    expected.extend([ids[2], ids[1], ids[0]]);
    let filters = [
        CallFilter::default(),
        CallFilter {
            caller: Some(CallerMatch::Number("+84912345678".into())),
            ..CallFilter::default()
        },
        CallFilter {
            queue: Some("outage".into()),
            ..CallFilter::default()
        },
    ];
    for filter in &filters {
        for limit in [2, 4] {
            let found: Vec<Uuid> = all_pages(&t.db, filter, limit).await.into_iter().flatten().collect();
            assert_eq!(found, expected, "{filter:?}, {limit} a page");
        }
    }
}
