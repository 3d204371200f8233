use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::principal::{Principal, PrincipalKind};
use crate::role::Role;

fn who(name: &str, role: Role) -> Principal {
    Principal {
        id: Uuid::nil(),
        name: name.into(),
        role,
        kind: PrincipalKind::User,
        unit_code: None,
        team_code: None,
        language: None,
    }
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, 8, 0, 0).unwrap()
}

fn draft(title: &str, body: &str, keywords: &[&str]) -> ArticleDraft {
    ArticleDraft {
        title: Some(title.into()),
        body: Some(body.into()),
        category: Some(Category::Billing),
        keywords: Some(keywords.iter().map(|k| k.to_string()).collect()),
        ..ArticleDraft::default()
    }
}

fn fields(e: DomainError) -> Vec<String> {
    match e {
        DomainError::Validation(list) => list.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn the_first_version_is_a_draft_in_nfc_with_its_keywords_once() {
    let decomposed = "Ho\u{301}a đơn tiê\u{300}n điê\u{323}n";
    let (a, v) = Article::create(
        None,
        draft(decomposed, "Cách tính", &["bậc thang", "Bậc Thang", " "]),
        "user:lan",
        at(1),
    )
    .unwrap();
    assert_eq!(v.title, "Hóa đơn tiền điện");
    assert_eq!(v.keywords, vec!["bậc thang"]);
    assert_eq!((v.number, v.status, a.latest), (1, ArticleStatus::Draft, 1));
    assert_eq!(v.effective_from, at(1));
}

#[test]
fn a_first_version_needs_title_body_and_category_within_their_limits() {
    let e = Article::create(None, ArticleDraft::default(), "user:lan", at(1)).unwrap_err();
    assert_eq!(fields(e), vec!["title", "body", "category"]);
    let mut long = draft(&"a".repeat(MAX_TITLE + 1), &"b".repeat(MAX_BODY + 1), &[]);
    long.effective_from = Some(at(5));
    long.effective_to = Some(Some(at(4)));
    let e = Article::create(None, long, "user:lan", at(1)).unwrap_err();
    assert_eq!(fields(e), vec!["title", "body", "effective_to"]);
}

#[test]
fn a_revision_keeps_what_it_does_not_change_and_is_a_new_draft() {
    let (a, v1) = Article::create(
        None,
        draft("Đóng điện lại", "Sau khi thanh toán", &["nợ"]),
        "user:lan",
        at(1),
    )
    .unwrap();
    let change = ArticleDraft {
        body: Some("Trong 24 giờ sau khi thanh toán".into()),
        ..ArticleDraft::default()
    };
    let (a2, v2) = a.revise(&v1, change, "user:minh", at(2)).unwrap();
    assert_eq!(
        (v2.number, v2.status, a2.latest, a2.version),
        (2, ArticleStatus::Draft, 2, 2)
    );
    assert_eq!(v2.title, v1.title);
    assert_eq!(v2.keywords, v1.keywords);
    assert_eq!(v2.author, "user:minh");
}

#[test]
fn a_version_goes_to_review_and_is_approved_by_another_supervisor() {
    let (_, v) = Article::create(None, draft("Kênh thanh toán", "Ngân hàng, ví", &[]), "user:lan", at(1)).unwrap();
    let lan = who("lan", Role::Supervisor);
    let reviewed = v.moved(Transition::Submit, &lan, at(2)).unwrap();
    assert_eq!(reviewed.status, ArticleStatus::InReview);
    match reviewed.moved(Transition::Approve, &lan, at(2)) {
        Err(DomainError::Forbidden(m)) => assert!(m.contains("author"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        reviewed.moved(Transition::Approve, &who("an", Role::Agent), at(2)),
        Err(DomainError::Forbidden(_))
    ));
    let approved = reviewed
        .moved(Transition::Approve, &who("minh", Role::Supervisor), at(3))
        .unwrap();
    assert_eq!(approved.approved_by.as_deref(), Some("user:minh"));
    assert!(approved.in_force(at(3)));
    assert!(matches!(
        approved.moved(Transition::Submit, &lan, at(3)),
        Err(DomainError::Conflict(_))
    ));
    let retired = approved.moved(Transition::Retire, &lan, at(4)).unwrap();
    assert!(!retired.in_force(at(4)));
}

#[test]
fn in_force_only_within_the_effective_window() {
    let mut d = draft("Giá điện", "Biểu giá", &[]);
    d.effective_from = Some(at(10));
    d.effective_to = Some(Some(at(20)));
    let (_, mut v) = Article::create(None, d, "user:lan", at(1)).unwrap();
    v.status = ArticleStatus::Approved;
    assert!(!v.in_force(at(9)));
    assert!(v.in_force(at(10)));
    assert!(!v.in_force(at(20)));
}

#[test]
fn search_without_diacritics_ranks_title_and_keywords_before_body() {
    let (_, title_hit) =
        Article::create(None, draft("Hóa đơn tiền điện", "Cách tính", &[]), "user:lan", at(1)).unwrap();
    let (_, keyword_hit) = Article::create(None, draft("Bậc thang", "Giá", &["hóa đơn"]), "user:lan", at(1)).unwrap();
    let (_, body_hit) =
        Article::create(None, draft("Thanh toán", "Mang theo hóa đơn", &[]), "user:lan", at(1)).unwrap();
    let words = ArticleQuery::words_of("  HOA   don ");
    assert_eq!(words, vec!["hoa", "don"]);
    assert_eq!(rank(&title_hit, &words), Some(2));
    assert_eq!(rank(&keyword_hit, &words), Some(2));
    assert_eq!(rank(&body_hit, &words), Some(1));
    assert_eq!(rank(&body_hit, &ArticleQuery::words_of("cat dien")), None);
}
