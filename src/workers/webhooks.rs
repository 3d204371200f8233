//! The webhook worker. One tick fans new events out of the event log into
//! deliveries (one per matching subscription), then sends the deliveries
//! that are due: signed per Standard Webhooks, retried on a schedule, each
//! attempt recorded.
//!
//! Safe with several replicas on one database: the fan-out cursor is one
//! row taken `FOR UPDATE` on PostgreSQL, so each event is fanned out once;
//! due deliveries are claimed with `FOR UPDATE SKIP LOCKED` and pushed a
//! lease ahead, so no two replicas send the same delivery at once.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_app::trace::{Attr, FinishedSpan, SpanKind, Spans, TraceContext};
use hotline_domain::ports::Store;
use hotline_domain::webhook::{Attempt, AttemptOutcome, DueDelivery, RetrySchedule, accepted};
use tokio::sync::watch;
use uuid::Uuid;

/// What receivers see as the sender.
pub const USER_AGENT: &str = concat!("hotline-webhooks/", env!("CARGO_PKG_VERSION"));
/// How much of a receiver's answer is kept with the attempt.
const KEEP_RESPONSE_BYTES: usize = 2048;

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub schedule: RetrySchedule,
    /// A receiver that has not answered within this is a failed attempt.
    pub timeout: Duration,
    /// Deliveries sent per tick (concurrently).
    pub send_batch: u64,
    /// Events fanned out per read of the log.
    pub fan_out_batch: u64,
    /// How long a claim keeps other replicas away (a crashed replica's
    /// deliveries come back after it).
    pub lease: chrono::Duration,
    /// The longest pause between ticks when no event arrives.
    pub tick: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            schedule: RetrySchedule::default(),
            timeout: Duration::from_secs(10),
            send_batch: 50,
            fan_out_batch: 500,
            lease: chrono::Duration::minutes(2),
            tick: Duration::from_secs(2),
        }
    }
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Deliveries created from new events.
    pub queued: usize,
    /// Attempts made, and how many of them the receiver accepted.
    pub attempted: usize,
    pub delivered: usize,
    /// Subscriptions disabled because their receiver kept failing.
    pub disabled: usize,
}

pub struct WebhookWorker {
    store: Arc<dyn Store>,
    client: reqwest::Client,
    settings: WebhookSettings,
    spans: Spans,
}

impl WebhookWorker {
    pub fn new(app: &App, settings: WebhookSettings) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            // A redirect is an answer other than 2xx: a failed attempt,
            // never a request to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| format!("webhooks: cannot build the HTTP client: {e}"))?;
        Ok(Self {
            store: app.store.clone(),
            client,
            settings,
            spans: app.spans.clone(),
        })
    }

    /// One tick at `now`: fan out, then send what is due. Errors are
    /// logged, never raised: the next tick tries again.
    pub async fn tick(&self, now: DateTime<Utc>) -> TickReport {
        // What the databases keep, so stored instants read back equal.
        let now = hotline_domain::time::truncate(now);
        let mut report = TickReport::default();
        // Catch up in batches, but leave room for sending.
        for _ in 0..10 {
            match self.store.webhooks().fan_out(now, self.settings.fan_out_batch).await {
                Ok(f) => {
                    report.queued += f.deliveries;
                    if (f.events as u64) < self.settings.fan_out_batch {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "webhooks: fan-out failed");
                    break;
                }
            }
        }
        let lease_until = now + self.settings.lease;
        let due = match self
            .store
            .webhooks()
            .claim_due(now, lease_until, self.settings.send_batch)
            .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "webhooks: cannot claim due deliveries");
                Vec::new()
            }
        };
        let mut sending = tokio::task::JoinSet::new();
        for d in due {
            let (client, spans) = (self.client.clone(), self.spans.clone());
            sending.spawn(async move {
                let attempt = send(&client, &d, now, &spans).await;
                (d, attempt)
            });
        }
        while let Some(done) = sending.join_next().await {
            let Ok((d, attempt)) = done else { continue };
            report.attempted += 1;
            match self.settle(&d, &attempt, now).await {
                Ok(AttemptOutcome::Delivered) => report.delivered += 1,
                Ok(_) => {}
                Err(disabled) => report.disabled += usize::from(disabled),
            }
        }
        report
    }

    /// Records an attempt with what it leads to. Err(true) when the
    /// subscription was disabled by it, Err(false) when recording failed.
    async fn settle(&self, d: &DueDelivery, a: &Attempt, now: DateTime<Utc>) -> Result<AttemptOutcome, bool> {
        let outcome = if a.status_code.is_some_and(accepted) {
            AttemptOutcome::Delivered
        } else {
            let spread = rand::random_range(-1.0..=1.0);
            self.settings.schedule.after_failure(d.attempts + 1, now, spread)
        };
        let last = match (a.status_code, &a.error) {
            (Some(code), _) => format!("HTTP {code}"),
            (None, Some(e)) => e.clone(),
            (None, None) => "no answer".into(),
        };
        let reason = format!(
            "the receiver accepted nothing from {} to {} ({} attempts); last answer: {last}",
            d.run_started_at.to_rfc3339(),
            now.to_rfc3339(),
            d.attempts + 1
        );
        match self.store.webhooks().record_attempt(d, a, outcome, &reason).await {
            Ok(true) => {
                tracing::warn!(subscription = %d.subscription_id, delivery = %d.id, %reason,
                    "webhook subscription disabled: its receiver keeps failing");
                Err(true)
            }
            Ok(false) => {
                match outcome {
                    AttemptOutcome::Delivered => {}
                    AttemptOutcome::RetryAt(at) => tracing::info!(subscription = %d.subscription_id,
                        delivery = %d.id, %last, retry_at = %at, "webhook attempt failed"),
                    AttemptOutcome::GaveUp => tracing::warn!(subscription = %d.subscription_id,
                        delivery = %d.id, %last, "webhook delivery failed: retry schedule used up"),
                }
                Ok(outcome)
            }
            Err(e) => {
                tracing::warn!(delivery = %d.id, error = %e, "webhooks: cannot record an attempt; resent after the lease");
                Err(false)
            }
        }
    }
}

