//! The span exporter's settings, read from OpenTelemetry's own variables
//! (`OTEL_*`), as every OpenTelemetry SDK reads them.

use std::time::Duration;

use super::ConfigError;
use super::env::{Env, err};
use crate::otlp::OtlpSettings;

/// `k=v,k=v` with percent-encoded values (the W3C Baggage format the
/// OpenTelemetry specification names for these lists).
fn key_values(variable: &'static str, list: &str) -> Result<Vec<(String, String)>, ConfigError> {
    list.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| err(variable, "must be a list of key=value pairs separated by commas"))?;
            let v = percent_decode(v.trim()).ok_or_else(|| err(variable, "has a badly percent-encoded value"))?;
            Ok((k.trim().to_owned(), v))
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// None unless an endpoint is set (and the SDK not disabled).
pub(super) fn otlp(env: &Env) -> Result<Option<OtlpSettings>, ConfigError> {
    if env.flag("OTEL_SDK_DISABLED", false)? {
        return Ok(None);
    }
    let endpoint = match (
        env.text("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
        env.text("OTEL_EXPORTER_OTLP_ENDPOINT"),
    ) {
        (Some(full), _) => ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", full.trim().to_owned()),
        (None, Some(base)) => (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            format!("{}/v1/traces", base.trim().trim_end_matches('/')),
        ),
        (None, None) => return Ok(None),
    };
    if !(endpoint.1.starts_with("http://") || endpoint.1.starts_with("https://")) {
        return Err(err(endpoint.0, "must be an http:// or https:// URL"));
    }
    for variable in ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"] {
        if let Some(p) = env.text(variable).filter(|p| p.trim() != "http/json") {
            return Err(err(
                variable,
                format!(
                    "`{}` is not supported: hotline exports spans as http/json only",
                    p.trim()
                ),
            ));
        }
    }
    let mut headers = key_values(
        "OTEL_EXPORTER_OTLP_HEADERS",
        &env.text("OTEL_EXPORTER_OTLP_HEADERS").unwrap_or_default(),
    )?;
    headers.extend(key_values(
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
        &env.text("OTEL_EXPORTER_OTLP_TRACES_HEADERS").unwrap_or_default(),
    )?);
    let timeout = env.number("OTEL_EXPORTER_OTLP_TIMEOUT", 10_000, 100, 600_000)?;
    Ok(Some(OtlpSettings {
        endpoint: endpoint.1,
        headers,
        service_name: env.text("OTEL_SERVICE_NAME").unwrap_or_else(|| "hotline".into()),
        timeout: Duration::from_millis(timeout),
    }))
}
