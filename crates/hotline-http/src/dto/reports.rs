//! Report queries and answers. Bucket bounds are shown in Vietnam's local
//! offset (+07:00), the way a dashboard labels them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use hotline_domain::report::{CallFigures, Live, Row, WorkOrderFigures};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The range and buckets of a call report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CallReportQuery {
    /// Start: an RFC 3339 instant, or a date meaning the start of that local day. Required.
    #[param(
        pattern = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+ -]\d{2}:\d{2}))?$",
        example = "2026-11-01"
    )]
    pub from: Option<String>,
    /// End (exclusive): an RFC 3339 instant, or a date meaning up to the end of that local day. Required.
    #[param(
        pattern = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+ -]\d{2}:\d{2}))?$",
        example = "2026-11-30"
    )]
    pub to: Option<String>,
    /// `hour`, `day` (default), `week` (from Monday) or `month`, in Asia/Ho_Chi_Minh. At most 1000 buckets.
    #[param(example = "day")]
    pub bucket: Option<String>,
    /// Split each bucket by `category`, `queue`, `agent`, `area` or `unit` (the customer's).
    pub group_by: Option<String>,
    /// Service-level threshold in seconds (default from the server's configuration, 20 unless set).
    #[param(minimum = 0, maximum = 3600)]
    pub service_level_seconds: Option<u32>,
}

/// The range and buckets of a work-order report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkOrderReportQuery {
    /// Start: an RFC 3339 instant, or a date meaning the start of that local day. Required.
    #[param(
        pattern = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+ -]\d{2}:\d{2}))?$",
        example = "2026-11-01"
    )]
    pub from: Option<String>,
    /// End (exclusive): an RFC 3339 instant, or a date meaning up to the end of that local day. Required.
    #[param(
        pattern = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+ -]\d{2}:\d{2}))?$",
        example = "2026-11-30"
    )]
    pub to: Option<String>,
    /// `hour`, `day` (default), `week` (from Monday) or `month`, in Asia/Ho_Chi_Minh. At most 1000 buckets.
    pub bucket: Option<String>,
    /// Split each bucket by `category`, `unit`, `team` or `area` (the work order's current one).
    pub group_by: Option<String>,
}

pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    hotline_domain::report::bucket::local_offset(t)
}

/// One bucket (and group) of the call report.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallReportRow {
    #[schema(value_type = String, format = DateTime, example = "2026-11-20T00:00:00+07:00")]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-11-21T00:00:00+07:00")]
    pub end: DateTime<FixedOffset>,
    /// Present when grouped: the group's value, null for calls without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub group: Option<Option<String>>,
    /// Inbound calls that started ringing in the bucket.
    pub offered: u64,
    /// Of them, answered.
    pub answered: u64,
    /// Ended unanswered, other than abandoned (missed, busy, voicemail, failed…).
    pub missed: u64,
    /// Ended unanswered with the outcome `abandoned`.
    pub abandoned: u64,
    /// Refused because the caller's number is blocked; not in `offered`
    /// nor in any other figure.
    pub blocked: u64,
    /// answered ÷ offered; null without calls.
    pub answer_rate: Option<f64>,
    /// Mean wait (ring to answer, or to hang-up when unanswered), whole seconds.
    pub avg_wait_seconds: Option<f64>,
    /// 90th-percentile wait (nearest rank), seconds.
    pub p90_wait_seconds: Option<i64>,
    /// Mean answer-to-hang-up time of answered calls that ended.
    pub avg_talk_seconds: Option<f64>,
    /// Answered within the threshold ÷ offered.
    pub service_level: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallReport {
    pub buckets: Vec<CallReportRow>,
    /// The threshold `service_level` used.
    pub service_level_seconds: u32,
}

/// One bucket (and group) of the work-order report.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderReportRow {
    #[schema(value_type = String, format = DateTime, example = "2026-11-20T00:00:00+07:00")]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-11-21T00:00:00+07:00")]
    pub end: DateTime<FixedOffset>,
    /// Present when grouped: the group's value, null for work orders without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub group: Option<Option<String>>,
    /// Created in the bucket.
    pub opened: u64,
    /// Resolved in the bucket.
    pub resolved: u64,
    /// Open at the end of the bucket.
    pub backlog: u64,
    /// Of those acknowledged in the bucket with a response deadline, the share acknowledged by it.
    pub response_met_rate: Option<f64>,
    /// Of those resolved in the bucket with a resolution deadline, the share resolved by it.
    pub resolution_met_rate: Option<f64>,
    /// Opening to resolution, of those resolved in the bucket (nearest rank).
    pub median_resolve_seconds: Option<i64>,
    /// Mean score (1–5) of the feedback given in the bucket.
    pub avg_feedback: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderReport {
    pub buckets: Vec<WorkOrderReportRow>,
}

