//! The bytes of a CSV report with an awkward name in it: what a
//! spreadsheet opens must not change.

use serde_json::json;

use super::csv;
use crate::support::TestApp;

#[tokio::test]
async fn awkward_names_are_quoted_and_defused_byte_for_byte() {
    let app = TestApp::new().await;
    for (agent, started) in [
        ("=Trần \"Bé\", Hà", "2026-11-10T08:00:00+07:00"),
        ("Lê Thị Ánh", "2026-11-10T09:00:00+07:00"),
    ] {
        app.log_call(
            &app.admin,
            json!({
                "direction": "inbound",
                "caller_number": "0912 345 678",
                "callee_number": "1900 1006",
                "started_at": started,
                "answered_at": started.replace(":00:00+", ":00:10+"),
                "ended_at": started.replace(":00:00+", ":01:10+"),
                "agent": agent,
            }),
        )
        .await;
    }
    let r = csv(
        &app,
        "/api/v1/reports/calls?from=2026-11-10&to=2026-11-10&group_by=agent",
        &app.admin,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // A byte-order mark, CRLF line ends, quotes only where a cell needs
    // them (doubled inside), and a cell a spreadsheet would run as a
    // formula prefixed with `'`.
    assert_eq!(
        r.text,
        "\u{feff}start,end,agent,offered,answered,missed,abandoned,answer_rate,avg_wait_seconds,\
         p90_wait_seconds,avg_talk_seconds,service_level,blocked\r\n\
         2026-11-10T00:00:00+07:00,2026-11-11T00:00:00+07:00,\"'=Trần \"\"Bé\"\", Hà\",1,1,0,0,1,10,10,60,1,0\r\n\
         2026-11-10T00:00:00+07:00,2026-11-11T00:00:00+07:00,Lê Thị Ánh,1,1,0,0,1,10,10,60,1,0\r\n"
    );
}
