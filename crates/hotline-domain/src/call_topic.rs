//! The topics of one call, in the order the caller raised them ("answer
//! each issue one by one"): what was asked and how it was handled, naming
//! the article version read to the caller or the work order opened, so a
//! wrong answer can be traced and a changed policy finds who heard the old.

use uuid::Uuid;

use crate::DomainError;
use crate::call::Category;
use crate::validation::{Validation, optional_text};

named_enum!(
    /// How a topic was handled.
    Handling {
        /// Answered from an approved article version.
        AnsweredOnCall => "answered_on_call",
        /// A work order was opened.
        WorkOrder => "work_order",
        Transferred => "transferred",
        Callback => "callback",
    }
);

pub const MAX_TOPICS: usize = 20;
pub const MAX_ASKED: usize = 1000;
pub const MAX_NOTE: usize = 1000;

/// One stored topic.
#[derive(Debug, Clone, PartialEq)]
pub struct CallTopic {
    /// 1, 2, … in the order raised.
    pub position: i32,
    pub category: Category,
    pub asked: Option<String>,
    /// None only for the topic a call logged with a bare `category` gets.
    pub handling: Option<Handling>,
    pub article_id: Option<Uuid>,
    pub article_version: Option<i32>,
    pub work_order_code: Option<String>,
    pub note: Option<String>,
}

/// A topic as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct NewTopic {
    pub category: Option<Category>,
    pub asked: Option<String>,
    pub handling: Option<Handling>,
    pub article_id: Option<Uuid>,
    pub article_version: Option<i32>,
    pub work_order_code: Option<String>,
    pub note: Option<String>,
}

/// Checks a list of topics (fields named `topics[i].field`): a category and
/// a handling each; `answered_on_call` names an article and its version,
/// `work_order` a work order's code, and only they do.
pub fn check(list: Vec<NewTopic>) -> Result<Vec<CallTopic>, DomainError> {
    let mut v = Validation::new();
    if list.len() > MAX_TOPICS {
        v.add("topics", format!("must be at most {MAX_TOPICS}"));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.into_iter().enumerate() {
        let f = |name: &str| format!("topics[{i}].{name}");
        if t.category.is_none() {
            v.add(f("category"), "is required");
        }
        if t.handling.is_none() {
            v.add(f("handling"), "is required");
        }
        let answered = t.handling == Some(Handling::AnsweredOnCall);
        let opened = t.handling == Some(Handling::WorkOrder);
        if answered {
            if t.article_id.is_none() {
                v.add(f("article_id"), "is required when the topic was answered on the call");
            }
            if t.article_version.is_none() {
                v.add(
                    f("article_version"),
                    "is required when the topic was answered on the call",
                );
            }
        } else if t.article_id.is_some() || t.article_version.is_some() {
            v.add(
                f("article_version"),
                "only a topic answered on the call names an article",
            );
        }
        let code = optional_text(&mut v, &f("work_order_code"), t.work_order_code.as_deref(), 64);
        if opened && code.is_none() {
            v.add(f("work_order_code"), "is required when a work order was opened");
        } else if !opened && code.is_some() {
            v.add(f("work_order_code"), "only a work_order topic names a work order");
        }
        out.push(CallTopic {
            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
            category: t.category.unwrap_or(Category::Other),
            asked: optional_text(&mut v, &f("asked"), t.asked.as_deref(), MAX_ASKED),
            handling: t.handling,
            article_id: t.article_id,
            article_version: t.article_version,
            work_order_code: code,
            note: optional_text(&mut v, &f("note"), t.note.as_deref(), MAX_NOTE),
        });
    }
    v.finish()?;
    Ok(out)
}

/// The one topic of a call logged with a `category` and no topics.
pub fn implied(category: Category) -> CallTopic {
    CallTopic {
        position: 1,
        category,
        asked: None,
        handling: None,
        article_id: None,
        article_version: None,
        work_order_code: None,
        note: None,
    }
}

/// How many topics of one category were handled one way (a report row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicCount {
    pub category: Category,
    pub handling: Option<Handling>,
    pub topics: u64,
    /// Distinct calls among them.
    pub calls: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Validation(l) => l.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn topics_are_numbered_in_order_and_each_handling_names_what_it_needs() {
        let ok = check(vec![
            NewTopic {
                category: Some(Category::Billing),
                asked: Some("Vì sao hóa đơn tăng?".into()),
                handling: Some(Handling::AnsweredOnCall),
                article_id: Some(Uuid::nil()),
                article_version: Some(2),
                ..NewTopic::default()
            },
            NewTopic {
                category: Some(Category::Outage),
                handling: Some(Handling::WorkOrder),
                work_order_code: Some("SC-2026-000001".into()),
                ..NewTopic::default()
            },
        ])
        .unwrap();
        assert_eq!(ok.iter().map(|t| t.position).collect::<Vec<_>>(), vec![1, 2]);

        let e = check(vec![
            NewTopic {
                category: Some(Category::Billing),
                handling: Some(Handling::AnsweredOnCall),
                ..NewTopic::default()
            },
            NewTopic {
                handling: Some(Handling::Callback),
                work_order_code: Some("SC-1".into()),
                ..NewTopic::default()
            },
            NewTopic {
                category: Some(Category::Outage),
                handling: Some(Handling::WorkOrder),
                ..NewTopic::default()
            },
        ])
        .unwrap_err();
        assert_eq!(
            fields(e),
            vec![
                "topics[0].article_id",
                "topics[0].article_version",
                "topics[1].category",
                "topics[1].work_order_code",
                "topics[2].work_order_code",
            ]
        );
    }
}
