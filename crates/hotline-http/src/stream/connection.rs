//! One client's stream: what it may see and asked for, replay from where it
//! left off, then the hub's live events, each once and in log order.

use std::sync::Arc;

use axum::response::sse::Event;
use hotline_domain::event::{EventFilter, EventPosition, EventScope, LoggedEvent};
use tokio::sync::{broadcast, mpsc};

use super::hub::{BATCH, EventHub};

/// What a connection delivers.
pub struct Subscription {
    pub scope: EventScope,
    pub filter: EventFilter,
    /// Deliver what comes after this position (None: from the log's start).
    pub after: Option<EventPosition>,
    /// The client resumed with `Last-Event-ID` (so it may have missed
    /// events that were pruned meanwhile).
    pub resumed: bool,
}

/// Starts a connection: answers the channel the SSE body reads from. The
/// task behind it ends when the client goes away or the hub closes.
/// `head` is the log's head as read for this request.
pub fn open(hub: &Arc<EventHub>, sub: Subscription, head: Option<EventPosition>) -> mpsc::Receiver<Event> {
    let (tx, rx) = mpsc::channel(256);
    let (live, closed) = hub.subscribe(head);
    tokio::spawn(run(hub.clone(), sub, live, closed, tx));
    rx
}

fn sse(e: &LoggedEvent) -> Event {
    Event::default()
        .id(e.position.to_string())
        .event(e.event.event_type.as_str())
        .data(e.event.envelope().to_string())
}

struct Sender {
    sub: Subscription,
    tx: mpsc::Sender<Event>,
    last: Option<EventPosition>,
}

impl Sender {
    /// Sends `e` if it is new to this client and theirs to see; false once
    /// the client is gone.
    async fn offer(&mut self, e: &LoggedEvent) -> bool {
        if self.last.is_some_and(|l| e.position <= l) {
            return true;
        }
        self.last = Some(e.position);
        if !(self.sub.scope.allows(&e.event) && self.sub.filter.matches(&e.event)) {
            return true;
        }
        self.tx.send(sse(e)).await.is_ok()
    }

    /// Replays the log after the last event sent, up to its end; false once
    /// the client is gone.
    async fn catch_up(&mut self, hub: &EventHub) -> bool {
        loop {
            let batch = match hub.outbox().read_after(self.last, BATCH).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "live stream: cannot replay the event log");
                    return true;
                }
            };
            if batch.is_empty() {
                return true;
            }
            for e in &batch {
                if !self.offer(e).await {
                    return false;
                }
            }
        }
    }
}

/// Whether events between `last` (what the client saw) and `oldest` (the
/// oldest kept) may have been pruned: not when `oldest` directly follows.
fn truncated(last: EventPosition, oldest: EventPosition) -> bool {
    last < oldest && !(last.txid == oldest.txid && last.seq + 1 == oldest.seq)
}

async fn run(
    hub: Arc<EventHub>,
    sub: Subscription,
    mut live: broadcast::Receiver<Arc<LoggedEvent>>,
    mut closed: tokio::sync::watch::Receiver<bool>,
    tx: mpsc::Sender<Event>,
) {
    let resumed = sub.resumed;
    let mut out = Sender {
        last: sub.after,
        sub,
        tx,
    };
    if resumed
        && let Ok(Some(oldest)) = hub.outbox().oldest().await
        && out.last.is_some_and(|l| truncated(l, oldest))
    {
        let gap = Event::default()
            .event("stream.truncated")
            .data(r#"{"detail":"events before the retention window are gone; reload the current state"}"#);
        if out.tx.send(gap).await.is_err() {
            return;
        }
    }
    // Subscribed to the hub first, replayed from the log second: nothing
    // falls between the two, and what both carry is sent once.
    if !out.catch_up(&hub).await {
        return;
    }
    loop {
        tokio::select! {
            got = live.recv() => match got {
                Ok(e) => {
                    if !out.offer(&e).await {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "live stream: a slow client re-reads the log");
                    if !out.catch_up(&hub).await {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = closed.changed() => return,
            _ = out.tx.closed() => return,
        }
    }
}
