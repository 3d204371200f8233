//! OTLP's JSON encoding of spans (the protobuf messages mapped to JSON:
//! lowerCamelCase names, ids as hex, 64-bit integers as strings, enums as
//! numbers).

use std::time::{SystemTime, UNIX_EPOCH};

use hotline_app::trace::{Attr, FinishedSpan, SpanKind};
use serde_json::{Value, json};

fn nanos(t: SystemTime) -> String {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
        .to_string()
}

fn attribute(key: &str, value: &Attr) -> Value {
    let value = match value {
        Attr::Str(s) => json!({ "stringValue": s }),
        Attr::Int(i) => json!({ "intValue": i.to_string() }),
    };
    json!({ "key": key, "value": value })
}

fn span(s: &FinishedSpan) -> Value {
    let mut v = json!({
        "traceId": format!("{:032x}", s.context.trace_id),
        "spanId": format!("{:016x}", s.context.span_id),
        "flags": u32::from(s.context.flags),
        "name": s.name,
        // SPAN_KIND_SERVER, SPAN_KIND_CLIENT
        "kind": match s.kind { SpanKind::Server => 2, SpanKind::Client => 3 },
        "startTimeUnixNano": nanos(s.start),
        "endTimeUnixNano": nanos(s.end),
        "attributes": s.attributes.iter().map(|(k, v)| attribute(k, v)).collect::<Vec<_>>(),
    });
    if let Some(parent) = s.parent_span_id {
        v["parentSpanId"] = json!(format!("{parent:016x}"));
    }
    if s.error {
        // STATUS_CODE_ERROR
        v["status"] = json!({ "code": 2 });
    }
    v
}

/// An `ExportTraceServiceRequest` with `spans`, from this service.
pub fn encode(service_name: &str, spans: &[FinishedSpan]) -> Value {
    let version = env!("CARGO_PKG_VERSION");
    json!({
        "resourceSpans": [{
            "resource": { "attributes": [
                attribute("service.name", &Attr::Str(service_name.into())),
                attribute("service.version", &Attr::Str(version.into())),
                attribute("telemetry.sdk.language", &Attr::Str("rust".into())),
            ]},
            "scopeSpans": [{
                "scope": { "name": "hotline", "version": version },
                "spans": spans.iter().map(span).collect::<Vec<_>>(),
            }],
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_app::trace::TraceContext;
    use std::time::Duration;

    #[test]
    fn a_span_reads_as_the_otlp_json_encoding_writes_it() {
        let start = UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_456_789);
        let s = FinishedSpan {
            context: TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap(),
            parent_span_id: Some(0xab),
            name: "GET /api/v1/calls/{id}".into(),
            kind: SpanKind::Server,
            start,
            end: start + Duration::from_millis(3),
            attributes: vec![("http.response.status_code", Attr::Int(503))],
            error: true,
        };
        let v = encode("hotline-test", &[s]);
        let rs = &v["resourceSpans"][0];
        assert_eq!(rs["resource"]["attributes"][0]["value"]["stringValue"], "hotline-test");
        let span = &rs["scopeSpans"][0]["spans"][0];
        assert_eq!(span["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(span["spanId"], "00f067aa0ba902b7");
        assert_eq!(span["parentSpanId"], "00000000000000ab");
        assert_eq!(span["kind"], 2);
        assert_eq!(span["startTimeUnixNano"], "1700000000123456789");
        assert_eq!(span["endTimeUnixNano"], "1700000000126456789");
        assert_eq!(span["attributes"][0]["value"]["intValue"], "503");
        assert_eq!(span["status"]["code"], 2);
    }
}
