//! One task per process follows the event log and broadcasts each event to
//! the connected streams: a thousand wallboards cost one database read per
//! batch of events, not a thousand.

use std::sync::{Arc, Once};
use std::time::Duration;

use hotline_domain::event::{EventPosition, LoggedEvent};
use hotline_domain::ports::{OutboxStore, Store};
use tokio::sync::{broadcast, watch};

/// Events a slow client may fall behind by before it re-reads the log.
const BUFFER: usize = 4096;
/// Events read from the log at once.
pub(crate) const BATCH: u64 = 500;
/// The longest a new event waits for its readers when no wake-up arrives.
const POLL: Duration = Duration::from_secs(1);

pub struct EventHub {
    store: Arc<dyn Store>,
    sender: broadcast::Sender<Arc<LoggedEvent>>,
    started: Once,
    closed: watch::Sender<bool>,
}

impl EventHub {
    pub fn new(store: Arc<dyn Store>) -> Arc<Self> {
        Arc::new(Self {
            store,
            sender: broadcast::channel(BUFFER).0,
            started: Once::new(),
            closed: watch::channel(false).0,
        })
    }

    pub(crate) fn outbox(&self) -> &dyn OutboxStore {
        self.store.outbox()
    }

    /// Live events from now on, and a signal that the hub closed. Starts
    /// following the log on first use, right after `head` (the log's head
    /// as the subscriber read it): an event written while the follower
    /// starts up is then broadcast, not taken for history.
    pub(crate) fn subscribe(
        self: &Arc<Self>,
        head: Option<EventPosition>,
    ) -> (broadcast::Receiver<Arc<LoggedEvent>>, watch::Receiver<bool>) {
        let live = self.sender.subscribe();
        self.started.call_once(|| {
            tokio::spawn(follow(Arc::downgrade(self), head));
        });
        (live, self.closed.subscribe())
    }

    /// Ends every stream (at shutdown, so that open streams do not hold the
    /// server up); clients reconnect to another replica or after restart.
    pub fn close(&self) {
        let _ = self.closed.send(true);
    }
}

/// Follows the log after `start` until the hub is dropped or closed.
async fn follow(hub: std::sync::Weak<EventHub>, start: Option<EventPosition>) {
    let Some(h) = hub.upgrade() else { return };
    let store = h.store.clone();
    let outbox = store.outbox();
    let mut closed = h.closed.subscribe();
    drop(h);
    let mut cursor = start;
    let mut seen = 0;
    while !*closed.borrow() {
        match outbox.read_after(cursor, BATCH).await {
            Ok(batch) if !batch.is_empty() => {
                let Some(h) = hub.upgrade() else { return };
                for e in batch {
                    cursor = Some(e.position);
                    // No receivers is fine: nobody is watching.
                    let _ = h.sender.send(Arc::new(e));
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "live stream: cannot read the event log");
                tokio::time::sleep(POLL).await;
            }
        }
        if hub.strong_count() == 0 {
            return;
        }
        tokio::select! {
            s = outbox.wait_for_events(seen, POLL) => seen = s,
            _ = closed.changed() => {}
        }
    }
}
