//! Reading articles: the version in force (or any kept one, for editors
//! and for tracing what a caller was told), every version, and a search.

use std::collections::HashMap;

use hotline_domain::DomainError;
use hotline_domain::article::{Article, ArticleQuery, ArticleStatus, ArticleVersion, rank};
use hotline_domain::call::Category;
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{edits, find, may_read, version_of};
use crate::scope::visible_units;
use crate::{App, AppResult};

/// Candidates a search ranks, at most.
const MAX_CANDIDATES: u64 = 1_000;

/// A version found by a search, with how well it matched (2: in its
/// title or keywords, 1: in its body, 0: no words asked).
pub struct Found {
    pub article: Article,
    pub version: ArticleVersion,
    pub rank: u8,
}

/// Whether a reader who does not edit the article may see this version:
/// only those that were approved once (in force, superseded or retired).
fn published(v: &ArticleVersion) -> bool {
    v.approved_at.is_some()
}

/// The article and one version: `number`, or the one in force now (the
/// newest approved version within its window). Editors of the article see
/// any version, and its newest when none is in force; others see only
/// versions that were approved (404 otherwise).
pub async fn get(app: &App, who: &Principal, id: Uuid, number: Option<i32>) -> AppResult<(Article, ArticleVersion)> {
    may_read(who)?;
    let a = find(app, id).await?;
    let editor = edits(app, who, &a).await?;
    let v = match number {
        Some(n) => version_of(app, id, n).await?,
        None => {
            let all = app.store.articles().versions(id).await?;
            let now = app.now();
            let in_force = all.iter().rev().find(|v| v.in_force(now)).cloned();
            match in_force {
                Some(v) => v,
                None if editor => all.last().cloned().ok_or(DomainError::NotFound("article"))?,
                None => return Err(DomainError::NotFound("article")),
            }
        }
    };
    if editor || published(&v) {
        Ok((a, v))
    } else {
        Err(DomainError::NotFound(if number.is_some() {
            "article version"
        } else {
            "article"
        }))
    }
}

/// Every kept version, oldest first (for a reader who does not edit the
/// article, those that were approved).
pub async fn versions(app: &App, who: &Principal, id: Uuid) -> AppResult<(Article, Vec<ArticleVersion>)> {
    may_read(who)?;
    let a = find(app, id).await?;
    let editor = edits(app, who, &a).await?;
    let all = app.store.articles().versions(id).await?;
    let shown = all.into_iter().filter(|v| editor || published(v)).collect();
    Ok((a, shown))
}

/// Searches without diacritics: every word of `q` must appear; title and
/// keyword hits rank before body hits, then the most recently changed.
/// Readers get the versions in force; editors may ask for a `status`
/// (their subtree's articles in it). One version per article (the newest
/// matching), at most `limit`.
pub async fn search(
    app: &App,
    who: &Principal,
    q: &str,
    status: Option<ArticleStatus>,
    category: Option<Category>,
    limit: usize,
) -> AppResult<Vec<Found>> {
    may_read(who)?;
    let mut query = ArticleQuery {
        words: ArticleQuery::words_of(q),
        category,
        limit: MAX_CANDIDATES,
        ..ArticleQuery::default()
    };
    match status {
        None => query.in_force_at = Some(app.now()),
        Some(s) => {
            if !who.role.can_edit_articles() {
                return Err(DomainError::Forbidden(format!(
                    "the {} role reads only the approved articles in force; leave out status",
                    who.role
                )));
            }
            query.status = Some(s);
            query.units = visible_units(app, who).await?;
        }
    }
    let candidates = app.store.articles().search(&query).await?;
    let mut best: HashMap<Uuid, Found> = HashMap::new();
    for (article, version) in candidates {
        let rank = if query.words.is_empty() {
            Some(0)
        } else {
            rank(&version, &query.words)
        };
        let Some(rank) = rank else { continue };
        let newer = best.get(&article.id).is_none_or(|f| f.version.number < version.number);
        if newer {
            best.insert(article.id, Found { article, version, rank });
        }
    }
    let mut found: Vec<Found> = best.into_values().collect();
    found.sort_by(|a, b| {
        b.rank
            .cmp(&a.rank)
            .then(b.version.updated_at.cmp(&a.version.updated_at))
            .then(b.article.id.cmp(&a.article.id))
    });
    if query.in_force_at.is_none() {
        found.truncate(limit);
        return Ok(found);
    }
    // An older version still within its window is not the one in force
    // when a newer approved one is: only the answer agents read counts.
    let now = app.now();
    let mut out = Vec::new();
    for f in found {
        if out.len() == limit {
            break;
        }
        let all = app.store.articles().versions(f.article.id).await?;
        if all
            .iter()
            .rev()
            .find(|v| v.in_force(now))
            .is_some_and(|v| v.number == f.version.number)
        {
            out.push(f);
        }
    }
    Ok(out)
}
