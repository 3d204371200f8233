//! Deliveries (one event for one subscription) and their attempts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::WebhookSecret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Not tried yet.
    Pending,
    /// Failed at least once; tried again at `next_attempt_at`.
    Retrying,
    Delivered,
    /// The schedule was used up (a redeliver starts it again).
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 4] = [Self::Pending, Self::Retrying, Self::Delivered, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Retrying => "retrying",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: Uuid,
    pub subscription_id: Uuid,
    /// The event's id: the `webhook-id` header, the same on every attempt.
    pub event_id: Uuid,
    pub event_type: String,
    pub status: DeliveryStatus,
    /// Attempts in the current run (a redeliver starts a new run).
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// When the current run began (creation, or the last redeliver).
    pub run_started_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub id: Uuid,
    pub delivery_id: Uuid,
    pub attempted_at: DateTime<Utc>,
    pub duration_ms: i64,
    /// None when no answer came (timeout, refused connection).
    pub status_code: Option<u16>,
    pub error: Option<String>,
    /// The start of the receiver's answer.
    pub response_body: Option<String>,
}

/// A delivery claimed for sending, with what sending needs.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: Uuid,
    pub subscription_id: Uuid,
    pub url: String,
    pub secret: WebhookSecret,
    /// The secret a rotation replaced, while its overlap lasts: it signs
    /// too, so receivers not yet given the new secret keep verifying.
    pub previous_secret: Option<WebhookSecret>,
    pub event_id: Uuid,
    /// The exact JSON body, the same on every attempt.
    pub body: String,
    /// Attempts made in this run before this one.
    pub attempts: u32,
    pub run_started_at: DateTime<Utc>,
    /// The `traceparent` of the request that caused the event, if one did:
    /// each attempt continues that trace.
    pub traceparent: Option<String>,
}

impl DueDelivery {
    /// The `webhook-signature` header: the current secret's signature, then
    /// the previous one's during a rotation's overlap.
    pub fn signature(&self, msg_id: &str, timestamp: i64) -> String {
        let mut secrets = vec![&self.secret];
        secrets.extend(self.previous_secret.as_ref());
        super::sign_all(&secrets, msg_id, timestamp, &self.body)
    }
}

/// What one fan-out step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FanOut {
    /// Events read from the log (the cursor moved past them).
    pub events: usize,
    /// Deliveries created.
    pub deliveries: usize,
}