fn group(grouped: bool, g: &Option<String>) -> Option<Option<String>> {
    grouped.then(|| g.clone())
}

impl CallReportRow {
    pub fn new(grouped: bool, r: &Row<CallFigures>) -> Self {
        let f = &r.figures;
        CallReportRow {
            start: local(r.start),
            end: local(r.end),
            group: group(grouped, &r.group),
            offered: f.offered,
            answered: f.answered,
            missed: f.missed,
            abandoned: f.abandoned,
            blocked: f.blocked,
            answer_rate: f.answer_rate,
            avg_wait_seconds: f.avg_wait_seconds,
            p90_wait_seconds: f.p90_wait_seconds,
            avg_talk_seconds: f.avg_talk_seconds,
            service_level: f.service_level,
        }
    }
}

impl WorkOrderReportRow {
    pub fn new(grouped: bool, r: &Row<WorkOrderFigures>) -> Self {
        let f = &r.figures;
        WorkOrderReportRow {
            start: local(r.start),
            end: local(r.end),
            group: group(grouped, &r.group),
            opened: f.opened,
            resolved: f.resolved,
            backlog: f.backlog,
            response_met_rate: f.response_met_rate,
            resolution_met_rate: f.resolution_met_rate,
            median_resolve_seconds: f.median_resolve_seconds,
            avg_feedback: f.avg_feedback,
        }
    }
}

/// Today's inbound calls (local day), with the call report's definitions.
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveDay {
    pub offered: u64,
    pub answered: u64,
    pub missed: u64,
    pub abandoned: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveCalls {
    /// Inbound calls ringing now (not answered, not ended, started within the last 6 hours).
    pub ringing: u64,
    /// Calls answered and not ended (started within the last 6 hours).
    pub in_progress: u64,
    /// How long the longest-ringing call has waited so far, seconds.
    pub longest_wait_seconds: Option<i64>,
    pub today: LiveDay,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamCount {
    /// Null: not assigned to a team.
    pub team_code: Option<String>,
    pub open: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveWorkOrders {
    /// All open work orders.
    pub open: u64,
    /// Open work orders per status (every open status, zeros included).
    pub by_status: BTreeMap<String, u64>,
    /// Open work orders per team.
    pub by_team: Vec<TeamCount>,
    /// Open and past their resolution deadline.
    pub overdue: u64,
    /// Open and due within the next hour.
    pub due_within_hour: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveIncidents {
    /// Outage incidents in progress.
    pub active: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveCallbacks {
    /// Callbacks open now.
    pub open: u64,
    /// Of them, past their due time.
    pub overdue: u64,
}

/// The wallboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveReport {
    #[schema(value_type = String, format = DateTime)]
    pub as_of: DateTime<FixedOffset>,
    pub calls: LiveCalls,
    pub work_orders: LiveWorkOrders,
    pub incidents: LiveIncidents,
    pub callbacks: LiveCallbacks,
}

impl LiveReport {
    pub fn new(now: DateTime<Utc>, l: &Live, callbacks: hotline_app::callbacks::Counts) -> Self {
        LiveReport {
            as_of: local(now),
            calls: LiveCalls {
                ringing: l.calls_ringing,
                in_progress: l.calls_in_progress,
                longest_wait_seconds: l.longest_wait_seconds,
                today: LiveDay {
                    offered: l.today.offered,
                    answered: l.today.answered,
                    missed: l.today.missed,
                    abandoned: l.today.abandoned,
                },
            },
            work_orders: LiveWorkOrders {
                open: l.work_orders_by_status.iter().map(|(_, n)| n).sum(),
                by_status: l
                    .work_orders_by_status
                    .iter()
                    .map(|(s, n)| (s.as_str().to_string(), *n))
                    .collect(),
                by_team: l
                    .work_orders_by_team
                    .iter()
                    .map(|(t, n)| TeamCount {
                        team_code: t.clone(),
                        open: *n,
                    })
                    .collect(),
                overdue: l.overdue,
                due_within_hour: l.due_within_hour,
            },
            incidents: LiveIncidents {
                active: l.active_incidents,
            },
            callbacks: LiveCallbacks {
                open: callbacks.open,
                overdue: callbacks.overdue,
            },
        }
    }
}