/// The span of the request that caused the event, if one did.
fn cause(d: &DueDelivery) -> Option<TraceContext> {
    d.traceparent.as_deref().and_then(TraceContext::parse)
}

/// The attempt as a client span, when spans are exported.
fn record_span(spans: &Spans, d: &DueDelivery, ctx: TraceContext, start: SystemTime, a: &Attempt) {
    if !spans.enabled() {
        return;
    }
    let mut attributes = vec![
        ("http.request.method", Attr::Str("POST".into())),
        ("hotline.webhook.delivery_id", Attr::Str(d.id.to_string())),
    ];
    if let Some(host) = reqwest::Url::parse(&d.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
    {
        attributes.push(("server.address", Attr::Str(host)));
    }
    if let Some(code) = a.status_code {
        attributes.push(("http.response.status_code", Attr::Int(i64::from(code))));
    }
    spans.record(FinishedSpan {
        context: ctx,
        parent_span_id: cause(d).map(|c| c.span_id),
        name: "POST".into(),
        kind: SpanKind::Client,
        start,
        end: SystemTime::now(),
        attributes,
        error: !a.status_code.is_some_and(accepted),
    });
}

/// POSTs a delivery once, signed with its subscription's secret (and the
/// replaced one during a rotation's overlap).
async fn send(client: &reqwest::Client, d: &DueDelivery, now: DateTime<Utc>, spans: &Spans) -> Attempt {
    // The trace of the request that caused the event, one span further (a
    // trace of its own for events no request caused).
    let ctx = cause(d).map_or_else(|| spans.fresh_trace(), |c| c.child());
    let wall_start = SystemTime::now();
    let msg_id = d.event_id.to_string();
    // Receivers compare the timestamp with their own clock: the real one.
    let timestamp = hotline_domain::time::now().timestamp();
    let signature = d.signature(&msg_id, timestamp);
    let started = Instant::now();
    let result = client
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &msg_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .header("traceparent", ctx.to_string())
        .body(d.body.clone())
        .send()
        .await;
    let (status_code, error, response_body) = match result {
        Ok(mut res) => {
            let status = res.status().as_u16();
            let mut kept = Vec::new();
            let mut error = None;
            while kept.len() < KEEP_RESPONSE_BYTES {
                match res.chunk().await {
                    Ok(Some(bytes)) => kept.extend_from_slice(&bytes),
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(describe(&e));
                        break;
                    }
                }
            }
            kept.truncate(KEEP_RESPONSE_BYTES);
            let body = String::from_utf8_lossy(&kept).into_owned();
            (Some(status), error, Some(body).filter(|b| !b.is_empty()))
        }
        Err(e) => (None, Some(describe(&e)), None),
    };
    let attempt = Attempt {
        id: Uuid::now_v7(),
        delivery_id: d.id,
        attempted_at: now,
        duration_ms: started.elapsed().as_millis() as i64,
        status_code,
        error,
        response_body,
    };
    record_span(spans, d, ctx, wall_start, &attempt);
    attempt
}

fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.into()
    } else {
        format!("{kind}: {detail}")
    }
}

/// Runs a tick whenever events are written (here or, on PostgreSQL, by
/// another replica) and at least every `settings.tick`, until `stop`.
pub fn spawn(app: App, worker: WebhookWorker, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    let worker = Arc::new(worker);
    let mut guard = super::Guard::new("webhooks", &app);
    tokio::spawn(async move {
        let mut seen = 0;
        loop {
            let w = worker.clone();
            let now = app.now();
            guard
                .run(
                    async move {
                        w.tick(now).await;
                    },
                    &mut stop,
                )
                .await;
            tokio::select! {
                s = app.store.outbox().wait_for_events(seen, worker.settings.tick) => seen = s,
                _ = stop.changed() => break,
            }
            if *stop.borrow() {
                break;
            }
        }
        tracing::info!("webhook worker stopped");
    })
}
