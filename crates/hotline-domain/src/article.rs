//! Approved answers: articles the agents read to callers on policy and
//! procedure questions (tariffs and bills, disconnection and reconnection,
//! new supply, payment channels, safety). Every version is kept: an edit of
//! an approved article is a new draft version, reviewed and approved by a
//! supervisor who did not write it, and in force within its effective window.

mod lifecycle;
mod search;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::DomainError;
use crate::call::Category;
use crate::codes::UnitCode;
use crate::text;
use crate::time::truncate as micros;
use crate::validation::{Validation, optional_text};

pub use lifecycle::{ArticleStatus, Transition};
pub use search::{ArticleQuery, rank};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;
pub const MAX_KEYWORD: usize = 100;
pub const MAX_KEYWORDS: usize = 30;

/// An article: who owns it and how far it has come. Its content is in its
/// versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: Uuid,
    /// The unit whose editors change it (its subtree's); None: the centre's.
    pub unit_code: Option<UnitCode>,
    /// How many versions it has (the newest is this number).
    pub latest: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped by every new version and every transition (the ETag).
    pub version: i64,
}

/// One kept version of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleVersion {
    pub article_id: Uuid,
    /// 1, 2, … in the order written.
    pub number: i32,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub category: Category,
    pub keywords: Vec<String>,
    pub effective_from: DateTime<Utc>,
    /// Exclusive; None: until retired or replaced.
    pub effective_to: Option<DateTime<Utc>>,
    pub status: ArticleStatus,
    /// Who wrote it (`user:alice`).
    pub author: String,
    /// Who approved it, and when.
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An article's content as an editor submits it; absent fields keep those
/// of the version revised (all but `effective_*` are required on the first).
#[derive(Debug, Clone, Default)]
pub struct ArticleDraft {
    pub title: Option<String>,
    pub body: Option<String>,
    pub category: Option<Category>,
    pub keywords: Option<Vec<String>>,
    pub effective_from: Option<DateTime<Utc>>,
    /// Outer: present; inner None clears it.
    pub effective_to: Option<Option<DateTime<Utc>>>,
}

impl Article {
    /// A new article owned by `unit_code`, with its first version.
    pub fn create(
        unit_code: Option<UnitCode>,
        draft: ArticleDraft,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(Article, ArticleVersion), DomainError> {
        let article = Article {
            id: Uuid::now_v7(),
            unit_code,
            latest: 1,
            created_by: actor.to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let first = ArticleVersion::write(article.id, 1, None, draft, actor, now)?;
        Ok((article, first))
    }

    /// The article after one more change (a version or a transition).
    pub fn touched(&self, now: DateTime<Utc>) -> Article {
        Article {
            updated_at: now.max(self.updated_at),
            version: self.version + 1,
            ..self.clone()
        }
    }

    /// A new draft version over `base` (the newest), with `draft`'s fields
    /// changed; the article with it counted.
    pub fn revise(
        &self,
        base: &ArticleVersion,
        draft: ArticleDraft,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(Article, ArticleVersion), DomainError> {
        let number = self.latest + 1;
        let next = ArticleVersion::write(self.id, number, Some(base), draft, actor, now)?;
        let mut article = self.touched(now);
        article.latest = number;
        Ok((article, next))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "unit_code": self.unit_code,
            "latest": self.latest,
        })
    }
}

impl ArticleVersion {
    /// Checks a draft over `base` (None: the first version) and builds it.
    fn write(
        article_id: Uuid,
        number: i32,
        base: Option<&ArticleVersion>,
        draft: ArticleDraft,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<ArticleVersion, DomainError> {
        let mut v = Validation::new();
        let title = required(&mut v, "title", draft.title, base.map(|b| &b.title), MAX_TITLE);
        let body = required(&mut v, "body", draft.body, base.map(|b| &b.body), MAX_BODY);
        let category = draft.category.or(base.map(|b| b.category)).unwrap_or_else(|| {
            v.add("category", "is required");
            Category::Other
        });
        let keywords = match draft.keywords {
            Some(list) => keywords(&mut v, list),
            None => base.map(|b| b.keywords.clone()).unwrap_or_default(),
        };
        let effective_from = draft
            .effective_from
            .map(micros)
            .or(base.map(|b| b.effective_from))
            .unwrap_or(now);
        let effective_to = match draft.effective_to {
            Some(to) => to.map(micros),
            None => base.and_then(|b| b.effective_to),
        };
        if effective_to.is_some_and(|to| to <= effective_from) {
            v.add("effective_to", "must be after effective_from");
        }
        v.finish()?;
        Ok(ArticleVersion {
            article_id,
            number,
            title,
            body,
            category,
            keywords,
            effective_from,
            effective_to,
            status: ArticleStatus::Draft,
            author: actor.to_string(),
            approved_by: None,
            approved_at: None,
            created_at: now,
            updated_at: now,
        })
    }

    /// Approved, and `now` within its effective window.
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.status == ArticleStatus::Approved
            && self.effective_from <= now
            && self.effective_to.is_none_or(|to| now < to)
    }

    /// Title and keywords, folded: what ranks first in a search.
    pub fn search_head(&self) -> String {
        text::fold(&format!("{} \u{1f} {}", self.title, self.keywords.join(" \u{1f} ")))
    }

    /// Everything a search looks in, folded (head, then body).
    pub fn search_text(&self) -> String {
        format!("{} \u{1f} {}", self.search_head(), text::fold(&self.body))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "number": self.number,
            "title": self.title,
            "category": self.category,
            "keywords": self.keywords,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
            "status": self.status,
            "approved_by": self.approved_by,
        })
    }
}

/// A required text: the one given (NFC, trimmed, at most `max`), else the
/// base version's.
fn required(v: &mut Validation, field: &str, given: Option<String>, base: Option<&String>, max: usize) -> String {
    if let Some(raw) = given {
        if let Some(t) = optional_text(v, field, Some(&raw), max) {
            return t;
        }
        if v.errors().iter().all(|e| e.field != field) {
            v.add(field, "must not be empty");
        }
        return String::new();
    }
    match base {
        Some(b) => b.clone(),
        None => {
            v.add(field, "is required");
            String::new()
        }
    }
}

/// Keywords: NFC, trimmed, empty ones dropped, duplicates (by their fold)
/// once, each at most [`MAX_KEYWORD`], at most [`MAX_KEYWORDS`].
fn keywords(v: &mut Validation, list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in list.iter().enumerate() {
        let Some(k) = optional_text(v, &format!("keywords[{i}]"), Some(raw), MAX_KEYWORD) else {
            continue;
        };
        if !out.iter().any(|o| text::fold(o) == text::fold(&k)) {
            out.push(k);
        }
    }
    if out.len() > MAX_KEYWORDS {
        v.add("keywords", format!("must be at most {MAX_KEYWORDS}"));
    }
    out
}

#[cfg(test)]
mod tests;
