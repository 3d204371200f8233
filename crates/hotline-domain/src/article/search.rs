//! Searching articles without diacritics: `hoa don` finds `Hóa đơn tiền
//! điện`. Every word must appear; articles whose title or keywords hold
//! them all rank before those that need the body.

use chrono::{DateTime, Utc};

use super::{ArticleStatus, ArticleVersion};
use crate::call::Category;
use crate::org::UnitScope;
use crate::text;

/// Which versions a search or list asks the store for.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Folded words, each of which must appear somewhere.
    pub words: Vec<String>,
    /// Versions in this status.
    pub status: Option<ArticleStatus>,
    /// Only versions in force at this instant (approved, in their window).
    pub in_force_at: Option<DateTime<Utc>>,
    pub category: Option<Category>,
    /// Only articles owned in these units; None: any.
    pub units: Option<UnitScope>,
    /// At most this many candidates.
    pub limit: u64,
}

impl ArticleQuery {
    /// The folded words of a typed query (none for a blank one).
    pub fn words_of(q: &str) -> Vec<String> {
        text::fold(q)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    }
}

/// How well `v` answers `words`: 2 when its title and keywords hold every
/// word, 1 when the body is needed for some, None when one is missing.
pub fn rank(v: &ArticleVersion, words: &[String]) -> Option<u8> {
    let head = v.search_head();
    if words.iter().all(|w| head.contains(w.as_str())) {
        return Some(2);
    }
    let all = v.search_text();
    words.iter().all(|w| all.contains(w.as_str())).then_some(1)
}
