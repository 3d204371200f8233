//! Sample articles of approved answers (tariffs and bills, disconnection
//! and reconnection, new supply, payment channels, safety), each approved
//! by a reviewer other than its author, and topics on a few sample calls
//! naming them, so tracing and the topic report have something to show.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::article::{Article, ArticleDraft, ArticleStatus, ArticleVersion};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{CallFilter, Category};
use hotline_domain::call_topic::{CallTopic, Handling};
use hotline_domain::ports::{ArticleStore, CallStore, CallTopicStore};
use hotline_domain::role::Role;
use hotline_persistence::Db;
use serde_json::json;

/// (category, title, keywords, body in Markdown).
const ARTICLES: [(Category, &str, &[&str], &str); 5] = [
    (
        Category::Billing,
        "Cách tính hóa đơn tiền điện sinh hoạt",
        &["giá điện", "bậc thang", "hóa đơn"],
        "Tiền điện sinh hoạt tính theo **6 bậc** lũy tiến theo số kWh trong tháng.\n\n\
         - Đọc chỉ số công tơ đầu và cuối kỳ.\n- Nhân sản lượng mỗi bậc với đơn giá bậc đó.\n\
         - Cộng thuế GTGT.",
    ),
    (
        Category::Billing,
        "Ngừng cấp điện do chậm thanh toán và đóng điện lại",
        &["cắt điện", "nợ tiền điện", "đóng điện"],
        "Khách hàng được **thông báo ít nhất 5 ngày** trước khi ngừng cấp điện do nợ.\n\n\
         Sau khi thanh toán đủ, điện được đóng lại trong vòng 24 giờ.",
    ),
    (
        Category::NewSupply,
        "Thủ tục cấp điện mới cho hộ gia đình",
        &["lắp điện mới", "hồ sơ", "công tơ"],
        "Hồ sơ gồm:\n\n1. Giấy đề nghị mua điện.\n2. Bản sao giấy tờ tùy thân.\n\
         3. Giấy tờ chứng minh quyền sử dụng nhà, đất.\n\nThời gian giải quyết: tối đa 3 ngày làm việc.",
    ),
    (
        Category::Information,
        "Các kênh thanh toán tiền điện",
        &["thanh toán", "ví điện tử", "ngân hàng"],
        "Thanh toán qua ngân hàng, ví điện tử, điểm thu hộ hoặc tại quầy giao dịch của điện lực.",
    ),
    (
        Category::SafetyHazard,
        "An toàn điện khi thấy dây điện đứt",
        &["dây điện đứt", "an toàn", "mưa bão"],
        "**Không lại gần** dây điện bị đứt, giữ khoảng cách ít nhất 10 m, \
         báo ngay tổng đài và không tự xử lý.",
    ),
];

/// Stores the sample articles, approved a month before `now`, and puts
/// topics naming them on the newest sample calls of their categories.
pub async fn articles(db: &Db, now: DateTime<Utc>) -> Result<(), String> {
    let author = super::seeder("seed-editor", Role::Supervisor);
    let reviewer = super::seeder("seed-reviewer", Role::Supervisor);
    let since = now - Duration::days(30);
    let mut approved: Vec<ArticleVersion> = Vec::new();
    for (category, title, keywords, body) in ARTICLES {
        let draft = ArticleDraft {
            title: Some(title.into()),
            body: Some(body.into()),
            category: Some(category),
            keywords: Some(keywords.iter().map(|k| k.to_string()).collect()),
            effective_from: Some(since),
            effective_to: None,
        };
        let (article, mut v) = Article::create(None, draft, &author.actor(), since).map_err(|e| e.to_string())?;
        v.status = ArticleStatus::Approved;
        v.approved_by = Some(reviewer.actor());
        v.approved_at = Some(since);
        let entry = AuditEntry::new("article", article.id, "create", &author, since, json!({"title": title}));
        ArticleStore::create(db, &article, &v, &entry, None)
            .await
            .map_err(|e| format!("storing sample articles: {e}"))?;
        approved.push(v);
    }
    let recent = CallStore::list(db, &CallFilter::default(), None, 30, false)
        .await
        .map_err(|e| format!("reading sample calls: {e}"))?;
    let mut topics_added = 0;
    for call in recent.items {
        let Some(category) = call.category else { continue };
        let Some(v) = approved.iter().find(|v| v.category == category) else {
            continue;
        };
        let topics = [
            CallTopic {
                position: 1,
                category,
                asked: Some(format!("Hỏi về: {}", v.title)),
                handling: Some(Handling::AnsweredOnCall),
                article_id: Some(v.article_id),
                article_version: Some(v.number),
                work_order_code: None,
                note: None,
            },
            CallTopic {
                position: 2,
                category: Category::Information,
                asked: Some("Hỏi các kênh thanh toán".into()),
                handling: Some(Handling::Callback),
                article_id: None,
                article_version: None,
                work_order_code: None,
                note: Some("Gọi lại gửi hướng dẫn".into()),
            },
        ];
        let mut next = call.clone();
        next.version += 1;
        let entry = AuditEntry::new("call", call.id, "topics", &author, now, json!({"topics": topics.len()}));
        if CallTopicStore::replace(db, &next, call.version, &topics, &entry)
            .await
            .map_err(|e| format!("storing sample topics: {e}"))?
        {
            topics_added += 1;
        }
    }
    eprintln!("articles: {} approved, topics on {topics_added} calls", approved.len());
    Ok(())
}
