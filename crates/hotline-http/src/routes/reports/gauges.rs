//! Business gauges for `/metrics` in the Prometheus text format; the
//! figures come from the reports use case at scrape time.

use std::fmt::Write;

use hotline_app::reports;

use crate::state::AppState;

fn gauge(out: &mut String, name: &str, help: &str, samples: &[(Option<(&str, &str)>, u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (label, value) in samples {
        match label {
            Some((k, v)) => {
                let _ = writeln!(out, "{name}{{{k}=\"{v}\"}} {value}");
            }
            None => {
                let _ = writeln!(out, "{name} {value}");
            }
        }
    }
}

/// The gauges in the Prometheus text format; those the database did not
/// answer are left out (the use case logs a warning), so the rest still
/// scrapes.
pub async fn render(st: &AppState) -> String {
    let mut out = String::new();
    let metrics = reports::gauges(&st.app).await;
    if let Some(g) = metrics.business {
        gauge(
            &mut out,
            "hotline_calls_ringing",
            "Inbound calls ringing now, not answered yet.",
            &[(None, g.calls_ringing)],
        );
        gauge(
            &mut out,
            "hotline_calls_in_progress",
            "Calls answered and not yet ended.",
            &[(None, g.calls_in_progress)],
        );
        let by_status: Vec<(Option<(&str, &str)>, u64)> = g
            .work_orders_by_status
            .iter()
            .map(|(s, n)| (Some(("status", s.as_str())), *n))
            .collect();
        gauge(
            &mut out,
            "hotline_work_orders_open",
            "Open work orders by status.",
            &by_status,
        );
        gauge(
            &mut out,
            "hotline_deadlines_breached",
            "Open work orders past their resolution deadline.",
            &[(None, g.deadlines_breached)],
        );
    }
    retention(&mut out, &hotline_app::privacy::retention::progress(&st.app).await);
    read_log(&mut out, hotline_app::privacy::reads::log_state(&st.app));
    if let Some(n) = metrics.webhooks_failing {
        gauge(
            &mut out,
            "hotline_webhook_deliveries_failing",
            "Webhook deliveries retrying or failed for good.",
            &[(None, n)],
        );
    }
    out
}

/// The log of reads of personal data, written off the request path: what
/// waits (a queue that grows means the database is not keeping up), what
/// was written and what was given up after failed writes.
fn read_log(out: &mut String, s: hotline_domain::personal_read::ReadLogState) {
    gauge(
        out,
        "hotline_read_log_queued",
        "Reads of personal data taken and not written to the log yet.",
        &[(None, s.queued)],
    );
    for (name, help, n) in [
        (
            "hotline_read_log_written_total",
            "Reads of personal data written to the log.",
            s.written,
        ),
        (
            "hotline_read_log_lost_total",
            "Reads of personal data given up after failed writes.",
            s.lost,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {n}");
    }
}

/// Retention's progress: rows pruned and anonymised by this process, by
/// kind (counters), and the age of the oldest call still holding its
/// personal fields (a gauge: above the calls' retention, the worker lags).
fn retention(out: &mut String, p: &hotline_app::privacy::retention::Progress) {
    let counter = |out: &mut String, name: &str, help: &str, samples: &[(&str, u64)]| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} counter");
        for (kind, n) in samples {
            let _ = writeln!(out, "{name}{{kind=\"{kind}\"}} {n}");
        }
    };
    counter(
        out,
        "hotline_retention_pruned_total",
        "Rows deleted (webhook deliveries: bodies blanked) by retention, by kind.",
        &p.pruned,
    );
    counter(
        out,
        "hotline_retention_anonymised_total",
        "Records anonymised by age, by kind.",
        &p.anonymised,
    );
    if let Some(age) = p.oldest_kept_seconds {
        gauge(
            out,
            "hotline_retention_oldest_unanonymised_call_seconds",
            "Age of the oldest call whose personal fields are not anonymised yet.",
            &[(None, age)],
        );
    }
}
