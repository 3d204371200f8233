//! Webhook subscription, delivery and attempt bodies. The secret appears in
//! the creation (and rotation) answer only.

use chrono::{DateTime, Utc};
use hotline_domain::webhook::{Attempt, Delivery, DeliveryStatus, Subscription, SubscriptionInput, SubscriptionPatch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::present;
use crate::dto::page::{Page, Paged};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhookBody {
    /// Where to POST: https (plain http only to loopback unless the
    /// deployment allows it).
    #[schema(example = "https://sms-gateway.example.vn/hooks/hotline")]
    pub url: String,
    /// Event types (`work_order.transitioned`, …), or `["*"]` for all.
    #[schema(example = json!(["work_order.assigned", "work_order.transitioned"]))]
    pub events: Vec<String>,
    /// Only events about this unit and the units below it. Events with no
    /// unit (calls, incidents, unplaced work orders) are not sent to a
    /// unit-scoped subscription.
    pub unit_code: Option<String>,
    /// Also send staff-conduct complaints (off by default).
    #[serde(default)]
    pub include_restricted: bool,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

impl From<NewWebhookBody> for SubscriptionInput {
    fn from(b: NewWebhookBody) -> Self {
        SubscriptionInput {
            url: b.url,
            events: b.events,
            unit_code: b.unit_code,
            include_restricted: b.include_restricted,
            description: b.description,
        }
    }
}

/// Any of the fields; `enabled: true` re-enables a disabled subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatchBody {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    /// null removes the unit scope.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub unit_code: Option<Option<String>>,
    pub include_restricted: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

impl From<WebhookPatchBody> for SubscriptionPatch {
    fn from(b: WebhookPatchBody) -> Self {
        SubscriptionPatch {
            url: b.url,
            events: b.events,
            unit_code: b.unit_code,
            include_restricted: b.include_restricted,
            description: b.description,
            enabled: b.enabled,
        }
    }
}

/// A subscription, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub unit_code: Option<String>,
    pub include_restricted: bool,
    pub description: Option<String>,
    pub enabled: bool,
    /// Why it was disabled (by an admin, or because its receiver kept failing).
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// When the receiver last answered 2xx.
    pub last_success_at: Option<DateTime<Utc>>,
    /// After a secret rotation with an overlap: until when the replaced
    /// secret still signs each request beside the new one.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&Subscription> for WebhookView {
    fn from(s: &Subscription) -> Self {
        WebhookView {
            id: s.id,
            url: s.url.clone(),
            events: s.events.clone(),
            unit_code: s.unit_code.as_ref().map(ToString::to_string),
            include_restricted: s.include_restricted,
            description: s.description.clone(),
            enabled: s.enabled,
            disabled_reason: s.disabled_reason.clone(),
            disabled_at: s.disabled_at,
            last_success_at: s.last_success_at,
            previous_secret_expires_at: s.previous_secret_expires_at,
            created_at: s.created_at,
            updated_at: s.updated_at,
            version: s.version,
        }
    }
}

/// A new (or rotated) subscription: `secret` is shown only here. Verify
/// each request's `webhook-signature` with it (Standard Webhooks).
#[derive(Debug, Serialize, ToSchema)]
pub struct NewWebhookView {
    #[serde(flatten)]
    pub webhook: WebhookView,
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatusDto {
    Pending,
    Retrying,
    Delivered,
    Failed,
}

impl From<DeliveryStatus> for DeliveryStatusDto {
    fn from(s: DeliveryStatus) -> Self {
        match s {
            DeliveryStatus::Pending => Self::Pending,
            DeliveryStatus::Retrying => Self::Retrying,
            DeliveryStatus::Delivered => Self::Delivered,
            DeliveryStatus::Failed => Self::Failed,
        }
    }
}

impl From<DeliveryStatusDto> for DeliveryStatus {
    fn from(s: DeliveryStatusDto) -> Self {
        match s {
            DeliveryStatusDto::Pending => Self::Pending,
            DeliveryStatusDto::Retrying => Self::Retrying,
            DeliveryStatusDto::Delivered => Self::Delivered,
            DeliveryStatusDto::Failed => Self::Failed,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RotateSecretQuery {
    /// Hours the replaced secret keeps signing beside the new one (0: it
    /// stops at once). Default: the server's
    /// `HOTLINE_WEBHOOK_SECRET_OVERLAP_HOURS` (24).
    #[param(minimum = 0, maximum = 720)]
    pub overlap_hours: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryListQuery {
    pub status: Option<DeliveryStatusDto>,
    /// Page size (default 50, at most 200).
    pub limit: Option<i32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    /// The event's id, sent as `webhook-id` on every attempt.
    pub event_id: Uuid,
    pub event_type: String,
    pub status: DeliveryStatusDto,
    /// Attempts in the current run (a redeliver starts a new one).
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> Self {
        DeliveryView {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type.clone(),
            status: d.status.into(),
            attempts: d.attempts,
            // A claimed delivery's lease is not a schedule worth showing.
            next_attempt_at: match d.status {
                DeliveryStatus::Pending | DeliveryStatus::Retrying => d.next_attempt_at,
                _ => None,
            },
            last_attempt_at: d.last_attempt_at,
            last_status_code: d.last_status_code,
            last_error: d.last_error.clone(),
            delivered_at: d.delivered_at,
            created_at: d.created_at,
        }
    }
}

pub type DeliveryPage = Page<DeliveryView>;

impl Paged for DeliveryView {
    const PAGE: &'static str = "DeliveryPage";
    const NEXT_CURSOR: Option<&'static str> = Some("Pass as `cursor` for the next page; absent on the last.");
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub id: Uuid,
    pub attempted_at: DateTime<Utc>,
    pub duration_ms: i64,
    /// Absent when no answer came (timeout, connection refused).
    pub status_code: Option<u16>,
    pub error: Option<String>,
    /// The first 2 KB of the receiver's answer.
    pub response_body: Option<String>,
}

impl From<&Attempt> for AttemptView {
    fn from(a: &Attempt) -> Self {
        AttemptView {
            id: a.id,
            attempted_at: a.attempted_at,
            duration_ms: a.duration_ms,
            status_code: a.status_code,
            error: a.error.clone(),
            response_body: a.response_body.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDetailView {
    #[serde(flatten)]
    pub delivery: DeliveryView,
    /// Oldest first.
    pub attempts_made: Vec<AttemptView>,
}
