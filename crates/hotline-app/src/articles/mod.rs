//! Articles of approved answers: editors (supervisors, admins) write them
//! in their unit's subtree, another supervisor approves each version, and
//! everyone at the desk reads the versions in force, centre-wide.

mod edit;
mod reads;

use hotline_domain::article::{Article, ArticleVersion};
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use crate::roles::require;
use crate::scope::sees_unit;
use crate::{App, AppResult};

pub use edit::{Written, create, revise, transition};
pub use reads::{Found, get, search, versions};

/// 403 unless the caller's role reads articles.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_articles(), "read articles")
}

/// 403 unless the caller's role writes articles.
pub fn may_edit(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_edit_articles(), "edit articles")
}

/// The article by id (404 when there is none).
async fn find(app: &App, id: Uuid) -> AppResult<Article> {
    app.store
        .articles()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("article"))
}

/// Whether the caller edits this article: an editor whose subtree holds
/// its owner unit.
async fn edits(app: &App, who: &Principal, a: &Article) -> AppResult<bool> {
    Ok(who.role.can_edit_articles() && sees_unit(app, who, a.unit_code.as_deref()).await?)
}

/// The article as the caller may change it: one owned outside their
/// subtree is not there for them (404).
async fn find_to_change(app: &App, who: &Principal, id: Uuid) -> AppResult<Article> {
    may_edit(who)?;
    let a = find(app, id).await?;
    if edits(app, who, &a).await? {
        Ok(a)
    } else {
        Err(DomainError::NotFound("article"))
    }
}

/// One kept version (404 when there is none of that number).
async fn version_of(app: &App, id: Uuid, number: i32) -> AppResult<ArticleVersion> {
    app.store
        .articles()
        .version(id, number)
        .await?
        .ok_or(DomainError::NotFound("article version"))
}

fn vanished() -> DomainError {
    DomainError::Store(StoreError::Other("an article without versions".into()))
}
