//! Planned-outage bodies: the notice, its changes and steps, the customers
//! to tell, and the monthly report.

use chrono::{DateTime, Utc};
use hotline_domain::planned_outage::report::MonthRow;
use hotline_domain::planned_outage::{
    NewPlannedOutage, NoticeAction, NoticeStatus, OutageKind, PlannedOutage, PlannedOutagePatch, Recipient, Transition,
    allowed_actions,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::page::{Page, Paged};

api_enum!(
    /// What the planned work is.
    OutageKindDto as OutageKind => OutageKind { Maintenance, Upgrade, TreeCutting, ConnectionWork, Other }
);
api_enum!(
    /// `draft` → `published` → `in_progress` → `completed`; or `cancelled`;
    /// or `postponed` to a new window and published again.
    NoticeStatusDto as NoticeStatus => NoticeStatus { Draft, Published, InProgress, Completed, Cancelled, Postponed }
);
api_enum!(
    /// A step of a notice's life.
    NoticeActionDto as NoticeAction => NoticeAction { Publish, Start, Complete, Cancel, Postpone }
);

/// A planned outage, created as a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlannedOutageBody {
    /// The unit doing the work; the caller's own when omitted. It must lie
    /// in the caller's subtree.
    #[schema(example = "PB12")]
    pub unit_code: Option<String>,
    pub kind: OutageKindDto,
    /// Why the supply stops (Vietnamese text, stored NFC).
    #[schema(example = "Bảo dưỡng định kỳ đường dây 22 kV")]
    pub reason: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    /// After `starts_at`.
    pub expected_end_at: Option<DateTime<Utc>>,
    /// The areas stopped (at least one), each with everything below it.
    #[serde(default)]
    pub area_codes: Vec<String>,
    /// Transformer stations affected, where known.
    #[serde(default)]
    pub stations: Vec<String>,
    /// The customers affected, where known (they must be in the directory);
    /// when omitted, the directory's customers of the areas are told.
    #[serde(default)]
    pub customer_codes: Vec<String>,
}

impl From<NewPlannedOutageBody> for NewPlannedOutage {
    fn from(b: NewPlannedOutageBody) -> Self {
        NewPlannedOutage {
            unit_code: b.unit_code,
            kind: Some(OutageKind::from(b.kind).as_str().to_string()),
            reason: b.reason,
            starts_at: b.starts_at,
            expected_end_at: b.expected_end_at,
            area_codes: b.area_codes,
            stations: b.stations,
            customer_codes: b.customer_codes,
        }
    }
}

/// Only the fields present change. A published notice keeps its start
/// (move it with the `postpone` action).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedOutagePatchBody {
    pub kind: Option<OutageKindDto>,
    pub reason: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub expected_end_at: Option<DateTime<Utc>>,
    pub area_codes: Option<Vec<String>>,
    pub stations: Option<Vec<String>>,
    pub customer_codes: Option<Vec<String>>,
}

impl From<PlannedOutagePatchBody> for PlannedOutagePatch {
    fn from(b: PlannedOutagePatchBody) -> Self {
        PlannedOutagePatch {
            kind: b.kind.map(|k| OutageKind::from(k).as_str().to_string()),
            reason: b.reason,
            starts_at: b.starts_at,
            expected_end_at: b.expected_end_at,
            area_codes: b.area_codes,
            stations: b.stations,
            customer_codes: b.customer_codes,
        }
    }
}

/// A step: `publish` (with `late_reason` when less than 5 days ahead),
/// `start`, `complete`, `cancel`, `postpone` (with the new window).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    pub action: NoticeActionDto,
    /// Why the notice comes less than 5 days (120 hours) before the start.
    pub late_reason: Option<String>,
    /// The new start (postpone).
    pub starts_at: Option<DateTime<Utc>>,
    /// The new expected end (postpone).
    pub expected_end_at: Option<DateTime<Utc>>,
}

