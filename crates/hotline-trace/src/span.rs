//! Finished spans, handed to an exporter when one is configured. Recording
//! never waits: a full queue drops the span and counts it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use tokio::sync::mpsc;

use crate::TraceContext;

/// What a span measured: a request served, or a call out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    Server,
    Client,
}

/// A span attribute's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Attr {
    Str(String),
    Int(i64),
}

/// One span, ended.
#[derive(Clone, Debug, PartialEq)]
pub struct FinishedSpan {
    /// Its trace, its own span id and the trace's flags.
    pub context: TraceContext,
    /// The span it is a child of (the caller's, or the request's that
    /// caused a webhook); None for a trace's first span.
    pub parent_span_id: Option<u64>,
    pub name: String,
    pub kind: SpanKind,
    pub start: SystemTime,
    pub end: SystemTime,
    /// OpenTelemetry semantic-convention names (`http.route`, …). Never
    /// personal data: routes are templates, never paths.
    pub attributes: Vec<(&'static str, Attr)>,
    /// A server error or a failed call out.
    pub error: bool,
}

/// Where finished spans go: nowhere (the default), or an exporter's queue.
#[derive(Clone, Debug, Default)]
pub struct Spans {
    queue: Option<mpsc::Sender<FinishedSpan>>,
    dropped: Arc<AtomicU64>,
}

impl Spans {
    /// No exporter: nothing is recorded.
    pub fn off() -> Self {
        Self::default()
    }

    /// Spans go to `queue` (an exporter reads it).
    pub fn to(queue: mpsc::Sender<FinishedSpan>) -> Self {
        Self {
            queue: Some(queue),
            dropped: Arc::default(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.queue.is_some()
    }

    /// Hands a span over if its trace is sampled; drops it when the queue
    /// is full (the exporter is behind), never waiting.
    pub fn record(&self, span: FinishedSpan) {
        let Some(queue) = &self.queue else { return };
        if span.context.sampled() && queue.try_send(span).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Spans dropped because the queue was full or the exporter gone.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Reads [`Self::dropped`] without holding the queue open.
    pub fn dropped_counter(&self) -> impl Fn() -> u64 + Send + 'static {
        let dropped = self.dropped.clone();
        move || dropped.load(Ordering::Relaxed)
    }

    /// A trace started here: sampled when spans are exported (so that the
    /// next hop records its part too), not otherwise.
    pub fn fresh_trace(&self) -> TraceContext {
        let mut t = TraceContext::fresh();
        if self.enabled() {
            t.flags |= 1;
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(sampled: bool) -> FinishedSpan {
        let mut context = TraceContext::fresh();
        context.flags = u8::from(sampled);
        FinishedSpan {
            context,
            parent_span_id: None,
            name: "GET /api/v1/calls".into(),
            kind: SpanKind::Server,
            start: SystemTime::now(),
            end: SystemTime::now(),
            attributes: vec![],
            error: false,
        }
    }

    #[tokio::test]
    async fn sampled_spans_are_queued_others_and_overflow_are_not() {
        let (tx, mut rx) = mpsc::channel(1);
        let spans = Spans::to(tx);
        spans.record(span(false));
        spans.record(span(true));
        spans.record(span(true));
        assert_eq!(spans.dropped(), 1, "the queue holds one");
        assert!(rx.recv().await.unwrap().context.sampled());
        assert!(rx.try_recv().is_err(), "the unsampled span was never queued");
        assert!(spans.fresh_trace().sampled());
        assert!(!Spans::off().fresh_trace().sampled());
        Spans::off().record(span(true));
    }
}
