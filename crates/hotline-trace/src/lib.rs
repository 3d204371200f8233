//! W3C Trace Context (`traceparent`): reading a caller's, starting a fresh
//! one, the child a call out (a webhook delivery) carries, and the context
//! of the request being served, carried across `.await`s so that what the
//! request writes (its events) can name it. No I/O.

mod span;

use std::fmt;
use std::future::Future;

pub use span::{Attr, FinishedSpan, SpanKind, Spans};

tokio::task_local! {
    static CURRENT: Option<TraceContext>;
}

/// The context of the request (or the piece of work) being served, if any.
pub fn current() -> Option<TraceContext> {
    CURRENT.try_with(|c| *c).ok().flatten()
}

/// `work` with `ctx` as its current context (None: none), without another
/// layer of future around it.
pub fn scope<F: Future>(
    ctx: Option<TraceContext>,
    work: F,
) -> tokio::task::futures::TaskLocalFuture<Option<TraceContext>, F> {
    CURRENT.scope(ctx, work)
}

/// A trace and the span within it that the next hop names as its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceContext {
    pub trace_id: u128,
    pub span_id: u64,
    /// `01`: the caller sampled this trace.
    pub flags: u8,
}

fn nonzero_u128() -> u128 {
    loop {
        let n: u128 = rand::random();
        if n != 0 {
            return n;
        }
    }
}

fn nonzero_u64() -> u64 {
    loop {
        let n: u64 = rand::random();
        if n != 0 {
            return n;
        }
    }
}

/// Lowercase hex of exactly `len` digits, or None.
fn hex(s: &str, len: usize) -> Option<u128> {
    let lower = s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (s.len() == len && lower)
        .then(|| u128::from_str_radix(s, 16).ok())
        .flatten()
}

impl TraceContext {
    /// A new trace, started here.
    pub fn fresh() -> Self {
        Self {
            trace_id: nonzero_u128(),
            span_id: nonzero_u64(),
            flags: 0,
        }
    }

    /// The caller's `traceparent`, when it is well formed: version `00`
    /// exactly as the recommendation writes it; a later version by its
    /// first four fields (what follows them is that version's, ignored).
    /// Version `ff`, all-zero ids and uppercase hex are refused.
    pub fn parse(header: &str) -> Option<Self> {
        let header = header.trim();
        let version = header.get(0..2)?;
        let v = hex(version, 2)?;
        if v == 0xff || (v == 0 && header.len() != 55) || header.len() < 55 {
            return None;
        }
        if header.len() > 55 && header.as_bytes()[55] != b'-' {
            return None;
        }
        let mut parts = header[..55].split('-');
        let (_, trace, parent, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let trace_id = hex(trace, 32).filter(|&t| t != 0)?;
        let parent = hex(parent, 16).filter(|&p| p != 0)? as u64;
        let flags = hex(flags, 2)? as u8;
        Some(Self {
            trace_id,
            span_id: parent,
            flags,
        })
    }

    /// The same trace, one span further down (this server's span, or a
    /// call out of it).
    pub fn child(&self) -> Self {
        Self {
            span_id: nonzero_u64(),
            ..*self
        }
    }

    /// Whether the trace is sampled (flag `01`): its spans are recorded.
    pub fn sampled(&self) -> bool {
        self.flags & 1 == 1
    }

    /// The trace id as the logs and problems show it: 32 lowercase hex digits.
    pub fn trace_id_hex(&self) -> String {
        format!("{:032x}", self.trace_id)
    }
}

/// The `traceparent` value naming this context's span as the parent.
impl fmt::Display for TraceContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "00-{:032x}-{:016x}-{:02x}", self.trace_id, self.span_id, self.flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[tokio::test]
    async fn the_current_context_is_the_scopes_across_awaits_and_none_outside() {
        let ctx = TraceContext::parse(GOOD).unwrap();
        assert_eq!(current(), None);
        let seen = scope(Some(ctx), async {
            tokio::task::yield_now().await;
            let inner = scope(None, async { current() }).await;
            (current(), inner)
        })
        .await;
        assert_eq!(seen, (Some(ctx), None));
        assert_eq!(current(), None);
    }

    #[test]
    fn a_well_formed_traceparent_is_kept_and_written_back_alike() {
        let t = TraceContext::parse(GOOD).unwrap();
        assert_eq!(t.trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(t.to_string(), GOOD);
        let child = t.child();
        assert_eq!(child.trace_id, t.trace_id);
        assert_ne!(child.span_id, t.span_id);
        assert_eq!(child.flags, 1);
        // A later version: its first four fields, the rest ignored.
        assert!(TraceContext::parse(&format!("01{}-extra", &GOOD[2..])).is_some());
    }

    #[test]
    fn malformed_traceparents_are_refused() {
        for bad in [
            "",
            "garbage",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
        ] {
            assert!(TraceContext::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn fresh_traces_differ_and_print_as_version_00() {
        let (a, b) = (TraceContext::fresh(), TraceContext::fresh());
        assert_ne!(a.trace_id, b.trace_id);
        assert!(TraceContext::parse(&a.to_string()).is_some());
    }
}
