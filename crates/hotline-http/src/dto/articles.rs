//! Articles of approved answers: bodies and views.

use chrono::{DateTime, Utc};
use hotline_domain::article::{Article, ArticleDraft, ArticleVersion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::CategoryDto;
use super::present;

api_enum!(
    /// `draft` → `in_review` → `approved` → `retired`.
    ArticleStatusDto as ArticleStatus => hotline_domain::article::ArticleStatus { Draft, InReview, Approved, Retired }
);
api_enum!(
    /// `submit` (draft → in_review), `approve` (in_review → approved; a
    /// supervisor or admin other than the author), `reject` (in_review →
    /// draft), `retire` (approved → retired).
    ArticleActionDto as ArticleAction => hotline_domain::article::Transition { Submit, Approve, Reject, Retire }
);

/// A new article: its first version, a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticleBody {
    /// At most 200 characters.
    pub title: Option<String>,
    /// Markdown, at most 20,000 characters.
    pub body: Option<String>,
    pub category: Option<CategoryDto>,
    #[serde(default)]
    pub keywords: Option<Vec<String>>,
    /// Now when omitted.
    pub effective_from: Option<DateTime<Utc>>,
    /// Exclusive; open-ended when omitted.
    pub effective_to: Option<DateTime<Utc>>,
    /// The owner unit, whose subtree's editors change it; yours when omitted.
    pub unit_code: Option<String>,
}

impl NewArticleBody {
    pub fn split(self) -> (Option<String>, ArticleDraft) {
        let draft = ArticleDraft {
            title: self.title,
            body: self.body,
            category: self.category.map(Into::into),
            keywords: self.keywords,
            effective_from: self.effective_from,
            effective_to: Some(self.effective_to),
        };
        (self.unit_code, draft)
    }
}

/// A new draft version: the fields given change, the rest are the newest
/// version's; `effective_to: null` makes it open-ended.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleRevisionBody {
    pub title: Option<String>,
    pub body: Option<String>,
    pub category: Option<CategoryDto>,
    pub keywords: Option<Vec<String>>,
    pub effective_from: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub effective_to: Option<Option<DateTime<Utc>>>,
}

impl From<ArticleRevisionBody> for ArticleDraft {
    fn from(b: ArticleRevisionBody) -> Self {
        ArticleDraft {
            title: b.title,
            body: b.body,
            category: b.category.map(Into::into),
            keywords: b.keywords,
            effective_from: b.effective_from,
            effective_to: b.effective_to,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleTransitionBody {
    pub action: ArticleActionDto,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleSearchQuery {
    /// Words to find, with or without diacritics (`hoa don` finds `Hóa
    /// đơn`); title and keyword hits rank before body hits.
    pub q: Option<String>,
    /// Editors only: versions in this status (their subtree's articles).
    /// Without it, the approved versions in force now.
    pub status: Option<ArticleStatusDto>,
    pub category: Option<CategoryDto>,
    /// 1–100, default 20.
    pub limit: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleVersionQuery {
    /// A kept version's number; the one in force when omitted.
    pub version: Option<i32>,
}

/// An article with one of its versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleView {
    pub id: Uuid,
    pub unit_code: Option<String>,
    /// The newest version's number.
    pub latest_version: i32,
    /// The article's ETag number (every new version and transition bumps it).
    pub version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub content: ArticleVersionView,
    /// In a search: 2 when the title or keywords hold every word, 1 when the
    /// body was needed, 0 when no words were asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u8>,
}

impl ArticleView {
    pub fn new(a: &Article, v: &ArticleVersion, rank: Option<u8>) -> Self {
        ArticleView {
            id: a.id,
            unit_code: a.unit_code.as_ref().map(ToString::to_string),
            latest_version: a.latest,
            version: a.version,
            created_by: a.created_by.clone(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            content: ArticleVersionView::from(v),
            rank,
        }
    }
}

/// One kept version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleVersionView {
    pub number: i32,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub category: CategoryDto,
    pub keywords: Vec<String>,
    pub effective_from: DateTime<Utc>,
    pub effective_to: Option<DateTime<Utc>>,
    pub status: ArticleStatusDto,
    pub author: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&ArticleVersion> for ArticleVersionView {
    fn from(v: &ArticleVersion) -> Self {
        ArticleVersionView {
            number: v.number,
            title: v.title.clone(),
            body: v.body.clone(),
            category: v.category.into(),
            keywords: v.keywords.clone(),
            effective_from: v.effective_from,
            effective_to: v.effective_to,
            status: v.status.into(),
            author: v.author.clone(),
            approved_by: v.approved_by.clone(),
            approved_at: v.approved_at,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// Every kept version of an article, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleVersionsView {
    pub id: Uuid,
    pub version: i64,
    pub items: Vec<ArticleVersionView>,
}

/// A search's answer, best first (not paged: the best `limit`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSearchView {
    pub items: Vec<ArticleView>,
}
