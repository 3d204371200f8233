//! A campaign's results: per question, overall and per unit, team and
//! agent, the number of answers, the mean (scales) and the share of yes
//! (yes/no), beside the same figures of an earlier campaign.

use std::collections::BTreeMap;

use serde::Serialize;

use super::answers::{AnswerValue, Response};
use super::campaign::{Question, QuestionKind};

named_enum!(
    /// What a result line is grouped by.
    GroupKind {
        All => "all",
        Unit => "unit",
        Team => "team",
        Agent => "agent",
    }
);

/// The figures of one question in one group.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Figures {
    pub answers: u64,
    /// Mean of a scale question's answers (1–5).
    pub average: Option<f64>,
    /// Share (0–1) of yes among a yes/no question's answers.
    pub yes_share: Option<f64>,
}

/// Sums kept while counting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tallied {
    answers: u64,
    sum: u64,
    yes: u64,
}

impl Tallied {
    fn add(&mut self, value: &AnswerValue) {
        self.answers += 1;
        match value {
            AnswerValue::Scale(n) => self.sum += u64::from(*n),
            AnswerValue::YesNo(true) => self.yes += 1,
            _ => {}
        }
    }

    fn figures(&self, kind: QuestionKind) -> Figures {
        let share = |n: u64| (self.answers > 0).then(|| n as f64 / self.answers as f64);
        Figures {
            answers: self.answers,
            average: if kind == QuestionKind::Scale {
                share(self.sum)
            } else {
                None
            },
            yes_share: if kind == QuestionKind::YesNo {
                share(self.yes)
            } else {
                None
            },
        }
    }
}

/// One line: a question in a group.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub question: String,
    pub kind: QuestionKind,
    pub group_by: GroupKind,
    /// The unit, team or agent; empty for `all`.
    pub group: String,
    pub current: Figures,
    /// The earlier campaign's figures for the same question key and group.
    pub previous: Option<Figures>,
    /// Current minus previous: of the mean for scales, of the share of yes
    /// for yes/no.
    pub difference: Option<f64>,
}

/// Question key, group kind (its place in `GroupKind::ALL`), group.
type Key = (String, usize, String);

fn tally(questions: &[Question], responses: &[Response]) -> BTreeMap<Key, Tallied> {
    let mut out: BTreeMap<Key, Tallied> = BTreeMap::new();
    for r in responses {
        let mut groups = vec![
            (GroupKind::All, String::new()),
            (GroupKind::Unit, r.unit_code.to_string()),
            (GroupKind::Agent, r.agent.clone()),
        ];
        if let Some(team) = &r.team_code {
            groups.push((GroupKind::Team, team.to_string()));
        }
        for a in &r.answers {
            if !questions.iter().any(|q| q.key == a.question) {
                continue;
            }
            for (kind, group) in &groups {
                out.entry((a.question.clone(), order(*kind), group.clone()))
                    .or_default()
                    .add(&a.value);
            }
        }
    }
    out
}

fn order(kind: GroupKind) -> usize {
    GroupKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The result lines, in questionnaire order, then `all`, units, teams,
/// agents, each by code. `previous` is the earlier campaign's questions
/// and responses: a question is compared only when its key there has the
/// same kind.
pub fn results(
    questions: &[Question],
    responses: &[Response],
    previous: Option<(&[Question], &[Response])>,
) -> Vec<ResultRow> {
    let now = tally(questions, responses);
    let before = previous.map(|(q, r)| (q, tally(q, r)));
    let mut rows = Vec::new();
    for q in questions {
        let mut lines: Vec<(Key, Tallied)> = now
            .iter()
            .filter(|(k, _)| k.0 == q.key)
            .map(|(k, t)| (k.clone(), *t))
            .collect();
        if !lines.iter().any(|(k, _)| k.1 == 0) {
            lines.insert(0, ((q.key.clone(), 0, String::new()), Tallied::default()));
        }
        for (key, t) in lines {
            let current = t.figures(q.kind);
            let previous = before.as_ref().and_then(|(pq, pt)| {
                pq.iter()
                    .find(|p| p.key == q.key && p.kind == q.kind)
                    .and_then(|_| pt.get(&key))
                    .map(|p| p.figures(q.kind))
            });
            let difference = previous.and_then(|p| match q.kind {
                QuestionKind::Scale => Some(current.average? - p.average?),
                QuestionKind::YesNo => Some(current.yes_share? - p.yes_share?),
                QuestionKind::Text => None,
            });
            rows.push(ResultRow {
                question: q.key.clone(),
                kind: q.kind,
                group_by: GroupKind::ALL[key.1],
                group: key.2.clone(),
                current,
                previous,
                difference,
            });
        }
    }
    rows
}
