//! A version's way: `draft → in_review → approved → retired`; a reviewer
//! may send one back to draft. Approval is a supervisor's or an admin's,
//! never the author's own.

use chrono::{DateTime, Utc};

use super::ArticleVersion;
use crate::DomainError;
use crate::principal::Principal;

named_enum!(
    /// Where a version stands.
    ArticleStatus {
        Draft => "draft",
        InReview => "in_review",
        Approved => "approved",
        Retired => "retired",
    }
);

named_enum!(
    /// What an editor or a reviewer does to a version.
    Transition {
        Submit => "submit",
        Approve => "approve",
        Reject => "reject",
        Retire => "retire",
    }
);

impl Transition {
    /// The status a version must have, and the one it gets.
    fn path(self) -> (ArticleStatus, ArticleStatus) {
        match self {
            Transition::Submit => (ArticleStatus::Draft, ArticleStatus::InReview),
            Transition::Approve => (ArticleStatus::InReview, ArticleStatus::Approved),
            Transition::Reject => (ArticleStatus::InReview, ArticleStatus::Draft),
            Transition::Retire => (ArticleStatus::Approved, ArticleStatus::Retired),
        }
    }

    /// Approving and rejecting are a reviewer's: a supervisor or an admin.
    pub fn needs_reviewer(self) -> bool {
        matches!(self, Transition::Approve | Transition::Reject)
    }
}

impl ArticleVersion {
    /// The version after `t` by `who` at `now`: 409 from the wrong status,
    /// 403 when a reviewer's step is taken by someone else or the author
    /// approves their own version.
    pub fn moved(&self, t: Transition, who: &Principal, now: DateTime<Utc>) -> Result<ArticleVersion, DomainError> {
        if t.needs_reviewer() && !who.role.can_approve_articles() {
            return Err(DomainError::Forbidden(format!(
                "the {} role may not {t} articles",
                who.role
            )));
        }
        if t == Transition::Approve && who.actor() == self.author {
            return Err(DomainError::Forbidden(
                "the author of a version may not approve it; another supervisor must".into(),
            ));
        }
        let (from, to) = t.path();
        if self.status != from {
            return Err(DomainError::Conflict(format!(
                "version {} is {}; only a {} version can be {}",
                self.number,
                self.status,
                from,
                past(t)
            )));
        }
        let mut next = self.clone();
        next.status = to;
        next.updated_at = now.max(self.updated_at);
        if t == Transition::Approve {
            next.approved_by = Some(who.actor());
            next.approved_at = Some(now);
        }
        Ok(next)
    }
}

fn past(t: Transition) -> &'static str {
    match t {
        Transition::Submit => "submitted",
        Transition::Approve => "approved",
        Transition::Reject => "rejected",
        Transition::Retire => "retired",
    }
}
