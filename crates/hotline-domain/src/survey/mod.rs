//! Satisfaction surveys: campaigns with a questionnaire, a sample of the
//! customers who were in touch during a period (stratified by unit,
//! reproducible from a seed), the answers agents record on survey
//! callbacks, and the results per unit, team and agent. Also the
//! attribution of after-contact feedback to the agent and the crew.

mod answers;
mod campaign;
mod draft;
mod feedback;
mod results;
mod sample;
#[cfg(test)]
mod tests;

pub use answers::{Answer, AnswerInput, AnswerValue, MAX_TEXT, Response, check_answers};
pub use campaign::{
    Campaign, CampaignAction, CampaignFilter, CampaignStatus, MAX_DAYS, MAX_QUESTIONS, NewCampaign, NewQuestion,
    Question, QuestionKind,
};
pub use draft::DraftPatch;
pub use feedback::{FeedbackAttribution, FeedbackGroup, FeedbackGrouping, FeedbackMark, feedback_report};
pub use results::{Figures, GroupKind, ResultRow, Tallied, results};
pub use sample::{Candidate, SampleSize, Sampled, SeededRng, draw};