impl From<TransitionBody> for Transition {
    fn from(b: TransitionBody) -> Self {
        Transition {
            action: b.action.into(),
            late_reason: b.late_reason,
            starts_at: b.starts_at,
            expected_end_at: b.expected_end_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedOutageView {
    pub id: Uuid,
    /// Readable over the phone.
    #[schema(example = "KH-26-000012")]
    pub code: String,
    pub unit_code: String,
    pub kind: OutageKindDto,
    pub reason: String,
    pub starts_at: DateTime<Utc>,
    pub expected_end_at: DateTime<Utc>,
    pub area_codes: Vec<String>,
    pub stations: Vec<String>,
    pub customer_codes: Vec<String>,
    pub status: NoticeStatusDto,
    /// What may be done next.
    pub allowed_actions: Vec<NoticeActionDto>,
    /// When it was last published.
    pub published_at: Option<DateTime<Utc>>,
    /// Published less than 5 days (120 hours) before the start.
    pub late_notice: bool,
    pub late_reason: Option<String>,
    /// How many times the window was moved.
    pub postponements: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&PlannedOutage> for PlannedOutageView {
    fn from(n: &PlannedOutage) -> Self {
        PlannedOutageView {
            id: n.id,
            code: n.code.clone(),
            unit_code: n.unit_code.to_string(),
            kind: n.kind.into(),
            reason: n.reason.clone(),
            starts_at: n.starts_at,
            expected_end_at: n.expected_end_at,
            area_codes: n.area_codes.iter().map(ToString::to_string).collect(),
            stations: n.stations.clone(),
            customer_codes: n.customer_codes.iter().map(ToString::to_string).collect(),
            status: n.status.into(),
            allowed_actions: allowed_actions(n.status).iter().map(|a| (*a).into()).collect(),
            published_at: n.published_at,
            late_notice: n.late_notice,
            late_reason: n.late_reason.clone(),
            postponements: n.postponements,
            created_by: n.created_by.clone(),
            created_at: n.created_at,
            updated_at: n.updated_at,
            version: n.version,
        }
    }
}

pub type PlannedOutagePage = Page<PlannedOutageView>;

impl Paged for PlannedOutageView {
    const PAGE: &'static str = "PlannedOutagePage";
}

/// A customer to tell, with the numbers to text (E.164).
#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientView {
    pub customer_code: String,
    pub name: String,
    pub phones: Vec<String>,
    pub area_code: Option<String>,
}

impl From<&Recipient> for RecipientView {
    fn from(r: &Recipient) -> Self {
        RecipientView {
            customer_code: r.customer_code.to_string(),
            name: r.name.clone(),
            phones: r.phones.clone(),
            area_code: r.area_code.as_ref().map(ToString::to_string),
        }
    }
}

pub type RecipientPage = Page<RecipientView>;

impl Paged for RecipientView {
    const PAGE: &'static str = "RecipientPage";
}

/// Filters, newest first. Values above the `limit` cap are capped.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlannedOutageListQuery {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    /// `next_cursor` from the previous page.
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    /// Notices of this unit and its subtree.
    pub unit: Option<String>,
    /// Notices covering this area (one of their areas is it or an
    /// ancestor: a district's notice covers its communes) or within it.
    pub area: Option<String>,
    pub status: Option<NoticeStatusDto>,
    /// Windows ending after this instant (RFC 3339, or a local date).
    pub from: Option<String>,
    /// Windows starting before this instant (a date: before the next day).
    pub to: Option<String>,
    /// Only late (`true`) or on-time (`false`) notices.
    pub late: Option<bool>,
}

/// A page of customers, or every one as CSV.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecipientQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    /// `csv` for every customer as CSV (as `Accept: text/csv`).
    pub format: Option<String>,
}

/// A page of a notice's history.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

/// What a call-taker asks about a caller.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AffectingQuery {
    /// The caller's area.
    pub area: Option<String>,
    /// The caller's customer code.
    pub customer: Option<String>,
    /// The instant asked about; now when omitted.
    pub at: Option<String>,
}

/// The report's range: notices whose window starts in [from, to).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlannedOutageReportQuery {
    /// RFC 3339, or a local date.
    pub from: Option<String>,
    /// RFC 3339, or a local date (its whole day included).
    pub to: Option<String>,
    /// `csv` for CSV (as `Accept: text/csv`).
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LateNoticeView {
    pub code: String,
    pub reason: Option<String>,
}

/// One unit's notices starting in one month (local time).
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedOutageReportRow {
    pub unit_code: String,
    #[schema(example = "2026-12")]
    pub month: String,
    pub notices: u64,
    pub published: u64,
    /// Published at least 5 days ahead.
    pub on_time: u64,
    pub late: u64,
    /// The late ones and why.
    pub late_notices: Vec<LateNoticeView>,
    pub cancelled: u64,
    /// Moved at least once.
    pub postponed: u64,
    /// Outage work orders opened in the month while announced planned work
    /// was under way in their area: the customers had been told.
    pub outages_announced: u64,
    /// Outage work orders opened in the month with no planned work announced.
    pub outages_unannounced: u64,
}

impl From<&MonthRow> for PlannedOutageReportRow {
    fn from(r: &MonthRow) -> Self {
        PlannedOutageReportRow {
            unit_code: r.unit_code.to_string(),
            month: r.month.clone(),
            notices: r.notices,
            published: r.published,
            on_time: r.on_time,
            late: r.late,
            late_notices: r
                .late_notices
                .iter()
                .map(|l| LateNoticeView {
                    code: l.code.clone(),
                    reason: l.reason.clone(),
                })
                .collect(),
            cancelled: r.cancelled,
            postponed: r.postponed,
            outages_announced: r.outages_announced,
            outages_unannounced: r.outages_unannounced,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedOutageReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub rows: Vec<PlannedOutageReportRow>,
}
